"""End-to-end: crawl the replica served on 127.0.0.1 into a real SQLite archive."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.crawl import run_crawl
from archive.records import content_hash
from replica import ReplicaServer, build_site
from support import rows

RECORD_FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column")




def articles(db_path: Path) -> dict[str, dict]:
    return {r["url"]: r for r in rows(db_path, "select * from articles")}


@pytest.fixture
def small_site(tmp_path: Path):
    """A replica with two list pages per column, served on a free port."""
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    with ReplicaServer(site.root) as server:
        yield site, server


@pytest.mark.parametrize("parse_process", [True, False], ids=["parser-process", "parse-in-place"])
def test_full_crawl_stores_every_article_once_with_the_replicas_truth(tmp_path: Path, parse_process: bool) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        summary = run_crawl(site.start_urls(server.origin), db, delay=0,
                            settings={"UNIONNEWS_PARSE_PROCESS": parse_process})
        requests = server.requests

    stored = articles(db)
    expected = {a["url"]: a["record"] for a in truth["articles"].values()}
    assert sorted(stored) == sorted(expected)  # one row per canonical URL, no alias, no extra
    for url, record in expected.items():
        row = stored[url]
        assert {f: row[f] for f in RECORD_FIELDS} == {f: record[f] for f in RECORD_FIELDS}, url
        assert json.loads(row["images"]) == record["images"]
        assert json.loads(row["attachments"]) == record["attachments"]
        assert row["first_seen_at"] == row["last_seen_at"] and row["first_seen_at"].endswith("Z")
    assert (summary.new, summary.updated, summary.exit_code) == (len(expected), 0, 0)

    failures = {r["url"]: r for r in rows(db, "select * from failures")}
    for url in truth["not_found"]:
        assert failures[url]["http_status"] == 404 and failures[url]["stage"] == "fetch"
    for url in truth["server_error"]:
        assert failures[url]["http_status"] == 500 and failures[url]["raw"]

    assert all(r.host == server.origin.split("//")[1] for r in requests), "an off-host link was followed"
    fetched = {r.path for r in requests}
    for url in truth["robots_disallowed"]:
        assert url.removeprefix(server.origin) not in fetched
    pages = rows(db, "select count(distinct article_id) as n from pages")[0]["n"]
    assert pages == len(expected)  # raw bytes kept for every archived article


def test_crawl_run_is_recorded_with_its_figures(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    run = rows(db, "select * from crawl_runs")[-1]
    assert run["status"] == "finished" and run["ended_at"] >= run["started_at"]
    assert (run["new"], run["failed"], run["fetched"]) == (summary.new, summary.failed, summary.fetched)
    assert run["requests"] == len(server.requests) >= run["fetched"]  # retries of the 500 count
    coverage = json.loads(run["coverage"])
    assert set(coverage) == {"date", "time", "source", "body"} and coverage["body"] == 1.0


def test_second_run_with_nothing_new_costs_a_request_per_column(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    server.clear_requests()
    summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    paths = sorted(r.path for r in server.requests)
    # robots.txt, the first list page of each column, and the one page that answered 500
    # last time (transient errors are retried, 3 attempts); the 404 is not asked again.
    server_error = [u.removeprefix(server.origin) for u in site.truth(server.origin)["server_error"]]
    assert paths == sorted(["/robots.txt", "/xwzx/ghxw/", "/xwzx/jcdt/", "/xwzx/tzgg/"] + server_error * 3)
    assert (summary.new, summary.updated, summary.exit_code) == (0, 0, 0)


def test_incremental_run_picks_up_a_new_article(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    path = site.add_article("/xwzx/ghxw/", "省直机关工会举办新春职工运动会",
                            ["为丰富职工文化生活，省直机关工会举办新春职工运动会。",
                             "来自各单位的职工踊跃参加。"], "2024-02-01T09:30:00")
    summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert summary.new == 1
    row = articles(db)[server.url(path)]
    assert row["title"] == "省直机关工会举办新春职工运动会"
    assert row["body"].splitlines() == ["为丰富职工文化生活，省直机关工会举办新春职工运动会。",
                                        "来自各单位的职工踊跃参加。"]
    assert row["published_at"] == "2024-02-01T09:30:00+08:00"


def test_full_run_updates_an_edited_article_and_keeps_the_old_version(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    url, before = next((u, r) for u, r in articles(db).items() if "/xwzx/tzgg/" in u)
    path = url.removeprefix(server.origin)
    site.edit_article(path, title="关于调整职工疗休养安排的通知（更正）")
    server.clear_requests()
    summary = run_crawl(site.start_urls(server.origin), db, delay=0, full=True)

    after = articles(db)[url]
    assert summary.updated == 1 and after["title"] == "关于调整职工疗休养安排的通知（更正）"
    assert after["first_seen_at"] == before["first_seen_at"] and after["content_hash"] != before["content_hash"]
    revisions = rows(db, "select * from revisions")
    assert [(r["title"], r["body"], r["content_hash"]) for r in revisions] == [
        (before["title"], before["body"], before["content_hash"])]
    # unchanged pages answered 304 to the stored ETag: a full run does not re-download them
    assert sum(r.status == 304 for r in server.requests) >= len(articles(db)) - 5


def test_max_articles_stops_early_and_the_next_run_completes_the_columns(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    first = run_crawl(site.start_urls(server.origin), db, delay=0, max_articles=10)
    assert first.new + first.failed <= 10 and first.new >= 8
    second = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert len(articles(db)) == first.new + second.new == 80


def test_a_removed_article_is_marked_withdrawn_by_a_full_run(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    url = next(u for u in articles(db) if "/xwzx/ghxw/" in u)
    site.remove_article(url.removeprefix(server.origin))
    run_crawl(site.start_urls(server.origin), db, delay=0, full=True)
    row = articles(db)[url]
    assert row["withdrawn_at"] and row["body"]  # kept in the archive, marked as gone
    assert rows(db, "select http_status from failures where url = ? and run_id = 2", (url,)) == [
        {"http_status": 404}]


def test_reparse_re_extracts_from_stored_pages_without_the_network(tmp_path: Path) -> None:
    from archive.reparse import reparse_archive

    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    db = tmp_path / "a.db"
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), db, delay=0)
    good = articles(db)
    gbk = next(u for u in good if "/xwzx/jcdt/" in u)
    news = next(u for u in good if "/xwzx/ghxw/" in u)  # another row than the GBK one
    with sqlite3.connect(db) as conn:  # what an older, worse parser had stored
        conn.create_function("content_hash", 2, content_hash)
        conn.execute("update articles set title = '乱码', source = null where url = ?", (gbk,))
        conn.execute("update articles set body = '' where url = ?", (news,))
        conn.execute("update articles set content_hash = content_hash(title, body)")
    summary = reparse_archive(db)  # the server is gone: only the stored bytes are left
    assert (summary.pages, summary.updated, summary.failed) == (80, 2, 0)
    fixed = articles(db)
    assert {u: {f: r[f] for f in RECORD_FIELDS} for u, r in fixed.items()} == {
        u: {f: r[f] for f in RECORD_FIELDS} for u, r in good.items()}
    assert sorted(r["title"] for r in rows(db, "select title from revisions")) == sorted(
        ["乱码", good[news]["title"]])
    assert fixed[gbk]["last_seen_at"] == good[gbk]["last_seen_at"]  # re-reading is not re-seeing


def test_incremental_run_walks_past_a_pinned_old_article_to_every_new_one(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    old = next(u for u in articles(db) if "/xwzx/ghxw/" in u)
    added = [site.add_article("/xwzx/ghxw/", f"第{i}期职工书屋读书分享会举行", [
        f"第{i}期读书分享会在省直机关职工书屋举行。", "参加活动的职工交流了读书体会。"],
        f"2024-04-{i:02d}T15:00:00") for i in range(1, 26)]  # more than one list page of news
    first_page = site.root / "www" / "xwzx" / "ghxw" / "index.html"
    html = first_page.read_text(encoding="utf-8")  # the CMS pins an old article on top (置顶)
    first_page.write_text(html.replace('<ul class="list">', f'<ul class="list"><li><a href="{old}">置顶</a>'
                                       '<span>2019-01-01</span></li>', 1), encoding="utf-8")
    summary = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert summary.new == 25
    assert {server.url(p) for p in added} <= set(articles(db))


def test_a_page_that_failed_transiently_is_fetched_by_the_next_incremental_run(small_site, tmp_path: Path) -> None:
    site, server = small_site
    db = tmp_path / "a.db"
    routes_file = site.root / "routes.json"
    routes = json.loads(routes_file.read_text(encoding="utf-8"))
    oldest = min(p for p in site.truth(server.origin)["articles"] if p.startswith("/xwzx/ghxw/"))
    routes_file.write_text(json.dumps({**routes, oldest: {"status": 500}}), encoding="utf-8")
    first = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert server.url(oldest) not in articles(db) and first.failed == 3  # the 404, the 500, this one
    routes_file.write_text(json.dumps(routes), encoding="utf-8")  # the server recovered overnight
    server.clear_requests()
    second = run_crawl(site.start_urls(server.origin), db, delay=0)
    assert second.new == 1 and server.url(oldest) in articles(db)
    assert sum(r.path == oldest for r in server.requests) == 1


def test_reparse_recovers_pages_that_failed_to_parse_during_the_crawl(small_site, tmp_path: Path) -> None:
    from archive.reparse import reparse_archive

    site, server = small_site
    db = tmp_path / "a.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    before = articles(db)
    url = next(u for u in before if "/xwzx/tzgg/" in u)
    with sqlite3.connect(db) as conn:  # as if an older parser had refused the page
        article_id, raw = conn.execute("select a.id, p.body from articles a join pages p on "
                                       "p.article_id = a.id where a.url = ?", (url,)).fetchone()
        conn.execute("insert into failures (run_id, url, stage, reason, http_status, at, raw) values "
                     "(1, ?, 'parse', 'NotAnArticle: no article text on the page', 200, "
                     "'2024-01-01T00:00:00Z', ?)", (url, raw))
        conn.execute("delete from pages where article_id = ?", (article_id,))
        conn.execute("delete from articles where id = ?", (article_id,))
    summary = reparse_archive(db)
    assert summary.recovered == 1 and summary.failed == 0
    after = articles(db)
    assert {f: after[url][f] for f in RECORD_FIELDS} == {f: before[url][f] for f in RECORD_FIELDS}
    assert rows(db, "select count(*) as n from pages p join articles a on a.id = p.article_id "
                    "where a.url = ?", (url,)) == [{"n": 1}]
    assert reparse_archive(db).recovered == 0  # once archived, it is an ordinary article
