"""The Hanweb JCMS zoo site's own ways: every article reachable the way jpage pages its lists
(the page's datastore, then POSTs to dataproxy.jsp for the records past it), the proxy's answers,
the quoted copy, the meta PubDate. What every family's site does is checked in test_zoo_sites.py."""

from __future__ import annotations

import html as htmllib
import math
import re
from urllib.parse import urlencode, urljoin, urlsplit

from zoo_browser import crawl, fetch

FAMILY = "hanweb"
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
JPAGE = re.compile(r"\$\('#(\d+)'\)\.jpage\(\{(.*?)\}\);", re.S)
RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def jpage_config(body: str) -> dict[str, str]:
    """The jpage call's options: scalars, and ajaxParam's fields under their own names."""
    ajax = re.search(r"ajaxParam:\{(.*?)\}", body).group(1)
    options = dict(re.findall(r"(\w+):'?([^,'{}]*)'?", body.replace(ajax, "")))
    options["form"] = urlencode(re.findall(r"(\w+):'?([^,']*)'?", ajax))
    return options


def list_links(page_url: str, html: str) -> set[str]:
    """The records a browser shows: the datastore's, then dataproxy.jsp's groups past it."""
    found = {urljoin(page_url, htmllib.unescape(h)) for h in HREF.findall(html)}
    for _unit, body in JPAGE.findall(html):
        options = jpage_config(body)
        total, per, group = int(options["totalRecord"]), int(options["perPage"]), int(options["groupSize"])
        shown = len(RECORD.findall(html))
        assert shown == min(total, per * group)
        for g in range(1, math.ceil(total / (per * group))):
            start, end = g * per * group + 1, (g + 1) * per * group
            proxy = urljoin(page_url, options["proxyUrl"]) + f"?startrecord={start}&endrecord={end}&perpage={per}"
            reply = fetch(proxy, options["form"].encode())
            assert reply.status == 200
            text = reply.body.decode("utf-8")
            assert f"<totalrecord>{total}</totalrecord>" in text
            records = RECORD.findall(text)
            assert len(records) == min(per * group, total - start + 1)
            found |= {urljoin(page_url, htmllib.unescape(h)) for r in records for h in HREF.findall(r)}
    return {link.split("#")[0] for link in found}



def test_every_article_is_one_page_served_as_utf8(zoo):
    for path, item in zoo.truth["articles"].items():
        assert item["pages"] == []
        reply = fetch(item["url"])
        assert reply.status == 200 and "utf-8" in reply.headers["Content-Type"].lower(), path
        assert item["record"]["title"] in reply.body.decode("utf-8"), path


def test_every_article_is_reachable_through_jpage_and_dataproxy(zoo):
    pages, seen = crawl(zoo, list_links)
    plain = {urlsplit(u)._replace(query="").geturl() for u in pages}
    for path, item in zoo.truth["articles"].items():
        assert item["url"] in plain, path
        for url in item["record"]["attachments"]:
            assert url in seen, url
    for url in zoo.truth["files"] + zoo.truth["broken"] + zoo.truth["not_followed"]:
        assert url in seen, url


def test_some_articles_are_listed_by_dataproxy_only(zoo):
    start = zoo.origin + zoo.truth["start_paths"][0]
    html = fetch(start).body.decode("utf-8")
    on_page = {urljoin(zoo.origin, h).split("?")[0] for h in HREF.findall(html)}
    listed = {u.split("?")[0] for u in list_links(start, html)}
    only_proxy = {u for u in listed - on_page if u in zoo.article_urls()}
    assert len(only_proxy) >= 2
    # No other page of the site links them: plain anchors only, no proxy, no redirect followed.
    anchors = lambda url, text: {urljoin(url, h).split("#")[0] for h in HREF.findall(text)}  # noqa: E731
    _pages, seen = crawl(zoo, anchors, starts=["/index.html"], redirects=False)
    assert not only_proxy & {link.split("?")[0] for link in seen}


def test_dataproxy_answers_by_parameters(zoo):
    proxy = zoo.origin + "/module/web/jpage/dataproxy.jsp"
    empty = fetch(proxy + "?startrecord=1&endrecord=9&perpage=3", b"columnid=999")
    assert empty.status == 200 and "xml" in empty.headers["Content-Type"]
    assert b"<totalrecord>0</totalrecord>" in empty.body and b"<record>" not in empty.body
    # GET with every parameter in the query answers as the POST does.
    html = fetch(zoo.origin + zoo.truth["start_paths"][0]).body.decode("utf-8")
    options = jpage_config(JPAGE.search(html).group(2))
    query = f"startrecord=1&endrecord=9&perpage=3&{options['form']}"
    got = fetch(f"{proxy}?{query}").body
    assert got == fetch(proxy + "?startrecord=1&endrecord=9&perpage=3", options["form"].encode()).body
    assert got.count(b"<record>") == 9
    # Attachments are answered by their filename parameter; other paths still refuse POST.
    attachment = fetch(zoo.truth["files"][0])
    assert attachment.status == 200 and attachment.body.startswith(b"%PDF")
    assert fetch(zoo.origin + "/module/download/downfile.jsp?classid=0&filename=nothing.pdf").body.startswith(b"<?xml")
    assert fetch(zoo.origin + zoo.truth["start_paths"][0], b"a=1").status == 501


def test_the_quoted_copy_names_its_canonical_article(zoo):
    copies = [p for p in (zoo.site.root / "www" / "art").rglob("art_4128_*.html")
              if b'rel="canonical"' in p.read_bytes()]
    assert len(copies) == 1
    canonical = re.search(rb'rel="canonical" href="([^"]+)"', copies[0].read_bytes()).group(1).decode()
    assert canonical.replace("{{ORIGIN}}", zoo.origin) in zoo.article_urls()


def test_the_meta_pubdate_is_not_always_the_visible_date(zoo):
    differ = 0
    for item in zoo.truth["articles"].values():
        page = fetch(item["url"]).body.decode("utf-8")
        meta = re.search(r'name="PubDate" content="([^"]+)"', page).group(1)
        differ += not item["record"]["published_at"].startswith(meta[:10])
    assert differ >= 2
