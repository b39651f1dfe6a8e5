"""Shipped captures, message by message: what a distributed crawler puts on Redis and what the
writer makes of it (archive/capture.py), on real WARC files and a real files/ folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.capture import CaptureWriter
from archive.fixity import Report, verify_warc_dir
from archive.warcfiles import Exchange, read_manifest
from crawler.items import Article
from pipelines.redis_items import dumps_exchange, dumps_item, loads_message

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40


def exchange(url: str, body: bytes, date: str = "2026-12-01T08:00:00.000001Z") -> Exchange:
    return Exchange(url=url, status=200, protocol="HTTP/1.1",
                    headers=[(b"Content-Type", [b"application/pdf"]), (b"X-Raw", [b"\xe4\xb8\xad"])],
                    body=body, ip_address="127.0.0.1", method="GET", request_url=url,
                    request_headers=[(b"Accept", [b"*/*"])], request_body=b"", date=date)


def article(url: str, file_url: str, ident: str, page: str) -> Article:
    row = {"url": file_url, "kind": "attachment", "sha256": hashlib.sha256(PDF).hexdigest(),
           "path": f"ab/{hashlib.sha256(PDF).hexdigest()}.pdf", "size": len(PDF), "content_type": "application/pdf",
           "status": 200, "fetched_url": file_url, "warc_file": None, "warc_offset": None,
           "warc_length": None, "warc_digest": None, "warc_exchange": ident}
    return Article(url=url, title="t", published_at=None, body="b", warc={"exchange": page},
                   files_stored=[row])


def records(warc_dir: Path) -> list:
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                found.append((record.rec_type, dict(record.rec_headers.headers), record.content_stream().read()))
    return found


def test_a_shipped_exchange_travels_as_its_bytes_and_comes_back_whole() -> None:
    sent = exchange("http://a.test/f.pdf", PDF)
    message = dumps_exchange("w1:7", sent, max_bytes=1 << 20)
    assert message.endswith(b"\n" + PDF) and len(message) < len(PDF) + 600  # no base64
    back = loads_message(message)
    assert back.ident == "w1:7" and back.exchange == sent and back.size == len(PDF)
    item = Article(url="http://a.test/1.html", title="t", published_at=None, body="b", raw=b"\n\x00")
    assert loads_message(dumps_item(item).encode()) == item  # items still read as before


def test_the_writer_writes_exchanges_and_stores_files_from_their_records(tmp_path: Path) -> None:
    warc_dir, files_dir = tmp_path / "warc", tmp_path / "files"
    writer = CaptureWriter(warc_dir, files_dir, run_id=3)
    page = exchange("http://a.test/1.html", b"<html>1</html>")
    pointers = writer.write([loads_message(dumps_exchange(i, e, 1 << 20)) for i, e in
                             (("w:1", page), ("w:2", exchange("http://a.test/f.pdf", PDF)))])
    [item] = writer.resolve([article("http://a.test/1.html", "http://a.test/f.pdf", "w:2", "w:1")])
    assert item.warc == pointers["w:1"] and item.files_failed == []
    [row] = item.files_stored
    assert (row["warc_file"], row["warc_offset"]) == (pointers["w:2"]["file"], pointers["w:2"]["offset"])
    assert (files_dir / row["path"]).read_bytes() == PDF
    writer.close()
    [(kind, headers, body)] = [r for r in records(warc_dir) if r[0] == "response" and r[2] == PDF]
    assert headers["WARC-Date"] == "2026-12-01T08:00:00.000001Z"  # when the crawler fetched it
    assert read_manifest(warc_dir) and "isPartOf: unionnews crawl run 3" in records(warc_dir)[0][2].decode()

    # A writer restarted in the same crawl resolves the pointers the first one gave out.
    again = CaptureWriter(warc_dir, tmp_path / "files2", run_id=3, known=pointers)
    [item] = again.resolve([article("http://a.test/2.html", "http://a.test/f.pdf", "w:2", "w:1")])
    assert item.warc == pointers["w:1"] and (tmp_path / "files2" / item.files_stored[0]["path"]).read_bytes() == PDF


def test_a_body_over_the_cap_is_a_truncated_record_and_its_file_a_failure(tmp_path: Path) -> None:
    writer = CaptureWriter(tmp_path / "warc", tmp_path / "files", run_id=1)
    message = dumps_exchange("w:1", exchange("http://a.test/f.pdf", PDF), max_bytes=1000)
    assert len(message) < 1000  # Redis never holds the big body
    writer.write([loads_message(message)])
    [item] = writer.resolve([article("http://a.test/1.html", "http://a.test/f.pdf", "w:1", "w:0")])
    assert item.files_stored == [] and item.warc == {} and writer.unresolved == 1
    [(url, reason)] = item.files_failed
    assert url == "http://a.test/f.pdf" and reason.startswith(f"{len(PDF)} bytes, more than a crawler ships")
    writer.close()
    [(kind, headers, body)] = [r for r in records(tmp_path / "warc") if r[0] == "response"]
    assert headers["WARC-Truncated"] == "length" and body == b""
    report = Report()
    verify_warc_dir(tmp_path / "warc", report)
    assert report.ok, report.problems


def test_an_article_page_crosses_once_and_the_writer_reads_its_bytes_back(tmp_path: Path) -> None:
    """The article names its shipped response and the sha256 of the body: the writer takes the
    bytes from the record (Content-Encoding undone, as the crawler saw them)."""
    import gzip

    html = "<html><body>工会新闻</body></html>".encode() * 50
    encoded = Exchange(url="http://a.test/1.html", status=200, protocol="HTTP/1.1",
                       headers=[(b"Content-Type", [b"text/html"]), (b"Content-Encoding", [b"gzip"])],
                       body=gzip.compress(html), ip_address=None, method="GET",
                       request_url="http://a.test/1.html", request_headers=[], request_body=b"")
    page = Article(url="http://a.test/1.html", title="t", published_at=None, body="b", raw=html,
                   warc={"exchange": "w:1"})
    message = dumps_item(page)
    assert len(message) < len(html) / 2  # not the bytes again
    writer = CaptureWriter(tmp_path / "warc", tmp_path / "files", run_id=1)
    writer.write([loads_message(dumps_exchange("w:1", encoded, 1 << 20))])
    [item] = writer.resolve([loads_message(message.encode())])
    assert item.raw == html and item.warc["file"] and writer.raw_missing == 0
    lost = loads_message(dumps_item(Article(url="http://a.test/2.html", title="t", published_at=None,
                                            body="b", raw=b"other", warc={"exchange": "w:1"})).encode())
    assert writer.resolve([lost])[0].raw == b"" and writer.raw_missing == 1  # counted, not invented
