"""The replica's data model: columns, article specs, and the parse record each spec implies.

A spec says what an article page shows and how (date style, labels, encoding...); the HTML is
rendered from it and its truth record is derived from it by the contract's reading rules, so
the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ORIGIN = "{{ORIGIN}}"
OFFSITE = "{{OFFSITE}}"
SITE_NAME = "四川省直属机关工会委员会"
PER_PAGE = 20

# How the info line writes the date: strftime-like builders, and whether a time is shown.
DATE_STYLES: dict[str, tuple[str, str]] = {
    "full": ("{d:%Y-%m-%d %H:%M:%S}", "seconds"),
    "minute": ("{d:%Y-%m-%d %H:%M}", "minutes"),
    "cn": ("{d.year}年{d.month}月{d.day}日", "date"),
    "cn0": ("{d:%Y}年{d:%m}月{d:%d}日", "date"),
    "slash": ("{d:%Y/%m/%d}", "date"),
    "dot": ("{d:%Y.%m.%d}", "date"),
    "none": ("", "url"),
}
DATE_LABELS = ("", "发布时间：", "日期：", "时间：")
SOURCE_LABELS = ("来源:", "来源：", "信息来源：", "稿源：", "文章来源：")
AUTHOR_LABELS = ("作者：", "记者 ", "通讯员：")


@dataclass(frozen=True)
class Column:
    """A news column: its directory key, display name, pager style and page encoding."""

    key: str
    name: str
    pager: str  # "link" (下一页 anchors) or "script" (createPageHTML)
    encoding: str  # "utf-8" or "gbk" (declared gb2312)
    kind: str  # text generator: news, notice, grassroots

    @property
    def path(self) -> str:
        return f"/xwzx/{self.key}/"


COLUMNS = (
    Column("ghxw", "工会新闻", "link", "utf-8", "news"),
    Column("tzgg", "通知公告", "script", "utf-8", "notice"),
    Column("jcdt", "基层动态", "link", "gbk", "grassroots"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_BY_PATH = {c.path: c for c in COLUMNS}


@dataclass
class Block:
    """One block of an article body: a paragraph, a bold subhead, an image or an attachment."""

    kind: str  # p, strong, img, att
    text: str = ""  # paragraph text, or the attachment's visible file name
    file: str = ""  # image/attachment file name, stored beside the article page
    prefix: str = ""  # attachment label such as 附件： or 附件1：


@dataclass
class ArticleSpec:
    """Everything that decides how one article page looks, and so what its truth is."""

    id: int
    column: str
    published: str  # local time, ISO without offset: 2023-01-18T17:40:03
    title: str
    blocks: list[Block]
    date_style: str = "full"
    date_label: str = ""
    source_label: str | None = "来源："
    source: str | None = SITE_NAME
    author_label: str | None = None
    author: str | None = None
    editor: str | None = None
    editor_style: str | None = None  # "div", "para" or None
    views: bool = True
    meta: bool = False
    canonical: bool = False  # carries <link rel=canonical> to its own (canonical) path
    indent: str = ""  # "", "full" (　　) or "nbsp"
    asset_style: str = "relative"  # relative, root or absolute
    link_style: str = "relative"  # how the column list links it: relative, root, absolute
    served_charset: bool = True  # GBK pages: Content-Type header names the charset or not
    alias_path: str | None = None  # the same article at a second path (carries rel=canonical)
    redirect_from: str | None = None  # listed under this old path, which 301-redirects here
    tracking: list[str] = field(default_factory=list)  # extra list links: path?query
    private: bool = False  # lives under /private/ (robots-disallowed)

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def col(self) -> Column:
        return COLUMN_BY_KEY[self.column]

    @property
    def directory(self) -> str:
        """The URL directory of the page, e.g. /xwzx/ghxw/202301/."""
        base = f"/private/{self.column}/" if self.private else self.col.path
        return f"{base}{self.when:%Y%m}/"

    @property
    def path(self) -> str:
        return f"{self.directory}t{self.when:%Y%m%d}_{self.id}.html"

    @property
    def encoding(self) -> str:
        return self.col.encoding

    @property
    def content_type(self) -> str:
        if self.encoding == "utf-8":
            return "text/html; charset=utf-8"
        return "text/html; charset=gb2312" if self.served_charset else "text/html"

    def date_text(self) -> str:
        """The date as the info line writes it, without label ('' when no date is shown)."""
        return DATE_STYLES[self.date_style][0].format(d=self.when)

    def asset_href(self, file: str) -> str:
        """How the page links one of its images or attachments."""
        if self.asset_style == "relative":
            return f"./{file}"
        if self.asset_style == "root":
            return self.directory + file
        return ORIGIN + self.directory + file

    def to_json(self) -> dict:
        data = dict(vars(self))  # dataclasses.asdict is 10x slower, and 5,000 specs are saved
        data["blocks"] = [dict(vars(b)) for b in self.blocks]
        data["tracking"] = [list(t) for t in self.tracking]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ArticleSpec":
        data = dict(data)
        data["blocks"] = [Block(**b) for b in data["blocks"]]
        return cls(**data)


def published_at(spec: ArticleSpec) -> str:
    """The contract's published_at: with +08:00 when a time is shown, else the date alone."""
    precision = DATE_STYLES[spec.date_style][1]
    when = spec.when
    if precision == "seconds":
        return f"{when:%Y-%m-%dT%H:%M:%S}+08:00"
    if precision == "minutes":
        return f"{when:%Y-%m-%dT%H:%M}:00+08:00"
    return f"{when:%Y-%m-%d}"


def body_lines(spec: ArticleSpec) -> list[str]:
    """Body text by the contract: visible paragraph text in order, images and editor line dropped."""
    lines = []
    for block in spec.blocks:
        if block.kind in ("p", "strong"):
            lines.append(block.text.strip())
        elif block.kind == "att":
            lines.append(block.prefix + block.text)
    return lines


def record(spec: ArticleSpec) -> dict:
    """The parse record a careful reader takes from the article's page (URLs with {{ORIGIN}})."""
    files = {kind: [ORIGIN + spec.directory + b.file for b in spec.blocks if b.kind == kind] for kind in ("img", "att")}
    return {
        "title": spec.title,
        "published_at": published_at(spec),
        "source": spec.source if spec.source_label else None,
        "author": spec.author if spec.author_label else None,
        "editor": spec.editor if spec.editor_style else None,
        "body": "\n".join(body_lines(spec)),
        "column": spec.col.name,
        "images": files["img"],
        "attachments": files["att"],
        "canonical_url": ORIGIN + spec.path if spec.canonical else None,
    }
