"""The web app, server side: every page and its JSON twin, errors, escaping, read-only, indexes.

One small archive per module, written through ``Archive.add_many`` (no spaCy): a story with
overlapping entity and quote spans, a hostile story whose every field carries markup, and
fillers spread over sites and months so that lists page.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from conftest import STORES, store_target
from support import cli_env, prose, run_cli

from newsdesk import Archive
from newsdesk.archive.browse import COUNT_CAP, ArticleQuery, bucketed
from newsdesk.model import Article, Entity, Quote, RelatedLink, count_words, identify, text_id
from newsdesk.web import create_app
from newsdesk.web.render import article_html, passage_html, strip

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FILLERS = 45  # more than two pages of search results (20 a page)


# -- the archive ---------------------------------------------------------------------------


def _spans(text: str, s: str) -> list[tuple[int, int]]:
    out, at = [], text.find(s)
    while at >= 0:
        out.append((at, at + len(s)))
        at = text.find(s, at + 1)
    return out


def named(article: Article) -> Article:
    """The article with the id the archive gives it (its URL's, else its text's)."""
    identify(article)
    return article


def libya_article() -> Article:
    """Two people, a place, quotes of three kinds; one quote runs over a paragraph break and
    a mention runs out of a quote, so the highlighter has to split elements cleanly."""
    text = (
        "Fathi Bashagha spoke in Tripoli on Sunday.\n\n"
        "“The Russians have a big strategy,” Bashagha said. Khalifa Haftar did not reply.\n\n"
        "Bashagha told Bloomberg that an American base would lead to stability\n\n"
        "in the whole region, he said."
    )
    direct = "“The Russians have a big strategy,”"
    d0 = text.index(direct)
    reported = "an American base would lead to stability\n\nin the whole region"
    r0 = text.index(reported)
    haftar = text.index("Khalifa Haftar")
    entities = [
        Entity("Fathi Bashagha", "PERSON", [*_spans(text, "Fathi Bashagha"), (text.index("Bashagha said"), text.index("Bashagha said") + 8), (text.index("Bashagha told"), text.index("Bashagha told") + 8)]),
        Entity("Tripoli", "GPE", _spans(text, "Tripoli")),
        # Crosses the end of the direct quote: "strategy,” Bashagha" is not one element.
        Entity("Khalifa Haftar", "PERSON", [(haftar, haftar + len("Khalifa Haftar"))]),
        Entity("Russia", "GPE", [(d0 + 5, d0 + 13), (d0 + 30, d0 + 40)]),
    ]
    entities[0].mentions.sort()
    quotes = [
        Quote(direct, d0, d0 + len(direct), "direct", "said", "Fathi Bashagha", 0, (d0 + len(direct) + 1, d0 + len(direct) + 9)),
        Quote(reported, r0, r0 + len(reported), "indirect", "told", "Fathi Bashagha", 0, None),
    ]
    for q in quotes:
        assert text[q.start : q.end] == q.text
    return named(Article(
        id=text_id(text), text=text, url="https://www.rt.com/news/libya", canonical_url="https://www.rt.com/news/libya",
        site="rt.com", title="Libya: Bashagha on Russia", authors=["Jane Reporter"], published="2020-02-23T05:06:00+00:00",
        related=[RelatedLink("More from Libya", "https://www.rt.com/news/more", "rt.com")],
        word_count=count_words(text), entities=entities, quotes=quotes, enriched=True,
    ))


def hostile_article() -> Article:
    speaker = "Mallory Attacker"
    text = "\n\n".join([
        f"Officials said {SCRIPT} was typed into the hostile form.",
        f"The second string, {IMG}, came from the same account.",
        f"“{SCRIPT} is harmless when escaped,” said {speaker}.",
        f"{speaker} told reporters that {IMG} would never run.",
    ])
    direct = f"“{SCRIPT} is harmless when escaped,”"
    reported = f"{IMG} would never run"
    entities = [Entity(SCRIPT, "PERSON", _spans(text, SCRIPT)), Entity(IMG, "ORG", _spans(text, IMG)), Entity(speaker, "PERSON", _spans(text, speaker))]
    quotes = [
        Quote(direct, text.index(direct), text.index(direct) + len(direct), "direct", "said", speaker, 2, None),
        Quote(reported, text.index(reported), text.index(reported) + len(reported), "indirect", "told", IMG, None, None),
    ]
    return named(Article(
        id=text_id(text), text=text, url="javascript:alert(document.domain)", site="hostile-example.com", site_name=IMG,
        title=f"{SCRIPT} {IMG} hostile headline", description=f"{IMG} description", authors=[SCRIPT, IMG],
        published="2021-05-05T10:00:00+00:00", related=[RelatedLink(SCRIPT, "javascript:alert(2)", "hostile-example.com")],
        tags=[SCRIPT, IMG], word_count=count_words(text), entities=entities, quotes=quotes, enriched=True,
    ))


def filler_article(n: int) -> Article:
    text = f"Story {n}: the council met about the tramline, code zq{n}x.\n\nMaria Lopez said the stops open soon."
    ent = Entity("Maria Lopez", "PERSON", _spans(text, "Maria Lopez"))
    q0 = text.index("the stops open soon")
    t0 = text.index("the tramline")
    return named(Article(
        id=text_id(text), text=text, url=f"https://www.example.com/{n}", canonical_url=f"https://www.example.com/{n}",
        site="example.com" if n % 3 else "other.org", title=f"Council debates the tramline, part {n}",
        published=f"{2018 + n // 24}-{1 + n // 2 % 12:02d}-{10 + n % 2:02d}T09:00:00+00:00",
        word_count=count_words(text), entities=[ent],
        quotes=[Quote("the stops open soon", q0, q0 + 19, "indirect", "said", "Maria Lopez", 0, None)]
        + ([Quote("the tramline", t0, t0 + 12, "indirect", "wants", "Maria Lopez", 0, None, "stance")] if n == 0 else []),
        enriched=True,
    ))


@pytest.fixture(scope="module", params=STORES)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    path = store_target(request, tmp_path_factory.mktemp("web") / "web.db")
    with Archive(path) as archive:
        archive.add_many([libya_article(), hostile_article(), *(filler_article(n) for n in range(FILLERS))])
    return path


def on_postgres(client: TestClient) -> bool:
    return isinstance(client.app.state.db_path, str)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


LIBYA = libya_article().id
HOSTILE = hostile_article().id

# Every page, with the JSON twin it must agree with.
PAGES = [
    ("/", "/api/search"),
    ("/?q=tramline&site=example.com&since=2018-01&until=2019-12-31", "/api/search?q=tramline&site=example.com&since=2018-01&until=2019-12-31"),
    ("/?person=Bashagha&place=Tripoli", "/api/search?person=Bashagha&place=Tripoli"),
    (f"/article/{LIBYA}", f"/api/article/{LIBYA}"),
    ("/entities", "/api/entities"),
    ("/entities?label=place&name=tripoli", "/api/entities?label=place&name=tripoli"),
    ("/entity/PERSON/Fathi%20Bashagha", "/api/entity/PERSON/Fathi%20Bashagha"),
    ("/entity/GPE/Tripoli", "/api/entity/GPE/Tripoli"),
    ("/quotes", "/api/quotes"),
    ("/quotes?speaker=Bashagha&kind=direct&q=strategy", "/api/quotes?speaker=Bashagha&kind=direct&q=strategy"),
    ("/sources", "/api/sources"),
    ("/stories", "/api/stories"),
    ("/stories?q=tramline&site=example.com&since=2018-01", "/api/stories?q=tramline&site=example.com&since=2018-01"),
    ("/story/1", "/api/story/1"),
    ("/?story=1", "/api/search?story=1"),
]


# -- every page and its twin ---------------------------------------------------------------


class Nesting(HTMLParser):
    """Checks that every element closes in order (void elements aside)."""

    VOID: ClassVar[set[str]] = {"meta", "link", "input", "br", "img", "hr", "source", "area", "base", "col", "embed", "wbr", "rect"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()


def well_formed(html: str) -> None:
    parser = Nesting()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, parser.stack


@pytest.mark.parametrize("page, api", PAGES, ids=[p for p, _ in PAGES])
def test_page_and_its_json_twin(client: TestClient, page: str, api: str) -> None:
    r = client.get(page)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    for link in ('href="/"', 'href="/quotes"', 'href="/entities"', 'href="/entities?label=PERSON"', 'href="/entities?label=ORG"', 'href="/entities?label=place"', 'href="/sources"'):
        assert link in r.text.split('<nav id="top"', 1)[1].split("</nav>", 1)[0], link
    well_formed(r.text)
    assert "Content-Security-Policy" in r.headers
    # Nothing is loaded from anywhere but this server.
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', r.text)
    j = client.get(api)
    assert j.status_code == 200, j.text[:300]
    assert j.headers["content-type"] == "application/json"
    j.json()


def test_search_page_contract(client: TestClient) -> None:
    r = client.get("/?q=tramline")
    html = r.text
    assert '<form id="search"' in html
    for name in ("q", "site", "since", "until", "person", "org", "place"):
        assert f'name="{name}"' in html
    results = re.findall(r'<article class="result">.*?<a class="result-title" href="/article/([0-9a-f]{16})">', html, re.S)
    assert len(results) == 20
    assert '<svg class="chart" data-bucket="week"' in html
    counts = [int(n) for n in re.findall(r'<rect class="bar" data-count="(\d+)" data-start="\d{4}-\d\d-\d\d"', html)]
    assert sum(counts) == FILLERS
    assert html.count("<title>week of ") == len(counts)
    assert '<nav class="pager"' in html and 'rel="next" href="/?q=tramline&amp;page=2"' in html and 'rel="prev"' not in html
    page2 = client.get("/?q=tramline&page=2").text
    assert 'rel="prev" href="/?q=tramline"' in page2
    second = re.findall(r'class="result-title" href="/article/([0-9a-f]{16})"', page2)
    assert second and not set(second) & set(results)
    assert "<mark>tramline</mark>" in html  # the snippet's match, highlighted


def test_search_json(client: TestClient) -> None:
    out = client.get("/api/search", params={"q": "tramline", "site": "other.org"}).json()
    assert set(out) >= {"total", "page", "per_page", "results", "histogram"}
    assert out["total"] == sum(1 for n in range(FILLERS) if n % 3 == 0) == len(out["results"])
    assert set(out["results"][0]) >= {"id", "title", "site", "published", "url", "snippet"}
    assert "[tramline]" in out["results"][0]["snippet"]
    assert out["histogram"]["bucket"] in ("day", "week", "month")
    assert sum(b["count"] for b in out["histogram"]["counts"]) == out["total"]
    # Without a query: newest first, the whole archive, the per-day summary behind the chart.
    everything = client.get("/api/search").json()
    assert everything["total"] == FILLERS + 2
    dates = [r["published"] for r in everything["results"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(b["count"] for b in everything["histogram"]["counts"]) == FILLERS + 2
    assert client.get("/api/search", params={"person": "Bashagha"}).json()["results"][0]["id"] == LIBYA
    assert client.get("/api/search", params={"person": "Tripoli"}).json()["total"] == 0  # a place, not a person
    assert client.get("/api/search", params={"since": "2021-05-05", "until": "2021-05-05"}).json()["total"] == 1


def test_reader_view(client: TestClient) -> None:
    html = client.get(f"/article/{LIBYA}").text
    body = html.split('<div id="article-text">', 1)[1].split("</div>", 1)[0]
    well_formed(body)
    assert body.count("<p>") == 4
    assert body.count('data-entity="Fathi Bashagha"') == 3
    assert '<mark class="entity" data-label="GPE" data-entity="Tripoli"' in body
    assert '<q class="quote" data-kind="direct" data-family="speech" data-speaker="Fathi Bashagha"' in body
    # The reported speech runs over a paragraph break: one span per paragraph.
    assert body.count('<span class="quote" data-kind="indirect" data-family="speech"') == 2
    assert 'title="direct quote — Fathi Bashagha (said)"' in body
    assert '<a class="entity-link" data-label="PERSON" href="/entity/PERSON/Fathi%20Bashagha">' in html
    record = json.loads(re.search(r'<pre id="record-json">(.*?)</pre>', html, re.S).group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&"))
    assert record == client.get(f"/api/article/{LIBYA}").json()
    assert 'href="https://www.rt.com/news/more"' in html  # related links


@pytest.mark.parametrize(
    "quotes, mentions",
    [
        ([(0, 10)], [(5, 15)]),  # a mention running out of a quote
        ([(5, 15)], [(0, 10)]),  # into one
        ([(0, 20), (5, 10)], [(2, 12)]),  # nested quotes
        ([(3, 30)], [(0, 40)]),  # a mention around a whole quote and a paragraph break
        ([(0, 40)], []),
        ([(-1, 5), (10, 999)], [(7, 7)]),  # out-of-range spans are ignored
    ],
)
def test_highlights_always_nest(quotes: list[tuple[int, int]], mentions: list[tuple[int, int]]) -> None:
    text = "First paragraph here.\n\nSecond one, <b>bold</b> & more"
    qs = [Quote(text[s:e] if 0 <= s < e <= len(text) else "x", s, e, "direct") for s, e in quotes]
    html = str(article_html(text, [Entity("X", "PERSON", mentions)], qs))
    well_formed(html)
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("\n", "") == text.replace("\n", "")


def test_entities_list(client: TestClient) -> None:
    out = client.get("/api/entities", params={"label": "PERSON"}).json()
    names = [e["name"] for e in out["results"]]
    assert names[0] == "Maria Lopez" and out["results"][0]["articles"] == FILLERS
    assert "Fathi Bashagha" in names and "Tripoli" not in names
    places = client.get("/api/entities", params={"label": "place"}).json()
    assert {e["label"] for e in places["results"]} == {"GPE"}
    html = client.get("/entities?label=PERSON&name=bashagha").text
    assert '<a class="entity-link" data-label="PERSON" href="/entity/PERSON/Fathi%20Bashagha">Fathi Bashagha</a>' in html


def test_person_page(client: TestClient) -> None:
    html = client.get("/entity/PERSON/maria%20lopez").text  # any case
    assert "<h1>Maria Lopez</h1>" in html
    assert '<svg class="chart"' in html
    items = re.findall(r'<li class="quote-item">.*?</li>', html, re.S)
    assert len(items) == 20 and all('href="/article/' in i for i in items)
    assert 'rel="next" href="/entity/PERSON/Maria%20Lopez?qpage=2"' in html
    assert 'rel="next" href="/entity/PERSON/Maria%20Lopez?page=2"' in html
    out = client.get("/api/entity/PERSON/Maria Lopez", params={"qpage": 3}).json()
    assert out["entity"] == {"name": "Maria Lopez", "label": "PERSON", "articles": FILLERS, "mentions": FILLERS}
    assert out["quotes"]["total"] == FILLERS and len(out["quotes"]["results"]) == FILLERS - 40
    dates = [q["published"] for q in client.get("/api/entity/PERSON/Maria Lopez").json()["quotes"]["results"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(b["count"] for b in out["histogram"]["counts"]) == FILLERS
    assert {s["site"] for s in out["sites"]} == {"example.com", "other.org"}
    # A place has no quotes section.
    assert client.get("/api/entity/GPE/Tripoli").json()["quotes"] is None


def test_quotes_page(client: TestClient) -> None:
    out = client.get("/api/quotes", params={"speaker": "Bashagha"}).json()
    assert [q["kind"] for q in out["results"]] == ["direct", "indirect"]
    assert client.get("/api/quotes", params={"speaker": "Bashagha", "kind": "indirect"}).json()["total"] == 1
    assert client.get("/api/quotes", params={"about": "Russia"}).json()["results"][0]["article_id"] == LIBYA
    assert client.get("/api/quotes", params={"q": "strategy"}).json()["total"] == 1
    assert client.get("/api/quotes", params={"site": "other.org"}).json()["total"] == len(range(0, FILLERS, 3))
    dated = client.get("/api/quotes", params={"since": "2019-01-01", "until": "2019-12-31"}).json()
    assert dated["total"] == FILLERS - 24 and all(q["published"].startswith("2019") for q in dated["results"])
    html = client.get("/quotes?speaker=Bashagha").text
    assert html.count('<li class="quote-item">') == 2 and f'href="/article/{LIBYA}"' in html


def test_sources_page(client: TestClient) -> None:
    out = client.get("/api/sources").json()
    assert out["total"] == FILLERS + 2
    sites = {s["site"]: s["articles"] for s in out["sites"]["results"]}
    assert sites == {"example.com": 30, "other.org": 15, "rt.com": 1, "hostile-example.com": 1}
    assert sum(m["articles"] for m in out["months"]) == FILLERS + 2
    html = client.get("/sources").text
    assert '<table id="sources">' in html and '<svg class="chart" data-bucket="month"' in html


# -- stories and copies --------------------------------------------------------------------


WIRE = prose(11)
REUSED = WIRE.split("\n\n")[1:3]  # two paragraphs of 40 words: reuse, not a copy
OWN = prose(12).split("\n\n")
BLOG = "\n\n".join([OWN[0], *REUSED, *OWN[1:4]])
OTHER = prose(13, consonants="jqwxy")  # another story: no word in common with the wire's


def linked_articles() -> dict[str, Article]:
    """A wire story, its copy at another outlet (hostile title), a blog reusing two of its
    paragraphs, an unrelated story with a hostile headline, and a few more of their own."""
    def page(name: str, text: str, site: str, published: str, title: str) -> Article:
        return named(Article(id="", text=text, url=f"https://{site}/{name}", site=site, published=published, title=title,
                             word_count=count_words(text)))

    return {
        "wire": page("storm", WIRE, "wire.example", "2024-03-01T08:00:00+00:00", "Storm closes the harbour"),
        "copy": page("storm-copy", WIRE, "paper.example", "2024-03-02T09:30:00+00:00", f"{SCRIPT} storm copy"),
        "blog": page("harbour", BLOG, "blog.example", "2024-03-04T12:00:00+00:00", "A blog on the harbour"),
        "other": page("other", OTHER, "other.example", "2024-03-03T07:00:00+00:00", f"{SCRIPT} {IMG} other"),
        **{f"note{n}": page(f"note{n}", prose(20 + n), "notes.example", f"2024-02-1{n}T10:00:00+00:00", f"Note {n}")
           for n in range(3)},
    }


LINKED = {k: a.id for k, a in linked_articles().items()}


@pytest.fixture(scope="module", params=STORES)
def linked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = store_target(request, tmp_path_factory.mktemp("stories") / "stories.db")
    with Archive(path) as archive:
        for a in linked_articles().values():
            archive.add(a)
    with TestClient(create_app(path)) as c:
        yield c


def story_of(client: TestClient, key: str) -> int:
    story = client.get(f"/api/article/{LINKED[key]}").json()["story"]
    assert isinstance(story, int)
    return story


def wire_story(client: TestClient) -> list[str]:
    """The keys of the wire story's articles, oldest first: the copy always joins its origin's
    story; whether the blog reusing two paragraphs does is the clusterer's call."""
    return ["wire", "copy"] + (["blog"] if story_of(client, "blog") == story_of(client, "wire") else [])


PUBLISHED = {a.id: a.published for a in linked_articles().values()}
SITES = {a.id: a.site for a in linked_articles().values()}
TITLES = {a.id: a.title for a in linked_articles().values()}


def test_stories_list_biggest_first(linked: TestClient) -> None:
    out = linked.get("/api/stories").json()
    assert set(out) >= {"total", "total_exact", "page", "per_page", "pages", "results"}
    first = out["results"][0]
    members = [LINKED[k] for k in wire_story(linked)]
    assert first == {
        "id": story_of(linked, "wire"), "label": first["label"], "first": "2024-03-01T08:00:00+00:00",
        "last": PUBLISHED[members[-1]], "articles": members, "sites": sorted(SITES[m] for m in members),
        "days": [{"start": PUBLISHED[m][:10], "count": 1} for m in members],
    }
    assert first["label"] in {TITLES[m] for m in members}
    sizes = [len(s["articles"]) for s in out["results"]]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == len(LINKED) and out["total"] == len(out["results"]) and out["total_exact"] and out["pages"] == 1
    html = linked.get("/stories").text
    well_formed(html)
    assert '<form id="story-filters"' in html
    rows = re.findall(r'<tr class="story-row" data-story="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(i) for i, _ in rows] == [s["id"] for s in out["results"]]
    wire_row = rows[0][1]
    label = first["label"].replace("<", "&lt;").replace(">", "&gt;")
    assert f'<a class="story-link" href="/story/{first["id"]}">{label}</a>' in wire_row
    assert re.findall(r'<td class="num">(\d+)</td>', wire_row) == [str(len(members))] * 2
    assert "<time>2024-03-01</time>" in wire_row and f"<time>{PUBLISHED[members[-1]][:10]}</time>" in wire_row
    # One dot per day, the first and last day at the two ends of the strip.
    dots = re.findall(r'<circle class="dot" data-day="([\d-]+)" data-count="(\d+)" cx="([\d.]+)"', wire_row)
    assert [(d, n) for d, n, _ in dots] == [(PUBLISHED[m][:10], "1") for m in members]
    assert float(dots[0][2]) < 10 and float(dots[-1][2]) > 190
    # The hostile headline labels a story of its own.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt; other" in html
    assert SCRIPT not in html and "<img" not in html


def test_stories_filters_and_pages(linked: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def ids(**params: str) -> list[int]:
        return [s["id"] for s in linked.get("/api/stories", params=params).json()["results"]]

    assert ids(site="blog.example") == [story_of(linked, "blog")]
    assert ids(site="paper.example") == [story_of(linked, "wire")]
    assert ids(q=OWN[0].split()[2]) == [story_of(linked, "blog")]
    assert ids(q=OTHER.split()[2], site="other.example") == [story_of(linked, "other")]
    assert ids(q=OTHER.split()[2], site="wire.example") == []
    assert ids(since="2024-03-03", until="2024-03-03") == [story_of(linked, "other")]
    assert ids(since="2024-03-02", until="2024-03-02") == [story_of(linked, "wire")]  # a story whole, by one article
    assert ids(q="nothingmatchesthis") == []
    # Stories are not counted: a page knows only whether another follows.
    from newsdesk.web import routes

    everything = ids()
    assert len(everything) >= 3
    monkeypatch.setattr(routes, "STORIES_PER_PAGE", 1)
    one = linked.get("/api/stories").json()
    assert (one["total"], one["total_exact"], one["page"], one["pages"], one["per_page"]) == (2, False, 1, 2, 1)
    pages = [linked.get("/api/stories", params={"page": n}).json() for n in range(1, len(everything) + 1)]
    assert [s["id"] for p in pages for s in p["results"]] == everything
    last = pages[-1]
    assert (last["total"], last["total_exact"], last["pages"]) == (len(everything), True, len(everything))
    html = linked.get("/stories?site=").text
    assert 'rel="next" href="/stories?page=2"' in html and "page 1 of 2+" in html
    assert 'rel="prev" href="/stories"' in linked.get("/stories?page=2").text
    assert "No stories on this page." in linked.get("/stories?page=9").text


def test_story_timeline_marks_copies(linked: TestClient) -> None:
    sid = story_of(linked, "wire")
    members = wire_story(linked)
    out = linked.get(f"/api/story/{sid}").json()
    assert set(out) == {"story", "timeline", "reuse"}
    assert out["story"]["id"] == sid and out["story"]["articles"] == [LINKED[k] for k in members]
    assert out["timeline"][:2] == [
        {"id": LINKED["wire"], "site": "wire.example", "title": "Storm closes the harbour",
         "published": "2024-03-01T08:00:00+00:00", "copy_of": None, "reuses": []},
        {"id": LINKED["copy"], "site": "paper.example", "title": f"{SCRIPT} storm copy",
         "published": "2024-03-02T09:30:00+00:00", "copy_of": LINKED["wire"], "reuses": []},
    ]
    assert [r["article"] for r in out["reuse"]] == ([LINKED["blog"]] if "blog" in members else [])
    html = linked.get(f"/story/{sid}").text
    well_formed(html)
    label = out["story"]["label"].replace("<", "&lt;").replace(">", "&gt;")
    assert f"<h1>{label}</h1>" in html
    entries = re.findall(r'<li class="timeline-entry([^"]*)" data-article="([0-9a-f]{16})">(.*?)</li>', html, re.S)
    assert [(cls.strip(), a) for cls, a, _ in entries][:2] == [("", LINKED["wire"]), ("is-copy", LINKED["copy"])]
    copy = entries[1][2]
    assert "<time>2024-03-02 09:30</time>" in copy and "paper.example" in copy
    assert f'<a class="timeline-title" href="/article/{LINKED["copy"]}">&lt;script&gt;alert(1)&lt;/script&gt; storm copy</a>' in copy
    assert f'<span class="copy-mark">copy of <a href="/article/{LINKED["wire"]}">Storm closes the harbour</a></span>' in copy
    assert "copy-mark" not in entries[0][2]
    assert f'href="/?story={sid}"' in html and '<svg class="chart" data-bucket="day"' in html
    assert SCRIPT not in html and "<img" not in html


def test_story_shows_reused_passages_side_by_side(linked: TestClient) -> None:
    sid = story_of(linked, "blog")
    out = linked.get(f"/api/story/{sid}").json()
    blog = next(e for e in out["timeline"] if e["id"] == LINKED["blog"])
    assert blog["reuses"] == [LINKED["wire"]] and blog["copy_of"] is None
    (reuse,) = out["reuse"]
    assert (reuse["article"], reuse["source"], reuse["kind"]) == (LINKED["blog"], LINKED["wire"], "partial")
    assert (reuse["article_title"], reuse["source_title"]) == ("A blog on the harbour", "Storm closes the harbour")
    assert (reuse["source_site"], reuse["source_published"]) == ("wire.example", "2024-03-01T08:00:00+00:00")
    assert 0.2 < reuse["shared"] < 0.5
    ((a0, a1, s0, s1),) = reuse["passages"]
    ((excerpt),) = reuse["excerpts"]
    assert excerpt == {"article_text": BLOG[a0:a1], "source_text": WIRE[s0:s1]}
    assert BLOG[a0:a1] == WIRE[s0:s1] and REUSED[0][:40] in BLOG[a0:a1]
    html = linked.get(f"/story/{sid}").text
    well_formed(html)
    assert f'reuses passages of <a href="/article/{LINKED["wire"]}">Storm closes the harbour</a>' in html
    (pair,) = re.findall(r'<div class="passage-pair">(.*?)</div>', html, re.S)
    left, right = re.findall(r"<blockquote>(.*?)</blockquote>", pair, re.S)
    for side, text, (start, end) in ((left, BLOG, (a0, a1)), (right, WIRE, (s0, s1))):
        (marked,) = re.findall(r'<mark class="reused">(.*?)</mark>', side, re.S)
        assert marked.replace("<br>\n", "\n") == text[start:end]
        before, after = side.split('<mark class="reused">')[0], side.split("</mark>")[1]
        assert before.startswith("…") and after.endswith("…")  # context cut on both sides
        assert text[:start].endswith(before[1:].replace("<br>\n", "\n")) and text[end:].startswith(after[:-1].replace("<br>\n", "\n"))
    assert "blog.example" in pair and "wire.example" in pair


def test_unknown_story(linked: TestClient) -> None:
    r = linked.get("/story/424242")
    assert r.status_code == 404 and '<nav id="top"' in r.text and "no story 424242" in r.text
    assert linked.get("/api/story/424242").json() == {"detail": "no story 424242"}
    assert linked.get("/story/99999999999999999999999").status_code == 400  # past SQLite's integers
    missing = linked.get("/api/article/0000000000000000/links")
    assert missing.status_code == 404 and "0000000000000000" in missing.json()["detail"]


def test_article_record_and_links(linked: TestClient) -> None:
    sid = story_of(linked, "wire")
    wire = linked.get(f"/api/article/{LINKED['wire']}").json()
    copy = linked.get(f"/api/article/{LINKED['copy']}").json()
    assert (wire["story"], wire["origin"]) == (sid, LINKED["wire"])
    assert (copy["story"], copy["origin"]) == (sid, LINKED["wire"])
    assert linked.get(f"/api/article/{LINKED['other']}").json()["origin"] is None
    links = linked.get(f"/api/article/{LINKED['wire']}/links").json()
    assert set(links) == {"id", "story", "origin", "same_story", "copy_of", "copied_by", "reuses", "reused_by"}
    assert links["story"]["id"] == sid and links["origin"] == LINKED["wire"]
    assert [e["id"] for e in links["same_story"]] == [LINKED[k] for k in wire_story(linked) if k != "wire"]
    assert links["same_story"][0]["copy_of"] == LINKED["wire"]
    assert links["copy_of"] == [] and links["reuses"] == []
    (copied,) = links["copied_by"]
    ((a0, a1, s0, s1),) = copied.pop("passages")  # the whole text, give or take its end
    assert (a0, s0) == (0, 0) and a1 == s1 and len(WIRE) - 5 < a1 <= len(WIRE)
    assert copied == {
        "article": LINKED["copy"], "source": LINKED["wire"], "kind": "copy", "similarity": 1.0, "shared": 1.0,
        "article_title": f"{SCRIPT} storm copy", "article_site": "paper.example",
        "article_published": "2024-03-02T09:30:00+00:00", "source_title": "Storm closes the harbour",
        "source_site": "wire.example", "source_published": "2024-03-01T08:00:00+00:00",
    }
    (reused,) = links["reused_by"]
    assert (reused["article"], reused["kind"], reused["article_title"]) == (LINKED["blog"], "partial", "A blog on the harbour")
    of = linked.get(f"/api/article/{LINKED['copy']}/links").json()
    assert [x["source"] for x in of["copy_of"]] == [LINKED["wire"]] and of["copied_by"] == []
    blog = linked.get(f"/api/article/{LINKED['blog']}/links").json()
    assert [(x["source"], x["source_title"]) for x in blog["reuses"]] == [(LINKED["wire"], "Storm closes the harbour")]
    assert blog["origin"] is None and all(e["id"] != LINKED["blog"] for e in blog["same_story"])
    assert [e["id"] for e in blog["same_story"]] == [LINKED[k] for k in wire_story(linked) if k != "blog"]


def test_article_page_story_and_copy_blocks(linked: TestClient) -> None:
    sid = story_of(linked, "wire")

    def section(html: str, cls: str) -> str:
        found = re.findall(rf'<section class="{cls}">(.*?)</section>', html, re.S)
        assert len(found) == 1, (cls, found)
        return found[0]

    wire = linked.get(f"/article/{LINKED['wire']}").text
    well_formed(wire)
    same = section(wire, "same-story")
    label = linked.get(f"/api/story/{sid}").json()["story"]["label"].replace("<", "&lt;").replace(">", "&gt;")
    assert f'<a class="story-link" href="/story/{sid}">{label}</a>' in same
    assert f'<a href="/article/{LINKED["copy"]}">&lt;script&gt;alert(1)&lt;/script&gt; storm copy</a>' in same and "· copy" in same
    assert f'href="/article/{LINKED["copy"]}"' in section(wire, "links copied-by")
    reused_by = section(wire, "links reused-by")
    assert f'<a href="/article/{LINKED["blog"]}">A blog on the harbour</a>' in reused_by and "% of that text" in reused_by
    assert 'class="links copy-of"' not in wire and 'class="links reuses"' not in wire
    assert f'href="/api/article/{LINKED["wire"]}/links"' in wire
    copy = linked.get(f"/article/{LINKED['copy']}").text
    assert f'<a href="/article/{LINKED["wire"]}">Storm closes the harbour</a>' in section(copy, "links copy-of")
    assert SCRIPT not in copy
    blog = linked.get(f"/article/{LINKED['blog']}").text
    assert f'<a href="/article/{LINKED["wire"]}">Storm closes the harbour</a>' in section(blog, "links reuses")
    assert f'href="/story/{story_of(linked, "blog")}"' in section(blog, "same-story")


def test_search_by_story(linked: TestClient) -> None:
    sid = story_of(linked, "wire")
    out = linked.get("/api/search", params={"story": sid}).json()
    members = [LINKED[k] for k in wire_story(linked)]
    assert sorted(r["id"] for r in out["results"]) == sorted(members) and out["total"] == len(members)
    assert linked.get("/api/search", params={"story": 424242}).json()["total"] == 0
    html = linked.get(f"/?story={sid}").text
    assert f'<input type="hidden" name="story" value="{sid}">' in html and f'href="/story/{sid}"' in html
    assert len(re.findall(r'class="result-title" href="/article/', html)) == len(members)
    bad = linked.get("/api/search", params={"story": "abc"})
    assert bad.status_code == 400 and "story" in bad.json()["detail"]
    assert linked.get("/?story=abc").status_code == 400


def test_passage_excerpts_and_strips_are_escaped_and_bounded() -> None:
    text = "Intro <b>words</b> here.\n\nThe <i>reused</i> part & more.\n\nAfter it, the end."
    start, end = text.index("The"), text.index("more.") + 5
    html = str(passage_html(text, start, end, context=8))
    well_formed(html)
    assert "<b>" not in html and "<i>" not in html and "&lt;i&gt;reused&lt;/i&gt; part &amp; more." in html
    assert html.startswith("…") and html.endswith("…") and '<mark class="reused">The &lt;i&gt;' in html
    assert str(passage_html(text, 0, len(text))).count("…") == 0
    assert str(passage_html(text, 5, 999)) == "" and str(passage_html(text, 9, 9)) == ""
    one = strip([("2024-01-05", 3)])
    assert [(d.cx, d.count) for d in one.dots] == [(one.width / 2, 3)]
    spread = strip([("2024-01-10", 1), ("2024-01-01", 4), ("not a day", 9)])
    assert [d.day for d in spread.dots] == ["2024-01-01", "2024-01-10"] and spread.first == "2024-01-01"
    assert spread.dots[0].r > spread.dots[1].r and spread.dots[0].cx < spread.dots[1].cx
    assert strip([]).empty


def test_openapi_describes_every_twin(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/search", "/api/article/{article_id}", "/api/article/{article_id}/links", "/api/entities",
                 "/api/entity/{label}/{name}", "/api/quotes", "/api/sources", "/api/stories", "/api/story/{story_id}"):
        assert path in paths, sorted(paths)
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok
        assert "400" in paths[path]["get"]["responses"]
    assert not [p for p in paths if not p.startswith("/api/")]  # HTML pages are not API
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, words",
    [
        ("/article/0000000000000000", "0000000000000000"),
        ("/entity/PERSON/Nobody%20Atall", "Nobody Atall"),
        ("/entity/BOGUS/Tripoli", "Tripoli"),
        ("/entity/GPE/Fathi%20Bashagha", "Fathi Bashagha"),  # right name, wrong label
        ("/story/999999", "no story 999999"),
        ("/no/such/page", "no such page"),
    ],
)
def test_unknown_is_404(client: TestClient, path: str, words: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<nav id="top"' in r.text and words in r.text
    api = client.get("/api" + path)
    assert api.status_code == 404 and set(api.json()) == {"detail"}


@pytest.mark.parametrize(
    "query, words",
    [
        ("since=yesterday", "since: 'yesterday' is not a date"),
        ("until=2020-13-01", "until"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=100000", "too deep"),
        ("q=%22unclosed", "bad search query"),
        ("q=foo:bar", "column filters"),
        ("q=AND", "bad search query"),
        ("q=" + "x" * 600, "q"),
    ],
)
def test_bad_search_parameters_are_400(client: TestClient, query: str, words: str) -> None:
    if on_postgres(client) and query.startswith("q=") and len(query) < 100:
        # FTS5 syntax errors; PostgreSQL's websearch syntax takes any string as a query.
        assert client.get("/?" + query).status_code == 200 and client.get("/api/search?" + query).status_code == 200
        return
    r = client.get("/?" + query)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html"), r.text[:200]
    assert words in r.text.replace("&#39;", "'")
    assert '<p class="error-message">' in r.text
    api = client.get("/api/search?" + query)
    assert api.status_code == 400 and words in api.json()["detail"] and "\n" not in api.json()["detail"]


@pytest.mark.parametrize(
    "path",
    ["/entities?label=BOGUS", "/quotes?kind=shouted", "/quotes?q=%22", "/quotes?since=never", "/sources?page=-1", "/entity/PERSON/Maria%20Lopez?qpage=0",
     "/stories?q=%22unclosed", "/stories?q=foo:bar", "/stories?since=never", "/stories?page=0", "/stories?page=100000", "/story/abc", "/story/-1"],
)
def test_bad_parameters_on_other_pages_are_400(client: TestClient, path: str) -> None:
    if on_postgres(client) and ("q=%22" in path or "q=foo:bar" in path):
        assert client.get(path).status_code == 200  # websearch syntax: any string is a query
        return
    assert client.get(path).status_code == 400
    assert client.get("/api" + path).status_code == 400


def test_hostile_strings_are_inert_everywhere(client: TestClient) -> None:
    paths = [
        "/?q=hostile", f"/article/{HOSTILE}", "/entities?label=ORG&name=img%20src%20onerror", "/entities?name=alert",
        f"/entity/PERSON/{quote(SCRIPT, safe='')}", f"/entity/ORG/{quote(IMG, safe='')}", "/quotes?q=harmless",
        f"/quotes?speaker={quote(IMG, safe='')}", "/entity/PERSON/Mallory%20Attacker", "/sources",
        f"/entity/PERSON/{quote(SCRIPT, safe='')}x",  # a 404 page echoing the name
        f"/?q={quote(SCRIPT)}", f"/?since={quote(IMG)}",  # 400 pages echoing the input
        "/stories", "/stories?q=hostile", f"/story/{client.get(f'/api/article/{HOSTILE}').json()['story']}",
        f"/stories?q={quote(SCRIPT)}",
    ]
    for path in paths:
        r = client.get(path)
        assert r.status_code in (200, 400, 404), path
        html = r.text
        assert SCRIPT not in html and "<img" not in html, path
        assert 'href="javascript' not in html and "onerror=alert(1)>" not in html, path
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], path
        well_formed(html)
    article = client.get(f"/article/{HOSTILE}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in article
    assert f'data-entity="{SCRIPT}"'.replace("<", "&lt;").replace(">", "&gt;") in article
    assert 'data-speaker="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in article
    # The record JSON keeps the strings exactly.
    assert client.get(f"/api/article/{HOSTILE}").json()["title"].startswith(SCRIPT)


# -- read-only -----------------------------------------------------------------------------


def fingerprint(db: Path | str) -> str:
    if isinstance(db, Path):
        return hashlib.sha256(db.read_bytes()).hexdigest()
    import psycopg

    with psycopg.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        return hashlib.sha256(repr([
            conn.execute(f"SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {name} AS t").fetchone()
            for name in tables]).encode()).hexdigest()


def test_the_app_never_writes(client: TestClient, db: Path | str) -> None:
    before = fingerprint(db)
    for method in ("post", "put", "patch", "delete"):
        for path in ("/", "/api/search", f"/api/article/{LIBYA}", "/quotes"):
            assert getattr(client, method)(path).status_code == 405
    for page, api in PAGES:
        client.get(page)
        client.get(api)
    assert fingerprint(db) == before
    if isinstance(db, str):  # and the connections it reads through could not write if it tried
        with Archive(db, readonly=True, pooled=True) as archive:
            assert archive.conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"


def test_missing_archive_fails_at_once(tmp_path: Path) -> None:
    from newsdesk.errors import ArchiveError

    with pytest.raises(ArchiveError, match="no such archive"):
        create_app(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()


# -- indexes -------------------------------------------------------------------------------

# Tables a page query may read by rowid or index only, never scan whole.
BIG = ("articles", "article_search", "entities", "quotes", "quote_about")


def browse_workload(archive: Archive) -> None:
    """Every query the web app's pages make, with each kind of filter."""
    b = archive.browse
    for q in (None, "tramline"):
        for filters in ({}, {"site": "rt.com"}, {"since": "2019-01-01", "until": "2019-06"}, {"person": "Bashagha"},
                        {"org": "x"}, {"place": "Tripoli"}, {"since": "2019-01-01T10:00:00"}, {"story": "1"}):
            query = ArticleQuery.build(q, **filters)
            b.articles(query, page=2)
            b.histogram(query)
    b.entities(label="PERSON", name="maria")
    b.entities(label="place")
    b.entity("PERSON", "Maria Lopez")
    b.entity_histogram("PERSON", "Maria Lopez")
    b.entity_sites("PERSON", "Maria Lopez")
    b.entity_articles("PERSON", "Maria Lopez", total=FILLERS, page=2)
    for kw in ({}, {"speaker": "Lopez"}, {"speaker": "Maria Lopez", "speaker_exact": True}, {"about": "Russia"},
               {"query": "stops"}, {"kind": "direct"}, {"site": "other.org"}, {"since": "2019-01", "until": "2019-03"}):
        b.quotes(**kw)  # type: ignore[arg-type]
    b.sites()
    b.months()
    # The stories pages and the article page's blocks.
    archive.stories(limit=21)
    archive.stories("tramline", site="example.com", since="2019-01", limit=21, offset=20)
    archive.story(1)
    archive.duplicates(article=LIBYA)
    archive.duplicates(article=LIBYA, kind="partial")


def test_every_browse_query_uses_an_index(db: Path | str) -> None:
    if not isinstance(db, Path):
        return every_browse_query_uses_an_index_on_postgres(db)
    statements: list[str] = []
    with Archive(db, readonly=True) as archive:
        archive.conn.set_trace_callback(statements.append)
        browse_workload(archive)
        archive.conn.set_trace_callback(None)
        scans = []
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            for row in archive.conn.execute("EXPLAIN QUERY PLAN " + sql):
                detail = row[3]
                m = re.match(r"SCAN (\w+)(?: AS \w+)?(.*)", detail)
                if m and m.group(1) in BIG and "INDEX" not in m.group(2):
                    scans.append((detail, sql[:200]))
    assert not scans, scans




def every_browse_query_uses_an_index_on_postgres(url: str) -> None:
    # The planner is told that a whole-table scan costs more than any index path
    # (enable_seqscan off): a Seq Scan left in a plan is a query no index can serve.
    from newsdesk.archive.postgres import translate

    statements: list[tuple[str, tuple]] = []
    with Archive(url, readonly=True) as archive:
        conn = archive.conn
        real = conn.execute

        def recording(sql: str, params: Any = None) -> Any:
            statements.append((sql, tuple(params or ())))
            return real(sql, params)

        conn.execute = recording  # type: ignore[method-assign]
        browse_workload(archive)
        conn.execute = real  # type: ignore[method-assign]
        conn.raw.execute("SET enable_seqscan = off")
        scans = []
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = "\n".join(r[0] for r in conn.raw.execute("EXPLAIN " + translate(sql), params or None))
            for table in BIG:
                if re.search(rf"Seq Scan on {table}\b", plan):
                    scans.append((table, sql[:200]))
    assert statements and not scans, scans


# -- the summaries the triggers keep -------------------------------------------------------


def test_summary_tables_follow_updates_and_deletes(db_target: Path | str) -> None:
    with Archive(db_target) as archive:
        archive.add_many([libya_article(), *(filler_article(n) for n in range(6))])
        moved = filler_article(1)
        moved.published = "2030-01-01T00:00:00"
        moved.site = "moved.net"
        moved.entities = [Entity("Maria Lopez", "PERSON", [(0, 1), (2, 3)]), Entity("maria  LOPEZ", "PERSON", [(4, 5)])]
        assert archive.add(moved) == "updated"
        archive.conn.execute("DELETE FROM articles WHERE id = ?", (filler_article(2).id,))
        conn = archive.conn
        assert [tuple(r) for r in conn.execute("SELECT key, label, articles, mentions FROM entity_stats ORDER BY key, label")] == [
            tuple(r) for r in conn.execute(
                "SELECT key, label, count(DISTINCT article_seq), sum(mentions) FROM entities GROUP BY key, label ORDER BY key, label"
            )
        ]
        assert [tuple(r) for r in conn.execute("SELECT site, day, n FROM article_days ORDER BY site, day")] == [
            tuple(r) for r in conn.execute(
                "SELECT coalesce(site, ''), coalesce(substr(published, 1, 10), ''), count(*) FROM articles GROUP BY 1, 2 ORDER BY 1, 2"
            )
        ]
        assert [tuple(r) for r in conn.execute("SELECT key, quotes FROM quote_speakers ORDER BY key")] == [
            tuple(r) for r in conn.execute("SELECT speaker_key, count(*) FROM quotes WHERE speaker_key IS NOT NULL GROUP BY 1 ORDER BY 1")
        ]
        stale = conn.execute(
            "SELECT count(*) FROM entities e JOIN articles a ON a.seq = e.article_seq"
            " WHERE e.published IS DISTINCT FROM a.published OR e.site IS DISTINCT FROM a.site"
        ).fetchone()[0]
        assert stale == 0
        # The entity counted once in the article naming it twice (two spellings, one key).
        assert conn.execute("SELECT articles FROM entity_stats WHERE key = 'maria lopez'").fetchone()[0] == 5
        conn.execute("UPDATE articles SET published = '2031-02-02' WHERE id = ?", (moved.id,))
        assert {r[0] for r in conn.execute("SELECT q.published FROM quotes q JOIN articles a ON a.seq = q.article_seq WHERE a.id = ?", (moved.id,))} <= {"2031-02-02"}


def downgrade_to_002(path: Path) -> None:
    """Make ``path`` look like an archive written before 003_browse existed."""
    conn = sqlite3.connect(path)
    for trigger in ("articles_ai_days", "articles_ad_days", "articles_au_days", "articles_au_browse",
                    "entities_ai_stats", "entities_ad_stats", "quotes_ai_speakers", "quotes_ad_speakers"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.executescript(
        "DROP TABLE entity_stats; DROP TABLE article_days; DROP TABLE quote_speakers;"
        "DROP INDEX entities_browse; DROP INDEX quotes_speaker_published; DROP INDEX quotes_published;"
        "DROP INDEX quotes_site_published; DROP INDEX quotes_kind_published;"
        "CREATE INDEX quotes_speaker ON quotes (speaker_key);"
        "ALTER TABLE entities DROP COLUMN published; ALTER TABLE entities DROP COLUMN site;"
        "ALTER TABLE quotes DROP COLUMN published; ALTER TABLE quotes DROP COLUMN site;"
        "DELETE FROM migrations WHERE name = '003_browse';"
    )
    conn.commit()
    conn.close()


def test_migration_backfills_an_older_archive(tmp_path: Path) -> None:
    """An archive made before 003 gets its summaries and columns when next opened for writing."""
    from newsdesk.archive import db as dbmod

    path = tmp_path / "old.db"
    with Archive(path) as archive:
        archive.add_many([libya_article(), *(filler_article(n) for n in range(5))])
        expected = archive.browse.entities().items
    downgrade_to_002(path)
    with pytest.raises(Exception, match="needs migration 003_browse"):
        Archive(path, readonly=True)
    with Archive(path) as archive:
        assert "003_browse" in dbmod.applied(archive.conn)
        assert archive.browse.entities().items == expected
        assert archive.browse.total() == 6
        assert archive.browse.quotes(speaker="Bashagha").total == 2


def test_bucketing() -> None:
    assert bucketed([("2020-01-01", 1), ("2020-01-03", 2)]).counts == [("2020-01-01", 1), ("2020-01-02", 0), ("2020-01-03", 2)]
    weeks = bucketed([("2020-01-01", 1), ("2020-06-03", 2)])
    assert weeks.bucket == "week" and weeks.counts[0] == ("2019-12-30", 1) and weeks.counts[-1] == ("2020-06-01", 2)
    months = bucketed([("2019-12-31", 1), ("2022-02-03", 2), ("undated", 5)])
    assert months.bucket == "month" and months.counts[0] == ("2019-12-01", 1) and months.counts[1] == ("2020-01-01", 0)
    assert bucketed([]).counts == []
    assert COUNT_CAP >= 1000


# -- newsdesk serve ------------------------------------------------------------------------


def test_serve_command(db: Path, tmp_path: Path) -> None:
    missing = run_cli("serve", "--db", tmp_path / "none.db", cwd=tmp_path)
    assert missing.returncode == 1 and "no such archive" in missing.stderr and "Traceback" not in missing.stderr
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["total"] == FILLERS + 2
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err.decode()


def test_serve_updates_an_older_archive_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Archive(path) as archive:
        archive.add_many([libya_article()])
    downgrade_to_002(path)
    proc = run_cli("serve", "--db", path, "--port", "-1", cwd=tmp_path)  # a bad port: stops before serving
    assert proc.returncode == 2
    from newsdesk.archive.db import pending

    assert pending(path) == ["003_browse"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--db", str(path), "--port", "0"],
        cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while pending(path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pending(path) == []
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "updating" in err.decode() and "003_browse" in err.decode()
    with TestClient(create_app(path)) as c:
        assert c.get("/api/quotes", params={"speaker": "Bashagha"}).json()["total"] == 2


def test_cli_and_api_answer_a_search_through_one_path(db_target: Path | str, tmp_path: Path) -> None:
    # The same query and filters, the same articles in the same order, from `newsdesk search`
    # and /api/search — including the type filter, and the relevance order of a query.
    path = db_target
    kinds = ["article", "listing", "front", "other"]
    fillers = []
    for n in range(12):
        a = filler_article(n)
        a.page_type = kinds[n % 4]
        if n % 2:
            a.title = f"Tramline tramline tramline {n}"  # better matches for the title-weighted rank
        fillers.append(a)
    with Archive(path) as archive:
        archive.add_many(fillers)
    with TestClient(create_app(path)) as c:
        for params in ({"q": "tramline"}, {"q": "tramline", "type": "listing"}, {"q": "council", "type": "article", "site": "example.com"}):
            api = c.get("/api/search", params=params).json()
            flags = [x for k, v in params.items() if k != "q" for x in (f"--{k}", v)]
            cli = run_cli("search", params["q"], "--db", path, "--format", "jsonl", *flags, cwd=tmp_path)
            assert cli.returncode == 0, cli.stderr
            hits = [json.loads(line) for line in cli.stdout.splitlines()]
            assert [h["id"] for h in hits] == [r["id"] for r in api["results"]]
            assert [h["snippet"] for h in hits] == [r["snippet"] for r in api["results"]]
            if "type" in params:
                want = {a.id for a in fillers if a.page_type == params["type"]}
                assert {h["id"] for h in hits} <= want and hits
        assert c.get("/api/search", params={"type": "nonsense"}).status_code == 400
        assert c.get("/", params={"q": "tramline", "type": ""}).status_code == 200  # the form's "any"
    bad = run_cli("search", "tramline", "--db", path, "--type", "nonsense", cwd=tmp_path)
    assert bad.returncode == 2 and "nonsense" in bad.stderr


def test_quotes_speech_by_default_stance_on_request(client: TestClient) -> None:
    speech = client.get("/api/quotes").json()
    everything = client.get("/api/quotes", params={"family": "all"}).json()
    stance = client.get("/api/quotes", params={"family": "stance"}).json()
    assert {q["family"] for q in speech["results"]} == {"speech"}
    assert stance["total"] > 0 and {q["family"] for q in stance["results"]} == {"stance"}
    assert everything["total"] == speech["total"] + stance["total"]
    bad = client.get("/api/quotes", params={"family": "opinion"})
    assert bad.status_code == 400 and "unknown quote family" in bad.json()["detail"]
    page = client.get("/quotes").text
    assert "newsdesk quotes --all" in page  # the page says how to see the rest
    assert '<span class="family">stance</span>' in client.get("/quotes", params={"family": "stance"}).text
