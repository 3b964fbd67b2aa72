"""URL helpers: the registered domain ("site") and absolute, cleaned URLs."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from publicsuffixlist import PublicSuffixList

_PSL: PublicSuffixList | None = None


def _psl() -> PublicSuffixList:
    # Built on first use, not at import: loading the list costs ~30 ms.
    global _PSL
    if _PSL is None:
        _PSL = PublicSuffixList()
    return _PSL


@lru_cache(maxsize=4096)
def registered_domain(url_or_host: str | None) -> str | None:
    """``https://www.rt.com/news/x`` → ``rt.com``; a bare host or domain works too."""
    if not url_or_host:
        return None
    s = url_or_host.strip()
    host = urlsplit(s).hostname if "//" in s else s.split("/")[0].split(":")[0]
    if not host:
        return None
    host = host.strip(".").lower()
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    return _psl().privatesuffix(host) or None


def absolute(url: str | None, base: str | None) -> str | None:
    """Resolve ``url`` against ``base``; keep only http(s) URLs."""
    if not url:
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    scheme = urlsplit(url).scheme.lower() if "//" in url else ""
    return url if scheme in ("http", "https") else None
