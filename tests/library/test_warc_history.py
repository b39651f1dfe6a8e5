"""An article's history in Datasette: both versions, when each was seen, a readable diff."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from archive.crawl import run_crawl
from archive.history import body_diff
from archive.serve import make_datasette
from replica import ReplicaServer, build_site


@pytest.mark.parametrize("old, new, expected", [
    ("甲\n乙\n丙", "甲\n乙\n丙", ""),
    ("甲\n乙", "甲\n乙\n丁", "+ 丁"),
    ("甲\n乙\n丙", "甲\n丙", "- 乙"),
    ("活动于3月举行。", "活动于4月举行。", "~ 活动于[-3-]{+4+}月举行。"),
    ("标题\n正文", "新标题\n正文", "~ {+新+}标题"),
    (None, "甲", None),
])
def test_body_diff_names_only_what_changed(old, new, expected) -> None:
    assert body_diff(old, new) == expected


def query(db: Path, path: str) -> dict | str:
    """A page of the archive as `unionnews serve` publishes it (in-process): JSON or HTML."""

    async def get() -> dict | str:
        ds = make_datasette(db)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json() if ".json" in path else response.text

    return asyncio.run(get())


def test_datasette_shows_an_edited_articles_versions_with_the_diff(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(8, 6, 6))
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), db, delay=0)
        conn = sqlite3.connect(db)
        article_id, url, body = conn.execute(
            "select id, url, body from articles where url like '%/xwzx/ghxw/%' limit 1").fetchone()
        paragraphs = body.splitlines()
        edited = [paragraphs[0].replace("。", "（已更正）。", 1), *paragraphs[1:], "本文有更新。"]
        site.edit_article(url.removeprefix(server.origin), body_paragraphs=edited)
        run_crawl(site.start_urls(server.origin), db, delay=0, full=True)

    data = query(db, f"/archive/article_history.json?article_id={article_id}&_shape=objects")
    versions = data["rows"]
    assert [v["version"] for v in versions][-1] == "current" and len(versions) == 2
    old, new = versions
    assert old["changes_from_previous"] is None and old["replaced_or_withdrawn_at"]
    assert new["changes_from_previous"].splitlines() == [
        "~ " + paragraphs[0].replace("。", "{+（已更正）+}。", 1), "+ 本文有更新。"]
    assert old["warc_offset"] != new["warc_offset"] or old["warc_file"] != new["warc_file"]
    page = query(db, f"/archive/article_history?article_id={article_id}")
    assert "{+（已更正）+}" in page and "+ 本文有更新。" in page
