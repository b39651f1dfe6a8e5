"""A real HTTP server for a built replica, on 127.0.0.1 (port 0 by default), in a thread.

It serves `site_dir/www` with the behaviour `site_dir/routes.json` asks for (301, 500,
Content-Type variants), substitutes {{ORIGIN}}/{{OFFSITE}} in text responses, sends ETag and
Last-Modified and answers conditional requests with 304, and logs every request so tests can
prove what a crawler fetched (and what it did not).

A route may also declare `{"query_files": {"<parameters>": "/www/path/of/answer", ...}}`: the path is
then a data endpoint (Hanweb's dataproxy.jsp, downfile.jsp) answering GET and POST with the file its
parameters name; the key is the query string and urlencoded form body together, as `query_key`
writes them. Unknown parameter sets answer an empty <datastore>, as the real endpoint does.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .assets import CONTENT_TYPES
from .model import OFFSITE, ORIGIN

TEXT_SUFFIXES = (".html", ".js", ".css", ".txt")
#: What answering a client that hung up raises (a crawl shutting down or killed): not an error.
DROPPED_CLIENT = (ConnectionResetError, BrokenPipeError)
NOT_FOUND = "<html><head><title>404 Not Found</title></head><body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>"
SERVER_ERROR = "<html><head><title>500 Internal Server Error</title></head><body><h1>500</h1><p>服务器内部错误。</p></body></html>"
#: What a data endpoint answers for parameters it does not know.
EMPTY_DATASTORE = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>0</totalrecord>'
                   "<totalpage>0</totalpage><recordset></recordset></datastore>")
MAX_FORM_BYTES = 1 << 20


def query_key(query: str, body: bytes = b"") -> str:
    """A request's parameter set, as a `query_files` route keys it: the query string and the
    urlencoded form body, parsed, sorted and re-encoded."""
    pairs = parse_qsl(query, keep_blank_values=True)
    pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return urlencode(sorted(pairs))


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it, with the status it answered."""

    method: str
    path: str  # with the query string
    host: str
    status: int
    user_agent: str
    if_none_match: str | None
    if_modified_since: str | None
    at: float = 0.0  # time.time() when the request arrived (to check a crawler's politeness delay)


class _Routes:
    """routes.json, re-read whenever the builder rewrites it (mutations during a test)."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        self.stamp: tuple[float, int] | None = None
        self.data: dict[str, dict] = {}

    def get(self, path: str) -> dict:
        with self.lock:
            try:
                stat = self.path.stat()
                stamp = (stat.st_mtime, stat.st_size)
            except FileNotFoundError:
                stamp = None
            if stamp != self.stamp:
                self.data = json.loads(self.path.read_text(encoding="utf-8")) if stamp else {}
                self.stamp = stamp
            return self.data.get(path, {})


class ReplicaServer:
    """Serve a built replica: `with ReplicaServer(site_dir) as server: server.url("/xwzx/ghxw/")`.

    `delay` seconds are slept before every response (to model a slow site in benchmarks)."""

    def __init__(self, site_dir: Path | str, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0):
        self.site_dir = Path(site_dir)
        self.www = self.site_dir / "www"
        if not self.www.is_dir():
            raise FileNotFoundError(f"{self.site_dir} is not a built replica (no www/ folder)")
        self.delay = delay
        self.routes = _Routes(self.site_dir / "routes.json")
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._httpd = _HTTPServer((host, port), _handler_for(self))
        self._thread: threading.Thread | None = None
        bound_host, bound_port = self._httpd.server_address[:2]
        self.host, self.port = bound_host, bound_port
        self.origin = f"http://{bound_host}:{bound_port}"
        self.offsite = f"http://localhost:{bound_port}"

    def url(self, path: str) -> str:
        """The absolute URL of a site path on this server."""
        return self.origin + path

    def start(self) -> "ReplicaServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica-server", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C reaches the caller as KeyboardInterrupt)."""
        while self._thread and self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop accepting, and close kept-alive client connections so no handler outlives us."""
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._log_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of every request answered so far, in order."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._log_lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def record(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self._log.append(entry)

    def substitute(self, data: bytes) -> bytes:
        """Replace the ASCII origin tokens (safe in GBK bytes) with this server's origins."""
        return data.replace(ORIGIN.encode(), self.origin.encode()).replace(OFFSITE.encode(), self.offsite.encode())


class _HTTPServer(ThreadingHTTPServer):
    """A threading server with a listen backlog for a crawler's burst of connections
    (the default of 5 makes a 16-connection crawler wait for SYN retries)."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is no error worth a traceback; anything else still prints one."""
        if isinstance(sys.exc_info()[1], DROPPED_CLIENT):
            return
        super().handle_error(request, client_address)


def _handler_for(server: ReplicaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        replica = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the site files and routes (POST only for `query_files` routes);
    keeps connections alive."""

    replica: ReplicaServer
    protocol_version = "HTTP/1.1"
    server_version = "TRS-Replica/1.0"
    timeout = 30  # idle kept-alive connections are closed
    # Headers and body go out in two writes; with Nagle on, a kept-alive client waits for the
    # delayed ACK (~40 ms) on every response.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.replica.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.replica.track(self.connection, False)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def do_POST(self) -> None:  # noqa: N802
        """Only a `query_files` route answers POST (its form body joins the parameters)."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_FORM_BYTES)) if length > 0 else b""
        route = self.replica.routes.get(unquote(urlsplit(self.path).path))
        if "query_files" not in route:
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        self._answer(with_body=True, form=body)

    def log_message(self, format: str, *args: object) -> None:  # the request log replaces stderr noise
        pass

    def _answer(self, with_body: bool, form: bytes = b"") -> None:
        self.arrived = time.time()
        if self.replica.delay:
            time.sleep(self.replica.delay)
        path = unquote(urlsplit(self.path).path)
        route = self.replica.routes.get(path)
        if "status" in route and route["status"] in (301, 302):
            location = self.replica.substitute(route["location"].encode()).decode()
            self._send(route["status"], b"", "text/html", with_body, {"Location": location})
        elif route.get("status") == 500:
            self._send(500, SERVER_ERROR.encode(), "text/html; charset=utf-8", with_body)
        elif "query_files" in route:
            self._answer_query(route["query_files"], form, with_body)
        else:
            self._serve_file(path, route, with_body)

    def _serve_file(self, path: str, route: dict, with_body: bool) -> None:
        if not path.endswith("/") and (self.replica.www / path.lstrip("/")).is_dir():
            self._send(301, b"", "text/html", with_body, {"Location": self.replica.origin + path + "/"})
            return
        target = self._resolve(path)
        if target is None:
            self._send(404, NOT_FOUND.encode(), "text/html; charset=utf-8", with_body)
            return
        data = target.read_bytes()
        if target.suffix in TEXT_SUFFIXES:
            data = self.replica.substitute(data)
        etag = '"' + hashlib.md5(data).hexdigest() + '"'
        mtime = int(target.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        ctype = route.get("content_type") or CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        if self._not_modified(etag, mtime):
            self._send(304, b"", None, with_body, headers)
        else:
            self._send(200, data, ctype, with_body, headers)

    def _answer_query(self, files: dict[str, str], form: bytes, with_body: bool) -> None:
        """The file the request's parameters name, or an empty <datastore> for unknown ones."""
        answer = files.get(query_key(urlsplit(self.path).query, form))
        target = self._resolve(answer) if answer else None
        if target is None:
            self._send(200, EMPTY_DATASTORE.encode(), "text/xml;charset=UTF-8", with_body)
            return
        data = target.read_bytes()
        if target.suffix in TEXT_SUFFIXES or target.suffix == ".xml":
            data = self.replica.substitute(data)
        ctype = "text/xml;charset=UTF-8" if target.suffix == ".xml" else CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        self._send(200, data, ctype, with_body)

    def _resolve(self, path: str) -> Path | None:
        """The file for a URL path (directories serve index.html), never outside www/."""
        www = self.replica.www.resolve()
        target = (www / path.lstrip("/")).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if not target.is_relative_to(www) or not target.is_file():
            return None
        return target

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110: If-None-Match wins; If-Modified-Since only when it is absent."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            return match.strip() == "*" or etag in [tag.strip() for tag in match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return mtime <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, ctype: str | None, with_body: bool, headers: dict | None = None) -> None:
        # Logged before answering, so a client that has its response sees it in the log.
        self.replica.record(LoggedRequest(
            method=self.command, path=self.path, host=self.headers.get("Host", ""), status=status,
            user_agent=self.headers.get("User-Agent", ""), if_none_match=self.headers.get("If-None-Match"),
            if_modified_since=self.headers.get("If-Modified-Since"), at=self.arrived,
        ))
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if ctype:
            self.send_header("Content-Type", ctype)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)
