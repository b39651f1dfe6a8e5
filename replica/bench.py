"""Measure the replica by hand: build time, and how fast ReplicaServer answers compared with
the stdlib's plain static server (SimpleHTTPRequestHandler) on the same files in the same run.

    python -m replica bench --articles-per-column 1700
"""

from __future__ import annotations

import functools
import http.client
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .build import build_site
from .server import ReplicaServer


def _fetch_all(origin: str, paths: list[str], workers: int) -> float:
    """GET every path over `workers` kept-alive connections; returns requests per second."""
    host, port = urlsplit(origin).hostname, urlsplit(origin).port
    chunks = [paths[i::workers] for i in range(workers)]

    def run(chunk: list[str]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        for path in chunk:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, chunks))
    return len(paths) / (time.perf_counter() - started)


def _stdlib_server(www: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as ReplicaServer: else each response waits ~40 ms

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def run(articles_per_column: int, workers: int, echo=print) -> dict[str, float]:
    """Build a site of 3 x `articles_per_column` articles, then serve every article page with
    both servers; prints and returns the figures."""
    with tempfile.TemporaryDirectory(prefix="replica-bench-") as scratch:
        started = time.perf_counter()
        site = build_site(Path(scratch), articles_per_column=articles_per_column)
        build_s = time.perf_counter() - started
        paths = sorted(site.raw_truth()["articles"])
        echo(f"build: {len(paths)} articles in {build_s:.2f} s ({len(paths) / build_s:.0f} articles/s)")
        httpd, origin = _stdlib_server(site.www)
        try:
            baseline = _fetch_all(origin, paths, workers)
        finally:
            httpd.shutdown()
            httpd.server_close()
        with ReplicaServer(site.root) as server:
            replica = _fetch_all(server.origin, paths, workers)
        echo(f"serve ({workers} connections): stdlib static {baseline:.0f} req/s, "
             f"ReplicaServer {replica:.0f} req/s, ratio {replica / baseline:.2f}")
    return {"build_s": build_s, "baseline_rps": baseline, "replica_rps": replica}
