"""The city union replica's data model: its columns, its article specs and the truth each implies.

The city site runs a DedeCMS-style template, unlike the provincial TRS one: `/a/<column>/`
lists paged as `list_<typeid>_<n>.html`, articles at `/a/<column>/<YYYYMMDD>/<id>.html`,
images and attachments under `/uploads/`, a `div.art-meta` line and a `div.art-body` body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..model import ORIGIN, Block

SITE_NAME = "成都市总工会"
PER_PAGE = 15

# How the meta line writes the date, and what published_at a careful reader takes from it.
DATE_STYLES: dict[str, tuple[str, str]] = {
    "minute": ("{d:%Y-%m-%d %H:%M}", "minutes"),
    "cn0": ("{d:%Y}年{d:%m}月{d:%d}日", "date"),
    "date": ("{d:%Y-%m-%d}", "date"),
}
DATE_LABELS = ("发布日期：", "发布时间：", "日期：")
SOURCE_LABELS = ("信息来源：", "来源：")


@dataclass(frozen=True)
class CityColumn:
    """A column of the city site: its directory key, name, DedeCMS type id, pager and encoding."""

    key: str
    name: str
    typeid: int
    pager: str  # "text" (上页/下页 anchors) or "arrow" (numbers and a.next ›)
    encoding: str  # "utf-8" or "gbk" (declared gbk in the page, no charset in the header)
    kind: str  # text generator: news, grassroots, notice

    @property
    def path(self) -> str:
        return f"/a/{self.key}/"

    def page_name(self, index: int) -> str:
        """File name of list page `index` (0-based): index.html, then list_<typeid>_2.html..."""
        return "index.html" if index == 0 else f"list_{self.typeid}_{index + 1}.html"


COLUMNS = (
    CityColumn("ghyw", "工会要闻", 11, "text", "utf-8", "news"),
    CityColumn("jcdt", "基层动态", 12, "arrow", "utf-8", "grassroots"),
    CityColumn("tzgg", "通知公告", 13, "text", "gbk", "notice"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


@dataclass
class CityArticle:
    """Everything that decides how one city article page looks, and so what its truth is."""

    id: int
    column: str
    published: str  # local time, ISO without offset
    title: str
    blocks: list[Block]  # img/att blocks carry their root-relative /uploads/ path in `file`
    date_style: str = "minute"
    date_label: str = "发布日期："
    source_label: str | None = "信息来源："
    source: str | None = SITE_NAME
    author: str | None = None
    editor: str | None = None
    link_style: str = "root"  # how lists link it: root (/a/...), absolute, or tracking (?spm=)
    pinned: bool = False  # 置顶: listed first on every page of its column
    redirect_from: str | None = None  # listed under this old /html/ path, which 301s here
    private: bool = False  # under /member/ (robots-disallowed)
    extra: dict = field(default_factory=dict)

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def col(self) -> CityColumn:
        return COLUMN_BY_KEY[self.column]

    @property
    def path(self) -> str:
        base = f"/member/a/{self.column}/" if self.private else self.col.path
        return f"{base}{self.when:%Y%m%d}/{self.id}.html"

    @property
    def content_type(self) -> str:
        return "text/html; charset=utf-8" if self.col.encoding == "utf-8" else "text/html"

    def date_text(self) -> str:
        return DATE_STYLES[self.date_style][0].format(d=self.when)


def published_at(spec: CityArticle) -> str:
    """The contract's published_at: minutes get :00 and +08:00, date-only styles the date."""
    if DATE_STYLES[spec.date_style][1] == "minutes":
        return f"{spec.when:%Y-%m-%dT%H:%M}:00+08:00"
    return f"{spec.when:%Y-%m-%d}"


def record(spec: CityArticle) -> dict:
    """The parse record a careful reader takes from the page (URLs with {{ORIGIN}})."""
    body = [b.prefix + b.text if b.kind == "att" else b.text.strip()
            for b in spec.blocks if b.kind in ("p", "strong", "att")]
    return {
        "title": spec.title,
        "published_at": published_at(spec),
        "source": spec.source if spec.source_label else None,
        "author": spec.author,
        "editor": spec.editor,
        "body": "\n".join(body),
        "column": spec.col.name,
        "images": [ORIGIN + b.file for b in spec.blocks if b.kind == "img"],
        "attachments": [ORIGIN + b.file for b in spec.blocks if b.kind == "att"],
        "canonical_url": None,
    }
