"""The WordPress zoo site's own ways: its pager is what reaches the lists' further pages.

Walked as a browser does, following every href, select option and location script from the
column lists. What every family's site does is checked in test_zoo_sites.py."""

from __future__ import annotations

from zoo_browser import bare, browse

FAMILY = "wordpress"


def test_articles_are_reachable_from_the_column_lists_through_the_pager(zoo):
    walk = browse(zoo)
    assert zoo.wanted() <= walk.pages, sorted(zoo.wanted() - walk.pages)
    assert walk.redirected >= 1
    # the pager is what reaches the lists' further pages
    assert {zoo.origin + f"/category/{c}/page/2/" for c in ("ghyw", "jcdt", "tzgg")} <= walk.pages
    # nothing a polite browser must not request was requested
    assert not walk.asked & {bare(u) for u in zoo.truth["not_followed"]}


def test_some_article_runs_over_several_pages(zoo):
    assert any(entry["pages"] for entry in zoo.truth["articles"].values())
