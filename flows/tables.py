"""Reading a table as a person does, and finding one entry in it wherever it is.

A table is read by its column headers: as an ARIA table (table, grid or treegrid; rows; cell or gridcell
under each columnheader) where the page marks it up as one, else by where things stand on the screen
(each text under the header it lines up with, one row per line); a list of cards, each showing its facts under
labels of its own, is read as a table too. Entries that do not fit on one page are
reached through the table's search field, or by walking its pager, or by scrolling a list that draws only the
rows in view.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

from playwright.sync_api import Frame, Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.errors import PageNotAsExpected
from flows.labels import Labels
from flows.locate import (
    NOT_A_HEADING,
    NOT_CLICKABLE,
    POINTER,
    Rungs,
    action,
    any_of,
    as_js,
    button_or_link,
    clickable,
    field,
    nearest,
    not_found,
    pinned,
    tooltip,
)
from flows.page_js import COMPOSED

Row = dict[str, str]

# Defines inLine(a, b): two elements a person reads as standing in one line, in one row of a table or side by side
# on the screen (their middles within half the taller one's height).
IN_LINE = COMPOSED + r"""const inLine = (() => {
  const rowOf = el => closestOf(el, 'tr, [role=row]');
  const middle = el => { const b = el.getBoundingClientRect(); return [(b.top + b.bottom) / 2, b.height]; };
  return (a, b) => {
    const [y, h] = middle(a), [z, k] = middle(b);
    return (!!rowOf(a) && rowOf(a) === rowOf(b)) || Math.abs(y - z) < Math.max(h, k) / 2 + 1;
  };
})();"""

# arg: {columns: {key: [regex source, flags]}, instead: {key: other key}}; returns a list of rows {key: text},
# or null when a header is missing. A column named in `instead` may be missing: its value is then the other
# column's. Headers are the smallest visible elements whose whole text matches, standing in one line,
# preferring column headers.
READ_TABLE = r"""(arg) => {
  """ + IN_LINE + r"""
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const keys = Object.keys(arg.columns);
  const patterns = keys.map(k => new RegExp(arg.columns[k][0], arg.columns[k][1]));
  const IMPLICIT = {TABLE: 'table', TR: 'row', TD: 'cell', TH: 'columnheader'};
  const role = el => el.getAttribute('role') || IMPLICIT[el.tagName] || '';
  const closest = (el, roles) => { for (let e = el; e; e = parentOf(e)) if (roles.includes(role(e))) return e;
                                   return null; };
  const textOf = el => norm(shownText(el));
  // A cell of two lines (a name in bold, a grey line of details under it) says what it is in its first.
  const valueOf = el => norm(shownText(el).split('\n').find(line => line.trim()));
  // A row drawn by its cells alone (display: contents, as in a CSS grid) shows where any of them does.
  const shows = el => el.checkVisibility()
    || (getComputedStyle(el).display === 'contents' && childrenOf(el).some(shows));
  const all = inside(document.body);
  // Only elements whose textContent holds the header at all (no layout needed) have their shown text read.
  const holding = patterns.map(re => new RegExp(re.source.replace(/^\^/, '').replace(/\$$/, ''), re.flags));
  const composed = el => el.shadowRoot || el.querySelector('slot');
  const candidates = patterns.map((re, i) => all.filter(el => (holding[i].test(el.textContent) || composed(el))
    && el.checkVisibility()
    && re.test(textOf(el)) && !childrenOf(el).some(c => re.test(textOf(c)))));
  const rank = el => (closest(el, ['columnheader']) ? 0 : closest(el, ['row', 'table', 'grid', 'treegrid']) ? 1 : 2);
  const byRank = list => [...list].sort((a, b) => rank(a) - rank(b));
  // No headers in one line: a list of entries (cards) that each show their facts under labels of their own, the
  // last column's label in each ("Valid until" beside its date). An entry is the largest part of the page around
  // one such label that holds no other, or, where a search left one entry, the smallest that holds a heading
  // too (its title) under the page's own (one account's own page is no list); a fact is the text that follows
  // its label; a name with no label of its own is the entry's first line, its title.
  const heading = h => h.matches('h1, h2, h3, h4, h5, h6, [role=heading]') && h.checkVisibility();
  const titled = anchor => {
    for (let e = parentOf(anchor); e; e = parentOf(e)) if (inside(e).some(heading)) return e;
    return null;
  };
  const factsOf = () => {
    const anchors = candidates[keys.length - 1];
    const lone = anchors.length === 1 && titled(anchors[0]);
    if (lone && all.some(h => heading(h) && !holds(lone, h))) return entriesOf([lone]);
    if (anchors.length < 2) return null;
    return entriesOf(anchors.map(anchor => {
      let entry = anchor;
      while (parentOf(entry) && anchors.filter(a => holds(parentOf(entry), a)).length === 1) entry = parentOf(entry);
      return entry;
    }));
  };
  const entriesOf = entries => {
    const beside = label => {
      for (let e = label, up = 0; e && up < 3; e = parentOf(e), up++)
        for (let next = e.nextElementSibling; next; next = next.nextElementSibling)
          if (next.checkVisibility() && textOf(next)) return valueOf(next);
      return '';
    };
    return entries.map(entry => {
      const row = {};
      keys.forEach((k, i) => {
        const label = candidates[i].find(c => holds(entry, c));
        if (label) row[k] = beside(label);
        else if (i === 0) row[k] = valueOf(entry);
      });
      for (const k of keys) if (!(k in row)) row[k] = row[instead[k]] || '';
      return row;
    }).filter(r => Object.values(r).every(Boolean));
  };

  // The headers stand in one row or line: the first header's candidates are tried, best marked up first.
  const instead = arg.instead || {};
  let headers = null;
  for (const first of byRank(candidates[0])) {
    const others = candidates.slice(1).map(list => byRank(list.filter(el => inLine(el, first)))[0]);
    if (others.every((h, i) => h || keys[i + 1] in instead)) { headers = [first, ...others]; break; }
  }
  if (!headers) return factsOf();
  const shown = keys.filter((k, i) => headers[i]);
  headers = headers.filter(Boolean);
  const rowOf = values => {
    const row = Object.fromEntries(shown.map((k, i) => [k, values[i] || '']));
    for (const k of keys) if (!(k in row)) row[k] = row[instead[k]];
    return row;
  };

  const table = closest(headers[0], ['table', 'grid', 'treegrid']);
  if (table && headers.every(h => holds(table, h))) {
    const CELLS = ['cell', 'gridcell', 'columnheader', 'rowheader'];
    const cellsOf = row => inside(row).filter(c => CELLS.includes(role(c)) && closest(parentOf(c), ['row']) === row);
    const headerRow = closest(headers[0], ['row']);
    const columns = headerRow ? headers.map(h => cellsOf(headerRow).findIndex(c => holds(c, h))) : [];
    if (columns.length && columns.every(i => i >= 0)) {
      const rows = inside(table).filter(r => role(r) === 'row' && shows(r)
        && closest(parentOf(r), ['table', 'grid', 'treegrid']) === table && !headers.some(h => holds(r, h)));
      // a row without a cell under each header is a caption (of a group of rows), not an entry
      const entries = rows.map(cellsOf).filter(cells => columns.every(i => cells[i]))
                          .map(cells => rowOf(columns.map(i => valueOf(cells[i]))))
                          .filter(r => Object.values(r).some(Boolean));
      // A table of the headers alone, its rows drawn in a table of their own under it (as some grids do), is
      // read by what lines up under each header.
      if (entries.length) return entries;
    }
  }

  // No table markup: each piece of text below the headers goes to the header it lines up with.
  const boxes = headers.map(h => h.getBoundingClientRect());
  const below = Math.max(...boxes.map(b => b.bottom)) - 1;
  const pieces = [];
  for (const el of all.filter(e => e.checkVisibility())) {
    const own = norm([...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' '));
    const b = el.getBoundingClientRect();
    if (!own || b.top < below || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue;
    // the header it lines up with most
    const overlaps = boxes.map(h => Math.min(b.right, h.right) - Math.max(b.left, h.left));
    const column = Math.max(...overlaps) > 0 ? overlaps.indexOf(Math.max(...overlaps)) : -1;
    if (column >= 0) pieces.push({column, text: own, top: b.top, bottom: b.bottom, left: b.left});
  }
  pieces.sort((a, b) => a.top - b.top || a.left - b.left);
  const lines = [];
  for (const piece of pieces) {
    const line = lines[lines.length - 1];
    const middle = (piece.top + piece.bottom) / 2;
    if (line && middle < line.bottom) { line.pieces.push(piece); line.bottom = Math.max(line.bottom, piece.bottom); }
    else lines.push({bottom: piece.bottom, pieces: [piece]});
  }
  return lines.map(line => rowOf(shown.map((k, i) => line.pieces.filter(p => p.column === i)
                                                        .sort((a, b) => a.left - b.left).map(p => p.text).join(' '))))
              .filter(r => Object.values(r).every(Boolean));
}"""

# The innermost box on show that scrolls table rows, scrolled as a person scrolls a list that draws only the rows
# in view: "next" brings the first row not drawn yet to the top, "top" goes back up. True when it moved, i.e.
# when rows other than those drawn will show; never for a list whose rows are all drawn.
SCROLL_ROWS = "(to) => {" + COMPOSED + """
  const rowsIn = el => inside(el).filter(e => e.matches('tr, [role=row]'));
  const scrolls = el => el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY);
  const boxes = inside(document.body).filter(el => scrolls(el) && rowsIn(el).length && el.checkVisibility());
  const box = boxes.find(b => !boxes.some(o => o !== b && holds(b, o)));
  if (!box) return false;
  if (to === 'top') { const moved = box.scrollTop > 0; box.scrollTop = 0; return moved; }
  const drawnRows = rowsIn(box).flatMap(r => [r, ...r.children]).map(e => e.getBoundingClientRect())
                                .filter(b => b.height > 0);
  if (!drawnRows.length) return false;
  const last = drawnRows.reduce((a, b) => (b.bottom > a.bottom ? b : a));
  // Such a list keeps empty room for the rows it has not drawn; text below the rows (the next section of a page
  // that scrolls as a whole) says that they are all drawn.
  const inRows = new Set(rowsIn(box).flatMap(r => [r, ...inside(r)]));
  const ownText = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (inside(box).some(e => !inRows.has(e) && ownText(e) && e.checkVisibility()
                            && e.getBoundingClientRect().top >= last.bottom - 1)) return false;
  const drawn = last.bottom - box.getBoundingClientRect().top + box.scrollTop;
  if (drawn > box.scrollHeight - last.height) return false;
  box.scrollTop = drawn;
  return true;
}"""

# Something changed on the page since `before` (its text), e.g. after the pager was clicked.
CHANGED = "(before) => {" + COMPOSED + " return shownText(document.body) !== before; }"
PAGE_TEXT = "() => {" + COMPOSED + " return shownText(document.body); }"


@dataclasses.dataclass(frozen=True)
class Columns:
    """The column headers a table is read by, the first always there. A column named in `instead` may be
    missing from a table; each row's value for it is then the other column's (e.g. an account named after
    its location, in a table with no location column)."""

    headers: Mapping[str, re.Pattern[str]]
    instead: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def as_arg(self) -> dict[str, object]:
        return {"columns": {key: as_js(p) for key, p in self.headers.items()}, "instead": dict(self.instead)}


def read_rows(frame: Frame, columns: Columns) -> list[Row] | None:
    """The rows on show under these column headers; None when a header is not there."""
    return frame.evaluate(READ_TABLE, columns.as_arg())


def wait_for_rows(frame: Frame, columns: Columns, condition: str, arg: object, timeout_ms: float) -> bool:
    """Wait until `condition(rows, arg)` (a JavaScript expression over the rows) holds; False on timeout."""
    script = f"(a) => {{ const rows = ({READ_TABLE})(a); return !!rows && (({condition}))(rows, a.arg); }}"
    try:
        frame.wait_for_function(script, arg={**columns.as_arg(), "arg": arg}, timeout=timeout_ms, polling=100)
    except PlaywrightTimeoutError:
        return False
    return True


# Does the table row that holds the element also hold `other`?
IN_ITS_ROW = "(el, other) => {" + COMPOSED + """
  const row = closestOf(el, 'tr, [role=row]');
  return !!row && holds(row, other);
}"""


class Pages:
    """A table's search field and pager, found by their labels in the frame that shows the table."""

    def __init__(self, frame: Frame, labels: Labels, timeout_ms: float) -> None:
        self.frame = frame
        self.labels = labels
        self.timeout_ms = timeout_ms

    def every_page(self, visit: Callable[[], None]) -> None:
        """Call `visit` on each page of the table, and each view of a list that draws only the rows in view, from
        the first; an unfiltered table is one page."""
        self._clear_search()
        self._to_first()
        seen = {self._text()}
        while self._turn("show_more") and self._new(seen):  # a list that grows at its foot is read once, whole
            pass
        visit()
        while self._next() and self._new(seen):
            visit()

    def show(self, entry: Locator, name: str) -> bool:
        """Bring the entry named `name` into view: search for it where the table has a search field, else walk
        the pager (show more rows, scroll each page) from the first. False when it is not on any page."""
        if entry.count():
            return True
        search = self._search()
        if search is not None:
            _search_for(search, name)
            try:
                entry.first.wait_for(state="attached", timeout=self.timeout_ms)
            except PlaywrightTimeoutError:
                return False
            return True
        self._to_first()
        seen = {self._text()}
        while not entry.count():
            if not ((self._turn("show_more") or self._next()) and self._new(seen)):
                return False
        return True

    def _new(self, seen: set[str]) -> bool:
        """Whether the table shows what it has not shown before: a pager that wraps around to the first page, or
        a Show more that only toggles, ends the walk."""
        shown = self._text()
        if shown in seen:
            return False
        seen.add(shown)
        return True

    def _to_first(self) -> None:
        """Back to the first page; a pager whose Previous wraps around from the first page to the last stops where
        it has been."""
        seen = {self._text()}
        while self._turn("previous_page") and self._new(seen):
            pass
        self._scroll("top")

    def _next(self) -> bool:
        """The next rows: scrolled into view, else the next page."""
        return self._scroll("next") or self._turn("next_page")

    def _scroll(self, to: str) -> bool:
        before = self._text()
        return self.frame.evaluate(SCROLL_ROWS, to) and self._wait_for_change(before)

    def _clear_search(self) -> None:
        search = self._search()
        if search is not None and search.input_value():
            before = self._text()
            _search_for(search, "")
            self._wait_for_change(before)

    def _turn(self, key: str) -> bool:
        """Click the pager's next or previous page, or a list's Show more, if it offers one; True once the table
        changed. A pager's way on is a button or a link: the same word as plain text is the way it shows there
        is none. A click that took the page away from the table (an app's own "Back", named as a pager's
        "Previous" may be) was no pager's: the table's address is opened again, and the pager is done. A pager's
        or a list's way on may say how much is shown ("More [ 10 / 12 ]"), and is never a row's own button."""
        name = self.labels.counted(key)
        # a pager's arrows may be named only by their tooltips
        button = self._visible(lambda frame: ((button_or_link(frame, name).or_(tooltip(frame, name)))
                                              .and_(frame.locator(NOT_IN_A_ROW)),)) or self._pointed_at(name)
        # a way on greyed out is the way the pager shows there is no page on that side
        if button is None or not button.is_enabled() or button.evaluate(GREYED_OUT):
            return False
        before, headers, where = self._text(), self._headers(), self.frame.url
        button.click()
        if not self._wait_for_change(before):
            return False
        if self._headers() != headers:
            self.frame.goto(where)
            return False
        return True

    def _pointed_at(self, name: re.Pattern[str]) -> Locator | None:
        """A pager's way on with no role of its own ("«", "»" with a click handler): told from the same word as
        plain text by the pointer the page shows over it, and never inside something else to click (the chevron
        of a section's button)."""
        texts = any_of(self.frame, lambda frame: (
            frame.get_by_text(name).and_(frame.locator(NOT_IN_A_ROW)).and_(frame.locator(NOT_CLICKABLE)),))
        pointed = texts.evaluate_all(f"texts => texts.findIndex({POINTER})")
        return texts.nth(pointed) if pointed >= 0 else None

    def _headers(self) -> list[str]:
        """The columns' headers: never a cell of the table's foot, which may hold the pager and what it shows."""
        headers = self.frame.get_by_role("columnheader").and_(self.frame.locator(":not(tfoot *)"))
        return headers.filter(visible=True).all_inner_texts()

    def _wait_for_change(self, before: str) -> bool:
        try:
            self.frame.wait_for_function(CHANGED, arg=before, timeout=self.timeout_ms, polling=50)
        except PlaywrightTimeoutError:
            return False
        return True

    def _text(self) -> str:
        return self.frame.evaluate(PAGE_TEXT)

    def _search(self) -> Locator | None:
        """The table's search field: of several on show (a sidebar's search of the whole portal too), the one
        nearest the table's column headers."""
        rungs = field(self.labels.exact("search"))
        headers = self.frame.get_by_role("columnheader").filter(visible=True)
        beside = nearest(headers.first, self.frame, rungs) if headers.count() else []
        return beside[0] if beside else self._visible(rungs)

    def _visible(self, rungs: Rungs) -> Locator | None:
        """The first visible element any rung finds (a table has one search field and one pager)."""
        shown = any_of(self.frame, rungs)
        return shown.first if shown.count() else None


def _search_for(search: Locator, text: str) -> None:
    """Type into a table's search field and press Enter, as a person does where the table filters only then."""
    search.fill(text)
    search.press("Enter")


# A row of entries: never one of the table's head or foot, where its headers and its pager are.
IN_A_ROW = "tbody tr *, [role=row] *"
NOT_IN_A_ROW = f":not({IN_A_ROW})"
# A pager's way on that shows there is none: disabled (itself, or the entry that holds it), taking no pointer,
# showing the pointer that says "not allowed", or faded out as a person sees it (a half-transparent arrow).
GREYED_OUT = """el => {
  const style = getComputedStyle(el);
  return style.pointerEvents === 'none' || style.cursor === 'not-allowed' || Number(style.opacity) <= 0.5
    || !!el.closest('[aria-disabled=true], [disabled]');
}"""
# Whether the elements all stand in one line with the first.
ONE_LINE = "els => { " + IN_LINE + " return els.every(el => inLine(el, els[0])); }"
# Whether an action stands in the entry's own line: in one line with it, in a box around both that is no taller
# than a few lines (a pane beside a list may well line up with one of its entries).
OWN_LINE = "(el, other) => { " + IN_LINE + """
  let box = parentOf(el);
  while (box && !holds(box, other)) box = parentOf(box);
  const height = e => e.getBoundingClientRect().height;
  return inLine(el, other) && !!box && height(box) < 3 * Math.max(height(el), height(other));
}"""


def in_entry(frame: Frame, name: str, *, step: str, labels: Labels, key: str, timeout_ms: float,
             select: bool = False) -> Locator:
    """The action `key` (an Edit or Download button) of the one entry named exactly `name`.

    The entry is the smallest part of the page that holds both the name and such an action: a row with a
    button of its own, or the table with its toolbar. The action is named by the label, or, as icon buttons in
    rows often are, by a name that starts with it ("Download content token for Berlin"); of two in the smallest
    part, the one named by the label alone is taken. Two entries with the name, or two such actions, are for a
    person to sort out.

    `select`: where the entry has no such action of its own (in its row or line, or one of one per entry), it is
    selected, as in a list beside a pane that shows the selected entry's details and actions; the action is then
    the one beside its name where the page shows it again (the pane's title), else the one beside the entry.
    """
    what = f"the {labels.describe(key)} button"
    names = _the_entry(frame, name, step)
    named = action(labels, key)
    # The pointer on the entry, as a person's is: a row's actions may show only under it, and those of the row
    # it was over before must be gone.
    names.hover(force=True)
    own, in_its_menu = nearest(names, frame, named), False
    if not own:  # what the entry's own menu offers is its own, wherever the page draws the menu
        own = _behind_its_menu(names, frame, named, labels, timeout_ms)
        in_its_menu = bool(own)
    beside = names
    if select and not in_its_menu and not _its_own(names, own, frame, named):
        beside = _selected(names, frame, name, timeout_ms)
        own = nearest(beside, frame, named)
    if not own:  # no such button on the page yet: wait for the first, then look beside the entry again
        try:
            any_of(frame, named).first.wait_for(state="attached", timeout=timeout_ms)
        except PlaywrightTimeoutError:
            raise not_found(frame.page, step, what, labels, key) from None
        own = nearest(beside, frame, named)
    if len(own) > 1:
        exact = any_of(frame, clickable(labels.exact(key)))
        own = [found for found in own if exact.and_(found).count()] or own
    if len(own) > 1:
        own = _in_its_line(names, own) or own
    if len(own) != 1:
        raise PageNotAsExpected(step, f'{len(own) or "no"} of {what} beside "{name}"')
    return own[0]


def _the_entry(frame: Frame, name: str, step: str) -> Locator:
    """The one entry on show named exactly `name`; two are for a person to sort out."""
    names = frame.get_by_text(name, exact=True).filter(visible=True)
    count = names.count()
    # a heading that repeats the name (the title of a pane with the entry's details) is no entry, nor is the name
    # shown outside the table where one of them is in a row (the search's own chip, "Keyword: München")
    for entries in (names.and_(frame.locator(NOT_A_HEADING)), names.and_(frame.locator(IN_A_ROW))):
        if count > 1 and entries.count() == 1:
            names, count = entries, 1
    if count > 1 and names.evaluate_all(ONE_LINE):  # the name in two columns of one row ("Account", "Location")
        names, count = names.first, 1
    if count != 1:
        raise PageNotAsExpected(step, f'{count} entries named exactly "{name}"')
    return names


# For each of `others`, whether it stands in one line with the element.
IN_LINE_WITH = "(el, others) => {" + IN_LINE + " return others.map(other => inLine(el, other)); }"


def _in_its_line(entry: Locator, found: list[Locator]) -> list[Locator]:
    """Of several actions beside the entry, those in its line: a grid may draw a row's pinned columns apart from
    the rest of it, each part of every row in a container of its own."""
    handles = [action.element_handle() for action in found]
    try:
        in_line = entry.evaluate(IN_LINE_WITH, handles)
    finally:
        for handle in handles:
            handle.dispose()
    return [action for action, beside in zip(found, in_line, strict=True) if beside]


def _its_own(entry: Locator, found: list[Locator], frame: Frame, named: Rungs) -> bool:
    """Whether the action found beside the entry is its own: in its row or line, or one of several on the page."""
    if len(found) != 1:
        return bool(found)
    if any_of(frame, named).count() > 1:
        return True
    with pinned(found[0]) as handle:
        return entry.evaluate(OWN_LINE, handle)


# The positions of the elements that are not `entry` (nor hold it, nor are held by it).
OTHERS = "(els, entry) => els.map((el, i) => (el.contains(entry) || entry.contains(el) ? -1 : i)).filter(i => i >= 0)"


def _selected(entry: Locator, frame: Frame, name: str, timeout_ms: float) -> Locator:
    """Select the entry (click it); where the page then shows its name again (the title of a pane with its
    details), that showing, else the entry."""
    with pinned(entry) as handle:
        entry.click()
        again = frame.get_by_text(name, exact=True).filter(visible=True)
        try:
            again.nth(1).wait_for(state="attached", timeout=timeout_ms)
        except PlaywrightTimeoutError:
            return entry
        others = again.evaluate_all(OTHERS, handle)
    return again.nth(others[0]) if others else entry


def _behind_its_menu(entry: Locator, frame: Frame, named: Rungs, labels: Labels, timeout_ms: float) -> list[Locator]:
    """The action in the entry's own menu ("⋮", "More actions") or in its details folded under it, where the page
    shows no such action: the menu button or the toggle beside the entry, in its row or one of one per entry, is
    opened, and the action is the one that shows then."""
    menus = _menu_buttons(labels)
    mine = nearest(entry, frame, menus)
    if len(mine) != 1:
        return []
    # held as found: once opened, a toggle no longer says that it would open something
    with pinned(mine[0]) as handle:
        if not entry.evaluate(IN_ITS_ROW, handle) and any_of(frame, menus).count() < 2:
            return []  # the page's own menu button, not the entry's
        handle.click()
        try:
            any_of(frame, named).first.wait_for(state="attached", timeout=timeout_ms)
        except PlaywrightTimeoutError:
            return []
        return nearest(handle, frame, named)


def _menu_buttons(labels: Labels) -> Rungs:
    """A button that opens a menu, or the details folded under a row: named so, or marked as opening one."""
    more = labels.exact("more_actions")
    return lambda frame: (frame.get_by_role("button", name=more),
                          frame.locator("[aria-haspopup=menu], [aria-haspopup=true], [aria-expanded=false]"))
