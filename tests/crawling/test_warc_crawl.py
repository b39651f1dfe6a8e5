"""WARC capture in the real crawl: `unionnews crawl`'s run over the replica on 127.0.0.1.

Checks what the issue asks: the WARC files parse with warcio and hold every response the
server sent, each archived article's row points at a record whose payload is the bytes the
server sends for it, edits keep both versions with both records, withdrawn articles stay,
and verify/export work on a real crawled archive.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.cli import cli
from archive.crawl import run_crawl
from archive.export import validate_wacz
from replica import ReplicaServer, build_site
from support import rows, served




def record_at(warc_dir: Path, row: dict) -> tuple[dict, bytes]:
    """The record a row points at, read alone from its offset: (WARC headers, raw payload)."""
    with open(warc_dir / row["warc_file"], "rb") as fh:
        fh.seek(row["warc_offset"])
        chunk = fh.read(row["warc_length"])
    record = next(iter(ArchiveIterator(BytesIO(chunk), check_digests=True)))
    payload = record.raw_stream.read()
    assert record.digest_checker.passed is not False
    return dict(record.rec_headers.headers), payload


def all_responses(warc_dir: Path) -> list[tuple[str, int]]:
    """Each answer the WARC holds: a response record, or a revisit (same bytes as one before)."""
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    found.append((record.rec_headers.get_header("WARC-Target-URI"),
                                  int(record.http_headers.get_statuscode())))
    return found


def stored(db: Path) -> int:
    """Articles committed so far (0 while the crawl has not created the schema yet)."""
    try:
        return rows(db, "select count(*) as n from articles")[0]["n"]
    except sqlite3.OperationalError:
        return 0




@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """One default crawl of a small replica; the server stays up for re-fetching."""
    root = tmp_path_factory.mktemp("warc-crawl")
    site = build_site(root / "site", articles_per_column=(30, 25, 25))
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), root / "archive.db", delay=0)
        yield root, site, server


def test_the_warc_holds_a_response_for_every_request_the_server_answered(crawled) -> None:
    root, site, server = crawled
    answered = sorted((server.origin + r.path, r.status) for r in server.requests)
    assert sorted(all_responses(root / "warc")) == answered
    statuses = {status for _, status in answered}
    assert {200, 301, 404, 500} <= statuses
    assert any(url.endswith("/robots.txt") for url, _ in answered)


def test_each_article_row_points_at_the_bytes_the_server_sent(crawled) -> None:
    root, _, server = crawled
    articles = rows(root / "archive.db", "select * from articles")
    assert len(articles) == 80
    for row in articles:
        headers, payload = record_at(root / "warc", row)
        assert headers["WARC-Target-URI"] == row["final_url"]
        assert headers["WARC-Payload-Digest"] == row["warc_digest"]
        assert payload == served(row["final_url"]), row["url"]
        assert row["http_status"] == 200 and row["etag"] and row["last_modified"]
        assert row["content_type"].startswith("text/html") and row["fetched_at"].endswith("Z")
    page = rows(root / "archive.db", "select * from pages limit 1")[0]
    assert record_at(root / "warc", page)[1] == gzip.decompress(page["body"])


def test_images_and_attachments_are_stored_by_hash_and_linked(crawled) -> None:
    root, _, _ = crawled
    files = rows(root / "archive.db", "select * from files")
    linked = {(a["url"], u) for a in rows(root / "archive.db", "select * from articles")
              for u in json.loads(a["images"]) + json.loads(a["attachments"])}
    assert files and {(f["article_url"], f["url"]) for f in files} == linked
    kinds = {f["url"].rsplit(".", 1)[1] for f in files}
    assert {"jpg", "pdf", "doc"} <= kinds, kinds
    for f in files:
        assert f["article_id"] is not None
        body = served(f["url"])
        assert hashlib.sha256(body).hexdigest() == f["sha256"]
        assert (root / "files" / f["path"]).read_bytes() == body
        assert record_at(root / "warc", f)[1] == body


def test_verify_passes_then_names_a_flipped_warc_byte(crawled, tmp_path: Path) -> None:
    import shutil

    root, _, _ = crawled
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    ok = CliRunner().invoke(cli, ["verify", "--db", str(copy / "archive.db")])
    assert ok.exit_code == 0, ok.output
    [warc] = list((copy / "warc").glob("*.warc.gz"))
    data = bytearray(warc.read_bytes())
    data[len(data) // 3] ^= 0x40
    warc.write_bytes(bytes(data))
    bad = CliRunner().invoke(cli, ["verify", "--db", str(copy / "archive.db")])
    assert bad.exit_code == 1
    assert f"BAD {warc}: sha256 differs from the manifest" in bad.output


def test_export_jsonl_and_a_valid_wacz(crawled, tmp_path: Path) -> None:
    root, _, _ = crawled
    result = CliRunner().invoke(cli, ["export", "--db", str(root / "archive.db"),
                                      "--jsonl", str(tmp_path / "a.jsonl"),
                                      "--wacz", str(tmp_path / "a.wacz")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    db_rows = {r["url"]: r for r in rows(root / "archive.db", "select * from articles")}
    assert sorted(x["url"] for x in lines) == sorted(db_rows)
    first = lines[0]
    assert first["title"] == db_rows[first["url"]]["title"]
    assert isinstance(first["images"], list) and first["revisions"] == []
    assert "80 article pages listed" in result.output
    valid, said = validate_wacz(tmp_path / "a.wacz")
    assert valid, said


@pytest.fixture
def small_site(tmp_path: Path):
    site = build_site(tmp_path / "site", articles_per_column=(8, 6, 6))
    with ReplicaServer(site.root) as server:
        yield site, server


def test_an_edited_article_keeps_both_versions_with_both_records(small_site, tmp_path) -> None:
    site, server = small_site
    db = tmp_path / "archive.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    before = next(r for r in rows(db, "select * from articles") if "/xwzx/tzgg/" in r["url"])
    site.edit_article(before["url"].removeprefix(server.origin), title="关于调整疗休养安排的通知（更正）")
    run_crawl(site.start_urls(server.origin), db, delay=0, full=True)

    after = rows(db, "select * from articles where id = ?", (before["id"],))[0]
    [revision] = rows(db, "select * from revisions where article_id = ?", (before["id"],))
    assert revision["title"] == before["title"] and after["title"].endswith("（更正）")
    assert (revision["warc_file"], revision["warc_offset"]) == (
        before["warc_file"], before["warc_offset"])
    assert (after["warc_file"], after["warc_offset"]) != (before["warc_file"], before["warc_offset"])
    old_headers, old_payload = record_at(tmp_path / "warc", revision)
    new_headers, new_payload = record_at(tmp_path / "warc", after)
    assert old_headers["WARC-Target-URI"] == new_headers["WARC-Target-URI"] == after["final_url"]
    assert old_headers["WARC-Date"] < new_headers["WARC-Date"]
    charset = "gbk" if "gb" in (after["content_type"] or "") else "utf-8"
    assert before["title"] in old_payload.decode(charset)
    assert "（更正）" not in old_payload.decode(charset)
    assert "（更正）" in new_payload.decode(charset)
    assert CliRunner().invoke(cli, ["verify", "--db", str(db)]).exit_code == 0
    exported = CliRunner().invoke(cli, ["export", "--db", str(db), "--jsonl", "-"])
    [record] = [r for r in map(json.loads, exported.output.splitlines()) if r["id"] == after["id"]]
    assert record["title"] == after["title"]
    assert [(r["title"], r["warc_offset"]) for r in record["revisions"]] == [
        (before["title"], before["warc_offset"])]


def test_a_withdrawn_article_is_marked_and_its_capture_kept(small_site, tmp_path) -> None:
    site, server = small_site
    db = tmp_path / "archive.db"
    run_crawl(site.start_urls(server.origin), db, delay=0)
    gone = next(r for r in rows(db, "select * from articles") if "/xwzx/ghxw/" in r["url"])
    site.remove_article(gone["url"].removeprefix(server.origin))
    run_crawl(site.start_urls(server.origin), db, delay=0, full=True)

    row = rows(db, "select * from articles where id = ?", (gone["id"],))[0]
    assert row["withdrawn_at"] and row["body"] == gone["body"]
    assert record_at(tmp_path / "warc", row)[1] == record_at(tmp_path / "warc", gone)[1]
    assert (gone["url"], 404) in all_responses(tmp_path / "warc")  # the 404 is archived too
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 2  # one file per run here


def crawl_under_way(site, server: ReplicaServer, db: Path) -> subprocess.Popen:
    """`unionnews crawl` of the replica in a child process, returned once it has stored ten
    articles (its stdout and stderr are pipes)."""
    args = [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]
    crawl = subprocess.Popen(
        [sys.executable, "-c", "from archive.cli import main; main()", "crawl", *args,
         "--db", str(db), "--delay", "0.01"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and stored(db) < 10:
        time.sleep(0.05)
    return crawl


def test_after_a_killed_crawl_the_next_one_leaves_every_pointer_verifiable(tmp_path) -> None:
    site = build_site(tmp_path / "site")  # about 300 articles: long enough to kill mid-way
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root, delay=0.005) as server:
        crawl = crawl_under_way(site, server, db)
        crawl.send_signal(signal.SIGKILL)
        crawl.communicate(timeout=30)
        assert list((tmp_path / "warc").glob("*.open")), "the kill should leave a file open"
        killed_rows = rows(db, "select * from articles")
        assert 10 <= len(killed_rows) < len(site.truth(server.origin)["articles"])
        run_crawl(site.start_urls(server.origin), db, delay=0)

    assert not list((tmp_path / "warc").glob("*.open"))
    for row in killed_rows:  # what the killed crawl committed still reads back
        assert record_at(tmp_path / "warc", row)[0]["WARC-Target-URI"] == row["final_url"]
    result = CliRunner().invoke(cli, ["verify", "--db", str(db)])
    assert result.exit_code == 0, result.output


def test_verify_names_a_raw_page_changed_inside_the_database(crawled, tmp_path: Path) -> None:
    import shutil

    root, _, _ = crawled
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    with sqlite3.connect(copy / "archive.db") as conn:
        body = conn.execute("select body from pages where id = 3").fetchone()[0]
        changed = gzip.compress(gzip.decompress(body).replace(b"</html>", b"</html> "))
        conn.execute("update pages set body = ? where id = 3", (changed,))
    result = CliRunner().invoke(cli, ["verify", "--db", str(copy / "archive.db")])
    assert result.exit_code == 1
    assert f"BAD {copy / 'archive.db'}: pages row 3: raw bytes differ from their sha256" in result.output
    assert "80 raw pages" in result.output


def warc_process(crawl: int, warc_dir: Path) -> int:
    """The child of a crawl that holds its open WARC file: the WARC writer process."""
    for child in Path(f"/proc/{crawl}/task/{crawl}/children").read_text().split():
        fds = Path(f"/proc/{child}/fd")
        try:
            if any(os.readlink(fd).endswith(".warc.gz.open") for fd in fds.iterdir()):
                return int(child)
        except OSError:  # the child ended meanwhile
            continue
    raise LookupError("no child of the crawl has a WARC file open")


def test_a_warc_writer_killed_mid_crawl_stops_the_crawl_with_one_clear_line(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root, delay=0.005) as server:
        crawl = crawl_under_way(site, server, db)
        os.kill(warc_process(crawl.pid, tmp_path / "warc"), signal.SIGKILL)
        out, err = crawl.communicate(timeout=120)
        total = len(site.truth(server.origin)["articles"])
        assert crawl.returncode == 1
        assert err.strip().splitlines() == [
            f"Error: could not write to {db}: the WARC writer process died (exit -9)"]
        assert out.startswith("crawl failed: ")
        assert stored(db) < total  # it stopped instead of archiving pages it could not capture
        run_crawl(site.start_urls(server.origin), db, delay=0)  # the next run completes
    assert stored(db) == total
    result = CliRunner().invoke(cli, ["verify", "--db", str(db)])
    assert result.exit_code == 0, result.output
