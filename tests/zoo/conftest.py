"""The `zoo` fixture: one family's zoo site, built once per session and served while the session runs.

A family's own test module names it (FAMILY = "dedecms"); test_zoo_sites.py parametrizes it over
every family (indirect, module scope). Both get the same site and server: a test that reads the
server's request log reads only the requests made since it began (zoo_browser.browse does).
"""

from __future__ import annotations

import importlib
import threading
import time

import pytest

from replica import ReplicaServer
from replica.zoo import build_zoo_site
from zoo_browser import Zoo


@pytest.fixture(scope="session")
def zoo_sites(tmp_path_factory):
    """family -> its served Zoo, built on first use; every server stopped at once at the end (each
    stop waits out serve_forever's half-second poll)."""
    served: dict[str, Zoo] = {}

    def serve(family: str) -> Zoo:
        if family not in served:
            importlib.import_module(f"replica.zoo.{family}")  # the build's time, not the import's
            started = time.perf_counter()
            site = build_zoo_site(family, tmp_path_factory.mktemp(family))
            seconds = time.perf_counter() - started
            server = ReplicaServer(site.root).start()
            served[family] = Zoo(family, site, server, site.truth(server.origin, server.offsite), seconds)
        return served[family]

    yield serve
    stops = [threading.Thread(target=zoo.server.stop) for zoo in served.values()]
    for stop in stops:
        stop.start()
    for stop in stops:
        stop.join()


@pytest.fixture(scope="module")
def zoo(request, zoo_sites):
    return zoo_sites(getattr(request, "param", None) or request.module.FAMILY)
