"""One measured run of the robot (its real CLI) or of the straight-line script, on freshly reset mocks."""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from playwright.sync_api import Browser, BrowserContext, BrowserType

import robot.cli
import robot.commands
from benchmarks import straight_line
from benchmarks.memory import PeakTreePss
from fixtures.demo_data import ABM_ACCOUNT, ABM_PASSWORD, CORTADO_PASSWORD, CORTADO_USERNAME
from fixtures.portals import MockPortals
from robot.runtime.step_timer import StepTimer


@dataclass
class Measurement:
    wall: float
    steps: dict[str, float]
    outside_steps: float  # wall time covered by no step: start-up, launch, closing, bookkeeping
    launches: int
    contexts: int
    sign_ins: dict[str, int]
    peak_pss_kb: int
    browser: str = ""


class RecordedSteps(StepTimer):
    """The robot's own step timings, plus when each step ran (to find the time outside every step)."""

    last: RecordedSteps | None = None

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[float, float]] = []
        RecordedSteps.last = self

    @contextmanager
    def step(self, kind: str, subject: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            with super().step(kind, subject):
                yield
        finally:
            self.spans.append((started, time.perf_counter()))


def covered(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by the union of possibly nested spans."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


@contextmanager
def counting_browsers() -> Iterator[dict[str, list[str]]]:
    """Every browser launched (its version) and context opened, by the robot and the script alike.

    The wrappers live here only: the robot's code is measured as it is.
    """
    seen: dict[str, list[str]] = {"launches": [], "contexts": []}
    launch, new_context = BrowserType.launch, Browser.new_context

    def counted_launch(self: BrowserType, *args: object, **kwargs: object) -> Browser:
        browser = launch(self, *args, **kwargs)  # type: ignore[arg-type]
        seen["launches"].append(browser.version)
        return browser

    def counted_context(self: Browser, *args: object, **kwargs: object) -> BrowserContext:
        seen["contexts"].append(self.version)
        return new_context(self, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(BrowserType, "launch", counted_launch), \
            mock.patch.object(Browser, "new_context", counted_context):
        yield seen


def _environment(portals: MockPortals, work: Path) -> dict[str, str]:
    return {**portals.robot_settings(),
            "ROBOT_STATE_DIR": str(work / "state"), "ROBOT_ARTIFACTS_DIR": str(work / "artifacts")}


def _all_renewed(portals: MockPortals, count: int) -> None:
    """A fast run that did not do the work is no result: every token replaced, every answer No."""
    cortado, issued = portals.cortado.state, portals.abm.state.issued
    if sorted(cortado.answers) != sorted((a.location, "no") for a in cortado.accounts) or len(cortado.answers) != count:
        raise RuntimeError(f"expected {count} answers No, the mock recorded {cortado.answers}")
    stale = [a.location for a in cortado.accounts if a.token != issued.get(a.location, [""])[-1]]
    if stale:
        raise RuntimeError(f"not renewed: {', '.join(stale)}")


def _measure(portals: MockPortals, count: int, browser: Browser | None, action: Callable[[], Measurement],
             sample_memory: bool) -> Measurement:
    """One run on freshly reset mocks; its peak memory only if `sample_memory` (0 otherwise), since sampling the
    browser tree takes CPU time that a timed run would then be charged for."""
    portals.reset(locations=count)
    with counting_browsers() as seen, PeakTreePss() if sample_memory else nullcontext() as memory:
        measurement = action()
    _all_renewed(portals, count)
    measurement.launches, measurement.contexts = len(seen["launches"]), len(seen["contexts"])
    measurement.browser = browser.version if browser else ", ".join(sorted(set(seen["launches"])))
    measurement.sign_ins = {"abm": portals.abm.state.sign_ins, "cortado": portals.cortado.state.sign_ins}
    measurement.peak_pss_kb = memory.peak_kb if memory else 0
    return measurement


def run_robot(portals: MockPortals, count: int, browser: Browser | None, robot_args: list[str],
              work: Path | None, *, sample_memory: bool = False) -> Measurement:
    """`python -m robot renew --all` through robot.cli.main, its output kept out of the benchmark's.

    `work` holds the state directory the runs share, as the nightly job keeps it from night to night
    (sessions, which the reset mocks no longer accept, and the portals' kept pages); None: a fresh one.
    """

    def action() -> Measurement:
        with (nullcontext(str(work)) if work else tempfile.TemporaryDirectory(prefix="bench-robot-")) as folder, \
                mock.patch.object(robot.commands, "StepTimer", RecordedSteps), \
                redirect_stdout(io.StringIO()) as out, redirect_stderr(io.StringIO()) as err:
            started = time.perf_counter()
            code = robot.cli.main(["renew", "--all", *robot_args], browser, _environment(portals, Path(folder)))
            wall = time.perf_counter() - started
        if code != 0:
            raise RuntimeError(f"the robot failed (exit {code}):\n{out.getvalue()}{err.getvalue()}")
        steps = RecordedSteps.last
        assert steps is not None
        return Measurement(wall, dict(steps.seconds), wall - covered(steps.spans), 0, 0, {}, 0)

    return _measure(portals, count, browser, action, sample_memory)


def run_straight(portals: MockPortals, count: int, browser: Browser | None, *, sample_memory: bool = False
                 ) -> Measurement:
    """The straight-line script, launching its own browser unless the run shares one."""

    def action() -> Measurement:
        timer = straight_line.Timer()
        target = straight_line.Target(portals.abm.url, (ABM_ACCOUNT, ABM_PASSWORD),
                                      portals.cortado.url, (CORTADO_USERNAME, CORTADO_PASSWORD))
        started = time.perf_counter()
        if browser is None:
            straight_line.run(target, timer)
        else:
            straight_line.renew_all(browser, target, timer)
        wall = time.perf_counter() - started
        return Measurement(wall, dict(timer.seconds), wall - sum(timer.seconds.values()), 0, 0, {}, 0)

    return _measure(portals, count, browser, action, sample_memory)
