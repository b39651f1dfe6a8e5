"""Whatever bytes arrive, parse_article returns a record or raises NotAnArticle: never another
exception (a crawl records refusals; a traceback would lose the page)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parse import NotAnArticle, parse_article

URL = "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html"
TAGS = ["p", "div", "span", "h1", "h2", "a", "li", "ul", "br", "img", "script", "table", "td", "font"]
WORDS = ["来源：", "发布时间：", "2023-01-18 17:40", "2023年1月18日", "责任编辑：李明", "记者 张三", "当前位置：",
         "职工之家建设取得新成效。", "工会", " ", "&nbsp;", "<", "&", "\x00", "正文", ">", "附件：a.pdf"]


@st.composite
def html_soup(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="info"', ' id="zoom"', ' class="location"', ' style="display:none"',
                                      ' href="./a.pdf"', ' src="x.jpg"', ' class="article"']))
        parts.append(f"<{tag}{attrs}>{draw(st.sampled_from(WORDS))}{draw(st.text(max_size=8))}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


def _parse_or_refuse(page: bytes | str) -> None:
    try:
        record = parse_article(page, URL)
    except NotAnArticle as refused:
        assert refused.reason
        return
    assert record["title"] and record["body"]
    assert set(record) >= {"title", "published_at", "source", "author", "editor", "body", "column", "images",
                           "attachments", "canonical_url"}


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(page: bytes) -> None:
    _parse_or_refuse(page)


@settings(max_examples=150, deadline=None)
@given(html_soup(), st.sampled_from(["utf-8", "gb18030"]))
def test_tag_soup_in_either_encoding(soup: str, encoding: str) -> None:
    _parse_or_refuse(soup.encode(encoding, "replace"))
    _parse_or_refuse(soup)
