"""Feeds and sitemaps: is a fetched response a listing, and which URLs does it list?

``parse_listing(body, url=…)`` takes the bytes of a response and returns a ``Listing`` (its
kind, its title, and an ``Entry`` per listed URL with whatever metadata the listing gives)
or None when the body is not a listing at all. ``feed_links(html, base_url=…)`` reads the
feed URLs a home page advertises. This module only parses: it never does network I/O, and
it hands no parser anything it could fetch or open.

Choices, and why:

- The kind is decided by content, not by Content-Type: servers label feeds text/html or
  application/octet-stream and sitemaps text/xml. The root element after the XML prolog
  decides (``rss``, ``rdf:RDF``, Atom ``feed``, ``urlset``, ``sitemapindex``), then a JSON
  object naming a jsonfeed.org version, then a body of nothing but URL lines (the
  sitemaps.org text format). An HTML document is never a listing.
- Feeds go to feedparser: outlets publish broken RSS and Atom (bad encodings, unclosed
  tags, undefined entities) and its loose parser still gets the items out. It is given a
  stream, never a string: a string (or bytes) is taken for a URL or a file name and opened.
  Before parsing it keeps only entity declarations with a plain literal value, so no
  external entity (XXE) and no nested one (an entity bomb) reaches its XML parser.
- Sitemaps go to lxml's iterparse, streamed (elements are freed as they are read, so a
  50 MB sitemap does not become a tree many times its size), with entity resolution, DTD
  loading and the network off so an XXE document cannot read local files or call out, and
  ``recover`` on so a truncated or slightly broken sitemap still gives the URLs before the
  damage. Elements are matched on local names: sitemaps omit, misspell or never declare
  their namespaces. (feedparser is not used for them: it reads only feeds.)
- Gzipped bodies (``sitemap.xml.gz`` served as-is) are inflated with ``decode.gunzip``,
  bounded by ``MAX_INFLATED_BYTES`` so a gzip bomb stops early.
- Dates come out as ISO 8601 in UTC (``2024-03-01T09:09:00+00:00``), or a bare
  ``2024-03-01`` when only a day is given; a date-time without an offset is taken as UTC.
  A date that does not parse is None: a bad date never costs the entry.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from ..errors import InputError
from ..urls import absolute
from .decode import MAX_INFLATED_BYTES, cap_nesting, decode, gunzip, is_gzip

EntryKind = Literal["page", "listing"]

LISTING_KINDS: frozenset[str] = frozenset({"rss", "atom", "jsonfeed", "sitemap", "sitemapindex", "text-sitemap"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL a listing lists, with the metadata the listing gives for it."""

    url: str  # absolute http(s) URL, resolved against the listing's URL
    kind: EntryKind  # "listing": a child sitemap of a sitemap index; everything else "page"
    title: str | None = None
    published: str | None = None  # "2024-03-01T10:09:00+00:00", or "2024-03-01" when only a day is given
    modified: str | None = None  # <lastmod>, Atom <updated>, JSON Feed date_modified; same format
    authors: tuple[str, ...] = ()
    language: str | None = None  # ISO 639-1, lower case: "en-US" -> "en"


@dataclass(frozen=True, slots=True)
class Listing:
    """A feed or sitemap: its kind (one of ``LISTING_KINDS``), its entries in document order
    (deduplicated by URL, first wins) and the feed's title (None for sitemaps)."""

    kind: str
    entries: tuple[Entry, ...]
    title: str | None = None


# --- sniffing --------------------------------------------------------------------------------

# Enough of the document to get past an XML declaration, comments, stylesheet PIs and a
# DOCTYPE with a short internal subset; a prolog longer than this is not a feed's.
_HEAD_BYTES = 64 * 1024
# XML declaration, processing instructions, comments and a non-HTML DOCTYPE (with an internal
# subset), one at a time; whatever follows them is the root element.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html\b)[^\[>]*(?:\[.*?\]\s*)?>)", re.S | re.I)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w:.-]*)([^>]*)>?")
_HTML_DOCTYPE = re.compile(r"\s*<!doctype\s+html\b", re.I)
_DEFAULT_NS = re.compile(r"""\sxmlns\s*=\s*["']([^"']*)["']""")
_ATOM_NS = ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")
# RSS 1.0 and 0.90 are RDF documents; an rdf:RDF root without either namespace is some
# other RDF vocabulary, not a feed.
_RSS_RDF_NS = ("purl.org/rss/1.0", "my.netscape.com/rdf/simple/0.9")
_JSONFEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/")
_URL_LINE = re.compile(r"https?://\S+", re.I)
_FIRST_URL = re.compile(rb"(?:\xef\xbb\xbf)?\s*https?://", re.I)
_UTF8_BOM = b"\xef\xbb\xbf"


def _head_text(body: bytes) -> str:
    head = body[:_HEAD_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a BOM
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    if head.startswith(_UTF8_BOM):
        head = head[3:]
    # Latin-1 never fails and keeps ASCII markup as it is, which is all the sniffing reads.
    return head.decode("latin-1")


def _sniff(body: bytes) -> str | None:
    """The listing kind the body's content announces, "json" or "text" for bodies without
    markup (decided by the parsers), or None for anything else."""
    s = _head_text(body)
    pos = 0
    while m := _PROLOG.match(s, pos):
        pos = m.end()
    if _HTML_DOCTYPE.match(s, pos):
        return None
    root = _ROOT.match(s, pos)
    if root is None:
        rest = s[pos:].lstrip()
        if rest.startswith("{"):
            return "json"
        return None if rest.startswith("<") or not rest else "text"
    name = root.group(1).rpartition(":")[2].lower()
    attrs = root.group(2)
    if name == "rss":
        return "rss"
    if name == "rdf":
        return "rss" if any(ns in s for ns in _RSS_RDF_NS) else None
    if name == "feed":
        ns = _DEFAULT_NS.search(attrs)
        # A feed root in some other vocabulary is not Atom; one with no namespace at all is a
        # sloppy Atom feed, which feedparser still reads.
        return "atom" if ns is None or ns.group(1).strip().rstrip("/") in _ATOM_NS else None
    if name in ("urlset", "sitemapindex"):
        return name
    return None


# --- entry helpers ---------------------------------------------------------------------------


# An absolute http(s) URL that urljoin would give back unchanged: no userinfo, no IDN or odd
# host characters, no ";params" (urljoin drops an empty one), no empty "?" or "#". Nearly
# every sitemap <loc> is one, and urljoin plus urlsplit cost ~25 µs a URL here: three
# quarters of a 50,000-URL sitemap's time went there before this shortcut.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[^\s?#;]*)?(?:\?[^\s#]+)?(?:#\S+)?")


def _url(raw: object, base: str | None) -> str | None:
    if not isinstance(raw, str):
        return None
    stripped = raw.strip()
    if _PLAIN_ABSOLUTE.fullmatch(stripped):
        return stripped
    try:
        u = absolute(raw, base)
        if u is None or not urlsplit(u).hostname:
            return None
    except ValueError:  # urlsplit refuses some hosts ("http://[::1")
        return None
    return u


def _text(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    s = " ".join(raw.split())
    return s or None


_TAG = re.compile(r"<[^>]*>")


def _html_text(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    return _text(htmllib.unescape(_TAG.sub(" ", raw)))


_LANG = re.compile(r"[a-z]{2}")


def _language(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    primary = re.split(r"[-_,;\s]", raw.strip().lower(), maxsplit=1)[0]
    return primary if _LANG.fullmatch(primary) else None


def _authors(names: Iterable[object]) -> tuple[str, ...]:
    out: list[str] = []
    for n in names:
        t = _text(n)
        if t and t not in out:
            out.append(t)
    return tuple(out)


def _dedupe(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    seen: set[str] = set()
    out: list[Entry] = []
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            out.append(e)
    return tuple(out)


# --- dates -----------------------------------------------------------------------------------

# W3C Datetime (what sitemaps and JSON Feed use), read without dateutil: a 50,000-URL
# sitemap has 50,000 lastmods, and this is ~10x faster than dateutil's isoparse.
_W3C = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_BARE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_ERRORS = (ValueError, ArithmeticError, TypeError, IndexError, KeyError)
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)


def _iso(dt: datetime) -> str:
    dt = dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None or dt.utcoffset() is None else dt.astimezone(timezone.utc)
    return dt.isoformat(timespec="seconds")


def _offset(tz: str | None) -> timezone | None:
    if tz is None:
        return None
    if tz in ("Z", "z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    return timezone(sign * timedelta(minutes=minutes))


@lru_cache(maxsize=4096)  # sitemaps repeat the same few lastmods thousands of times
def _normalise_date(raw: str) -> str | None:
    """``raw`` as ISO 8601 in UTC, a bare ``YYYY-MM-DD`` for a day, or None when it does not
    parse (or gives less than a day). Never raises."""
    s = raw.strip()
    if not s or len(s) > 80:
        return None
    try:
        m = _W3C.fullmatch(s)
        if m:
            y, mo, d, hh, mm, ss, frac, tz = m.groups()
            if hh is None:
                return date(int(y), int(mo), int(d)).isoformat()
            micro = int((frac or "0").ljust(6, "0")[:6])
            dt = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0), micro, tzinfo=_offset(tz))
            return _iso(dt)
        if s[:1].isalpha() or "," in s:
            try:
                return _iso(parsedate_to_datetime(s))  # RFC 822, as in RSS, turns up in JSON feeds too
            except _DATE_ERRORS:
                pass
        return _fuzzy_date(s)
    except _DATE_ERRORS:
        return None


def _fuzzy_date(s: str) -> str | None:
    from dateutil import parser

    # dateutil fills what a string leaves out from a default date; parsing with two defaults
    # that differ everywhere shows what was filled in: no day, no date; no hour, a bare date.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UnknownTimezoneWarning: the time is then read as UTC
        a = parser.parse(s, default=_DEFAULT_A)
        b = parser.parse(s, default=_DEFAULT_B)
    if a.date() != b.date():
        return None
    if a.hour != b.hour:
        return a.date().isoformat()
    return _iso(a)


def _date(raw: object) -> str | None:
    return _normalise_date(raw) if isinstance(raw, str) else None


# --- sitemaps (lxml) -------------------------------------------------------------------------


@lru_cache(maxsize=1024)  # a sitemap has a handful of distinct tags, each seen 50,000 times
def _local(tag: object) -> str:
    # "{ns}loc" with a namespace, "news:title" for a prefix that was never declared.
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entity references
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _node_text(el: Any) -> str | None:
    if len(el) == 0:
        return el.text
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            # An unresolved entity (resolution is off, on purpose): the value is unknown, and
            # a URL with a hole in it is not the URL.
            return None
        if isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _sitemap_entry(el: Any, base: str, kind: EntryKind) -> Entry | None:
    loc = lastmod = title = published = language = None
    for child in el:
        name = _local(child.tag)
        if name == "loc" and loc is None:
            loc = _url(_node_text(child), base)
        elif name == "lastmod":
            lastmod = _date(_node_text(child))
        elif name == "news":  # Google News: news:news/news:title, publication_date, publication/language
            for sub in child.iter():
                sub_name = _local(sub.tag)
                if sub_name == "title" and title is None:
                    title = _text(_node_text(sub))
                elif sub_name == "publication_date" and published is None:
                    published = _date(_node_text(sub))
                elif sub_name == "language" and language is None:
                    language = _language(_node_text(sub))
    if loc is None:
        return None
    return Entry(loc, kind, title=title, published=published, modified=lastmod, language=language)


def _parse_sitemap(body: bytes, *, url: str, index: bool) -> Listing:
    what = "sitemap index" if index else "sitemap"
    item = "sitemap" if index else "url"
    kind: EntryKind = "listing" if index else "page"
    if body.startswith(_UTF8_BOM):
        body = body[3:]
    if body[:1].isspace():
        body = body.lstrip()  # an XML declaration after whitespace is an error libxml2 does not recover from
    events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        tag=(f"{{*}}{item}",),  # in any namespace or none: only these elements cost a Python step
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
    )
    entries: list[Entry] = []
    seen = 0
    try:
        for _event, el in events:
            parent = el.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # only the root's own <url>/<sitemap> children
            entry = _sitemap_entry(el, url, kind)
            if entry is not None:
                entries.append(entry)
            # Free what has been read, so memory stays flat on large sitemaps: the element's
            # content now, the emptied elements before it in batches (one at a time costs a
            # sixth of the parse).
            el.clear()
            seen += 1
            if seen % 4096 == 0:
                del parent[: parent.index(el)]
    except (etree.LxmlError, ValueError) as exc:
        if not entries:
            raise InputError(f"{what} does not parse ({_one_line(exc)})", source=url) from None
    if not entries:
        errors = [e for e in events.error_log if e.level >= etree.ErrorLevels.ERROR]
        if errors:
            raise InputError(f"{what} does not parse ({_one_line(errors[0].message)})", source=url)
    return Listing("sitemapindex" if index else "sitemap", _dedupe(entries))


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


# --- feeds (feedparser) ----------------------------------------------------------------------

_FEED_NAMES = {"rss": "RSS", "atom": "Atom"}
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)


def _get(d: object, key: str) -> Any:
    # FeedParserDict maps old key names onto new ones on lookup ("updated" answers with
    # "published", with a DeprecationWarning); the plain dict lookup reads only what was there.
    return dict.get(d, key) if isinstance(d, dict) else None


def _struct_date(parsed: object) -> str | None:
    if not isinstance(parsed, tuple):  # feedparser's dates are UTC time.struct_time, a tuple
        return None
    try:
        y, mo, d, hh, mm, ss = parsed[:6]
        return _iso(datetime(y, mo, d, hh, mm, min(ss, 59), tzinfo=timezone.utc))  # a leap second (60) is not a datetime
    except _DATE_ERRORS:
        return None


def _feed_date(entry: object, key: str) -> str | None:
    raw = _get(entry, key)
    if isinstance(raw, str) and _BARE_DATE.fullmatch(raw.strip()):
        return _normalise_date(raw)  # feedparser would make midnight of it: a time nobody gave
    return _struct_date(_get(entry, key + "_parsed")) or _date(raw)


def _detail_text(d: object, key: str) -> str | None:
    detail = _get(d, key + "_detail")
    if isinstance(detail, dict) and str(detail.get("type", "")).endswith("html"):
        return _html_text(_get(d, key))
    return _text(_get(d, key))


def _detail_language(d: object) -> str | None:
    for key in ("title_detail", "summary_detail"):
        detail = _get(d, key)
        if isinstance(detail, dict) and (lang := _language(detail.get("language"))):
            return lang
    return None


# RSS <author> is an email address, with the name in parentheses ("desk@x.com (Jane Doe)") or,
# against the spec, the other way round ("Jane Doe <desk@x.com>").
_EMAIL_NAME = re.compile(r"\s*[^\s@()<>]+@[^\s@()<>]+\s*\((?P<a>[^()]*)\)\s*|\s*(?P<b>[^<>]*?)\s*<\s*[^\s@<>]+@[^\s@<>]+\s*>\s*")


def _people(d: object) -> tuple[str, ...]:
    people = _get(d, "authors")
    names: list[object] = [p.get("name") for p in people if isinstance(p, dict)] if isinstance(people, list) else []
    raw = _get(d, "author")
    if isinstance(raw, str) and "@" in raw and len(names) <= 1:
        # feedparser splits these itself, but its address pattern allows top-level domains of
        # at most four letters: "desk@news.example (Jane)" comes out as the name "ple (Jane".
        m = _EMAIL_NAME.fullmatch(raw)
        names = [(m.group("a") or m.group("b")) if m else raw]
    if not any(isinstance(n, str) and n.strip() for n in names):
        names = [raw]
    return _authors(names)


def _feed_entry_url(entry: object, base: str) -> str | None:
    candidates: list[object] = [_get(entry, "link")]
    links = _get(entry, "links")
    if isinstance(links, list):
        candidates += [
            link.get("href") for link in links if isinstance(link, dict) and link.get("rel", "alternate") == "alternate"
        ]
    # An id only as an absolute URL as given: feedparser leaves a non-permalink RSS guid
    # ("12345") unresolved, and joining it to the feed's URL would invent an address.
    ident = _get(entry, "id")
    candidates.append(ident if isinstance(ident, str) and _url(ident, None) else None)
    for c in candidates:
        if (u := _url(c, base)) is not None:
            return u
    return None


def _parse_feed(body: bytes, *, url: str, kind: str, content_type: str | None) -> Listing | None:
    import feedparser  # here, not at the top: it takes ~80 ms to import and sitemaps do not need it

    charset = _CHARSET.search(content_type or "")
    headers = {
        # The base for relative links (xml:base inside the feed still wins, as it should).
        "content-location": url,
        # "application/xml" tells feedparser to believe the document's own encoding
        # declaration (RFC 7303); an HTTP charset, when there is one, comes first.
        "content-type": f"application/xml; charset={charset.group(1)}" if charset else "application/xml",
    }
    try:
        # A stream, never the bytes themselves: feedparser takes a bytes/str argument for a
        # URL or a file name and opens it. HTML in content is not used here, so it is
        # neither sanitised nor rewritten.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, resolve_relative_uris=False, sanitize_html=False)
    except Exception as exc:  # the loose (sgmllib) parser has raised assorted errors on hostile input
        raise InputError(f"{_FEED_NAMES[kind]} feed does not parse ({_one_line(exc)})", source=url) from None
    feed = parsed.get("feed") or {}
    items = parsed.get("entries") or []
    version = str(parsed.get("version") or "")
    if not items and not feed:
        if parsed.get("bozo"):
            raise InputError(f"{_FEED_NAMES[kind]} feed does not parse ({_one_line(parsed.get('bozo_exception'))})", source=url)
        if not version:
            return None  # a root that looked like a feed, but nothing in it is one
    feed_language = _language(_get(feed, "language")) or _detail_language(feed)
    # RFC 4287: an Atom entry without authors has the feed's. RSS has no such rule (the
    # channel's managingEditor is not the author of every item).
    feed_authors = _people(feed) if kind == "atom" else ()
    entries: list[Entry] = []
    for item in items:
        link = _feed_entry_url(item, url)
        if link is None:
            continue
        entries.append(
            Entry(
                link,
                "page",
                title=_detail_text(item, "title"),
                published=_feed_date(item, "published") or _feed_date(item, "updated"),
                modified=_feed_date(item, "updated"),
                authors=_people(item) or feed_authors,
                language=_language(_get(item, "language")) or _detail_language(item) or feed_language,
            )
        )
    return Listing(kind, _dedupe(entries), title=_detail_text(feed, "title"))


# --- JSON Feed -------------------------------------------------------------------------------


def _json_people(d: Mapping[str, Any]) -> tuple[str, ...]:
    authors = d.get("authors")  # 1.1
    if isinstance(authors, list):
        names = _authors(a.get("name") for a in authors if isinstance(a, dict))
        if names:
            return names
    author = d.get("author")  # 1.0
    return _authors([author.get("name")]) if isinstance(author, dict) else ()


def _parse_jsonfeed(body: bytes, *, url: str) -> Listing | None:
    if b"jsonfeed.org/version" not in body:
        return None  # some other JSON (an API response): not worth decoding
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"JSON Feed does not parse ({_one_line(exc)})", source=url) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), str) or not _JSONFEED_VERSION.match(doc["version"]):
        return None
    items = doc.get("items")
    if not isinstance(items, list):
        raise InputError("JSON Feed has no items list", source=url)
    feed_language = _language(doc.get("language"))
    # JSON Feed 1.1: an item without authors has the feed's.
    feed_authors = _json_people(doc)
    entries: list[Entry] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _url(item.get("url"), url) or _url(item.get("external_url"), url)
        if link is None:
            continue
        entries.append(
            Entry(
                link,
                "page",
                title=_text(item.get("title")),
                published=_date(item.get("date_published")),
                modified=_date(item.get("date_modified")),
                authors=_json_people(item) or feed_authors,
                language=_language(item.get("language")) or feed_language,
            )
        )
    return Listing("jsonfeed", _dedupe(entries), title=_text(doc.get("title")))


# --- text sitemaps ---------------------------------------------------------------------------


def _parse_text(body: bytes) -> Listing | None:
    if not _FIRST_URL.match(body):
        return None  # an image, a PDF, prose: refused before decoding all of it
    text = body.decode("utf-8-sig", errors="replace")  # sitemaps.org: the text format is UTF-8
    urls: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if not _URL_LINE.fullmatch(line):
            return None  # prose, markup, a robots.txt: one line that is not a URL and it is not a sitemap
        u = _url(line, None)
        if u is None:
            return None
        urls.append(u)
    if not urls:
        return None
    return Listing("text-sitemap", _dedupe(Entry(u, "page") for u in urls))


# --- the entry point -------------------------------------------------------------------------


def parse_listing(body: bytes, *, url: str, content_type: str | None = None) -> Listing | None:
    """The feed or sitemap in ``body`` (fetched from ``url``), or None when it is not one.

    The kind is decided by the content (``content_type`` only supplies a charset to feeds).
    Gzip is inflated first. Raises ``TooLarge`` for gzip that inflates past
    ``MAX_INFLATED_BYTES``, ``CompressionError`` for corrupt gzip and ``InputError`` for a
    listing too broken to give any entry; entries without a usable URL are dropped.
    """
    if is_gzip(body):
        # Read the limit at call time, so it can be lowered (tests, a stricter caller).
        body = gunzip(body, source=url, limit=MAX_INFLATED_BYTES)
    kind = _sniff(body)
    if kind is None:
        return None
    if kind in ("rss", "atom"):
        return _parse_feed(body, url=url, kind=kind, content_type=content_type)
    if kind in ("urlset", "sitemapindex"):
        return _parse_sitemap(body, url=url, index=kind == "sitemapindex")
    if kind == "json":
        return _parse_jsonfeed(body, url=url)
    return _parse_text(body)


# --- feed discovery --------------------------------------------------------------------------

_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json", "application/rdf+xml"}
)
# WordPress puts <link rel="alternate" type="application/json"> to its REST API on every
# page; those are never feeds.
_WP_REST = re.compile(r"/wp-json/|[?&]rest_route=")


def feed_links(html: bytes | str, *, base_url: str) -> list[str]:
    """The feed URLs a page advertises in ``<link rel="alternate" type="…">`` (RSS, Atom,
    RDF, JSON Feed), absolute (against ``<base href>`` and ``base_url``), http(s) only,
    deduplicated, in document order. A page that cannot be read as text gives []."""
    if isinstance(html, bytes):
        try:
            html = decode(html, source=base_url)
        except InputError:
            return []
    html, _ = cap_nesting(html)  # lexbor's tree builder is quadratic in nesting depth
    tree = LexborHTMLParser(html)
    base: str | None = base_url
    base_el = tree.css_first("base[href]")
    if base_el is not None:
        base = _url(base_el.attributes.get("href"), base_url) or base_url
    out: list[str] = []
    seen: set[str] = set()
    for node in tree.css("link[href]"):
        attrs = node.attributes
        rel = (attrs.get("rel") or "").lower().split()
        mime = (attrs.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel or mime not in _FEED_TYPES:
            continue
        u = _url(attrs.get("href"), base)
        if u is None or u in seen or (mime == "application/json" and _WP_REST.search(u)):
            continue
        seen.add(u)
        out.append(u)
    return out


__all__ = ["Entry", "Listing", "LISTING_KINDS", "parse_listing", "feed_links"]
