"""``newsdesk serve``: the local web app over an archive (read-only)."""

from __future__ import annotations

import click

from ..archive.db import pending
from .common import db_option, warn

DEFAULT_PORT = 8765


@click.command("serve", short_help="Browse the archive in a web browser.")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
def command(db: str, host: str, port: int) -> None:
    """Serve the archive as a local web app: search with a chart of matches over time, a
    reader view with people, organisations, places and quotes highlighted, a page per
    entity, quotes, and sources. Every page has a JSON twin under /api/ (described at
    /openapi.json). The archive is opened read-only (an archive from an older newsdesk is
    first brought up to the current schema, once). Stop with Ctrl-C.
    """
    import uvicorn

    from ..archive import Archive
    from ..web import create_app

    if todo := pending(db):
        # An archive from an older newsdesk lacks the tables the pages read; this one
        # read-write open adds them (the app itself never writes).
        warn(f"updating {db} to the current schema ({', '.join(todo)}); this runs once")
        Archive(db).close()
    app = create_app(db)  # an archive that cannot be opened fails here, before binding
    shown = f"[{host}]" if ":" in host else host
    warn(f"serving {db} at http://{shown}:{port}/ (Ctrl-C to stop)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"listening on {host}: anyone who can reach this machine can read the archive")
    uvicorn.run(app, host=host, port=port, log_level="warning")
