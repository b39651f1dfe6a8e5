"""Images and attachments: a real Scrapy crawl stores them by content hash, bounded in size,
listed in the `files` table with their WARC records, and captured in the WARC."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from support import PNG, Site, crawl_articles, crawl_site, responses

@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    root = tmp_path_factory.mktemp("files")
    return root, crawl_articles(root)


def rows(root: Path) -> list[dict]:
    conn = sqlite3.connect(root / "archive.db")
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute("SELECT * FROM files ORDER BY article_url, url")]


def test_files_are_stored_once_by_content_hash(archive) -> None:
    root, site = archive
    png_hash = hashlib.sha256(PNG).hexdigest()
    pdf = site.routes["/files/report.pdf"][2]
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    stored = sorted(p.relative_to(root / "files").as_posix()
                    for p in (root / "files").rglob("*") if p.is_file())
    assert stored == sorted([f"{png_hash[:2]}/{png_hash}.png", f"{pdf_hash[:2]}/{pdf_hash}.pdf"])
    assert (root / "files" / stored[0]).read_bytes() in (PNG, pdf)


def test_files_table_links_each_file_to_its_article_and_warc_record(archive) -> None:
    root, site = archive
    found = [(r["article_url"].removeprefix(site.origin), r["url"].removeprefix(site.origin),
              r["kind"], r["size"], r["content_type"], r["status"]) for r in rows(root)]
    with sqlite3.connect(root / "archive.db") as conn:
        ids = dict(conn.execute("SELECT url, id FROM articles"))
    assert all(r["article_id"] == ids[r["article_url"]] for r in rows(root))  # linked in the same write
    assert found == [
        ("/a/1.html", "/files/report.pdf", "attachment", 3009, "application/pdf", 200),
        ("/a/1.html", "/img/photo.png", "image", len(PNG), "image/png", 200),
        ("/a/gbk.html", "/files/report.pdf", "attachment", 3009, "application/pdf", 200),
        ("/a/gbk.html", "/img/photo.png", "image", len(PNG), "image/png", 200),
    ]
    by_file = {(r["url"], r["file"]): r for r in responses(root / "warc")}
    for row in rows(root):
        record = by_file[(row["url"], row["warc_file"])]
        assert hashlib.sha256(record["raw"]).hexdigest() == row["sha256"]
        assert row["warc_offset"] >= 0 and row["warc_length"] > 0 and row["warc_digest"]


def test_oversized_and_missing_files_are_not_stored(archive) -> None:
    root, site = archive
    requested = {path for path, _, _ in site.log}
    assert {"/files/big.zip", "/files/gone.doc"} <= requested  # fetched, then refused
    assert not any(r["url"].endswith(("big.zip", "gone.doc")) for r in rows(root))
    assert not list((root / "files").rglob("*.zip"))


def test_a_file_named_by_two_articles_is_fetched_once_and_listed_for_both(archive) -> None:
    root, site = archive
    files = ("/img/photo.png", "/files/report.pdf", "/files/big.zip", "/files/gone.doc")
    requested = [path for path, _, _ in site.log if path in files]
    assert sorted(requested) == sorted(files)  # once each, though both articles name them all
    listed = {(r["article_url"].removeprefix(site.origin), r["url"].removeprefix(site.origin)) for r in rows(root)}
    assert {(a, f) for a in ("/a/1.html", "/a/gbk.html") for f in files[:2]} == listed


def test_files_that_could_not_be_stored_are_failures_naming_their_article(tmp_path: Path) -> None:
    site = crawl_articles(tmp_path)
    conn = sqlite3.connect(tmp_path / "archive.db")
    failed = {(url.removeprefix(site.origin), stage, reason)
              for url, stage, reason in conn.execute("SELECT url, stage, reason FROM failures")}
    article = f"file of {site.origin}/a/1.html not stored"
    assert ("/files/gone.doc", "fetch", f"{article}: HTTP 404") in failed
    [too_big] = [r for u, _, r in failed if u == "/files/big.zip" and r.startswith(article)]
    assert "larger than download max size (20000)" in too_big
    assert {url for url, _, _ in failed} == {"/files/big.zip", "/files/gone.doc"}



def test_a_second_crawl_updates_each_row_in_place_and_keeps_when_it_was_first_seen(tmp_path: Path) -> None:
    site = Site()
    try:
        crawl_site(tmp_path, site)
        conn = sqlite3.connect(tmp_path / "archive.db")
        with conn:
            conn.execute("UPDATE files SET first_seen_at = '2020-01-01T00:00:00+00:00', "
                         "last_seen_at = first_seen_at, warc_file = 'old.warc.gz'")
        crawl_site(tmp_path, site)
    finally:
        site.close()
    again = rows(tmp_path)
    assert len(again) == 4  # the same four (article, file) pairs, no duplicates
    assert {r["first_seen_at"] for r in again} == {"2020-01-01T00:00:00+00:00"}
    assert all(r["last_seen_at"] > "2020" and r["warc_file"] != "old.warc.gz" for r in again)
    by_file = {(r["url"], r["file"]) for r in responses(tmp_path / "warc")}
    assert all((r["url"], r["warc_file"]) in by_file for r in again)  # the new capture
