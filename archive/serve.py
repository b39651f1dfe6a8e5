"""Publish an archive with Datasette: read-only, configured by the data in archive/datasette/.

`make_datasette` builds the Datasette instance (used by `unionnews serve`, `unionnews demo`
and the tests); `serve` runs it with uvicorn until interrupted; `serve_in_thread` runs it in
the background and returns its URL.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn
import yaml
from datasette.app import Datasette
from datasette.database import Database

from archive import search
from archive.crawl import run_crawl
from archive.db import ArchiveError, open_archive
from replica import ReplicaServer, build_site

CONFIG_DIR = Path(__file__).parent / "datasette"
DATABASE = "archive"


class ServeError(Exception):
    """The archive cannot be published (the message names the file and why)."""


def load_metadata() -> dict:
    """archive/datasette/metadata.yaml as a dict."""
    return yaml.safe_load((CONFIG_DIR / "metadata.yaml").read_text(encoding="utf-8"))


def load_settings() -> dict:
    """archive/datasette/settings.json as a dict."""
    return json.loads((CONFIG_DIR / "settings.json").read_text(encoding="utf-8"))


def prepare(db_path: str | Path) -> Path:
    """Bring the archive's schema and search index up to date (the one write before serving)."""
    path = Path(db_path)
    if not path.is_file():
        raise ServeError(f"no archive at {path} (crawl first, or give --db)")
    try:
        db = open_archive(path)
        search.install(db)
        db.conn.close()
    except (ArchiveError, sqlite3.Error) as exc:
        raise ServeError(str(exc) if isinstance(exc, ArchiveError) else f"cannot open archive {path}: {exc}") from None
    return path


def make_datasette(db_path: str | Path) -> Datasette:
    """Datasette over the archive under the name `archive`, read-only (mode=ro, query_only)."""
    path = prepare(db_path)
    ds = Datasette(
        metadata=load_metadata(),
        settings=load_settings(),
        plugins_dir=str(CONFIG_DIR / "plugins"),
        template_dir=str(CONFIG_DIR / "templates"),
    )
    ds.add_database(Database(ds, path=str(path), is_mutable=True), name=DATABASE)
    return ds


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          ready: Callable[[], None] | None = None) -> None:
    """Run Datasette over the archive until interrupted. The archive is checked first (a
    missing file or one that is no SQLite database raises ServeError), then `ready` is called
    (the CLI's "Serving ..." line), then the server runs."""
    app = make_datasette(db_path).app()
    if ready is not None:
        ready()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serve_in_thread(db_path: str | Path, host: str = "127.0.0.1",
                    port: int = 0) -> tuple[uvicorn.Server, str]:
    """Start Datasette in a daemon thread; returns the server (set `should_exit` to stop it)
    and its URL once it accepts connections. Port 0 picks a free port."""
    port = port or free_port(host)
    config = uvicorn.Config(make_datasette(db_path).app(), host=host, port=port,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ServeError(f"Datasette did not start on {host}:{port}")
        time.sleep(0.05)
    return server, f"http://{host}:{port}/"


def run_demo(workdir: str | Path, host: str = "127.0.0.1", port: int = 8001,
             echo=print) -> None:
    """The whole journey on one machine: build and serve the replica site on 127.0.0.1, crawl
    it into `workdir/archive.db`, then publish the archive until interrupted.

    The replica keeps running beside Datasette so each article's original URL still opens.
    """

    workdir = Path(workdir)
    site = build_site(workdir / "site")
    db_path = workdir / "archive.db"
    with ReplicaServer(site.root) as replica:
        echo(f"Replica site: {replica.origin}/")
        urls = site.start_urls(replica.origin)
        summary = run_crawl(urls, db_path, delay=0, sites=dict.fromkeys(urls, "scszjggh"))
        echo(summary.line())
        port = port or free_port(host)
        url = f"http://{host}:{port}/"
        echo(f"Archive: {db_path}")
        echo(f"Datasette: {url}")
        echo(f"Search: {url}archive/search?q=%E5%B7%A5%E4%BC%9A  (Ctrl+C to stop)")
        serve(db_path, host=host, port=port)
