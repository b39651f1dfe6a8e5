"""A journalist's search in a real headless Chromium against `unionnews serve` over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import search
from archive.db import open_archive
from archive.serve import serve_in_thread


CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def server_url(replica_archive: Path):
    server, url = serve_in_thread(replica_archive)
    yield url
    server.should_exit = True


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by .ci/run")
def test_typing_a_word_in_the_search_page_shows_highlighted_results(
    server_url: str, replica_archive: Path, tmp_path: Path
) -> None:
    db = open_archive(replica_archive)
    expected = db.execute(
        "SELECT count(*) FROM articles WHERE title LIKE '%职工%' OR body LIKE '%职工%'"
    ).fetchone()[0]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            tab = browser.new_page()
            tab.goto(server_url + "archive/search")
            tab.fill("input[name=q]", "职工")
            tab.press("input[name=q]", "Enter")
            tab.wait_for_selector("td.col-snippet mark")
            tab.screenshot(path=str(tmp_path / "search.png"), full_page=False)
            marks = tab.locator("td.col-snippet mark").all_inner_texts()
            titles = tab.locator("td.col-title a")
            assert set(marks) == {"职工"}
            assert tab.locator("h2.unionnews-count").inner_text().startswith(f"共 {expected} 篇")
            assert titles.count() == min(expected, search.PAGE_SIZE)  # then the next page
            assert tab.locator("text=json_extract").count() == 0  # no SQL shown to a journalist
            hrefs = "els => els.map(e => e.getAttribute('href'))"
            first_page = titles.evaluate_all(hrefs)
            tab.locator("a[rel=next]").first.click()
            tab.wait_for_url("**page=2**")
            assert f"第 {search.PAGE_SIZE + 1}–" in tab.locator("h2.unionnews-count").inner_text()
            assert titles.count() and not set(titles.evaluate_all(hrefs)) & set(first_page)
            titles.first.click()
            tab.wait_for_selector("td.col-body p", state="attached")  # every field, folded away
            tab.wait_for_selector("article.unionnews-article .unionnews-body p")
            assert "/archive/articles/" in tab.url
            body = tab.locator("article.unionnews-article .unionnews-body").bounding_box()
            assert body and body["width"] > 400  # a readable column, not one character wide
            tab.screenshot(path=str(tmp_path / "article.png"), full_page=False)
        finally:
            browser.close()
    assert (tmp_path / "search.png").stat().st_size > 10_000
