"""The pages and their JSON twins. Each page's data is built once, by a function shared by
the HTML route and its ``/api/…`` twin, so the two can never disagree.

Routes are plain ``def``: FastAPI runs them in its thread pool, and each opens (and
closes) its own read-only archive connection in that thread.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from pydantic import BaseModel, Field, create_model

from ..archive import Archive, paging
from ..archive.browse import ArticleQuery, Histogram, bucketed, label_group
from ..archive.filters import DATE_HELP, FILTERS
from ..archive.links import DuplicateLink
from ..archive.search import fts_reason
from ..archive.stories import StoryRow, TimelineEntry
from ..errors import ArchiveError, QueryError
from ..model import ENTITY_LABELS, PAGE_TYPES, QUOTE_KINDS, Article
from . import render, schemas

router = APIRouter()

# Items per page: a screenful of search results; quotes and entities are one line each.
SEARCH_PER_PAGE = 20
ENTITY_ARTICLES_PER_PAGE = 20
QUOTES_PER_PAGE = 50
ENTITIES_PER_PAGE = 50
SITES_PER_PAGE = 100
STORIES_PER_PAGE = 20
# Other articles of its story listed beside an article: its neighbours in time, enough for a
# day's coverage; the story page lists them all.
SAME_STORY = 50
# No query or name needs more; longer input is refused before it reaches SQLite.
MAX_TEXT = 500
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.Error, "description": "A bad parameter (date, page, search syntax)."},
    404: {"model": schemas.Error, "description": "No such article, entity or story."},
}


class NotFound(Exception):
    """An unknown article id, entity or story: a 404 page (or ``{"detail": …}`` under /api)."""


def _text(limit: int = MAX_TEXT, description: str | None = None) -> Any:
    return Field(None, max_length=limit, description=description)


def _filter_fields() -> dict[str, Any]:
    """The shared filters (``archive.filters.FILTERS``) as query parameters: the same names,
    meanings and bounds as the CLI's options."""
    out: dict[str, Any] = {}
    for spec in FILTERS:
        # Choices are checked by Filters.build (a 400 naming them), so that the form's
        # empty "any" choice is simply no filter.
        out[spec.name] = (str | None, _text(spec.max_length, spec.described))
    return out


class _Search(BaseModel):
    q: str | None = _text(description="Full-text query (SQLite FTS5 syntax); without it, the newest articles.")
    page: int = Field(1, ge=1, description="1-based page number.")


# Built at import from the filter vocabulary (a dynamic model, so type checkers see _Search).
SearchParams: type[_Search] = create_model("SearchParams", __base__=_Search, **_filter_fields())


class EntitiesParams(BaseModel):
    label: str | None = _text(10, "PERSON, ORG, GPE, LOC, or place (GPE and LOC).")
    name: str | None = _text(description="Names holding all these words.")
    page: int = Field(1, ge=1, description="1-based page number.")


class QuotesParams(BaseModel):
    speaker: str | None = _text(description="Said by (whole words of the speaker's name).")
    about: str | None = _text(description="Naming this person, organisation or place inside the quote.")
    q: str | None = _text(description="Words of the quote (SQLite FTS5 syntax).")
    kind: str | None = _text(20, " | ".join(QUOTE_KINDS))
    family: str | None = _text(
        20, "speech (the default: said, told, according to …), stance (think, want, decide, show, call X Y) or all."
    )
    site: str | None = _text(200, "Only this site.")
    since: str | None = _text(40, f"Published on or after ({DATE_HELP}).")
    until: str | None = _text(40, f"Published on or before ({DATE_HELP}).")
    page: int = Field(1, ge=1, description="1-based page number.")


class EntityParams(BaseModel):
    page: int = Field(1, ge=1, description="Page of the articles naming it.")
    qpage: int = Field(1, ge=1, description="Page of a person's quotes.")


class StoriesParams(BaseModel):
    q: str | None = _text(description="Stories with an article matching these words (SQLite FTS5 syntax).")
    site: str | None = _text(200, "Stories with an article from this site.")
    since: str | None = _text(40, f"Stories with an article published on or after ({DATE_HELP}).")
    until: str | None = _text(40, f"Stories with an article published on or before ({DATE_HELP}).")
    page: int = Field(1, ge=1, description="1-based page number.")


class SourcesParams(BaseModel):
    page: int = Field(1, ge=1, description="Page of the sites table.")


def _params(model: BaseModel) -> dict[str, Any]:
    # Page 1 is the default: left out so links stay short.
    return {k: v for k, v in model.model_dump().items() if v not in (None, "") and not (k in ("page", "qpage") and v == 1)}


@contextmanager
def _archive(request: Request) -> Iterator[Archive]:
    with Archive(request.app.state.db_path, readonly=True, pooled=True) as archive:
        yield archive


def _html(request: Request, template: str, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(request_path=request.url.path, **context))


def _hist(h: Histogram) -> schemas.HistogramOut:
    return schemas.HistogramOut.model_validate(h.to_dict())


def _hit(row: Any) -> schemas.ArticleHit:
    return schemas.ArticleHit(
        id=row.id, title=row.title, site=row.site, published=row.published, url=row.url,
        snippet=render.snippet_text(row.snippet),
    )


# -- search --------------------------------------------------------------------------------


def _search(request: Request, p: Any) -> tuple[schemas.SearchOut, Any, Histogram]:
    query = ArticleQuery.build(p.q, **{spec.name: getattr(p, spec.name) for spec in FILTERS})
    with _archive(request) as archive:
        paged, hist = archive.browse.search(query, page=p.page, per_page=SEARCH_PER_PAGE)
    out = schemas.SearchOut(
        **schemas.page_info(paged), order=paged.order or "newest", results=[_hit(r) for r in paged.items], histogram=_hist(hist)
    )
    return out, paged, hist


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, params: Annotated[SearchParams, Query()]) -> HTMLResponse:  # type: ignore[valid-type]
    p: Any = params
    _out, paged, hist = _search(request, p)
    return _html(
        request, "search.html", title="Search" if not p.q else f"{p.q} — search", p=p, params=_params(p), paged=paged,
        page_types=PAGE_TYPES,
        chart=render.chart(hist), json_url=render.page_url("/api/search", _params(p)),
    )


@router.get("/api/search", response_model=schemas.SearchOut, responses=ERRORS, tags=["search"])
def search_api(request: Request, p: Annotated[SearchParams, Query()]) -> schemas.SearchOut:  # type: ignore[valid-type]
    """Articles matching `q` (best match first) or, without `q`, the newest; filtered by site,
    dates and named entities; with matching articles per day, week or month. Counts past
    10,000 matches are capped (`total_exact` false)."""
    return _search(request, p)[0]


# -- article -------------------------------------------------------------------------------

ArticleId = Annotated[str, Path(max_length=200, description="The article's id (16 hex digits).")]


def _get(archive: Archive, article_id: str) -> Article:
    article = archive.get(article_id)
    # get() also takes a URL; these pages are addressed by id only.
    if article is None or article.id != article_id:
        raise NotFound(f"no article with id {article_id!r}")
    return article


def _article(request: Request, article_id: str) -> Article:
    with _archive(request) as archive:
        return _get(archive, article_id)


def _article_links(archive: Archive, article: Article) -> tuple[schemas.ArticleLinksOut, dict[str, str | None]]:
    """The article page's story and link blocks, and the titles of the articles they name."""
    story, same = None, []
    entries: list[TimelineEntry] = []
    if article.story is not None:
        row, entries = _story_entries(archive, article.story)
        story = _story_out(row, entries)
        same = _nearest(entries, article.id, SAME_STORY)
    titles = {e.id: e.title for e in entries} | {article.id: article.title}
    blocks: dict[str, list[schemas.LinkOut]] = {"copy_of": [], "copied_by": [], "reuses": [], "reused_by": []}
    for link in archive.duplicates(article=article.id):
        mine = link.article == article.id
        if mine and link.source not in titles:
            other = archive.get(link.source)
            titles[link.source] = other.title if other else None
        block = ("copy_of" if mine else "copied_by") if link.kind == "copy" else ("reuses" if mine else "reused_by")
        blocks[block].append(_link_out(link, titles.get(link.source)))
    out = schemas.ArticleLinksOut(id=article.id, story=story, origin=article.origin, same_story=same, **blocks)
    return out, titles


def _nearest(entries: list[TimelineEntry], article_id: str, n: int) -> list[TimelineEntry]:
    """The ``n`` entries published nearest to ``article_id`` (itself left out), in timeline order."""
    at = next((i for i, e in enumerate(entries) if e.id == article_id), 0)
    others = [i for i in range(len(entries)) if entries[i].id != article_id]
    keep = sorted(sorted(others, key=lambda i: (abs(i - at), i))[:n])
    return [entries[i] for i in keep]


@router.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
    with _archive(request) as archive:
        article = _get(archive, article_id)
        links, titles = _article_links(archive, article)
    by_label: dict[str, list[str]] = {label: [] for label in ENTITY_LABELS}
    for e in article.entities:
        if e.label in by_label and e.name not in by_label[e.label]:
            by_label[e.label].append(e.name)
    return _html(
        request, "article.html", title=article.title or article.id, a=article,
        text_html=render.article_html(article.text, article.entities, article.quotes),
        by_label=by_label, record_json=json.dumps(article.to_dict(), ensure_ascii=False, indent=2),
        quote_title=render.quote_title, json_url=f"/api/article/{article.id}", links=links, titles=titles,
        links_url=f"/api/article/{article.id}/links",
    )


@router.get("/api/article/{article_id}", response_model=schemas.ArticleRecord, responses=ERRORS, tags=["articles"])
def article_api(request: Request, article_id: ArticleId) -> dict[str, Any]:
    """The stored record, exactly as `newsdesk show` prints it (`Article.to_dict()`); `story`
    and `origin` are set from the archive. Its story and copy links: `/api/article/{id}/links`."""
    return _article(request, article_id).to_dict()


@router.get("/api/article/{article_id}/links", response_model=schemas.ArticleLinksOut, responses=ERRORS, tags=["articles"])
def article_links_api(request: Request, article_id: ArticleId) -> schemas.ArticleLinksOut:
    """What the article page shows beside the text: the article's story and the other articles
    of it published nearest to it, and its copy and reuse links (`newsdesk duplicates`) in
    four lists — what it is a copy of, its later copies, what it reuses passages of, and
    who reuses passages of it — each link with both articles named and the shared passages'
    character offsets."""
    with _archive(request) as archive:
        return _article_links(archive, _get(archive, article_id))[0]


# -- entities ------------------------------------------------------------------------------


def _entities(request: Request, p: EntitiesParams) -> schemas.EntitiesOut:
    with _archive(request) as archive:
        paged = archive.browse.entities(label=p.label, name=p.name, page=p.page, per_page=ENTITIES_PER_PAGE)
    results = [schemas.EntityCountOut(**e.to_dict()) for e in paged.items]
    return schemas.EntitiesOut(**schemas.page_info(paged), results=results)


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(request: Request, p: Annotated[EntitiesParams, Query()]) -> HTMLResponse:
    out = _entities(request, p)
    heading = {"PERSON": "People", "ORG": "Organisations", "GPE": "Places", "LOC": "Places"}
    labels = label_group(p.label) if p.label else ()
    title = heading.get(labels[0], "Entities") if labels else "Entities"
    return _html(
        request, "entities.html", title=title, p=p, params=_params(p), out=out,
        json_url=render.page_url("/api/entities", _params(p)),
    )


@router.get("/api/entities", response_model=schemas.EntitiesOut, responses=ERRORS, tags=["entities"])
def entities_api(request: Request, p: Annotated[EntitiesParams, Query()]) -> schemas.EntitiesOut:
    """People, organisations and places by the number of articles naming them, most first."""
    return _entities(request, p)


Label = Annotated[str, Path(max_length=10, description="PERSON, ORG, GPE or LOC")]
Name = Annotated[str, Path(max_length=MAX_TEXT, description="The entity's name (any case).")]


def _entity(request: Request, label: str, name: str, p: EntityParams) -> schemas.EntityPageOut:
    with _archive(request) as archive:
        browse = archive.browse
        entity = browse.entity(label, name)
        if entity is None:
            raise NotFound(f"no {render.LABEL_NAMES.get(label, 'entity')} named {name!r} in the archive")
        hist = browse.entity_histogram(label, name)
        sites = browse.entity_sites(label, name)
        articles = browse.entity_articles(label, name, total=entity.articles, page=p.page, per_page=ENTITY_ARTICLES_PER_PAGE)
        quotes = None
        if label == "PERSON":
            quotes = browse.quotes(speaker=entity.name, speaker_exact=True, page=p.qpage, per_page=ENTITY_ARTICLES_PER_PAGE)
    return schemas.EntityPageOut(
        entity=schemas.EntityCountOut(**entity.to_dict()),
        histogram=_hist(hist),
        sites=[schemas.SiteArticles(site=s, articles=n) for s, n in sites],
        articles=schemas.ArticlesPage(**schemas.page_info(articles), results=[_hit(r) for r in articles.items]),
        quotes=None if quotes is None else schemas.QuotesOut(
            **schemas.page_info(quotes), results=list(quotes.items)
        ),
    )


@router.get("/entity/{label}/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(request: Request, label: Label, name: Name, p: Annotated[EntityParams, Query()]) -> HTMLResponse:
    out = _entity(request, label, name, p)
    return _html(
        request, "entity.html", title=out.entity.name, out=out, p=p, params=_params(p),
        chart=render.chart(Histogram(out.histogram.bucket, [(b.start, b.count) for b in out.histogram.counts])),
        self_url=render.entity_url(label, out.entity.name),
        json_url=render.page_url("/api" + render.entity_url(label, out.entity.name), _params(p)),
    )


@router.get("/api/entity/{label}/{name:path}", response_model=schemas.EntityPageOut, responses=ERRORS, tags=["entities"])
def entity_api(request: Request, label: Label, name: Name, p: Annotated[EntityParams, Query()]) -> schemas.EntityPageOut:
    """One person, organisation or place: articles naming it over time, the sites naming it
    most, the articles (newest first) and, for a person, their quotes (newest first)."""
    return _entity(request, label, name, p)


# -- quotes --------------------------------------------------------------------------------


def _family(value: str | None) -> str | None:
    """The quotes' family filter: speech unless asked for "stance" or "all"."""
    if not value:
        return "speech"
    return None if value == "all" else value  # an unknown family is the archive's 400


def _quotes(request: Request, p: QuotesParams) -> schemas.QuotesOut:
    with _archive(request) as archive:
        paged = archive.browse.quotes(
            speaker=p.speaker, about=p.about, query=p.q, kind=p.kind or None, family=_family(p.family), site=p.site,
            since=p.since, until=p.until, page=p.page, per_page=QUOTES_PER_PAGE,
        )
    return schemas.QuotesOut(**schemas.page_info(paged), results=list(paged.items))


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes_page(request: Request, p: Annotated[QuotesParams, Query()]) -> HTMLResponse:
    out = _quotes(request, p)
    return _html(
        request, "quotes.html", title="Quotes", p=p, params=_params(p), out=out, kinds=QUOTE_KINDS,
        families=("speech", "stance", "all"),
        json_url=render.page_url("/api/quotes", _params(p)),
    )


@router.get("/api/quotes", response_model=schemas.QuotesOut, responses=ERRORS, tags=["quotes"])
def quotes_api(request: Request, p: Annotated[QuotesParams, Query()]) -> schemas.QuotesOut:
    """Quotes, newest first: by speaker, by an entity they name, by words, kind, family, site and
    date. Speech only unless ``family`` is ``stance`` or ``all``."""
    return _quotes(request, p)


# -- sources -------------------------------------------------------------------------------


def _sources(request: Request, p: SourcesParams) -> schemas.SourcesOut:
    with _archive(request) as archive:
        sites = archive.browse.sites(page=p.page, per_page=SITES_PER_PAGE)
        months = archive.browse.months()
        total = archive.browse.total()
    return schemas.SourcesOut(
        total=total,
        sites=schemas.SitesPage(
            **schemas.page_info(sites),
            results=[schemas.SiteOut(site=s.site, articles=s.articles, first=s.first, last=s.last) for s in sites.items],
        ),
        months=[schemas.MonthOut(month=m, articles=n) for m, n in months],
    )


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, p: Annotated[SourcesParams, Query()]) -> HTMLResponse:
    out = _sources(request, p)
    months = [(f"{m.month}-01", m.articles) for m in out.months if m.month]
    hist = bucketed(months, bucket="month")
    return _html(
        request, "sources.html", title="Sources", out=out, p=p, params=_params(p), chart=render.chart(hist),
        json_url=render.page_url("/api/sources", _params(p)),
    )


@router.get("/api/sources", response_model=schemas.SourcesOut, responses=ERRORS, tags=["sources"])
def sources_api(request: Request, p: Annotated[SourcesParams, Query()]) -> schemas.SourcesOut:
    """Articles per site (most first, paged) and per month of publication."""
    return _sources(request, p)


# -- stories -------------------------------------------------------------------------------


def _story_entries(archive: Archive, story_id: int) -> tuple[StoryRow, list[TimelineEntry]]:
    try:
        return archive.story(story_id)
    except ArchiveError:
        # The only ArchiveError story() raises on an open archive: an unknown id.
        raise NotFound(f"no story {story_id}") from None


def _story_out(row: StoryRow, entries: list[TimelineEntry]) -> schemas.StoryOut:
    days = Counter(e.published[:10] for e in entries if e.published)
    return schemas.StoryOut(**row.to_dict(), days=[schemas.Bucket(start=d, count=n) for d, n in sorted(days.items())])


def _link_out(link: DuplicateLink, source_title: str | None) -> schemas.LinkOut:
    return schemas.LinkOut(
        **link.to_dict(passages=True), article_title=link.article_title, article_site=link.article_site,
        article_published=link.article_published, source_title=source_title, source_site=link.source_site,
        source_published=link.source_published,
    )


def _stories(request: Request, p: StoriesParams) -> schemas.StoriesOut:
    first = paging.offset(p.page, STORIES_PER_PAGE)
    with _archive(request) as archive:
        try:
            # One more than a page: whether another page follows (stories are not counted).
            rows = archive.stories(p.q, site=p.site, since=p.since, until=p.until, limit=STORIES_PER_PAGE + 1, offset=first)
        except sqlite3.OperationalError as exc:
            # Archive.stories runs its FTS5 match outside the search path that words FTS5's
            # errors (search.fts), so a bad query is worded the same way here.
            if not (p.q and p.q.strip()):
                raise
            raise QueryError(f"bad search query {p.q!r}: {fts_reason(exc)}") from None
        more = len(rows) > STORIES_PER_PAGE
        results = [_story_out(row, archive.story(row.id)[1]) for row in rows[:STORIES_PER_PAGE]]
        stale = archive.stories_stale()
    return schemas.StoriesOut(
        total=first + len(rows), total_exact=not more, page=p.page, per_page=STORIES_PER_PAGE,
        pages=p.page + 1 if more else p.page, results=results, stale=stale,
    )


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request, p: Annotated[StoriesParams, Query()]) -> HTMLResponse:
    out = _stories(request, p)
    strips = [render.strip([(b.start, b.count) for b in s.days]) for s in out.results]
    return _html(
        request, "stories.html", title="Stories", p=p, params=_params(p), out=out, strips=strips,
        json_url=render.page_url("/api/stories", _params(p)),
    )


@router.get("/api/stories", response_model=schemas.StoriesOut, responses=ERRORS, tags=["stories"])
def stories_api(request: Request, p: Annotated[StoriesParams, Query()]) -> schemas.StoriesOut:
    """Stories (the same event across outlets), biggest first, as `newsdesk stories` lists
    them: `q` (SQLite FTS5 syntax) and the filters keep the stories with at least one
    matching article; each story whole, with its articles per day. Stories are not counted:
    `total_exact` is false while more pages follow."""
    return _stories(request, p)


StoryId = Annotated[int, Path(ge=0, le=2**63 - 1, description="The story's id (`newsdesk stories`).")]


def _story(request: Request, story_id: int) -> tuple[schemas.StoryPageOut, dict[str, str]]:
    """The story page's data, and the texts of the articles its reused passages are cut from."""
    with _archive(request) as archive:
        row, entries = _story_entries(archive, story_id)
        texts: dict[str, str] = {}
        titles: dict[str, str | None] = {e.id: e.title for e in entries}

        def text(article_id: str) -> str:
            if article_id not in texts:
                a = archive.get(article_id)
                texts[article_id] = a.text if a else ""
                titles.setdefault(article_id, a.title if a else None)
            return texts[article_id]

        reuse = []
        for e in entries:
            if not e.reuses:
                continue
            for link in archive.duplicates(article=e.id, kind="partial"):
                if link.article != e.id:
                    continue
                mine, theirs = text(link.article), text(link.source)
                excerpts = [schemas.ExcerptOut(article_text=mine[a0:a1], source_text=theirs[s0:s1])
                            for a0, a1, s0, s1 in link.passages]
                reuse.append(schemas.ReuseOut(**_link_out(link, titles.get(link.source)).model_dump(), excerpts=excerpts))
    out = schemas.StoryPageOut(story=_story_out(row, entries), timeline=entries, reuse=reuse)
    return out, texts


@router.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
    out, texts = _story(request, story_id)
    titles = {e.id: e.title for e in out.timeline} | {r.source: r.source_title for r in out.reuse}
    pairs = [
        [(render.passage_html(texts.get(r.article, ""), a0, a1), render.passage_html(texts.get(r.source, ""), s0, s1))
         for a0, a1, s0, s1 in r.passages]
        for r in out.reuse
    ]
    hist = bucketed([(b.start, b.count) for b in out.story.days])
    return _html(
        request, "story.html", title=out.story.label or f"Story {out.story.id}", out=out, titles=titles, pairs=pairs,
        chart=render.chart(hist), json_url=f"/api/story/{out.story.id}",
    )


@router.get("/api/story/{story_id}", response_model=schemas.StoryPageOut, responses=ERRORS, tags=["stories"])
def story_api(request: Request, story_id: StoryId) -> schemas.StoryPageOut:
    """One story: its articles by publication time (who published when; copies name the
    origin of their copy group, as `newsdesk story` prints them), and the passages its
    articles reuse from earlier ones, on both sides."""
    return _story(request, story_id)[0]
