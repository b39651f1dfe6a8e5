"""The replica's server on stderr: a client that hangs up (a crawl shutting down or killed) is
no error worth a traceback; a real error in the server still shows one."""

from __future__ import annotations

import json
import socket
import struct
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from replica import ReplicaServer, build_site


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def hang_up_mid_request(server: ReplicaServer, path: str) -> None:
    """Ask for a page, then reset the connection before the (delayed) answer is written."""
    client = socket.create_connection((server.host, server.port))
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
    wait_for(lambda: any(r.path == path for r in server.requests))  # the server is answering
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
    client.close()


def test_a_dropped_client_is_quiet_and_a_real_error_is_not(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(8, 8, 8))
    routes = site.root / "routes.json"
    broken = {**json.loads(routes.read_text(encoding="utf-8")), "/broken.html": {"status": 301}}
    routes.write_text(json.dumps(broken), encoding="utf-8")  # a redirect with no location: a bug
    with ReplicaServer(site.root, delay=0.3) as server:  # answers come after the client has gone
        for _ in range(3):
            hang_up_mid_request(server, "/xwzx/ghxw/")
            wait_for(lambda: not server._connections)
            server.clear_requests()
        server.delay = 0
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(server.url("/broken.html"), timeout=5)
        err: list[str] = []
        wait_for(lambda: err.append(capfd.readouterr().err) or "KeyError" in "".join(err))
    err = "".join(err)
    assert "ConnectionResetError" not in err and "BrokenPipeError" not in err, err
    assert err.count("Traceback") == 1 and "KeyError: 'location'" in err, err
