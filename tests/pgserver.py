"""A throwaway PostgreSQL server for the tests and benchmarks: ``initdb`` into a temporary
folder and ``pg_ctl start`` on a free loopback port, from the Debian binaries.

As root (CI), the server runs as the ``postgres`` user (or ``nobody``): PostgreSQL refuses
to run as root. ``missing()`` names what is not installed, for a one-line skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def missing() -> str | None:
    if binaries() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl: Debian package postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg (pip install psycopg[binary])"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``with Server() as pg: url = pg.database()`` — a fresh database per call."""

    def __init__(self) -> None:
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError(missing())
        self.user: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
        self.folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()

    def _run(self, *args: str) -> None:
        subprocess.run([str(a) for a in args], check=True, capture_output=True, user=self.user, cwd=self.folder)

    def start(self) -> Server:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "newsdesk", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.folder / "log"), "-w",
                  "-t", "60", "start")
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql://newsdesk@127.0.0.1:{self.port}/postgres"

    def database(self, name: str | None = None) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = name or "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://newsdesk@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
