"""What every zoo site must do, whatever its family, as a browser sees it: every truth article
page answers 200 with its title and names its charset in its head, every image and attachment
answers, every listed file is a PDF, broken links answer 404 and 500, the one moved path answers
301 to its article, robots.txt keeps out the members' area, and the same seed builds the same
bytes, fast.

What a family does its own way (its pager, its datastore proxy, its multi-page articles, its
column headers, its quoted copies) is checked in tests/zoo/test_zoo_site_<family>.py; the site is
the `zoo` fixture of conftest.py, the same one those modules get.
"""

from __future__ import annotations

import html
import re

import pytest

from replica.zoo import FAMILIES, build_zoo_site
from zoo_browser import fetch, snapshot

pytestmark = pytest.mark.parametrize("zoo", FAMILIES, indirect=True, scope="module")

#: The members' area each family's robots.txt disallows.
ROBOTS_DISALLOW = {"trs": "/nbzl/", "hanweb": "/nbgk/", "dedecms": "/member/", "phpcms": "/html/nbzl/",
                   "empirecms": "/e/member/", "sitefactory": "/User/", "jeecms": "/member/", "vsb": "/nbtz/",
                   "wordpress": "/members/"}
#: The charset each family's pages name in their head (PHPCMS's dynamic column too, over NCRs).
CHARSET_LABEL = {"trs": "utf-8", "hanweb": "utf-8", "dedecms": "gb2312", "phpcms": "gbk", "empirecms": "gb2312",
                 "sitefactory": "utf-8", "jeecms": "utf-8", "vsb": "UTF-8", "wordpress": "UTF-8"}
#: The old path (in routes.json) each family moved an article from.
MOVED = {"trs": r"/jcdt/[^\"]+\.htm", "hanweb": r"/jcms/[^\"]+\.html", "dedecms": r"/a/jcdt/\d+\.html",
         "phpcms": r"/html/jcdt/\d{8}/\d+\.html", "empirecms": r"/news/jcdt/\d{8}/\d+\.html",
         "sitefactory": r"/Article/ShowArticle\.asp", "jeecms": r"/jcdt/\d+\.html", "vsb": r"/content\.jsp",
         "wordpress": r"/\d{4}/\d\d/\d\d/[^\"]+/"}
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
            assert re.search(f"charset=[\"']?{CHARSET_LABEL[zoo.family]}\\b", page[:600]), url


def test_every_image_and_attachment_answers(zoo):
    for entry in zoo.truth["articles"].values():
        for url in entry["record"]["images"] + entry["record"]["attachments"]:
            assert fetch(url).status == 200, url


def test_every_listed_file_is_a_pdf(zoo):
    for url in zoo.truth["files"]:
        reply = fetch(url)
        assert reply.status == 200 and reply.body.startswith(b"%PDF"), url


def test_broken_links_answer_404_and_500(zoo):
    assert sorted(fetch(url).status for url in zoo.truth["broken"]) == [404, 500]


def test_the_moved_path_answers_301_to_its_article(zoo):
    old = re.search(f'"({MOVED[zoo.family]})"', zoo.routes).group(1)
    assert fetch(zoo.origin + old, method="HEAD").status == 301
    reply = fetch(zoo.origin + old)
    assert reply.status == 301 and reply.headers["Location"] in zoo.article_urls()


def test_robots_disallows_the_members_area_and_some_links_leave_the_site(zoo):
    robots = fetch(zoo.origin + "/robots.txt").body.decode()
    assert f"Disallow: {ROBOTS_DISALLOW[zoo.family]}" in robots
    assert any(u.startswith(zoo.server.offsite) for u in zoo.truth["not_followed"])


@pytest.mark.parametrize("seed", [0, 3])
def test_same_seed_same_bytes(zoo, seed, tmp_path):
    first = zoo.site if seed == 0 else build_zoo_site(zoo.family, tmp_path / "a", seed=seed)  # served: seed 0
    second = build_zoo_site(zoo.family, tmp_path / "b", seed=seed)
    assert snapshot(first.root) == snapshot(second.root)
    other = build_zoo_site(zoo.family, tmp_path / "c", seed=seed + 1)
    assert (other.root / "truth.json").read_bytes() != (first.root / "truth.json").read_bytes()


def test_builds_fast(zoo):
    assert zoo.build_seconds < 1.0
