"""ROBOT_NOTIFY: the Apprise URLs notifications go to, each checked when the run starts, and the parts of each that
are secret (a password, a webhook's token), so that they are masked wherever the robot writes."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from robot.errors import ConfigError

# Apprise logs what it finds wrong in a URL with the URL in it; with no handler of its own, Python would print that
# on stderr unmasked. What matters reaches the admin through the robot's own, masked, messages.
logging.getLogger("apprise").addHandler(logging.NullHandler())

# The characters that separate an Apprise URL's parts: scheme, user, password, host, path segments, query.
URL_PARTS = re.compile(r"[/:@?&=#,+]+")


def parse_notify_urls(value: str | None) -> tuple[str, ...]:
    """The URLs of ROBOT_NOTIFY, separated by spaces or commas as Apprise reads them; one that Apprise cannot use is
    refused by its scheme alone, since the rest of it may be a secret."""
    if not value:
        return ()
    # Apprise takes half a second to load: only runs that notify (not every monitoring check) pay for it.
    import apprise
    from apprise.utils.parse import parse_urls

    urls = tuple(parse_urls(value))
    for number, url in enumerate(urls, 1):
        if apprise.Apprise.instantiate(url) is None:
            scheme = f"{url.split('://', 1)[0]}://..." if "://" in url else "no scheme"
            raise ConfigError(f"ROBOT_NOTIFY: URL {number} ({scheme}) is not one Apprise can send to: "
                              "see https://github.com/caronc/apprise/wiki for its URL forms")
    return urls


def secret_parts(url: str) -> list[str]:
    """The URL and each part of it that Apprise hides when it prints the URL privately (passwords, tokens, keys)."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    shown = set(URL_PARTS.split(unquote(plugin.url(privacy=True)))) if plugin else set()
    return [url, *(part for part in URL_PARTS.split(url) if part and part not in shown)]
