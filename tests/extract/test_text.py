"""The text-dump extractor: the seed example exactly, and small made-up dumps of both styles."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsdesk
from newsdesk.extract.dates import find_dateline
from newsdesk.extract.text import related_link
from newsdesk.model import Source

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "rt-libya-2020-02-23.txt"

SEED_TITLE = "Tripoli govt invites Pentagon to redeploy troops to NATO-ravaged Libya… to ‘deter Russia’"


@pytest.fixture(scope="module")
def seed() -> newsdesk.Article:
    return newsdesk.extract(SEED.read_bytes())


def test_seed_title_once_and_not_in_text(seed: newsdesk.Article) -> None:
    assert seed.title == SEED_TITLE
    assert SEED_TITLE not in seed.text


def test_seed_date_site_type(seed: newsdesk.Article) -> None:
    assert seed.published == "2020-02-23T05:06:00"
    assert seed.site == "rt.com"
    assert seed.page_type == "article"
    assert seed.source.format == "text"
    assert seed.language == "en"


def test_seed_body(seed: newsdesk.Article) -> None:
    paras = seed.paragraphs
    assert len(paras) == 8
    assert paras[0].startswith("Nine years after the US helped bomb")
    assert paras[-1].endswith("paved the way for several other meetings between the sides.")
    # both block quotes that lost their quote marks stay as body paragraphs
    assert any(p.startswith("If the US asks for a base") for p in paras)
    assert any(p.startswith("The redeployment is not clear to us") for p in paras)
    assert "\n\n\n" not in seed.text
    assert seed.text == "\n\n".join(paras)


def test_seed_drops_page_furniture(seed: newsdesk.Article) -> None:
    assert "icon bookmark" not in seed.text
    assert "Also on rt.com" not in seed.text
    assert "Think your friends would be interested?" not in seed.text
    assert "Turkey trying to" not in seed.text
    assert "23 Feb, 2020" not in seed.text


def test_seed_related(seed: newsdesk.Article) -> None:
    titles = [r.title for r in seed.related]
    assert titles == [
        "Turkey trying to ‘CONQUER’ Libya, not to bring peace, says top Tripoli govt diplomat visiting Moscow",
        "Withdrawal of mercenaries and Turkish troops from Libya is a condition for end of hostilities – General Haftar",
    ]
    assert all(r.site == "rt.com" and r.url is None for r in seed.related)


def test_seed_through_str_and_text_kind() -> None:
    a = newsdesk.extract(SEED.read_text(encoding="utf-8"), kind="text")
    assert a.title == SEED_TITLE and a.published == "2020-02-23T05:06:00" and len(a.paragraphs) == 8


def test_url_gives_site() -> None:
    a = newsdesk.extract(SEED.read_bytes(), url="https://www.example.org/news/tripoli-govt-invites-pentagon")
    assert a.site == "example.org"


BODY = [
    "The city council voted on Tuesday to extend the river path by four kilometres, ending a dispute that had run for most of the year.",
    "Supporters said the extension would let cyclists reach the new station without using the ring road, which has seen several accidents.",
    "Opponents had argued that the money should go to repairing older paths first, and some residents worried about noise near their gardens.",
    "The first section is expected to open next spring, and the council will publish a detailed timetable in the coming weeks.",
]

PARA_DUMP = "\n\n".join(
    [
        "Skip to content\nHome\nNews\nSport\nWeather\nContact us",
        "We use cookies to improve your experience. Accept all",
        "Council approves river path extension after long dispute",
        "By Jane Doe and Tom Baker",
        "Published March 3, 2021 at 9:15 am",
        BODY[0],
        BODY[1],
        "Read more: Residents split over new cycle lanes in the north",
        BODY[2],
        "Related: How the ring road became the county's most dangerous route",
        BODY[3],
        "Share this story\nFacebook\nTwitter\nEmail",
        "© 2021 Riverside Gazette. All rights reserved.\nPrivacy Policy\nTerms of Use",
    ]
)

WET_DUMP = "\n".join(
    [
        "Menu",
        "Home",
        "Politics",
        "Business",
        "Sign in",
        "Subscribe",
        "Council approves river path extension after long dispute",
        "12 May 2022",
        BODY[0],
        BODY[1],
        "Read more: Residents split over new cycle lanes in the north https://news.example.net/cycle-lanes",
        BODY[2],
        BODY[3],
        "Council approves river path extension after long dispute",
        "Follow us on Facebook",
        "Newsletter",
        "Privacy Policy",
        "Cookie settings",
    ]
)


@pytest.mark.parametrize("dump", [PARA_DUMP, WET_DUMP], ids=["para", "wet"])
def test_made_up_dump_body_and_furniture(dump: str) -> None:
    a = newsdesk.extract(dump, kind="text")
    assert a.paragraphs == BODY
    assert a.title == "Council approves river path extension after long dispute"
    assert a.page_type == "article"
    for junk in ("Skip to content", "cookies", "Share this story", "Privacy Policy", "Follow us", "Read more", "Subscribe"):
        assert junk not in a.text


def test_para_dump_byline_date_related() -> None:
    a = newsdesk.extract(PARA_DUMP, kind="text")
    assert a.authors == ["Jane Doe", "Tom Baker"]
    assert a.published == "2021-03-03T09:15:00"
    assert [r.title for r in a.related] == [
        "Residents split over new cycle lanes in the north",
        "How the ring road became the county's most dangerous route",
    ]
    assert all(r.url is None and r.site is None for r in a.related)
    assert a.site is None


def test_wet_dump_date_and_related_url() -> None:
    a = newsdesk.extract(WET_DUMP, kind="text", source="dump.txt")
    assert a.published == "2022-05-12"
    assert a.related[0].title == "Residents split over new cycle lanes in the north"
    assert a.related[0].url == "https://news.example.net/cycle-lanes"
    assert a.related[0].site == "example.net"
    assert a.source.path == "dump.txt"


def test_menu_only_dump_is_not_an_article() -> None:
    dump = "\n".join(["Home", "News", "World", "Business", "Sport", "Contact us", "Privacy Policy", "Sign in", "Subscribe"])
    a = newsdesk.extract(dump, kind="text")
    assert a.page_type != "article" or a.text == ""
    assert a.text == ""
    assert a.warnings


@pytest.mark.parametrize(
    "dump",
    [
        "One line only.",
        "word " * 20000,
        " \n\t\n \u00a0 \n\n",
        "\n\n\n",
        "x",
        "Read more:",
        "By",
    ],
    ids=["one-line", "very-long-line", "whitespace", "blank-lines", "one-char", "bare-read-more", "bare-by"],
)
def test_odd_input_does_not_crash(dump: str) -> None:
    from newsdesk.extract.text import extract_text

    a = extract_text(dump, source=Source(format="text"))
    assert isinstance(a.text, str)
    assert a.page_type in ("article", "listing", "front", "other")


@pytest.mark.parametrize(
    ("line", "title", "site"),
    [
        ("Also on example.com Storm closes the coastal road", "Storm closes the coastal road", "example.com"),
        ("READ MORE: Storm closes the coastal road", "Storm closes the coastal road", None),
        ("Related: Storm closes the coastal road", "Storm closes the coastal road", None),
        ("See also - Storm closes the coastal road", "Storm closes the coastal road", None),
    ],
)
def test_related_line_forms(line: str, title: str, site: str | None) -> None:
    link = related_link(line)
    assert link is not None and link.title == title and link.site == site


@pytest.mark.parametrize("line", ["Read more", "Related", "Related: News", "The related question is open."])
def test_not_related_lines(line: str) -> None:
    assert related_link(line) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("23 Feb, 2020 05:06", "2020-02-23T05:06:00"),
        ("Published March 3, 2021 at 9:15 am", "2021-03-03T09:15:00"),
        ("By A. Writer 2019-11-18T22:05:36Z News", "2019-11-18T22:05:36+00:00"),
        ("no date here, just 42 words", None),
    ],
)
def test_find_dateline(text: str, iso: str | None) -> None:
    found = find_dateline(text)
    assert (found[1] if found else None) == iso


# Dump-line features are computed over the whole dump at once; these pin them to the plain
# per-line reading they stand for.
_ODD_LINES = st.text(
    alphabet=st.sampled_from(list("aZ 9_,.:;!?-–|/»”)ßİǅΣς。！\u00a0\u3000\t") + ["😀", "𐐀", "𐐨", "é", "東", "京"]),
    max_size=40,
)


@given(st.lists(_ODD_LINES, max_size=12))
def test_dump_words_match_per_line_count(raw: list[str]) -> None:
    from newsdesk.extract.dumplines import split_dump

    lines = split_dump("\n".join(raw))
    assert [line.words for line in lines] == [len(re.findall(r"\w+", line.text)) for line in lines]
    assert all(line.text == " ".join(line.text.split()) and line.text for line in lines)


@given(st.lists(_ODD_LINES, min_size=1, max_size=12))
def test_dump_line_features_per_line(raw: list[str]) -> None:
    from newsdesk.extract.dumplines import BASE_FEATURES, base_features, split_dump

    lines = split_dump("\n".join(raw))
    x = base_features(lines, url="https://example.org/news/zeta-alpha-9")
    assert x.shape == (len(lines), len(BASE_FEATURES)) and np.isfinite(x).all()
    col = {name: x[:, i] for i, name in enumerate(BASE_FEATURES)}
    for i, line in enumerate(lines):
        toks = line.text.split()
        assert col["cap_frac"][i] == pytest.approx(sum(t[0].isupper() for t in toks) / max(len(toks), 1))
        assert col["commas"][i] == pytest.approx(line.text.count(",") / (line.words + 1))
        assert col["colon_end"][i] == line.text.endswith(":")
        assert col["starts_lower"][i] == line.text[0].islower()
        assert col["sent_end"][i] == (re.search(r"[.!?。！？…][\"'”’»)\]]*$", line.text) is not None)


def test_dump_line_features_read_markers_and_slug() -> None:
    from newsdesk.extract.dumplines import BASE_FEATURES, base_features, split_dump

    lines = split_dump("Share this story\nRiver path extension approved\n" + BODY[0] + "\n12 Comments\nGreat news, well done.")
    x = base_features(lines, url="https://news.example.org/2021/river-path-extension")
    col = {name: x[:, i].tolist() for i, name in enumerate(BASE_FEATURES)}
    assert col["boiler_start"] == [1, 0, 0, 0, 0]
    assert col["comment_marker"] == [0, 0, 0, 1, 0]
    assert col["comment_markers_before"][4] > 0
    assert col["url_overlap"][1] == 1.0 and col["head_after"][2] > 0 and col["head_before"][0] > 0
