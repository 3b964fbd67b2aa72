"""Pages from the web: ``Collector`` fetches URLs, feeds and sitemaps politely and keeps
every response in WARC files (``crawler``; the HTTP client, robots.txt and WARC writing
each in a module of their own)."""

from __future__ import annotations

from .crawler import Collector, FetchOptions, FetchStats

__all__ = ["Collector", "FetchOptions", "FetchStats"]
