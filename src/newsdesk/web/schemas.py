"""The JSON twins' shapes, as pydantic models: FastAPI documents them in /openapi.json."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..archive.people import QuoteHit
from ..archive.stories import TimelineEntry
from ..model import Article
from ..schema import walk


class Error(BaseModel):
    detail: str = Field(description="One line saying what was wrong.")


class Bucket(BaseModel):
    start: str = Field(description="First day of the bucket, YYYY-MM-DD (a Monday for weeks, the 1st for months).")
    count: int


class HistogramOut(BaseModel):
    bucket: str = Field(description="day, week or month — chosen from the span of the dates.")
    counts: list[Bucket]


class PageInfo(BaseModel):
    total: int = Field(description="Items in the whole list (a lower bound when total_exact is false).")
    total_exact: bool = Field(True, description="False when counting stopped at the cap (10,000).")
    page: int
    per_page: int
    pages: int = Field(description="The last page that can be asked for.")


class ArticleHit(BaseModel):
    id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    snippet: str = Field(description="Matched words in [brackets] for a query; else the article's lead.")


class SearchOut(PageInfo):
    order: str = Field(
        description="relevance (BM25, title weighted) or newest: a query matching more than 20,000 articles, "
        "and no query at all, list the newest first."
    )
    results: list[ArticleHit]
    histogram: HistogramOut


def _record_model() -> type[BaseModel]:
    """``ArticleRecord``: the pydantic model of ``Article.to_dict()``, built from the record's
    dataclasses (``newsdesk.schema.walk``) so the API can never describe another shape."""

    def opt(tp: Any, nullable: bool) -> Any:
        return tp | None if nullable else tp

    def leaf(tp: Any, nullable: bool) -> Any:
        return opt(tp, nullable)

    def array(items: Any, nullable: bool, length: int | None) -> Any:
        return opt(tuple.__class_getitem__((items,) * length) if length else list[items], nullable)

    def mapping(values: Any, nullable: bool) -> Any:
        return opt(dict[str, values], nullable)

    def record(cls: type, fields: list[tuple[dataclasses.Field[Any], Any]], nullable: bool) -> Any:
        name = "ArticleRecord" if cls is Article else f"{cls.__name__}Record"
        spec = {f.name: (t, Field(description=f.metadata.get("description"))) for f, t in fields}
        built = create_model(name, __doc__=(cls.__doc__ or "").split("\n")[0], **spec)  # type: ignore[call-overload]
        return opt(built, nullable)

    model: type[BaseModel] = walk(Article, leaf=leaf, array=array, mapping=mapping, record=record)
    return model


ArticleRecord = _record_model()


class EntityCountOut(BaseModel):
    name: str
    label: str = Field(description="PERSON, ORG, GPE or LOC")
    articles: int = Field(description="Articles naming it.")
    mentions: int = Field(description="Mentions across those articles (text and title).")


class EntitiesOut(PageInfo):
    results: list[EntityCountOut]


class QuotesOut(PageInfo):
    # The archive's own QuoteHit (pydantic reads the dataclass): the API shape and
    # `newsdesk quotes --format jsonl` cannot drift apart.
    results: list[QuoteHit]


class ArticlesPage(PageInfo):
    results: list[ArticleHit]


class SiteArticles(BaseModel):
    site: str | None
    articles: int


class EntityPageOut(BaseModel):
    entity: EntityCountOut
    histogram: HistogramOut = Field(description="Articles naming it per day, week or month.")
    sites: list[SiteArticles] = Field(description="Sites naming it most (top 20).")
    articles: ArticlesPage = Field(description="Articles naming it, newest first (param `page`).")
    quotes: QuotesOut | None = Field(description="For a PERSON: what they are quoted as saying, newest first (param `qpage`).")


class SiteOut(BaseModel):
    site: str | None
    articles: int
    first: str | None = Field(description="First day of publication (YYYY-MM-DD).")
    last: str | None


class MonthOut(BaseModel):
    month: str | None = Field(description="YYYY-MM; null for undated articles.")
    articles: int


class SitesPage(PageInfo):
    results: list[SiteOut]


class SourcesOut(BaseModel):
    total: int
    sites: SitesPage
    months: list[MonthOut]


class StoryOut(BaseModel):
    """A story (the same event across outlets): ``StoryRow.to_dict()``, as ``newsdesk stories
    --format jsonl`` prints it, and its articles per day."""

    # A field the library adds to StoryRow must be added here too, not dropped in silence.
    model_config = ConfigDict(extra="forbid")

    id: int
    label: str | None = Field(description="The headline of its most central article.")
    first: str | None = Field(description="The first publication time of its articles.")
    last: str | None = Field(description="The last publication time of its articles.")
    articles: list[str] = Field(description="Its articles' ids, oldest first.")
    sites: list[str] = Field(description="The sites that published it, A to Z.")
    days: list[Bucket] = Field(description="Its dated articles per day of publication, oldest first; days without any left out.")


class StoriesOut(PageInfo):
    # Stories are listed, not counted: a page reads one more than it shows to know whether
    # another page follows.
    total: int = Field(
        description="Stories up to the end of this page, plus one when more follow: a lower bound while total_exact is false."
    )
    total_exact: bool = Field(True, description="False when more stories follow this page (the list is not counted).")
    results: list[StoryOut] = Field(description="Biggest first (most articles).")
    stale: bool = Field(False, description="True when the stories were cleared by a newer story stage and wait for "
                                           "`newsdesk stories --rebuild` (articles stored since have stories).")


class LinkOut(BaseModel):
    """A stored copy or reuse link, as ``newsdesk duplicates --format jsonl`` prints it, with
    both articles named: ``article`` (the later) copies or reuses passages of ``source``."""

    article: str
    source: str
    kind: str = Field(description="copy (the same text, edits aside) or partial (passages reused).")
    similarity: float = Field(description="Word 5-gram Jaccard similarity of the two texts.")
    shared: float = Field(description="Share of the article's text in the passages it shares with the source.")
    passages: list[tuple[int, int, int, int]] = Field(
        description="The shared passages: [article_start, article_end, source_start, source_end], "
        "character offsets into the two texts (`text` of /api/article/{id})."
    )
    article_title: str | None
    article_site: str | None
    article_published: str | None
    source_title: str | None
    source_site: str | None
    source_published: str | None


class ExcerptOut(BaseModel):
    article_text: str = Field(description="The passage as the article has it.")
    source_text: str = Field(description="The passage as the source has it.")


class ReuseOut(LinkOut):
    excerpts: list[ExcerptOut] = Field(description="The text of each passage in both articles, in the order of `passages`.")


class StoryPageOut(BaseModel):
    story: StoryOut
    timeline: list[TimelineEntry] = Field(
        description="Its articles by publication time (undated last): `copy_of` names the origin of the copy group "
        "an article is a copy of, `reuses` the earlier articles it reuses passages of."
    )
    reuse: list[ReuseOut] = Field(
        description="Every partial-reuse link of an article of the story (the source may be in another story), "
        "in timeline order, with the passages' text on both sides."
    )


class ArticleLinksOut(BaseModel):
    id: str
    story: StoryOut | None = Field(description="The story the article is in.")
    origin: str | None = Field(description="The origin of its copy group (its own id when it is the origin); null without copies.")
    same_story: list[TimelineEntry] = Field(
        description="Other articles of its story by publication time: the ones published nearest to it, at most 50."
    )
    copy_of: list[LinkOut] = Field(description="Articles it is a copy of (it is `article`).")
    copied_by: list[LinkOut] = Field(description="Later copies of it (it is `source`).")
    reuses: list[LinkOut] = Field(description="Earlier articles it reuses passages of (it is `article`).")
    reused_by: list[LinkOut] = Field(description="Later articles reusing passages of it (it is `source`).")


def page_info(paged: Any) -> dict[str, Any]:
    return {
        "total": paged.total,
        "total_exact": paged.total_exact,
        "page": paged.page,
        "per_page": paged.per_page,
        "pages": paged.pages,
    }
