"""Render replica pages (article, list, home) from specs with the Jinja2 templates in templates/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .model import COLUMNS, OFFSITE, ORIGIN, ArticleSpec, Column

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_ENV.globals.update(columns=COLUMNS, origin=ORIGIN, offsite=OFFSITE)
INDENTS = {"": Markup(""), "full": Markup("\u3000\u3000"), "nbsp": Markup("&nbsp;" * 4)}
NBSP2 = Markup("&nbsp;&nbsp;")


@dataclass(frozen=True)
class ListEntry:
    """One item of a column list: where it links, the full title, the shown label and date."""

    href: str
    title: str
    date: str

    @property
    def label(self) -> str:
        return self.title if len(self.title) <= 30 else self.title[:28] + "..."


def charset(encoding: str) -> str:
    """What a page declares in its meta tag: GBK pages declare gb2312, as the real CMS does."""
    return "gb2312" if encoding == "gbk" else "utf-8"


def info_line(spec: ArticleSpec) -> Markup:
    """The div.info content: date, source and author spans, and the script view counter."""
    spans = []
    if spec.date_style != "none":
        spans.append(Markup("<span>{}</span>").format(spec.date_label + spec.date_text()))
    if spec.source_label:
        spans.append(Markup("<span>{}</span>").format(spec.source_label + (spec.source or "")))
    if spec.author_label:
        spans.append(Markup("<span>{}</span>").format(spec.author_label + (spec.author or "")))
    line = NBSP2.join(spans)
    if spec.views:
        counter = Markup("<span>浏览次数:<script>document.write(Math.round(Math.random()*1000+{}))</script></span>")
        line += Markup(" ") + counter.format(spec.id % 500 + 100)
    return line


def article_page(
    spec: ArticleSpec,
    prev: ArticleSpec | None,
    next_: ArticleSpec | None,
    sidebar: list[ArticleSpec],
) -> bytes:
    """The article page's bytes in its column's encoding (strict: unencodable text is a bug)."""
    html = _ENV.get_template("article.html").render(
        a=spec,
        info=info_line(spec),
        indent=INDENTS[spec.indent],
        prev=prev,
        next=next_,
        sidebar=sidebar,
        charset=charset(spec.encoding),
    )
    return html.encode(spec.encoding)


def link_pager(pages: int, current: int) -> Markup:
    """首页/上一页/下一页/尾页 as anchors (上一页/下一页 as plain text at the ends)."""

    def name(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"

    def anchor(i: int, text: str) -> Markup:
        return Markup('<a href="{}">{}</a>').format(name(i), text)

    prev = anchor(current - 1, "上一页") if current > 0 else Markup("<span>上一页</span>")
    nxt = anchor(current + 1, "下一页") if current < pages - 1 else Markup("<span>下一页</span>")
    parts = [anchor(0, "首页"), prev, nxt, anchor(pages - 1, "尾页")]
    return Markup(" ").join(parts) + Markup(" <span>共{}页</span>").format(pages)


def script_pager(pages: int, current: int) -> Markup:
    """The CMS's script pager call (the browser's page.js writes the links)."""
    return Markup('<script>createPageHTML({}, {}, "index", "html");</script>').format(pages, current)


def list_page(col: Column, entries: list[ListEntry], pages: int, current: int) -> bytes:
    """One page of a column list in the column's encoding."""
    pager = link_pager(pages, current) if col.pager == "link" else script_pager(pages, current)
    html = _ENV.get_template("list.html").render(
        col=col, entries=entries, pager=pager, charset=charset(col.encoding)
    )
    return html.encode(col.encoding)


def home_page(blocks: list[dict]) -> bytes:
    """The home page: each column's newest headlines."""
    return _ENV.get_template("home.html").render(blocks=blocks, charset="utf-8").encode("utf-8")


def section_page(heading: str, paragraphs: list[str], links: list[Column]) -> bytes:
    """A plain section page (新闻中心, 关于我们)."""
    html = _ENV.get_template("section.html").render(
        heading=heading, paragraphs=paragraphs, links=links, charset="utf-8"
    )
    return html.encode("utf-8")


def esc(text: str) -> str:
    """HTML-escape text (used by tests and callers that compare page bytes)."""
    return str(escape(text))
