"""Cortado's session: signed in, its App-Store accounts read, one account's token replaced, Valid until read back."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from playwright.sync_api import Page

from flows.cortado import AccountRow, CortadoFlow
from flows.cortado_code import Codes
from flows.cortado_labels import CORTADO_LABELS
from flows.errors import CodeRefused, CodeRequired
from flows.labels import LabelFileError
from robot.errors import ConfigError, CredentialsRejected, PersonNeeded
from robot.portals.kept_pages import KeptPages
from robot.portals.session import PortalSession
from robot.runtime.contexts import BrowserContexts
from robot.runtime.settings import CORTADO_SETTINGS, Settings
from robot.runtime.step_timer import StepTimer

log = logging.getLogger("robot")

CORTADO = "cortado"
NO_ONE_FOR_THE_CODE = "set CORTADO_TOTP_SECRET or run `python -m robot login` at a terminal"


class CortadoSession(PortalSession[CortadoFlow]):
    key = CORTADO
    name = "Cortado"
    required = CORTADO_SETTINGS
    credentials = "CORTADO_USERNAME and CORTADO_PASSWORD"
    documented_labels = CORTADO_LABELS

    def __init__(self, contexts: BrowserContexts, settings: Settings, times: StepTimer, places: KeptPages,
                 codes: Codes) -> None:
        super().__init__(contexts, settings, times, places)
        self.codes = codes  # who can give the authenticator code, if anyone

    def read_accounts(self, fresh: bool = False) -> list[AccountRow]:
        """Every App-Store account as shown (`fresh`: loaded anew); safe to repeat, so retried."""
        if fresh:
            self._at_work = False
        with self.times.step("read accounts", self.name):
            return self.retrying("reading Cortado's App-Store accounts", lambda: self.at_work().read_accounts())

    def installed_token(self, location: str) -> str:
        """The token the account holds, from its edit form, which is cancelled (nothing saved); so retried."""
        with self.times.step("read installed token", location):
            return self.retrying(f"reading the installed token of {location}",
                                 lambda: self.at_work().installed_token(location))

    def replace_token(self, location: str, token_text: str, looked_at: Callable[[str], None] | None = None
                      ) -> None:
        """Edit, show `looked_at` the token the form holds, paste the new one, OK, and answer No. Not retried: a
        save is repeated only once known not to have taken, which the caller finds out."""
        self.at_work().replace_token(location, token_text, looked_at)

    def valid_until(self, location: str, expected: re.Pattern[str]) -> str:
        """What the account's Valid until shows once it shows `expected`, or when waiting for it ran out. Only read,
        so retried: a session that ended right after the save is signed into again and the save read back."""
        with self.times.step("verify", location):
            return self.retrying(f"reading the new Valid until of {location}",
                                 lambda: self.at_work().wait_for_valid_until(location, expected))

    def _new_flow(self, page: Page) -> CortadoFlow:
        try:
            return CortadoFlow(page, self.labels, self.settings.timeout_ms)
        except LabelFileError as error:
            raise ConfigError(f"{error} (ROBOT_LABELS_FILE)") from None

    def _sign_in(self, flow: CortadoFlow, start: str) -> bool:
        try:
            return flow.sign_in(start, self.settings.cortado_username, self.settings.cortado_password, self.codes)
        except CodeRequired as error:
            raise PersonNeeded(f"{error.message}: {NO_ONE_FOR_THE_CODE}") from None
        except CodeRefused as error:
            check = ("check CORTADO_TOTP_SECRET (the key shown when the authenticator app was set up)"
                     if self.settings.cortado_totp_secret else "type the code the authenticator app shows now")
            raise CredentialsRejected(f"{error.message.rstrip('.')}; {check}") from None

    def _open_working_page(self, flow: CortadoFlow) -> None:
        start = self.places.start(self.key, self.url)
        if flow.page.url.rstrip("/") not in {self.url.rstrip("/"), start.rstrip("/")}:
            flow.page.goto(start)
        if flow.answer_open_question():
            log.warning("Cortado showed a question nobody had answered (a run stopped before it could): answered No")
        flow.open_accounts()
