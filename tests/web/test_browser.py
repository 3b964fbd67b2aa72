"""The web app in a real browser: `newsdesk serve` on a free port, driven by headless chromium.

One archive, one server and one browser per module: the bundled samples ingested through the
CLI, one hostile article whose every field carries markup, and a few dozen small filler
articles so that a search has more than one page. Each main page is screenshotted into
``artifacts/screenshots/`` at the repository root.

Chromium is Debian's (``/usr/bin/chromium``, or ``NEWSDESK_CHROMIUM``); Playwright's own
browser download is not used. Without it these tests fail, saying so, unless
``NEWSDESK_SKIP_BROWSER=1`` is set.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as urlquote

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright
from conftest import STORES, store_target
from support import cli_env, prose, run_cli

from newsdesk import Archive
from newsdesk.model import Article, Entity, Quote, RelatedLink, count_words, text_id

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Page loads are local and small; anything slower than this is a hang worth failing on.
TIMEOUT_MS = 15_000

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_LINK = "javascript:alert(document.domain)"
FILLERS = 45  # "tramline" articles: more than two pages of results at any usual page size


# -- the archive ---------------------------------------------------------------------------


def hostile_article() -> Article:
    """An article whose title, text, authors, entities, quotes and links all carry markup."""
    speaker = "Mallory Attacker"
    paragraphs = [
        f"Officials said {SCRIPT} was typed into the comment form of the hostile portal.",
        f"The second string, {IMG}, came from the same account.",
        f"“{SCRIPT} is harmless when escaped,” said {speaker}.",
        f"{speaker} told reporters that {IMG} would never run.",
    ]
    text = "\n\n".join(paragraphs)

    def spans(s: str) -> list[tuple[int, int]]:
        out, at = [], text.find(s)
        while at >= 0:
            out.append((at, at + len(s)))
            at = text.find(s, at + 1)
        return out

    entities = [
        Entity(SCRIPT, "PERSON", spans(SCRIPT)),
        Entity(IMG, "ORG", spans(IMG)),
        Entity(speaker, "PERSON", spans(speaker)),
    ]
    direct = paragraphs[2][: paragraphs[2].index("”") + 1]
    d0 = text.index(direct)
    reported = IMG + " would never run"
    r0 = text.index(reported)
    s_direct = spans(speaker)[0]
    s_reported = spans(speaker)[1]
    quotes = [
        Quote(direct, d0, d0 + len(direct), "direct", "said", speaker, 2, s_direct),
        Quote(reported, r0, r0 + len(reported), "indirect", "told", IMG, None, s_reported),
    ]
    for q in quotes:
        assert text[q.start : q.end] == q.text
    return Article(
        id=text_id(text),
        text=text,
        url=HOSTILE_LINK,
        site="hostile-example.com",
        site_name=IMG,
        title=f"{SCRIPT} {IMG} hostile headline",
        description=f"{IMG} description",
        authors=[SCRIPT, IMG],
        published="2021-05-05T10:00:00+00:00",
        language="en",
        related=[RelatedLink(title=SCRIPT, url="javascript:alert(2)", site="hostile-example.com")],
        tags=[SCRIPT, IMG],
        word_count=count_words(text),
        entities=entities,
        quotes=quotes,
        enriched=True,
    )


def filler_article(n: int) -> Article:
    """A small plain article: the 'tramline' search pages through these, two per month."""
    text = (
        f"Story {n}: the council met again about the tramline, reference zq{n}x.\n\n"
        "Officials said the new stops would open by the end of the decade."
    )
    month = 1 + n // 2 % 12
    year = 2018 + n // 24
    return Article(
        id=text_id(text),
        text=text,
        url=f"https://www.example.com/news/{n}-tramline",
        canonical_url=f"https://www.example.com/news/{n}-tramline",
        site="example.com",
        title=f"Council debates the tramline, part {n}",
        published=f"{year}-{month:02d}-{10 + n % 2:02d}T09:00:00+00:00",
        language="en",
        word_count=count_words(text),
        enriched=True,
    )


WIRE = prose(11)
WIRE_TITLE = "Storm closes the harbour"
COPY_TITLE = f"{SCRIPT} storm copy"


def linked_articles() -> list[Article]:
    """A wire story, its copy at another outlet (a hostile headline), and a blog reusing two
    of its paragraphs among its own."""
    own = prose(12).split("\n\n")
    blog = "\n\n".join([own[0], *WIRE.split("\n\n")[1:3], *own[1:4]])

    def page(name: str, text: str, site: str, published: str, title: str) -> Article:
        return Article(id="", text=text, url=f"https://{site}/{name}", site=site, published=published, title=title,
                       language="en", word_count=count_words(text))

    return [
        page("storm", WIRE, "wire.example", "2024-03-01T08:00:00+00:00", WIRE_TITLE),
        page("storm-copy", WIRE, "paper.example", "2024-03-02T09:30:00+00:00", COPY_TITLE),
        page("harbour", blog, "blog.example", "2024-03-04T12:00:00+00:00", "A blog on the harbour"),
    ]


@pytest.fixture(scope="module", params=STORES)
def archive_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    folder = tmp_path_factory.mktemp("web")
    db = store_target(request, folder / "web.db")
    proc = run_cli("ingest", SAMPLES, "--db", db, "--jobs", "2", "--quiet", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    with Archive(db) as archive:
        archive.add(hostile_article())
        archive.add_many(filler_article(n) for n in range(FILLERS))
        archive.add_many(linked_articles())
    return db


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(archive_path: Path | str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsdesk serve` as a user runs it, on a free port; stopped after the module."""
    port = free_port()
    folder = tmp_path_factory.mktemp("serve")
    log = folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "serve", "--db", str(archive_path), "--port", str(port)],
            cwd=folder,
            env=cli_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"newsdesk serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                if httpx.get(url + "/sources", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"newsdesk serve did not answer on {url} within 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the browser ---------------------------------------------------------------------------


def chromium_path() -> str:
    path = os.environ.get("NEWSDESK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = (
            f"no chromium at {path}: the browser tests drive Debian's chromium "
            "(apt-get install chromium; .ci/run installs it) or NEWSDESK_CHROMIUM=/path/to/chrome"
        )
        if os.environ.get("NEWSDESK_SKIP_BROWSER") == "1":
            pytest.skip(message + " [skipped: NEWSDESK_SKIP_BROWSER=1]")
        pytest.fail(message + " (set NEWSDESK_SKIP_BROWSER=1 to skip these tests)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Tab:
    """A browser page on the app, with everything that must never happen collected."""

    page: Page
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str, *, status: int = 200) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.status == status, f"{path}: HTTP {response.status}"
        self.page.locator("nav#top").wait_for()
        return self.page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def path(self) -> str:
        return self.page.url[len(self.base) :]


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    t = Tab(page, base_url)

    def on_dialog(dialog: Dialog) -> None:
        t.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(msg: ConsoleMessage) -> None:
        # A 404 or 400 page load is logged as "Failed to load resource"; those are asked for.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            t.errors.append(f"console: {msg.text}")

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: t.errors.append(f"page error: {exc}"))
    page.on("console", on_console)
    try:
        yield t
    finally:
        context.close()
    assert not t.dialogs, f"a dialog opened: {t.dialogs}"
    assert not t.errors, t.errors


def set_field(page: Page, name: str, value: str) -> None:
    """Fill the search form's filter NAME, whether it is a text input or a select."""
    field_ = page.locator(f'form#search [name="{name}"]')
    if field_.evaluate("el => el.tagName") == "SELECT":
        field_.select_option(value)
    else:
        field_.fill(value)


def submit_search(page: Page) -> None:
    with page.expect_navigation():
        page.locator('form#search input[name="q"]').press("Enter")


def result_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("article.result a.result-title").all_inner_texts()]


# -- the tests -----------------------------------------------------------------------------


def test_search_then_narrow_by_person_and_site(tab: Tab) -> None:
    page = tab.open("/")
    page.locator('form#search input[name="q"]').fill("China")
    submit_search(page)
    assert "q=China" in page.url
    everything = result_titles(page)
    assert len(everything) >= 5, everything
    assert any("Trade War" in t for t in everything)
    tab.screenshot("search")

    set_field(page, "person", "Trump")
    submit_search(page)
    by_trump = result_titles(page)
    assert 0 < len(by_trump) < len(everything), by_trump
    assert set(by_trump) <= set(everything)

    set_field(page, "person", "")
    set_field(page, "site", "rt.com")
    submit_search(page)
    on_rt = result_titles(page)
    assert len(on_rt) == 1 and "Tripoli" in on_rt[0], on_rt
    # The form keeps what was asked, so the next change narrows the same search.
    assert page.locator('form#search input[name="q"]').input_value() == "China"


def test_pager_walks_to_the_next_page(tab: Tab) -> None:
    page = tab.open("/?q=tramline")
    first = result_titles(page)
    assert first and all("tramline" in t for t in first)
    assert len(first) < FILLERS, "all results on one page: no paging"
    with page.expect_navigation():
        page.locator('nav.pager a[rel="next"]').first.click()
    assert "page=2" in page.url
    second = result_titles(page)
    assert second and not set(second) & set(first)


def test_chart_draws_bars_for_the_results(tab: Tab) -> None:
    page = tab.open("/?q=tramline")
    chart = page.locator("svg.chart").first
    chart.wait_for()
    assert chart.get_attribute("data-bucket")
    bars = chart.locator("rect.bar")
    assert bars.count() >= 2
    counts = [int(bar.get_attribute("data-count") or 0) for bar in bars.all()]
    assert sum(counts) == FILLERS, counts
    drawn = 0
    for bar in bars.all():
        assert bar.get_attribute("data-start")
        assert bar.locator("title").count() == 1
        box = bar.bounding_box()
        if int(bar.get_attribute("data-count") or 0) > 0:
            assert box is not None and box["width"] > 0 and box["height"] > 0, box
            drawn += 1
    assert drawn >= 2
    tab.screenshot("search-chart")


def test_article_from_results_shows_entities_and_quotes(tab: Tab) -> None:
    page = tab.open("/?q=Libya")
    link = page.locator("article.result a.result-title").first
    href = link.get_attribute("href") or ""
    assert href.startswith("/article/")
    with page.expect_navigation():
        link.click()
    assert tab.path() == href
    article = page.locator("div#article-text")
    assert "Bashagha" in article.inner_text()

    person = article.locator('mark.entity[data-label="PERSON"][data-entity="Fathi Bashagha"]')
    assert person.count() >= 2  # "Fathi Bashagha", then "Bashagha": one person
    person.first.hover()
    assert "Fathi Bashagha" in (person.first.get_attribute("title") or "")
    # A click opens a popover saying who it is, linking to their page.
    person.nth(1).click()
    popover = page.locator('[role="tooltip"]')
    assert "Fathi Bashagha" in popover.inner_text()
    assert popover.locator('a[href^="/entity/PERSON/"]').count() == 1
    labels = set(article.locator("mark.entity").evaluate_all("els => els.map(e => e.dataset.label)"))
    assert {"PERSON", "GPE"} <= labels, labels

    quotes = article.locator('.quote[data-speaker="Fathi Bashagha"]')
    assert quotes.count() >= 3
    kinds = set(quotes.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds <= {"direct", "partial", "indirect", "block"} and len(kinds) >= 2, kinds
    quotes.first.hover()
    assert "Fathi Bashagha" in (quotes.first.get_attribute("title") or "")
    quotes.first.dispatch_event("click")
    assert "Fathi Bashagha" in page.locator('[role="tooltip"]').inner_text()
    page.keyboard.press("Escape")
    assert page.locator('[role="tooltip"]').count() == 0

    record = json.loads(page.locator("pre#record-json").text_content() or "")
    assert href.endswith(record["id"]) and record["site"] == "rt.com"
    tab.screenshot("article")


def test_person_page_lists_their_quotes(tab: Tab) -> None:
    page = tab.open("/?q=Libya")
    with page.expect_navigation():
        page.locator("article.result a.result-title").first.click()
    link = page.locator('a.entity-link[href^="/entity/PERSON/"]', has_text="Fathi Bashagha").first
    with page.expect_navigation():
        link.click()
    assert tab.path().startswith("/entity/PERSON/")
    assert "Fathi Bashagha" in page.locator("h1").first.inner_text()
    items = page.locator("li.quote-item")
    assert items.count() >= 3
    texts = " ".join(items.all_inner_texts())
    assert "have a big strategy" in texts
    tab.screenshot("person")

    target = items.first.locator('a[href^="/article/"]').first
    href = target.get_attribute("href")
    with page.expect_navigation():
        target.click()
    assert tab.path() == href
    page.locator("div#article-text").wait_for()


def test_entities_list_links_to_entity_pages(tab: Tab) -> None:
    page = tab.open("/entities?label=PERSON")
    names = page.locator("a.entity-link").all_inner_texts()
    assert any("Xi Jinping" in n for n in names), names
    tab.screenshot("entities")
    with page.expect_navigation():
        page.locator("a.entity-link", has_text="Xi Jinping").first.click()
    assert tab.path().startswith("/entity/PERSON/")
    assert "Xi Jinping" in page.locator("h1").first.inner_text()
    assert page.locator('a[href^="/article/"]').count() >= 3  # the three articles naming him


def test_quotes_page_filters_by_speaker_and_kind(tab: Tab) -> None:
    page = tab.open("/quotes?speaker=Bashagha")
    body = page.inner_text("body")
    assert "have a big strategy" in body and "American base would lead to stability" in body
    tab.screenshot("quotes")
    page = tab.open("/quotes?speaker=Bashagha&kind=block")
    body = page.inner_text("body")
    assert "American base would lead to stability" in body
    assert "have a big strategy" not in body


def test_sources_table(tab: Tab) -> None:
    page = tab.open("/sources")
    table = page.locator("table#sources")
    rows = table.locator("tr", has_text="rt.com")
    assert rows.count() >= 1
    assert "2" in rows.first.inner_text()
    for site in ("bbc.com", "example.com", "hostile-example.com"):
        assert table.locator("tr", has_text=site).count() >= 1, site
    tab.screenshot("sources")


def test_unknown_article_and_bad_parameters(tab: Tab) -> None:
    page = tab.open("/article/0000000000000000", status=404)
    assert "0000000000000000" in page.inner_text("body")
    tab.open("/?q=China&since=yesterday", status=400)
    tab.open("/entities?label=BOGUS", status=400)
    tab.open("/quotes?kind=shouted", status=400)


def _assert_inert(tab: Tab) -> None:
    page = tab.page
    assert page.locator("img[onerror]").count() == 0
    assert page.locator('[href^="javascript:"], [src^="javascript:"]').count() == 0
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not any("alert(" in s for s in scripts), scripts
    assert tab.page.evaluate("() => document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
    assert not tab.dialogs, tab.dialogs


def test_hostile_article_renders_as_inert_text(tab: Tab) -> None:
    page = tab.open("/?q=hostile")
    titles = result_titles(page)
    assert any(SCRIPT in t and IMG in t for t in titles), titles
    _assert_inert(tab)

    with page.expect_navigation():
        page.locator("article.result a.result-title").first.click()
    text = page.locator("div#article-text").inner_text()
    assert SCRIPT in text and IMG in text
    assert SCRIPT in page.locator("h1").first.inner_text()
    assert SCRIPT in (page.locator("pre#record-json").text_content() or "")
    marks = page.locator("#article-text mark.entity").evaluate_all(
        "els => els.map(e => [e.dataset.entity, e.title, e.textContent])"
    )
    assert any(entity == SCRIPT and content == SCRIPT for entity, _, content in marks), marks
    assert any(entity == IMG for entity, _, _ in marks), marks
    speakers = page.locator("#article-text .quote").evaluate_all("els => els.map(e => e.dataset.speaker)")
    assert IMG in speakers, speakers
    _assert_inert(tab)
    tab.screenshot("hostile-article")

    # Every page that shows these names shows them as text, links included.
    for path in (
        f"/entities?label=ORG&name={urlquote('img src onerror')}",
        "/quotes?q=harmless",
        f"/quotes?speaker={urlquote(IMG)}",
        "/sources",
    ):
        page = tab.open(path)
        _assert_inert(tab)
    for name, label in ((SCRIPT, "PERSON"), (IMG, "ORG")):
        page = tab.open(f"/entities?label={label}&name={urlquote('alert')}")
        link = page.locator("a.entity-link", has_text=name).first
        with page.expect_navigation():
            link.click()
        assert tab.path().startswith(f"/entity/{label}/"), tab.path()
        assert name in page.locator("h1").first.inner_text()
        _assert_inert(tab)


def test_stories_lead_to_a_story_with_its_copy_marked(tab: Tab) -> None:
    page = tab.open("/stories")
    rows = page.locator("table#stories tr.story-row")
    assert rows.count() >= 3
    dot = rows.first.locator("svg.strip circle.dot").first
    box = dot.bounding_box()
    assert box is not None and box["width"] > 0, box
    _assert_inert(tab)
    tab.screenshot("stories")

    page.locator('form#story-filters input[name="site"]').fill("paper.example")
    with page.expect_navigation():
        page.locator('form#story-filters input[name="q"]').press("Enter")
    assert "site=paper.example" in page.url
    link = page.locator("a.story-link")
    assert link.count() == 1
    with page.expect_navigation():
        link.click()
    assert tab.path().startswith("/story/")

    entries = page.locator("ol.timeline li.timeline-entry")
    assert entries.count() >= 2
    assert WIRE_TITLE in entries.nth(0).inner_text() and entries.nth(0).locator(".copy-mark").count() == 0
    copy = page.locator("li.timeline-entry.is-copy")
    assert copy.count() == 1
    assert COPY_TITLE in copy.inner_text() and "paper.example" in copy.inner_text()
    mark = copy.locator(".copy-mark")
    assert mark.is_visible() and mark.inner_text().startswith("copy of")
    origin = mark.locator("a")
    assert origin.inner_text() == WIRE_TITLE
    _assert_inert(tab)
    tab.screenshot("story")

    href = origin.get_attribute("href") or ""
    with page.expect_navigation():
        origin.click()
    assert tab.path() == href
    copied_by = page.locator("section.links.copied-by")
    assert COPY_TITLE in copied_by.inner_text()
    assert page.locator("section.same-story a.story-link").count() == 1
    _assert_inert(tab)
    tab.screenshot("article-links")


def test_reused_passages_sit_side_by_side(tab: Tab) -> None:
    page = tab.open("/stories?site=blog.example")
    with page.expect_navigation():
        page.locator("a.story-link").first.click()
    pair = page.locator(".passage-pair").first
    left, right = pair.locator("figure.passage-article"), pair.locator("figure.passage-source")
    assert "blog.example" in left.inner_text() and "wire.example" in right.inner_text()
    lbox, rbox = left.bounding_box(), right.bounding_box()
    assert lbox is not None and rbox is not None
    assert lbox["x"] + lbox["width"] <= rbox["x"] and abs(lbox["y"] - rbox["y"]) < 2, (lbox, rbox)
    reused = [m.inner_text() for m in pair.locator("mark.reused").all()]
    assert len(reused) == 2 and reused[0] == reused[1] and WIRE.split("\n\n")[1][:40] in reused[0]
    tab.screenshot("story-reuse")
