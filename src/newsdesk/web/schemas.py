"""The JSON twins' shapes, as pydantic models: FastAPI documents them in /openapi.json."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, Field, create_model

from ..archive.people import QuoteHit
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


def page_info(paged: Any) -> dict[str, Any]:
    return {
        "total": paged.total,
        "total_exact": paged.total_exact,
        "page": paged.page,
        "per_page": paged.per_page,
        "pages": paged.pages,
    }
