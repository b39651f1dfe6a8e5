"""The TRS WCM zoo site's own ways: every article and further page reachable the way a browser
pages TRS lists (createPageHTML, countPage, the content page's scripts and appendix), and the
quoted copy. What every family's site does is checked in test_zoo_sites.py."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from zoo_browser import crawl

FAMILY = "trs"
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["'](\w+)["']\s*\)""")
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
SCRIPT_URL = re.compile(r"""var\s+str_u\s*=\s*'([^']+)'""")
APPENDIX = re.compile(r"""var\s+file_appendix\s*=\s*'(.*?)';""")
OPTION = re.compile(r"""<option\b[^>]*?\bvalue\s*=\s*["'](https?://[^"']+)["']""", re.I)

def links(page_url: str, html: str) -> set[str]:
    """Every link a browser would show: anchors, and what TRS's list and content scripts write."""
    found = {urljoin(page_url, h) for h in HREF.findall(html) + OPTION.findall(html)}
    for count, _current, name, ext in CREATE_PAGE.findall(html):
        found |= {urljoin(page_url, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}") for i in range(int(count))}
    for count in COUNT_PAGE.findall(html):
        found |= {urljoin(page_url, "index.html" if i == 0 else f"index_{i}.html") for i in range(int(count))}
    found |= {urljoin(page_url, u) for u in SCRIPT_URL.findall(html)}
    for anchors in APPENDIX.findall(html):
        found |= {urljoin(page_url, h) for h in HREF.findall(anchors)}
    return {link.split("#")[0] for link in found}



def test_every_article_and_page_is_reachable_from_the_column_lists(zoo):
    truth = zoo.truth
    pages, seen = crawl(zoo, links, follow=(".html", ".htm", "/"))
    plain = {urlsplit(u)._replace(query="").geturl() for u in pages}
    for path, item in truth["articles"].items():
        assert item["url"] in plain, path
        for url in item["pages"]:
            assert url in plain, url
        for url in item["record"]["attachments"]:
            assert url in seen, url
    for url in truth["files"]:
        assert url in seen
    for url in truth["broken"] + truth["not_followed"]:
        assert url in seen, url
    # Each column spreads over at least two list pages.
    for start in truth["start_paths"]:
        assert any(u.startswith(zoo.origin + start + "index_1.html") for u in pages), start


def test_the_quoted_copy_names_its_canonical_article(zoo):
    copies = re.findall(rb'<link rel="canonical" href="([^"]+)"', b"".join(
        p.read_bytes() for p in (zoo.site.root / "www" / "xwzx" / "jcdt").rglob("t*.html")))
    assert len(copies) == 1 and copies[0].decode().replace("{{ORIGIN}}", zoo.origin) in zoo.article_urls()
