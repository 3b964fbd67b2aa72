"""robots.txt as a polite crawler reads it (RFC 9309), with protego.

One file per host (scheme + host + port), fetched before any other request to that host.
How its fetch ends decides what is allowed (RFC 9309 §2.3.1):

- 2xx: the rules it gives, for our user agent (``Crawl-delay`` and ``Sitemap:`` lines too);
- 4xx ("unavailable"): no rules, everything allowed;
- 5xx, a timeout, a refused connection ("unreachable"): nothing allowed for this run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

# RFC 9309 §2.5: crawlers must read at least 500 KiB of a robots.txt; more is ignored.
MAX_ROBOTS_BYTES = 512 * 1024


@lru_cache(maxsize=65536)
def host_key(url: str) -> str:
    """``scheme://host:port`` of ``url``: robots.txt and the politeness rules are per host."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass(slots=True)
class Robots:
    """The rules of one host for one user agent."""

    agent: str
    parser: Any = None  # protego.Protego, or None for "no rules"
    allow_all: bool = False
    deny_reason: str | None = None  # set: nothing on this host may be fetched
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, agent: str, text: str) -> Robots:
        from protego import Protego

        parser = Protego.parse(text[:MAX_ROBOTS_BYTES])
        return cls(agent, parser=parser, sitemaps=list(parser.sitemaps))

    @classmethod
    def unavailable(cls, agent: str) -> Robots:
        return cls(agent, allow_all=True)

    @classmethod
    def unreachable(cls, agent: str, why: str) -> Robots:
        return cls(agent, deny_reason=f"robots.txt unreachable ({why}): the host is not crawled")

    def allowed(self, url: str) -> bool:
        if self.deny_reason:
            return False
        if self.allow_all or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, self.agent))

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(self.agent)
        rate = self.parser.request_rate(self.agent)
        spacing = rate.seconds / rate.requests if rate is not None and rate.requests else None
        values = [float(v) for v in (delay, spacing) if v is not None]
        return max(values) if values else None


__all__ = ["Robots", "host_key", "robots_url", "MAX_ROBOTS_BYTES"]
