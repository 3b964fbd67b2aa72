"""newsdesk: messy news pages in, clean article records and a searchable archive out.

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
from .model import SCHEMA_VERSION, Article, RelatedLink, Source, json_schema

if TYPE_CHECKING:
    from .archive import Archive

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The archive pulls in sqlite and export code; load it when first asked for.
    if name == "Archive":
        from .archive import Archive

        return Archive
    raise AttributeError(name)


__all__ = [
    "extract",
    "Article",
    "RelatedLink",
    "Source",
    "Archive",
    "json_schema",
    "SCHEMA_VERSION",
    "NewsdeskError",
    "errors",
    "__version__",
]
