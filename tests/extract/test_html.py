"""The HTML extractor on small hand-written pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import newsdesk
from newsdesk.extract.authors import clean_authors
from newsdesk.extract.metadata import strip_site, url_date

DATA = Path(__file__).resolve().parents[1] / "data" / "html"
URL = "https://www.coastal.example/news/2021/03/08/harbour-bridge-reopens?utm_source=x"


@pytest.fixture(scope="module")
def story() -> newsdesk.Article:
    return newsdesk.extract((DATA / "story.html").read_bytes(), url=URL)


def test_metadata_from_json_ld_and_opengraph(story: newsdesk.Article) -> None:
    assert story.title == "Harbour bridge reopens after repairs"
    assert story.site_name == "The Coastal Courier"
    assert story.description == "The harbour bridge reopened on Monday after eight months of repairs."
    assert story.canonical_url == "https://www.coastal.example/news/2021/03/08/harbour-bridge-reopens"
    assert story.url == URL
    assert story.site == "coastal.example"
    assert story.language == "en"
    assert story.tags == ["Transport", "Harbour"]
    assert story.page_type == "article"
    assert story.published == "2021-03-08T09:15:00+01:00"
    assert story.modified == "2021-03-09T10:00:00+01:00"
    assert story.authors == ["Jane Doe"]
    assert "no structured data" not in story.warnings


def test_main_text_paragraphs(story: newsdesk.Article) -> None:
    paras = story.paragraphs
    assert paras[0].startswith("The harbour bridge reopened on Monday")
    assert "What changes for drivers" in paras  # a heading is its own paragraph
    assert "Both lanes open from 6 a.m. on Monday." in paras  # so is each list item
    assert "Cyclists get a separate, protected lane." in paras
    assert paras[-1].startswith("Local businesses on the north shore")
    assert "\n\n\n" not in story.text


@pytest.mark.parametrize(
    "junk",
    ["Home", "Share on Facebook", "Tweet", "Ferry timetable", "Sign up for our morning newsletter", "Most read",
     "All rights reserved", "Photo: Coastal Courier", "2 hours ago", "Harbour bridge reopens after repairs"],
)
def test_boilerplate_left_out(story: newsdesk.Article, junk: str) -> None:
    assert junk not in story.text


def test_related_links(story: newsdesk.Article) -> None:
    by_title = {r.title: r for r in story.related}
    ferry = by_title["Ferry timetable changes as bridge work nears its end"]
    assert ferry.url == "https://www.coastal.example/news/2021/02/01/ferry-timetable-changes"
    assert ferry.site == "coastal.example"
    assert by_title["A short history of the harbour bridge and its keepers"].site == "other.example"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["By Jane Doe, Staff Writer"], ["Jane Doe"]),
        (["BY JOHN SMITH AND MARY JONES"], ["JOHN SMITH", "MARY JONES"]),
        (["Staff"], []),
        (["jane@example.com"], []),
        (["2 hours ago"], []),
        (["Ana Lima | Reporter", "ana lima"], ["Ana Lima"]),
        (["Written by: Li Wei"], ["Li Wei"]),
    ],
    ids=["role", "and-caps", "staff", "email", "relative-time", "dedupe", "written-by"],
)
def test_clean_authors(raw: list[str], names: list[str]) -> None:
    assert clean_authors(raw) == names


@pytest.mark.parametrize(
    ("title", "site", "domain", "expected"),
    [
        ("Storm hits coast | Daily Planet", "Daily Planet", None, "Storm hits coast"),
        ("Daily Planet - Storm hits coast", "Daily Planet", None, "Storm hits coast"),
        ("Storm hits coast - planet.example", None, "planet.example", "Storm hits coast"),
        ("Brexit - what happens next", "Daily Planet", None, "Brexit - what happens next"),
    ],
    ids=["pipe-suffix", "dash-prefix", "domain-suffix", "dash-in-headline"],
)
def test_strip_site(title: str, site: str | None, domain: str | None, expected: str) -> None:
    assert strip_site(title, site, domain) == expected


def _page(head: str, body: str, lang: str = "en") -> str:
    return f"<!doctype html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


PROSE = (
    "<p>The committee met on Tuesday to discuss the proposal, which has divided residents for months, "
    "and agreed to publish a revised plan before the end of the year.</p>" * 3
)


@pytest.mark.parametrize(
    ("head", "body", "url", "published"),
    [
        ("<meta property='article:published_time' content='2020-02-23T05:06:00Z'>", PROSE, None, "2020-02-23T05:06:00+00:00"),
        ("<meta name='pubdate' content='2020-02-23'>", PROSE, None, "2020-02-23"),
        ("", "<article><time datetime='2020-02-23T05:06'>Feb 23</time>" + PROSE + "</article>", None, "2020-02-23T05:06:00"),
        ("", PROSE, "https://example.com/world/2020/02/23/story-slug", "2020-02-23"),
        ("", PROSE, None, None),
    ],
    ids=["meta-with-offset", "meta-date-only", "time-element", "url-pattern", "none"],
)
def test_published_date(head: str, body: str, url: str | None, published: str | None) -> None:
    art = newsdesk.extract(_page(head, body), url=url)
    assert art.published == published


def test_url_date() -> None:
    assert url_date("https://x.example/2019/11/19/opinion/a.html") == "2019-11-19"
    assert url_date("https://x.example/story/123456") is None


def test_title_from_title_tag_is_warned() -> None:
    art = newsdesk.extract(_page("<title>Council budget approved | Town News</title>", PROSE))
    assert art.title == "Council budget approved"
    assert "title from <title> tag" in art.warnings
    assert "no structured data" in art.warnings


def test_short_text_warned() -> None:
    art = newsdesk.extract(_page("<title>Short</title>", "<p>Just a few words here, nothing more.</p>"))
    assert "text shorter than 50 words" in art.warnings


def test_encoding_from_bytes() -> None:
    html = _page("<meta charset='windows-1252'><title>Caf\u00e9 opens</title>", PROSE.replace("committee", "caf\u00e9 committee"), lang="fr")
    art = newsdesk.extract(html.encode("cp1252"))
    assert "caf\u00e9 committee" in art.text
    assert art.language == "fr"


def test_listing_page() -> None:
    teasers = "".join(
        f"<li><a href='/news/story-{i}'>Teaser headline number {i} about something</a></li>" for i in range(40)
    )
    art = newsdesk.extract(_page("<title>World news</title>", f"<ul>{teasers}</ul>"), url="https://news.example/world/")
    assert art.page_type == "listing"


def test_front_page() -> None:
    teasers = "".join(f"<h3><a href='/story-{i}'>Story {i} headline here</a></h3>" for i in range(20))
    art = newsdesk.extract(_page("<meta property='og:type' content='website'>", teasers + PROSE), url="https://news.example/")
    assert art.page_type == "front"


def test_deep_nesting_finishes() -> None:
    start = time.perf_counter()
    art = newsdesk.extract("<html><body>" + "<div>" * 100_000 + "deep text" + "</body></html>")
    assert "deep text" in art.text
    assert time.perf_counter() - start < 60


def test_big_page_finishes() -> None:
    body = "<div class='teaser'><a href='/x'>link</a></div>" * 20_000 + PROSE * 2_000
    art = newsdesk.extract(_page("<title>Big</title>", body))
    assert art.word_count > 10_000


def test_no_body_text() -> None:
    art = newsdesk.extract("<html><head><title>Empty page</title></head><body></body></html>")
    assert art.text == ""
    assert "no main text found" in art.warnings


def test_visible_byline_date() -> None:
    body = "<h1>Council budget approved</h1><div class='info'>Published December 19, 2025 · 4 min read</div>" + PROSE
    art = newsdesk.extract(_page("<title>Council budget approved</title>", body))
    assert art.published == "2025-12-19"


@pytest.mark.parametrize(
    ("text", "date"),
    [("Published December 19, 2025", "2025-12-19"), ("19th of Dec. 2025", "2025-12-19"), ("May 2025", None), ("03/04/2025", None)],
    ids=["month-first", "day-first", "no-day", "ambiguous-numeric"],
)
def test_find_date(text: str, date: str | None) -> None:
    from newsdesk.extract.dates import find_date

    assert find_date(text) == date


def test_story_inside_junk_looking_wrapper_within_article() -> None:
    # A layout wrapper named like a sidebar, inside the <article>, holds the whole story.
    body = (
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<article><h1>Council budget approved</h1><div class='content-with-sidebar-wrap'>" + PROSE * 2 + "</div></article>"
        "<footer>All rights reserved</footer>"
    )
    art = newsdesk.extract(_page("<title>Council budget approved</title>", body))
    assert art.text.startswith("The committee met on Tuesday")
    assert "All rights reserved" not in art.text


@pytest.mark.parametrize(
    ("hint", "junk"),
    [("sidebar", True), ("sidebar-widget", True), ("content-area has-sidebar", False), ("with-rail", False),
     ("article-body share-enabled", False), ("contextmenu", True), ("social-share", True), ("social-media-embed", False)],
    ids=["sidebar", "sidebar-widget", "has-sidebar", "with-rail", "keep-wins", "menu-substring", "share-bar", "embedded-post"],
)
def test_class_hints(hint: str, junk: bool) -> None:
    from newsdesk.extract.boilerplate import JUNK, hints

    assert bool(hints().classify(hint, {}) & JUNK) is junk


@pytest.mark.parametrize(
    "line",
    ["Image copyright Getty Images", "Follow Newsbeat on Instagram, Facebook and YouTube.", "Join our weekly newsletter!",
     "Share this on:", "Article continues below", "Get started for free",
     "Protesters gathered outside the court on Monday (Image: GETTY )", "DON'T MISS"],
)
def test_boilerplate_lines(line: str) -> None:
    from newsdesk.extract.boilerplate import hints

    assert hints().lines.match(line)


def test_page_builder_blocks_inside_article_are_read() -> None:
    # Page builders wrap each part of a story in "widget" blocks; inside an <article> they are text.
    part = "<div class='so-panel widget widget_text'>" + PROSE + "</div>"
    body = "<aside class='widget'><p>Sidebar note that is not the story at all.</p></aside><article><h1>Budget</h1>" + part * 3 + "</article>"
    art = newsdesk.extract(_page("<title>Budget</title>", body))
    assert art.text.count("The committee met on Tuesday") == 9
    assert "Sidebar note" not in art.text


def test_comments_inside_content_wrapper_stay_out() -> None:
    comments = "".join(
        f"<div class='comment'><div class='comment_content'><p>Reader {i} writes a long reply about the budget, "
        "the committee and the plan, disagreeing with most of what was said by the others here.</p></div></div>"
        for i in range(8)
    )
    body = f"<div id='content'><article><h1>Budget</h1>{PROSE}</article><div id='comments'>{comments}</div></div>"
    art = newsdesk.extract(_page("<title>Budget</title>", body))
    assert art.text.startswith("The committee met on Tuesday")
    assert "Reader" not in art.text


def test_teasers_above_the_headline_stay_out() -> None:
    ticker = "".join(
        f"<li><a href='/n/{i}'>Minister announces review of rail fares number {i}</a> LONDON: The minister said "
        "on Tuesday that fares would be reviewed before the end of the year, after months of complaints.</li>"
        for i in range(4)
    )
    body = f"<div><ul class='ticker'>{ticker}</ul><h2>Council budget approved</h2>{PROSE * 3}</div>"
    art = newsdesk.extract(_page("<title>Council budget approved</title>", body))
    assert art.text.startswith("The committee met on Tuesday")
    assert "Minister announces" not in art.text


def test_standfirst_above_the_body_wrapper_is_kept() -> None:
    intro = "<p>Residents waited two years for a decision on the harbour plan, and on Tuesday they finally got one.</p>"
    body = f"<article><h1>Budget</h1><div class='intro'>{intro}</div><div class='article-body'>{PROSE * 2}</div></article>"
    art = newsdesk.extract(_page("<title>Budget</title>", body))
    assert art.text.startswith("Residents waited two years")


def test_related_list_of_articles_is_not_the_story() -> None:
    others = "".join(
        f"<article class='post'><p>Another story number {i}: the committee that met last spring agreed on a plan "
        "for the harbour, the ferries, the bridges and the bus lanes, and published it before the summer.</p></article>"
        for i in range(12)
    )
    body = (
        f"<article class='post'><h1>Budget</h1>{PROSE}</article>"
        f"<article class='post'><h3 class='related-posts-title'>You may like</h3>{others}</article>"
    )
    from selectolax.lexbor import LexborHTMLParser

    from newsdesk.extract import content

    w = content.walk(LexborHTMLParser(_page("<title>Budget</title>", body)).body)
    anchors = content.find_anchors(w, "Budget", None)
    content.weigh(w, anchors)
    chosen = content.choose(w)
    # The related <article> outweighs the short story, but it is never chosen as the story.
    assert w.blocks[anchors[0]].text == "Budget"
    assert w.first_block[chosen] <= anchors[0] < w.end_block[chosen]


# Twelve unpunctuated lines of a Chinese travel post (the style of photo blogs), then a comment
# thread of short punctuated replies. Each line is under 40 characters, but carries a sentence.
_POST_LINES = [
    "一波波接續性低溫寒流報到已將山區一帶層層山巒披上嫣紅的彩衣",
    "道路一路上雲氣山嵐滯留山頭順路下切蜿蜒道路後不久即抵達營地",
    "美樹美如其名偌大楓香樹早已呈現金黃泛紅色彩也是愛攝人仕喜愛",
    "第二次造訪發現到營區變了印象中以前生冷招牌換成了原木招牌",
    "燻黑原木加上金黃色醒目字體加上了貓頭鷹原木創作充分發揮功力",
    "營區內除了露營民宿餐飲賞楓項目多了許多原木飾品更有加乘效果",
    "廣受歡迎的營地有個很大特色就是楓紅時期楓香樹由綠轉黃轉紅",
    "每年十二月向來是攝影班外拍的絕佳場所之一楓紅期間入園收費",
    "來到現場已是落葉飄飄堆疊滿地不時隨著風吹雨襲而葉落垂地",
    "不忍踩過剛剛掉落的樹葉沿著前人足跡踏痕輕踩而行慢慢前進",
    "葉落繽紛顯得幾分蕭瑟氣息空氣中可以嗅得出來依然瀰漫濕寒水氣",
    "偶而還會飄下來一些霧氣水滴不時張望尋找最佳楓葉主題拍攝",
]


def test_unpunctuated_chinese_lines_are_the_story_not_labels() -> None:
    post = "".join(f"<p>{line}</p>" for line in _POST_LINES)
    comments = "".join(f"<p>{c}</p>" for c in ("好美的楓葉，下次一定要去！", "謝謝分享，照片拍得真好。", "這個地方記下來了。"))
    html = (f"<html><head><title>美樹營地賞楓</title></head><body><h1>美樹營地賞楓</h1>"
            f"<div class='post-body'>{post}</div><div class='replies'>{comments}</div></body></html>")
    a = newsdesk.extract(html, url="https://blog.example.tw/post/1")
    assert a.paragraphs[: len(_POST_LINES)] == _POST_LINES


@pytest.mark.parametrize("href", ["javascript:", "JavaScript:void(0)", None])
def test_anchor_that_goes_nowhere_is_page_text(href: str | None) -> None:
    # A script's button or a named anchor wrapping the story is not a link away from it: its
    # words are not link text (which would make the story look like navigation).
    attr = "" if href is None else f" href='{href}'"
    body = f"<a{attr} name='top'>{PROSE}</a>"
    art = newsdesk.extract(_page("<title>Budget</title>", body))
    assert "The committee met on Tuesday" in art.text
    link = newsdesk.extract(_page("<title>Budget</title>", f"<a href='/elsewhere'>{PROSE}</a>"))
    assert "The committee met on Tuesday" not in link.text


@pytest.mark.parametrize("line", ["By Jane Doe", "Nov. 20, 2019, 9:28 AM UTC", "Jane Doe 2019-11-20 17:27:46",
                                  "By Jane Doe | Updated 20 November 2019"])
def test_byline_and_dateline_at_the_head_are_not_text(line: str) -> None:
    # The metadata holds who and when; the line that says so is not a paragraph of the story.
    head = "<title>Budget</title><meta name='author' content='Jane Doe'>"
    dek = "<p>The plan divides residents, and the vote is close.</p>"  # a standfirst: prose above the credit
    art = newsdesk.extract(_page(head, f"<article>{dek}<p>{line}</p>{PROSE}</article>"))
    assert art.authors == ["Jane Doe"]
    assert line not in art.text
    assert art.text.startswith("The plan divides residents, and the vote is close.\n\nThe committee met on Tuesday")


@pytest.mark.parametrize("line", ["Jane Doe on the budget vote", "Updated guidance for 2020 applicants"])
def test_head_lines_that_say_more_than_a_credit_stay(line: str) -> None:
    head = "<title>Budget</title><meta name='author' content='Jane Doe'>"
    dek = "<p>The plan divides residents, and the vote is close.</p>"
    art = newsdesk.extract(_page(head, f"<article>{dek}<p>{line}.</p>{PROSE}</article>"))
    assert f"{line}." in art.text


def _prose(n: int, topic: str) -> str:
    return " ".join(f"Sentence {i} of the {topic} part says what happened at the harbour that day." for i in range(n))


def _split_story(second_headline: bool) -> str:
    # The story's markup repeated twice inside one article wrapper, a related box between the parts
    # (or, with a headline of its own, the next article of an endless-scroll page).
    related = "".join(f'<li><a href="/news/{i}">Another story number {i} about the town</a></li>' for i in range(8))
    head = "<h1>The ferry timetable changes next month</h1>" if second_headline else ""
    return f"""<html><head><title>Harbour bridge reopens</title></head><body>
<article><h1>Harbour bridge reopens</h1>
<div class="wrap"><div class="story-body story-body-1"><p>{_prose(3, "opening")}</p></div>
<aside class="related"><h3>Related coverage</h3><ul>{related}</ul></aside></div>
<div class="wrap">{head}<div class="story-body story-body-2"><p>{_prose(6, "closing")}</p>
<p>{_prose(5, "closing")}</p></div></div>
</article></body></html>"""


def test_a_story_cut_in_parts_by_a_box_is_read_whole() -> None:
    article = newsdesk.extract(_split_story(second_headline=False))
    assert "opening part" in article.text and "closing part" in article.text
    assert article.text.index("opening part") < article.text.index("closing part")
    assert "Another story number" not in article.text


def test_the_next_article_of_an_endless_page_is_not_a_part() -> None:
    article = newsdesk.extract(_split_story(second_headline=True))
    assert "closing part" in article.text
    assert "opening part" not in article.text
