"""Publishing: `unionnews serve` takes no writes (SQL or upload), stops runaway SQL at its time
limit and keeps answering, and listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.serve import free_port, load_settings, make_datasette

WRITES = [
    "delete from articles",
    "update articles set title = 'x'",
    "insert into articles (url, title, body) values ('u', 't', 'b')",
    "drop table articles",
    "with doomed as (select id from articles) delete from articles where id in doomed",
    "attach database '/tmp/unionnews-attached.db' as other",
    "pragma query_only = 0",
    "vacuum",
    "select load_extension('/lib/x86_64-linux-gnu/libc.so.6')",
    "create table evil (x)",
    "select 1; delete from articles",
]
#: Counts to ten billion: runs for minutes unless something stops it.
RUNAWAY = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 10000000000) select count(*) from n"


@pytest.fixture(scope="module")
def ds(hostile_archive):
    return make_datasette(hostile_archive.db)


def snapshot(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, url, title, body from articles order by id").fetchall()


def test_no_sql_can_write_through_the_published_archive(ds, hostile_archive) -> None:
    before = snapshot(hostile_archive.db)
    answers = {sql: asyncio.run(ds.client.get("/archive.json?sql=" + quote(sql))).status_code for sql in WRITES}
    assert all(status >= 400 for status in answers.values()), answers
    assert snapshot(hostile_archive.db) == before
    assert not Path("/tmp/unionnews-attached.db").exists()


def test_nothing_can_be_posted_or_uploaded(ds, hostile_archive) -> None:
    before = snapshot(hostile_archive.db)
    posts = ["/archive", "/archive/articles", "/archive/articles/-/insert", "/archive/-/create",
             "/-/upload-csvs", "/archive/search", "/archive/articles/1/-/update", "/archive/articles/1/-/delete"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        answers = {path: asyncio.run(ds.client.request(method, path, json={"row": {"title": "x"}})).status_code
                   for path in posts}
        assert set(answers.values()) == {405}, (method, answers)
    plugins = {p["name"] for p in asyncio.run(ds.client.get("/-/plugins.json")).json()}
    assert not {name for name in plugins if any(w in name for w in ("upload", "write", "insert", "edit"))}
    assert snapshot(hostile_archive.db) == before


def test_runaway_sql_is_stopped_at_the_time_limit_and_the_server_keeps_answering(ds) -> None:
    limit = load_settings()["sql_time_limit_ms"] / 1000
    response = asyncio.run(ds.client.get("/archive.json?sql=" + quote(RUNAWAY)))
    assert limit > 0 and response.status_code == 400 and "too long" in response.text  # the limit stopped it
    assert asyncio.run(ds.client.get("/archive/articles.json")).status_code == 200


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the kernel's socket table")
def test_serve_listens_on_127_0_0_1_by_default(hostile_archive) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", "from archive.cli import main; main()", "serve",
                               "--db", str(hostile_archive.db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()[-500:]
            time.sleep(0.1)
        assert _listening(port) == ["0100007F"]  # 127.0.0.1, not 0.0.0.0 or ::
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        server.terminate()
        server.wait(timeout=30)
