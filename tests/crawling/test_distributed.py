"""Distributed mode on scrapy-redis: several `unionnews crawl --redis` processes share one
frontier and duplicate filter in a real redis-server (started here on 127.0.0.1), and one
`unionnews ingest --redis` process writes the archive. Both replicas are crawled completely,
no URL is fetched twice, a crawler killed mid-way loses nothing, and politeness per site
holds across the crawlers."""

from __future__ import annotations

import bisect
import json
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from replica import ReplicaServer, build_site
from support import rows
from replica.city import build_city_site

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed "
                                "(apt-get install -y redis-server)")
FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images", "attachments")
UNIONNEWS = [sys.executable, "-c", "from archive.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path):
    """A redis-server of this test's own, on a free port, stopped afterwards."""
    import redis

    port = free_port()
    server = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--daemonize", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory):
    """Both replicas, built once (each test serves them afresh)."""
    root = tmp_path_factory.mktemp("replicas")
    return build_site(root / "province", articles_per_column=(25, 20, 20)), build_city_site(root / "city")


def sites_config(path: Path, province, province_origin: str, city, city_origin: str) -> Path:
    columns = [(u, "scszjggh") for u in province.start_urls(province_origin)]
    columns += [(u, "cdzgh") for u in city.start_urls(city_origin)]
    path.write_text("".join(f'[[columns]]\nurl = "{u}"\nsite = "{s}"\n' for u, s in columns), encoding="utf-8")
    return path


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*UNIONNEWS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start_writer(redis_url: str, db: Path, crawlers: int = 1) -> subprocess.Popen:
    """Start `unionnews ingest` and wait until it has announced itself in Redis."""
    import redis

    writer = start("ingest", "--redis", redis_url, "--db", str(db), "--wait", "60", "--crawlers", str(crawlers))
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 20
    while not client.exists("unionnews:writer"):
        assert writer.poll() is None, writer.communicate()
        assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(0.05)
    return writer


def archived(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("select * from articles")}


def wrong_fields(rows: dict[str, dict], truth: dict) -> list[str]:
    wrong = []
    for article in truth["articles"].values():
        row = rows.get(article["url"])
        for name in FIELDS:
            value = row and row[name]
            if row and name in ("images", "attachments"):
                value = json.loads(value)
            if value != article["record"][name]:
                wrong.append(f"{article['url']} {name}")
    return wrong


def fetched_twice(server: ReplicaServer, truth: dict) -> list[str]:
    """Paths requested more than once, but robots.txt (each crawler reads it), 500 pages
    (retried on purpose) and the files of an article with aliases (at most once a crawler)."""
    retried = {url.removeprefix(server.origin) for url in truth["server_error"]}
    counts = Counter(r.path for r in server.requests if r.path != "/robots.txt")
    # The files of an article served under two URLs: each crawler that got one of them fetches
    # them once (the second capture is a revisit record, the writer keeps one copy; README).
    shared = {u.removeprefix(server.origin) for a in truth["articles"].values() if a["aliases"]
              for u in a["record"]["images"] + a["record"]["attachments"]}
    return [path for path, times in counts.items()
            if times > 1 and path not in retried and not (path in shared and times <= 3)]


def finish(process: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def crawl_distributed(redis_url: str, db: Path, args: list[str], crawlers: int = 2) -> str:
    """One whole distributed crawl: the writer and `crawlers` crawlers with `args`; the
    writer's summary line."""
    writer = start_writer(redis_url, db, crawlers)
    started = [start("crawl", "--redis", redis_url, *args, "--delay", "0") for _ in range(crawlers)]
    results = [finish(crawler) for crawler in started]
    code, out, err = finish(writer)
    assert code == 0 and [r[0] for r in results] == [0] * crawlers, (out, err, results)
    return out


def test_three_crawlers_and_one_writer_archive_both_sites_completely(replicas, redis_url: str,
                                                                     tmp_path: Path) -> None:
    province, city = replicas
    db = tmp_path / "unions.db"
    with ReplicaServer(province.root, delay=0.01) as p_server, ReplicaServer(city.root, delay=0.01) as c_server:
        config = sites_config(tmp_path / "sites.toml", province, p_server.origin, city, c_server.origin)
        writer = start_writer(redis_url, db, crawlers=3)
        crawlers = [start("crawl", "--redis", redis_url, "--config", str(config), "--delay", "0")
                    for _ in range(3)]
        results = [finish(crawler) for crawler in crawlers]
        code, out, err = finish(writer)
        p_truth, c_truth = province.truth(p_server.origin), city.truth(c_server.origin)
        assert fetched_twice(p_server, p_truth) == [] and fetched_twice(c_server, c_truth) == []
        assert not [r for s in (p_server, c_server) for r in s.requests
                    if r.host.startswith("localhost") or r.path.startswith(("/private/", "/member/"))]
        robots = Counter(r.host for s in (p_server, c_server) for r in s.requests if r.path == "/robots.txt")
    assert [r[0] for r in results] == [0, 0, 0], results
    assert code == 0, err
    assert out.startswith("crawl finished: ") and f"new {len(p_truth['articles']) + len(c_truth['articles'])}," in out
    rows = archived(db)
    assert wrong_fields(rows, p_truth) == [] and wrong_fields(rows, c_truth) == []
    assert Counter(row["site"] for row in rows.values()) == {
        "scszjggh": len(p_truth["articles"]), "cdzgh": len(c_truth["articles"])}
    shares = [int(line.split("fetched ")[1].split(",")[0]) for _, line, _ in results]
    assert sum(1 for share in shares if share > 0) >= 2, shares  # the work was split
    assert set(robots.values()) <= {1, 2, 3}  # at most once per crawler and host
    with sqlite3.connect(db) as conn:
        status, new, start_urls = conn.execute("select status, new, start_urls from crawl_runs").fetchone()
    assert status == "finished" and new == len(rows) and len(json.loads(start_urls)) == 6


def test_a_crawler_killed_mid_way_loses_nothing(replicas, redis_url: str, tmp_path: Path) -> None:
    """SIGKILL the crawler that holds leased requests: the others requeue and finish them, and
    the archive verifies (the victim kept nothing on its disk that the archive needs)."""
    import redis

    province, city = replicas
    db = tmp_path / "unions.db"
    client = redis.Redis.from_url(redis_url)
    with ReplicaServer(province.root, delay=0.05) as p_server, ReplicaServer(city.root, delay=0.05) as c_server:
        config = sites_config(tmp_path / "sites.toml", province, p_server.origin, city, c_server.origin)
        writer = start_writer(redis_url, db, crawlers=3)
        crawlers = {}
        for _ in range(3):
            crawler = start("crawl", "--redis", redis_url, "--config", str(config), "--delay", "0")
            crawlers[crawler.pid] = crawler
        victim, deadline = None, time.monotonic() + 60
        while victim is None:
            assert time.monotonic() < deadline, "no crawler ever held a lease"
            served = len(p_server.requests) + len(c_server.requests)
            for worker in client.hkeys("unionnews:states"):
                pid = int(worker.decode().split(":")[1])
                if served > 40 and client.hlen(f"unionnews:lease:{worker.decode()}") >= 3 and pid in crawlers:
                    victim = crawlers.pop(pid)
                    victim.send_signal(signal.SIGKILL)
                    break
            time.sleep(0.02)
        victim.wait(timeout=10)
        others = [finish(crawler) for crawler in crawlers.values()]
        code, out, err = finish(writer)
        p_truth, c_truth = province.truth(p_server.origin), city.truth(c_server.origin)
    assert victim.returncode == -signal.SIGKILL
    assert [r[0] for r in others] == [0, 0], others
    assert code == 0, err
    rows = archived(db)
    missing = [u for t in (p_truth, c_truth) for u in (a["url"] for a in t["articles"].values()) if u not in rows]
    assert missing == [], (out, err, others)
    assert (wrong_fields(rows, p_truth) + wrong_fields(rows, c_truth))[:3] == [], (out, err, others)
    assert len(rows) == len(p_truth["articles"]) + len(c_truth["articles"])
    states = {w.decode().split(":")[1]: s.decode() for w, s in client.hgetall("unionnews:states").items()}
    assert states == {**{str(pid): "done" for pid in crawlers}, str(victim.pid): "lost"}
    # What the victim shipped before it died was written; what it fetched again on another
    # crawler is a revisit: the archive verifies, every row pointing at a record.
    assert verify(db)[0] == 0, verify(db)
    assert [u for u, row in rows.items() if not row["warc_file"]] == []


def test_politeness_per_site_holds_across_crawlers(redis_url: str, tmp_path: Path) -> None:
    """With --delay 0.1, three crawlers together leave 0.1 s between requests to the site."""
    city = build_city_site(tmp_path / "city", articles_per_column=(8, 8, 8))
    db = tmp_path / "city.db"
    with ReplicaServer(city.root) as server:
        starts = [a for url in city.start_urls(server.origin) for a in ("--start-url", url)]
        truth = city.truth(server.origin)
        writer = start_writer(redis_url, db, crawlers=3)
        crawlers = [start("crawl", "--redis", redis_url, "--site", "cdzgh", *starts, "--delay", "0.1")
                    for _ in range(3)]
        results = [finish(crawler) for crawler in crawlers]
        assert finish(writer)[0] == 0
        times = sorted(r.at for r in server.requests if r.path != "/robots.txt")
    assert [r[0] for r in results] == [0, 0, 0], results
    assert len(times) > 25
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert times[-1] - times[0] >= 0.1 * (len(times) - 1) * 0.95  # one request per 0.1 s overall
    # Spaced, not bunched (alone, three crawlers would leave ~0.03 s). A loaded test machine can
    # hold a request back past its slot so that it lands next to the following one; so the
    # checks are the typical gap and the most requests in any second (10, and 2 held back).
    assert statistics.median(gaps) > 0.08, sorted(gaps)[:5]
    assert max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)) <= 12
    assert wrong_fields(archived(db), truth) == []


def test_a_second_distributed_crawl_is_incremental(replicas, redis_url: str, tmp_path: Path) -> None:
    """The writer publishes what the archive holds: the next crawl fetches no article again."""
    province, city = replicas
    db = tmp_path / "unions.db"
    with ReplicaServer(province.root) as p_server, ReplicaServer(city.root) as c_server:
        config = sites_config(tmp_path / "sites.toml", province, p_server.origin, city, c_server.origin)
        for run, crawlers in enumerate((1, 2)):
            for server in (p_server, c_server):
                server.clear_requests()
            out = crawl_distributed(redis_url, db, ["--config", str(config)], crawlers)
        articles = {url.removeprefix(server.origin) for server, site in ((p_server, province), (c_server, city))
                    for url in (a["url"] for a in site.truth(server.origin)["articles"].values())}
        fetched = {r.path for server in (p_server, c_server) for r in server.requests}
    assert "new 0, updated 0" in out
    assert fetched & articles == set()
    assert {"/xwzx/ghxw/", "/a/ghyw/"} <= fetched  # each column's first list page was looked at




def page_bytes(site, path: str) -> bytes | None:
    """The file the replica serves at `path`, None for a route that is not a file (a redirect)."""
    file = site.www / path.lstrip("/")
    return file.read_bytes() if file.is_file() else None


@pytest.fixture
def own_site(tmp_path: Path):
    """A provincial replica of this test's own (it edits the site), two list pages a column."""
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    with ReplicaServer(site.root) as server:
        yield site, server, [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]


def test_a_full_distributed_rerun_asks_conditionally_and_records_edits_and_withdrawals(
        own_site, redis_url: str, tmp_path: Path) -> None:
    """As a local --full run: unchanged articles answer 304 to the stored validators and are
    seen again, an edited one gets a revision, a removed one (no list links it any more, so
    some worker asks for it again once every walk is done) is marked withdrawn and kept."""
    site, server, starts = own_site
    db = tmp_path / "a.db"
    crawl_distributed(redis_url, db, starts)
    before = archived(db)
    edited = next(u for u in before if "/xwzx/tzgg/" in u)
    removed = next(u for u in before if "/xwzx/ghxw/" in u)
    archived_paths = {row["fetched_url"].removeprefix(server.origin) for row in before.values()}
    pages = {path: page_bytes(site, path) for path in archived_paths}
    site.edit_article(edited.removeprefix(server.origin), title="关于调整职工疗休养安排的通知（更正）")
    site.remove_article(removed.removeprefix(server.origin))
    server.clear_requests()
    out = crawl_distributed(redis_url, db, [*starts, "--full"])
    requests, truth = server.requests, site.truth(server.origin)
    after = archived(db)

    assert fetched_twice(server, truth) == []
    asked = {r.path: r for r in requests if r.path in archived_paths}
    assert len(asked) == len(before) and all(r.if_none_match for r in asked.values())  # conditionally
    # every page whose bytes did not change answered 304; a body came only for the edited
    # article and the neighbours whose 上一篇/下一篇 links changed
    same = {path for path, data in pages.items() if data is not None and page_bytes(site, path) == data}
    assert {path for path, r in asked.items() if r.status == 304} == same and len(same) > 0.8 * len(before)
    assert {path for path, r in asked.items() if r.status == 200} <= set(pages) - same
    # 304s reach the writer as sightings (an article also linked under an alias URL may be
    # seen under both, as in a local crawl)
    assert "new 0, updated 1, " in out and int(out.split("unchanged ")[1].split(",")[0]) >= len(before) - 2
    assert [r["title"] for r in rows(db, "select title from revisions")] == [before[edited]["title"]]
    assert after[edited]["title"] == "关于调整职工疗休养安排的通知（更正）"
    assert after[removed]["withdrawn_at"] and after[removed]["body"] == before[removed]["body"]
    assert rows(db, "select http_status from failures where url = ? and run_id = 2", (removed,)) == [
        {"http_status": 404}]
    assert {url for url, row in after.items() if row["run_id"] != 2} == {removed}  # the rest seen again
    assert rows(db, "select full from crawl_runs") == [{"full": 0}, {"full": 1}]


def test_a_transient_failure_is_fetched_by_the_next_distributed_run(own_site, redis_url: str,
                                                                     tmp_path: Path) -> None:
    """A page that answered 500 is asked again by the next incremental run, though its list
    page is past where that run's walk stops (the writer publishes the pages to retry)."""
    site, server, starts = own_site
    db = tmp_path / "a.db"
    routes_file = site.root / "routes.json"
    routes = json.loads(routes_file.read_text(encoding="utf-8"))
    first_list = (site.www / "xwzx/ghxw/index.html").read_text(encoding="utf-8")
    deep = next(p for p, a in sorted(site.truth(server.origin)["articles"].items())
                if p.startswith("/xwzx/ghxw/") and p.rsplit("/", 1)[1] not in first_list
                and not a["aliases"] and not a["redirect_from"])  # served under this URL only
    routes_file.write_text(json.dumps({**routes, deep: {"status": 500}}), encoding="utf-8")
    crawl_distributed(redis_url, db, starts)
    assert server.url(deep) not in archived(db)
    routes_file.write_text(json.dumps(routes), encoding="utf-8")  # the server recovered overnight
    server.clear_requests()
    out = crawl_distributed(redis_url, db, starts)
    assert "new 1, updated 0" in out and server.url(deep) in archived(db)
    assert sum(r.path == deep for r in server.requests) == 1
    assert "/xwzx/ghxw/index_1.html" not in {r.path for r in server.requests}  # not by walking there


def test_the_workers_read_the_archive_state_the_writer_published(redis_url: str) -> None:
    """Every field of the state a local crawl reads travels to the workers (a new field that
    did not would make distributed crawls quietly differ from local ones)."""
    import dataclasses

    import redis

    from crawler.spiders.state import ArchiveState

    state = ArchiveState(**{f.name: {f"http://a.test/{f.name}/{i}.html" for i in range(3)}
                            for f in dataclasses.fields(ArchiveState)})
    state.validators = {"http://a.test/1.html": {"etag": '"x"', "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT"}}
    client = redis.Redis.from_url(redis_url)
    ArchiveState(known={"http://a.test/old.html"}).publish(client)
    state.publish(client)  # replaces what an earlier crawl published
    assert ArchiveState.published(client, want_validators=True) == state
    assert ArchiveState.published(client).validators == {}  # only --full runs load them


def test_a_crawler_without_redis_or_writer_fails_with_one_line(redis_url: str, tmp_path: Path) -> None:
    url_args = ["--start-url", "http://127.0.0.1:9/a/", "--site", "cdzgh"]
    closed = f"redis://127.0.0.1:{free_port()}/0"
    for redis_arg, message in ((closed, f"Error: cannot reach Redis at {closed}: "),
                               (redis_url, f"Error: no archive writer on {redis_url}: start `unionnews "
                                           f"ingest --redis {redis_url}` first")):
        code, out, err = finish(start("crawl", "--redis", redis_arg, *url_args))
        assert code == 1 and len(err.strip().splitlines()) == 1 and err.startswith(message), err


def test_a_writer_that_no_crawler_joins_gives_up(redis_url: str, tmp_path: Path) -> None:
    code, out, err = finish(start("ingest", "--redis", redis_url, "--db", str(tmp_path / "a.db"), "--wait", "1"))
    assert code == 1
    assert err.strip() == ("Error: no crawler joined within 1 s "
                           "(start them with `unionnews crawl --redis URL ...`)")


def test_a_distributed_crawl_reports_profile_drift_like_a_local_one(own_site, redis_url: str,
                                                                     tmp_path: Path) -> None:
    """The profile's list selector finds nothing: the crawlers fall back to generic discovery,
    archive every article, and the writer records the drift and exits 3 naming it."""
    site, server, starts = own_site
    for index in (site.root / "www" / "xwzx").glob("*/index*.html"):  # the CMS renamed its list class
        index.write_bytes(index.read_bytes().replace(b'class="list"', b'class="news-items"'))
    db = tmp_path / "a.db"
    writer = start_writer(redis_url, db, 2)
    crawlers = [start("crawl", "--redis", redis_url, *starts, "--site", "scszjggh", "--delay", "0") for _ in range(2)]
    results = [finish(crawler) for crawler in crawlers]
    code, out, err = finish(writer)
    assert [r[0] for r in results] == [0, 0], results
    assert code == 3 and "profile scszjggh" in err and "list.article_links on 6 of 6 pages" in err, (out, err)
    assert wrong_fields(archived(db), site.truth(server.origin)) == []
    drift = json.loads(rows(db, "select drift from crawl_runs")[0]["drift"])
    assert drift == {"scszjggh": {"list.article_links": [6, 6]}}


def record_at(warc_dir: Path, name: str, offset: int, length: int):
    """(WARC type, target URI, payload) of the record a row points at."""
    from io import BytesIO

    from warcio.archiveiterator import ArchiveIterator

    with open(warc_dir / name, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(BytesIO(fh.read(length)))))
        return (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                record.content_stream().read())


def verify(db: Path) -> tuple[int, str]:
    code, out, err = finish(start("verify", "--db", str(db)))
    return code, out + err


def test_a_distributed_archive_holds_every_response_in_warc_and_every_file(replicas, redis_url: str,
                                                                            tmp_path: Path) -> None:
    """Two crawlers and the writer: the writer's warc/ holds every response the crawlers got,
    each article row points at its page's response record, each image and attachment row at a
    file in files/ whose sha256 matches; verify passes and the WACZ validates. The crawlers
    wrote nothing on their disks."""
    import hashlib
    import zipfile

    from archive.export import validate_wacz
    from support import responses

    province, _ = replicas
    db = tmp_path / "archive" / "a.db"
    db.parent.mkdir()
    crawl_dir = tmp_path / "crawlers"  # where the crawlers run
    crawl_dir.mkdir()
    with ReplicaServer(province.root) as server:
        starts = [a for url in province.start_urls(server.origin) for a in ("--start-url", url)]
        writer = start_writer(redis_url, db, 2)
        crawlers = [subprocess.Popen([*UNIONNEWS, "crawl", "--redis", redis_url, *starts, "--delay", "0"],
                                     cwd=crawl_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for _ in range(2)]
        results = [finish(crawler) for crawler in crawlers]
        code, out, err = finish(writer)
        truth = province.truth(server.origin)
        served = {r.path for r in server.requests if r.status is not None}
    assert code == 0 and [r[0] for r in results] == [0, 0], (out, err, results)
    assert list(crawl_dir.iterdir()) == []
    warc_dir, files_dir = db.parent / "warc", db.parent / "files"
    captured = {r["url"].removeprefix(server.origin) for r in responses(warc_dir)}
    revisited = {r["url"].removeprefix(server.origin) for r in warc_records(warc_dir, "revisit")}
    assert served - {"/robots.txt"} <= captured | revisited
    assert all(r["digest_ok"] for r in responses(warc_dir))

    articles = rows(db, "select url, fetched_url, warc_file, warc_offset, warc_length from articles")
    assert len(articles) == len(truth["articles"])
    for row in articles:
        kind, uri, payload = record_at(warc_dir, row["warc_file"], row["warc_offset"], row["warc_length"])
        page = rows(db, "select sha256 from pages where url = ? and part = 0", (row["fetched_url"],))[0]
        assert kind == "response" and hashlib.sha256(payload).hexdigest() == page["sha256"], row
    files = rows(db, "select * from files")
    wanted = {u for a in truth["articles"].values() for u in a["record"]["images"] + a["record"]["attachments"]}
    assert {f["url"] for f in files} >= {u for u in wanted if page_bytes(province, u.removeprefix(server.origin))}
    assert files and all(f["warc_file"] for f in files)
    for f in files:
        assert hashlib.sha256((files_dir / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        assert record_at(warc_dir, f["warc_file"], f["warc_offset"], f["warc_length"])[0] == "response"
    read = {r["sha256"]: r["status"] for r in rows(db, "select sha256, status from attachment_texts")}
    attachments = {f["sha256"] for f in files if f["kind"] in ("attachment", "listed")}
    assert attachments and set(read) == attachments, "the writer reads every attachment's text"
    assert "ok" in read.values()
    assert verify(db)[0] == 0, verify(db)
    for name, args in (("a.wacz", []), ("run1.wacz", ["--run", "1"])):
        code, output = finish(start("export", "--db", str(db), "--wacz", str(tmp_path / name), *args))[:2]
        assert code == 0 and f"({len(articles)} article pages listed)" in output, output
        assert validate_wacz(tmp_path / name)[0]
        with zipfile.ZipFile(tmp_path / name) as wacz:  # the tool kept every page: each ts matched
            assert len(wacz.read("pages/pages.jsonl").splitlines()) == 1 + len(articles)


def warc_records(warc_dir: Path, kind: str) -> list[dict]:
    from warcio.archiveiterator import ArchiveIterator

    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == kind:
                    found.append({"url": record.rec_headers.get_header("WARC-Target-URI")})
    return found


def test_a_writer_killed_mid_way_leaves_what_verify_explains_and_a_restart_completes(
        replicas, redis_url: str, tmp_path: Path) -> None:
    """SIGKILL the writer while it writes: verify names its WARC file as never closed (and
    nothing else); a writer started again joins the running crawl, closes that file after its
    last whole record, writes the batch it had taken again and finishes: verify passes."""
    import redis

    province, _ = replicas
    db = tmp_path / "a.db"
    client = redis.Redis.from_url(redis_url)
    with ReplicaServer(province.root, delay=0.05) as server:
        starts = [a for url in province.start_urls(server.origin) for a in ("--start-url", url)]
        writer = start_writer(redis_url, db, 2)
        # --delay 0.05 between requests to the site, across both crawlers: the crawl lasts ~10 s
        crawlers = [start("crawl", "--redis", redis_url, *starts, "--delay", "0.05") for _ in range(2)]
        deadline = time.monotonic() + 60
        while not list((tmp_path / "warc").glob("*.open")) or client.hlen("unionnews:captures") < 30:
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.02)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        code, said = verify(db)
        assert code == 1 and "never closed (crawl interrupted?)" in said, said
        assert said.count("never closed") == 1 and "problem(s)" in said.splitlines()[-1], said
        writer = start_writer(redis_url, db, 2)
        results = [finish(crawler) for crawler in crawlers]
        code, out, err = finish(writer)
        truth = province.truth(server.origin)
    assert code == 0 and [r[0] for r in results] == [0, 0], (out, err, results)
    assert wrong_fields(archived(db), truth) == []
    assert [u for u, row in archived(db).items() if not row["warc_file"]] == []
    assert not list((tmp_path / "warc").glob("*.open"))
    assert verify(db)[0] == 0, verify(db)


WORKER = """
import sys
from archive.distributed import crawl_worker
from archive.options import CrawlOptions
starts, url, waiting = sys.argv[1].split(), sys.argv[2], int(sys.argv[3])
print(crawl_worker(CrawlOptions({u: None for u in starts}, delay=0, redis_url=url,
                                settings={"UNIONNEWS_SHIP_MAX_WAITING": waiting})).line())
"""


def test_a_crawler_waits_while_the_writer_does_not_take_what_it_sent(replicas, redis_url: str,
                                                                     tmp_path: Path) -> None:
    """The writer stops (SIGSTOP): the crawler stops sending once the list holds
    UNIONNEWS_SHIP_MAX_WAITING messages (plus what was in flight), and sends no more, instead of
    filling Redis with the whole crawl; when the writer goes on, the crawl completes."""
    import redis

    province, _ = replicas
    db = tmp_path / "a.db"
    client = redis.Redis.from_url(redis_url)
    with ReplicaServer(province.root) as server:
        writer = start_writer(redis_url, db, 1)
        writer.send_signal(signal.SIGSTOP)
        try:
            starts = " ".join(province.start_urls(server.origin))
            crawler = subprocess.Popen([sys.executable, "-c", WORKER, starts, redis_url, "20"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            seen = []
            for _ in range(2):  # the most on the list in each of two 3-second spells
                most, deadline = 0, time.monotonic() + 3
                while time.monotonic() < deadline:
                    most = max(most, client.llen("unionnews:items"))
                    time.sleep(0.02)
                seen.append(most)
            # in flight when it stopped: up to 32 responses (CONCURRENT_REQUESTS) and their items
            assert crawler.poll() is None and 20 <= seen[0] == seen[1] <= 20 + 2 * 32, seen
        finally:
            writer.send_signal(signal.SIGCONT)
        out, err = crawler.communicate(timeout=120)
        code, summary, writer_err = finish(writer)
        truth = province.truth(server.origin)
    assert crawler.returncode == 0, err[-2000:]
    assert code == 0, (summary, writer_err)
    assert wrong_fields(archived(db), truth) == []
    assert verify(db)[0] == 0
