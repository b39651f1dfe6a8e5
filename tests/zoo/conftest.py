"""The `zoo` fixture: one family's zoo site built once per test module and served while it runs.

A family's own test module names it (FAMILY = "dedecms"); test_zoo_sites.py parametrizes it over
every family (indirect, module scope, so each site is still built once).
"""

from __future__ import annotations

import importlib
import time

import pytest

from replica import ReplicaServer
from replica.zoo import build_zoo_site
from zoo_browser import Zoo


@pytest.fixture(scope="module")
def zoo(request, tmp_path_factory):
    family = getattr(request, "param", None) or request.module.FAMILY
    importlib.import_module(f"replica.zoo.{family}")  # the build's time, not the import's
    started = time.perf_counter()
    site = build_zoo_site(family, tmp_path_factory.mktemp(family))
    seconds = time.perf_counter() - started
    with ReplicaServer(site.root) as server:
        yield Zoo(family, site, server, site.truth(server.origin, server.offsite), seconds)
