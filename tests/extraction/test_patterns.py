"""Shortcuts that must find exactly what they stand for: patterns searched only in texts that
hold one of their hints (crawler.patterns.HintedPattern) against their bare regex, one sample
line per alternative and lines that hold a hint but are no match; profile selectors matched by a
tag walk (crawler.profiles.css_matcher) against their XPath."""

from __future__ import annotations

import re

import pytest

from crawler.layout import parse_tree
from crawler.pagination import _PAGE_MARK_SHAPE
from crawler.patterns import CAPTION_LINE, CHROME_LINE, FILE_HINT
from crawler.profiles import css_matcher, css_matcher_within, css_xpath, css_xpath_within

LINES = [
    # captions, one per alternative
    "新华社记者 才扬 摄", "（摄影：李尕）", "图为活动现场 供图 华龙网", "图片来源：网络", "图源：视觉中国",
    "视觉中国 资料", "资料图", "东方IC", "图：工人们在车间", "摄影 王五",
    # chrome lines, one per alternative
    "地址：成都市人民南路", "电话:028-1234", "邮编：610000", "传真：1", "邮箱：a@b.cn", "主办：市总工会",
    "承办：信息中心", "协办：某单位", "技术支持：某公司", "网站标识码：5100000001", "网站地图：",
    "Powered by TRS", "POWERED BY wordpress", "设为首页", "加入收藏", "欢迎访问四川省总工会", "欢迎光临",
    "上一页", "下一页", "尾页", "页次：1/3", "共 12 页", "共3篇", "共 120 条记录",
    # file links, hrefs and texts
    "/upload/P020230118.PDF", "a.docx?id=1", "附件1：名单.xls】", "2023年计划.Rar", "/DownFile.jsp?id=3",
    "/common/ATTACH/1.html", "getFile.do?x", "下载 .7z)", "report.txt#p2",
    # holding a hint, matching nothing
    "全市职工参加了图书节活动，共同阅读。", "会议指出：要扎实推进工作。", "这是 一行 文字", "/a/b.html", "Gd.A",
    # holding no hint
    "四季轮回,川流不息;工人阶级,勇立潮头。", "",
]


@pytest.mark.parametrize("pattern", [CAPTION_LINE, CHROME_LINE, FILE_HINT], ids=["caption", "chrome", "file"])
@pytest.mark.parametrize("line", LINES)
def test_hinted_pattern_finds_what_its_regex_finds(pattern, line: str) -> None:
    found, bare = pattern.search(line), pattern.pattern.search(line)
    assert (found and found.span()) == (bare and bare.span())


def test_every_sample_line_is_matched_by_one_pattern() -> None:
    matched = [line for line in LINES if CAPTION_LINE.search(line) or CHROME_LINE.search(line) or FILE_HINT.search(line)]
    assert matched == LINES[:43]


# ---------------------------------------------------------------- profile selectors

SELECTOR_PAGE = (
    '<html><body><div class="article" id="a1"><h1 class="title">甲</h1><div id="zoom">正文</div>'
    '<div class="info\tarticle-info">来源</div></div><div class=" x\narticle  y ">乙</div>'
    '<div class="articles">丙</div><div class="Article">丁</div><span class="article">戊</span>'
    '<div class="article editor" id="zoom">己</div></body></html>')


@pytest.mark.parametrize("css", ["div.article", "div#zoom", "h1", ".article", "div.article.editor",
                                 "div.article#zoom", "#zoom", ".title", "div.info", "div.article-info",
                                 "div.article h1", "div.nothing", "div.article > h1"])
def test_selector_matcher_finds_what_the_xpath_finds(css: str) -> None:
    root = parse_tree(SELECTOR_PAGE)
    body = root.find("body")
    for el in (root, body, body[0]):
        assert css_matcher(css)(el) == css_xpath(css)(el)
        assert css_matcher_within(css)(el) == css_xpath_within(css)(el)


@pytest.mark.parametrize(("href", "marked"), [
    ("t20230118_1001_2.html", True), ("/a/123-3.htm?x=1", True), ("post/2/", True), ("/news/12", True),
    ("index.php?id=5&page=3", True), ("?page=2#top", True), ("/a/2023/x.html", False), ("t_1234.html", False),
    ("page=2", False), ("/a/_2.html", True), ("-2.", False), ("/1234/", False), ("x/12/y", False), ("", False)])
def test_further_page_link_shape(href: str, marked: bool) -> None:
    """The shape is written for sre's fast skip (one class first, lookbehinds per branch): it
    must mark what the plain alternatives _2.html, -2.htm, /2/, ?page=2 mark."""
    plain = re.compile(r"(?:[_-]\d{1,3}\.[A-Za-z]+|/\d{1,3}/?|[?&]page=\d+)(?:[?#&]|$)")
    assert bool(_PAGE_MARK_SHAPE.search(href)) is marked is bool(plain.search(href))
