"""The two portals, each signed into at most once per run and only when the run needs it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from flows.abm import AbmFlow, DownloadedToken
from flows.abm_labels import ABM_LABELS
from flows.cortado import AccountRow, CortadoFlow
from flows.cortado_labels import CORTADO_LABELS
from flows.errors import CodeRequired, SignedOut, SignInRejected
from flows.labels import LabelFileError, read_overrides
from robot.errors import ConfigError, CredentialsRejected, PersonNeeded, PortalUnreachable
from robot.portals.kept_pages import Places
from robot.portals.retry import retrying
from robot.runtime.contexts import Browsing
from robot.runtime.settings import ABM_SETTINGS, CORTADO_SETTINGS, Settings
from robot.runtime.step_timer import StepTimes

log = logging.getLogger("robot")

ABM = "abm"
CORTADO = "cortado"
PORTAL_NAMES = {ABM: "ABM", CORTADO: "Cortado"}
NETWORK_ERROR = re.compile(r"net::ERR_[A-Z_]+")  # how Chromium names a page it could not load


class Portals:
    def __init__(self, browsing: Browsing, settings: Settings, code: Callable[[], str | None],
                 times: StepTimes) -> None:
        self.browsing = browsing
        self.settings = settings
        self.code = code
        self.times = times
        self.sign_ins = {ABM: 0, CORTADO: 0}
        self._cortado: CortadoFlow | None = None
        self._abm: AbmFlow | None = None
        self._signed_in: set[str] = set()  # a failed sign-in is tried afresh when the portal is next needed
        self._accounts_open = False
        self._token_list_open = False
        self.places = Places(settings.state_dir / "places.json")
        try:
            self.abm_labels = ABM_LABELS.with_overrides(read_overrides(settings.labels_file, ABM))
            self.cortado_labels = CORTADO_LABELS.with_overrides(read_overrides(settings.labels_file, CORTADO))
        except LabelFileError as error:
            raise ConfigError(f"{error} (ROBOT_LABELS_FILE)") from None

    def sign_in_everywhere(self) -> list[Path]:
        """For `login`: both portals signed in (or their kept sessions found good), both sessions kept anew."""
        self.abm  # noqa: B018 - the property signs in
        self.cortado  # noqa: B018
        return [self.browsing.save_session(ABM, every_origin=True),
                self.browsing.save_session(CORTADO, every_origin=True)]

    # -- Cortado ------------------------------------------------------------------------------

    @property
    def cortado(self) -> CortadoFlow:
        """Cortado's flow, signed in on first use."""
        if self._cortado is None:
            self.settings.require(CORTADO_SETTINGS)
            try:
                self._cortado = CortadoFlow(self.browsing.page(CORTADO), self.cortado_labels,
                                            self.settings.timeout_ms)
            except LabelFileError as error:
                raise ConfigError(f"{error} (ROBOT_LABELS_FILE)") from None
        if CORTADO not in self._signed_in:
            self._sign_in_cortado(self._cortado)
        return self._cortado

    def read_accounts(self, fresh: bool = False) -> list[AccountRow]:
        """Every App-Store account as shown (`fresh`: loaded anew); safe to repeat, so retried."""
        flow = self.cortado
        if fresh:
            self._accounts_open = False

        def read() -> list[AccountRow]:
            self._open_accounts()
            return flow.read_accounts()

        with self.times.step("read accounts", "Cortado"):
            return retrying("reading Cortado's App-Store accounts", read, self._recover_cortado)

    def _open_accounts(self) -> None:
        flow = self.cortado
        if not self._accounts_open:
            with self.times.step("navigation", "Cortado"):
                start = self.places.start(CORTADO, self.settings.cortado_url)
                if flow.page.url.rstrip("/") not in {self.settings.cortado_url.rstrip("/"), start.rstrip("/")}:
                    flow.page.goto(start)
                flow.open_accounts()
            self.places.keep(CORTADO, flow.page.url, self.settings.cortado_url)
            self._accounts_open = True

    def _recover_cortado(self, error: BaseException) -> None:
        self._accounts_open = False
        self._recover(CORTADO, error, lambda: self._sign_in_cortado(self.cortado),
                      lambda: self.cortado.page.goto(self.settings.cortado_url))

    def _sign_in_cortado(self, flow: CortadoFlow) -> None:
        self._accounts_open = False
        self._signing_in(CORTADO, "CORTADO_USERNAME and CORTADO_PASSWORD", lambda: flow.sign_in(
            self.places.start(CORTADO, self.settings.cortado_url), self.settings.cortado_username,
            self.settings.cortado_password))

    @staticmethod
    def _recover(portal: str, error: BaseException, sign_in: Callable[[], None],
                 start_again: Callable[[], object]) -> None:
        """Before another try: sign in again if the portal showed its sign-in page, else start from its address."""
        if isinstance(error, SignedOut):
            log.warning("%s showed its sign-in page: signing in again", PORTAL_NAMES[portal])
            sign_in()
        else:
            start_again()

    def _signing_in(self, portal: str, settings: str, sign_in: Callable[[], bool]) -> None:
        """Time a sign-in, name the settings to fix when it is refused or the portal is out of reach, count it
        and keep the fresh session."""
        with self.times.step("sign-in", PORTAL_NAMES[portal]):
            try:
                signed_in = sign_in()
            except SignInRejected as error:
                raise CredentialsRejected(f"{error.message.rstrip('.')}; check {settings}") from None
            except PlaywrightError as error:
                unreachable = NETWORK_ERROR.search(error.message)
                if not unreachable:
                    raise
                raise PortalUnreachable(f"{PORTAL_NAMES[portal]} cannot be reached ({unreachable.group()}): check "
                                        f"{portal.upper()}_URL and the network") from None
        self._signed_in.add(portal)
        if signed_in:
            self.sign_ins[portal] += 1
            self.browsing.save_session(portal)
        self.browsing.signed_in(portal)  # the failure trace starts here: no password or cookie in it

    # -- ABM ----------------------------------------------------------------------------------

    @property
    def abm(self) -> AbmFlow:
        """ABM's flow, signed in on first use."""
        if self._abm is None:
            self.settings.require(ABM_SETTINGS)
            self._abm = AbmFlow(self.browsing.page(ABM), self.abm_labels, self.settings.timeout_ms)
        if ABM not in self._signed_in:
            self._sign_in_abm(self._abm)
        return self._abm

    def tokens_listed(self, locations: Sequence[str]) -> dict[str, int]:
        """How many tokens ABM lists for exactly each location: looked at once, before the first download."""
        flow = self.abm

        def look() -> dict[str, int]:
            self._open_token_list()
            return flow.entries_named(locations)

        return retrying("reading ABM's token list", look, self._recover_abm)

    def download(self, location: str) -> DownloadedToken:
        """The location's token file; a failed download is safe to repeat, so retried."""
        flow = self.abm

        def fetch() -> DownloadedToken:
            self._open_token_list()
            with self.times.step("download", location):
                return flow.download_token(location)

        return retrying(f"downloading the token of {location}", fetch, self._recover_abm)

    def _open_token_list(self) -> None:
        flow = self.abm
        if not self._token_list_open:
            with self.times.step("navigation", "ABM"):
                flow.open_token_list()
            self.places.keep(ABM, flow.page.url, self.settings.abm_url)
            self._token_list_open = True

    def _recover_abm(self, error: BaseException) -> None:
        self._token_list_open = False
        self._recover(ABM, error, lambda: self._sign_in_abm(self.abm),
                      lambda: self.abm.page.goto(self.settings.abm_url))

    def _sign_in_abm(self, flow: AbmFlow) -> None:
        self._token_list_open = False

        def sign_in() -> bool:
            try:
                return flow.sign_in(self.places.start(ABM, self.settings.abm_url), self.settings.abm_username,
                                    self.settings.abm_password, self.code)
            except CodeRequired:
                raise PersonNeeded(
                    "Apple Business Manager asks for a verification code and no one is there to type it: "
                    "run `python -m robot login` at a terminal to sign in and keep the session"
                ) from None

        self._signing_in(ABM, "ABM_USERNAME and ABM_PASSWORD", sign_in)
