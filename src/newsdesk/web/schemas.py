"""The JSON twins' shapes, as pydantic models: FastAPI documents them in /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..archive.people import QuoteHit


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


class RelatedLinkOut(BaseModel):
    title: str
    url: str | None = None
    site: str | None = None


class SourceOut(BaseModel):
    path: str | None = None
    format: str = "html"
    compression: str | None = None


class EntityOut(BaseModel):
    name: str
    label: str
    mentions: list[tuple[int, int]]
    title_mentions: list[tuple[int, int]] = []


class QuoteRecord(BaseModel):
    text: str
    start: int
    end: int
    kind: str
    cue: str | None = None
    speaker: str | None = None
    speaker_entity: int | None = None
    speaker_span: tuple[int, int] | None = None


class ArticleRecord(BaseModel):
    """The article record, exactly ``Article.to_dict()`` (schema: newsdesk/data/article.schema.json)."""

    model_config = ConfigDict(extra="allow")

    id: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = []
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    related: list[RelatedLinkOut] = []
    tags: list[str] = []
    page_type: str = "article"
    word_count: int = 0
    source: SourceOut
    warnings: list[str] = []
    entities: list[EntityOut] = []
    quotes: list[QuoteRecord] = []
    enriched: bool = False
    schema_version: str


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


def page_info(paged: Any) -> dict[str, Any]:
    return {
        "total": paged.total,
        "total_exact": paged.total_exact,
        "page": paged.page,
        "per_page": paged.per_page,
        "pages": paged.pages,
    }
