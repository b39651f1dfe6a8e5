"""Untrusted content: article bodies carrying script, event handlers, javascript: links, iframes,
CSS tricks and entities are archived as text, and every Datasette page shows them as text."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote

import lxml.html
import pytest

from hostile_support import query
from replica.hostile import MARKER_TAG, PAYLOAD_JS, SCRIPTED

ACTIVE = "script, iframe, frame, object, embed, svg, style, link[rel=import], meta[http-equiv], base"


def scripted_ids(db) -> dict[str, int]:
    return {url: id_ for url, id_ in query(db, "select url, id from articles where url like '%/news/x/%'")}


def pages_to_check(db) -> list[str]:
    """Every Datasette page that shows crawled text of the scripted articles."""
    ids = scripted_ids(db)
    revision_ids = [r for (r,) in query(db, "select id from revisions")]
    pages = ["/archive/articles", "/archive/articles_list", "/archive/revisions", "/archive/failures",
             "/archive/changed_articles", "/archive/files", "/archive/latest_articles",
             "/archive/search?q=" + quote("职工"), "/archive/search?q=" + quote("<script>"),
             "/archive/search?q=" + quote('"onerror=" <img'), "/archive/search?q=" + quote("</td>")]
    pages += [f"/archive/articles/{i}" for i in ids.values()]
    pages += [f"/archive/revisions/{i}" for i in revision_ids]
    pages += [f"/archive/article_history?article_id={i}" for i in ids.values()]
    return pages


@pytest.fixture(scope="module")
def ds(hostile_archive):
    from archive.serve import make_datasette

    return make_datasette(hostile_archive.db)


def fetch(ds, path: str) -> str:
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def test_markup_is_stored_as_the_text_a_reader_saw(hostile_archive) -> None:
    site, db = hostile_archive.site, hostile_archive.db
    stored = dict(query(db, "select url, title from articles where url like '%/news/x/%'"))
    assert stored == site.scripted  # titles with <script> in them are text, kept whole
    body = dict(query(db, "select url, body from articles where url like '%/news/x/%'"))
    script, css = body[site.url("/news/x/script.html")], body[site.url("/news/x/css.html")]
    # real <script> and <style> elements are no text anyone saw; entity-written ones are
    assert script.splitlines()[:2] == ["职工书屋开放日当天，省直机关干部职工踊跃参加阅读分享活动。",
                                       f"<script>{PAYLOAD_JS}</script> 这一行是以实体写成的脚本文字，应原样显示为文字。"]
    assert css.splitlines()[:2] == ["职工心理健康讲座在成都举办。", "覆盖整页的段落"]
    entities = body[site.url("/news/x/entities.html")].splitlines()
    assert entities[0] == "&lt;script&gt;alert(1)&lt;/script&gt; 是二次转义的文字，应显示为 &lt;script&gt;。"
    assert entities[2] == "\"双引号\" '单引号' & 和号 </td></tr></table> 结束表格的尝试。"
    assert all(b.splitlines()[-1] == '修订后补充的段落。<script>alert("修订")</script>' for b in body.values())
    assert len(query(db, "select id from revisions")) == len(SCRIPTED)


def active_markup(html: str) -> list[str]:
    """What in a page could run the archive's text: marker elements, active elements carrying
    a payload, event-handler attributes, javascript:/data: URLs."""
    doc = lxml.html.fromstring(html)
    found = [MARKER_TAG] if doc.xpath(f"//{MARKER_TAG}") else []
    for element in doc.cssselect(ACTIVE):
        text = lxml.html.tostring(element, encoding="unicode")
        if "__pwned" in text or "alert(" in text:
            found.append(text[:120])
    for element in doc.iter("*"):
        for name, value in element.attrib.items():
            if name.lower().startswith("on") and ("alert" in value or "__pwned" in value):
                found.append(f"{name}={value[:80]}")
            if name.lower() in ("href", "src", "action", "formaction", "srcdoc") and re.match(
                    r"\s*(javascript|data|vbscript):", value, re.I):
                found.append(f"{name}={value[:80]}")
    return found


def test_no_datasette_page_carries_active_markup_from_the_archive(ds, hostile_archive) -> None:
    pages = pages_to_check(hostile_archive.db)
    assert len(pages) > 20
    found = {path: active_markup(fetch(ds, path)) for path in pages}
    assert {path: bad for path, bad in found.items() if bad} == {}


def test_pages_show_the_payloads_as_visible_text(ds, hostile_archive) -> None:
    ids = scripted_ids(hostile_archive.db)
    site = hostile_archive.site
    row = lxml.html.fromstring(fetch(ds, f"/archive/articles/{ids[site.url('/news/x/script.html')]}"))
    text = row.text_content()
    assert f"<script>{PAYLOAD_JS}</script>职工书屋开放日活动举行" in text
    assert "修订后补充的段落。" in text and '<script>alert("修订")</script>' in text
    hits = lxml.html.fromstring(fetch(ds, "/archive/search?q=" + quote("<script>")))
    marks = [m.text_content() for m in hits.cssselect("td.col-snippet mark, td.col-title mark")]
    assert marks and set(marks) == {"<script>"}
