"""Parser fuzzing: whatever a server sends, parse_article returns a record or raises its one
documented refusal, NotAnArticle, and returns quickly. (tests/extraction/test_parse_robustness.py covers
random bytes and tag soup; these go after depth, size, backtracking and damaged real pages.
bench/fuzz_parse.py runs a coverage-guided atheris fuzz of the same contract by hand.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.parse import NotAnArticle, parse_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
REAL = [(PAGES / name / "body.html").read_bytes() for name in ("seed_ghxw_utf8", "replica_gbk_gb2312_header")]
URL = "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html"
#: Far above a real page's parse (about 12 ms): a page that took this long would be a hang.
SECONDS_PER_PAGE = 3.0
#: Text the parser's patterns look for, repeated into inputs that would make a careless
#: regular expression backtrack for ever.
LURES = ["来源：", "来源:", "发布时间：", "2023-01-18 ", "2023年1月18日", "责任编辑：", "记者 ", "作者：",
         "当前位置：", " > ", "附件：", "（", "）", "&nbsp;", "　", "<p>", "<br>", "<", "-", "1", ":"]


def parse_or_refuse(page: bytes | str) -> None:
    began = time.monotonic()
    try:
        record = parse_article(page, URL)
    except NotAnArticle as refused:
        assert refused.reason
    else:
        assert record["title"] and record["body"]
        assert isinstance(record["images"], list) and isinstance(record["attachments"], list)
    assert time.monotonic() - began < SECONDS_PER_PAGE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REAL), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 400), st.binary(max_size=40)),
                                         min_size=1, max_size=12))
def test_real_pages_damaged_anywhere(page: bytes, edits: list[tuple[float, int, bytes]]) -> None:
    """Cut, splice and overwrite bytes of real article pages (UTF-8 and GBK)."""
    for where, cut, insert in edits:
        at = int(where * len(page))
        page = page[:at] + insert + page[at + cut:]
    parse_or_refuse(page)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LURES), min_size=1, max_size=6), st.integers(100, 6000))
def test_pattern_lures_repeated_thousands_of_times(lures: list[str], times: int) -> None:
    """Meta-line, date and credit patterns fed long runs of what they match."""
    run = "".join(lures) * (times // len(lures))
    page = f"<html><body><div class='article'><h1>标题{run[:200]}</h1><div class='info'>{run}</div>" \
           f"<div id='zoom'><p>{run}</p><p>职工之家建设取得新成效。{run}</p></div></div></body></html>"
    parse_or_refuse(page.encode("utf-8"))
    parse_or_refuse(page.encode("gb18030"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 20000), st.sampled_from(["div", "p", "span", "table", "font", "b"]))
def test_deep_nesting(depth: int, tag: str) -> None:
    body = f"<{tag}>" * depth + "省直机关工会召开职工之家建设推进会，各单位工会负责同志参加会议。" * 3 + f"</{tag}>" * (depth // 2)
    parse_or_refuse(f"<html><head><title>推进会</title></head><body>{body}</body></html>".encode())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(10_000, 2_000_000), st.sampled_from(["text", "attribute", "comment", "entity"]))
def test_huge_single_items(size: int, kind: str) -> None:
    """One enormous text run, attribute, comment or entity stream (up to 2 MB)."""
    filler = {"text": "工" * size, "attribute": f"<p title='{'x' * size}'>正文</p>",
              "comment": f"<!--{'-' * size}-->", "entity": "&#24037;" * (size // 7)}[kind]
    parse_or_refuse(f"<html><body><h1>职工书屋</h1><div id='zoom'><p>{filler}</p></div></body></html>".encode())


@pytest.mark.parametrize("href", ["http://[evil/a.pdf", "//[::1/a.pdf", "http://a\uff0fb/a.pdf",
                                  "http://x:99999/a.pdf", "JaVaScRiPt:alert(1)//a.pdf", " DATA:text/html,a.pdf"])
def test_a_malformed_link_costs_the_article_nothing(href: str) -> None:
    """Found by bench/fuzz_parse.py: one link urllib cannot take apart made the parser raise
    ValueError, and the whole article was lost. The link is dropped; the article and its good
    links are kept."""
    page = (f'<html><head><base href="{href}"></head><body><div class="article"><h1>职工之家示范点名单公布</h1>'
            '<div id="zoom"><p>省直机关工会公布职工之家示范点名单，各单位工会要认真组织学习，抓好落实。</p>'
            f'<p>附件：<a href="{href}">名单.pdf</a> <a href="./b.pdf">名单2.pdf</a></p><p><img src="{href}.jpg"></p>'
            '</div></div></body></html>')
    record = parse_article(page.encode(), URL)
    assert record["title"] == "职工之家示范点名单公布"
    assert record["attachments"] == [URL.rsplit("/", 1)[0] + "/b.pdf"] and record["images"] == []
