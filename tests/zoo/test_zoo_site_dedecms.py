"""The DedeCMS zoo site's own ways: the pagelist pager, 基层动态's header without a charset.

No parser is involved: the pages are walked with lxml the way a browser user would click
through the pagelist pager and the list items. What every family's site does is checked in
test_zoo_sites.py.
"""

from __future__ import annotations

from zoo_browser import fetch, walk_lists

FAMILY = "dedecms"


def test_walk_from_start_pages_reaches_every_article_and_page(zoo):
    walked = walk_lists(zoo, is_list=lambda doc: doc.xpath("//div[@class='listbox']"),
                        list_pager="//ul[@class='pagelist']//a/@href", list_items="//ul[@class='e2']/li/a/@href",
                        article_pager="//ul[@class='pagelist']//a/@href")
    assert zoo.wanted() <= walked.reached
    assert walked.files == set(zoo.truth["files"])
    assert walked.list_pages >= 2 * len(zoo.truth["start_paths"])


def test_jcdt_names_no_charset_in_its_header_the_other_columns_name_gb2312(zoo):
    assert fetch(zoo.origin + "/a/jcdt/", follow=True).headers["Content-Type"] == "text/html"
    assert fetch(zoo.origin + "/a/ghyw/", follow=True).headers.get_content_charset() == "gb2312"
