"""The archive's schema and writer on real SQLite files in tmp_path."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from archive.crawl import CrawlLocked, acquire_lock
from archive.db import MIGRATIONS, ArchiveError, _characters_v6, open_archive
from archive.records import (
    Alias, ArchiveWriter, FailureRecord, NotModified, WriteCounts, coverage_warnings, finish_run,
    known_urls, start_run, validators, walk_warnings,
)
from crawler.items import Article
from crawler.rules import clean_article

URL = "http://127.0.0.1:1/xwzx/ghxw/202301/t20230118_1001.html"


def article(**fields) -> Article:
    base = dict(url=URL, title="标题", published_at="2023-01-18T17:40:03+08:00", body="第一段\n第二段",
                source="四川省直属机关工会委员会", fetched_url=URL, raw=b"<html>v1</html>",
                headers={"ETag": '"abc"', "Content-Type": "text/html"})
    return Article(**{**base, **fields})


@pytest.fixture
def db(tmp_path: Path):
    database = open_archive(tmp_path / "a.db")
    start_run(database, ["http://127.0.0.1:1/xwzx/ghxw/"], False)  # run 1, which the tests write for
    yield database
    database.close()


def one(db, sql: str, params: list | None = None) -> dict:
    return next(db.query(sql, params or []))


def test_open_archive_creates_the_schema_in_wal_mode_and_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    assert {"articles", "revisions", "crawl_runs", "failures", "pages"} <= set(db.table_names())
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert {"url", "content_hash", "first_seen_at", "last_seen_at", "withdrawn_at"} <= set(
        db["articles"].columns_dict)
    db["articles"].insert({"url": URL, "title": "t"})
    db.close()
    again = open_archive(path)  # re-opening runs nothing again and keeps the data
    assert again.execute("pragma user_version").fetchone()[0] == len(MIGRATIONS)
    assert again["articles"].count == 1


def test_open_archive_refuses_bad_paths_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="is a directory"):
        open_archive(tmp_path)
    garbage = tmp_path / "g.db"
    garbage.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ArchiveError, match="cannot open archive .*g.db"):
        open_archive(garbage)


def test_a_new_article_is_one_row_with_its_raw_page(db) -> None:
    counts = ArchiveWriter(db, 1, "scszjggh").write([article()])
    assert (counts.new, counts.updated, counts.unchanged) == (1, 0, 0)
    row = one(db, "select * from articles")
    assert (row["url"], row["site"], row["run_id"], row["first_seen_at"]) == (URL, "scszjggh", 1, row["last_seen_at"])
    page = one(db, "select * from pages")
    assert gzip.decompress(page["body"]) == b"<html>v1</html>" and page["article_id"] == row["id"]
    assert validators(db) == {URL: {"etag": '"abc"'}}


class Clock:
    """A clock the test moves: each reading is one second later than the last."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2024-01-01T00:00:{self.seconds:02d}Z"


def test_a_changed_article_keeps_its_earlier_version_in_revisions(db) -> None:
    writer = ArchiveWriter(db, 1, clock=Clock())
    writer.write([article()])
    first = one(db, "select * from articles")
    counts = writer.write([article(title="新标题", raw=b"<html>v2</html>")])
    assert counts.updated == 1
    row = one(db, "select * from articles")
    assert (row["title"], row["first_seen_at"]) == ("新标题", first["first_seen_at"])
    assert row["last_seen_at"] > first["last_seen_at"]
    revision = one(db, "select * from revisions")
    assert (revision["title"], revision["body"], revision["content_hash"]) == (
        "标题", "第一段\n第二段", first["content_hash"])
    assert revision["first_seen_at"] == first["first_seen_at"] and revision["replaced_at"] == row["last_seen_at"]
    assert db["pages"].count == 2  # both versions' bytes are kept


def test_unchanged_articles_are_only_touched(db) -> None:
    writer = ArchiveWriter(db, 1)
    writer.write([article()])
    writer.run_id = 2
    counts = writer.write([article(), NotModified(URL)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 2)
    assert db["revisions"].count == 0 and db["pages"].count == 1
    assert one(db, "select run_id from articles")["run_id"] == 2


def test_a_field_only_change_rewrites_the_row_without_a_revision(db) -> None:
    writer = ArchiveWriter(db, 1)
    writer.write([article()])
    counts = writer.write([article(source="工人日报")])
    assert counts.unchanged == 1 and db["revisions"].count == 0
    assert one(db, "select source from articles")["source"] == "工人日报"


def test_a_404_withdraws_an_archived_article_and_a_later_sighting_restores_it(db) -> None:
    writer = ArchiveWriter(db, 1)
    writer.write([article()])
    counts = writer.write([FailureRecord(URL, "fetch", "HTTP 404", 404, b"<h1>404</h1>")])
    assert counts.failed == 1
    assert one(db, "select withdrawn_at from articles")["withdrawn_at"]
    failure = one(db, "select * from failures")
    assert (failure["stage"], failure["http_status"], gzip.decompress(failure["raw"])) == (
        "fetch", 404, b"<h1>404</h1>")
    writer.write([article()])
    assert one(db, "select withdrawn_at from articles")["withdrawn_at"] is None


def test_known_urls_cover_aliases_redirects_and_gone_pages(db) -> None:
    writer = ArchiveWriter(db, 1)
    writer.write([article(fetched_url="http://127.0.0.1:1/old/1244.shtml"),
                  Alias("http://127.0.0.1:1/alias.html", URL),
                  FailureRecord("http://127.0.0.1:1/gone.html", "fetch", "HTTP 404", 404),
                  FailureRecord("http://127.0.0.1:1/busy.html", "fetch", "HTTP 500", 500)])
    assert known_urls(db) == {URL, "http://127.0.0.1:1/old/1244.shtml", "http://127.0.0.1:1/alias.html",
                              "http://127.0.0.1:1/gone.html"}


def test_a_reparse_writer_does_not_claim_a_sighting(db) -> None:
    clock = Clock()
    ArchiveWriter(db, 1, clock=clock).write([article()])
    before = one(db, "select * from articles")
    ArchiveWriter(db, None, sighting=False, clock=clock).write([article(title="更正", raw=b"")])
    after = one(db, "select * from articles")
    assert after["title"] == "更正" and db["revisions"].count == 1
    assert (after["last_seen_at"], after["run_id"]) == (before["last_seen_at"], 1)


def test_a_batch_is_one_transaction(db) -> None:
    writer = ArchiveWriter(db, 1)
    broken = article(url="http://127.0.0.1:1/b.html", fetched_url="http://127.0.0.1:1/b.html")
    broken.images = [object()]  # cannot be stored: the whole batch must roll back
    with pytest.raises(TypeError):
        writer.write([article(), broken])
    assert db["articles"].count == 0 and db["pages"].count == 0


def _run(db, new: int, shares: dict[str, float]) -> int:
    run_id = start_run(db, ["http://h/c/"], False)
    counts = WriteCounts(new=new, covered={k: round(v * new) for k, v in shares.items()})
    finish_run(db, run_id, "finished", 1.0, counts, {})
    return run_id


def test_coverage_far_below_history_is_a_warning(db) -> None:
    db.execute("delete from crawl_runs")
    _run(db, 300, {"date": 1.0, "time": 0.5, "source": 0.85, "body": 1.0})
    run_id = start_run(db, ["http://h/c/"], False)
    lost_info_line = WriteCounts(new=10, covered={"date": 10, "time": 0, "source": 0, "body": 10})
    warnings = coverage_warnings(db, run_id, lost_info_line)
    assert [w.split(" new articles have a ")[1].split(" ")[0] for w in warnings] == ["time", "source"]
    fine = WriteCounts(new=10, covered={"date": 10, "time": 4, "source": 8, "body": 10})
    assert coverage_warnings(db, run_id, fine) == []
    assert coverage_warnings(db, run_id, WriteCounts(new=2, covered=dict(lost_info_line.covered))) == []


def test_walk_warnings_name_empty_list_pages_and_unparsable_articles() -> None:
    assert walk_warnings(3, 0, ["http://h/a/"], 0, 0) == [
        "fetched 3 list pages but found no article links on any of them"]
    assert walk_warnings(6, 40, ["http://h/b/"], 40, 0) == [
        "no article links on the first list page of http://h/b/"]
    assert walk_warnings(6, 40, [], 10, 30) == ["30 of 40 article pages did not parse"]
    assert walk_warnings(6, 40, [], 39, 1) == []


def test_the_lock_refuses_a_second_holder_and_dies_with_its_process(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    lock = acquire_lock(path)
    with pytest.raises(CrawlLocked, match="another crawl"):
        acquire_lock(path)
    lock.release()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from archive.crawl import "
                               f"acquire_lock; acquire_lock({str(path)!r}); print('held', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(CrawlLocked, match=f"pid {holder.pid}"):
        acquire_lock(path)
    holder.kill()
    holder.wait()
    acquire_lock(path).release()  # SIGKILL released it: no stale lock for cron to trip over


def test_the_writer_process_writes_batches_in_order(tmp_path: Path) -> None:
    from archive.background import BackgroundWriter

    path = tmp_path / "a.db"
    db = open_archive(path)
    run_id = start_run(db, ["http://127.0.0.1:1/xwzx/ghxw/"], False)
    writer = BackgroundWriter(str(path), run_id, "scszjggh")
    writer.submit([article()])
    writer.submit([article(title="新标题", raw=b"<html>v2</html>")])
    counts = writer.close()
    assert [(c.new, c.updated) for c in counts] == [(1, 0), (0, 1)]
    assert one(db, "select title from articles")["title"] == "新标题" and db["revisions"].count == 1
    assert not writer.process.is_alive()


def test_a_writer_process_that_cannot_write_is_reported(tmp_path: Path) -> None:
    from archive.background import BackgroundWriter, StoreFailed

    path = tmp_path / "a.db"
    path.write_bytes(b"not a database" * 100)
    writer = BackgroundWriter(str(path), 1, None)
    writer.submit([article()])
    with pytest.raises(StoreFailed, match="writer process died"):
        writer.close()


def test_an_article_keeps_its_character_count(db) -> None:
    """字数: the cleaned body's characters, spaces and line breaks not counted."""
    ArchiveWriter(db, 1).write([clean_article(article(body="第一段　内容。\n 第二段 text"))])
    assert one(db, "select characters from articles")["characters"] == len("第一段内容。第二段text")


def test_an_older_archive_gets_the_character_count_of_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_archive(path)
    ArchiveWriter(db, 1).write([clean_article(article(body="旧的 正文\n第二行"))])
    db.execute("alter table articles drop column characters")
    db.execute(f"pragma user_version = {MIGRATIONS.index(_characters_v6)}")  # as before migration 6
    db.close()
    again = open_archive(path)
    assert one(again, "select characters from articles")["characters"] == len("旧的正文第二行")
