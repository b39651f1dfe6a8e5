"""The hostile archive: the hostile site crawled once per test session, then revised and crawled
again (--full on its news column) so the scripted articles also have revisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hostile_support import crawl
from replica.hostile import CALENDAR_COLUMN, NEWS_COLUMN, SCRIPTED, HostileServer, PAYLOAD_JS


@dataclass
class HostileArchive:
    """The crawled hostile site: the server (still running), the archive, both runs' summaries."""

    site: HostileServer
    db: Path
    first: dict[str, Any]
    second: dict[str, Any]
    baseline: dict[str, Any]  # a crawl of two harmless list pages: the crawler's own footprint


#: The paragraph each scripted article gains before the second crawl (so revisions exist).
REVISION_PARAGRAPH = (f'修订后补充的段落。<script>{PAYLOAD_JS}</script>'
                      f'<img src="/x.png" onerror="{PAYLOAD_JS}">&lt;script&gt;alert("修订")&lt;/script&gt;')


@pytest.fixture(scope="session")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    with HostileServer() as site:
        first = crawl(site.start_urls, db)
        for path, *_ in SCRIPTED:
            site.edit(path, REVISION_PARAGRAPH)
        second = crawl([site.url(NEWS_COLUMN)], db, full=True)
        baseline = crawl([site.url(CALENDAR_COLUMN)], db.with_name("baseline.db"))
        yield HostileArchive(site, db, first, second, baseline)
