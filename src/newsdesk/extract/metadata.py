"""Structured data of an HTML page: JSON-LD, OpenGraph/Twitter/Dublin Core meta, <link>, <title>.

``read_metadata`` gathers the raw values once; choosing among them (which title, which date)
happens in the small functions below so each rule can be tested on its own.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import language as lang
from .boilerplate import inside_marked
from .dates import parse_date

# JSON-LD @type values that describe the page's story.
ARTICLE_TYPES = frozenset(
    "article newsarticle blogposting reportagenewsarticle analysisnewsarticle opinionnewsarticle "
    "reviewnewsarticle backgroundnewsarticle askpublicnewsarticle satiricalarticle scholarlyarticle "
    "techarticle liveblogposting socialmediaposting report medicalscholarlyarticle posting review "
    "howto recipe".split()
)
LISTING_TYPES = frozenset("collectionpage itemlist searchresultspage".split())

# Meta keys for dates, best first. Publication before modification, as the issue asks.
PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "og:published_time", "published_time", "publishdate", "publish-date", "publish_date", "pubdate",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "article.published", "date", "originalpublicationdate",
    "citation_publication_date", "citation_date", "datecreated",
)
MODIFIED_KEYS = (
    "article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time",
    "modified_time", "article.updated", "dcterms.modified", "dc.date.modified", "last-modified", "lastmod",
)
AUTHOR_KEYS = ("author", "article:author", "og:article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl", "citation_author")

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?!\d)")


@dataclass(slots=True)
class Meta:
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased key → contents
    ld: list[dict[str, Any]] = field(default_factory=list)  # every JSON-LD object, flattened
    ld_article: dict[str, Any] | None = None  # the first article-typed object
    ld_types: set[str] = field(default_factory=set)
    ld_errors: int = 0
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None
    itemprops: dict[str, list[str]] = field(default_factory=dict)
    rel_authors: list[str] = field(default_factory=list)

    def first(self, *keys: str) -> str | None:
        for k in keys:
            for v in self.meta.get(k, ()):
                v = v.strip()
                if v:
                    return v
        return None


# Everything read_metadata looks at, in one selector: each tree.css() call is a full walk
# of the document in lexbor (~0.1 ms a page on the Zyte bench), and seven separate walks
# cost several times one combined walk. Matches come back once each, in document order,
# so every per-kind list below keeps the order the separate queries gave.
_LD_SEL = 'script[type="application/ld+json"]'
_REL_AUTHOR_SEL = 'a[rel~="author"]'

_META_SEL = f"meta, {_LD_SEL}, title, h1, link[rel], [itemprop], {_REL_AUTHOR_SEL}"


def _heading_text(node: LexborNode) -> str:
    """A heading's text, a line break read as a space ("WEEKEND<br>CODING" is two words)."""
    if node.css_first("br") is None:
        return node.text(deep=True)
    return "".join(" " if d.tag == "br" else (d.text_content or "")
                   for d in node.traverse(include_text=True) if d.tag in ("-text", "br"))


def read_metadata(tree: LexborHTMLParser) -> Meta:
    m = Meta()
    meta = m.meta
    scripts: list[LexborNode] = []
    h1s: list[LexborNode] = []
    links: list[LexborNode] = []
    props: list[LexborNode] = []
    rel_authors: list[LexborNode] = []
    title: LexborNode | None = None
    for node in tree.css(_META_SEL):
        tag = node.tag
        a = node.attributes
        if tag == "meta":
            content = a.get("content")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = a.get(attr)
                if key:
                    meta.setdefault(key.strip().lower(), []).append(content)
            continue  # itemprops on <meta> are read above, never as [itemprop] nodes
        has_prop = "itemprop" in a
        if has_prop:
            props.append(node)
        # A node can be here for [itemprop] alone; lexbor matches attribute values
        # case-insensitively (type="application/LD+JSON", rel="AUTHOR"), so only when
        # itemprop makes it ambiguous is the kind's own selector asked.
        if tag == "script":
            if not has_prop or node.css_matches(_LD_SEL):
                scripts.append(node)
        elif tag == "a":
            if not has_prop or node.css_matches(_REL_AUTHOR_SEL):
                rel_authors.append(node)
        elif tag == "title":
            if title is None:
                title = node
        elif tag == "h1":
            h1s.append(node)
        elif tag == "link" and "rel" in a:
            links.append(node)
    for node in scripts:
        raw = node.text(deep=True)
        data = _load_json(raw)
        if data is None:
            if raw.strip():
                m.ld_errors += 1
            continue
        _flatten(data, m.ld)
    for obj in m.ld:
        types = _types(obj)
        m.ld_types |= types
        if m.ld_article is None and types & ARTICLE_TYPES:
            m.ld_article = obj
    if title is not None:
        m.title_tag = " ".join(title.text(deep=True).split()) or None
    # Documentation generators put a permalink sign ("¶", "#") at the end of headings.
    m.h1 = [s for s in (" ".join(_heading_text(h).split()).rstrip("¶#🔗 ") for h in h1s) if s][:5]
    for node in links:
        a = node.attributes
        rel = (a.get("rel") or "").lower().split()
        if "canonical" in rel and m.canonical is None and a.get("href"):
            m.canonical = a.get("href")
    for node in props:
        a = node.attributes
        prop = (a.get("itemprop") or "").strip()
        if prop in ("datePublished", "dateModified", "dateCreated"):
            v = a.get("datetime") or a.get("content") or node.text(deep=True)
        elif prop in ("author", "creator"):
            if _elsewhere(node):
                continue
            inner = node.css_first('[itemprop="name"]')
            v = a.get("content") or (inner.text(deep=True) if inner is not None else node.text(deep=True))
        else:
            continue
        if v:
            m.itemprops.setdefault(prop.lower(), []).append(" ".join(v.split()))
    for node in rel_authors:
        s = " ".join(node.text(deep=True).split())
        if s and not _elsewhere(node):
            m.rel_authors.append(s)
    root = tree.css_first("html")
    if root is not None:
        ra = root.attributes
        m.html_lang = ra.get("lang") or ra.get("xml:lang")
    return m


_ELSEWHERE_TAGS = frozenset(("aside", "footer"))


def _elsewhere(node: LexborNode) -> bool:
    """Inside a comment thread, a related-stories list or an aside: another post's author."""
    return inside_marked(node, elsewhere_classes(), _ELSEWHERE_TAGS)


def elsewhere_classes() -> tuple[str, ...]:
    global _ELSEWHERE
    if _ELSEWHERE is None:
        d = json.loads((resources.files("newsdesk") / "data" / "author-hints.json").read_text(encoding="utf-8"))
        _ELSEWHERE = tuple(d["elsewhere_classes"])
    return _ELSEWHERE


_ELSEWHERE: tuple[str, ...] | None = None


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    if raw.startswith("<!--") or raw.startswith("//<![CDATA["):
        raw = re.sub(r"^(?://)?<!(?:--|\[CDATA\[)|(?://)?(?:-->|\]\]>)$", "", raw).strip()
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    # Common breakage: a trailing semicolon or comma.
    try:
        return json.loads(re.sub(r",\s*([}\]])", r"\1", raw.rstrip(";")), strict=False)
    except ValueError:
        return None


def _flatten(data: Any, out: list[dict[str, Any]]) -> None:
    # Iterative: JSON-LD nests @graph lists and mainEntity objects.
    todo = [data]
    while todo and len(out) < 200:
        d = todo.pop()
        if isinstance(d, list):
            todo.extend(reversed(d))
        elif isinstance(d, dict):
            if "@graph" in d:
                todo.append(d["@graph"])
            if "@type" in d:
                out.append(d)
            me = d.get("mainEntity") or d.get("mainEntityOfPage")
            if isinstance(me, dict) and "@type" in me and me is not d:
                todo.append(me)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _str(v: Any) -> str | None:
    if isinstance(v, str):
        v = " ".join(v.split())
        return v or None
    if isinstance(v, list) and v:
        return _str(v[0])
    if isinstance(v, dict):
        return _str(v.get("name") or v.get("@value"))
    return None


# ---------------------------------------------------------------------------------------
# Choosing values


def site_name(m: Meta) -> str | None:
    v = m.first("og:site_name", "application-name", "al:android:app_name", "twitter:app:name:iphone")
    if v:
        return v
    art = m.ld_article
    if art is not None:
        pub = _str(art.get("publisher"))
        if pub:
            return pub
    for obj in m.ld:
        if _types(obj) & {"website", "newsmediaorganization", "organization"}:
            name = _str(obj.get("name"))
            if name:
                return name
    return None


def description(m: Meta) -> str | None:
    v = m.first("og:description", "description", "twitter:description", "dc.description")
    if v is None and m.ld_article is not None:
        v = _str(m.ld_article.get("description"))
    return " ".join(v.split()) if v else None


def canonical_url(m: Meta) -> str | None:
    return m.canonical or m.first("og:url", "twitter:url")


def tags(m: Meta) -> list[str]:
    out: list[str] = []
    for v in m.meta.get("article:tag", []) + m.meta.get("og:article:tag", []):
        out.append(v)
    if not out and m.ld_article is not None:
        kw = m.ld_article.get("keywords")
        if isinstance(kw, str):
            out = kw.split(",")
        elif isinstance(kw, list):
            out = [k for k in kw if isinstance(k, str)]
    if not out:
        kw = m.first("news_keywords", "keywords")
        if kw:
            out = kw.split(",")
    seen: set[str] = set()
    result = []
    for t in out:
        t = " ".join(t.split())
        if t and len(t) <= 80 and t.casefold() not in seen:
            seen.add(t.casefold())
            result.append(t)
    return result[:50]


def language(m: Meta) -> str | None:
    return lang.from_attribute(m.html_lang) or lang.from_attribute(m.first("content-language", "og:locale", "language", "dc.language"))


# JSON-LD author types that are the publisher, not a writer.
ORG_TYPES = frozenset(
    "organization newsmediaorganization corporation brand website localbusiness educationalorganization "
    "governmentorganization medicalorganization onlinebusiness".split()
)


def raw_authors(m: Meta) -> list[str]:
    """Author strings from the best source that has any, uncleaned."""
    art = m.ld_article
    if art is not None:
        a = art.get("author") or art.get("creator")
        names: list[str] = []
        by_id: dict[str, Any] | None = None
        for item in a if isinstance(a, list) else [a]:
            if isinstance(item, dict) and _types(item) & ORG_TYPES:
                continue
            s = _str(item)
            if s is None and isinstance(item, dict) and isinstance(item.get("@id"), str):
                # {"@id": "…#/schema/person/…"}: the person is described elsewhere in the @graph.
                if by_id is None:
                    by_id = {o["@id"]: o for o in m.ld if isinstance(o.get("@id"), str)}
                ref = by_id.get(item["@id"])
                if ref is not None and _types(ref) & ORG_TYPES:
                    continue
                s = _str(ref.get("name")) if ref is not None else None
            if s:
                names.append(s)
        if names:
            return names
    sources = [m.itemprops.get("author", [])]
    sources += [[v for v in m.meta.get(k, []) if "://" not in v] for k in AUTHOR_KEYS]
    # Slack/Twitter unfurl labels: twitter:label1 "Written by", twitter:data1 "Jane Doe".
    for i in "1234":
        label = (m.first(f"twitter:label{i}") or "").casefold()
        if label in ("written by", "author", "by"):
            sources.append(m.meta.get(f"twitter:data{i}", []))
    sources.append(m.rel_authors)
    for src in sources:
        vals = [v for v in src if v and v.strip()]
        if vals:
            return vals
    return []


def url_date(url: str) -> str | None:
    """``/2020/02/23/`` or ``/2020-02-23-`` in a URL → ``2020-02-23``."""
    mt = _URL_DATE.search(url)
    if not mt:
        return None
    y, mo, d = mt.groups()
    return parse_date(f"{y}-{int(mo):02d}-{int(d):02d}")


# ---------------------------------------------------------------------------------------
# The headline

_TITLE_SEPS = (" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " // ", " • ", " : ")
_NON_ALNUM = re.compile(r"\W+")


def _k(s: str) -> str:
    return _NON_ALNUM.sub("", s.casefold())


def _is_site(part: str, site: str | None, domain: str | None) -> bool:
    p = _k(part)
    if not p:
        return False
    if site:
        s = _k(site)
        if s and (p == s or (s in p and len(p) <= len(s) + 12) or (p in s and len(p) >= 4)):
            return True
    if domain:
        label = _k(domain.split(".")[0])
        if label and len(label) >= 3 and (label in p or p in _k(domain)) and len(part.split()) <= 5:
            return True
    return False


def strip_site(title: str, site: str | None, domain: str | None) -> str:
    """"Headline - Site Name" → "Headline" when one end names the site."""
    t = " ".join(title.split())
    for _ in range(2):  # "Headline | Section | Site"
        changed = False
        for sep in _TITLE_SEPS:
            if sep not in t:
                continue
            parts = t.split(sep)
            if _is_site(parts[-1], site, domain) and len(sep.join(parts[:-1])) >= 8:
                t, changed = sep.join(parts[:-1]).strip(), True
                break
            if _is_site(parts[0], site, domain) and len(sep.join(parts[1:])) >= 8:
                t, changed = sep.join(parts[1:]).strip(), True
                break
        if not changed:
            break
    return t


def _pipe_suffix(t: str) -> str:
    # Without a known site name: a short tail after " | " is a site or section name.
    # (" - " is left alone: "Brexit - what happens next" is a headline.)
    if " | " in t:
        head, _, tail = t.rpartition(" | ")
        if len(tail.split()) <= 4 and len(head) >= 15:
            return head.strip()
    return t


# An <h1> is taken as the headline when at least this share of its words appear in one of the
# structured titles (og:title, JSON-LD headline, twitter:title, <title>). wcxb-dev articles:
# the visible <h1> is the annotated title far more often than og:title (597 vs 341 of 711);
# share 0.3 -> title exact 0.875, 0.5 -> 0.873, h1 only when inside <title> (before) 0.782.
H1_MIN_SHARE = 0.3


def _words(s: str) -> set[str]:
    return set(_WORD.findall(s.casefold()))


_WORD = re.compile(r"\w+")


def _best_h1(m: Meta, structured: list[str], site: str | None, domain: str | None) -> str | None:
    """The <h1> sharing most words with a structured title; site-name headings are skipped."""
    refs = [_words(s) for s in structured]
    best, best_score = None, (0, 0.0)
    for h in m.h1:
        if _is_site(h, site, domain):
            continue
        hw = _words(h)
        if not hw:
            continue
        shared = max((len(hw & r) for r in refs), default=0)
        share = max((len(hw & r) / len(hw) for r in refs), default=0.0)
        if share >= H1_MIN_SHARE and (shared, share) > best_score:
            best, best_score = h, (shared, share)
    return best


def choose_title(m: Meta, site: str | None, domain: str | None) -> tuple[str | None, str]:
    """(title, where it came from): the <h1> the structured titles agree with, then structured
    data, then the <title> tag itself."""
    art = m.ld_article
    cands = [m.first("og:title"), _str(art.get("headline")) if art is not None else None, m.first("twitter:title", "dc.title", "headline")]
    tag = m.title_tag
    h1 = _best_h1(m, [c for c in cands if c] + ([tag] if tag else []), site, domain)
    if h1:
        return _unescape(strip_site(h1, site, domain)), "h1"
    for c in cands:
        if c:
            t = strip_site(c, site, domain)
            return _unescape(_pipe_suffix(t) if t == c else t), "structured"
    if m.h1 and not tag:
        return _unescape(m.h1[0]), "h1"
    if tag:
        t = strip_site(tag, site, domain)
        if t == tag:
            t = _pipe_suffix(t)
        return _unescape(t), "title"
    if m.h1:
        return _unescape(m.h1[0]), "h1"
    return None, ""


def _unescape(s: str) -> str:
    # Entities escaped twice in the source ("&amp;#x26;") survive one parse.
    return html.unescape(s) if "&" in s else s
