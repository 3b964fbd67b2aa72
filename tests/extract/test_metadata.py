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
