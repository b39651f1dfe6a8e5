"""Hostile servers: the crawl ends in bounded time and memory, records every bad case in
`failures` with a clear reason, and archives every good article, whatever the server does."""

from __future__ import annotations

import pytest

from hostile_support import SETTINGS, failures_by_url, query
from replica.hostile import CALENDAR_COLUMN, ENDLESS_COLUMN, FLOOD_COLUMN, FLOOD_LINKS


def test_every_good_article_is_archived_with_its_title(hostile_archive) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    stored = dict(query(db, "select url, title from articles"))
    assert stored == site.good  # no good article missing, nothing else taken for one
    assert hostile_archive.first["new"] == len(site.good)
    assert hostile_archive.first["exit"] == 0 and hostile_archive.first["errors"] == []


@pytest.mark.parametrize("path, why", [
    ("/bad/oversize.html", "larger than download max size"),
    ("/bad/oversize-unannounced.html", "larger than download max size"),
    ("/bad/gzip-bomb.html", "exceeded DOWNLOAD_MAXSIZE"),
    ("/bad/hang.html", "took longer than 2.0 seconds"),
    ("/bad/trickle.html", "took longer than 2.0 seconds"),
    ("/bad/loop-a.html", "redirect loop: "),
    ("/bad/offhost.html", "redirected off the site: "),
    ("/bad/cut.html", "the connection closed before the whole response arrived"),
    ("/bad/empty.html", "parse: NotAnArticle: empty page"),
    ("/bad/binary.html", "parse: NotAnArticle: binary content"),
    ("/bad/image-as-html.html", "parse: NotAnArticle: binary content"),
])
def test_each_hostile_response_is_a_failure_with_a_clear_reason(hostile_archive, path: str, why: str) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    reasons = failures_by_url(db).get(site.url(path), [])
    assert reasons and all(why in reason for reason in reasons), reasons
    assert site.url(path) not in dict(query(db, "select url, title from articles"))


def test_the_cases_above_are_all_the_hostile_site_has(hostile_archive) -> None:
    tested = {p for p, _ in test_each_hostile_response_is_a_failure_with_a_clear_reason.pytestmark[0].args[1]}
    site = hostile_archive.site
    assert {url.removeprefix(site.origin) for url in site.bad} == tested


def test_a_redirect_off_the_site_is_never_followed(hostile_archive) -> None:
    hosts = {r.host.split(":")[0] for r in hostile_archive.site.requests}
    assert hosts == {"127.0.0.1"}


def test_a_redirect_loop_is_asked_for_once_per_hop(hostile_archive) -> None:
    paths = [r.path for r in hostile_archive.site.requests if r.path.startswith("/bad/loop-")]
    # two runs, each: a -> b -> (a again: recognised as the loop, not requested)
    assert paths == ["/bad/loop-a.html", "/bad/loop-b.html"] * 2


def test_an_endless_pager_is_walked_up_to_the_bound_and_recorded(hostile_archive) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    pages = {r.path for r in site.requests if r.path.startswith(ENDLESS_COLUMN + "index")}
    assert len(pages) == SETTINGS["UNIONNEWS_MAX_LIST_PAGES"] - 1  # the column URL is page 1
    last = site.url(f"{ENDLESS_COLUMN}index_{SETTINGS['UNIONNEWS_MAX_LIST_PAGES'] - 1}.html")
    assert failures_by_url(db)[last] == [
        f"walk: pagination trap: stopped walking {site.url(ENDLESS_COLUMN)} after "
        f"{SETTINGS['UNIONNEWS_MAX_LIST_PAGES']} list pages (UNIONNEWS_MAX_LIST_PAGES)"]


def test_a_calendar_that_repeats_its_links_stops_at_the_first_repeat(hostile_archive) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    months = {r.path for r in site.requests if r.path.startswith(CALENDAR_COLUMN)}
    assert months == {CALENDAR_COLUMN, f"{CALENDAR_COLUMN}?month=2023-02"}  # never March
    reasons = failures_by_url(db)[site.url(f"{CALENDAR_COLUMN}?month=2023-02")]
    assert len(reasons) == 1 and reasons[0].startswith("walk: pagination trap: list page 2 of ")


def test_ten_thousand_links_on_one_page_are_cut_to_the_bound_and_recorded(hostile_archive) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    limit = SETTINGS["UNIONNEWS_MAX_LINKS_PER_PAGE"]
    items = [r.path for r in site.requests if r.path.startswith(FLOOD_COLUMN + "item/")]
    assert sorted(items) == sorted(f"{FLOOD_COLUMN}item/{i}.html" for i in range(limit))
    assert failures_by_url(db)[site.url(FLOOD_COLUMN)] == [
        f"walk: link flood: the list page links {FLOOD_LINKS} articles; followed the first {limit} "
        "(UNIONNEWS_MAX_LINKS_PER_PAGE)"]


def test_the_crawl_ends_in_bounded_time_and_memory(hostile_archive) -> None:
    assert hostile_archive.baseline["exit"] == 0
    for run in (hostile_archive.first, hostile_archive.second):
        # Bounds, not speed goals: hang and trickle cost 2 x 2 s each; the traps are cut short.
        assert run["seconds"] < 60, run
        # the bomb inflates to 512 MiB and the endless stream sends as much: neither is held
        assert run["maxrss_mb"] < hostile_archive.baseline["maxrss_mb"] + 200, run


def test_the_archive_is_sound_after_the_hostile_crawl(hostile_archive) -> None:
    db = hostile_archive.db
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select status from crawl_runs order by id") == [("finished",), ("finished",)]
    assert query(db, "select count(*) from articles where id not in (select article_id from pages)") == [(0,)]
