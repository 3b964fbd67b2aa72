"""The ASGI app: ``create_app(db_path)`` — pages, their JSON twins, errors as pages.

Each request opens the archive read-only (``Archive(path, readonly=True)``: SQLite's
``mode=ro``), in the worker thread that serves it, and closes it when the page is built —
SQLite connections are not shared across threads, and opening one costs well under a
millisecond. On PostgreSQL the request borrows a read-only connection from the process's
pool instead (opening one costs milliseconds) and hands it back. Nothing in the app writes: the routes are GET only and the connection could
not write if they tried.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..archive import Archive
from ..archive.db import is_server
from ..errors import ArchiveError, QueryError, UsageError
from . import render
from .routes import NotFound, router

HERE = Path(__file__).parent

# Pages may only load what this server serves: no inline scripts, no other origins. A
# scraped string that somehow became markup still could not run or fetch anything.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    env.globals.update(
        page_url=render.page_url,
        entity_url=render.entity_url,
        snippet_html=render.snippet_html,
        safe_href=render.safe_href,
        label_names=render.LABEL_NAMES,
        label_headings=render.LABEL_HEADINGS,
        version=__version__,
    )
    env.filters["tojson_pretty"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
    return env


def create_app(db_path: str | Path) -> FastAPI:
    """The web app over the archive at ``db_path`` (a SQLite file or a PostgreSQL URL),
    opened read-only per request.

    Raises ArchiveError now if the archive cannot be opened (missing, not an archive, or
    needing a migration), so ``newsdesk serve`` fails at once with the reason.
    """
    path: str | Path = db_path if is_server(db_path) else Path(db_path)
    Archive(path, readonly=True, pooled=True).close()
    app = FastAPI(
        title="newsdesk",
        version=__version__,
        description="Read-only browsing of a newsdesk archive: every HTML page has a JSON twin under /api/.",
        # The interactive docs load their assets from a CDN; the app must work offline, so
        # only the OpenAPI description itself is served.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = path
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 400, _validation_message(exc))

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        return error_response(request, 400, _web_message(str(exc)))

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(ArchiveError)
    async def archive_error(request: Request, exc: ArchiveError) -> Response:
        return error_response(request, 503, f"archive unavailable: {exc}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, message, headers=exc.headers)

    return app


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def error_response(request: Request, status: int, message: str, *, headers: Mapping[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(status=status, message=message, title=f"{status} error")
    return HTMLResponse(html, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path")]
        name = loc[-1] if loc else "parameter"
        got = err.get("input")
        shown = f" (got {got!r})" if isinstance(got, (str, int)) else ""
        parts.append(f"bad parameter {name}: {err.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "bad parameters"


def _web_message(message: str) -> str:
    # The library words its errors for the CLI ("--since: …"); here they are parameters.
    return message[2:] if message.startswith("--") else message


__all__ = ["create_app"]
