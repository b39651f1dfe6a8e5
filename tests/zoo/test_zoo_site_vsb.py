"""The 博达 VSB zoo site's own ways: its pager is what reaches the lists' further pages.

Walked as a browser does, following every href, select option and location script from the
column lists. What every family's site does is checked in test_zoo_sites.py."""

from __future__ import annotations

from zoo_browser import bare, browse

FAMILY = "vsb"


def test_articles_are_reachable_from_the_column_lists_through_the_pager(zoo):
    walk = browse(zoo)
    assert zoo.wanted() <= walk.pages, sorted(zoo.wanted() - walk.pages)
    assert walk.redirected >= 1
    # the pagers reach the further list pages, numbered down to 1.htm
    further = ("/xwzx/ghyw/2.htm", "/xwzx/ghyw/1.htm", "/xwzx/jcdt/1.htm", "/tzgg/1.htm")
    assert {zoo.origin + p for p in further} <= walk.pages
    # nothing a polite browser must not request was requested
    assert not walk.asked & {bare(u) for u in zoo.truth["not_followed"]}
