"""Finding things on a page as a person does, and saying what the page shows when they are not there.

A thing is found by a short ladder of rungs, best first: its role and accessible name, its label or
placeholder, then its exact visible text (for clickables that have no role). Only visible elements count,
so a hidden twin earlier in the page never hides the visible one. Every frame of the page is searched,
because a portal may run its whole app, or its sign-in, inside an iframe, and every window it opened (an edit
form in a popup of its own). No landmark, id, class or place
in the page is ever required.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from urllib.parse import urlsplit

from playwright.sync_api import ElementHandle, Frame, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from flows.errors import PageNotAsExpected
from flows.labels import Labels
from flows.page_js import COMPOSED

# The roles a person would click to move on: the same words appear as links, buttons, menu entries, tabs,
# entries of a list box or of a tree.
CLICKABLE_ROLES = ("button", "link", "menuitem", "tab", "option", "treeitem", "menuitemradio",
                   "menuitemcheckbox")
# Text that names a section or a column is not something to click, even where the same word is a menu entry
# or the button in each row.
NOT_A_HEADING = ":not(h1, h2, h3, h4, h5, h6, [role=heading], title, th, [role=columnheader])"
# What is clicked, not read: a tab, button, link or entry of a menu or list, and what is inside one.
NOT_CLICKABLE = ":not(" + ", ".join(f"[role={role}], [role={role}] *" for role in CLICKABLE_ROLES) + \
    ", a[href], a[href] *, button, button *)"
# How long one look at one frame may wait before the next frame gets a look: the thing may be in any of them.
GLANCE_MS = 150
NONBLANK = re.compile(r"\S")
# How a portal words a refusal when it gives the message no role: what a person recognises as an error.
ERROR_WORDS = re.compile(
    r"invalid|incorrect|wrong|failed|error|not valid|refused|rejected|expired|denied|could not|cannot|can't|"
    r"unable|went wrong|try again|ungültig|falsch|fehler|fehlgeschlagen|abgelehnt|abgelaufen|konnte nicht|"
    r"konnten nicht|nicht möglich|erneut|do not match|does not match|don't match|doesn't match|stimmen nicht|"
    r"stimmt nicht", re.IGNORECASE)

# What a person can type into: a label names buttons and regions too ("Search" on a magnifier's button), and a
# component's own element may carry the placeholder of the box inside it.
TYPABLE = ("input:not([type=button], [type=submit], [type=reset], [type=image], [type=checkbox], [type=radio], "
           "[type=hidden], [type=file]), textarea, [contenteditable]:not([contenteditable=false]), [role=textbox], "
           "[role=searchbox], [role=combobox], [role=spinbutton]")

Scope = Frame | Locator
Rungs = Callable[[Scope], Sequence[Locator]]


@dataclass(frozen=True)
class Found:
    """Which of the things waited for showed first, the frame it is in, and the visible element."""

    name: str
    frame: Frame
    element: Locator


@dataclass(frozen=True)
class Match:
    """What a lookup matched, as `check` reports it: the thing wanted, and the element's role and text."""

    wanted: str
    role: str
    text: str


# The matches of the lookups made inside watching(); None when nobody watches, as in a renewal.
_matches: ContextVar[list[Match] | None] = ContextVar("matches", default=None)
# A field is described by its placeholder, never by what it holds (a token, a password); a button input by its
# value, which is its caption.
DESCRIBE = "el => {" + COMPOSED + """
  const field = ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable;
  const caption = field ? (['button', 'submit'].includes(el.type) ? el.value : el.placeholder)
                        : shownText(el);
  return [el.getAttribute('role') || el.tagName.toLowerCase(),
          (el.getAttribute('aria-label') || caption || '').replace(/\\s+/g, ' ').trim().slice(0, 60)];
}"""


@contextmanager
def watching() -> Iterator[list[Match]]:
    """Collect what each lookup inside the block matched."""
    seen: list[Match] = []
    token = _matches.set(seen)
    try:
        yield seen
    finally:
        _matches.reset(token)


def _noted(found: Found) -> Found:
    seen = _matches.get()
    if seen is not None:
        role, words = found.element.evaluate(DESCRIBE)
        seen.append(Match(found.name, role, words))
    return found


def squeezed(text: str) -> str:
    """Text as a person reads it: line breaks and runs of spaces from the page's layout are one space."""
    return " ".join(text.split())


# Every text a frame's page has where a name can come from: its text (hidden text too, as a tab's field is named by
# a hidden label), with and without a space where one element ends and the next begins, and the attributes that
# name an element. Read at once; much cheaper than one lookup by role, which computes names for the whole page.
WORDING = r"""() => {
  const texts = [], named = [];
  const walk = n => {
    if (n.nodeType === 3) { texts.push(n.data); return; }
    if (n.nodeType === 1) {
      if (['SCRIPT', 'STYLE', 'TEMPLATE'].includes(n.tagName)) return;
      for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'value']) {
        const value = n.getAttribute(name);
        if (value) named.push(value);
      }
      if (n.shadowRoot) walk(n.shadowRoot);
    }
    for (let child = n.firstChild; child; child = child.nextSibling) walk(child);
  };
  walk(document);
  const squeezed = t => t.replace(/\s+/g, ' ');
  return [squeezed(texts.join('')), squeezed(texts.join(' ')), ...new Set(named)];
}"""
# The frame a look is asking about and its wording, while it asks: a thing whose words it lacks is not asked for.
_looked_at: ContextVar[tuple[Frame, list[str]] | None] = ContextVar("looked_at", default=None)


@contextmanager
def _wording_of(frame: Frame) -> Iterator[None]:
    try:
        token = _looked_at.set((frame, frame.evaluate(WORDING)))
    except PlaywrightError:  # the frame went away: the rungs say so when asked
        token = _looked_at.set(None)
    try:
        yield
    finally:
        _looked_at.reset(token)


def anywhere(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A label's pattern that matches the label inside other words too."""
    return re.compile(pattern.pattern.removeprefix("^").removesuffix("$"), pattern.flags)


def as_js(pattern: re.Pattern[str]) -> list[str]:
    """A label pattern in the form a page's script rebuilds with RegExp."""
    return [pattern.pattern, "i" if pattern.flags & re.IGNORECASE else ""]


def mentioned(words: re.Pattern[str], rungs: Rungs) -> Rungs:
    """`rungs`, asked of the frame a look is at only where its page has `words` somewhere: what the page never
    mentions it cannot show, and a thing not there then costs nothing instead of a question per rung."""
    somewhere = anywhere(words)

    def gated(scope: Scope) -> Sequence[Locator]:
        looked_at = _looked_at.get()
        if looked_at is not None and looked_at[0] is scope and not any(map(somewhere.search, looked_at[1])):
            return ()
        return rungs(scope)
    return gated


def clickable(name: re.Pattern[str]) -> Rungs:
    """Anything named `name` a person could click: as a button, as a link, by another clickable role, else by its
    exact visible text or tooltip."""
    by_its_role, by_its_text = by_role(name), as_text(name)
    return mentioned(name, lambda frame: (*by_its_role(frame), *by_its_text(frame)))


def menu_entry(name: re.Pattern[str]) -> Rungs:
    """A navigation's entry named `name`: `clickable`, or shown as the name over its folded submenu (`as_shown`)."""
    by_its_role, by_its_words = by_role(name), as_shown(name)
    return mentioned(name, lambda frame: (*by_its_role(frame), *by_its_words(frame)))


def by_role(name: re.Pattern[str]) -> Rungs:
    """A clickable role named `name`, else one whose words are `name`: an icon's own name ("setting" for a cog)
    counts in the accessible name of the entry it decorates, never in what a person reads there. Each role is a
    pass over the page, so the usual ones are asked first and alone."""
    def rungs(frame: Scope) -> Sequence[Locator]:
        named = (frame.get_by_role(role, name=name) for role in CLICKABLE_ROLES)  # type: ignore[arg-type]
        worded = (frame.get_by_role(role).filter(has_text=name) for role in CLICKABLE_ROLES)  # type: ignore[arg-type]
        return *named, reduce(Locator.or_, worded)
    return rungs


def as_text(name: re.Pattern[str]) -> Rungs:
    """Exact visible text, as a clickable with no role shows its name, or the tooltip of an icon that has none (its
    title); never a heading's or a column's."""
    return lambda frame: (frame.get_by_text(name).or_(tooltip(frame, name)).and_(frame.locator(NOT_A_HEADING)),)


# Whether the page shows the pointer over the element, as over what can be clicked.
POINTER = "el => getComputedStyle(el).cursor === 'pointer'"
# The positions of the elements whose words as rendered (a folded part inside them is not) match the pattern.
SHOWN_AS = "(els, [source, flags]) => els.flatMap((el, i) => (new RegExp(source, flags).test(el.innerText) ? [i] : []))"


def as_shown(name: re.Pattern[str]) -> Rungs:
    """`as_text`, and words shown as `name` by an element that holds more words not on show, which are in its text
    but not before a person's eyes: a menu's entry with its folded submenu inside it ("Administration" over hidden
    "Administrators", "Apps"). Those are told by what the page renders, so they are asked as the rung is made."""
    def rungs(scope: Scope) -> Sequence[Locator]:
        holding = scope.get_by_text(anywhere(name)).and_(scope.locator(NOT_A_HEADING)).filter(visible=True)
        try:
            positions = holding.evaluate_all(SHOWN_AS, as_js(name))
        except PlaywrightError:  # the frame went away: nothing shown there
            positions = []
        return (*as_text(name)(scope), *(holding.nth(position) for position in positions))
    return mentioned(name, rungs)


def tooltip(scope: Scope, name: re.Pattern[str]) -> Locator:
    """An icon named only by its tooltip (its title): it shows no words of its own, and is never a frame."""
    return scope.get_by_title(name).and_(scope.locator(":not(iframe, frame)")).filter(has_not_text=NONBLANK)


def button_or_link(scope: Scope, name: re.Pattern[str], *, include_hidden: bool = False) -> Locator:
    """A button or a link with this accessible name: what a row's action or a pager's way on always is."""
    return scope.get_by_role("button", name=name, include_hidden=include_hidden).or_(
        scope.get_by_role("link", name=name, include_hidden=include_hidden))


def action(labels: Labels, key: str) -> Rungs:
    """A clickable named by the label, else a button or link whose name starts with it, as an icon button in a row
    often is ("Download content token for Berlin", "Edit Berlin"); never prose that starts with the word."""
    exact, leading = clickable(labels.exact(key)), labels.leading(key)
    return mentioned(leading, lambda frame: (*exact(frame), button_or_link(frame, leading)))


def field(name: re.Pattern[str]) -> Rungs:
    """A field a person would type into: by its label (for=, aria-label, aria-labelledby), else its placeholder,
    else the one text box beside the label's text, as in a form laid out as a table (label in one cell, box in
    the next): the box of a part of the page that holds the label's text and no other box, on show or not (a
    section titled as its field holds it while folded, and the box of another section is not it). A tab, button
    or link of that name is no label: a form's tab named after a field on it stands beside the boxes of another
    tab."""
    # Only the parts whose text holds the label somewhere are asked about the label itself and the boxes.
    holding = re.compile(name.pattern.removeprefix("^").removesuffix("$"), name.flags)

    def rungs(frame: Scope) -> Sequence[Locator]:
        box = frame.get_by_role("textbox", include_hidden=True)
        label = frame.get_by_text(name).filter(visible=True).and_(frame.locator(NOT_CLICKABLE))
        around = frame.locator("*").filter(has_text=holding).filter(has=label)
        beside = around.filter(has=box).filter(has_not=box.nth(1)).get_by_role("textbox", include_hidden=True)
        typable = frame.locator(TYPABLE)
        return (frame.get_by_label(name).and_(typable), frame.get_by_placeholder(name).and_(typable),
                frame.get_by_role("textbox", name=name), beside)
    return mentioned(name, rungs)


def tab_hiding(rungs: Rungs, tried: int) -> Rungs:
    """The `tried`-th tab beside a thing that `rungs` find but the page does not show: a tab of the smallest part of
    the page that holds both, as a form keeps fields on tabs of its own. A person opens them in turn."""
    def rung(frame: Scope) -> Sequence[Locator]:
        hidden = _hidden(frame, rungs)
        if hidden is None:
            return ()
        tabs = frame.get_by_role("tab")
        return (frame.locator("*").filter(has=hidden).filter(has=tabs).last.get_by_role("tab").nth(tried),)
    return rung


def title_hiding(rungs: Rungs, name: re.Pattern[str]) -> Rungs:
    """The title named `name` of a folded part of the page that holds a thing `rungs` find but the page does not
    show, as a form folds a section named after its field: a person clicks the title to unfold it."""
    def rung(frame: Scope) -> Sequence[Locator]:
        hidden = _hidden(frame, rungs)
        if hidden is None:
            return ()
        title = frame.get_by_text(name).filter(visible=True)
        return (frame.locator("*").filter(has=hidden).filter(has=title).last.get_by_text(name),)
    return rung


def _hidden(frame: Scope, rungs: Rungs) -> Locator | None:
    found = rungs(frame)
    return reduce(Locator.or_, found).filter(visible=False) if found else None


def checkbox(name: re.Pattern[str]) -> Rungs:
    """A box a person would tick: by role and name, else by its label."""
    return mentioned(name, lambda frame: (frame.get_by_role("checkbox", name=name), frame.get_by_label(name)))


def text(pattern: re.Pattern[str]) -> Rungs:
    """Visible text a person reads, such as a heading or a message."""
    return mentioned(pattern, lambda frame: (frame.get_by_text(pattern),))


def alert() -> Rungs:
    """A message the page raises: an alert with some text in it."""
    return lambda frame: (frame.get_by_role("alert").filter(has_text=NONBLANK),)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def elsewhere(own: Callable[[str], bool]) -> Rungs:
    """The page itself (not a frame in it) gone to an origin that is not `own`: whatever it offers to act on."""
    def rungs(scope: Scope) -> Sequence[Locator]:
        if not isinstance(scope, Frame) or scope.parent_frame is not None or not scope.url.startswith("http"):
            return ()
        if own(origin(scope.url)):
            return ()
        return scope.get_by_role("textbox"), scope.get_by_role("button"), scope.get_by_role("link")
    return rungs


def any_of(scope: Scope, rungs: Rungs) -> Locator:
    """Every visible element any rung finds in `scope`."""
    found = rungs(scope)
    return (reduce(Locator.or_, found) if found else scope.locator(":not(*)")).filter(visible=True)


# The positions, among `candidates`, of those inside the smallest part of the page around `el` that holds any;
# one inside another (the text of a button) is that one. Parts are as shown: a component's shadow root is inside
# its element. One that something else is drawn over (a toolbar waiting behind the table's header) is not on show.
NEAREST = "(candidates, el) => {" + COMPOSED + """
  const covered = c => {
    const box = c.getBoundingClientRect(), x = (box.left + box.right) / 2, y = (box.top + box.bottom) / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
    const hit = document.elementFromPoint(x, y);
    return !!hit && !holds(c, hit) && !holds(hit, c);
  };
  const shown = candidates.map(c => !covered(c));
  for (let up = el; up; up = parentOf(up)) {
    const inside = candidates.flatMap((c, i) => (shown[i] && holds(up, c) ? [i] : []));
    if (inside.length) return inside.filter(i => !inside.some(j => j !== i && holds(candidates[j], candidates[i])));
  }
  return [];
}"""


def nearest(element: Locator | ElementHandle, scope: Scope, rungs: Rungs) -> list[Locator]:
    """What `rungs` find in the smallest part of the page around `element` that holds any of it: the button in a
    row, the OK of a form (ancestors hold what is inside them, so this is a person's "beside")."""
    candidates = any_of(scope, rungs)
    if isinstance(element, ElementHandle):
        return [candidates.nth(position) for position in candidates.evaluate_all(NEAREST, element)]
    with pinned(element) as handle:
        return nearest(handle, scope, rungs)


@contextmanager
def pinned(element: Locator) -> Iterator[ElementHandle]:
    """The element as it is found now, to hand to a page's script; let go of afterwards."""
    handle = element.element_handle()
    try:
        yield handle
    finally:
        handle.dispose()


def refusal(shown_before: Sequence[str] = ()) -> Rungs:
    """A refusal: an alert with text, or words a person reads as an error, that the page did not show before."""
    def rungs(scope: Scope) -> Sequence[Locator]:
        found = (*alert()(scope), scope.get_by_text(ERROR_WORDS))
        if not shown_before:
            return found
        old = re.compile("^(?:" + "|".join(re.escape(words) for words in shown_before) + ")$")
        return tuple(rung.filter(has_not_text=old) for rung in found)
    return rungs


def on_form(form: Rungs, rungs: Rungs) -> Rungs:
    """`rungs` only in a frame that still shows the form (any of `form`): a refusal of a sign-in stands on its
    form, never on the app's first page, whose banner may well say that tokens have expired."""
    return lambda frame: rungs(frame.locator("body").filter(has=any_of(frame, form)))


def errors_shown(frame: Frame) -> list[str]:
    """The error-like texts already on show, so that only a new one counts as the answer to a click."""
    return [squeezed(words) for words in any_of(frame, refusal()).all_inner_texts()]


def message(found: Found, rungs: Rungs) -> str:
    """What the page says where `found` showed: every visible text of that kind, as one line, without the
    glyphs of close buttons and the like."""
    texts: list[str] = []
    for rung in rungs(found.frame):
        texts += [squeezed(text) for text in rung.filter(visible=True).all_inner_texts()]
    unique = [text for text in dict.fromkeys(texts) if text]
    kept = [text for text in unique if not any(text in other for other in unique if other != text)]
    words = " ".join(kept or [squeezed(found.element.inner_text())]).split()
    return " ".join(word for word in words if any(c.isalnum() for c in word))


def every_frame(page: Page) -> list[Frame]:
    """Every frame of the page, then of the other windows the portal opened (an edit form in a window of its own),
    as a person looks at whichever window shows what they want."""
    others = [window for window in page.context.pages if window != page and not window.is_closed()]
    return [frame for window in (page, *others) for frame in window.frames]


def first_of(page: Page, candidates: Mapping[str, Rungs], timeout_ms: float) -> Found | None:
    """Wait until any candidate is visible in any frame of any of the portal's windows; the best rung of the first
    one wins. None on timeout.

    Every frame is first looked at as it is; then each gets a short auto-waiting look at all candidates at
    once, frame after frame, so that one appearing in another frame (or in a frame still loading) is not
    missed for long. Never a fixed sleep.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        frames = [frame for frame in every_frame(page) if not frame.is_detached()]
        for wait_ms in (None, min(GLANCE_MS, max((deadline - time.monotonic()) * 1000, 1))):
            for frame in frames:
                found = _look(frame, candidates, wait_ms)
                if found:
                    return _noted(found)
        if time.monotonic() >= deadline:
            return None


def _look(frame: Frame, candidates: Mapping[str, Rungs], wait_ms: float | None) -> Found | None:
    """The first candidate visible in the frame, now (`wait_ms` None) or within `wait_ms`; of it, the best rung.

    Rungs are asked one by one, best first, and the first that finds something wins: a question about several at
    once costs the page as much as asking each, so nothing is asked after the answer. Only a wait is one question
    about everything, so that whichever shows first ends it.
    """
    # A look now passes over what the frame does not mention; a wait asks for everything, to end when any shows.
    with _wording_of(frame) if wait_ms is None else nullcontext():
        left = [(name, [rung.filter(visible=True) for rung in rungs(frame)]) for name, rungs in candidates.items()]
    try:
        if wait_ms is not None:
            everything = [rung for _, rungs in left for rung in rungs]
            if not everything:  # some things are not in every frame
                return None
            _union(everything).first.wait_for(state="attached", timeout=wait_ms)
        for name, rungs in left:
            for rung in rungs:
                if rung.count():
                    return Found(name, frame, rung.first)
    except PlaywrightError:  # not there within the look, or the frame went away meanwhile
        return None
    return None


def _union(rungs: Sequence[Locator]) -> Locator:
    return reduce(Locator.or_, rungs)


def find(page: Page, rungs: Rungs, step: str, what: str, timeout_ms: float, *,
         labels: Labels | None = None, key: str | None = None) -> Found:
    """The visible thing, or an error naming what was looked for and what the page shows that comes close."""
    found = first_of(page, {what: rungs}, timeout_ms)
    if found is None:
        raise not_found(page, step, what, labels, key)
    return found


def click(found: Found, step: str, what: str) -> None:
    """Click what was found; a click the page does not take is named."""
    try:
        found.element.click()
    except PlaywrightError as error:
        raise PageNotAsExpected(step, f"could not click {what}: {first_line(error)}") from None


def first_line(error: BaseException) -> str:
    """Playwright's messages carry a multi-line call log; the first line says what happened."""
    message = error.message if isinstance(error, PlaywrightError) else str(error)
    return message.strip().splitlines()[0] if message.strip() else type(error).__name__


# -- when something is not there ---------------------------------------------------------------

# Each visible element that a person could take for a label: its accessible role (or "text") and its text.
SHOWN_TEXTS = "() => {" + COMPOSED + """
  const implicit = {A: 'link', BUTTON: 'button', TH: 'columnheader', TD: 'cell', SELECT: 'combobox',
                    TEXTAREA: 'textbox', LABEL: 'label', H1: 'heading', H2: 'heading', H3: 'heading', H4: 'heading'};
  const seen = [];
  for (const el of inside(document.body)) {
    if (seen.length >= 400 || !el.checkVisibility()) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ');
    const label = el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('title')
                  || (el.tagName === 'INPUT' && ['button', 'submit'].includes(el.type) ? el.value : '');
    const shown = (label || own).replace(/\\s+/g, ' ').trim();
    if (shown && shown.length <= 80) seen.push([el.getAttribute('role') || implicit[el.tagName] || 'text', shown]);
  }
  return seen;
}"""


# What a person acts on: offered when nothing comes close to a missing label.
OFFERED_ROLES = (*CLICKABLE_ROLES, "textbox", "combobox", "columnheader", "label")


def shown_texts(page: Page) -> list[tuple[str, str]]:
    """(role, text) of what every frame of the page shows, for saying what is there instead."""
    shown: list[tuple[str, str]] = []
    for frame in page.frames:
        try:
            shown += [(role, words) for role, words in frame.evaluate(SHOWN_TEXTS)]
        except PlaywrightError:
            continue
    return shown


def suggestions(shown: Sequence[tuple[str, str]], variants: Sequence[str]) -> list[tuple[str, str]]:
    """What the page shows that comes closest to any of the label's variants, closest first."""
    by_text = {words.casefold(): (role, words) for role, words in reversed(shown)}
    close: dict[str, float] = {}
    for variant in variants:
        for candidate in difflib.get_close_matches(variant.casefold(), list(by_text), n=3, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, variant.casefold(), candidate).ratio()
            close[candidate] = max(close.get(candidate, 0), ratio)
    return [by_text[candidate] for candidate in sorted(close, key=lambda c: -close[c])][:3]


def not_found(page: Page, step: str, what: str, labels: Labels | None, key: str | None) -> PageNotAsExpected:
    """The error for a thing not found: where, and what comes close (with the labels-file key that would take
    it), else what the page offers of the kinds a person acts on."""
    where = page.url.split("?", 1)[0] or "the page"
    message = f"{what} not found on {where}"
    if labels is None or key is None:
        return PageNotAsExpected(step, message)
    shown = shown_texts(page)
    close = suggestions(shown, labels.variants[key])
    if close:
        offers = ", ".join(f'"{words}" ({role})' for role, words in close)
        message += f"; did you mean {offers}? add it under {labels.portal}.{key} in ROBOT_LABELS_FILE"
        return PageNotAsExpected(step, message, (labels.portal, key, [close[0][1]]))
    known = re.compile("|".join(labels.exact(name).pattern for name in labels.variants if labels.variants[name]),
                       re.IGNORECASE)
    kinds = [(role, words) for role, words in dict.fromkeys(shown) if role in OFFERED_ROLES and not known.match(words)]
    if key.endswith("_column"):  # a missing column: the table's headers come first
        kinds.sort(key=lambda kind: kind[0] != "columnheader")
    offered = [f'"{words}" ({role})' for role, words in kinds][:8]
    if offered:
        message += (f"; the page shows {', '.join(offered)}: add the right one under {labels.portal}.{key} in "
                    "ROBOT_LABELS_FILE")
    return PageNotAsExpected(step, message)
