"""Apple Business Manager's session: signed in (a verification code from robot/portals/verification_code.py),
its token list read, tokens downloaded; each step safe to repeat, so retried."""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Page

from flows.abm import AbmFlow, CodeSource, DownloadedToken
from flows.abm_labels import ABM_LABELS
from flows.errors import CodeRefused, CodeRequired, HandedOver
from robot.errors import CredentialsRejected, PersonNeeded
from robot.portals.kept_pages import KeptPages
from robot.portals.session import PortalSession
from robot.runtime.contexts import BrowserContexts
from robot.runtime.settings import ABM_SETTINGS, Settings
from robot.runtime.step_timer import StepTimer

ABM = "abm"


class AbmSession(PortalSession[AbmFlow]):
    key = ABM
    name = "ABM"
    required = ABM_SETTINGS
    credentials = "ABM_USERNAME and ABM_PASSWORD"
    documented_labels = ABM_LABELS

    def __init__(self, contexts: BrowserContexts, settings: Settings, times: StepTimer, places: KeptPages,
                 code: CodeSource, *, person_wait_ms: float | None = None) -> None:
        super().__init__(contexts, settings, times, places)
        self.code = code  # who can give the verification code, if anyone
        self.person_wait_ms = person_wait_ms  # a person answers in the browser window (`login --headed`)

    def tokens_listed(self, locations: Sequence[str]) -> dict[str, int]:
        """How many tokens ABM lists for exactly each location, from one look at the list."""
        return self.retrying("reading ABM's token list", lambda: self.at_work().entries_named(locations))

    def download(self, location: str) -> DownloadedToken:
        """The location's token file, as ABM hands it out."""

        def fetch() -> DownloadedToken:
            flow = self.at_work()
            with self.times.step("download", location):
                return flow.download_token(location)

        return self.retrying(f"downloading the token of {location}", fetch)

    def _new_flow(self, page: Page) -> AbmFlow:
        return AbmFlow(page, self.labels, self.settings.timeout_ms, org_name=self.settings.org_name)

    def _sign_in(self, flow: AbmFlow, start: str) -> bool:
        try:
            return flow.sign_in(start, self.settings.abm_username, self.settings.abm_password, self.code,
                                self.person_wait_ms)
        except HandedOver as error:
            raise CredentialsRejected(
                f"Apple Business Manager: this account signs in through {error.host}; use a non-federated Managed "
                "Apple Account in ABM_USERNAME (Apple recommends an Organization Administrator, who cannot be "
                'federated, or a custom role with "Assign licenses for Apps and Books")'
            ) from None
        except CodeRefused as error:
            check = ("check ABM_CODE_COMMAND" if self.settings.code_command
                     else "type the code your Apple device shows now")
            raise CredentialsRejected(f"{error.message.rstrip('.')}; {check}") from None
        except CodeRequired:
            raise PersonNeeded(
                "Apple Business Manager asks for a verification code and no one is there to type it: "
                "run `python -m robot login` at a terminal to sign in and keep the session"
            ) from None

    def _open_working_page(self, flow: AbmFlow) -> None:
        flow.open_token_list()
