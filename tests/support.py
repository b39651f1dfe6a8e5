"""Helpers several test modules share: a small real HTTP server with named routes (as Scrapy's
own tests use), reading back the WARC records a crawl wrote, and a crawl of articles with
images and attachments through the files step and the archive's writer."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.processes import serve_in_order


ARTICLE = "<html><head><meta charset=utf-8><title>t</title></head><body>{}</body></html>"
GBK_PAGE = ('<html><head><meta charset="gbk"></head><body><p>职工之家建设</p>'
            '<img src="/img/photo.png"></body></html>').encode("gbk")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _routes() -> dict[str, tuple[int, list[tuple[str, str]], bytes]]:
    index = ARTICLE.format(
        '<a href="/a/1.html">1</a><a href="/a/gbk.html">gbk</a><a href="/old.html">moved</a>'
        '<a href="/missing.html">gone</a><a href="/broken.html">broken</a>'
        '<a href="/gz.html">gz</a><a href="/private/x.html">private</a>'
        '<a href="/files/report.pdf">pdf</a>'
    ).encode()
    html = [("Content-Type", "text/html; charset=utf-8")]
    return {
        "/robots.txt": (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /private/\n"),
        "/index.html": (200, html + [("ETag", '"idx-1"')], index),
        "/a/1.html": (200, html + [("Last-Modified", "Wed, 18 Jan 2023 09:40:03 GMT")],
                      ARTICLE.format("<p>工会新闻</p>").encode()),
        "/a/gbk.html": (200, [("Content-Type", "text/html; charset=gbk")], GBK_PAGE),
        "/img/photo.png": (200, [("Content-Type", "image/png")], PNG),
        "/files/report.pdf": (200, [("Content-Type", "application/pdf")], b"%PDF-1.4\n" + b"x" * 3000),
        "/old.html": (301, [("Location", "/a/1.html")], b""),
        "/missing.html": (404, html, b"<html><body>404 Not Found</body></html>"),
        "/broken.html": (500, html, b"<html><body>500 Internal Server Error</body></html>"),
        "/gz.html": (200, html + [("Content-Encoding", "gzip")],
                     gzip.compress(ARTICLE.format("<p>压缩</p>").encode(), mtime=0)),
    }


class Site:
    """A small real HTTP server: named routes, a request log, and the bytes sent per request."""

    def __init__(self) -> None:
        self.routes = _routes()
        self.log: list[tuple[str, int, bytes]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                status, headers, body = site.routes.get(self.path, (404, [], b"no route"))
                site.log.append((self.path, status, body))  # before sending: no race at exit
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a size limit): that is its right

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def responses(warc_dir: Path) -> list[dict]:
    """Every response record in the folder's WARCs, with raw payload and decoded content."""
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                if record.rec_type != "response":
                    continue
                raw = record.raw_stream.read()
                found.append({"url": record.rec_headers.get_header("WARC-Target-URI"),
                              "status": int(record.http_headers.get_statuscode()),
                              "raw": raw, "headers": record.http_headers,
                              "file": path.name, "digest_ok": record.digest_checker.passed})
    return found


BIG = b"PK\x03\x04" + b"z" * 40_000
SPIDER = textwrap.dedent('''
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from archive.db import open_archive
    from archive.records import ArchiveWriter
    from crawler.items import Article

    origin, root = sys.argv[1], sys.argv[2]


    class Write:
        """What the store step does with an item, without its run bookkeeping: the writer."""

        def open_spider(self, spider=None):
            self.writer = ArchiveWriter(open_archive(root + "/archive.db"), None)

        def process_item(self, item):
            self.writer.write([item])
            return item

    class Articles(scrapy.Spider):
        name = "articles"
        start_urls = [origin + "/a/gbk.html", origin + "/a/1.html"]

        def parse(self, response):
            yield Article(
                url=response.url, title="t", published_at=None, body="b",
                images=[response.urljoin(s) for s in response.css("img::attr(src)").getall()],
                attachments=[origin + "/files/report.pdf", origin + "/files/big.zip",
                             origin + "/files/gone.doc", "mailto:x@example.org"],
            )

    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {"pipelines.warc.WarcCaptureMiddleware": 950},
        "ITEM_PIPELINES": {"pipelines.files.ArchiveFilesPipeline": 350, "__main__.Write": 400},
        "UNIONNEWS_DB": root + "/archive.db",  # WARCs go to warc/ beside it by default
        "UNIONNEWS_FILES_MAXSIZE": 20_000,
    })
    process.crawl(Articles)
    process.start()
''')


def crawl_articles(root: Path) -> Site:
    """Crawl two article pages that link an image and attachments; return the served site."""
    site = Site()
    try:
        crawl_site(root, site)
    finally:
        site.close()
    return site


def crawl_site(root: Path, site: Site) -> None:
    """Crawl the articles of `site` (adding the routes they link to) into root/archive.db."""
    site.routes["/files/big.zip"] = (200, [("Content-Type", "application/zip")], BIG)
    site.routes["/a/1.html"] = (200, [("Content-Type", "text/html")],
                                b'<html><body><img src="../img/photo.png"></body></html>')
    script = root / "articles.py"
    script.write_text(SPIDER)
    subprocess.run([sys.executable, str(script), site.origin, str(root)], check=True,
                   timeout=120, cwd=root)


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    """The rows a query returns from an archive file, as dicts."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def served(url: str) -> bytes:
    """What the replica serves at a URL (on 127.0.0.1 only)."""
    with urllib.request.urlopen(url) as answer:
        return answer.read()


def echo_or_die(jobs, replies, parent: int) -> None:
    """An OrderedChild's target for tests: answers a job with itself, fails on "raise", hangs on
    "hang", and the whole process exits (status 3) on "die"."""

    def handle(job):
        if job == "die":
            os._exit(3)
        if job == "raise":
            raise ValueError("asked   to\nfail")
        if job == "hang":
            time.sleep(3600)
        return job

    serve_in_order(jobs, replies, parent, handle)
