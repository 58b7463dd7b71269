"""What a flow reports when a portal does not do what a person would expect."""

from __future__ import annotations


class FlowError(Exception):
    """Base for all flow failures; `step` names where it happened, as a person would say it."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


class PageNotAsExpected(FlowError):
    """A label or element a person would look for did not appear in time; `proposal` is what the page shows
    instead that could be added to the labels file: (portal, key, texts)."""

    def __init__(self, step: str, message: str, proposal: tuple[str, str, list[str]] | None = None) -> None:
        super().__init__(step, message)
        self.proposal = proposal


class PortalUnavailable(FlowError):
    """The portal answered with a server error or a download did not arrive: worth another try."""


class SignInRejected(FlowError):
    """The portal refused the credentials or the verification code."""


class HandedOver(FlowError):
    """The sign-in left the portal for another identity provider's page (a federated account); `host` is where."""

    def __init__(self, step: str, host: str) -> None:
        super().__init__(step, f"the sign-in went on at {host}")
        self.host = host


class SignedOut(FlowError):
    """The portal showed its sign-in page where a signed-in page was expected (a stale session)."""


class CodeRefused(SignInRejected):
    """The portal refused every code it was given (Cortado's authenticator code)."""


class CodeRequired(FlowError):
    """A portal wants a code (ABM's verification code, Cortado's authenticator code) and none could be had."""


class TokenRefused(FlowError):
    """Cortado's edit form refused the token; `message` is the portal's own text."""
