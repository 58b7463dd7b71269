"""`python -m robot demo`: the real renewal, end to end, against the bundled mock portals."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Browser

from fixtures.demo_data import ABM_ACCOUNT, ABM_PASSWORD, CORTADO_PASSWORD, CORTADO_USERNAME
from fixtures.portals import MockPortals

DEMO_LOCATION = "CMS Documentation"


def run_demo(args: argparse.Namespace, browser: Browser | None) -> int:
    from robot.cli import main

    with MockPortals() as portals, tempfile.TemporaryDirectory(prefix="robot-demo-") as work:
        print(f"Mock portals: Cortado {portals.cortado.url}, Apple Business Manager {portals.abm.url}")
        environment = {
            "ABM_URL": portals.abm.url, "ABM_USERNAME": ABM_ACCOUNT, "ABM_PASSWORD": ABM_PASSWORD,
            "CORTADO_URL": portals.cortado.url, "CORTADO_USERNAME": CORTADO_USERNAME,
            "CORTADO_PASSWORD": CORTADO_PASSWORD,
            "ROBOT_STATE_DIR": str(Path(work, "state")), "ROBOT_ARTIFACTS_DIR": str(Path(work, "artifacts")),
        }
        flags = [flag for flag, on in (("--headed", args.headed), ("--verbose", args.verbose),
                                       ("--quiet", args.quiet)) if on]
        argv = ["renew", "--location", DEMO_LOCATION, "--slow-mo", str(args.slow_mo), *flags]
        return main(argv, browser, environment)
