"""URL helpers: the registered domain ("site"), absolute URLs, and the one spelling of an
address that names a record (``identity_url``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urljoin, urlsplit, urlunsplit

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


def _tracking() -> frozenset[str]:
    ref = resources.files("newsdesk") / "data" / "tracking-params.json"
    return frozenset(json.loads(ref.read_text(encoding="utf-8"))["params"])


_TRACKING: frozenset[str] | None = None
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str | None) -> str | None:
    """One spelling per address: scheme and host lower-cased, default port, fragment and
    tracking parameters (``utm_*``, ``fbclid``, …) dropped, an empty path made ``/``.

    Only http(s) URLs are normalised; anything else (or a URL that does not parse) gives None.
    """
    global _TRACKING
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if _TRACKING is None:
        _TRACKING = _tracking()
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = "&".join(
        p for p in parts.query.split("&")
        if p and not (p.split("=", 1)[0].lower().startswith("utm_") or p.split("=", 1)[0].lower() in _TRACKING)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def identity_url(canonical_url: str | None, url: str | None) -> str | None:
    """The URL that names a record: the page's canonical URL when it declares one, else the
    URL it was fetched from; normalised (see ``normalise_url``).

    A canonical URL that is the bare site root while the page was fetched from a deeper
    path is a template default (every article of such a site declares the home page), not
    this page's address: the fetched URL names it then.
    """
    canonical = normalise_url(canonical_url)
    fetched = normalise_url(url)
    if canonical and fetched and urlsplit(canonical).path == "/" and urlsplit(fetched).path != "/":
        return fetched
    return canonical or fetched
