"""The parser walks a page once (crawler.generic.index_page) and reuses that walk's lines for the
body block: the reuse must give exactly the lines a fresh lay-out of the block gives, on every
stored page (tests/fixtures) whatever its template."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import generic
from crawler.body import read_body
from crawler.encoding import decode_html
from crawler.layout import lay_out, parse_tree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(p for p in FIXTURES.glob("*/*") if (p / "body.html").exists())


def _page(case: Path):
    root = parse_tree(decode_html((case / "body.html").read_bytes())[0])
    index = generic.index_page(root)
    title_el, title, _ = generic.find_title(root, [generic.head_title(root)], index)
    return root, index, title_el, title


@pytest.mark.parametrize("case", PAGES, ids=[f"{p.parent.name}/{p.name}" for p in PAGES])
def test_body_lines_from_the_page_walk_equal_a_fresh_lay_out(case: Path) -> None:
    root, index, title_el, title = _page(case)
    body_el = generic.find_body(root, title_el, index)
    assert body_el is not None
    noise = generic.noise_inside(body_el)
    reused = generic.lines_within(index, body_el, noise)
    fresh = lay_out(body_el, noise)
    if reused is not None:
        as_tuples = lambda lines: [(ln.text, ln.block, ln.link_chars, ln.has_image, ln.after_image) for ln in lines]  # noqa: E731
        assert as_tuples(reused) == as_tuples(fresh)
    assert read_body(body_el, title, index).text == read_body(body_el, title).text


def test_one_walk_finds_the_same_candidates_as_asking_the_tree() -> None:
    html = ('<html><body><div class="crumbs"><a href="/">首页</a> &gt; <a href="/a/">工作动态</a></div>'
            '<div><strong>当前位置：</strong>首页 &gt; 工作动态</div><h2>甲</h2><div class="art-title">乙</div>'
            '<h1 id="Title">丙</h1><a class="title" href="/x">丁</a><p class="Position">戊</p></body></html>')
    index = generic.index_page(parse_tree(html))
    assert [el.text_content() for el in index.headings] == ["甲", "乙", "丙"]
    assert [el.tag for el in index.h1s] == ["h1"]
    assert [(el.tag, el.get("class")) for el in index.crumbs] == [("div", "crumbs"), ("strong", None), ("p", "Position")]
    assert [line.text for line in index.lines][:2] == ["首页 > 工作动态", "当前位置：首页 > 工作动态"]


@pytest.mark.parametrize("case", PAGES, ids=[f"{p.parent.name}/{p.name}" for p in PAGES])
def test_body_block_search_stops_early_with_the_same_winner(case: Path) -> None:
    """find_body stops adjusting the ranked containers once no later one can win: the winner
    must be the one adjusting every container picks."""
    root, index, title_el, _ = _page(case)
    generic.find_body(root, title_el, index)
    where = generic._Layout.of(index, title_el)
    ranked = sorted(index.scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    assert generic._best_adjusted(ranked, where) is max(ranked, key=lambda kv: generic._adjusted(kv[0], kv[1], where))[0]
