"""newsdesk: messy news pages in, clean article records and a searchable archive out.

The package follows the pipeline:

    read/       where pages come from: files, folders, stdin, WARC/WET/ARC (RawPage, PageRef)
    extract/    page → Article (HTML and text-dump extractors)
    enrich/     Article → Article with entities and quotes
    read/fetch/ pages from the web: URLs, feeds, sitemaps, fetched politely into WARC files
    pipeline/   the stages (extract, select, enrich, link), the worker pool and the one runner;
                the jobs: ingest, fetch/watch, reprocess, and the Spark job
    archive/    SQLite: storing, the filter vocabulary, search, browse, export
    cli/, web/  thin front ends over the library
    model.py    the record (the one schema; schema.py derives its other shapes)
    outcome.py  what became of each input; errors.py the exception tree; urls.py URL identity

    >>> from newsdesk import extract, Archive
    >>> article = extract(open("page.html", "rb").read(), url="https://example.com/a")
    >>> with Archive("news.db") as archive:
    ...     archive.add(article)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .errors import NewsdeskError
from .extract import extract
from .model import SCHEMA_VERSION, Article, Entity, Quote, RelatedLink, Source, json_schema
from .read import RawPage, read_pages

if TYPE_CHECKING:
    from .archive import Archive
    from .enrich import Analysis, analyze
    from .pipeline.collect import FetchOptions, fetch, watch

# Loaded on first use: the archive pulls in sqlite and export code, enrich pulls in spaCy.
# (``enrich`` itself is the subpackage: ``from newsdesk.enrich import enrich, enrich_many``.)
_LAZY = {"Archive": "archive", "analyze": "enrich", "Analysis": "enrich",
         "fetch": "pipeline.collect", "watch": "pipeline.collect", "FetchOptions": "pipeline.collect"}

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "extract",
    "read_pages",
    "RawPage",
    "analyze",
    "Analysis",
    "Entity",
    "Quote",
    "Article",
    "RelatedLink",
    "Source",
    "Archive",
    "fetch",
    "watch",
    "FetchOptions",
    "json_schema",
    "SCHEMA_VERSION",
    "NewsdeskError",
    "errors",
    "__version__",
]
