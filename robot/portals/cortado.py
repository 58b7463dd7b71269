"""Cortado's session: signed in, its App-Store accounts read, one account's token replaced, Valid until read back."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from flows.cortado import AccountRow, CortadoFlow
from flows.cortado_labels import CORTADO_LABELS
from flows.labels import LabelFileError
from robot.errors import ConfigError
from robot.portals.session import PortalSession
from robot.runtime.settings import CORTADO_SETTINGS

CORTADO = "cortado"


class CortadoSession(PortalSession[CortadoFlow]):
    key = CORTADO
    name = "Cortado"
    required = CORTADO_SETTINGS
    credentials = "CORTADO_USERNAME and CORTADO_PASSWORD"
    documented_labels = CORTADO_LABELS

    def read_accounts(self, fresh: bool = False) -> list[AccountRow]:
        """Every App-Store account as shown (`fresh`: loaded anew); safe to repeat, so retried."""
        if fresh:
            self._at_work = False
        with self.times.step("read accounts", self.name):
            return self.retrying("reading Cortado's App-Store accounts", lambda: self.at_work().read_accounts())

    def replace_token(self, location: str, token_text: str) -> None:
        """Edit, paste the token, OK, and answer No. Not retried: a save is repeated only once known not to have
        taken, which the caller finds out."""
        self.at_work().replace_token(location, token_text)

    def valid_until(self, location: str, expected: re.Pattern[str]) -> str:
        """What the account's Valid until shows once it shows `expected`, or when waiting for it ran out."""
        with self.times.step("verify", location):
            return self.at_work().wait_for_valid_until(location, expected)

    def _new_flow(self, page: Page) -> CortadoFlow:
        try:
            return CortadoFlow(page, self.labels, self.settings.timeout_ms)
        except LabelFileError as error:
            raise ConfigError(f"{error} (ROBOT_LABELS_FILE)") from None

    def _sign_in(self, flow: CortadoFlow, start: str) -> bool:
        return flow.sign_in(start, self.settings.cortado_username, self.settings.cortado_password)

    def _open_working_page(self, flow: CortadoFlow) -> None:
        start = self.places.start(self.key, self.url)
        if flow.page.url.rstrip("/") not in {self.url.rstrip("/"), start.rstrip("/")}:
            flow.page.goto(start)
        flow.open_accounts()
