"""The walk of list pages runs ahead of the articles: a crawl of several columns never waits
for a list page queued behind hundreds of article requests (bench/crawl.py measured a 20 s
stall of one column's walk, with the downloader half idle)."""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import sites
from crawler.spiders.columns import ColumnsSpider
from replica import ReplicaServer, build_site


def spider_on(origin: str, db: Path) -> ColumnsSpider:
    """The columns spider of a --full crawl of two columns, as Scrapy would build it."""
    columns = [origin + "/xwzx/ghxw/", origin + "/xwzx/tzgg/"]
    crawler = get_crawler(ColumnsSpider, {"UNIONNEWS_PROFILE": "scszjggh", "UNIONNEWS_DB": str(db)})
    spider = ColumnsSpider.from_crawler(crawler, start_url=",".join(columns), full=True)
    spider.profiles = sites.profiles_by_host(spider.sites, "scszjggh")
    return spider


def test_next_list_page_is_queued_first_and_ahead_of_every_article(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(30, 25, 25))
    with ReplicaServer(site.root) as server:
        spider = spider_on(server.origin, tmp_path / "archive.db")
        url = server.origin + "/xwzx/ghxw/"
        body = urllib.request.urlopen(url).read()
    response = HtmlResponse(url, body=body, request=scrapy.Request(url))
    out = [r for r in spider.parse_list(response, column=url, page=0) if isinstance(r, scrapy.Request)]
    first, articles = out[0], out[1:]
    assert first.callback == spider.parse_list and first.cb_kwargs == {"column": url, "page": 1}
    assert len(articles) >= 10 and all(r.callback == spider.parse_article for r in articles)
    assert all(first.priority > r.priority for r in articles)


def test_start_requests_share_the_list_pages_priority(tmp_path: Path) -> None:
    spider = spider_on("http://127.0.0.1:9", tmp_path / "archive.db")

    async def collect() -> list[scrapy.Request]:
        return [r async for r in spider.start()]

    starts = asyncio.run(collect())
    assert len(starts) == 2 and {r.priority for r in starts} == {1}
