"""The union site after a redesign: the same pages, URLs and content in a new template.

The province's CMS vendor re-skinned the site (a 2023-style responsive TRS template, as such
redesigns go): every class and id is new, the headline is a plain `div`, the info line puts
来源 before 作者 before 发布时间 and adds a read counter and a 字号 switch, the body sits in the
new editor's `TRS_UEDITOR` block, the breadcrumb is TRS's channel navigation (`CurrChnlCls`
links, no 正文), list items are dated rows of `div`s beside a sub-column menu, link-paged
columns get a numbered pager with arrows, and the script-paged column gets the classic TRS
inline pager script (`var countPage = N` and `document.write` of the links). What a reader takes
from every article (title, date, 来源, author, editor, body, images, attachments, column) is
unchanged, so the truth of the site does not change.

`Site.redesign()` switches a built site to these renderers; the functions here have the same
signatures as `replica.render`'s.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..model import COLUMNS, OFFSITE, ORIGIN, SITE_NAME, ArticleSpec, Column
from ..render import INDENTS, ListEntry, charset

HERE = Path(__file__).parent
STATIC = HERE / "static"
NAME = "redesign"
#: How each column's pager is written after the redesign (truth.json's `pager`).
PAGERS = {"link": "numbered", "script": "script-vars"}

_ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_ENV.globals.update(columns=COLUMNS, origin=ORIGIN, offsite=OFFSITE, site_name=SITE_NAME)


def info_line(spec: ArticleSpec) -> Markup:
    """The new info line: 来源, 作者, 发布时间 (the CMS's own labels), read counter, 字号."""
    spans = []
    if spec.source_label:
        spans.append(Markup('<span class="xl-ly">来源：{}</span>').format(spec.source or ""))
    if spec.author_label:
        spans.append(Markup('<span class="xl-zz">作者：{}</span>').format(spec.author or ""))
    if spec.date_style != "none":
        spans.append(Markup('<span class="xl-sj">发布时间：{}</span>').format(spec.date_text()))
    if spec.views:
        spans.append(Markup('<span class="xl-ll">阅读次数：<em id="readCount">'
                            '<script>document.write(Math.round(Math.random()*1000+{}))</script></em></span>')
                     .format(spec.id % 500 + 100))
    spans.append(Markup('<span class="xl-zh">字号：<a href="javascript:void(0)" onclick="setFont(18)">大</a>'
                        '<a href="javascript:void(0)" onclick="setFont(16)">中</a>'
                        '<a href="javascript:void(0)" onclick="setFont(14)">小</a></span>'))
    return Markup("\n    ").join(spans)


def article_page(spec: ArticleSpec, prev: ArticleSpec | None, next_: ArticleSpec | None,
                 sidebar: list[ArticleSpec]) -> bytes:
    html = _ENV.get_template("article.html").render(
        a=spec, info=info_line(spec), indent=INDENTS[spec.indent], prev=prev, next=next_,
        sidebar=sidebar, charset=charset(spec.encoding),
    )
    return html.encode(spec.encoding)


def _name(i: int) -> str:
    return "index.html" if i == 0 else f"index_{i}.html"


def numbered_pager(pages: int, current: int, total: int) -> Markup:
    """首页 < 1 2 3 4 5 > 尾页, a window of five numbers around the current page, and the
    item count; the arrows are plain text at the ends."""
    def anchor(i: int, text: str, cls: str = "") -> Markup:
        attr = Markup(' class="{}"').format(cls) if cls else Markup("")
        return Markup('<a href="{}"{}>{}</a>').format(_name(i), attr, text)

    parts = [anchor(0, "首页", "fy-sy")]
    parts.append(anchor(current - 1, "<", "fy-prev") if current > 0 else Markup('<span class="fy-prev fy-dis">&lt;</span>'))
    first = max(0, min(current - 2, pages - 5))
    for i in range(first, min(first + 5, pages)):
        parts.append(Markup('<span class="fy-cur">{}</span>').format(i + 1) if i == current else anchor(i, str(i + 1)))
    parts.append(anchor(current + 1, ">", "fy-next") if current < pages - 1
                 else Markup('<span class="fy-next fy-dis">&gt;</span>'))
    parts.append(anchor(pages - 1, "尾页", "fy-wy"))
    parts.append(Markup('<span class="fy-tj">共{}页 {}条</span>').format(pages, total))
    return Markup("\n   ").join(parts)


def list_page(col: Column, entries: list[ListEntry], pages: int, current: int, total: int | None = None) -> bytes:
    html = _ENV.get_template("list.html").render(
        col=col, entries=entries, pages=pages, current=current,
        pager=numbered_pager(pages, current, total if total is not None else len(entries)) if col.pager == "link" else None,
        charset=charset(col.encoding),
    )
    return html.encode(col.encoding)


def home_page(blocks: list[dict]) -> bytes:
    return _ENV.get_template("home.html").render(blocks=blocks, charset="utf-8").encode("utf-8")


def section_page(heading: str, paragraphs: list[str], links: list[Column]) -> bytes:
    html = _ENV.get_template("section.html").render(
        heading=heading, paragraphs=paragraphs, links=links, charset="utf-8")
    return html.encode("utf-8")
