"""`python -m robot demo`: the real renewal, end to end, against the bundled mock portals."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import Browser

from fixtures.portals import MockPortals

DEMO_LOCATION = "CMS Documentation"
PASSED_ON = ("headed", "verbose", "quiet", "debug", "pause_on_failure")


def run_demo(args: argparse.Namespace, browser: Browser | None) -> int:
    """The demo's sessions and artifacts live in a scratch folder, kept only when there is something to look at."""
    from robot.cli import main

    work = Path(tempfile.mkdtemp(prefix="robot-demo-"))
    with MockPortals() as portals:
        print(f"Mock portals: Cortado {portals.cortado.url}, Apple Business Manager {portals.abm.url}")
        environment = {**portals.robot_settings(),
                       "ROBOT_STATE_DIR": str(work / "state"), "ROBOT_ARTIFACTS_DIR": str(work / "artifacts")}
        flags = ["--" + name.replace("_", "-") for name in PASSED_ON if getattr(args, name)]
        argv = ["renew", "--location", DEMO_LOCATION, "--slow-mo", str(args.slow_mo), "--trace", args.trace, *flags]
        code = main(argv, browser, environment)
    if code == 0 and not (work / "artifacts").exists():
        shutil.rmtree(work)
    else:
        print(f"demo files (sessions, screenshots, traces) kept in {work}")
    return code
