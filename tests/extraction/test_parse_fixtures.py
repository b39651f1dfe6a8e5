"""Stored pages: each tests/fixtures/pages/<name>/ holds the raw bytes as served (body.html, maybe
GBK), the URL it was served at (url.txt) and the whole expected record (expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.parse import parse_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
FIXTURES = sorted(p for p in PAGES.iterdir() if (p / "body.html").exists())


def _load(case: Path) -> tuple[bytes, str, str | None, dict]:
    url = (case / "url.txt").read_text(encoding="utf-8").strip()
    header = case / "charset.txt"
    charset = header.read_text(encoding="ascii").strip() or None if header.exists() else None
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return (case / "body.html").read_bytes(), url, charset, expected


@pytest.mark.parametrize("case", FIXTURES, ids=[p.name for p in FIXTURES])
def test_stored_page_gives_its_whole_record(case: Path) -> None:
    body, url, charset, expected = _load(case)
    record = parse_article(body, url, encoding=charset)
    # The record's other keys (misses, explain, pages) describe how it was read, not the article.
    assert {key: record.get(key) for key in expected} == expected


def test_seed_article_comes_out_exactly() -> None:
    body, url, _, _ = _load(PAGES / "seed_ghxw_utf8")
    record = parse_article(body, url)
    paragraphs = record["body"].split("\n")
    assert record["title"] == "凝聚起全面建设社会主义现代化四川的磅礴力量——2022年四川省直机关工会工作综述"
    assert record["published_at"] == "2023-01-18T17:40:03+08:00"
    assert record["source"] == "四川省直属机关工会委员会"
    assert record["column"] == "工会新闻"
    assert paragraphs[0] == "四季轮回,川流不息;工人阶级,勇立潮头。"
    assert paragraphs[-1].startswith("2023年,省直机关工会将继续深入学习贯彻党的二十大精神")
    assert paragraphs[-1].endswith("在以中国式现代化引领四川现代化建设新征程中建功立业!")
    assert len(paragraphs) == 26
    assert not any(p in record["body"] for p in ("浏览次数", "责任编辑", "分享到", "上一篇", "最新动态", "版权所有"))
