"""Faults: crawls SIGKILLed at random points, a read-only disk or database, a full disk, a second
crawl on the same archive, and Datasette serving while a crawl writes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.crawl import run_crawl
from archive.serve import serve_in_thread
from replica import ReplicaServer, build_site

CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
FIELDS = ("title", "body", "published_at", "source", "author", "column")
#: Crawls killed by SIGKILL in the kill-loop test, each at a random moment.
KILLS = 6


def unionnews(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def start_args(site, server) -> list[str]:
    return [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]


def articles(db: Path) -> dict[str, dict]:
    """{url: {field: value}} of the archive's articles, read with a connection of its own."""
    with sqlite3.connect(db, timeout=30) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: {f: row[f] for f in (*FIELDS, "content_hash")}
                for row in conn.execute("select * from articles")}


def integrity(db: Path) -> str:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


def truth_records(site, server) -> dict[str, dict]:
    return {a["url"]: {f: a["record"][f] for f in FIELDS} for a in site.truth(server.origin)["articles"].values()}


def assert_whole(stored: dict[str, dict], truth: dict[str, dict]) -> None:
    """Every stored article is one the site has, with every field exactly as the site shows it."""
    assert set(stored) <= set(truth)
    half = {url: row for url, row in stored.items() if {f: row[f] for f in FIELDS} != truth[url]}
    assert half == {}


@pytest.fixture
def small_site(tmp_path: Path):
    site = build_site(tmp_path / "site", articles_per_column=(12, 10, 10))
    with ReplicaServer(site.root) as server:
        yield site, server


@pytest.fixture
def seeded(small_site, tmp_path: Path):
    """An archive holding the first 8 articles of the small site, and its contents then."""
    site, server = small_site
    db = tmp_path / "arch" / "a.db"
    db.parent.mkdir()
    result = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0", "--max-articles", "8")
    assert result.returncode == 0, result.stderr
    return site, server, db, articles(db)


def test_crawls_killed_at_random_points_leave_no_half_article_and_the_next_run_completes(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")  # 310 articles: a crawl writes several batches
    db = tmp_path / "a.db"
    rng = random.Random(6)
    progress = []
    with ReplicaServer(site.root, delay=0.004) as server:
        truth = truth_records(site, server)
        for kill in range(KILLS):
            before = len(articles(db)) if db.exists() else 0
            crawl = subprocess.Popen([*CLI, "crawl", *start_args(site, server), "--db", str(db), "--delay", "0.01"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            if kill % 2 == 0:  # at any moment from start-up on
                time.sleep(rng.uniform(0.2, 3.0))
            else:  # once a batch is committed: before or while the next one is written
                deadline = time.monotonic() + 60
                while crawl.poll() is None and len(articles(db) if db.exists() else ()) <= before:
                    assert time.monotonic() < deadline, "the crawl stored nothing in a minute"
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.0, 1.5))
            crawl.send_signal(signal.SIGKILL)
            assert crawl.wait(timeout=30) in (-signal.SIGKILL, 0)  # 0: it had finished
            if db.exists():
                assert integrity(db) == "ok"
                stored = articles(db)
                assert_whole(stored, truth)
                progress.append(len(stored))
        assert progress == sorted(progress)  # a kill never takes back what an earlier run stored
        assert any(0 < n < len(truth) for n in progress), progress  # kills landed mid-crawl
        summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert summary.exit_code == 0
    final = articles(db)
    assert set(final) == set(truth)
    assert_whole(final, truth)
    assert integrity(db) == "ok"
    verify = unionnews("verify", "--db", str(db))
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _unshare_works() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_works(), reason="needs root and unshare -m (private mounts)")


def in_private_mount(setup: str, command: list[str], after: str = "") -> subprocess.CompletedProcess:
    """Run `command` in a mount namespace of its own after the shell `setup` (mounts vanish
    with the namespace, whatever happens); `after` runs there too, before it ends."""
    quoted = " ".join("'" + part.replace("'", "'\\''") + "'" for part in command)
    script = f"set -e; {setup}; set +e; {quoted}; code=$?; {after or 'true'}; exit $code"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          timeout=180, stdin=subprocess.DEVNULL)


@needs_mounts
def test_a_read_only_disk_is_one_clear_error_and_loses_nothing(seeded) -> None:
    site, server, db, before = seeded
    folder = db.parent
    result = in_private_mount(f"mount --bind {folder} {folder}; mount -o remount,bind,ro {folder}",
                              [*CLI, "crawl", *start_args(site, server), "--db", str(db), "--delay", "0"])
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot create lock file {db}.lock: Read-only file system"]
    assert articles(db) == before and integrity(db) == "ok"


def test_a_read_only_database_file_is_one_clear_error_and_loses_nothing(seeded) -> None:
    site, server, db, before = seeded
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        result = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0")
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write archive {db}: attempt to write a readonly database"]
    assert articles(db) == before and integrity(db) == "ok"


@needs_mounts
def test_a_full_disk_is_one_clear_error_and_loses_nothing(seeded, tmp_path: Path) -> None:
    site, server, db, before = seeded
    full, after = tmp_path / "full", tmp_path / "after"
    full.mkdir()
    used = sum(p.stat().st_size for p in db.parent.rglob("*") if p.is_file())
    size_kb = used // 1024 + 96  # room for a few pages and WARC records, not for the whole site
    result = in_private_mount(
        f"mount -t tmpfs -o size={size_kb}k tmpfs {full}; cp -a {db.parent}/. {full}/",
        [*CLI, "crawl", *start_args(site, server), "--db", str(full / db.name), "--delay", "0"],
        after=f"cp -a {full}/. {after}/")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: could not write to {full / db.name}: "), lines[:5]
    assert "full" in lines[0] or "No space left" in lines[0]
    kept = articles(after / db.name)
    assert integrity(after / db.name) == "ok"
    assert {url: kept.get(url) for url in before} == before  # nothing that was archived is lost
    assert_whole(kept, truth_records(site, server))
    status = last_run(after / db.name)[:2]
    if status[0] == "running":  # the disk was too full for even that one row: the next run says so
        rerun = subprocess.run([*CLI, "crawl", *start_args(site, server), "--db", str(after / db.name),
                                "--delay", "0"], capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        with sqlite3.connect(after / db.name) as conn:
            status = conn.execute("select status, null from crawl_runs order by id desc limit 1 offset 1").fetchone()
        assert status == ("interrupted", None)
    else:
        assert status == ("failed", lines[0].removeprefix("Error: "))  # never left 'running'


def last_run(db: Path) -> tuple[str, str | None, int | None]:
    """Status, first warning line and fetched count of the archive's latest crawl run."""
    with sqlite3.connect(db, timeout=30) as conn:
        status, warnings, fetched = conn.execute(
            "select status, warnings, fetched from crawl_runs order by id desc limit 1").fetchone()
    return status, warnings.splitlines()[0] if warnings else None, fetched


def _stored(db: Path) -> int:
    try:
        return len(articles(db)) if db.exists() else 0
    except sqlite3.OperationalError:  # the crawl has not created the tables yet
        return 0


def _writer_process(crawl: int, db: Path) -> int:
    """The archive writer process a crawl spawned: the child that has the database open (not
    the WARC writer, nor multiprocessing's resource tracker)."""
    out = subprocess.run(["ps", "-ww", "-o", "pid=,args=", "--ppid", str(crawl)], capture_output=True, text=True).stdout
    children = [int(line.split()[0]) for line in out.splitlines() if "spawn_main" in line]
    return next(pid for pid in children if str(db) in _open_files(pid))


def _open_files(pid: int) -> set[str]:
    folder = Path(f"/proc/{pid}/fd")
    try:
        return {os.readlink(fd) for fd in folder.iterdir()}
    except OSError:  # gone meanwhile
        return set()


def test_a_writer_killed_mid_crawl_fails_the_run_with_its_reason(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.005) as server:
        crawl = subprocess.Popen([*CLI, "crawl", *start_args(site, server), "--db", str(db), "--delay", "0.01"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while crawl.poll() is None and _stored(db) < 20:
            assert time.monotonic() < deadline, "the crawl stored nothing in a minute"
            time.sleep(0.05)
        os.kill(_writer_process(crawl.pid, db.resolve()), signal.SIGKILL)  # as the kernel's OOM killer would
        out, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 1
    reason = f"could not write to {db}: the writer process died (exit -9)"
    assert err.strip().splitlines() == [f"Error: {reason}"]
    status, warning, fetched = last_run(db)
    assert (status, warning) == ("failed", reason) and fetched
    assert out.startswith(f"crawl failed: fetched {fetched}, ")
    assert integrity(db) == "ok"
    assert_whole(articles(db), truth_records(site, server))


def test_a_second_crawl_through_another_path_to_the_same_archive_refuses(seeded, tmp_path: Path) -> None:
    site, server, db, _ = seeded
    alias = tmp_path / "alias.db"
    alias.symlink_to(db)
    first = subprocess.Popen([*CLI, "crawl", *start_args(site, server), "--db", str(db), "--delay", "0.3", "--full"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _running(db):
            assert time.monotonic() < deadline and first.poll() is None, "the first crawl never started"
            time.sleep(0.05)
        for path in (alias, db.parent / ".." / db.parent.name / db.name):
            second = unionnews("crawl", *start_args(site, server), "--db", str(path), "--delay", "0")
            assert second.returncode == 1
            assert second.stderr.strip().splitlines() == [
                f"Error: another crawl (pid {first.pid}) is running on {db}; not starting a second one"]
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from crawl_runs").fetchone()[0] == 2  # the seed and the first


def _running(db: Path) -> bool:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("select count(*) from crawl_runs where status = 'running'").fetchone()[0] == 1
    except sqlite3.OperationalError:
        return False


def test_datasette_keeps_answering_while_a_crawl_writes(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.004) as server:
        seed = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0", "--max-articles", "8")
        assert seed.returncode == 0, seed.stderr
        _serve_and_poll_while_crawling(site, server, db)


def _serve_and_poll_while_crawling(site, server, db: Path) -> None:
    before = articles(db)
    truth = truth_records(site, server)
    http, url = serve_in_thread(db)
    answers: list[tuple[int, int]] = []
    errors: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        count_sql = url + "archive.json?_shape=array&sql=" + quote("select count(*) as n from articles")
        search = url + "archive/search?q=" + quote("工会")
        while not stop.is_set() and len(answers) < 2000:
            try:
                with urllib.request.urlopen(count_sql, timeout=10) as r:
                    n = json.loads(r.read())[0]["n"]
                with urllib.request.urlopen(search, timeout=10) as r:
                    answers.append((n, r.status))
            except Exception as exc:  # noqa: BLE001 (every failure is the finding)
                errors.append(f"{type(exc).__name__}: {exc}")

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        crawl = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0.01")
    finally:
        time.sleep(0.3)
        stop.set()
        poller.join(timeout=30)
        http.should_exit = True
    assert crawl.returncode == 0, crawl.stderr
    assert errors == []
    counts = [n for n, _ in answers]
    assert {status for _, status in answers} == {200}
    assert counts == sorted(counts) and counts[-1] == len(truth)
    assert any(len(before) < n < len(truth) for n in counts)  # it answered in the middle of the writes
