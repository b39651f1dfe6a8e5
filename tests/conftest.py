"""Fixtures the whole suite shares (pytest finds them here for every folder below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.crawl import run_crawl
from replica import ReplicaServer, build_site


@pytest.fixture(scope="session")
def replica_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The replica crawled into an archive (search index built by the crawl's own writes)."""
    root = tmp_path_factory.mktemp("search_archive")
    site = build_site(root / "site")
    with ReplicaServer(site.root) as server:
        urls = site.start_urls(server.origin)
        run_crawl(urls, root / "archive.db", delay=0, sites=dict.fromkeys(urls, "scszjggh"))
    return root / "archive.db"
