"""The EmpireCMS zoo site's own ways: the index_N.html pager, 基层动态's header without a
charset, the DownSys script.

No parser is involved: the pages are walked with lxml the way a browser user would click
through the index_N.html pager (table.list_page or div.epages), the list items and the
p.pageLink pager of a multi-page article. What every family's site does is checked in
test_zoo_sites.py.
"""

from __future__ import annotations

from zoo_browser import fetch, walk_lists

FAMILY = "empirecms"


def test_walk_from_start_pages_reaches_every_article_and_page(zoo):
    walked = walk_lists(zoo, is_list=lambda doc: doc.xpath("//ul[@class='news_list']"),
                        list_pager="//*[@class='list_page' or @class='epages']//a/@href",
                        list_items="//ul[@class='news_list']/li/a/@href",
                        article_pager="//p[@class='pageLink']/a/@href")
    assert zoo.wanted() <= walked.reached
    assert walked.files == set(zoo.truth["files"])
    assert walked.list_pages >= 2 * len(zoo.truth["start_paths"])


def test_jcdt_names_no_charset_in_its_header_the_other_columns_name_gb2312(zoo):
    assert fetch(zoo.origin + "/news/jcdt/", follow=True).headers["Content-Type"] == "text/html"
    assert fetch(zoo.origin + "/news/ghyw/", follow=True).headers.get_content_charset() == "gb2312"


def test_the_downsys_script_answers_the_attachment_its_query_names(zoo):
    down = [a for e in zoo.truth["articles"].values() for a in e["record"]["attachments"] if "DownSoft" in a]
    assert len(down) == 1 and fetch(down[0], follow=True).body.startswith(b"%PDF")
