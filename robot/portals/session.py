"""What every portal session does alike: open its page, sign in once, recover from an ended session, keep it.

ABM and Cortado differ only in how they sign in, where their work is done, and what they do there
(robot/portals/abm.py, robot/portals/cortado.py).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Generic, Protocol, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from flows.errors import SignedOut, SignInRejected
from flows.labels import LabelFileError, Labels, read_overrides
from robot.errors import ConfigError, CredentialsRejected, PortalUnreachable, SessionEndedAgain, network_error
from robot.portals.kept_pages import KeptPages
from robot.portals.retry import retrying
from robot.runtime.contexts import BrowserContexts
from robot.runtime.settings import Settings
from robot.runtime.step_timer import StepTimer

log = logging.getLogger("robot")

T = TypeVar("T")


class Flow(Protocol):
    page: Page


F = TypeVar("F", bound=Flow)


def labels_for(portal: str, documented: Labels, settings: Settings) -> Labels:
    """The documented labels with the admin's own (ROBOT_LABELS_FILE) tried first."""
    try:
        return documented.with_overrides(read_overrides(settings.labels_file, portal))
    except LabelFileError as error:
        raise ConfigError(f"{error} (ROBOT_LABELS_FILE)") from None


class PortalSession(ABC, Generic[F]):
    key: ClassVar[str]  # names its kept session, kept page, screenshots and traces
    name: ClassVar[str]  # in log lines and errors
    required: ClassVar[tuple[str, ...]]  # the settings it cannot work without
    credentials: ClassVar[str]  # the settings to check when the portal refuses the sign-in
    documented_labels: ClassVar[Labels]

    def __init__(self, contexts: BrowserContexts, settings: Settings, times: StepTimer, places: KeptPages) -> None:
        self.contexts = contexts
        self.settings = settings
        self.times = times
        self.places = places
        self.labels = labels_for(self.key, self.documented_labels, settings)  # a bad labels file stops the run now
        self.url: str = getattr(settings, f"{self.key}_url")
        self._flow: F | None = None
        self._signed_in = False
        self._at_work = False  # on the page where this portal's work is done
        self._working_page: str | None = None  # its address as found in this run: where a recovery starts
        self._failed: BaseException | None = None  # a step gave up here: the page may show anything
        self._signed_in_again = False  # once per run: a portal that keeps ending sessions stops the run

    def open(self) -> F:
        """The portal's flow on the page of its own context, which starts from the kept session."""
        if self._flow is None:
            self.settings.require(self.required)
            self._flow = self._new_flow(self.contexts.page(self.key))
        return self._flow

    def sign_in(self) -> None:
        """Sign in, or find the kept session still good; does nothing when already signed in."""
        if self._signed_in:
            return
        flow = self.open()
        self._at_work = False
        with self.times.step("sign-in", self.name):
            fresh = self._sign_in_as_admin(flow)
        self._signed_in = True
        if fresh:
            self.keep()
        self.contexts.trace_from_now(self.key)  # the failure trace starts here: no password or cookie in it

    def recover(self, error: BaseException) -> None:
        """Before another try: sign in again if the portal showed its sign-in page, else start again from the working
        page as found in this run (as a person reloads the page), or from the portal's address."""
        self._at_work = False
        if isinstance(error, SignedOut):
            if self._signed_in_again:
                raise SessionEndedAgain(f"{self.name} ended the session again after the robot had signed in again "
                                        f"in this run ({error.message}): stopped; run it again later") from None
            log.warning("%s showed its sign-in page: signing in again", self.name)
            self._signed_in = False
            self.sign_in()
            self._signed_in_again = True
        else:
            self.open().page.goto(self._working_page or self.url)

    def keep(self, every_origin: bool = False) -> Path:
        """Save the signed-in session for the next run (`every_origin`: read every origin's storage anew)."""
        return self.contexts.keep_session(self.key, every_origin)

    def retrying(self, step: str, action: Callable[[], T]) -> T:
        """`action`, tried again after a transient error or an ended session, recovering in between; when it
        gives up, the next step starts by recovering too, not from the page the failure left."""
        try:
            return retrying(step, action, self.recover)
        except Exception as error:
            self._failed = error
            raise

    def at_work(self) -> F:
        """The flow on the page where this portal's work is done, opened once and kept as a bookmark."""
        if self._failed is not None:
            failed, self._failed = self._failed, None
            self.recover(failed)
        flow = self.open()
        if not self._at_work:
            with self.times.step("navigation", self.name):
                self._open_working_page(flow)
            self._working_page = flow.page.url
            self.places.keep(self.key, self._working_page, self.url)
            self._at_work = True
        return flow

    def _sign_in_as_admin(self, flow: F) -> bool:
        """Whether a sign-in happened; refused credentials and an address that does not answer stop the run."""
        try:
            return self._sign_in(flow, self.places.start(self.key, self.url))
        except SignInRejected as error:
            raise CredentialsRejected(f"{error.message.rstrip('.')}; check {self.credentials}") from None
        except PlaywrightError as error:
            unreachable = network_error(error)
            if not unreachable:
                raise
            raise PortalUnreachable(f"{self.name} cannot be reached ({unreachable}): check {self.key.upper()}_URL "
                                    "and the network") from None

    @abstractmethod
    def _new_flow(self, page: Page) -> F:
        """The portal's page object."""

    @abstractmethod
    def _sign_in(self, flow: F, start: str) -> bool:
        """Open `start` signed in; False when the kept session was still good."""

    @abstractmethod
    def _open_working_page(self, flow: F) -> None:
        """From wherever the page is, to where the portal's work is done."""
