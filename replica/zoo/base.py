"""What every zoo site shares: the article model, its truth record, and the writer of a built site.

A zoo site is a sister union site in one CMS family's template (TRS WCM, Hanweb JCMS, DedeCMS...),
generated into a folder the replica server serves as it is:

    www/            the raw bytes of every page and file (GBK pages stay GBK)
    routes.json     per-path behaviour for ReplicaServer: {"status": 301, "location": ...},
                    {"status": 500}, {"content_type": ...}
    truth.json      what a careful reader takes from the site, written from the generator's own
                    specs (never by running the parser):
                    {"family", "name", "start_paths", "articles": {path: {"url", "pages", "record"}},
                     "files": [list items that are files], "not_followed": [...], "broken": [...]}

Each family module (replica/zoo/<family>.py) exposes `build(out_dir, seed=0) -> ZooSite` and writes
its pages from that family's real markup. The truth follows the contract of DESIGN.md; the reading
rules are in replica/zoo/README.md.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN

#: Publication times of zoo articles fall in this window.
FIRST_DAY = datetime(2022, 1, 3)
SPAN_DAYS = 900


@dataclass
class ZooArticle:
    """One article of a zoo site and what its truth record is.

    `paragraphs` are the body's text paragraphs as a reader sees them; a family decides how it
    marks them up (p, div, br runs, indents) and where images, captions and attachments go.
    """

    path: str  # the canonical URL path of its (first) page
    title: str
    when: datetime  # local (+08:00) publication time
    shows: str  # what the page shows of `when`: "seconds", "minutes" or "date"
    paragraphs: list[str]
    column: str
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    images: list[str] = field(default_factory=list)  # absolute paths (or ORIGIN URLs)
    attachments: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # further pages of a multi-page article

    def published_at(self) -> str:
        """The contract's published_at: +08:00 with seconds when a time shows, else the date."""
        if self.shows == "seconds":
            return f"{self.when:%Y-%m-%dT%H:%M:%S}+08:00"
        if self.shows == "minutes":
            return f"{self.when:%Y-%m-%dT%H:%M}:00+08:00"
        return f"{self.when:%Y-%m-%d}"

    def record(self) -> dict:
        """The truth record, URLs carrying {{ORIGIN}}."""
        return {
            "title": self.title,
            "published_at": self.published_at(),
            "source": self.source,
            "author": self.author,
            "editor": self.editor,
            "body": "\n".join(p.strip() for p in self.paragraphs),
            "column": self.column,
            "images": [absolute(p) for p in self.images],
            "attachments": [absolute(p) for p in self.attachments],
        }


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://", ORIGIN, OFFSITE)) else ORIGIN + path


def document(path: str, name: str) -> bytes:
    """The bytes of an attachment: a PDF when the path ends in .pdf, else a Word-like document."""
    return assets.pdf(name) if path.endswith(".pdf") else assets.doc(name)


def generated(rng: random.Random, kind: str, when: datetime) -> text.Text:
    """Article text from the replica's generator: kind is news, notice or grassroots."""
    if kind == "notice":
        return text.notice_text(rng, when)
    return text.news_text(kind, rng, when)


def times(rng: random.Random, count: int) -> list[datetime]:
    """`count` distinct publication times, newest first (the order list pages show them in)."""
    found = {FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS),
                                   seconds=rng.randrange(8 * 3600, 18 * 3600)) for _ in range(count * 2)}
    return sorted(found, reverse=True)[:count]


class ZooSite:
    """A built zoo site in `root`, served by replica.ReplicaServer(root)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def truth(self, origin: str, offsite: str | None = None) -> dict:
        """truth.json with the server's origins in place of {{ORIGIN}}/{{OFFSITE}}."""
        offsite = offsite or origin.replace("127.0.0.1", "localhost")
        raw = (self.root / "truth.json").read_text(encoding="utf-8")
        return json.loads(raw.replace(ORIGIN, origin).replace(OFFSITE, offsite))

    def start_urls(self, origin: str) -> list[str]:
        return [origin + p for p in self.truth(origin)["start_paths"]]


class Writer:
    """Collects a site's files, routes and truth, and writes them out at once."""

    def __init__(self, out_dir: Path, family: str, name: str) -> None:
        self.root = Path(out_dir)
        self.family, self.name = family, name
        self.routes: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}
        self.files: list[str] = []
        self.not_followed: list[str] = []
        self.broken: list[str] = []
        self.start_paths: list[str] = []

    def page(self, path: str, html: str | bytes, encoding: str = "utf-8", content_type: str | None = None) -> None:
        """Write a page (a path ending in / gets index.html); `content_type` overrides the header."""
        target = self.root / "www" / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(html if isinstance(html, bytes) else html.encode(encoding, "xmlcharrefreplace"))
        if content_type:
            self.routes.setdefault(path, {})["content_type"] = content_type

    def linked_page(self, path: str, html: str) -> None:
        """A page at a path the server would not treat as HTML (.jhtml, .aspx, .htm): the bytes in
        www/.pages/<path>.html, the path a symlink to them, so the server substitutes the origins and
        answers text/html; charset=utf-8."""
        rel = path.lstrip("/")
        real = self.root / "www" / ".pages" / (rel + ".html")
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_bytes(html.encode("utf-8", "xmlcharrefreplace"))
        link = self.root / "www" / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(real, link.parent), link)

    def route(self, path: str, **behaviour: object) -> None:
        self.routes.setdefault(path, {}).update(behaviour)

    def redirect(self, path: str, target: str) -> None:
        """`path` answers 301 to the site's page at `target`."""
        self.route(path, status=301, location=ORIGIN + target)

    def broken_link(self, path: str, status: int = 404) -> None:
        """A linked page that fails: 404 (nothing written there) or the given status."""
        if status != 404:
            self.route(path, status=status)
        self.broken.append(path)

    def listed_file(self, path: str, data: bytes) -> None:
        """A list item that is itself a file (a notice published as a PDF)."""
        self.page(path, data)
        self.files.append(path)

    def robots(self, *rules: str, content_type: str | None = None) -> None:
        """robots.txt for every user agent: each rule a path to disallow, or a whole "Allow: ..." line."""
        lines = "".join(f"{rule}\n" if rule.startswith("Allow: ") else f"Disallow: {rule}\n" for rule in rules)
        self.page("/robots.txt", "User-agent: *\n" + lines, content_type=content_type)

    def article(self, article: ZooArticle) -> None:
        self.articles[article.path] = {"url": absolute(article.path), "pages": [absolute(p) for p in article.pages],
                                       "record": article.record()}

    def finish(self) -> ZooSite:
        (self.root / "www").mkdir(parents=True, exist_ok=True)
        (self.root / "routes.json").write_text(json.dumps(self.routes, ensure_ascii=False, indent=1), encoding="utf-8")
        truth = {"family": self.family, "name": self.name, "start_paths": self.start_paths,
                 "articles": self.articles, "files": [absolute(p) for p in self.files],
                 "not_followed": [absolute(p) for p in self.not_followed],
                 "broken": [absolute(p) for p in self.broken]}
        (self.root / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        return ZooSite(self.root)


__all__ = ["ZooArticle", "ZooSite", "Writer", "generated", "times", "absolute", "document", "date"]
