"""`unionnews crawl` as cron runs it: a real process, its exit codes, the lock, SIGKILL and SIGTERM."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.crawl import run_crawl
from replica import ReplicaServer, build_site

CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
REPO = Path(__file__).resolve().parents[2]


def unionnews(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


def start_args(site, server) -> list[str]:
    return [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]


@pytest.fixture
def small_site(tmp_path: Path):
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    with ReplicaServer(site.root) as server:
        yield site, server


def test_crawl_prints_one_summary_line_and_exits_0(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    result = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("crawl finished: fetched ")
    assert "new 80, updated 0, unchanged 0, failed 2" in lines[0]
    assert result.stderr == ""  # quiet under cron: no log noise, no progress bar without a terminal


def test_warc_dir_puts_the_warc_files_where_asked_and_verify_finds_them(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db, warcs = tmp_path / "a.db", tmp_path / "elsewhere" / "warcs"
    result = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0",
                       "--warc-dir", str(warcs))
    assert result.returncode == 0, result.stderr
    assert list(warcs.glob("*.warc.gz")) and not (tmp_path / "warc").exists()
    assert count(db, "select count(*) from articles where warc_file is null") == 0
    verified = unionnews("verify", "--db", str(db), "--warc-dir", str(warcs))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_scrapy_crawl_columns_works_from_the_repo_root(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "columns", "-a",
         "start_url=" + ",".join(site.start_urls(server.origin)), "-s", f"UNIONNEWS_DB={db}",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
         "-s", "UNIONNEWS_WRITER_PROCESS=0"],  # the in-process writer, which the CLI does not use
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert count(db, "select count(*) from articles") == 80


@pytest.mark.parametrize("args, message", [
    (["--start-url", "ftp://example.org/x/"], "is not an http(s) URL"),
    ([], "no start URL"),
    (["--start-url", "http://127.0.0.1:9/x/", "--delay", "-1"], "Invalid value for '--delay'"),
])
def test_bad_arguments_fail_with_one_clear_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = unionnews("crawl", *args, "--db", str(tmp_path / "a.db"))
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_start_url_exits_1_with_one_line(tmp_path: Path) -> None:
    with ReplicaServer(build_site(tmp_path / "site", articles_per_column=6).root) as server:
        dead = server.url("/")  # take its free port, then close it: nothing listens there
    result = unionnews("crawl", "--start-url", dead + "xwzx/ghxw/", "--db", str(tmp_path / "a.db"),
                       "--delay", "0")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith("Error: could not fetch start URL ")


def test_unwritable_database_exits_1_with_one_line(small_site, tmp_path: Path) -> None:
    site, server = small_site
    result = unionnews("crawl", *start_args(site, server), "--db", str(tmp_path / "no" / "a.db"))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: cannot open archive") and "Traceback" not in result.stderr
    readonly = tmp_path / "ro.db"
    readonly.write_bytes(b"this is not a database, and it is read-only")
    readonly.chmod(0o444)
    result = unionnews("crawl", *start_args(site, server), "--db", str(readonly))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_config_file_names_the_columns(small_site, tmp_path: Path) -> None:
    site, server = small_site
    config = tmp_path / "columns.toml"
    urls = site.start_urls(server.origin)
    config.write_text(f'start_urls = ["{urls[0]}"]\ndelay = 0\n\n[[columns]]\nname = "通知公告"\n'
                      f'url = "{urls[1]}"\n', encoding="utf-8")
    result = unionnews("crawl", "--config", str(config), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0, result.stderr
    list_pages = {r.path for r in server.requests if r.path.endswith("/") or "/index" in r.path}
    assert list_pages == {"/xwzx/ghxw/", "/xwzx/ghxw/index_1.html",  # the two columns named
                          "/xwzx/tzgg/", "/xwzx/tzgg/index_1.html"}
    config.write_text("start_urls = 'not a list'", encoding="utf-8")
    result = unionnews("crawl", "--config", str(config), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 1 and "start_urls must be a list" in result.stderr


def test_a_second_crawl_on_the_same_database_refuses_and_the_first_is_unharmed(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.01) as server:
        first = start("crawl", *start_args(site, server), "--db", str(db), "--delay", "0.02")
        wait_for(lambda: count(db, "select count(*) from crawl_runs where status = 'running'") == 1)
        second = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0")
        assert first.poll() is None  # refused at once, while the first still runs (not after it)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"Error: another crawl (pid {first.pid}) is running on {db}; not starting a second one"]
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "new 80," in out
    assert count(db, "select count(*) from crawl_runs") == 1


def test_scrapy_crawl_beside_a_running_crawl_says_so_in_one_line_and_touches_nothing(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.01) as server:
        first = start("crawl", *start_args(site, server), "--db", str(db), "--delay", "0.05")
        wait_for(lambda: any((tmp_path / "warc").glob("*.open")))  # it is writing its first WARC
        other_host = server.offsite + site.columns[0].path  # a host the first crawl never asks
        second = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "columns", "-a", f"start_url={other_host}",
             "-s", f"UNIONNEWS_DB={db}"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        told = [line for line in second.stderr.splitlines() if "ERROR" in line or "Error" in line]
        assert len(told) == 1 and told[0].endswith(
            f"[crawler.spiders.lock] ERROR: another crawl (pid {first.pid}) is running on {db}; not starting a second one")
        assert "Traceback" not in second.stderr and "Spider opened" not in second.stderr
        assert not [r for r in server.requests if r.host.startswith("localhost")]  # fetched nothing
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0 and "new 80," in out, err
    verify = unionnews("verify", "--db", str(db))  # its open WARC was not closed under it
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_crawler_built_but_never_run_does_not_keep_the_archive_locked(tmp_path: Path) -> None:
    import gc

    from scrapy.utils.test import get_crawler

    from archive.crawl import CrawlLocked, acquire_lock
    from crawler.spiders.columns import ColumnsSpider

    db = tmp_path / "a.db"
    crawler = get_crawler(ColumnsSpider, {"UNIONNEWS_DB": str(db)})
    ColumnsSpider.from_crawler(crawler, start_url="http://127.0.0.1:9/xwzx/ghxw/")
    with pytest.raises(CrawlLocked):  # the crawl it would run holds the archive
        acquire_lock(db)
    del crawler
    gc.collect()
    acquire_lock(db).release()


def test_a_crawl_killed_mid_way_leaves_a_valid_archive_that_the_next_run_completes(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.005) as server:
        truth = site.truth(server.origin)
        crawl = start("crawl", *start_args(site, server), "--db", str(db), "--delay", "0.01")
        wait_for(lambda: count(db, "select count(*) from articles") >= 20)
        helpers = children(crawl.pid)  # the writer process (and multiprocessing's tracker)
        assert helpers
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in helpers), timeout=10)
        stored = count(db, "select count(*) from articles")
        assert 20 <= stored < len(truth["articles"])
        assert integrity(db) == "ok"

        summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert summary.new == len(truth["articles"]) - stored and summary.exit_code == 0
    with sqlite3.connect(db) as conn:
        urls = {u for (u,) in conn.execute("select url from articles")}
        statuses = [s for (s,) in conn.execute("select status from crawl_runs order by id")]
    assert urls == {a["url"] for a in truth["articles"].values()}
    assert statuses == ["interrupted", "finished"]


def test_sigterm_stops_gracefully_and_records_an_interrupted_run(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "a.db"
    with ReplicaServer(site.root, delay=0.005) as server:
        crawl = start("crawl", *start_args(site, server), "--db", str(db), "--delay", "0.01")
        wait_for(lambda: count(db, "select count(*) from articles") > 0)  # a batch is written
        crawl.send_signal(signal.SIGTERM)
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 1
    assert out.startswith("crawl interrupted: fetched ")
    assert err.strip().splitlines() == ["Error: crawl interrupted; the next run completes what is missing"]
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as conn:
        status, ended, new = conn.execute("select status, ended_at, new from crawl_runs").fetchone()
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    assert status == "interrupted" and ended and new == stored > 0  # the last batch was written


def test_a_profiled_site_whose_list_markup_changed_is_archived_and_exits_3(small_site, tmp_path: Path) -> None:
    """The profile's list selector finds nothing any more: generic discovery takes over, the new
    article is archived all the same, and the run exits 3 naming the profile and the selector."""
    site, server = small_site
    db = tmp_path / "a.db"
    args = [*start_args(site, server), "--site", "scszjggh", "--db", str(db), "--delay", "0"]
    assert unionnews("crawl", *args).returncode == 0
    path = site.add_article("/xwzx/ghxw/", "省直机关工会举办职工健步走活动",
                            ["为丰富职工业余生活，省直机关工会举办职工健步走活动。", "各单位职工踊跃参加。"],
                            "2024-03-01T09:30:00")
    for index in (site.root / "www" / "xwzx").glob("*/index*.html"):  # the CMS renamed its list class
        index.write_bytes(index.read_bytes().replace(b'class="list"', b'class="news-items"'))
    result = unionnews("crawl", *args)
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 1
    assert "profile scszjggh" in result.stderr and "list.article_links on 3 of 3 pages" in result.stderr
    assert count(db, f"select count(*) from articles where url = '{server.url(path)}'") == 1
    with sqlite3.connect(db) as conn:
        drift = json.loads(conn.execute("select drift from crawl_runs order by id desc limit 1").fetchone()[0])
    assert drift == {"scszjggh": {"list.article_links": [3, 3]}}


def test_new_articles_missing_their_info_line_exit_3(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    assert unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0").returncode == 0
    paths = [site.add_article("/xwzx/ghxw/", f"省直机关工会第{day}次会议召开", [
        f"第{day}次会议在成都召开，会议传达学习了有关文件精神。", "会议要求各单位认真抓好落实。"],
        f"2024-03-0{day}T10:00:00") for day in range(1, 7)]
    for path in paths:
        page = site.root / "www" / path.lstrip("/")  # the redesigned template has no info line
        html = page.read_text(encoding="utf-8")
        start_at = html.index('<div class="info">')
        page.write_text(html[:start_at] + html[html.index("</div>", start_at) + 6:], encoding="utf-8")
    result = unionnews("crawl", *start_args(site, server), "--db", str(db), "--delay", "0")
    assert result.returncode == 3, result.stderr
    assert "new 6," in result.stdout
    warned = {line.split(" new articles have a ")[1].split(" ")[0] for line in result.stderr.splitlines()}
    assert warned == {"time", "source"}  # the date still comes from the URL, the body is there


def test_progress_counters_and_log_file_on_request(small_site, tmp_path: Path) -> None:
    site, server = small_site
    log = tmp_path / "crawl.log"
    result = unionnews("crawl", *start_args(site, server), "--db", str(tmp_path / "a.db"), "--delay", "0",
                       "--progress", "--log-file", str(log))
    assert result.returncode == 0, result.stderr
    final = result.stderr.split("\r")[-1]  # the counters are redrawn in place
    assert "fetched " in final and " new 80 " in final and " failed 2" in final
    text = log.read_text(encoding="utf-8")
    assert "Spider opened" in text and "Spider closed (finished)" in text
