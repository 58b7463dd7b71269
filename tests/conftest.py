"""Shared test set-up: Debian's or Playwright's Chromium, and the mock portals on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Playwright

from fixtures.portals import MockPortals
from robot.browser import launch_options


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, playwright: Playwright) -> dict:
    """Merge, not replace, so that --headed and --slowmo keep working (playwright-pytest#76)."""
    return {**browser_type_launch_args, **launch_options(playwright)}


@pytest.fixture(scope="session")
def running_portals() -> Iterator[MockPortals]:
    with MockPortals() as portals:
        yield portals


@pytest.fixture
def portals(running_portals: MockPortals) -> MockPortals:
    """The mock portals, reset to a fresh organisation for each test."""
    running_portals.reset()
    return running_portals
