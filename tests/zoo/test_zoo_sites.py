"""What every zoo site must do, whatever its family, as a browser sees it: every truth article
page answers 200 with its title, every listed file is a PDF, broken links answer 404 and 500,
robots.txt keeps out the members' area, and the same seed builds the same bytes, fast.

What a family does its own way (its pager, its datastore proxy, its multi-page articles, its
charset labels, its moved paths) is checked in tests/zoo/test_zoo_site_<family>.py.
"""

from __future__ import annotations

import html

import pytest

from replica.zoo import FAMILIES, build_zoo_site
from zoo_browser import fetch, snapshot

pytestmark = pytest.mark.parametrize("zoo", FAMILIES, indirect=True, scope="module")

#: The members' area each family's robots.txt disallows.
ROBOTS_DISALLOW = {"trs": "/nbzl/", "hanweb": "/nbgk/", "dedecms": "/member/", "phpcms": "/html/nbzl/",
                   "empirecms": "/e/member/", "sitefactory": "/User/", "jeecms": "/member/", "vsb": "/nbtz/",
                   "wordpress": "/members/"}
#: Families whose pages may write a title as character references (PHPCMS's dynamic column).
NCR_TITLES = {"phpcms"}


def test_every_article_page_answers_with_its_title(zoo):
    assert 22 <= len(zoo.truth["articles"]) <= 30
    for entry in zoo.truth["articles"].values():
        for url in [entry["url"], *entry["pages"]]:
            reply = fetch(url)
            assert reply.status == 200, url
            assert reply.headers["Content-Type"].startswith("text/html"), url
            page = html.unescape(reply.text) if zoo.family in NCR_TITLES else reply.text
            assert entry["record"]["title"] in page, url
            assert "{{ORIGIN}}" not in page and "{{OFFSITE}}" not in page, url


def test_every_image_and_attachment_answers(zoo):
    for entry in zoo.truth["articles"].values():
        for url in entry["record"]["images"] + entry["record"]["attachments"]:
            assert fetch(url, follow=True).status == 200, url


def test_every_listed_file_is_a_pdf(zoo):
    for url in zoo.truth["files"]:
        reply = fetch(url)
        assert reply.status == 200 and reply.body.startswith(b"%PDF"), url


def test_broken_links_answer_404_and_500(zoo):
    assert sorted(fetch(url).status for url in zoo.truth["broken"]) == [404, 500]


def test_robots_disallows_the_members_area_and_some_links_leave_the_site(zoo):
    robots = fetch(zoo.origin + "/robots.txt").body.decode()
    assert f"Disallow: {ROBOTS_DISALLOW[zoo.family]}" in robots
    assert any(u.startswith(zoo.server.offsite) for u in zoo.truth["not_followed"])


@pytest.mark.parametrize("seed", [0, 3])
def test_same_seed_same_bytes(zoo, seed, tmp_path):
    first = build_zoo_site(zoo.family, tmp_path / "a", seed=seed)
    second = build_zoo_site(zoo.family, tmp_path / "b", seed=seed)
    assert snapshot(first.root) == snapshot(second.root)
    if seed == 0:  # the served site is seed 0's too
        assert snapshot(zoo.site.root) == snapshot(first.root)
    other = build_zoo_site(zoo.family, tmp_path / "c", seed=seed + 1)
    assert (other.root / "truth.json").read_bytes() != (first.root / "truth.json").read_bytes()


def test_builds_fast(zoo):
    assert zoo.build_seconds < 1.0
