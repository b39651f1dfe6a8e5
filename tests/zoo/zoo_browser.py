"""What the zoo site tests share: a browser's HTTP (no redirect followed unless asked, POST forms),
its decoding by charset, and the walks from the column lists. No parser is involved.

Imported by the test modules of tests/zoo (pytest puts this folder on sys.path); the served site
itself is the `zoo` fixture of conftest.py.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from replica import ReplicaServer
from replica.zoo import ZooSite


@dataclass
class Zoo:
    """One family's site, built once and served for a test module."""

    family: str
    site: ZooSite
    server: ReplicaServer
    truth: dict
    build_seconds: float

    @property
    def origin(self) -> str:
        return self.server.origin

    @property
    def routes(self) -> str:
        return (self.site.root / "routes.json").read_text(encoding="utf-8")

    def article_urls(self) -> set[str]:
        return {e["url"] for e in self.truth["articles"].values()}

    def wanted(self) -> set[str]:
        """Every article's URL and the URLs of its further pages."""
        return {u for e in self.truth["articles"].values() for u in [e["url"], *e["pages"]]}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_PLAIN = urllib.request.build_opener(_NoRedirect)
_FOLLOWING = urllib.request.build_opener()


@dataclass
class Reply:
    status: int
    url: str  # the final URL (after redirects, when followed)
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return decode(self.body, self.headers)


def fetch(url: str, form: bytes | None = None, *, follow: bool = False, method: str | None = None) -> Reply:
    """The answer to a GET (or a POST of `form`), redirects answered as they are unless `follow`."""
    request = urllib.request.Request(url, data=form, method=method)
    if form is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    try:
        with (_FOLLOWING if follow else _PLAIN).open(request, timeout=10) as response:
            return Reply(response.status, response.url, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, url, error.headers, error.read())


def decode(body: bytes, headers: Message | None = None) -> str:
    """The page as a browser decodes it: the header's charset, else the meta one, else UTF-8."""
    meta = re.search(rb'charset=["\']?([\w-]+)', body[:2048])
    charset = (headers.get_content_charset() if headers is not None else None) or (
        meta.group(1).decode() if meta else "utf-8")
    if charset.lower() in ("gb2312", "gbk"):
        charset = "gb18030"  # what browsers do with a gb2312 label
    return body.decode(charset)


def bare(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


#: Links a browser follows: href attributes, <select> options, location scripts.
LINK = re.compile(r"""(?<![\w-])href\s*=\s*["']([^"'#]+)["']|<option[^>]*value=["']([^"']+)["']|"""
                  r"""location(?:\.href)?\s*=\s*(?:encodeURI\(\s*'([^']+)'\s*\)|'([^']+)'\s*;)""")


@dataclass
class Browsed:
    pages: set[str]  # bare URLs of the HTML pages shown
    redirected: int  # 301 answers met on the way
    asked: set[str]  # bare URLs the server was asked for during the walk


def browse(zoo: Zoo) -> Browsed:
    """Breadth-first from the column lists over every same-host link (href, option, location
    script), never asking for what truth lists as not to be followed or broken."""
    truth, origin = zoo.truth, zoo.origin
    avoid = {bare(u) for u in truth["not_followed"]} | set(truth["broken"])
    logged = len(zoo.server.requests)
    queue, seen, pages = list(zoo.site.start_urls(origin)), set(), set()
    redirected = 0
    while queue:
        url = queue.pop(0)
        if bare(url) in seen or bare(url) in avoid or not url.startswith(origin):
            continue
        seen.add(bare(url))
        reply = fetch(url)
        if reply.status == 301:
            redirected += 1
            queue.append(urljoin(url, reply.headers["Location"]))
            continue
        assert reply.status == 200, url
        if not reply.headers.get("Content-Type", "").startswith("text/html"):
            continue
        pages.add(bare(url))
        for match in LINK.finditer(reply.text):
            link = next(g for g in match.groups() if g)
            if not link.startswith(("javascript:", "mailto:")) and not link.isdigit():
                queue.append(urljoin(url, link.replace("&amp;", "&")))
    asked = {bare(origin + r.path) for r in zoo.server.requests[logged:]}
    return Browsed(pages, redirected, asked)


@dataclass
class Walked:
    reached: set[str]  # article page URLs reached
    files: set[str]  # list items that are files
    list_pages: int


def walk_lists(zoo: Zoo, *, is_list: Callable, list_pager: str, list_items: str, article_pager: str,
               reached_as: Callable[[str, object], Iterable[str]] | None = None) -> Walked:
    """Click through a family's list pages as a browser user would: the list pager (`list_pager`
    XPath), the list items (`list_items`), and on an article page its own pager (`article_pager`).
    `is_list(doc)` tells a list page; `reached_as(final_url, doc)` names an article page's URLs
    (its path on the origin by default)."""
    truth, origin = zoo.truth, zoo.origin
    skip = set(truth["not_followed"]) | set(truth["broken"]) | set(truth["files"])
    todo, seen, reached, files = list(zoo.site.start_urls(origin)), set(), set(), set()
    list_pages = 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        reply = fetch(url, follow=True)
        assert reply.status == 200, url
        doc = lxml_html.fromstring(reply.text)
        final = reply.url
        if is_list(doc):
            list_pages += 1
            todo += [urljoin(final, href) for href in doc.xpath(list_pager)]
            for href in doc.xpath(list_items):
                target = urljoin(final, href)
                if target.split("?")[0] in skip or target in skip:
                    if target in truth["files"]:
                        files.add(target)
                    continue
                todo.append(target)
        else:
            reached.update(reached_as(final, doc) if reached_as else [origin + urlsplit(final).path])
            todo += [urljoin(final, href) for href in doc.xpath(article_pager) if href != "#"]
    return Walked(reached, files, list_pages)




def crawl(zoo: Zoo, links: Callable[[str, str], set[str]], follow: tuple[str, ...] = (".html",), *,
          starts: Iterable[str] = (), redirects: bool = True) -> tuple[set[str], set[str]]:
    """Breadth-first over same-host HTML pages from `starts` and the column lists, skipping what a
    polite crawler must not fetch: (pages fetched, links seen). `links(url, text)` is the family's
    reading of a page's links; pages whose path ends with one of `follow` are fetched, and the
    targets of 301/302 answers too unless not `redirects`."""
    truth, origin = zoo.truth, zoo.origin
    skip = set(truth["not_followed"]) | set(truth["broken"])
    queue = [origin + p for p in starts] + [origin + p for p in truth["start_paths"]]
    pages: set[str] = set()
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        pages.add(url)
        reply = fetch(url)
        if reply.status in (301, 302):
            if redirects:
                queue.append(urljoin(url, reply.headers["Location"]))
            continue
        assert reply.status == 200, url
        if "html" not in reply.headers.get("Content-Type", ""):
            continue
        for link in links(url, reply.text):
            seen.add(link)
            parts = urlsplit(link)
            if parts.scheme + "://" + parts.netloc != origin or link in skip:
                continue
            if parts.path.endswith(follow) and link not in pages:
                queue.append(link)
    return pages, seen
