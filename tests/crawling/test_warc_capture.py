"""WARC capture end to end: a real Scrapy crawl of a small real HTTP server on 127.0.0.1.

The crawl runs in a subprocess (Twisted's reactor cannot restart inside pytest); the spider
records, for every response its callback sees, the `warc` pointer the middleware put in meta,
as the store step does. The server logs every request and the exact bytes it sent.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warcfiles import INDEX_NAME, MANIFEST_NAME, read_manifest, sha256_file
from support import Site, responses

SPIDER = textwrap.dedent('''
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    origin, warc_dir, out, max_bytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    in_process = sys.argv[5] == "inline"

    class Walk(scrapy.Spider):
        name = "walk"
        start_urls = [origin + "/index.html"]
        custom_settings = {"HTTPERROR_ALLOW_ALL": True}

        def parse(self, response):
            with open(out, "a") as fh:
                fh.write(json.dumps({"url": response.url, "status": response.status,
                                     "warc": response.meta.get("warc")}) + "\\n")
            if b"<a" in response.body or b"<img" in response.body:
                for href in response.css("a::attr(href), img::attr(src)").getall():
                    yield response.follow(href, self.parse)

    process = CrawlerProcess({
        "ROBOTSTXT_OBEY": True, "RETRY_TIMES": 1, "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {"pipelines.warc.WarcCaptureMiddleware": 950},
        "UNIONNEWS_WARC_DIR": warc_dir, "UNIONNEWS_WARC_MAX_BYTES": max_bytes,
        "UNIONNEWS_RUN_ID": "7", "UNIONNEWS_WARC_PROCESS": not in_process,
    })
    process.crawl(Walk)
    process.start()
''')


def crawl(tmp_path: Path, site: Site, max_bytes: int = 1 << 30,
          in_process: bool = False) -> tuple[Path, list[dict]]:
    """Crawl `site` with the WARC middleware on (writing in its own process, or in the crawl's
    with `in_process`); return the WARC folder and the callback log."""
    script = tmp_path / "walk.py"
    script.write_text(SPIDER)
    warc_dir, out = tmp_path / "warc", tmp_path / "seen.jsonl"
    subprocess.run([sys.executable, str(script), site.origin, str(warc_dir), str(out),
                    str(max_bytes), "inline" if in_process else "process"],
                   check=True, timeout=120, cwd=tmp_path)
    return warc_dir, [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path, list[dict]]:
    site = Site()
    try:
        warc_dir, seen = crawl(tmp_path_factory.mktemp("crawl"), site)
    finally:
        site.close()
    return site, warc_dir, seen


def test_every_response_the_server_sent_is_in_the_warc_byte_for_byte(captured) -> None:
    site, warc_dir, _ = captured
    records = responses(warc_dir)
    sent = sorted((site.origin + path, status, body) for path, status, body in site.log)
    stored = sorted((r["url"], r["status"], r["raw"]) for r in records)
    assert stored == sent
    paths = {path for path, _, _ in site.log}
    # robots.txt, the redirect, the 404, both 500 attempts, the image and the PDF are all there.
    assert {"/robots.txt", "/old.html", "/missing.html", "/img/photo.png",
            "/files/report.pdf"} <= paths
    assert sum(1 for p, _, _ in site.log if p == "/broken.html") == 2
    assert "/private/x.html" not in paths
    assert all(r["digest_ok"] for r in records)


def test_gzip_payload_is_kept_as_sent_and_decodes_on_replay(captured) -> None:
    _, warc_dir, _ = captured
    record = next(r for r in responses(warc_dir) if r["url"].endswith("/gz.html"))
    assert record["headers"].get_header("Content-Encoding") == "gzip"
    assert gzip.decompress(record["raw"]).decode().count("压缩") == 1


def test_meta_pointer_reads_back_the_right_record_alone(captured) -> None:
    site, warc_dir, seen = captured
    assert {s["url"] for s in seen} >= {site.origin + "/a/1.html", site.origin + "/a/gbk.html"}
    for entry in seen:
        warc = entry["warc"]
        with open(warc_dir / warc["file"], "rb") as fh:
            fh.seek(warc["offset"])
            chunk = fh.read(warc["length"])
        record = next(iter(ArchiveIterator(BytesIO(chunk), check_digests=True)))
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == warc["digest"]
        assert record.rec_headers.get_header("WARC-Record-ID") == warc["record_id"]
        body = record.raw_stream.read()
        assert (entry["url"].removeprefix(site.origin), entry["status"], body) in site.log


def test_files_are_warc_1_1_with_request_records_and_warcinfo(captured) -> None:
    _, warc_dir, _ = captured
    [path] = list(warc_dir.glob("*.warc.gz"))
    with open(path, "rb") as fh:
        records = list(ArchiveIterator(fh))
    assert records[0].rec_type == "warcinfo"
    assert {r.rec_headers.protocol for r in records} == {"WARC/1.1"}
    kinds = [r.rec_type for r in records[1:]]
    assert kinds.count("request") == kinds.count("response") > 10


def test_closed_files_are_listed_in_the_manifest_with_their_sha256(captured) -> None:
    _, warc_dir, _ = captured
    manifest = read_manifest(warc_dir)
    names = {p.name for p in warc_dir.iterdir() if p.name not in (MANIFEST_NAME, INDEX_NAME)}
    assert names == set(manifest)  # nothing left open, nothing unlisted
    assert all(sha256_file(warc_dir / n) == h for n, h in manifest.items())


def test_files_rotate_at_the_size_limit(tmp_path: Path) -> None:
    site = Site()
    try:
        warc_dir, seen = crawl(tmp_path, site, max_bytes=2000)
    finally:
        site.close()
    manifest = read_manifest(warc_dir)
    assert len(manifest) > 3
    assert {s["warc"]["file"] for s in seen} <= set(manifest)
    assert len(responses(warc_dir)) == len(site.log)


def test_a_file_left_open_by_a_killed_crawl_is_closed_by_the_next(tmp_path: Path) -> None:
    from archive.warcfiles import OPEN_SUFFIX

    site = Site()
    try:
        (tmp_path / "first").mkdir()
        first_dir, _ = crawl(tmp_path / "first", site)
        [whole] = list(first_dir.glob("*.warc.gz"))
        data = whole.read_bytes()
        # A killed crawl: a file never renamed, its last record cut in half.
        warc_dir = tmp_path / "warc"
        warc_dir.mkdir()
        killed = warc_dir / ("unionnews-killed.warc.gz" + OPEN_SUFFIX)
        killed.write_bytes(data + data[:40])
        crawl(tmp_path, site)
    finally:
        site.close()
    assert not list(warc_dir.glob("*" + OPEN_SUFFIX))
    recovered = warc_dir / "unionnews-killed.warc.gz"
    assert recovered.read_bytes() == data  # the half record is gone, the whole ones kept
    manifest = read_manifest(warc_dir)
    assert manifest["unionnews-killed.warc.gz"] == sha256_file(recovered)
    assert len(manifest) == 2


def test_warcinfo_names_the_crawl_run(captured) -> None:
    _, warc_dir, _ = captured
    [path] = list(warc_dir.glob("*.warc.gz"))
    with open(path, "rb") as fh:
        info = next(iter(ArchiveIterator(fh)))
        text = info.content_stream().read().decode()
    assert info.rec_type == "warcinfo"
    assert "isPartOf: unionnews crawl run 7" in text and "software: unionnews" in text


def test_capture_in_the_crawls_own_process_writes_the_same_records(tmp_path: Path) -> None:
    site = Site()
    try:
        warc_dir, seen = crawl(tmp_path, site, in_process=True)
    finally:
        site.close()
    records = responses(warc_dir)
    sent = sorted((site.origin + path, status, body) for path, status, body in site.log)
    assert sorted((r["url"], r["status"], r["raw"]) for r in records) == sent
    assert all(r["digest_ok"] for r in records)
    [path] = list(warc_dir.glob("*.warc.gz"))
    for entry in seen:  # each pointer reads back its own record
        with open(path, "rb") as fh:
            fh.seek(entry["warc"]["offset"])
            record = next(iter(ArchiveIterator(BytesIO(fh.read(entry["warc"]["length"])))))
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
    assert read_manifest(warc_dir) == {path.name: sha256_file(path)}


def test_a_crawl_script_without_a_main_guard_runs_once(captured) -> None:
    """The WARC process is spawned without re-running the crawl's main module (walk.py has
    no `if __name__ == "__main__"`): each URL was asked for once (twice for the retried 500)."""
    site, _, _ = captured
    paths = [path for path, _, _ in site.log]
    assert len(paths) == len(set(paths)) + 1 and paths.count("/broken.html") == 2
