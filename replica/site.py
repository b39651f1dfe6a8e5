"""A built replica on disk: writes its pages, routes and truth, and applies mutations.

Layout of a site directory:
  www/          the web root the server serves (raw bytes, GBK where the column is GBK)
  routes.json   per-path overrides: 301/500 statuses and Content-Type headers
  truth.json    what a careful reader takes from every page (URLs with {{ORIGIN}}/{{OFFSITE}})
  site.json     the specs the site was rendered from (so a loaded site can be mutated)
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import assets, redesign, render
from .model import (
    COLUMN_BY_KEY,
    COLUMNS,
    OFFSITE,
    ORIGIN,
    PER_PAGE,
    SITE_NAME,
    ArticleSpec,
    Block,
    Column,
    record,
)
from .render import ListEntry

CST = timezone(timedelta(hours=8))
SEED_PATH = "/xwzx/ghxw/202301/t20230118_1001.html"
FOOTER_OFFSITE = ("/", "/gywm/lxwm.html", "/sitemap.html")
SIDEBAR_SIZE = 6


class SiteError(ValueError):
    """A mutation or load named something the site does not have (the message says what)."""


@dataclass
class ListLink:
    """A list item that is not an article's own link: a 404, a 500 or an off-host link."""

    column: str
    kind: str  # not_found, server_error, offsite
    href: str
    title: str
    published: str  # ISO local time, orders the item in its list

    @property
    def path(self) -> str:
        return self.href.replace(OFFSITE, "")


class Site:
    """A replica site in `root`: its specs, special list links, and removed paths."""

    def __init__(self, root: Path, seed: int, specs: list[ArticleSpec], links: list[ListLink], gone: list[str],
                 template: str = "original"):
        self.root = Path(root)
        self.seed = seed
        self.specs = {s.id: s for s in specs}
        self.links = links
        self.gone = gone
        self.template = template  # "original", or "redesign" once redesign() ran

    @property
    def _pages(self):
        """The renderer of the site's current template (same functions in both modules)."""
        return redesign if self.template == redesign.NAME else render

    # ---- paths and lookups -------------------------------------------------------------
    @property
    def www(self) -> Path:
        return self.root / "www"

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS

    def start_urls(self, origin: str) -> list[str]:
        """The column list URLs a crawl starts from, for a server at `origin`."""
        return [origin + c.path for c in COLUMNS]

    def spec_at(self, path: str) -> ArticleSpec:
        for spec in self.specs.values():
            if spec.path == path:
                return spec
        raise SiteError(f"no article at {path}")

    def column_specs(self, col: Column) -> list[ArticleSpec]:
        """The column's own public articles, newest first (the prev/next order)."""
        found = [s for s in self.specs.values() if s.column == col.key and not s.private]
        return sorted(found, key=lambda s: (s.published, s.id), reverse=True)

    def newest(self, count: int) -> list[ArticleSpec]:
        public = [s for s in self.specs.values() if not s.private]
        return sorted(public, key=lambda s: (s.published, s.id), reverse=True)[:count]

    # ---- list pages ----------------------------------------------------------------------
    def list_entries(self, col: Column) -> list[ListEntry]:
        """Every item of a column's list, pinned items first, then newest first."""
        items: list[tuple[bool, str, int, ListEntry]] = []
        for spec in self.specs.values():
            date = spec.when.strftime("%Y-%m-%d")
            if spec.column == col.key:
                items.append((False, spec.published, spec.id, ListEntry(self._own_href(spec, col), spec.title, date)))
            if spec.alias_path and spec.alias_path.startswith(col.path):
                href = "./" + spec.alias_path[len(col.path):]
                items.append((False, spec.published, spec.id, ListEntry(href, spec.title, date)))
            for key, query in spec.tracking:
                if key == col.key:
                    href = self._own_href(spec, col) + "?" + query if spec.column == key else ORIGIN + spec.path + "?" + query
                    items.append((spec.column == key, spec.published, spec.id, ListEntry(href, spec.title, date)))
        for link in self.links:
            if link.column == col.key:
                items.append((False, link.published, 0, ListEntry(link.href, link.title, link.published[:10])))
        items.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
        return [item[3] for item in items]

    def _own_href(self, spec: ArticleSpec, col: Column) -> str:
        if spec.redirect_from:
            return spec.redirect_from
        if spec.private or spec.link_style == "root":
            return spec.path
        if spec.link_style == "absolute":
            return ORIGIN + spec.path
        return "./" + spec.path[len(col.path):]

    def list_pages(self, col: Column) -> list[list[ListEntry]]:
        entries = self.list_entries(col)
        return [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]

    # ---- writing -------------------------------------------------------------------------
    def write_all(self) -> None:
        """Write every page, asset, route and the truth (a fresh build)."""
        self._write_static()
        newest = self.newest(SIDEBAR_SIZE + 1)
        for col in COLUMNS:
            order = self.column_specs(col)
            for i, spec in enumerate(order):
                prev = order[i - 1] if i > 0 else None
                nxt = order[i + 1] if i + 1 < len(order) else None
                self._write_article(spec, prev, nxt, newest)
                self._write_assets(spec)
            self.write_lists(col)
        for spec in self.specs.values():
            if spec.private:
                self._write_article(spec, None, None, newest)
                self._write_assets(spec)
        self._write_home()
        self.save()

    def save(self) -> None:
        """Write routes.json, truth.json and site.json from the current state."""
        _write(self.root / "routes.json", _dump(self.routes(), indent=1))
        _write(self.root / "truth.json", _dump(self.raw_truth()))
        state = {"seed": self.seed, "specs": [s.to_json() for s in self.specs.values()],
                 "links": [asdict(link) for link in self.links], "gone": self.gone, "template": self.template}
        _write(self.root / "site.json", _dump(state))

    def _write_static(self) -> None:
        static = Path(__file__).parent / "static"
        for source in static.rglob("*"):
            if source.is_file():
                _write(self.www / source.relative_to(static), source.read_bytes())
        _write(self.www / "robots.txt", b"User-agent: *\nDisallow: /private/\n")
        self._write_sections()

    def _write_sections(self) -> None:
        _write(self.www / "xwzx" / "index.html", self._pages.section_page("新闻中心", [], list(COLUMNS)))
        about = ["四川省直属机关工会委员会是省直机关工会组织的领导机关。", "本站为测试用复刻站点，所载内容均为生成的示例文字。"]
        _write(self.www / "gywm" / "index.html", self._pages.section_page("关于我们", about, []))

    def _write_home(self) -> None:
        blocks = [{"col": col, "articles": self.column_specs(col)[:8]} for col in COLUMNS]
        _write(self.www / "index.html", self._pages.home_page(blocks))

    def _write_article(self, spec: ArticleSpec, prev: ArticleSpec | None, nxt: ArticleSpec | None,
                       newest: list[ArticleSpec], *, bump: bool = False) -> None:
        sidebar = [s for s in newest if s.id != spec.id][:SIDEBAR_SIZE]
        data = self._pages.article_page(spec, prev, nxt, sidebar)
        mtime = None if bump else spec.when.replace(tzinfo=CST).timestamp()
        for path in filter(None, (spec.path, spec.alias_path)):
            _write(self._file(path), data, mtime=mtime)

    def _write_assets(self, spec: ArticleSpec) -> None:
        for block in spec.blocks:
            if block.kind == "img":
                _write(self._file(spec.directory + block.file), assets.JPEG)
            elif block.kind == "att":
                maker = assets.pdf if block.file.endswith(".pdf") else assets.doc
                _write(self._file(spec.directory + block.file), maker(block.text))

    def write_lists(self, col: Column) -> None:
        """Rewrite a column's list pages (and drop list pages it no longer needs)."""
        pages = self.list_pages(col)
        directory = self._file(col.path)
        total = {"total": sum(map(len, pages))} if self.template == redesign.NAME else {}
        for i, entries in enumerate(pages):
            name = "index.html" if i == 0 else f"index_{i}.html"
            _write(directory / name, self._pages.list_page(col, entries, len(pages), i, **total), mtime=None)
        for stale in directory.glob("index_*.html"):
            if int(stale.stem.split("_")[1]) >= len(pages):
                stale.unlink()

    def _file(self, path: str) -> Path:
        return self.www / path.lstrip("/")

    # ---- routes and truth ----------------------------------------------------------------
    def routes(self) -> dict[str, dict]:
        """Per-path server behaviour: redirects, forced 500s and Content-Type headers."""
        routes: dict[str, dict] = {}
        for spec in self.specs.values():
            if spec.encoding != "utf-8":
                routes[spec.path] = {"content_type": spec.content_type}
            if spec.redirect_from:
                routes[spec.redirect_from] = {"status": 301, "location": ORIGIN + spec.path}
        for link in self.links:
            if link.kind == "server_error":
                routes[link.path] = {"status": 500}
        for col in COLUMNS:
            if col.encoding != "utf-8":
                for i in range(len(self.list_pages(col))):
                    name = "index.html" if i == 0 else f"index_{i}.html"
                    ctype = "text/html; charset=gb2312" if i % 2 == 0 else "text/html"
                    routes[col.path + name] = {"content_type": ctype}
                routes[col.path] = routes[col.path + "index.html"]
        return routes

    def raw_truth(self) -> dict:
        """The truth with {{ORIGIN}}/{{OFFSITE}} tokens (see `truth` for a running server)."""
        columns = []
        for col in COLUMNS:
            pages = len(self.list_pages(col))
            columns.append({
                "key": col.key, "name": col.name, "path": col.path, "start_url": ORIGIN + col.path,
                "pager": self._pager(col), "encoding": col.encoding, "pages": pages,
                "list_urls": [ORIGIN + col.path + ("index.html" if i == 0 else f"index_{i}.html") for i in range(pages)],
                "articles": len(self.column_specs(col)),
            })
        articles = {}
        for spec in sorted(self.specs.values(), key=lambda s: s.path):
            if spec.private:
                continue
            articles[spec.path] = {
                "url": ORIGIN + spec.path,
                "column_path": spec.col.path,
                "encoding": spec.encoding,
                "content_type": spec.content_type,
                "aliases": [ORIGIN + spec.alias_path] if spec.alias_path else [],
                "redirect_from": [ORIGIN + spec.redirect_from] if spec.redirect_from else [],
                "tracking_urls": [ORIGIN + spec.path + "?" + q for _, q in spec.tracking],
                "record": record(spec),
            }
        by_kind = {kind: [ORIGIN + link.path for link in self.links if link.kind == kind]
                   for kind in ("not_found", "server_error")}
        return {
            "origin": ORIGIN,
            "seed_path": SEED_PATH,
            "columns": columns,
            "articles": articles,
            "redirects": {ORIGIN + s.redirect_from: ORIGIN + s.path for s in self.specs.values() if s.redirect_from},
            "not_found": by_kind["not_found"] + [ORIGIN + path for path in self.gone],
            "server_error": by_kind["server_error"],
            "robots_disallowed": [ORIGIN + s.path for s in self.specs.values() if s.private],
            "offsite": [link.href for link in self.links if link.kind == "offsite"]
            + [OFFSITE + path for path in FOOTER_OFFSITE],
        }

    def _pager(self, col: Column) -> str:
        """How the column's list pages page: link/script, numbered/script-vars after a redesign."""
        return redesign.PAGERS[col.pager] if self.template == redesign.NAME else col.pager

    def truth(self, origin: str, offsite: str | None = None) -> dict:
        """The truth for a server at `origin` (off-host links at `offsite`, by default the
        same port on localhost, as ReplicaServer serves them)."""
        if offsite is None:
            offsite = origin.replace("127.0.0.1", "localhost")
        text = (self.root / "truth.json").read_text(encoding="utf-8")
        return json.loads(text.replace(ORIGIN, origin).replace(OFFSITE, offsite))

    # ---- mutations -----------------------------------------------------------------------
    def add_article(self, column_path: str, title: str, body_paragraphs: list[str], published_at: datetime | str,
                    *, source: str | None = SITE_NAME, author: str | None = None, editor: str | None = None,
                    attachments: dict[str, bytes] | None = None) -> str:
        """Publish a new article in a column (by path or key); returns its path.

        The page shows the full date and time; the column's list pages, the neighbours'
        上一篇/下一篇 links, routes and truth are rewritten. `attachments` maps file names
        (stored beside the page, linked after the text as 附件：NAME) to their bytes."""
        col = _column(column_path)
        when = _local(published_at)
        spec = ArticleSpec(
            id=self._next_id(), column=col.key, published=when.isoformat(timespec="seconds"),
            title=title, blocks=[Block("p", p) for p in body_paragraphs], views=False,
            source_label="来源：" if source else None, source=source,
            author_label="作者：" if author else None, author=author,
            editor_style="div" if editor else None, editor=editor,
        )
        spec.blocks += [Block("att", name, name, "附件：") for name in attachments or {}]
        affected = self._neighbours(spec)
        self.specs[spec.id] = spec
        self._after_change(spec, affected | self._neighbours(spec))
        self._write_assets(spec)
        for name, data in (attachments or {}).items():
            _write(self._file(spec.directory + name), data)
        return spec.path

    def edit_article(self, path: str, title: str | None = None, body_paragraphs: list[str] | None = None) -> None:
        """Change an article's title and/or text paragraphs (its images and attachments stay,
        after the new paragraphs); the page, its neighbours, the list and the truth change."""
        spec = self.spec_at(path)
        if title is not None:
            spec.title = title
        if body_paragraphs is not None:
            kept = [b for b in spec.blocks if b.kind in ("img", "att")]
            spec.blocks = [Block("p", p) for p in body_paragraphs] + kept
        self._after_change(spec, self._neighbours(spec))

    def remove_article(self, path: str) -> None:
        """Take an article down: its page (and alias, redirect) answer 404 and no list links it."""
        spec = self.spec_at(path)
        affected = self._neighbours(spec)
        del self.specs[spec.id]
        for gone in filter(None, (spec.path, spec.alias_path)):
            self._file(gone).unlink(missing_ok=True)
        self.gone.extend(filter(None, (spec.path, spec.alias_path, spec.redirect_from)))
        self._after_change(None, affected)

    def redesign(self) -> None:
        """The site's CMS gets a new template (replica/redesign/): every page is rewritten in it
        (home, section and list pages, every article in every column, private and alias pages
        too, each in its column's encoding) at the same URLs, with the same content, so the
        articles' truth does not change; only truth.json's `pager` names the new pagers. Every
        rewritten page gets a new Last-Modified; the old stylesheet stays on the server, as it
        does on a real site. Later mutations (add_article...) write the new template too."""
        if self.template == redesign.NAME:
            raise SiteError("the site is redesigned already")
        self.template = redesign.NAME
        for source in redesign.STATIC.rglob("*"):
            if source.is_file():
                _write(self.www / "static" / "2023" / source.relative_to(redesign.STATIC), source.read_bytes())
        newest = self.newest(SIDEBAR_SIZE + 1)
        for spec in self.specs.values():
            prev, nxt = self._prev_next(spec)
            self._write_article(spec, prev, nxt, newest, bump=True)
        for col in COLUMNS:
            self.write_lists(col)
        self._write_home()
        self._write_sections()
        self.save()

    def _neighbours(self, spec: ArticleSpec) -> set[int]:
        """Ids of the articles beside `spec` in its column (whose 上一篇/下一篇 name it)."""
        order = [s.id for s in self.column_specs(spec.col)]
        if spec.id not in order:
            order.append(spec.id)
            order.sort(key=lambda i: (self.specs.get(i, spec).published, i), reverse=True)
        i = order.index(spec.id)
        return {x for x in order[max(i - 1, 0):i + 2] if x != spec.id and x in self.specs}

    def _prev_next(self, spec: ArticleSpec) -> tuple[ArticleSpec | None, ArticleSpec | None]:
        """The newer (上一篇) and older (下一篇) article of the column; none for a private page."""
        order = self.column_specs(spec.col)
        if spec not in order:
            return None, None
        i = order.index(spec)
        return (order[i - 1] if i > 0 else None), (order[i + 1] if i + 1 < len(order) else None)

    def _next_id(self) -> int:
        """An id no article, alias page or removed page has used."""
        used = [*self.specs, 1000]
        for path in [s.alias_path for s in self.specs.values() if s.alias_path] + self.gone:
            match = re.search(r"_(\d+)\.html$", path)
            used += [int(match.group(1))] if match else []
        return max(used) + 1

    def _after_change(self, spec: ArticleSpec | None, affected: set[int]) -> None:
        newest = self.newest(SIDEBAR_SIZE + 1)
        targets = [self.specs[i] for i in affected if i in self.specs] + ([spec] if spec else [])
        for target in targets:
            prev, nxt = self._prev_next(target)
            self._write_article(target, prev, nxt, newest, bump=True)
        for col in COLUMNS:  # lists name titles, and tracking/alias links cross columns
            self.write_lists(col)
        self._write_home()
        self.save()

    @classmethod
    def load(cls, root: Path) -> "Site":
        """Open a site built earlier (reads its site.json)."""
        try:
            state = json.loads((Path(root) / "site.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SiteError(f"{root} is not a replica site (no site.json)") from None
        specs = [ArticleSpec.from_json(s) for s in state["specs"]]
        return cls(Path(root), state["seed"], specs, [ListLink(**x) for x in state["links"]], state["gone"],
                   state.get("template", "original"))


def _column(column: str) -> Column:
    key = column.strip("/").split("/")[-1]
    if key not in COLUMN_BY_KEY:
        names = ", ".join(c.path for c in COLUMNS)
        raise SiteError(f"no column {column!r} (columns: {names})")
    return COLUMN_BY_KEY[key]


def _local(value: datetime | str) -> datetime:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is not None:
        when = when.astimezone(CST).replace(tzinfo=None)
    return when.replace(microsecond=0)


def _dump(data: object, indent: int | None = None) -> bytes:
    """JSON as UTF-8; compact by default (the C encoder: truth for 5,000 articles in 0.2 s)."""
    return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8")


def _write(target: Path, data: bytes, mtime: float | None = None) -> None:
    """Write atomically (the server may be reading), then set the modification time.

    With mtime None the file is stamped now, and at least a second after its previous
    stamp, so Last-Modified always moves when a page changes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = target.stat().st_mtime if target.exists() else 0.0
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    if mtime is None:
        mtime = max(time.time(), previous + 1) if previous else None
    if mtime is not None:
        os.utime(target, (mtime, mtime))
