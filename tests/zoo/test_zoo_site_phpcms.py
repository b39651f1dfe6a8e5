"""The PHPCMS zoo site's own ways: the div#pages pager over static and index.php dynamic lists,
基层动态's header without a charset, the dynamic twin of a static article.

No parser is involved: the pages are walked with lxml the way a browser user would click
through the div#pages pager (static and index.php dynamic lists) and the list items. What every
family's site does is checked in test_zoo_sites.py.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from zoo_browser import fetch, walk_lists

FAMILY = "phpcms"


def test_walk_from_start_pages_reaches_every_article_and_page(zoo):
    def reached_as(final, doc):
        path, query = urlsplit(final).path, urlsplit(final).query
        yield zoo.origin + path + ("?" + query if path == "/index.php" else "")
        yield from doc.xpath("//link[@rel='canonical']/@href")  # the same article's own URL

    walked = walk_lists(zoo, is_list=lambda doc: not doc.xpath("//div[@id='Article']"),
                        list_pager="//div[@id='pages']/a/@href",
                        list_items="//div[@class='col-left']/ul[contains(@class, 'list')]/li/a/@href",
                        article_pager="//div[@id='pages']/a/@href", reached_as=reached_as)
    assert zoo.wanted() <= walked.reached
    assert walked.files == set(zoo.truth["files"])
    assert walked.list_pages >= 2 * len(zoo.truth["start_paths"])


def test_jcdt_names_no_charset_in_its_header_ghyw_names_gbk(zoo):
    assert fetch(zoo.origin + "/html/jcdt/", follow=True).headers["Content-Type"] == "text/html"
    assert fetch(zoo.origin + "/html/ghyw/", follow=True).headers.get_content_charset() == "gbk"


def test_the_dynamic_column_answers_by_query(zoo):
    first = fetch(zoo.origin + "/index.php?m=content&c=index&a=lists&catid=12", follow=True).body
    second = fetch(zoo.origin + "/index.php?m=content&c=index&a=lists&catid=12&page=2", follow=True).body
    assert first != second and b"<ul class=\"list lh24 f14\">" in second


def test_the_dynamic_twin_of_a_static_article_names_its_canonical_page(zoo):
    twin = [k for k in json.loads(zoo.routes)["/index.php"]["query_files"] if "catid=10" in k]
    assert len(twin) == 1
    body = fetch(zoo.origin + "/index.php?" + twin[0], follow=True).body.decode("ascii")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', body).group(1)
    assert canonical in [e["url"] for e in zoo.truth["articles"].values()]
