"""Generate the city union replica: a sister site in a DedeCMS-style template, with its own traps.

    site = build_city_site(tmp_path)              # 工会要闻/基层动态/通知公告, 120 articles
    with ReplicaServer(site.root) as server:      # the same server as the provincial replica
        site.start_urls(server.origin)
        site.truth(server.origin)

Text comes from the provincial replica's generator (replica.text), re-addressed to the city.
Its awkward cases differ from the provincial site's: a pinned article on every list page,
a "下页" text pager and an arrow pager (a.next ›), list pages also reachable as list_N_1.html,
a GBK column whose header names no charset, dates as 2023-01-18 17:40 / 2023年01月18日,
an editor line closing the body, uploads under /uploads/, a 301 from an old /html/ path,
a tracking-parameter link, a 404, an off-host link and a robots-disallowed /member/ page.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import assets, text
from ..model import OFFSITE, ORIGIN, Block
from ..render import ListEntry
from .model import (COLUMNS, DATE_LABELS, DATE_STYLES, PER_PAGE, SITE_NAME, SOURCE_LABELS,
                    CityArticle, CityColumn, record)

DEFAULT_COUNTS = (45, 40, 35)
FIRST_DAY = datetime(2021, 3, 1)
SPAN_DAYS = 1000
# The provincial generator writes about 省直 units; the city site's pages say 市.
CITY_WORDS = (("各省直单位工会", "各区（市）县总工会"), ("四川省直属机关工会委员会", SITE_NAME),
              ("省直机关工会", "市总工会"), ("省直单位", "市级机关"), ("省直机关", "市级机关"))
_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                   undefined=StrictUndefined, keep_trailing_newline=True)
_ENV.globals.update(columns=COLUMNS, site_name=SITE_NAME, offsite=OFFSITE)


class CitySite:
    """A built city replica in `root` (www/, routes.json, truth.json), served by ReplicaServer."""

    columns = COLUMNS

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def start_urls(self, origin: str) -> list[str]:
        """The column list URLs a crawl of this site starts from, for a server at `origin`."""
        return [origin + c.path for c in COLUMNS]

    def truth(self, origin: str, offsite: str | None = None) -> dict:
        """truth.json with the server's origins in place of {{ORIGIN}}/{{OFFSITE}}."""
        offsite = offsite or origin.replace("127.0.0.1", "localhost")
        raw = (self.root / "truth.json").read_text(encoding="utf-8")
        return json.loads(raw.replace(ORIGIN, origin).replace(OFFSITE, offsite))


def build_city_site(out_dir: Path, *, articles_per_column: tuple[int, int, int] = DEFAULT_COUNTS,
                    seed: int = 0) -> CitySite:
    """Build the city replica into `out_dir` (same seed, same bytes) and return it."""
    if len(articles_per_column) != len(COLUMNS) or min(articles_per_column) < 8:
        raise ValueError(f"articles_per_column: give {len(COLUMNS)} numbers, each at least 8")
    rng = random.Random(seed)
    specs = [_article(col, i, rng) for col, count in zip(COLUMNS, articles_per_column)
             for i in range(count)]
    _number(specs)
    extra_links = _traps(specs, rng)
    _Writer(Path(out_dir), specs, extra_links).write_all()
    return CitySite(Path(out_dir))


# ---------------------------------------------------------------- generation

def _city(words: str) -> str:
    for province, city in CITY_WORDS:
        words = words.replace(province, city)
    for unit in text.UNITS:
        words = words.replace(unit, "市" + unit[1:])
    return words


def _article(col: CityColumn, i: int, rng: random.Random) -> CityArticle:
    """One article; its index picks the template variations round-robin."""
    when = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS), seconds=rng.randrange(8 * 3600, 18 * 3600))
    generated = text.notice_text(rng, when) if col.kind == "notice" else text.news_text(col.kind, rng, when)
    blocks = [Block(kind, _city(words)) for kind, words in generated.paragraphs]
    has_source = i % 5 != 4
    spec = CityArticle(
        id=0, column=col.key, published=when.isoformat(timespec="seconds"),
        title=_city(generated.title) + (f"（{i}）" if col.kind == "notice" else ""), blocks=blocks,
        date_style=tuple(DATE_STYLES)[i % len(DATE_STYLES)], date_label=DATE_LABELS[(i // 3) % 3],
        source_label=SOURCE_LABELS[i % 2] if has_source else None,
        source=_source(col, rng) if has_source else None,
        author=text.person(rng) if i % 4 == 1 else None,
        editor=text.person(rng) if i % 3 != 2 else None,
        link_style="absolute" if col.pager == "arrow" and i % 2 else "root",
    )
    _add_media(spec, col, i, rng)
    return spec


def _source(col: CityColumn, rng: random.Random) -> str:
    if col.kind == "notice":
        return SITE_NAME
    return rng.choice((SITE_NAME, "成都日报", "市总工会宣传部", "成都工人报"))


def _add_media(spec: CityArticle, col: CityColumn, i: int, rng: random.Random) -> None:
    """Uploads: photos inside news bodies, PDF/DOC attachments closing some notices."""
    stamp = f"{spec.when:%y%m%d}"
    if col.kind != "notice" and i % 3 == 1:
        for k in range(rng.randint(1, 2)):
            spec.blocks.insert(rng.randint(1, len(spec.blocks)),
                               Block("img", file=f"/uploads/allimg/{stamp}/{col.typeid}-{i:03d}{k}.jpg"))
    if col.kind == "notice" and i % 2 == 0:
        ext = ("pdf", "doc")[i % 4 // 2]
        name = f"{spec.when.year}年{rng.choice(text.THINGS)}报名表.{ext}".replace("“", "").replace("”", "")
        spec.blocks.append(Block("att", name, f"/uploads/soft/{stamp}/{col.typeid}-{i:03d}.{ext}", "附件："))


def _number(specs: list[CityArticle]) -> None:
    """DedeCMS aids grow with publication time; upload files carry no aid."""
    for aid, spec in enumerate(sorted(specs, key=lambda s: s.published), start=101):
        spec.id = aid


def _traps(specs: list[CityArticle], rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """Mark the awkward cases and return extra list links (column, kind, href, title, date)."""
    by_col = {c.key: sorted((s for s in specs if s.column == c.key), key=lambda s: s.published, reverse=True)
              for c in COLUMNS}
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    news[min(20, len(news) - 1)].pinned = True  # (positions shrink with small columns, never collide)
    moved = grass[min(7, len(grass) - 2)]
    moved.redirect_from = f"/html/jcdt/{moved.id}.html"
    news[min(9, len(news) - 3)].link_style = "tracking"
    hidden = notices[min(4, len(notices) - 1)]
    hidden.private = True
    gone_when = news[min(5, len(news) - 5)].when - timedelta(hours=1)
    far = grass[min(12, len(grass) - 1)]
    return [
        ("ghyw", "not_found", f"/a/ghyw/{gone_when:%Y%m%d}/99404.html",
         _city(text.title_for("news", rng, gone_when.year)), gone_when.isoformat()),
        ("jcdt", "offsite", f"{OFFSITE}{far.path}", far.title + "（转载）",
         (far.when - timedelta(minutes=5)).isoformat()),
    ]


# ---------------------------------------------------------------- writing

class _Writer:
    """Renders and writes every page, the routes and the truth of one city replica."""

    def __init__(self, root: Path, specs: list[CityArticle], links: list[tuple[str, str, str, str, str]]):
        self.root, self.www = root, root / "www"
        self.specs, self.links = specs, links
        self.routes: dict[str, dict] = {}

    def write_all(self) -> None:
        self._put("/robots.txt", b"User-agent: *\nDisallow: /member/\nDisallow: /plus/\n")
        for col in COLUMNS:
            order = [s for s in self._public(col)]
            for i, spec in enumerate(order):
                self._write_article(spec, order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
            self._write_lists(col)
        for spec in self.specs:
            if spec.private:
                self._write_article(spec, None, None)
        home = [{"col": c, "articles": self._public(c)[:6]} for c in COLUMNS]
        self._put("/index.html", self._render("home.html", "utf-8", blocks=home))
        _dump(self.root / "routes.json", self.routes)
        _dump(self.root / "truth.json", self._truth())

    def _public(self, col: CityColumn) -> list[CityArticle]:
        found = [s for s in self.specs if s.column == col.key and not s.private]
        return sorted(found, key=lambda s: (s.published, s.id), reverse=True)

    def _render(self, template: str, encoding: str, **values: object) -> bytes:
        charset = "gbk" if encoding == "gbk" else "utf-8"
        return _ENV.get_template(template).render(charset=charset, **values).encode(encoding)

    def _put(self, path: str, data: bytes) -> None:
        target = self.www / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _write_article(self, spec: CityArticle, prev: CityArticle | None, nxt: CityArticle | None) -> None:
        page = self._render("article.html", spec.col.encoding, a=spec, meta=_meta_line(spec), prev=prev, next=nxt)
        self._put(spec.path, page)
        self.routes[spec.path] = {"content_type": spec.content_type}
        if spec.redirect_from:
            self.routes[spec.redirect_from] = {"status": 301, "location": ORIGIN + spec.path}
        for block in spec.blocks:
            if block.kind == "img":
                self._put(block.file, assets.JPEG)
            elif block.kind == "att":
                self._put(block.file, (assets.pdf if block.file.endswith(".pdf") else assets.doc)(block.text))

    def _entries(self, col: CityColumn) -> tuple[list[ListEntry], ListEntry | None]:
        """The column's list items newest first, and its pinned item (shown on every page)."""
        items, pinned = [], None
        for spec in self.specs:
            if spec.column != col.key:
                continue
            entry = ListEntry(_href(spec), spec.title, spec.published[:10])
            if spec.pinned:
                pinned = ListEntry(entry.href, entry.title, entry.date)
            items.append((spec.published, spec.id, entry))
        for column, _kind, href, title, when in self.links:
            if column == col.key:
                items.append((when, 0, ListEntry(href, title, when[:10])))
        items.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [item[2] for item in items], pinned

    def _write_lists(self, col: CityColumn) -> None:
        entries, pinned = self._entries(col)
        pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
        for i, chunk in enumerate(pages):
            shown = ([pinned] if pinned else []) + chunk
            data = self._render("list.html", col.encoding, col=col, entries=shown,
                                pager=_pager(col, len(pages), i, len(entries)))
            names = [col.page_name(i)] + ([f"list_{col.typeid}_1.html"] if i == 0 else [])
            for name in names:
                self._put(col.path + name, data)
                if col.encoding != "utf-8":
                    self.routes[col.path + name] = {"content_type": "text/html"}
        if col.encoding != "utf-8":
            self.routes[col.path] = {"content_type": "text/html"}

    def _truth(self) -> dict:
        columns = []
        for col in COLUMNS:
            entries, _ = self._entries(col)
            pages = max(1, -(-len(entries) // PER_PAGE))
            columns.append({"key": col.key, "name": col.name, "path": col.path,
                            "start_url": ORIGIN + col.path, "pager": col.pager, "encoding": col.encoding,
                            "pages": pages, "articles": len(self._public(col)),
                            "list_urls": [ORIGIN + col.path + col.page_name(i) for i in range(pages)]})
        articles = {
            spec.path: {"url": ORIGIN + spec.path, "column_path": spec.col.path, "encoding": spec.col.encoding,
                        "content_type": spec.content_type, "aliases": [],
                        "redirect_from": [ORIGIN + spec.redirect_from] if spec.redirect_from else [],
                        "tracking_urls": [ORIGIN + _href(spec)] if spec.link_style == "tracking" else [],
                        "record": record(spec)}
            for spec in sorted(self.specs, key=lambda s: s.path) if not spec.private
        }
        links = {kind: [href if href.startswith(OFFSITE) else ORIGIN + href
                        for _c, k, href, _t, _w in self.links if k == kind] for kind in ("not_found", "offsite")}
        return {
            "origin": ORIGIN, "site": SITE_NAME, "columns": columns, "articles": articles,
            "redirects": {ORIGIN + s.redirect_from: ORIGIN + s.path for s in self.specs if s.redirect_from},
            "not_found": links["not_found"], "server_error": [],
            "robots_disallowed": [ORIGIN + s.path for s in self.specs if s.private],
            "offsite": links["offsite"] + [OFFSITE + "/sgh/", OFFSITE + "/acftu/", OFFSITE + "/a/zxfw/"],
        }


def _href(spec: CityArticle) -> str:
    """How a list links the article."""
    if spec.redirect_from:
        return spec.redirect_from
    if spec.link_style == "absolute":
        return ORIGIN + spec.path
    if spec.link_style == "tracking":
        return spec.path + "?spm=zm5087-001.0.0.1"
    return spec.path


def _meta_line(spec: CityArticle) -> Markup:
    """div.art-meta: date, source, author and the click counter, separated by two spaces."""
    parts = [Markup("{}{}").format(spec.date_label, spec.date_text())]
    if spec.source_label:
        parts.append(Markup("{}{}").format(spec.source_label, spec.source))
    if spec.author:
        parts.append(Markup("作者：{}").format(spec.author))
    counter = Markup('点击：<script src="/plus/count.php?view=yes&amp;aid={}"></script>次').format(spec.id)
    return Markup("&nbsp;&nbsp;").join(parts + [counter])


def _pager(col: CityColumn, pages: int, current: int, total: int) -> Markup:
    """The DedeCMS pager: 首页/上页/numbers/下页/末页 (text) or numbers with a.next › (arrow)."""
    def link(i: int, label: str, cls: str = "") -> Markup:
        attrs = Markup(' class="{}"').format(cls) if cls else Markup("")
        return Markup('<a href="{}"{}>{}</a>').format(col.page_name(i), attrs, label)

    numbers = [Markup('<span class="thisclass">{}</span>').format(i + 1) if i == current else link(i, str(i + 1))
               for i in range(pages)]
    if col.pager == "arrow":
        nxt = [link(current + 1, "›", "next")] if current + 1 < pages else []
        return Markup(" ").join(numbers + nxt)
    parts = [Markup('<a href="list_{}_1.html">首页</a>').format(col.typeid)]
    parts += [link(current - 1, "上页")] if current else []
    parts += numbers + ([link(current + 1, "下页")] if current + 1 < pages else [])
    parts += [link(pages - 1, "末页"), Markup('<span class="pageinfo">共 <strong>{}</strong>页<strong>{}</strong>条</span>').format(pages, total)]
    return Markup(" ").join(parts)


def _dump(target: Path, data: object) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
