#!/usr/bin/env bash
# Idempotent set-up for a fresh clone: virtual environment in .venv, the packages,
# and a Chromium the robot can launch (Playwright's own, else Debian's, with its headless shell).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
    [ -f /tmp/.robot-apt-updated ] || { as_root apt-get update -qq && touch /tmp/.robot-apt-updated; }
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
    touch "$stamp"
fi

if ! browser=$(.venv/bin/python -m robot.runtime.chromium 2>/dev/null); then
    .venv/bin/python -m playwright install chromium >/dev/null 2>&1 || apt_install chromium
    browser=$(.venv/bin/python -m robot.runtime.chromium)
fi
# Headless runs (the tests, the nightly job) take far less CPU in Chromium's headless shell; without it they
# run in the full Chromium, only slower.
if [ "$browser" = "$(command -v chromium)" ]; then
    apt_install chromium-headless-shell || echo "setup.sh: no chromium-headless-shell; headless runs use chromium" >&2
fi
# The headed-run test and headed debugging on a machine with no screen need Xvfb.
command -v xvfb-run >/dev/null || [ -n "${DISPLAY:-}" ] || apt_install xvfb
