"""Visible labels, one set per portal, with every documented variant and a user override.

Labels are matched whole (never as a prefix) and case-insensitively, so "Sign In"
matches "Sign in" but "CMS Documentation" never matches "CMS Documentation Berlin".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class LabelFileError(ValueError):
    pass


# What frames a label without being part of it: space, a form's colon or required mark, and the glyphs of menus
# and pagers (an ellipsis, guillemets, arrows, chevrons, triangles): "User name:", "Verwaltung ▾", "Next »".
FRAME = r"[\s:*\u2026\u00ab\u00bb\u2039\u203a\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2700-\u27bf]"


# The words of a table's own controls, the same on both portals (a widget library's, in English or German).
TABLE_LABELS: dict[str, tuple[str, ...]] = {
    # A row's own menu button, where its actions sit behind one ("⋮").
    "more_actions": ("More actions", "More", "Actions", "Row actions", "Weitere Aktionen", "Mehr", "Aktionen",
                     "Optionen", "Options", "Select", "Auswählen"),
    "search": ("Search", "Suchen", "Suche", "Filter"),
    # A pager's arrows may have no words: single or double angle quotes, or "<" and ">", around the page numbers
    # (a double one is the next page, or the last: either way on, and a pager that has both shows the single first).
    "next_page": ("Next page", "Next", "Go to the next page", "Go to next page", "Nächste Seite", "Nächste",
                  "Weiter", "\u203a", "»", ">"),
    "previous_page": ("Previous page", "Previous", "Go to the previous page", "Go to previous page",
                      "Vorherige Seite", "Vorherige", "Zurück", "\u2039", "«", "<"),
    # A pager's way on may go on with words about where it goes: "Weiter zur nächsten Seite", "Next results page".
    "page": ("page", "Seite"),
    # The button at a list's foot that adds the next rows to those shown.
    "show_more": ("Show more", "Load more", "Show all", "Load more results", "Mehr anzeigen", "Mehr laden",
                  "Weitere anzeigen", "Weitere laden", "Alle anzeigen", "More", "Mehr"),
}


@dataclass(frozen=True)
class Labels:
    portal: str
    variants: Mapping[str, tuple[str, ...]]

    def exact(self, key: str) -> re.Pattern[str]:
        """Matches a whole accessible name or text, ignoring case and what frames it (FRAME)."""
        return re.compile(rf"^{FRAME}*(?:{self._alternatives(key)}){FRAME}*$", re.IGNORECASE)

    def counted(self, key: str) -> re.Pattern[str]:
        """Matches a whole name that may end in a count of what is shown ("Mehr [ 10 / 12 ]", "More (10 of 12)"),
        or in words about the page it leads to ("Weiter zur nächsten Seite")."""
        # "/" escaped: Playwright reads a name's pattern as a JavaScript regular expression between slashes
        count = r"(?:\s*[\[(]?\s*\d+\s*(?:\/|of|von)\s*\d+\s*[\])]?)?"
        to_a_page = rf"(?:\s[^\n]*\b(?:{self._alternatives('page')})\b[^\n]*)?"
        return re.compile(rf"^{FRAME}*(?:{self._alternatives(key)}){count}{to_a_page}{FRAME}*$", re.IGNORECASE)

    def leading(self, key: str) -> re.Pattern[str]:
        """Matches a name that starts with one of the variants as a word ("Download content token for Berlin"):
        how icon buttons in a row are often named."""
        return re.compile(rf"^{FRAME}*(?:{self._alternatives(key)})(?!\w)", re.IGNORECASE)

    def contains(self, key: str) -> re.Pattern[str]:
        """Matches prose that includes one of the variants (headings, instructions)."""
        return re.compile(self._alternatives(key), re.IGNORECASE)

    def describe(self, key: str) -> str:
        return " / ".join(f'"{variant}"' for variant in self.variants[key])

    def with_overrides(self, overrides: Mapping[str, Sequence[str]]) -> Labels:
        """The user's variants come first and the documented ones stay accepted."""
        unknown = sorted(set(overrides) - set(self.variants))
        if unknown:
            raise LabelFileError(
                f"unknown {self.portal} label(s) {', '.join(unknown)}; known: {', '.join(sorted(self.variants))}"
            )
        merged = dict(self.variants)
        for key, extra in overrides.items():
            merged[key] = tuple(dict.fromkeys([*extra, *self.variants[key]]))
        return Labels(self.portal, merged)

    def one_by_one(self, key: str) -> list[Labels]:
        """The labels with only one variant for `key`, each in turn, in the order they are preferred."""
        return [Labels(self.portal, {**self.variants, key: (variant,)}) for variant in self.variants[key]]

    def _alternatives(self, key: str) -> str:
        return "|".join(re.escape(variant) for variant in self.variants[key])


def read_overrides(path: Path | None, portal: str) -> dict[str, list[str]]:
    """The part of a labels file (JSON: {"abm": {key: [labels]}, "cortado": {...}}) for one portal."""
    if path is None:
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LabelFileError(f"cannot read the labels file {path}: {error.strerror}") from None
    except ValueError as error:
        raise LabelFileError(f"the labels file {path} is not valid JSON: {error}") from None
    section = document.get(portal, {}) if isinstance(document, dict) else None
    if not isinstance(section, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in section.values()
    ):
        raise LabelFileError(f'the labels file {path} must look like {{"{portal}": {{"key": ["label", ...]}}}}')
    return section
