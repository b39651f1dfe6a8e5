"""Proof in a real headless Chromium: opening every Datasette page that shows the hostile
articles (table, rows, list, search, revisions, history, failures) runs none of their scripts,
opens no dialog, adds no element, and fetches nothing from anywhere but the archive's server."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.serve import serve_in_thread
from replica.hostile import MARKER_TAG, PAYLOAD_JS

from test_hostile_content import pages_to_check

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PROBE = f"""() => ({{
  pwned: window.__pwned === 1,
  markers: document.getElementsByTagName('{MARKER_TAG}').length,
  frames: document.querySelectorAll('iframe, frame, object, embed, svg[onload]').length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
      a => a.name.startsWith('on') && /alert|__pwned/.test(a.value))).length,
  jsLinks: [...document.querySelectorAll('[href], [src]')].filter(
      e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
  text: document.body.innerText,
}})"""

playwright = pytest.importorskip("playwright.sync_api")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by .ci/run")
def test_no_script_from_the_archive_runs_in_a_browser(hostile_archive, tmp_path: Path) -> None:
    pages = pages_to_check(hostile_archive.db)
    server, url = serve_in_thread(hostile_archive.db)
    dialogs: list[str] = []
    foreign: list[str] = []
    seen: dict[str, dict] = {}
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            try:
                tab = browser.new_page()
                tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                tab.on("request", lambda request: None if request.url.startswith((url, "data:"))
                       else foreign.append(request.url))
                for path in pages:
                    tab.goto(url + path.lstrip("/"), wait_until="load")
                    tab.wait_for_timeout(50)  # let an onerror of a broken image fire, were there one
                    seen[path] = tab.evaluate(PROBE)
                tab.goto(url + pages[-1].lstrip("/"))
                tab.screenshot(path=str(tmp_path / "history.png"))
            finally:
                browser.close()
    finally:
        server.should_exit = True
    assert dialogs == [] and foreign == []
    ran = {path: {k: v for k, v in probe.items() if k != "text" and v} for path, probe in seen.items()}
    assert {path: found for path, found in ran.items() if found} == {}
    # and the payloads were there to be run: shown as text on the article and search pages
    shown = [path for path, probe in seen.items() if f"<script>{PAYLOAD_JS}</script>" in probe["text"]]
    assert any(path.startswith("/archive/articles/") for path in shown)
    assert any(path.startswith("/archive/search") for path in shown)
    assert any(path.startswith("/archive/revisions") for path in shown)
    assert len(seen) == len(pages) > 20
