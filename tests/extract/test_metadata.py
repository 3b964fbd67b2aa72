"""Metadata of the HTML path: title choice, visible bylines, JSON-LD author references, page types."""

from __future__ import annotations

import json

import pytest

import newsdesk
from newsdesk.extract.authors import byline_names, clean_authors

PROSE = "".join(
    f"<p>The harbour committee met on Tuesday to weigh the repair plan, paragraph {i}, and agreed that the "
    "bridge would reopen once the last inspection had been signed off by the engineers.</p>"
    for i in range(8)
)


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("head", "h1s", "title"),
    [
        pytest.param("<meta property='og:title' content='Bridge reopens - SEO words'>", ["Bridge reopens after repairs"],
                     "Bridge reopens after repairs", id="h1-over-og-title"),
        pytest.param("<meta property='og:site_name' content='Harbour Times'><title>Bridge reopens after repairs | Harbour Times</title>",
                     ["Harbour Times", "Bridge reopens after repairs"], "Bridge reopens after repairs", id="site-name-h1-skipped"),
        pytest.param("<title>Bridge reopens after repairs</title>", ["Menu"], "Bridge reopens after repairs", id="unrelated-h1-ignored"),
        pytest.param("<meta property='og:title' content='Tools &amp;#x26; tips for you'>", [], "Tools & tips for you", id="double-escaped"),
        pytest.param("<title>Bridge reopens: what changes</title>", ["Bridge reopens:<br>what <b>changes</b>"],
                     "Bridge reopens: what changes", id="line-break-in-h1"),
    ],
)
def test_title_choice(head: str, h1s: list[str], title: str) -> None:
    body = "".join(f"<h1>{h}</h1>" for h in h1s) + PROSE
    assert newsdesk.extract(_page(head, body)).title == title


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Posted by Jane Doe on Friday December 19, 2025", ["Jane Doe"]),
        ("By Jane Doe, Home Security Expert", ["Jane Doe"]),
        ("By Jane Doe, Tom Baker and Ann Lee", ["Jane Doe", "Tom Baker", "Ann Lee"]),
        ("Written by: Jane Doe | 4 min read", ["Jane Doe"]),
        ("By the way, this is a sentence", []),
        ("Jane Doe", []),  # no byline word: not read from running text
    ],
)
def test_byline_names(line: str, names: list[str]) -> None:
    assert byline_names(line) == names


def test_byline_names_from_author_element() -> None:
    assert byline_names("Jane Doe", prefixed=False) == ["Jane Doe"]
    assert byline_names("Sat, 20 Dec, 2025 - 06:36", prefixed=False) == []


def test_credentials_are_not_names() -> None:
    assert clean_authors(["Jane Doe, PhD", "Ann Lee, CFP"]) == ["Jane Doe", "Ann Lee"]


def test_visible_byline_when_no_structured_author() -> None:
    body = "<h1>Bridge reopens after repairs</h1><p>By Jane Doe</p>" + PROSE
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == ["Jane Doe"]


def test_no_author_invented() -> None:
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE
    head = "<title>Bridge reopens after repairs</title><meta property='og:site_name' content='Harbour Times'>"
    assert newsdesk.extract(_page(head, body)).authors == []


def test_json_ld_author_reference() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Bridge reopens after repairs", "author": {"@id": "#jane"}},
        {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
    ]}
    head = f"<script type='application/ld+json'>{json.dumps(graph)}</script>"
    assert newsdesk.extract(_page(head, "<h1>Bridge reopens after repairs</h1>" + PROSE)).authors == ["Jane Doe"]


def test_story_is_article_and_shop_is_not() -> None:
    story = _page("<meta property='og:type' content='article'><meta property='article:published_time' content='2021-03-08'>",
                  "<h1>Bridge reopens after repairs</h1><p>By Jane Doe</p>" + PROSE)
    assert newsdesk.extract(story, url="https://news.example/2021/03/08/bridge-reopens-after-repairs").page_type == "article"
    grid = "".join(
        f"<div class='item'><a href='/p/{i}'>Garden chair model {i}</a><span>$ {i}9.99</span>"
        f"<form><input name='qty'><button>Add to cart</button></form></div>" for i in range(30)
    )
    shop = _page("<meta property='og:type' content='website'>", grid)
    assert newsdesk.extract(shop, url="https://shop.example/shop/garden-chairs?page=2").page_type != "article"


# --- publication dates ------------------------------------------------------------------

from newsdesk.extract.dates import find_dates  # noqa: E402
from newsdesk.extract.pubdate import Seen, choose, label_of  # noqa: E402


@pytest.mark.parametrize(
    ("text", "days"),
    [
        pytest.param("Mental HealthDECEMBER 22, 2022Updated: JANUARY 02, 2026", ["2022-12-22", "2026-01-02"], id="glued"),
        pytest.param("Last Updated: December 15th 2025", ["2025-12-15"], id="ordinal"),
        pytest.param("29th August, 2023", ["2023-08-29"], id="day-first-ordinal"),
        pytest.param("By: Jane Doe on 04-ago-2021 5:11:10", ["2021-08-04"], id="spanish-month"),
        pytest.param("19. Dezember 2025", ["2025-12-19"], id="german-month"),
        pytest.param("Published: 2025.12.17 |", ["2025-12-17"], id="dotted-iso"),
        pytest.param("17.05.2021", ["2021-05-17"], id="dotted-day-first"),
        pytest.param("Posted on the 15/12/2025 at 19:00", ["2025-12-15"], id="slashed-day-over-12"),
        pytest.param("check out 10 2023 trends", [], id="no-date"),
    ],
)
def test_find_dates(text: str, days: list[str]) -> None:
    assert [d for _, d, _ in find_dates(text)] == days


def test_ambiguous_slashes_follow_the_page_locale() -> None:
    assert find_dates("03/10/2023")[0][1:] == ("2023-03-10", "2023-10-03")
    assert find_dates("03/10/2023", month_first=False)[0][1] == "2023-10-03"


@pytest.mark.parametrize(("prefix", "label"), [("Last updated:", "u"), ("Posted on", "p"), ("By Jane Doe ·", ""),
                                               ("Published May 1 · Updated", "u")])
def test_date_labels(prefix: str, label: str) -> None:
    assert label_of(prefix) == label


def test_date_choice() -> None:
    near_pub = [Seen("2023-04-26", "p", 1), Seen("2025-08-21", "u", 2)]
    assert choose("2025-08-21", None, None, near_pub, [], []) == "2023-04-26"
    # Only an "Updated" date is visible: the structured publication date stands.
    assert choose("2024-10-15T18:50:03+00:00", "2025-06-18", None, [Seen("2025-06-18", "u", 1)], [], []) == "2024-10-15T18:50:03+00:00"
    # A bare byline date beats structured data that disagrees.
    assert choose("2025-06-24", None, None, [Seen("2024-08-25", "", 2)], [], []) == "2024-08-25"
    # A late-evening story stamped in UTC: the URL's day.
    assert choose("2025-12-19T02:41:41+00:00", None, "2025-12-18", [], [], []) == "2025-12-18"
    # "09.10.2024" read the way the structured date agrees.
    assert choose("2024-09-10T16:07:00Z", None, None, [Seen("2024-10-09", "", 1, "2024-09-10")], [], []) == "2024-09-10"
    assert choose(None, "2025-01-02", None, [], [], []) == "2025-01-02"


def test_visible_byline_date_over_structured() -> None:
    ld = {"@context": "https://schema.org", "@type": "Article", "headline": "Bridge reopens after repairs", "datePublished": "2025-06-24"}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    body = "<h1>Bridge reopens after repairs</h1><div class='meta'>Published March 3, 2021</div>" + PROSE
    assert newsdesk.extract(_page(head, body)).published == "2021-03-03"


# --- authors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("Jane DoeFounder at Harbour Labs", ["Jane Doe"], id="glued-role"),
        pytest.param("Jane Doe December 5, 2025", ["Jane Doe"], id="date-after-name"),
        pytest.param("Jane Doe View", ["Jane Doe"], id="widget-word"),
        pytest.param("Tom May", ["Tom May"], id="month-surname"),
        pytest.param("Dec 17, 2025 · Jane Doe on behalf of the team", ["Jane Doe"], id="date-before-name"),
        pytest.param("Dec 17, 2025Jane Doe", ["Jane Doe"], id="date-glued-to-name"),
        pytest.param("Credit: Jane Doe", [], id="label-not-name"),
    ],
)
def test_author_element_text(text: str, names: list[str]) -> None:
    assert byline_names(text, prefixed=False) == names


def test_logins_and_placeholders_are_not_names() -> None:
    assert clean_authors(["jane.doe", "undefined", "Feb", "Ann Lee Founder"]) == ["Ann Lee"]


def test_organisation_author_skipped_for_the_byline() -> None:
    ld = {"@context": "https://schema.org", "@type": "Article", "headline": "Bridge reopens after repairs",
          "author": {"@type": "Organization", "name": "Harbour Times"}}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    body = "<h1>Bridge reopens after repairs</h1><p>Written by</p><p>Jane Doe</p>" + PROSE
    assert newsdesk.extract(_page(head, body)).authors == ["Jane Doe"]


def test_twitter_written_by_label() -> None:
    head = "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Jane Doe'>"
    assert newsdesk.extract(_page(head, "<h1>Bridge reopens after repairs</h1>" + PROSE)).authors == ["Jane Doe"]


@pytest.mark.parametrize(
    ("between", "names"),
    [
        pytest.param("<p>Jane Doe</p><p>December 5, 2025 · 4 min read</p>", ["Jane Doe"], id="name-beside-date"),
        pytest.param("<p>Jane Doe</p>", [], id="name-alone-unvouched"),
        pytest.param("<p>Share Article</p><p>December 5, 2025</p>", [], id="button-words"),
        pytest.param("<p>Council Meeting</p><p>December 5, 2025</p>", [], id="words-the-story-uses"),
    ],
)
def test_bare_name_line_beside_headline(between: str, names: list[str]) -> None:
    body = "<h1>Bridge reopens after repairs</h1>" + between + PROSE + "<p>The council meeting is next week.</p>"
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == names


def test_bare_name_line_vouched_by_bio() -> None:
    bio = "<p>Jane Doe is a travel writer and the editor of a harbour guide for visiting sailors.</p>"
    body = "<h1>Bridge reopens after repairs</h1><p>Jane Doe</p>" + PROSE + bio
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == ["Jane Doe"]


def test_written_by_anywhere_as_last_resort() -> None:
    box = "<div><p>Written by Jane Doe</p><p>Jane writes about harbours.</p></div>"
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE + box
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == ["Jane Doe"]


def test_post_nominal_letters_are_not_writers() -> None:
    assert clean_authors(["Jane Doe, MS, RD, FAND"]) == ["Jane Doe"]
    assert clean_authors(["JWU"]) == ["JWU"]


def test_comment_authors_are_not_the_writer() -> None:
    comments = "<div class='comments'><span itemprop='author'>Tom Baker</span><p>Nice post.</p></div>"
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE + comments
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("ByJane Doe", ["Jane Doe"], id="by-glued-to-name"),
        pytest.param("Byron Doe", [], id="name-starting-by-is-not-a-byline"),
        pytest.param("By Jane Doe ⋅ Senior Tester ⋅ Updated May 6, 2025", ["Jane Doe"], id="dot-operator-separator"),
        pytest.param("Contributors: Jane Doe", ["Jane Doe"], id="contributors-label"),
    ],
)
def test_byline_line_shapes(text: str, names: list[str]) -> None:
    assert byline_names(text) == names


def test_widget_text_around_structured_names() -> None:
    assert clean_authors(["Jane Doe", "More About Jane Doe »"]) == ["Jane Doe"]
    assert clean_authors(["Jane DoeHi there! I'm Jane, and I write about harbours"]) == ["Jane Doe"]


@pytest.mark.parametrize(
    ("box", "names"),
    [
        pytest.param("<h3>Author</h3><p>Jane Doe</p>", ["Jane Doe"], id="heading-label"),
        pytest.param("<div>by</div><p>Jane Doe</p>", ["Jane Doe"], id="bare-by"),
        pytest.param("<h6>Author(s)</h6><ul><li>Jane Doe</li><li>Tom A. Baker</li></ul>", ["Jane Doe", "Tom A. Baker"], id="listed"),
        pytest.param("<h3>Author</h3><p>Jane Doe writes about harbours</p>", [], id="label-then-sentence"),
        pytest.param("<p><em>This post was written by Jane Doe, harbour engineer.</em></p>", ["Jane Doe"], id="sentence"),
        pytest.param("<p>The report was written by the committee.</p>", [], id="sentence-without-a-name"),
    ],
)
def test_labelled_author_box_under_the_story(box: str, names: list[str]) -> None:
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE + box
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == names


def test_house_bylines_and_empty_name_templates() -> None:
    assert clean_authors([", Harbour Times"]) == []  # "{name}, {outlet}" with the name left empty
    assert clean_authors(["Harbour Staff", "Jane Doe Staff Writer"]) == ["Harbour Staff", "Jane Doe"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        pytest.param("By Jane Doe, Privacy and Security Expert & Tom Baker, Home Expert", ["Jane Doe"], id="beat-after-name"),
        pytest.param("By Jane Doe HARBOUR TIMES", ["Jane Doe"], id="outlet-in-capitals"),
        pytest.param("By JANE DOE", ["JANE DOE"], id="name-in-capitals"),
    ],
)
def test_byline_list_ends(line: str, names: list[str]) -> None:
    assert byline_names(line) == names


def test_house_desk_bylines_are_kept() -> None:
    assert clean_authors(["News Desk", "Great Day Editorial Team", "Doris Day"]) == ["News Desk", "Great Day Editorial Team", "Doris Day"]
    assert clean_authors(["2 days ago", "Staff", "3 Hours Ago"]) == []


@pytest.mark.parametrize(
    ("box", "names"),
    [
        pytest.param("<h2>Article written by:</h2><h3>Jane Doe, MD, FACP</h3>", ["Jane Doe"], id="label-then-name-with-letters"),
        pytest.param("<div>Last updated March 3, 2025 by Jane Doe. — Accessibility</div>", ["Jane Doe"], id="updated-by-footer"),
        pytest.param("<div>Last updated March 3, 2025 by the council</div>", [], id="updated-by-no-name"),
    ],
)
def test_labelled_writer_lines(box: str, names: list[str]) -> None:
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE + box
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == names


@pytest.mark.parametrize(
    ("standfirst", "names"),
    [
        pytest.param("Now is the time to plant evergreens for the winter, says JANE O'DOE.", ["Jane O'Doe"], id="says-capitals"),
        pytest.param("Now is the time to plant evergreens, says the RHS.", [], id="one-word-organisation"),
        pytest.param("Now is the time to plant evergreens, says Jane Doe.", [], id="mixed-case-is-a-quote"),
    ],
)
def test_standfirst_naming_the_writer(standfirst: str, names: list[str]) -> None:
    body = f"<h1>Bridge reopens after repairs</h1><div>{standfirst}</div>" + PROSE
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == names


def test_dated_byline_far_from_the_headline() -> None:
    teaser = "<h1>Next in this guide</h1><p>Another story about the harbour and its boats.</p>"
    body = "<h1>Bridge reopens after repairs</h1>" + PROSE + "<p>By Jane Doe April 12, 2024</p>" + PROSE + teaser
    assert newsdesk.extract(_page("<title>Bridge reopens after repairs</title>", body)).authors == ["Jane Doe"]
