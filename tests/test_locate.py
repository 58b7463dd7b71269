"""Each locating rule on a small page: role and name, label, exact text, visible first, every frame, tables as
ARIA or as laid out, pagers and search fields, a row's own button, and what is said when something is missing."""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

from flows.abm import AbmFlow
from flows.abm_labels import ABM_LABELS
from flows.cortado import ASKS, CortadoFlow
from flows.cortado_labels import CORTADO_LABELS
from flows.errors import PageNotAsExpected
from flows.locate import by_role, clickable, errors_shown, field, find, first_of, not_found
from flows.tables import Columns, Pages, in_entry, read_rows, wait_for_rows

LABELS = CORTADO_LABELS
COLUMNS = Columns({key: LABELS.exact(key) for key in ("location_column", "valid_until_column")})
TIMEOUT_MS = 2000
SITE = "http://portal.test"


def visit(page: Page, pages: dict[str, str], address: str) -> None:
    """Serve `pages` by their paths on a made-up site, to every window the page opens, and open `address` there."""
    page.context.route(f"{SITE}/**", lambda route: route.fulfill(
        body=pages[urlsplit(route.request.url).path], content_type="text/html; charset=utf-8"))
    page.goto(SITE + address)


def exact(words: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(words)}\s*$", re.IGNORECASE)


def found_id(page: Page, rungs, timeout_ms: float = TIMEOUT_MS) -> str | None:
    return find(page, rungs, "test", "it", timeout_ms).element.get_attribute("id")


@pytest.mark.parametrize("markup", [
    '<a id="it" href="#x">Administration</a>',
    '<button id="it">Administration</button>',
    '<div role="menubar"><div id="it" role="menuitem">Administration</div></div>',
    '<div role="tablist"><div id="it" role="tab">Administration</div></div>',
    '<div role="listbox"><div id="it" role="option">Administration</div></div>',
    '<div><span id="it" onclick="void 0">Administration</span></div>',
    '<input id="it" type="button" value="Administration">',
], ids=["link", "button", "menuitem", "tab", "option", "plain-text", "input-button"])
def test_a_clickable_is_found_by_role_and_name_or_by_its_exact_text(page: Page, markup: str) -> None:
    page.set_content(f"<p>Administration of this portal</p>{markup}")
    assert found_id(page, clickable(exact("Administration"))) == "it"


@pytest.mark.parametrize("markup", [
    '<a id="it" href="#x"><div>App Store</div><div>accounts</div></a>',
    '<a id="it" href="#x">App <b>St</b>ore accounts</a>',
    '<button id="it" aria-label="App Store accounts">▸</button>',
    '<button id="it"><img alt="App Store accounts" src="data:,"></button>',
    '<button id="it" aria-labelledby="words">▸</button><span id="words" hidden>App Store accounts</span>',
    '<x-way id="it" role="link"></x-way><script>customElements.define("x-way", class extends HTMLElement {'
    ' connectedCallback() { this.attachShadow({mode: "open"}).innerHTML = "<span>App Store accounts</span>"; } });'
    '</script>',
], ids=["blocks", "inline-parts", "aria-label", "alt-text", "labelled-by-hidden", "shadow-root"])
def test_a_name_made_of_parts_or_given_apart_from_the_text_is_found(page: Page, markup: str) -> None:
    """Where no text on the page reads as the name, the page is still asked: nothing is passed over as absent."""
    page.set_content(markup)
    assert found_id(page, clickable(exact("App Store accounts"))) == "it"


def test_a_role_beats_plain_text_and_a_heading_is_never_taken_for_a_clickable(page: Page) -> None:
    page.set_content('<h1>Apps</h1><span id="text">Apps</span><a id="it" href="#apps">Apps</a>')
    assert found_id(page, clickable(exact("Apps"))) == "it"
    page.set_content('<h1>Apps</h1><span id="it" onclick="void 0">Apps</span>')
    assert found_id(page, clickable(exact("Apps"))) == "it"


def test_an_entry_whose_icon_has_a_name_of_its_own_is_found_by_role_by_its_words(page: Page) -> None:
    page.set_content('<div role="menu"><div id="it" role="menuitem"><span role="img" aria-label="setting"><svg '
                     'width="14" height="14"><circle cx="7" cy="7" r="6"/></svg></span> <span>Verwaltung</span>'
                     "</div></div>")
    assert found_id(page, by_role(exact("Verwaltung"))) == "it"


def test_a_hidden_twin_before_the_visible_match_is_passed_over(page: Page) -> None:
    page.set_content('<button id="twin" hidden>Edit</button><div style="display:none"><button>Edit</button></div>'
                     '<button id="it">Edit</button>')
    assert found_id(page, clickable(exact("Edit"))) == "it"


@pytest.mark.parametrize(("markup", "found"), [
    ('<button id="it">Verwaltung ▾</button>', True), ('<a id="it" href="#">» Verwaltung</a>', True),
    ('<a id="it" href="#">Verwaltung:</a>', True), ('<a id="it" href="#">Verwaltungsportal</a>', False),
    ('<a id="it" href="#">Verwaltung X</a>', False),
], ids=["menu-triangle", "chevron", "colon", "longer-word", "more-words"])
def test_a_label_is_matched_whole_whatever_glyph_frames_it(page: Page, markup: str, found: bool) -> None:
    page.set_content(markup)
    assert (first_of(page, {"it": clickable(LABELS.exact("administration"))}, 300) is not None) == found


@pytest.mark.parametrize("markup", [
    '<label for="it">Server token</label><textarea id="it"></textarea>',
    '<span id="l">Server token</span><textarea id="it" aria-labelledby="l"></textarea>',
    '<textarea id="it" placeholder="Server token"></textarea>',
    '<textarea id="it" aria-label="Server token"></textarea>',
    '<label for="it">Server token: </label><textarea id="it"></textarea>',
    '<table><tr><td>Account</td><td><input></td></tr>'
    '<tr><td>Server token *</td><td><textarea id="it"></textarea></td></tr></table>',
], ids=["label-for", "labelledby", "placeholder", "aria-label", "label-with-colon", "label-in-the-cell-before"])
def test_a_field_is_found_by_its_label_or_placeholder(page: Page, markup: str) -> None:
    page.set_content(f'<textarea hidden aria-label="Server token"></textarea>{markup}')
    assert found_id(page, field(LABELS.exact("server_token"))) == "it"


def test_a_field_is_a_box_to_type_in_never_a_button_or_a_component_named_so(page: Page) -> None:
    page.set_content('<button aria-label="Search">⌕</button><x-search placeholder="Search"></x-search><script>'
                     'document.querySelector("x-search").attachShadow({mode: "open"}).innerHTML = '
                     "'<input id=\"it\" placeholder=\"Search\">';</script>")
    assert found_id(page, field(LABELS.exact("search"))) == "it"


@pytest.mark.parametrize("markup", [
    "<div>Account <input> Server token <textarea></textarea></div>",
    "<div>Account <input><div hidden>Server token <textarea></textarea></div></div>",
    '<div><div role="tablist"><a href="#" role="tab">General</a> <a href="#" role="tab">Server token</a></div>'
    "Account name <input></div>",
], ids=["two-boxes-beside-it", "label-of-a-step-not-on-show", "a-tab-named-so"])
def test_a_label_s_text_names_no_box_that_is_not_surely_its_own(page: Page, markup: str) -> None:
    page.set_content(markup)
    assert first_of(page, {"it": field(LABELS.exact("server_token"))}, 300) is None


def test_what_an_iframe_holds_is_found_in_its_frame(page: Page) -> None:
    page.set_content('<p>Apple Business</p><iframe name="MainPortal" srcdoc="<button id=it>Download</button>">'
                     "</iframe>")
    found = find(page, clickable(exact("Download")), "test", "it", TIMEOUT_MS)
    assert found.frame.name == "MainPortal" and found.element.get_attribute("id") == "it"


def test_the_first_of_several_things_to_show_is_named(page: Page) -> None:
    page.set_content('<script>setTimeout(() => document.body.insertAdjacentHTML("beforeend",'
                     ' "<p role=alert>Invalid user name or password.</p>"), 200)</script>')
    shown = first_of(page, {"app": clickable(exact("Administration")),
                            "refused": lambda frame: (frame.get_by_role("alert"),)}, TIMEOUT_MS)
    assert shown is not None and shown.name == "refused"
    assert first_of(page, {"app": clickable(exact("Administration"))}, 300) is None


@pytest.mark.parametrize(("shown", "expected"), [
    ('<a id="l" href="#">Settings</a><button id="b">Settings</button><input id="f" aria-label="Password">',
     ("menu", "b")),  # both show: the first thing wanted, by its best rung
    ('<span id="t" onclick="">Settings</span><input id="f" aria-label="Password">', ("menu", "t")),
    ('<input id="f" placeholder="Password"><span hidden>Settings</span>', ("password", "f")),
    ('<p id="p">Settings</p><b>Password</b>', ("menu", "p")),
], ids=["best-rung-first", "last-rung-of-first-thing", "second-thing-by-its-second-rung", "text-only"])
def test_of_several_things_on_show_the_first_wanted_wins_by_its_best_rung(
        page: Page, shown: str, expected: tuple[str, str]) -> None:
    page.set_content(shown)
    found = first_of(page, {"menu": clickable(exact("Settings")), "password": field(exact("Password"))}, TIMEOUT_MS)
    assert found is not None and (found.name, found.element.get_attribute("id")) == expected


def test_a_missing_label_names_what_comes_close_and_the_key_to_add_it_under(page: Page) -> None:
    page.set_content('<div role="tablist"><div role="tab">Apps</div><div role="tab">App Store Accounts</div></div>')
    error = not_found(page, "Cortado App-Store accounts", "the accounts tab", LABELS, "accounts_tab")
    assert isinstance(error, PageNotAsExpected)
    assert 'did you mean "App Store Accounts" (tab)? add it under cortado.accounts_tab in ROBOT_LABELS_FILE' in str(
        error)


@pytest.mark.parametrize("words", ["These credentials do not match our records.",
                                   "Benutzername und Passwort stimmen nicht überein."])
def test_words_that_say_what_was_typed_does_not_match_are_read_as_an_error(page: Page, words: str) -> None:
    page.set_content(f'<form><div class="message"><p>{words}</p></div><input aria-label="Username"></form>')
    assert errors_shown(page.main_frame) == [words]


TABLES = {
    "table": "<table><tr><th>Location</th><th>Assignment</th><th>Valid until</th></tr>"
             "<tr><td>Berlin</td><td>Device</td><td>2027-01-01</td></tr>"
             "<tr><td>Hamburg</td><td>User</td><td>2027-02-02</td></tr></table>",
    "first-row-headers": "<table><tr><td>Location</td><td>Valid until</td></tr>"
                         "<tr><td>Berlin</td><td>2027-01-01</td></tr><tr><td>Hamburg</td><td>2027-02-02</td></tr>"
                         "</table>",
    "grid": '<div role="grid"><div role="row"><div role="columnheader"><span>Location</span></div>'
            '<div role="columnheader">Valid until</div></div>'
            '<div role="row"><div role="gridcell">Berlin</div><div role="gridcell">2027-01-01</div></div>'
            '<div role="row"><div role="gridcell">Hamburg</div><div role="gridcell">2027-02-02</div></div></div>',
    "css-grid": '<div role="table" style="display:grid;grid-template-columns:160px 160px">'
                '<div role="row" style="display:contents"><span role="columnheader"><button>Location</button></span>'
                '<span role="columnheader"><button>Valid until</button></span></div>'
                '<div role="row" style="display:contents"><span role="cell">Berlin</span>'
                '<span role="cell">2027-01-01</span></div>'
                '<div role="row" style="display:contents"><span role="cell">Hamburg</span>'
                '<span role="cell">2027-02-02</span></div></div>',
    "treegrid-with-groups": '<div role="treegrid"><div role="row"><span role="columnheader">Location</span>'
                            '<span role="columnheader">Valid until</span></div>'
                            '<div role="row" aria-level="1"><span role="gridcell">▾ Device assigned (2)</span></div>'
                            '<div role="row" aria-level="2"><span role="gridcell">Berlin</span>'
                            '<span role="gridcell">2027-01-01</span></div>'
                            '<div role="row" aria-level="2"><span role="gridcell">Hamburg</span>'
                            '<span role="gridcell">2027-02-02</span></div></div>',
    "web-component": '<x-grid><span slot="a1">Berlin</span><span slot="b1">2027-01-01</span>'
                     '<span slot="a2">Hamburg</span><span slot="b2">2027-02-02</span></x-grid><script>'
                     'document.querySelector("x-grid").attachShadow({mode: "open"}).innerHTML = \''
                     '<div role="grid"><div role="row"><div role="columnheader">Location</div>'
                     '<div role="columnheader">Valid until</div></div>' + "".join(
                         f'<div role="row"><div role="gridcell"><slot name="a{n}"></slot></div>'
                         f'<div role="gridcell"><slot name="b{n}"></slot></div></div>' for n in (1, 2))
                     + "</div>';</script>",
    "divs": '<style>.r{display:flex}.r>div{width:160px}</style><div><div class="r"><div><b>Location</b></div>'
            "<div>Assignment</div><div><b>Valid until</b></div></div>"
            '<div class="r"><div>Berlin</div><div>Device</div><div>2027-01-01</div></div>'
            '<div class="r"><div>Hamburg</div><div>User</div><div>2027-02-02</div></div></div>',
    "headers-and-rows-apart": '<div role="grid"><table><tr><th style="width: 160px">Location</th>'
                              '<th style="width: 160px">Valid until</th></tr><tr><td><input aria-label="Filter">'
                              '</td><td></td></tr></table><table><tr><td style="width: 160px">Berlin</td>'
                              '<td style="width: 160px">2027-01-01</td></tr><tr><td>Hamburg</td><td>2027-02-02</td>'
                              "</tr></table></div>",
    "cards": "<ul>" + "".join(f"<li><h3>{name}</h3><dl><dt>Location</dt><dd>{name}</dd><dt>Valid until</dt>"
                              f"<dd>{date}</dd></dl><button>Edit</button></li>"
                              for name, date in (("Berlin", "2027-01-01"), ("Hamburg", "2027-02-02"))) + "</ul>",
    "cards-of-lines": "".join(f'<div><p>{name}</p><div><span>Location:</span> <span>{name}</span></div>'
                              f"<div><span>Valid until:</span> <span>{date}</span></div></div>"
                              for name, date in (("Berlin", "2027-01-01"), ("Hamburg", "2027-02-02"))),
}


@pytest.mark.parametrize("markup", TABLES.values(), ids=TABLES.keys())
def test_a_table_is_read_by_its_headers_whatever_its_markup(page: Page, markup: str) -> None:
    page.set_content(f'<p>Location</p><div hidden><span>Valid until</span></div>{markup}')
    assert read_rows(page.main_frame, COLUMNS) == [
        {"location_column": "Berlin", "valid_until_column": "2027-01-01"},
        {"location_column": "Hamburg", "valid_until_column": "2027-02-02"},
    ]


def test_a_document_still_without_a_body_is_waited_on_as_a_table_not_yet_shown(page: Page) -> None:
    """As a frame's next page loads, its document has no body for a moment: that is no error of the page's."""
    page.set_content("<p>Loading</p>")
    page.evaluate("document.body.remove()")
    assert not wait_for_rows(page.main_frame, COLUMNS, "rows => rows.length > 0", None, 200)


def test_a_table_without_the_location_column_names_each_row_s_location_by_its_account(page: Page) -> None:
    page.set_content("<table><tr><th>Account name</th><th>Valid until</th></tr>"
                     "<tr><td>Berlin</td><td>2027-01-01</td></tr></table>")
    columns = Columns({key: LABELS.exact(key) for key in ("name_column", "location_column", "valid_until_column")},
                      {"location_column": "name_column"})
    assert read_rows(page.main_frame, columns) == [
        {"name_column": "Berlin", "location_column": "Berlin", "valid_until_column": "2027-01-01"}]
    assert read_rows(page.main_frame, COLUMNS) is None, "a column not said to be optional is required"


def test_a_card_s_title_is_its_account_s_name_where_no_label_names_it(page: Page) -> None:
    page.set_content("".join(f"<article><h3>{name}</h3><p>Device assigned</p><dl><dt>Valid until</dt><dd>{date}</dd>"
                             "</dl></article>" for name, date in (("Berlin", "2027-01-01"), ("Hamburg", "2027-02-02"))))
    columns = Columns({key: LABELS.exact(key) for key in ("name_column", "location_column", "valid_until_column")},
                      {"location_column": "name_column"})
    assert read_rows(page.main_frame, columns) == [
        {"name_column": "Berlin", "location_column": "Berlin", "valid_until_column": "2027-01-01"},
        {"name_column": "Hamburg", "location_column": "Hamburg", "valid_until_column": "2027-02-02"}]
    page.set_content("<h1>Hamburg</h1><dl><dt>Valid until</dt><dd>2027-02-02</dd></dl>")
    assert read_rows(page.main_frame, columns) is None, "one account's own page is no list"
    page.set_content("<h1>App-Store accounts</h1><input aria-label=Search value=Hamburg><article><h2>Hamburg</h2>"
                     "<dl><dt>Valid until</dt><dd>2027-02-02</dd></dl></article>")
    assert read_rows(page.main_frame, columns) == [
        {"name_column": "Hamburg", "location_column": "Hamburg", "valid_until_column": "2027-02-02"}
    ], "the one card a search left is read under the page's own title"


def test_a_column_the_accounts_are_read_by_that_the_page_lacks_is_named_with_what_comes_close(page: Page) -> None:
    page.set_content("<table><tr><th>Konto</th><th>Valid until</th></tr><tr><td>Berlin</td><td>2027-01-01</td></tr>"
                     "</table>")
    with pytest.raises(PageNotAsExpected, match=r'the "Name" / "Account name" / .* column not found on .*; '
                                                r'did you mean "Konto" \(columnheader\)\? add it under '
                                                r"cortado\.name_column in ROBOT_LABELS_FILE"):
        CortadoFlow(page, timeout_ms=500).read_accounts()


PAGED = """<input type="search" aria-label="Search" {applied}="first = 0; show()">
<div role="grid"><div role="row"><div role="columnheader">Location</div><div role="columnheader">Valid until</div></div>
<div id="rows"></div></div>
<button aria-label="Previous page" onclick="turn(-1)">&lt;</button>
<button aria-label="Next page" onclick="turn(1)">&gt;</button>
<script>
  const all = ["A", "B", "C", "D", "E"]; let first = 0;
  function rows() { const q = document.querySelector("input").value; return all.filter(n => !q || n === q); }
  function show() {
    const shown = rows().slice(first, first + 2);
    document.getElementById("rows").innerHTML = shown.map(n =>
      `<div role="row"><div role="gridcell">${n}</div><div role="gridcell">2027-01-0${all.indexOf(n) + 1}</div></div>`
    ).join("");
    document.querySelector("[aria-label='Previous page']").disabled = first === 0;
    document.querySelector("[aria-label='Next page']").disabled = first + 2 >= rows().length;
  }
  function turn(by) { first += 2 * by; show(); }
  show();
</script>"""


@pytest.mark.parametrize("applied", ["oninput", "onchange"], ids=["as-typed", "on-enter"])
def test_every_page_of_a_paged_table_is_read_and_an_entry_is_found_by_search(page: Page, applied: str) -> None:
    """A search field filters as it is typed into, or only once Enter is pressed."""
    page.set_content(PAGED.replace("{applied}", applied))
    frame = page.main_frame
    pages = Pages(frame, LABELS, TIMEOUT_MS)
    seen: list[str] = []
    pages.every_page(lambda: seen.extend(row["location_column"] for row in read_rows(frame, COLUMNS) or []))
    assert seen == ["A", "B", "C", "D", "E"]
    assert pages.show(frame.get_by_text("D", exact=True), "D")
    assert [row["location_column"] for row in read_rows(frame, COLUMNS) or []] == ["D"]


def test_the_table_s_own_search_field_is_used_never_the_portal_s_search_beside_it(page: Page) -> None:
    """The portal's own search (a sidebar's) comes first on the page; the table's is labelled "Search:" beside it."""
    portal_search = '<aside><input aria-label="Search" onkeydown="location.hash = \'searched\'"></aside>'
    page.set_content(portal_search + "<section>" + PAGED.replace("{applied}", "oninput").replace(
        '<input type="search" aria-label="Search"', '<label>Search: <input type="search"').replace(
        '="first = 0; show()">', '="first = 0; show()"></label>').replace(
        'document.querySelector("input")', 'document.querySelector("input[type=search]")') + "</section>")
    frame = page.main_frame
    assert Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("D", exact=True), "D")


# A pager whose arrows are icons in list entries that carry the tooltips, greyed out at either end ({greyed}) and
# then doing nothing when clicked.
TOOLTIP_PAGER = """<div role="grid"><div role="row"><div role="columnheader">Location</div>
<div role="columnheader">Valid until</div></div><div id="rows"></div></div>
<ul><li title="Previous Page" onclick="turn(-1)"><button><span role="img" aria-label="left">
  <svg width="9" height="9"><path d="M6 1L2 5l4 4"/></svg></span></button></li>
<li title="Next Page" onclick="turn(1)"><button><span role="img" aria-label="right">
  <svg width="9" height="9"><path d="M2 1l4 4-4 4"/></svg></span></button></li></ul>
<script>
  const all = ["A", "B", "C", "D", "E"]; let first = 0;
  const atEnd = by => (by > 0 ? first + 2 >= all.length : first === 0);
  function turn(by) {
    if (!atEnd(by)) { first += 2 * by; show(); }
  }
  function show() {
    document.getElementById("rows").innerHTML = all.slice(first, first + 2).map(n =>
      `<div role="row"><div role="gridcell">${n}</div><div role="gridcell">2027-01-01</div></div>`).join("");
    for (const [title, by] of [["Previous Page", -1], ["Next Page", 1]]) {
      const el = document.querySelector(`[title='${title}']`), off = atEnd(by);
      {greyed}
    }
  }
  show();
</script>"""


@pytest.mark.parametrize("greyed", [
    "el.ariaDisabled = String(off);",  # as antd's
    "el.style.opacity = off ? '0.4' : ''; el.style.cursor = off ? 'default' : 'pointer';",  # faded, as PrimeFaces'
    "el.style.cursor = off ? 'not-allowed' : 'pointer';",
], ids=["aria-disabled", "faded", "not-allowed"])
def test_a_pager_whose_arrows_are_named_by_tooltips_is_walked_to_its_greyed_out_end(page: Page, greyed: str) -> None:
    page.set_content(TOOLTIP_PAGER.replace("{greyed}", greyed))
    frame, seen = page.main_frame, []
    started = time.monotonic()
    Pages(frame, LABELS, TIMEOUT_MS).every_page(
        lambda: seen.extend(row["location_column"] for row in read_rows(frame, COLUMNS) or []))
    assert seen == ["A", "B", "C", "D", "E"]
    assert time.monotonic() - started < TIMEOUT_MS / 1000, "the greyed-out arrow is not clicked and waited on"


# Pagers as a person reads them: arrows with no words and no role in the table's foot, where the header cells are
# the pager's too (the one at either end shows the default pointer, as plain text does); or ways on whose names go on
# with words for screen readers about the page they lead to. Above the table, the button of the section it is in,
# with a chevron of the pager's shape: it folds the section.
SECTION = """<button style="cursor: pointer" onclick="document.querySelector('table').hidden = true">Apps &amp; Books
  <span aria-hidden="true">&rsaquo;</span></button>"""
WORDLESS_PAGERS = {
    "arrows-in-the-foot": """<table><thead><tr><th>Location</th><th>Valid until</th></tr></thead><tbody id="rows">
      </tbody><tfoot><tr><th colspan="2"><span>Showing <b id="at"></b></span>
      <a onclick="turn(-1)">«</a> <a onclick="turn(1)">»</a></th></tr></tfoot></table>""",
    "words-about-the-page": """<table><thead><tr><th>Location</th><th>Valid until</th></tr></thead>
      <tbody id="rows"></tbody></table><nav><a href="#" onclick="turn(-1); return false">&lsaquo; Zurück
      <span style="position: absolute; clip: rect(0 0 0 0)">zur vorherigen Seite</span></a>
      <a href="#" onclick="turn(1); return false">Weiter <span style="position: absolute; clip: rect(0 0 0 0)">
      zur nächsten Seite</span> &rsaquo;</a></nav>""",
}
WORDLESS_SCRIPT = """<script>
  const all = ["A", "B", "C", "D", "E"]; let first = 0;
  const atEnd = by => (by > 0 ? first + 2 >= all.length : first === 0);
  function turn(by) { if (!atEnd(by)) { first += 2 * by; show(); } }
  function show() {
    document.getElementById("rows").innerHTML = all.slice(first, first + 2).map(n =>
      `<tr><td>${n}</td><td>2027-01-01</td></tr>`).join("");
    const at = document.getElementById("at");
    if (at) at.textContent = `${first + 1} to ${Math.min(first + 2, all.length)} of ${all.length}`;
    for (const [arrow, by] of [[/«|Zurück/, -1], [/»|Weiter/, 1]])
      [...document.querySelectorAll("a")].find(a => arrow.test(a.textContent)).style.cursor =
        atEnd(by) ? "default" : "pointer";
  }
  show();
</script>"""


@pytest.mark.parametrize("pager", list(WORDLESS_PAGERS))
def test_a_pager_s_way_on_is_found_by_its_arrow_or_by_the_start_of_its_name(page: Page, pager: str) -> None:
    page.set_content(SECTION + WORDLESS_PAGERS[pager] + WORDLESS_SCRIPT)
    frame, seen = page.main_frame, []
    pages = Pages(frame, LABELS, TIMEOUT_MS)
    pages.every_page(lambda: seen.extend(row["location_column"] for row in read_rows(frame, COLUMNS) or []))
    assert seen == ["A", "B", "C", "D", "E"]
    assert pages.show(frame.get_by_text("C", exact=True), "C"), "back to the first page, then on to C's"


def test_an_icon_named_only_by_its_tooltip_is_clicked(page: Page) -> None:
    page.set_content('<iframe title="Edit" srcdoc="a frame"></iframe><span title="Edit">Change the name</span>'
                     '<div onclick="void 0"><span id="it" title="Edit" style="display: inline-block; width: 16px; '
                     'height: 16px; background: gray"></span></div>')
    assert found_id(page, clickable(exact("Edit"))) == "it"


VIRTUAL = """<div role="grid"><div role="row"><span role="columnheader">Location</span>
<span role="columnheader">Valid until</span></div>
<div id="box" style="height: 90px; overflow: auto; position: relative"><div style="height: 300px"></div></div></div>
<script>
  const all = "ABCDEFGHIJ".split(""), box = document.getElementById("box"), shown = {shown};
  function draw() {{
    box.querySelectorAll("[role=row]").forEach(row => row.remove());
    const first = Math.floor(box.scrollTop / 30);
    all.slice(first, first + shown).forEach((name, k) => {{
      const row = document.createElement("div");
      row.setAttribute("role", "row");
      row.style = `position: absolute; top: ${{(first + k) * 30}}px; height: 30px`;
      row.innerHTML = `<span role="gridcell">${{name}}</span> <span role="gridcell">2027-01-01</span>`;
      box.append(row);
    }});
  }}
  box.addEventListener("scroll", draw);
  draw();
</script>"""


@pytest.mark.parametrize("shown", [4, 10], ids=["only-the-rows-in-view-drawn", "every-row-drawn"])
def test_a_list_is_scrolled_through_where_it_draws_only_the_rows_in_view(page: Page, shown: int) -> None:
    page.set_content(VIRTUAL.format(shown=shown))
    frame, views = page.main_frame, []
    Pages(frame, LABELS, TIMEOUT_MS).every_page(
        lambda: views.append([row["location_column"] for row in read_rows(frame, COLUMNS) or []]))
    assert list(dict.fromkeys(name for view in views for name in view)) == list("ABCDEFGHIJ")
    assert (len(views) == 1) == (shown == len("ABCDEFGHIJ")), "a list whose rows are all drawn is read once"
    assert Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("B", exact=True), "B"), "back up from the end"
    assert not Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("Z", exact=True), "Z")


def test_a_scrolling_part_of_the_page_whose_rows_are_all_drawn_is_read_at_once(page: Page) -> None:
    page.set_content('<div style="height: 90px; overflow: auto"><table><tr><th>Location</th><th>Valid until</th></tr>'
                     "<tr><td>A</td><td>2027-01-01</td></tr><tr><td>B</td><td>2027-01-01</td></tr></table>"
                     '<p style="height: 300px">Payment methods</p></div>')
    frame, views = page.main_frame, []
    started = time.monotonic()
    Pages(frame, LABELS, TIMEOUT_MS).every_page(lambda: views.append(read_rows(frame, COLUMNS)))
    assert len(views) == 1 and time.monotonic() - started < TIMEOUT_MS / 1000, "no waiting for rows that never come"


GROWING = """<table><tr><th>Location</th><th>Valid until</th></tr></table><button>Show more</button><script> {
  const names = "ABCDEFG".split(""), table = document.querySelector("table"), more = document.querySelector("button");
  function grow() {
    const shown = table.rows.length - 1;
    names.slice(shown, shown + 3).forEach(name => table.insertRow().innerHTML = `<td>${name}</td><td>2027-01-01</td>`);
    more.hidden = table.rows.length - 1 === names.length;
  }
  more.onclick = grow;
  grow();
} </script>"""


def test_a_list_that_grows_at_its_foot_is_read_whole_once_and_an_entry_found_in_it(page: Page) -> None:
    page.set_content(GROWING)
    frame, views = page.main_frame, []
    assert Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("E", exact=True), "E")
    page.set_content(GROWING)
    Pages(frame, LABELS, TIMEOUT_MS).every_page(
        lambda: views.append([row["location_column"] for row in read_rows(frame, COLUMNS) or []]))
    assert views == [list("ABCDEFG")]


def test_a_list_foot_that_counts_what_it_shows_is_grown_never_a_row_s_button_of_the_same_name(page: Page) -> None:
    page.set_content(GROWING.replace("<button>Show more</button>", "<button>Mehr <span>[ 3 / 7 ]</span></button>")
                     .replace("<td>2027-01-01</td>", "<td>2027-01-01</td><td><button onclick='window.menu = 1'>Mehr"
                                                     "</button></td>")
                     .replace("more.hidden =", "more.lastChild.textContent = `[ ${table.rows.length - 1} / 7 ]`;"
                                               " more.hidden ="))
    frame, views = page.main_frame, []
    Pages(frame, LABELS, TIMEOUT_MS).every_page(
        lambda: views.append([row["location_column"] for row in read_rows(frame, COLUMNS) or []]))
    assert views == [list("ABCDEFG")] and page.evaluate("window.menu") is None


LEFT_BY_BACK = """<button onclick="document.body.innerHTML = '<table><tr><th>Home</th></tr></table>'">Zurück</button>
<table><tr><th>Location</th><th>Valid until</th></tr><tr><td>A</td><td>2027-01-01</td></tr></table>"""


def test_an_app_s_back_named_as_a_pager_s_previous_is_gone_back_from(page: Page) -> None:
    visit(page, {"/accounts": LEFT_BY_BACK}, "/accounts")
    frame, views = page.main_frame, []
    Pages(frame, LABELS, TIMEOUT_MS).every_page(
        lambda: views.append([row["location_column"] for row in read_rows(frame, COLUMNS) or []]))
    assert views == [["A"]] and page.url == f"{SITE}/accounts"


# The pager above turned into one that wraps around, its buttons never disabled.
WRAPPING = """() => {
  window.turn = by => { first = (first + 2 * by + 6) % 6; show(); };
  const drawn = show;
  window.show = () => { drawn(); document.querySelectorAll('button').forEach(button => { button.disabled = false; }); };
  show();
}"""


@pytest.mark.parametrize("wraps", [False, True], ids=["ends", "wraps-around"])
def test_an_entry_on_a_later_page_is_reached_through_the_pager(page: Page, wraps: bool) -> None:
    """From a later page; a pager may wrap around from its first page to its last."""
    page.set_content(PAGED.replace('<input type="search" aria-label="Search" {applied}="first = 0; show()">',
                                   '<input type="hidden" value="">'))
    frame = page.main_frame
    if wraps:
        page.evaluate(WRAPPING)
    page.get_by_role("button", name="Next page").click()
    assert Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("E", exact=True), "E")
    assert not Pages(frame, LABELS, TIMEOUT_MS).show(frame.get_by_text("Z", exact=True), "Z")


def entry_action(page: Page, name: str) -> str | None:
    return in_entry(page.main_frame, name, step="test", labels=LABELS, key="edit",
                    timeout_ms=TIMEOUT_MS).get_attribute("id")


def test_a_row_s_own_button_is_taken_and_a_toolbar_s_where_rows_have_none(page: Page) -> None:
    page.set_content('<table><tr><td>Berlin</td><td><button id="b" aria-label="Edit">✎</button></td></tr>'
                     '<tr><td>Berlin Mitte</td><td><button id="m" aria-label="Edit">✎</button></td></tr></table>')
    assert entry_action(page, "Berlin") == "b"
    page.set_content('<div><span id="t" onclick="void 0">Edit</span></div>'
                     "<table><tr><td>Berlin</td></tr><tr><td>Hamburg</td></tr></table>")
    assert entry_action(page, "Hamburg") == "t"


def test_a_row_s_icon_button_named_after_its_entry_is_taken_never_the_column_header(page: Page) -> None:
    page.set_content('<div role="grid"><div role="row"><span role="columnheader">Account</span>'
                     '<span role="columnheader">Edit</span></div>'
                     '<div role="row"><span role="gridcell">Berlin</span><span role="gridcell">'
                     '<button id="b" aria-label="Edit account Berlin">✎</button></span></div>'
                     '<div role="row"><span role="gridcell">Köln</span><span role="gridcell">'
                     '<button id="k" title="Edit Köln"><i></i></button></span></div></div>')
    assert entry_action(page, "Berlin") == "b" and entry_action(page, "Köln") == "k"
    page.set_content('<div><button id="e">Edit</button><button>Edit columns</button><button>Editor</button></div>'
                     "<table><tr><th>Edit</th></tr><tr><td>Berlin</td></tr></table>")
    assert entry_action(page, "Berlin") == "e", "of the toolbar's two, the one named by the label alone"


def test_a_button_is_one_action_with_the_text_inside_it(page: Page) -> None:
    page.set_content('<table><tr><td>Berlin</td><td><button id="b"><i></i><span>Edit</span></button></td></tr>'
                     '<tr><td>Köln</td><td><button><span>Edit</span></button></td></tr></table>')
    assert entry_action(page, "Berlin") == "b"


MENU = """<div><button aria-label="Account" aria-haspopup="menu">A</button></div><table>{rows}</table>
<script>
  function more(button) {{
    const menu = document.createElement("div");
    menu.setAttribute("role", "menu");
    menu.innerHTML = '<div role="menuitem" id="edit-' + button.dataset.row + '">Edit</div>'
                   + '<div role="menuitem">Delete</div>';
    document.body.append(menu);
  }}
</script>"""
ROW = ('<tr><td>{name}</td><td><button aria-label="More actions" data-row="{name}" onclick="more(this)">⋮</button>'
       "</td></tr>")
# A row's menu as an admin grid's "Select ▾" in its Action column, marked as nothing else.
SELECT_ROW = '<tr><td>{name}</td><td><button data-row="{name}" onclick="more(this)">Select ▾</button></td></tr>'


@pytest.mark.parametrize(("shown", "row"), [
    (["Berlin", "Köln"], ROW), (["Köln"], ROW), (["Berlin", "Köln"], SELECT_ROW),
], ids=["every-row", "one-row-found-by-search", "a-select-button"])
def test_a_row_s_action_behind_its_own_menu_is_taken_from_that_menu(page: Page, shown: list[str], row: str) -> None:
    page.set_content(MENU.format(rows="".join(row.format(name=name) for name in shown)))
    assert entry_action(page, "Köln") == "edit-Köln"


def test_an_action_that_another_part_of_the_page_is_drawn_over_is_not_on_show(page: Page) -> None:
    """A batch bar's Edit that waits behind the table's title until rows are ticked is no way to edit a row."""
    behind = ('<div style="position: relative; height: 48px"><button disabled style="position: absolute">Edit</button>'
              '<div style="position: absolute; inset: 0; background: white">App-Store accounts</div></div>')
    page.set_content(behind + MENU.format(rows=ROW.format(name="Köln")))
    assert entry_action(page, "Köln") == "edit-Köln"


def test_a_row_s_action_that_shows_only_under_the_pointer_is_taken_from_that_row(page: Page) -> None:
    page.set_content("<style>tr a { visibility: hidden } tr:hover a { visibility: visible }</style><table>"
                     + "".join(f'<tr><td>{name}</td><td><a id="edit-{name}" href="#">Edit</a></td></tr>'
                               for name in ("Berlin", "Köln")) + "</table>")
    page.get_by_text("Berlin", exact=True).hover()  # the row acted on before
    assert entry_action(page, "Köln") == "edit-Köln"


def test_a_row_drawn_in_parts_side_by_side_has_its_action_in_its_line(page: Page) -> None:
    """A grid that draws a row's pinned columns apart from the rest: each part of every row in a container of its
    own, the row's parts in one line."""
    rows = ("Berlin", "Hamburg", "Köln")
    page.set_content('<div style="display: flex"><div>' + "".join(f'<div style="height: 32px">{name}</div>'
                                                                  for name in rows)
                     + '</div><div>' + "".join(f'<div style="height: 32px"><button id="edit-{name}" '
                                               'aria-label="Edit">✎</button></div>' for name in rows) + "</div></div>")
    assert entry_action(page, "Hamburg") == "edit-Hamburg"


def test_a_row_s_action_in_its_details_folded_under_it_is_taken_once_they_are_unfolded(page: Page) -> None:
    page.set_content("<table>" + "".join(
        f'<tr><td><button aria-label="Expand row" aria-expanded="false" onclick="unfold(this, \'{name}\')">'
        f"&rsaquo;</button></td><td>{name}</td></tr>" for name in ("Berlin", "Köln")) + """</table>
        <script>
          function unfold(button, name) {
            button.setAttribute("aria-expanded", "true");
            button.closest("tr").insertAdjacentHTML("afterend",
              `<tr><td colspan="2">Apps: Teams <button id="edit-${name}">Edit</button></td></tr>`);
          }
        </script>""")
    assert entry_action(page, "Köln") == "edit-Köln"


def test_a_heading_that_repeats_the_entry_s_name_is_no_second_entry(page: Page) -> None:
    page.set_content("<table><tr><td>Berlin</td></tr><tr><td>Köln</td></tr></table>"
                     '<section><h2>Berlin</h2><p>Valid until 2027-01-01</p><button id="e">Edit</button></section>')
    assert entry_action(page, "Berlin") == "e"


def test_the_name_outside_the_table_beside_its_row_s_is_no_second_entry(page: Page) -> None:
    page.set_content('<p>Active filters: Keyword: <span>Berlin</span> <button>Clear all</button></p><table>'
                     '<tr><td>Berlin</td><td><button id="e">Edit</button></td></tr>'
                     '<tr><td>Berlin Mitte</td><td><button>Edit</button></td></tr></table>')
    assert entry_action(page, "Berlin") == "e"


def test_the_name_twice_in_one_row_is_one_entry(page: Page) -> None:
    page.set_content('<button id="e">Edit</button><table><tr><th>Account</th><th>Location</th></tr>'
                     "<tr><td>Berlin</td><td>Berlin</td></tr><tr><td>Köln</td><td>Köln</td></tr></table>")
    assert entry_action(page, "Berlin") == "e"
    page.set_content('<button id="e">Edit</button><div style="display: flex; gap: 2em"><span>Berlin</span>'
                     "<span>Acme</span><span>Berlin</span></div><div>Köln</div>")
    assert entry_action(page, "Berlin") == "e", "one line of a table drawn without table markup"


@pytest.mark.parametrize("rows", ["<table><tr><td>Berlin</td><td><button>Edit</button></td></tr>"
                                  "<tr><td>Berlin</td><td><button>Edit</button></td></tr></table>",
                                  "<button>Edit</button><div>Berlin</div><div>Berlin</div>"],
                         ids=["rows", "lines"])
def test_two_entries_with_the_name_are_never_chosen_between(page: Page, rows: str) -> None:
    page.set_content(rows)
    with pytest.raises(PageNotAsExpected, match='2 entries named exactly "Berlin"'):
        entry_action(page, "Berlin")


def test_only_a_no_beside_a_yes_and_a_question_answers_the_question(page: Page) -> None:
    page.set_content('<table><tr><td>Mandatory</td><td id="cell">No</td><td>Yes</td></tr></table>'
                     '<div><p>Apply the settings to every app?</p><span>Yes</span> <span id="it">No</span></div>')
    assert page.locator("#it").evaluate(ASKS)
    assert not page.locator("#cell").evaluate(ASKS)


def test_a_question_whose_answers_are_images_is_recognised_by_their_alt_text(page: Page) -> None:
    page.set_content('<div><p>Apply the settings to every app?</p><a href="#"><img alt="Yes"></a> '
                     '<a id="it" href="#"><img alt="No"></a></div>')
    assert page.locator("#it").evaluate(ASKS)


def test_a_question_left_open_is_answered_no_and_a_no_in_a_table_is_left_alone(page: Page) -> None:
    page.set_content('<table><tr><td>Mandatory</td><td><button onclick="window.clicked=\'cell\'">No</button></td>'
                     '</tr></table><div id="q"><p>Apply the settings to every app?</p>'
                     '<button onclick="window.clicked=\'yes\'">Yes</button>'
                     '<button onclick="window.clicked=\'no\'; this.parentElement.hidden=true">No</button></div>')
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)

    assert flow.answer_open_question()
    assert page.evaluate("window.clicked") == "no" and not page.locator("#q").is_visible()
    assert not flow.answer_open_question(), "no question left, and the table's No is no answer"
    assert page.evaluate("window.clicked") == "no"


@pytest.mark.parametrize("mandatory", ["", '<td><button onclick="window.answers.push(\'cell\')">No</button></td>'],
                         ids=["plain-row", "a-no-in-the-row"])
def test_a_form_drawn_anew_as_the_token_is_typed_is_saved_once_with_its_new_ok(page: Page, mandatory: str) -> None:
    """A portal may draw its form again as a field is typed into, so the OK found when the form opened is gone by
    the time it is clicked: the OK on show is clicked instead, once, and the question answered No, also where a
    No in the table shows before the question's."""
    page.set_content(f"""
        <table><tr><th>Name</th><th>Location</th><th>Valid until</th></tr>
          <tr><td>Account A</td><td>Berlin</td><td>2026-12-01</td>{mandatory}</tr></table>
        <button onclick="document.getElementById('form').hidden = false">Edit</button>
        <div id="form" hidden><p>Account A</p><label>Server token <textarea id="token"></textarea></label>
          <span id="buttons"><button onclick="save()">OK</button></span></div>
        <div id="question" hidden><p>Apply the settings to every app?</p>
          <button onclick="window.answers.push('yes')">Yes</button>
          <button onclick="window.answers.push('no'); this.parentElement.hidden = true">No</button></div>
        <script>
          window.saved = []; window.answers = [];
          document.getElementById('token').addEventListener('input', () => {{
            document.getElementById('buttons').innerHTML = '<button onclick="save()">OK</button>';
          }});
          function save() {{
            window.saved.push(document.getElementById('token').value);
            document.getElementById('form').hidden = true;
            document.getElementById('question').hidden = false;
          }}
        </script>""")

    CortadoFlow(page, timeout_ms=TIMEOUT_MS).replace_token("Berlin", "new token")

    assert page.evaluate("[window.saved, window.answers]") == [["new token"], ["no"]]


# A list report whose rows lead to each account's own page (title, its facts, Edit), as Fiori's do.
ACCOUNT_PAGES = """<nav><a href="#/accounts">App-Store accounts</a></nav><main id="view"></main>
<script>
  const accounts = {"Berlin": "2026-12-01", "Hamburg": "2027-03-01"};
  window.saved = []; window.answers = [];
  const view = document.getElementById('view');
  function route() {
    const name = decodeURIComponent(location.hash.replace('#/account/', ''));
    if (!(name in accounts)) {
      view.innerHTML = '<table><tr><th>Name</th><th>Valid until</th></tr>' + Object.entries(accounts).map(
        ([n, d]) => `<tr onclick="location.hash = '#/account/${n}'"><td>${n}</td><td>${d}</td></tr>`).join('')
        + '</table>';
      return;
    }
    view.innerHTML = `<h1>${name}</h1><p>Valid until</p><p>${accounts[name]}</p>
      <button onclick="edit('${name}')">Edit</button>`;
  }
  function edit(name) {
    view.innerHTML = `<h1>${name} (editing)</h1><label>Account name <input value="${name}"></label>
      <label>Server token <textarea id="token">old</textarea></label><button onclick="save('${name}')">OK</button>
      <button onclick="route()">Cancel</button>`;
  }
  function save(name) {
    window.saved.push(document.getElementById('token').value);
    view.innerHTML = `<div role="dialog"><p>Apply the settings to every app?</p>
      <button onclick="window.answers.push('yes')">Yes</button>
      <button onclick="window.answers.push('no'); accounts['${name}'] = '2027-11-27'; route()">No</button></div>`;
  }
  window.addEventListener('hashchange', route); route();
</script>"""


# The page's own tabs (the way to the accounts only beside the table), and a table whose rows lead to each account's
# record: itself the edit form (no Edit), its title the account's name and its state, its Valid until a field, and
# tabs of its own, one named as the page's (Apps), the token field on the last, as Dynamics 365's records are.
RECORD_FORMS = """<div role="tablist"><span role="tab" onclick="window.left = true">Apps</span>
  <span id="accounts" role="tab" onclick="location.hash = '#/accounts'">App-Store accounts</span></div>
<main id="view"></main>
<script>
  const accounts = {"Berlin": "2026-12-01", "Hamburg": "2027-03-01"};
  window.saved = []; window.answers = []; window.left = false;
  const view = document.getElementById('view');
  function route() {
    const name = decodeURIComponent(location.hash.replace('#/account/', ''));
    document.getElementById('accounts').hidden = name in accounts;
    if (!(name in accounts)) {
      view.innerHTML = '<table><tr><th>Name</th><th>Valid until</th></tr>' + Object.entries(accounts).map(
        ([n, d]) => `<tr><td><a href="#/account/${n}">${n}</a></td><td>${d}</td></tr>`).join('') + '</table>';
      return;
    }
    view.innerHTML = `<button onclick="save('${name}')">Save</button><h1>${name} - Saved</h1>
      <div role="tablist"><span role="tab" onclick="show(0)">General</span><span role="tab" onclick="show(1)">Apps
      </span><span role="tab" onclick="show(2)">Token</span></div>
      <div class="panel"><label>Valid until</label> <span>${accounts[name]}</span></div>
      <div class="panel" hidden><p>Keynote: mandatory</p></div>
      <div class="panel" hidden><label for="token">Server token</label><textarea id="token">old</textarea></div>`;
  }
  function show(shown) {
    document.querySelectorAll('.panel').forEach((panel, i) => { panel.hidden = i !== shown; });
  }
  function save(name) {
    window.saved.push(document.getElementById('token').value);
    view.insertAdjacentHTML('beforeend', `<div id="question"><p>Apply the settings to every app?</p>
      <button onclick="window.answers.push('yes')">Yes</button>
      <button onclick="window.answers.push('no'); accounts['${name}'] = '2027-11-27'; route()">No</button></div>`);
  }
  window.addEventListener('hashchange', route); route();
</script>"""


@pytest.mark.parametrize("pages", [ACCOUNT_PAGES, RECORD_FORMS], ids=["with-its-edit", "itself-the-form-with-tabs"])
def test_a_row_that_leads_to_the_account_s_own_page_is_edited_there_and_the_table_gone_back_to(
        page: Page, pages: str) -> None:
    """The account's own page has an Edit, or is itself the form, the token field on a tab of the form's own."""
    visit(page, {"/admin": pages}, "/admin#/accounts")
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)

    flow.replace_token("Hamburg", "new token")
    shown = flow.wait_for_valid_until("Hamburg", re.compile(r"2027-11-27"))

    assert page.evaluate("[window.saved, window.answers]") == [["new token"], ["no"]]
    assert shown == "2027-11-27" and page.url.endswith("#/accounts")
    assert flow.installed_token("Berlin") == "old", "the next account is found in the table again, nothing saved"
    assert page.evaluate("[window.saved.length, window.left || false]") == [1, False], "the page's own tabs left alone"


# The edit form a page of its own in an iframe of a dialog, which goes with the iframe; the question on the page.
IFRAME_DIALOG = {
    "/accounts": """<table><tr><th>Name</th><th>Valid until</th></tr><tr><td>Berlin</td><td>2026-12-01</td>
      <td><button onclick="edit()">Edit</button></td></tr></table>
      <script>
        window.saved = []; window.answers = [];
        function edit() { document.body.insertAdjacentHTML('beforeend',
          '<div id="dialog" role="dialog"><iframe src="/edit" width="400" height="300"></iframe></div>'); }
        function closeDialog() { document.getElementById('dialog').remove(); }
        function save(token) {
          window.saved.push(token); closeDialog();
          document.body.insertAdjacentHTML('beforeend', '<div><p>Apply the settings to all apps?</p>'
            + '<button>Yes</button><button onclick="answers.push(`no`); this.parentElement.remove()">No</button>'
            + '</div>');
        }
      </script>""",
    "/edit": """<p>Account: Berlin</p><label for="token">Server token</label><textarea id="token">old</textarea>
      <button onclick="parent.save(document.getElementById('token').value)">Save</button>
      <button onclick="parent.closeDialog()">Cancel</button>""",
}


def test_an_edit_form_in_a_dialog_s_iframe_is_filled_and_cancelled_there(page: Page) -> None:
    visit(page, IFRAME_DIALOG, "/accounts")
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)

    assert flow.installed_token("Berlin") == "old"
    flow.replace_token("Berlin", "new token")

    assert page.evaluate("[window.saved, window.answers]") == [["new token"], ["no"]]


# An Edit in each row that leads to an edit page of its own, which has no Cancel: a person goes back to the table.
EDIT_PAGES = {
    "/accounts": """<nav><a href="/accounts">App-Store accounts</a></nav><table><tr><th>Name</th><th>Valid until</th>
      </tr><tr><td>Berlin</td><td>2026-12-01</td><td><a href="/edit/Berlin">Edit</a></td></tr></table>""",
    "/edit/Berlin": """<nav><a href="/accounts">App-Store accounts</a></nav><h1>Account: Berlin</h1>
      <label for="token">Server token</label><textarea id="token">old</textarea><button>Save</button>""",
}


def test_an_edit_page_of_its_own_with_no_cancel_is_left_for_the_table(page: Page) -> None:
    visit(page, EDIT_PAGES, "/accounts")

    assert CortadoFlow(page, timeout_ms=TIMEOUT_MS).installed_token("Berlin") == "old"
    assert page.url.endswith("/accounts")


# An edit form whose sections fold: General open (the account's name in a box of its own), the Server token section
# folded under a title that is no button, as Magento's admin forms are.
FOLDED_SECTIONS = """<table><tr><th>Name</th><th>Valid until</th></tr><tr><td>Berlin</td><td>2026-12-01</td>
  <td><button onclick="edit()">Edit</button></td></tr></table>
<script>
  window.saved = []; window.answers = [];
  function edit() { document.body.insertAdjacentHTML('beforeend', `<form id="form" onsubmit="return false">
    <fieldset><div onclick="fold('general')">General</div><div id="general">
      <label for="name">Account name</label><input id="name" value="Berlin"></div></fieldset>
    <fieldset><div onclick="fold('server')">Server token</div><div id="server" hidden>
      <label for="token">Server token</label><textarea id="token">old</textarea></div></fieldset>
    <button onclick="save()">OK</button><button onclick="this.form.remove()">Cancel</button></form>`); }
  function fold(part) { const el = document.getElementById(part); el.hidden = !el.hidden; }
  function save() {
    window.saved.push([document.getElementById('name').value, document.getElementById('token').value]);
    document.getElementById('form').remove();
    document.body.insertAdjacentHTML('beforeend', '<div><p>Apply the settings to all apps?</p><button>Yes</button>'
      + '<button onclick="answers.push(`no`); this.parentElement.remove()">No</button></div>');
  }
</script>"""


def test_a_field_in_a_folded_section_titled_as_it_is_unfolded_never_the_box_of_another_section(page: Page) -> None:
    page.set_content(FOLDED_SECTIONS)
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)

    assert flow.installed_token("Berlin") == "old"
    flow.replace_token("Berlin", "new token")

    assert page.evaluate("[window.saved, window.answers]") == [[["Berlin", "new token"]], ["no"]]


# Ways to the accounts a person finds: a navigation that folds what it has no room for into a "More" menu (with a
# text for screen readers), or folds itself behind a menu button; an entry that holds its folded submenu, so that
# its text as a whole is more than the words it shows; a dashboard whose tile repeats a menu entry's words, before
# a navigation of plain elements that show the pointer.
WAYS = {
    "folded-into-more": """<nav><a href="#">Apps</a>
      <button aria-haspopup="true" onclick="document.getElementById('more').hidden = false">More
        <span style="position: absolute; clip: rect(0 0 0 0)">Show more navigation items</span></button>
      <ul id="more" hidden><li><a href="#" onclick="accounts()">App-Store accounts</a></li></ul></nav><main></main>""",
    "behind-a-menu-button": """<header><button aria-label="Toggle navigation" aria-expanded="false"
      onclick="document.querySelector('nav').hidden = false">☰</button></header>
      <nav hidden><a href="#">Apps</a><a href="#" onclick="accounts()">App-Store accounts</a></nav><main></main>""",
    "a-menu-entry-holding-its-submenu": """<nav><div style="cursor: pointer"
      onclick="this.querySelector('div').style.display = 'block'">Administration <span>▾</span>
      <div style="display: none"><a href="#">Administrators</a> <a href="#" onclick="accounts()">App-Store accounts</a>
      </div></div></nav><main></main>""",
    "under-the-pointer": """<main><div><span>App-Store accounts</span> <b>12</b></div></main>
      <div style="cursor: pointer" onclick="document.getElementById('admin').hidden = false">Administration</div>
      <div id="admin" hidden><div style="cursor: pointer" onclick="accounts()">App-Store accounts</div></div>""",
}
ACCOUNTS = """<script>
  function accounts() { document.querySelector('main').innerHTML =
    '<table><tr><th>Name</th><th>Valid until</th></tr><tr><td>Berlin</td><td>2026-12-01</td></tr></table>'; }
</script>"""


@pytest.mark.parametrize("way", list(WAYS))
def test_the_way_to_the_accounts_is_found_folded_into_a_more_menu_or_under_the_pointer(page: Page, way: str) -> None:
    page.set_content(WAYS[way] + ACCOUNTS)
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)
    started = time.monotonic()

    flow.open_accounts()

    assert time.monotonic() - started < TIMEOUT_MS / 1000, "a folded way on is unfolded at once, not after waiting"
    assert [account.location for account in flow.read_accounts()] == ["Berlin"]


# A portal that, once signed into, shows its navigation folded behind a menu button.
FOLDED_AFTER_SIGN_IN = """<form onsubmit="signedIn(); return false"><label>Username <input></label>
<label>Password <input type="password"></label><button>Log in</button></form>
<script>
  function signedIn() { document.body.innerHTML = '<header><button aria-label="Open menu" aria-expanded="false">'
    + '☰</button></header><nav hidden><a href="#">Administration</a></nav>'; }
</script>"""


def test_a_portal_that_shows_the_button_its_menu_is_folded_behind_is_signed_into(page: Page) -> None:
    page.goto("data:text/html," + quote(FOLDED_AFTER_SIGN_IN))
    assert CortadoFlow(page, timeout_ms=TIMEOUT_MS).sign_in(page.url, "admin", "secret")


# Units in a list; the selected one's details and its one Download in a pane beside it, drawn a moment later.
MASTER_DETAIL = """<div role="listbox"><div role="option" onclick="pick('Berlin')"><span>Berlin</span></div>
  <div role="option" onclick="pick('Hamburg')"><span>Hamburg</span></div>
  <div role="option" onclick="pick('München')"><span>München</span></div></div>
<section id="pane" style="margin-top: 40px"></section>
<script>
  function pick(name) {
    setTimeout(() => document.getElementById('pane').innerHTML =
      `<h2>${name}</h2><p>Content token</p><button data-unit="${name}">Download</button>`, 300);
  }
</script>"""


def test_a_unit_s_one_download_is_taken_once_the_unit_is_selected_never_the_one_of_the_unit_before(
        page: Page) -> None:
    page.set_content(MASTER_DETAIL)
    frame = page.main_frame

    def download(name: str) -> str | None:
        return in_entry(frame, name, step="test", labels=ABM_LABELS, key="download", timeout_ms=TIMEOUT_MS,
                        select=True).get_attribute("data-unit")

    assert download("Berlin") == "Berlin"
    assert download("München") == "München", "the pane still showed Berlin's Download when München was chosen"


# The accounts in the main window; the edit form, and then the question, in a window of its own.
OPENER = """<table><tr><th>Name</th><th>Valid until</th></tr>
<tr><td>Berlin</td><td id="date">2026-12-01</td><td><a href="#" onclick="window.open('/edit', 'edit',
'width=500,height=400'); return false">Edit</a></td></tr></table>"""
POPUP = """<p>Account: Berlin</p><label>Server token <textarea id="token">old</textarea></label>
<button onclick="ask()">OK</button><button onclick="window.close()">Cancel</button>
<script>
  function ask() {
    window.opener.saved = document.getElementById('token').value;
    document.body.innerHTML = '<p>Apply the settings to every app?</p><button>Yes</button>'
      + '<button onclick="window.opener.document.getElementById(\\'date\\').textContent = \\'2027-11-27\\';'
      + ' window.close()">No</button>';
  }
</script>"""


def test_a_unit_s_download_in_its_own_menu_is_taken_without_selecting_the_unit(page: Page) -> None:
    """The menu is drawn at the end of the page, away from the unit, and closes on any click elsewhere."""
    page.set_content('<ul aria-label="Organizational Units">' + "".join(
        f'<li><span>{name}</span> <button aria-label="More" aria-haspopup="menu" data-unit="{name}" '
        'onclick="event.stopPropagation(); more(this)">…</button></li>' for name in ("Berlin", "Köln")) + """</ul>
        <script>
          function more(button) {
            const menu = document.createElement("div");
            menu.setAttribute("role", "menu");
            menu.innerHTML = `<div role="menuitem" data-unit="${button.dataset.unit}">Download</div>`;
            document.body.append(menu);
          }
          document.addEventListener("click", () => document.querySelectorAll("[role=menu]").forEach(m => m.remove()));
        </script>""")
    found = in_entry(page.main_frame, "Köln", step="test", labels=ABM_LABELS, key="download", timeout_ms=TIMEOUT_MS,
                     select=True)
    assert found.get_attribute("data-unit") == "Köln"


def test_an_edit_form_in_a_window_of_its_own_is_filled_and_answered_there(page: Page) -> None:
    visit(page, {"/accounts": OPENER, "/edit": POPUP}, "/accounts")
    flow = CortadoFlow(page, timeout_ms=TIMEOUT_MS)

    assert flow.installed_token("Berlin") == "old"
    flow.replace_token("Berlin", "new token")

    assert page.evaluate("window.saved") == "new token"
    assert flow.wait_for_valid_until("Berlin", re.compile("2027-11-27")) == "2027-11-27"
    assert page.context.pages == [page], "the window closed itself once answered"


# An account menu that offers both names of the way to the tokens; only Settings leads to Payments.
TWO_NAMES = """<nav><a href="#">Activity</a> <a href="#">Devices</a></nav>
<div role="menu"><div role="menuitem" onclick="show('prefs')">Preferences</div>
<div role="menuitem" onclick="show('settings')">Settings</div></div><main id="view"></main>
<script>
  const view = document.getElementById('view');
  function show(what) {
    view.innerHTML = {
      prefs: '<h1>Preferences</h1><p>Language: English</p>',
      settings: `<a href="#" onclick="show('payments')">Payments &amp; Billing</a>`,
      payments: `<h2>Payments &amp; Billing</h2><p>Purchases</p>
                 <a href="#" onclick="show('tokens')">Apps &amp; Books</a><p>Invoices</p>`,
      tokens: '<table><tr><td>Berlin</td><td><button>Download</button></td></tr></table>',
    }[what];
  }
</script>"""


def test_of_two_ways_named_alike_the_current_name_is_taken(page: Page) -> None:
    page.set_content(TWO_NAMES)
    AbmFlow(page, timeout_ms=TIMEOUT_MS).open_token_list()
    assert page.get_by_role("button", name="Download").is_visible()
