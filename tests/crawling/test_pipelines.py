"""The pipelines and the spider's list-page helpers, on inline pages (no network)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.items import Article
from crawler.middlewares import OriginOffsiteMiddleware
from crawler.profiles import load_profile
from crawler.spiders.columns import ColumnsSpider
from crawler.sites import split_start_urls
from crawler.spiders.listing import read_list_page
from pipelines.clean import CleanPipeline, clean_url
from pipelines.dedup import DedupPipeline, DuplicateArticle
from pipelines.validate import InvalidArticle, ValidatePipeline, problems

PROFILE = load_profile()


def page(url: str, html: str, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url, body=html.encode(encoding), encoding=encoding, request=Request(url))


def article(**fields) -> Article:
    base = dict(url="http://127.0.0.1:1/xwzx/ghxw/202301/t20230118_1001.html", title="标题",
                published_at="2023-01-18", body="正文")
    return Article(**{**base, **fields})


@pytest.mark.parametrize("url, expected", [
    ("http://h/a/t1.html", "http://h/a/t1.html"),
    ("http://h/a/t1.html#top", "http://h/a/t1.html"),
    ("http://h/a/t1.html?utm_source=wx&utm_medium=share", "http://h/a/t1.html"),
    ("http://h/a/t1.html?from=timeline&isappinstalled=0", "http://h/a/t1.html"),
    ("http://h/a/list.jsp?id=7&spm=a.b.c", "http://h/a/list.jsp?id=7"),
    ("http://h/a/list.jsp?page=2&id=7", "http://h/a/list.jsp?page=2&id=7"),
])
def test_clean_url_drops_fragments_and_tracking_parameters_only(url: str, expected: str) -> None:
    assert clean_url(url) == expected


def test_clean_pipeline_tidies_text_and_urls() -> None:
    item = CleanPipeline().process_item(article(
        url="http://h/a/t1.html?utm_source=x", title="  工会\u3000新闻\xa0标题 ",
        body="  第一段 \n\n\u3000\u3000第二段\n \n", source="  ", author=" 张三 ",
        images=["http://h/1.jpg", "http://h/1.jpg"]))
    assert (item.url, item.fetched_url) == ("http://h/a/t1.html", "http://h/a/t1.html")
    assert item.title == "工会 新闻 标题"
    assert item.body == "第一段\n第二段"
    assert (item.source, item.author) == (None, "张三")
    assert item.images == ["http://h/1.jpg"]


@pytest.mark.parametrize("fields, found", [
    ({}, []),
    ({"published_at": "2023-01-18T17:40:03+08:00"}, []),
    ({"published_at": None}, []),
    ({"title": ""}, ["no title"]),
    ({"body": ""}, ["no body"]),
    ({"published_at": "2023年1月18日"}, ["published_at '2023年1月18日' is not ISO 8601"]),
])
def test_validate_names_what_is_wrong(fields: dict, found: list[str]) -> None:
    assert problems(article(**fields)) == found


def test_validate_pipeline_rejects_an_article_without_body() -> None:
    with pytest.raises(InvalidArticle, match="no body"):
        ValidatePipeline().process_item(article(body=""))
    assert ValidatePipeline().process_item("not an article") == "not an article"


def test_dedup_keeps_the_first_article_per_canonical_url() -> None:
    dedup = DedupPipeline()
    first = article(fetched_url="http://h/a.html")
    assert dedup.process_item(first) is first
    with pytest.raises(DuplicateArticle):
        dedup.process_item(article(fetched_url="http://h/alias.html"))
    assert dedup.process_item(article(url="http://h/other.html")).url == "http://h/other.html"


LIST = """<html><body><ul class="list">
<li><a href="./202301/t20230118_1001.html" title="a">a</a><span>2023-01-18</span></li>
<li><a href="http://127.0.0.1:1/xwzx/ghxw/202301/t20230117_1000.html">b</a></li>
<li><a href="./202301/t20230118_1001.html?utm_source=x">a again</a></li>
<li><a href="javascript:void(0)">js</a></li>
</ul>{pager}</body></html>"""


def next_page(response, profile) -> str | None:
    found = read_list_page(response, profile).next_page
    return found.url if found else None


def test_article_links_are_absolute_clean_and_unique() -> None:
    response = page("http://127.0.0.1:1/xwzx/ghxw/index_2.html", LIST.format(pager=""))
    assert read_list_page(response, PROFILE).articles == [
        "http://127.0.0.1:1/xwzx/ghxw/202301/t20230118_1001.html",
        "http://127.0.0.1:1/xwzx/ghxw/202301/t20230117_1000.html",
    ]


@pytest.mark.parametrize("url, pager, expected", [
    ("http://h/c/index_2.html", '<div class="page"><a href="index.html">首页</a> <a href="index_1.html">'
     '上一页</a> <a href="index_3.html">下一页</a> <a href="index_9.html">尾页</a></div>',
     "http://h/c/index_3.html"),
    ("http://h/c/", '<div class="page"><a href="index_1.html"> 下一页 </a></div>', "http://h/c/index_1.html"),
    ("http://h/c/index_9.html", '<div class="page"><a href="index_8.html">上一页</a></div>', None),
    ("http://h/c/index_9.html", '<div class="page"><a href="index_9.html">下一页</a></div>', None),
    ("http://h/c/", '<div class="page"><script>createPageHTML(9, 0, "index", "html");</script></div>',
     "http://h/c/index_1.html"),
    ("http://h/c/index_2.html", "<script>createPageHTML(9, 2, 'index', 'shtml');</script>",
     "http://h/c/index_3.shtml"),
    ("http://h/c/index_8.html", '<script>createPageHTML(9, 8, "index", "html");</script>', None),
])
def test_next_page_follows_both_pagers(url: str, pager: str, expected: str | None) -> None:
    assert next_page(page(url, LIST.format(pager=pager)), PROFILE) == expected


def test_next_page_reads_a_gbk_list_page() -> None:
    html = LIST.format(pager='<a href="index_1.html">下一页</a>').replace("<html>", '<html><head><meta '
                       'http-equiv="Content-Type" content="text/html; charset=gb2312"></head>')
    response = HtmlResponse("http://h/c/", body=html.encode("gbk"), request=Request("http://h/c/"))
    assert next_page(response, PROFILE) == "http://h/c/index_1.html"


def test_start_urls_are_split_and_checked() -> None:
    assert split_start_urls("http://h/a/, http://h/b/ http://h/a/") == ["http://h/a/", "http://h/b/"]
    with pytest.raises(ValueError, match="not an http"):
        split_start_urls("h/a/")


def test_offsite_filter_holds_the_crawl_to_host_and_port() -> None:
    spider = ColumnsSpider(start_url="http://127.0.0.1:8000/xwzx/ghxw/")
    middleware = OriginOffsiteMiddleware.__new__(OriginOffsiteMiddleware)
    follows = {url: middleware.should_follow(Request(url), spider) for url in (
        "http://127.0.0.1:8000/xwzx/a.html", "http://127.0.0.1:9000/xwzx/a.html",
        "http://localhost:8000/xwzx/a.html")}
    assert follows == {"http://127.0.0.1:8000/xwzx/a.html": True,
                       "http://127.0.0.1:9000/xwzx/a.html": False,
                       "http://localhost:8000/xwzx/a.html": False}


def test_items_cross_redis_whole_with_their_further_pages_files_and_listed_files() -> None:
    """A distributed crawler's items reach the writer as they left: multi-page bytes included."""
    from crawler.items import ListedFile
    from pipelines.redis_items import dumps_item, loads_item

    item = article(parts=[{"url": "http://h/a_2.html", "raw": b"\xd6\xd0", "status": 200, "headers": {},
                           "fetched_at": "t", "final_url": "http://h/a_2.html", "warc": {}}],
                   files_stored=[{"url": "http://h/f.pdf", "sha256": "ab"}], files_failed=[("http://h/g.doc", "HTTP 404")])
    assert loads_item(dumps_item(item)) == item
    listed = ListedFile("http://h/list/", ["http://h/n.pdf"], ["通知"])
    assert loads_item(dumps_item(listed)) == listed
