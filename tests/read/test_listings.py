"""Feeds and sitemaps: sniffing, the entries and their metadata, bounds, and hostile documents."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdesk.read.listings as listings
from newsdesk.errors import CompressionError, InputError, TooLarge
from newsdesk.read.listings import LISTING_KINDS, Entry, Listing, feed_links, parse_listing

BASE = "https://news.example/feeds/main.xml"

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example  News &amp; Views</title>
  <link>https://news.example/</link>
  <language>en-US</language>
  <item>
    <title>Budget passes</title>
    <link>/politics/budget-passes</link>
    <pubDate>Fri, 01 Mar 2024 10:09:00 +0100</pubDate>
    <dc:creator>Jane Doe</dc:creator>
  </item>
  <item>
    <title>Storm warning</title>
    <guid isPermaLink="true">https://news.example/weather/storm</guid>
    <author>desk@news.example (Weather Desk)</author>
  </item>
  <item><title>No link at all</title><description>dropped</description></item>
</channel>
</rss>"""

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Nouvelles</title>
    <link>https://rdf.example/</link>
    <dc:language>fr-FR</dc:language>
    <items><rdf:Seq><rdf:li rdf:resource="https://rdf.example/r1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example/r1">
    <title>Élection</title>
    <link>https://rdf.example/r1</link>
    <dc:date>2024-03-01T10:09:00+01:00</dc:date>
    <dc:creator>Zoé Martin</dc:creator>
  </item>
</rdf:RDF>""".encode()

RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
<title>Old News</title>
<link>http://old.example/</link>
<language>de</language>
<item><title>Café</title><link>http://old.example/1.html</link></item>
</channel>
</rss>""".encode("iso-8859-1")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB" xml:base="https://atom.example/blog/">
  <title type="html">Atom &lt;em&gt;Desk&lt;/em&gt;</title>
  <id>tag:atom.example,2024:feed</id>
  <updated>2024-03-02T00:00:00Z</updated>
  <author><name>Feed Editor</name></author>
  <entry xml:lang="pt-BR">
    <title>Relative entry</title>
    <link rel="alternate" href="2024/relative.html"/>
    <id>tag:atom.example,2024:1</id>
    <published>2024-03-01T10:09:00+01:00</published>
    <updated>2024-03-02T12:00:00Z</updated>
    <author><name>Ann</name></author>
    <author><name>Ben</name></author>
    <author><name>Ann</name></author>
  </entry>
  <entry>
    <title>Root-relative, only updated, a bare-date published</title>
    <link href="/other/entry"/>
    <id>tag:atom.example,2024:2</id>
    <published>2024-02-29</published>
    <updated>2024-03-01T00:00:00-05:00</updated>
  </entry>
  <entry>
    <title>Id as link</title>
    <id>https://atom.example/by-id</id>
    <updated>2024-03-01T00:00:00Z</updated>
  </entry>
</feed>"""

JSONFEED_10 = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1",
        "title": "JSON Desk 1.0",
        "home_page_url": "https://json.example/",
        "author": {"name": "Feed Author"},
        "items": [
            {"id": "1", "url": "/a/one", "title": "One", "date_published": "2024-03-01T10:09:00-05:00", "author": {"name": "Al"}},
            {"id": "2", "external_url": "https://elsewhere.example/two", "title": "Two", "date_modified": "2024-03-01"},
            {"id": "3", "title": "No URL"},
            "not an item",
        ],
    }
).encode()

JSONFEED_11 = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Desk 1.1",
        "language": "es-ES",
        "authors": [{"name": "Redacción"}],
        "items": [
            {
                "id": "1",
                "url": "https://json.example/uno",
                "title": "Uno",
                "date_published": "2024-03-01T10:09:00Z",
                "date_modified": "not a date",
                "authors": [{"name": "Ana"}, {"name": "Beto"}, {"url": "https://nameless.example/"}],
                "language": "ca",
            },
            {"id": "2", "url": "https://json.example/dos", "title": "Dos"},
        ],
    },
    ensure_ascii=False,
).encode()

FEEDS = [
    pytest.param(
        RSS2,
        Listing(
            "rss",
            (
                Entry(
                    "https://news.example/politics/budget-passes",
                    "page",
                    title="Budget passes",
                    published="2024-03-01T09:09:00+00:00",
                    authors=("Jane Doe",),
                    language="en",
                ),
                Entry(
                    "https://news.example/weather/storm", "page", title="Storm warning", authors=("Weather Desk",), language="en"
                ),
            ),
            title="Example News & Views",
        ),
        id="rss-2.0",
    ),
    pytest.param(
        RSS1,
        Listing(
            "rss",
            (
                Entry(
                    "https://rdf.example/r1",
                    "page",
                    title="Élection",
                    published="2024-03-01T09:09:00+00:00",
                    modified="2024-03-01T09:09:00+00:00",
                    authors=("Zoé Martin",),
                    language="fr",
                ),
            ),
            title="RDF Nouvelles",
        ),
        id="rss-1.0-rdf",
    ),
    pytest.param(
        RSS091,
        Listing("rss", (Entry("http://old.example/1.html", "page", title="Café", language="de"),), title="Old News"),
        id="rss-0.91-latin1",
    ),
    pytest.param(
        ATOM,
        Listing(
            "atom",
            (
                Entry(
                    "https://atom.example/blog/2024/relative.html",
                    "page",
                    title="Relative entry",
                    published="2024-03-01T09:09:00+00:00",
                    modified="2024-03-02T12:00:00+00:00",
                    authors=("Ann", "Ben"),
                    language="pt",
                ),
                Entry(
                    "https://atom.example/other/entry",
                    "page",
                    title="Root-relative, only updated, a bare-date published",
                    published="2024-02-29",
                    modified="2024-03-01T05:00:00+00:00",
                    authors=("Feed Editor",),
                    language="en",
                ),
                Entry(
                    "https://atom.example/by-id",
                    "page",
                    title="Id as link",
                    published="2024-03-01T00:00:00+00:00",
                    modified="2024-03-01T00:00:00+00:00",
                    authors=("Feed Editor",),
                    language="en",
                ),
            ),
            title="Atom Desk",
        ),
        id="atom-xml-base",
    ),
    pytest.param(
        JSONFEED_10,
        Listing(
            "jsonfeed",
            (
                Entry("https://news.example/a/one", "page", title="One", published="2024-03-01T15:09:00+00:00", authors=("Al",)),
                Entry("https://elsewhere.example/two", "page", title="Two", modified="2024-03-01", authors=("Feed Author",)),
            ),
            title="JSON Desk 1.0",
        ),
        id="jsonfeed-1.0",
    ),
    pytest.param(
        JSONFEED_11,
        Listing(
            "jsonfeed",
            (
                Entry(
                    "https://json.example/uno",
                    "page",
                    title="Uno",
                    published="2024-03-01T10:09:00+00:00",
                    authors=("Ana", "Beto"),
                    language="ca",
                ),
                Entry("https://json.example/dos", "page", title="Dos", authors=("Redacción",), language="es"),
            ),
            title="JSON Desk 1.1",
        ),
        id="jsonfeed-1.1",
    ),
]


@pytest.mark.parametrize(("body", "expected"), FEEDS)
def test_feeds(body: bytes, expected: Listing) -> None:
    assert parse_listing(body, url=BASE) == expected


@pytest.mark.parametrize("content_type", [None, "text/html", "application/octet-stream", "text/xml"], ids=str)
def test_feed_kind_is_decided_by_content_not_content_type(content_type: str | None) -> None:
    listing = parse_listing(RSS2, url=BASE, content_type=content_type)
    assert listing is not None
    assert listing.kind == "rss"
    assert [e.url for e in listing.entries] == [
        "https://news.example/politics/budget-passes",
        "https://news.example/weather/storm",
    ]


def test_http_charset_reaches_the_feed_parser() -> None:
    body = "<rss version='2.0'><channel><title>Çà et là</title><item><link>/x</link></item></channel></rss>".encode("iso-8859-1")
    listing = parse_listing(body, url=BASE, content_type="text/html; charset=ISO-8859-1")
    assert listing is not None
    assert listing.title == "Çà et là"


SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://site.example/a</loc><lastmod>2024-03-01T10:09:00+01:00</lastmod>
       <image:image><image:loc>https://cdn.example/a.jpg</image:loc></image:image></url>
  <url><loc>
     /b
  </loc><lastmod>2024-03-01</lastmod></url>
  <url><loc>https://site.example/c</loc><lastmod>yesterday-ish</lastmod></url>
  <url><lastmod>2024-03-01</lastmod></url>
  <url><loc>mailto:desk@site.example</loc></url>
  <url><loc>https://site.example/a</loc><lastmod>2020-01-01</lastmod></url>
</urlset>"""

SITEMAP_ENTRIES = (
    Entry("https://site.example/a", "page", modified="2024-03-01T09:09:00+00:00"),
    Entry("https://site.example/b", "page", modified="2024-03-01"),
    Entry("https://site.example/c", "page"),
)

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://site.example/sitemap-2024-03.xml</loc><lastmod>2024-03-31T23:00:00Z</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml.gz</loc></sitemap>
</sitemapindex>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://paper.example/uk/floods</loc>
    <lastmod>2024-03-01T12:00:00Z</lastmod>
    <news:news>
      <news:publication><news:name>The Paper</news:name><news:language>en-GB</news:language></news:publication>
      <news:publication_date>2024-03-01T10:09:00+00:00</news:publication_date>
      <news:title>Floods  hit the north</news:title>
    </news:news>
  </url>
</urlset>"""

# No namespaces at all, and a news: prefix that is never declared: still a news sitemap.
SLOPPY_NEWS_SITEMAP = b"""\xef\xbb\xbf
<?xml version="1.0"?>
<urlset><url><loc>https://paper.example/uk/floods</loc><lastmod>2024-03-01T12:00:00Z</lastmod>
<news:news><news:publication><news:language>EN_gb</news:language></news:publication>
<news:publication_date>2024-03-01T10:09:00</news:publication_date><news:title>Floods hit the north</news:title></news:news>
</url></urlset>"""

NEWS_ENTRY = Entry(
    "https://paper.example/uk/floods",
    "page",
    title="Floods hit the north",
    published="2024-03-01T10:09:00+00:00",
    modified="2024-03-01T12:00:00+00:00",
    language="en",
)

SITEMAPS = [
    pytest.param(SITEMAP, "https://site.example/sitemap.xml", Listing("sitemap", SITEMAP_ENTRIES), id="sitemap-lastmod"),
    pytest.param(
        SITEMAP_INDEX,
        "https://site.example/sitemap_index.xml",
        Listing(
            "sitemapindex",
            (
                Entry("https://site.example/sitemap-2024-03.xml", "listing", modified="2024-03-31T23:00:00+00:00"),
                Entry("https://site.example/sitemap-news.xml.gz", "listing"),
            ),
        ),
        id="sitemap-index",
    ),
    pytest.param(NEWS_SITEMAP, "https://paper.example/news-sitemap.xml", Listing("sitemap", (NEWS_ENTRY,)), id="google-news"),
    pytest.param(
        SLOPPY_NEWS_SITEMAP,
        "https://paper.example/news-sitemap.xml",
        Listing("sitemap", (NEWS_ENTRY,)),
        id="google-news-no-namespaces",
    ),
    pytest.param(
        gzip.compress(SITEMAP), "https://site.example/sitemap.xml.gz", Listing("sitemap", SITEMAP_ENTRIES), id="gzipped-sitemap"
    ),
    pytest.param(
        b"https://site.example/a\n\n  https://site.example/b  \r\nhttps://site.example/a\n",
        "https://site.example/sitemap.txt",
        Listing("text-sitemap", (Entry("https://site.example/a", "page"), Entry("https://site.example/b", "page"))),
        id="text-sitemap",
    ),
]


@pytest.mark.parametrize(("body", "url", "expected"), SITEMAPS)
def test_sitemaps(body: bytes, url: str, expected: Listing) -> None:
    assert parse_listing(body, url=url) == expected


def test_truncated_sitemap_keeps_the_entries_before_the_damage() -> None:
    body = SITEMAP_INDEX[: SITEMAP_INDEX.index(b"/sitemap-news")]
    listing = parse_listing(body, url="https://site.example/sitemap_index.xml")
    assert listing is not None
    assert [e.url for e in listing.entries] == ["https://site.example/sitemap-2024-03.xml"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<urlset", id="unclosed-root"),
        pytest.param(b"<?xml version='1.0'?>\n<urlset><url><loc>", id="truncated-before-any-url"),
        pytest.param(b"<sitemapindex><sitemap><loc>&undefined;</loc></sitemap>", id="index-entity-only"),
        pytest.param(b"<rss", id="rss-unclosed"),
        pytest.param(b'{"version": "https://jsonfeed.org/version/1.1", "items": [', id="jsonfeed-truncated"),
        pytest.param(b'{"version": "https://jsonfeed.org/version/1.1", "items": "none"}', id="jsonfeed-no-items"),
    ],
)
def test_listing_broken_beyond_use_raises_input_error(body: bytes) -> None:
    with pytest.raises(InputError) as info:
        parse_listing(body, url="https://site.example/broken.xml")
    assert info.value.source == "https://site.example/broken.xml"
    assert "\n" not in str(info.value)
    assert "does not parse" in str(info.value) or "no items" in str(info.value)


def test_valid_empty_sitemap_is_an_empty_listing() -> None:
    body = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert parse_listing(body, url="https://site.example/sitemap.xml") == Listing("sitemap", ())


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<!DOCTYPE html>\n<html><head><title>Home</title></head><body>Hi</body></html>", id="html5"),
        pytest.param(b"  <html lang='en'><body><a href='https://a.example/'>a</a></body></html>", id="html-no-doctype"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">'
            b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
            id="xhtml",
        ),
        pytest.param(b"<div>https://a.example/</div>", id="html-fragment"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", id="png"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", id="pdf"),
        pytest.param(b"", id="empty"),
        pytest.param(b" \n\t\r\n", id="whitespace"),
        pytest.param(b"https://a.example/1\nthis line is prose\nhttps://a.example/2\n", id="text-with-a-non-url-line"),
        pytest.param(b"ftp://a.example/file\n", id="text-ftp-url"),
        pytest.param(b"User-agent: *\nDisallow: /private\nSitemap: https://a.example/sitemap.xml\n", id="robots-txt"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', id="svg"),
        pytest.param(
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description/></rdf:RDF>', id="rdf-not-rss"
        ),
        pytest.param(b'<feed xmlns="urn:example:other"><entry/></feed>', id="feed-root-other-namespace"),
        pytest.param(b'{"version": "2.0", "items": [{"url": "https://a.example/"}]}', id="json-not-a-feed"),
        pytest.param(b'{"version": "https://example.org/jsonfeed.org/version/1", "items": []}', id="json-lookalike-version"),
        pytest.param(b'[{"url": "https://a.example/"}]', id="json-array"),
    ],
)
def test_not_a_listing(body: bytes) -> None:
    assert parse_listing(body, url="https://a.example/", content_type="text/plain") is None


def test_duplicates_are_dropped_first_wins() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>first</title><link>https://d.example/x</link></item>
      <item><title>second</title><link>/x</link></item>
      <item><title>other</title><link>https://d.example/y</link></item>
    </channel></rss>"""
    listing = parse_listing(body, url="https://d.example/rss")
    assert listing is not None
    assert [(e.url, e.title) for e in listing.entries] == [("https://d.example/x", "first"), ("https://d.example/y", "other")]


@pytest.mark.parametrize(
    ("guid", "expected"),
    [
        pytest.param('<guid isPermaLink="false">12345</guid>', [], id="opaque-guid-dropped"),
        pytest.param(
            '<guid isPermaLink="false">https://g.example/?p=7</guid>', ["https://g.example/?p=7"], id="url-guid-not-permalink"
        ),
        pytest.param("<guid>/2024/permalink</guid>", ["https://d.example/2024/permalink"], id="relative-permalink-guid"),
    ],
)
def test_rss_guid_as_url(guid: str, expected: list[str]) -> None:
    body = f'<rss version="2.0"><channel><title>t</title><item><title>x</title>{guid}</item></channel></rss>'.encode()
    listing = parse_listing(body, url="https://d.example/feed/")
    assert listing is not None
    assert [e.url for e in listing.entries] == expected


# --- dates and languages -----------------------------------------------------------------------


def _lastmod(value: str) -> str | None:
    body = f"<urlset><url><loc>https://a.example/</loc><lastmod>{value}</lastmod></url></urlset>".encode()
    listing = parse_listing(body, url="https://a.example/sitemap.xml")
    assert listing is not None
    return listing.entries[0].modified


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:09:00Z", "2024-03-01T10:09:00+00:00"),
        ("2024-03-01T10:09+01:00", "2024-03-01T09:09:00+00:00"),
        ("2024-03-01T10:09:00.123456-0330", "2024-03-01T13:39:00+00:00"),
        ("2024-03-01 10:09:00", "2024-03-01T10:09:00+00:00"),
        ("Fri, 01 Mar 2024 10:09:00 GMT", "2024-03-01T10:09:00+00:00"),
        ("March 1, 2024", "2024-03-01"),
        ("1 March 2024 10:09 +0200", "2024-03-01T08:09:00+00:00"),
        ("2024-03", None),
        ("2024", None),
        ("2024-13-45", None),
        ("2024-03-01T25:00:00Z", None),
        ("2024-03-01T10:00:00+99:00", None),
        ("not a date", None),
        ("", None),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else str(v),
)
def test_dates_normalised_or_none(raw: str, expected: str | None) -> None:
    assert _lastmod(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("en-GB", "en"), ("EN", "en"), ("pt_BR", "pt"), ("de-DE-1996", "de"), ("eng", None), ("english", None), ("", None)],
    ids=str,
)
def test_news_language_is_iso_639_1(raw: str, expected: str | None) -> None:
    body = (
        "<urlset xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'><url><loc>https://a.example/</loc>"
        f"<news:news><news:publication><news:language>{raw}</news:language></news:publication></news:news></url></urlset>"
    ).encode()
    listing = parse_listing(body, url="https://a.example/news.xml")
    assert listing is not None
    assert listing.entries[0].language == expected


# --- gzip --------------------------------------------------------------------------------------


def test_gzip_past_the_limit_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listings, "MAX_INFLATED_BYTES", 10_000)
    body = gzip.compress(b"<urlset>" + b"<url><loc>https://a.example/</loc></url>" * 1000 + b"</urlset>")
    assert len(body) < 10_000
    with pytest.raises(TooLarge) as info:
        parse_listing(body, url="https://a.example/sitemap.xml.gz")
    assert info.value.source == "https://a.example/sitemap.xml.gz"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"\x1f\x8b\x08\x00garbage that is not deflate", id="corrupt"),
        pytest.param(gzip.compress(SITEMAP)[:40], id="truncated"),
    ],
)
def test_bad_gzip_is_a_compression_error(body: bytes) -> None:
    with pytest.raises(CompressionError) as info:
        parse_listing(body, url="https://a.example/sitemap.xml.gz")
    assert info.value.source == "https://a.example/sitemap.xml.gz"


# --- hostile documents ---------------------------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-ndA-4711", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["file:///etc/passwd", "secret"], ids=["etc-passwd", "local-file"])
def test_sitemap_xxe_reads_no_file(target: str, secret_file: Path) -> None:
    system = secret_file.as_uri() if target == "secret" else target
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY x SYSTEM "{system}">]>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://a.example/&x;</loc></url>"
        "<url><loc>&x;</loc></url>"
        "<url><loc>https://a.example/ok</loc><lastmod>&x;</lastmod></url>"
        "</urlset>"
    ).encode()
    listing = parse_listing(body, url="https://a.example/sitemap.xml")
    assert listing == Listing("sitemap", (Entry("https://a.example/ok", "page"),))
    assert "TOP-SECRET" not in repr(listing)
    assert "root:" not in repr(listing)


def test_feed_xxe_reads_no_file(secret_file: Path) -> None:
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>\n'
        "<rss version='2.0'><channel><title>t &x;</title>"
        "<item><title>&x;</title><link>https://a.example/1</link></item></channel></rss>"
    ).encode()
    listing = parse_listing(body, url="https://a.example/rss")
    assert listing is not None
    assert [e.url for e in listing.entries] == ["https://a.example/1"]
    assert "TOP-SECRET" not in repr(listing)


def test_sitemap_entity_bomb_is_not_expanded() -> None:
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY e0 "lol">{levels}]>'
        "<urlset><url><loc>https://a.example/&e9;</loc></url><url><loc>https://a.example/ok</loc></url></urlset>"
    ).encode()
    start = time.perf_counter()
    try:
        listing = parse_listing(body, url="https://a.example/sitemap.xml")
    except InputError as exc:  # libxml2 refuses the amplification outright: also fine
        assert "does not parse" in str(exc)
        listing = None
    assert time.perf_counter() - start < 1.0
    assert "lol" not in repr(listing)
    if listing is not None:
        assert all("&" not in e.url for e in listing.entries)


_PREFIXES = [
    b"",
    b"\x1f\x8b\x08\x00",
    b"<?xml version='1.0'?>",
    b"<rss version='2.0'><channel><item><link>",
    b'<rdf:RDF xmlns="http://purl.org/rss/1.0/">',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="',
    b"<urlset><url><loc>",
    b"<sitemapindex><sitemap><loc>",
    b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
    b"https://a.example/\n",
    b"<!DOCTYPE urlset [",
]


@settings(max_examples=400, deadline=None)
@given(
    prefix=st.sampled_from(_PREFIXES),
    rest=st.binary(max_size=400),
    content_type=st.sampled_from([None, "text/plain", "text/xml"]),
)
def test_arbitrary_bytes_give_a_listing_none_or_an_input_error(prefix: bytes, rest: bytes, content_type: str | None) -> None:
    try:
        result = parse_listing(prefix + rest, url="https://a.example/x", content_type=content_type)
    except InputError:
        return
    assert result is None or (isinstance(result, Listing) and result.kind in LISTING_KINDS)
    if result is not None:
        assert all(e.url.startswith(("http://", "https://")) for e in result.entries)


# --- size ----------------------------------------------------------------------------------------


def _big_sitemap(n: int) -> bytes:
    rows = "".join(
        f"<url><loc>https://big.example/story/{i}</loc><lastmod>2024-03-{i % 28 + 1:02d}</lastmod></url>" for i in range(n)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


def test_a_full_size_sitemap_is_read_whole_and_quickly() -> None:
    body = _big_sitemap(50_000)
    start = time.perf_counter()
    listing = parse_listing(body, url="https://big.example/sitemap.xml")
    elapsed = time.perf_counter() - start
    assert listing is not None
    assert len(listing.entries) == 50_000
    assert listing.entries[-1] == Entry("https://big.example/story/49999", "page", modified="2024-03-20")
    assert elapsed < 10  # a generous bound: it takes a fraction of a second; this catches quadratic slips


# --- feed discovery ------------------------------------------------------------------------------

HOME = b"""<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Home</title>
<link rel="stylesheet" type="text/css" href="/main.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/rss.xml">
<link rel="Alternate" type="Application/Atom+XML; charset=utf-8" href="https://news.example/feed/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed/rss.xml">
<link rel="alternate" type="application/json" href="https://news.example/wp-json/wp/v2/pages/12">
<link rel="alternate" hreflang="de" href="https://news.example/de/">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
<link rel="alternate" type="application/rss+xml">
</head><body>
<a rel="alternate" type="application/rss+xml" href="/not-a-link-element.xml">RSS</a>
<link rel="home alternate" type="application/rdf+xml" href="/index.rdf">
</body></html>"""


@pytest.mark.parametrize("as_text", [False, True], ids=["bytes", "str"])
def test_feed_links(as_text: bool) -> None:
    html = HOME.decode() if as_text else HOME
    assert feed_links(html, base_url="https://news.example/section/page") == [
        "https://news.example/feed/rss.xml",
        "https://news.example/feed/atom.xml",
        "https://news.example/section/feed.json",
        "https://news.example/index.rdf",
    ]


def test_feed_links_honour_base_href() -> None:
    html = (
        b'<html><head><base href="https://cdn.example/site/">'
        b'<link rel=alternate type=application/json href="feed.json"></head></html>'
    )
    assert feed_links(html, base_url="https://news.example/") == ["https://cdn.example/site/feed.json"]


@pytest.mark.parametrize(
    "html", [b"", b"\x00\x01\x02\x03" * 100, b"<html><body>no links</body></html>"], ids=["empty", "binary", "none"]
)
def test_feed_links_none(html: bytes) -> None:
    assert feed_links(html, base_url="https://news.example/") == []
