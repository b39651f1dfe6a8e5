"""PHPCMS v9 zoo site: a GBK sister union site, two columns generated as static HTML, one dynamic.

What it is based on (read, not copied): PHPCMS v9's own PHP that writes the markup -
phpcms/libs/functions/global.func.php pages() (the list pager: "<a class="a1">N条</a>", 上一页,
<span> for the current page, 下一页), modules/content/functions/util.func.php content_pages() (the
in-article pager of a [page]-split article), catpos() (the 首页 > parent > column > 正文 crumbs),
the stock templates/default/content/list.html and show.html copied into many public repositories
(ul.list with span.rt dates and li.bk20 separators every five items, div#Article with the info line
inside the <h1>, div#pages, 上一篇/下一篇, 延伸阅读, Article-Tool with 打印/关闭, the
api.php?op=count hits script filling span#hits), its default URL rules (html/{catdir}/index.html and
{page}.html for lists, html/{year}/{catdir}_{month}{day}/{id}.html and {id}_{page}.html for
articles, index.php?m=content&c=index&a=lists|show for dynamic columns), uploadfile/YYYY/MMDD/
timestamped upload names, and public scrapers of PHPCMS sites (they page with the div#pages
下一页 link and read the 条 count from the first a.a1).

Layout:
    /html/ghyw/ (pager's page 1 is /html/ghyw/index.html), /html/ghyw/2.html
    /html/2023/ghyw_0118/123.html, further pages 123_2.html, 123_3.html
    通知公告 is a dynamic column: /index.php?m=content&c=index&a=lists&catid=12[&page=2],
    articles /index.php?m=content&c=index&a=show&catid=12&id=123 (query_files routes)
    uploads /uploadfile/2023/0118/20230118104512345.jpg; one attachment through
    index.php?m=content&c=down&a_k=... named only by its link text

GBK with meta charset=gbk; 工会要闻 served "text/html; charset=gbk", 基层动态 "text/html" (no
charset). The dynamic column's pages are gbk-declared but written in ASCII with numeric character
references, because the replica server's query_files answers always name utf-8 in the header.
基层动态 keeps the stock show.html (info line inside the <h1> after a <br />, label-less time,
span.rt list times with seconds); the other columns use a customised info bar. Awkward cases: a
static article also linked under its dynamic show URL (that page carries <link rel="canonical">),
an old /html/ghyw/<date>/<id>.html URL answering 301, a 404 and a 500 list item, a robots.txt
Disallow on /html/nbzl/ with a list item into it, off-host footer and friend links, a three-page
article, a notice published as a PDF list item, in-text and block attachments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from ..server import query_key
from .base import Writer, ZooSite
from .common import (CN0, DASH, MINUTES, SECONDS, SLASH, Block, BlockArticle, around, by_column, dealt_times,
                     fresh_title, list_rows, nth, paginate, room_for_pages, shown, unique_generated)

FAMILY = "phpcms"
SITE = "省直机关职工服务网"
PER_PAGE = 6
DYN = "/index.php"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    catid: int
    kind: str
    count: int
    content_type: str
    dynamic: bool = False
    stock: bool = False  # the stock show.html/list.html of PHPCMS v9 default

    def list_page(self, n: int) -> str:
        if self.dynamic:
            return f"{DYN}?m=content&c=index&a=lists&catid={self.catid}" + (f"&page={n}" if n > 1 else "")
        return f"/html/{self.key}/" + ("" if n == 1 else f"{n}.html")

    def pager_url(self, n: int) -> str:
        """pageurl(): page 1 of a static column is written as .../index.html."""
        if self.dynamic:
            return self.list_page(n)
        return f"/html/{self.key}/" + ("index.html" if n <= 1 else f"{n}.html")

    @property
    def path(self) -> str:
        return self.list_page(1)


PARENT = ("xwdt", "新闻动态", 9)
COLUMNS = (
    Column("ghyw", "工会要闻", 10, "news", 10, "text/html; charset=gbk"),
    Column("jcdt", "基层动态", 11, "grassroots", 9, "text/html", stock=True),
    Column("tzgg", "通知公告", 12, "notice", 7, "text/html; charset=gbk", dynamic=True),
)

DATE_STYLES = (SECONDS, CN0, MINUTES, SLASH, SECONDS, DASH)
DATE_LABELS = ("发布日期：", "", "时间：", "发布时间：", "日期：")
SOURCE_LABELS = ("信息来源：", "来源：", "文章来源：", None, "来源:", "稿件来源：", "来源：")
SOURCES = ("省直机关工会", "四川工人日报", "四川省总工会", "人民网四川频道", "省直机关工会组宣部")


@dataclass
class Spec(BlockArticle):
    col: Column
    when: datetime
    title: str
    blocks: list[Block]
    id: int = 0
    shows: str = "seconds"
    date_text: str = ""
    date_label: str = ""
    source_label: str | None = None
    source: str | None = None
    author_label: str = "作者："
    author: str | None = None
    editor: str | None = None
    editor_foot: bool = False
    attach_block: list[tuple[str, str]] = field(default_factory=list)
    link: str = "absolute"  # absolute, dynamic (its index.php show URL), old
    indent: str = "full"  # full (全角空格), nbsp, css

    @property
    def path(self) -> str:
        return self.page_path(1)

    def page_path(self, n: int) -> str:
        if self.col.dynamic:
            return f"{DYN}?m=content&c=index&a=show&catid={self.col.catid}&id={self.id}" + (f"&page={n}" if n > 1 else "")
        name = f"{self.id}.html" if n == 1 else f"{self.id}_{n}.html"
        return f"/html/{self.when:%Y}/{self.col.key}_{self.when:%m%d}/{name}"

    @property
    def dynamic_path(self) -> str:
        return f"{DYN}?m=content&c=index&a=show&catid={self.col.catid}&id={self.id}"

    @property
    def old_path(self) -> str:
        return f"/html/{self.col.key}/{self.when:%Y%m%d}/{self.id}.html"

    def list_href(self) -> str:
        return {"absolute": ORIGIN + self.path, "dynamic": ORIGIN + self.dynamic_path, "old": ORIGIN + self.old_path}[self.link]


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Spec]:
    specs, seen = [], set()
    for i, (when, col) in enumerate(dealt_times(rng, COLUMNS)):
        made = unique_generated(rng, col.kind, when, seen)
        style = nth(DATE_STYLES, i)
        label = nth(SOURCE_LABELS, i)
        spec = Spec(col=col, when=when, title=made.title, blocks=[Block(k, t) for k, t in made.paragraphs],
                    id=205 + i * 4 + rng.randrange(3), shows=style[2], date_text=shown(style, when),
                    date_label=nth(DATE_LABELS, i // 3), source_label=label,
                    source=rng.choice(SOURCES) if label else None,
                    indent=("full", "nbsp", "css")[i % 3])
        if col.stock:  # the stock template: label-less inputtime, 来源： only
            spec.shows, spec.date_text, spec.date_label = "seconds", f"{when:%Y-%m-%d %H:%M:%S}", ""
            spec.source_label = "来源：" if label else None
        if i % 3 == 2:
            spec.author, spec.author_label = text.person(rng), ("作者：", "记者：")[i % 2]
        if i % 4 == 0:
            spec.editor, spec.editor_foot = text.person(rng), True
        elif i % 4 == 1:
            spec.editor = text.person(rng)
        specs.append(spec)
    return specs


def _upload(when: datetime, serial: int, ext: str) -> str:
    return f"/uploadfile/{when:%Y}/{when:%m%d}/{when:%Y%m%d%H%M%S}{serial:03d}.{ext}"


def _media(specs: list[Spec], rng: random.Random, w: Writer) -> None:
    for i, spec in enumerate(specs):
        if spec.col.kind != "notice" and i % 3 != 1:
            for k in range(1 + (i % 4 == 0)):
                path = _upload(spec.when + timedelta(minutes=3 + k), 100 + i * 7 + k, "jpg")
                href = ORIGIN + path  # PHPCMS stores uploads with the site's domain
                if i % 5 == 2:
                    href = path
                elif i % 5 == 4 and not spec.col.dynamic:
                    href = "../../.." + path  # from /html/YYYY/col_MMDD/
                at = rng.randint(1, len(spec.blocks) - 1)
                spec.blocks.insert(at, Block("img", href=href, file=path))
                if k == 0 and i % 2:
                    spec.blocks.insert(at + 1, Block("cap", "（" + rng.choice(text.ACTIVITIES) + "活动现场）"))
        if spec.col.kind == "notice":
            thing = rng.choice(text.THINGS).replace("“", "").replace("”", "")
            if i % 2 == 1:
                path = _upload(spec.when - timedelta(minutes=20), 500 + i, "pdf")
                spec.blocks.insert(len(spec.blocks) - 2, Block("att", f"附件：{spec.when.year}年{thing}推荐表.pdf",
                                                               href=ORIGIN + path, file=path))
            if i % 3 != 0:
                spec.attach_block = [(f"{thing}统计表.xls", _upload(spec.when - timedelta(minutes=25), 600 + i, "xls"))]
        if spec.editor and not spec.editor_foot:
            spec.blocks.append(Block("editor", f"（编辑：{spec.editor}）"))
    # one notice's file is downloaded through PHPCMS's down controller, named only by its link text
    notices = [s for s in specs if s.col.dynamic and s.attach_block]
    target = notices[0]
    name = target.attach_block[0][0].replace(".xls", ".doc")
    token = f"{target.id:04x}{target.when:%m%d%H%M}a9c3"
    down = f"{DYN}?m=content&c=down&a_k={token}"
    target.attach_block.append((name, down))
    w.routes.setdefault(DYN, {}).setdefault("query_files", {})[query_key(urlsplit(down).query)] = f"/caches/down/{token}.doc"
    w.page(f"/caches/down/{token}.doc", assets.doc(name))
    # one long 工会要闻 article is split over three pages ([page] markers)
    news = [s for s in specs if s.col.key == "ghyw"]
    long = max(news, key=lambda s: (sum(b.kind == "p" for b in s.blocks), s.id))
    cut1, cut2 = room_for_pages(long.blocks, rng)
    path = _upload(long.when + timedelta(minutes=9), 999, "jpg")
    long.blocks.insert(cut2 + 1, Block("img", href=ORIGIN + path, file=path))
    long.blocks.insert(cut2, Block("break"))
    long.blocks.insert(cut1, Block("break"))


# ---------------------------------------------------------------- markup

def _head(title: str, canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{ORIGIN}{canonical}" />\n' if canonical else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<meta http-equiv="X-UA-Compatible" content="IE=7" />
<title>{escape(title)}</title>
<meta name="keywords" content="省直机关工会,职工服务" />
<meta name="description" content="{SITE}" />
{link}<link href="{ORIGIN}/statics/css/reset.css" rel="stylesheet" type="text/css" />
<link href="{ORIGIN}/statics/css/default_blue.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="{ORIGIN}/statics/js/jquery.min.js"></script>
</head>
<body>
"""


def _header(current: Column | None) -> str:
    items = [f'<a href="{ORIGIN}/">首页</a>', f'<span>|</span><a href="{ORIGIN}/html/{PARENT[0]}/">{PARENT[1]}</a>']
    for col in COLUMNS:
        items.append(f'<span>|</span><a href="{ORIGIN}{col.path}">{col.name}</a>')
    return f"""<div class="header">
 <div class="logo"><a href="{ORIGIN}/"><img src="{ORIGIN}/statics/images/v9/logo.jpg" alt="{SITE}" /></a></div>
 <div class="search"><form action="{ORIGIN}/index.php" method="get" target="_blank">
  <input type="hidden" name="m" value="search"/><input type="hidden" name="c" value="index"/><input type="hidden" name="a" value="init"/>
  <input type="text" name="q" id="q"/> <input type="submit" value="搜 索" class="button" /></form></div>
 <div class="bk3"></div>
 <div class="nav-bar"><map>{"".join(items)}</map></div>
</div>
"""


def _crumbs(col: Column, tail: str) -> str:
    parent = "" if col.dynamic else f'<a href="{ORIGIN}/html/{PARENT[0]}/">{PARENT[1]}</a> > '
    return (f'<div class="crumbs"><a href="{ORIGIN}/">首页</a><span> &gt; </span>{parent}'
            f'<a href="{ORIGIN}{col.path}">{col.name}</a> > {tail}</div>')


def _sidebar(specs: list[Spec], here: Spec | None) -> str:
    ranked = [s for s in sorted(specs, key=lambda s: (s.id * 31) % 97) if s is not here][:6]
    latest = [s for s in sorted(specs, key=lambda s: s.id, reverse=True) if s is not here][:6]
    first = "".join(f'<li><span>{s.when:%m-%d}</span><a href="{ORIGIN}{s.path}" target="_blank">{escape(s.title)}</a></li>\n'
                    for s in ranked)
    second = "".join(f'<li>·<a href="{ORIGIN}{s.path}" target="_blank">{escape(s.title)}</a> <span class="rt">{s.when:%Y-%m-%d}</span></li>\n'
                     for s in latest)
    return f"""<div class="col-auto">
 <div class="box"><h5 class="title-2">频道总排行</h5>
  <ul class="content digg">
{first}  </ul></div>
 <div class="bk10"></div>
 <div class="box"><h5 class="title-2">最新更新</h5>
  <ul class="content list f14">
{second}  </ul></div>
 <div class="bk10"></div>
 <div class="box"><h5 class="title-2">友情链接</h5>
  <ul class="content"><li><a href="{OFFSITE}/www.acftu.org/" target="_blank">中华全国总工会</a></li>
  <li><a href="{OFFSITE}/www.scgh.org/" target="_blank">四川工会网</a></li></ul></div>
</div>
"""


def _footer() -> str:
    return f"""<div class="bk10"></div>
<div class="footer">
 <p class="info"><a href="{ORIGIN}/html/about/">关于我们</a> | <a href="{ORIGIN}/html/about/contact.html">联系方式</a></p>
 <p>版权所有：四川省直属机关工会委员会 &nbsp;地址：成都市锦江区东大街1号 &nbsp;邮编：610021</p>
 <p><a href="{OFFSITE}/beian.miit.gov.cn/" target="_blank">蜀ICP备10023456号</a> &nbsp; 技术支持：<a href="{OFFSITE}/www.scwebtech.cn/" target="_blank">四川网联科技</a> &nbsp; Powered by <strong><a href="{OFFSITE}/www.phpcms.cn/" target="_blank">PHPCMS</a></strong> v9</p>
</div>
</body>
</html>
"""


def _list_pager(col: Column, page: int, pages: int, num: int) -> str:
    """pages(): count, 上一页, 1, 2..pages-1, last page and 下一页 (absolute URLs)."""
    url = lambda n: ORIGIN + col.pager_url(n)  # noqa: E731
    out = f'<a class="a1">{num}条</a>'
    out += f' <a href="{url(page - 1)}" class="a1">上一页</a>'
    out += " <span>1</span>" if page == 1 else f' <a href="{url(1)}">1</a>'
    for n in range(2, pages):
        out += f" <span>{n}</span>" if n == page else f' <a href="{url(n)}">{n}</a>'
    if page < pages:
        out += f' <a href="{url(pages)}">{pages}</a> <a href="{url(page + 1)}" class="a1">下一页</a>'
    else:
        out += f' <span>{pages}</span> <a href="{url(page)}" class="a1">下一页</a>'
    return out


def _content_pager(spec: Spec, page: int) -> str:
    """content_pages(): 上一页, numbered pages, 下一页 (no count)."""
    total = len(spec.pages)
    if total == 1:
        return ""
    url = lambda n: ORIGIN + spec.page_path(n)  # noqa: E731
    out = f'<a class="a1" href="{url(max(page - 1, 1))}">上一页</a>'
    out += " <span>1</span>" if page == 1 else f' <a href="{url(1)}">1</a>'
    for n in range(2, total):
        out += f" <span>{n}</span>" if n == page else f' <a href="{url(n)}">{n}</a>'
    if page < total:
        out += f' <a href="{url(total)}">{total}</a> <a class="a1" href="{url(page + 1)}">下一页</a>'
    else:
        out += f' <span>{total}</span> <a class="a1" href="{url(page)}">下一页</a>'
    return out


def _body(spec: Spec, blocks: list[Block]) -> str:
    lead = {"full": "\u3000\u3000", "nbsp": "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; ", "css": ""}[spec.indent]
    style = ' style="text-indent: 2em;"' if spec.indent == "css" else ""
    out = []
    for block in blocks:
        if block.kind == "p":
            out.append(f"<p{style}>\n\t{lead}{escape(block.text)}</p>")
        elif block.kind == "strong":
            out.append(f"<p{style}>\n\t{lead}<strong>{escape(block.text)}</strong></p>")
        elif block.kind == "img":
            out.append(f'<p style="text-align: center;">\n\t<img alt="" src="{block.href}" style="width: 600px; height: 400px;" /></p>')
        elif block.kind == "cap":
            out.append(f'<p style="text-align: center;">\n\t{escape(block.text)}</p>')
        elif block.kind == "att":
            label, name = block.text.split("：", 1)
            out.append(f'<p{style}>\n\t{lead}{label}：<a href="{block.href}" target="_blank">{escape(name)}</a></p>')
        elif block.kind == "editor":
            out.append(f'<p style="text-align: right;">\n\t{escape(block.text)}</p>')
    return "\n".join(out)


def _info(spec: Spec) -> str:
    """The customised info bar (工会要闻, 通知公告)."""
    parts = [f"<span>{spec.date_label}{spec.date_text}</span>"]
    if spec.source_label:
        parts.append(f"<span>{spec.source_label}{escape(spec.source or '')}</span>")
    if spec.author:
        parts.append(f"<span>{spec.author_label}{escape(spec.author)}</span>")
    parts.append('<span>点击：<span id="hits"></span></span>')
    return '<div class="info">' + "&nbsp;&nbsp;".join(parts) + "</div>"


def _article_page(spec: Spec, page: int, column: list[Spec], specs: list[Spec], canonical: str = "") -> str:
    blocks = spec.pages[page - 1]
    last = page == len(spec.pages)
    nxt, prev = around(column, column.index(spec))
    prev_link = f'<a href="{ORIGIN}{prev.path}">{escape(prev.title)}</a>' if prev else "第一页"
    next_link = f'<a href="{ORIGIN}{nxt.path}">{escape(nxt.title)}</a>' if nxt else "最后一页"
    if spec.col.stock:
        src = f"来源：{escape(spec.source)}&nbsp;&nbsp;&nbsp;" if spec.source_label else ""
        auth = f"{spec.author_label}{escape(spec.author)}&nbsp;&nbsp;&nbsp;" if spec.author else ""
        heading = (f'<h1>{escape(spec.title)}<br />\n<span>{spec.date_text}&nbsp;&nbsp;&nbsp;{src}{auth}'
                   f'评论：<a href="#comment_iframe" id="comment">0</a> 点击：</span><span id="hits"></span></h1>')
    else:
        heading = f"<h1>{escape(spec.title)}</h1>\n{_info(spec)}"
    attach = ""
    if last and spec.attach_block:
        items = "".join(f'<li><a href="{ORIGIN}{path}" target="_blank">{escape(name)}</a></li>' for name, path in spec.attach_block)
        attach = f'<div class="fujian"><h5>相关附件：</h5><ul>{items}</ul></div>\n'
    editor = f'<div class="editor">责任编辑：{escape(spec.editor or "")}</div>\n' if last and spec.editor_foot else ""
    related = "".join([f'<li>·<a href="{ORIGIN}{s.path}" target="_blank">{escape(s.title)}</a><span>({s.when:%Y-%m-%d})</span></li>\n'
                       for s in column if s is not spec][:5])
    return (_head(f"{spec.title} - {spec.col.name} - {SITE}", canonical) + _header(spec.col) + f"""<div class="main">
 <div class="col-left">
  {_crumbs(spec.col, " 正文")}
  <div id="Article">
   {heading}
   <div class="content">
{_body(spec, blocks)}
   </div>
   <div id="pages" class="text-c">{_content_pager(spec, page)}</div>
   {attach}{editor}<p style="margin-bottom:10px">
    <strong>相关热词搜索：</strong>工会 职工<br />
    <strong>上一篇：</strong>{prev_link}<br />
    <strong>下一篇：</strong>{next_link}
   </p>
   <div class="Article-Tool">
    分享到：<a href="javascript:void(0);" class="share-weixin" title="分享到微信">微信</a> <a href="javascript:void(0);" class="share-weibo" title="分享到新浪微博">微博</a> <a href="javascript:void(0);" class="share-qzone" title="分享到QQ空间">QQ空间</a>
    | <a href="javascript:window.print();">打印</a> | 字号：<a href="javascript:ContentSize(16)">16px</a> <a href="javascript:ContentSize(14)">14px</a> <a href="javascript:ContentSize(12)">12px</a> | <a href="javascript:window.close();">关闭</a>
   </div>
   <div class="bk15"></div>
   <div class="related">
    <h5 class="blue">延伸阅读：</h5>
    <ul class="list blue lh24 f14">
{related}    </ul>
   </div>
  </div>
 </div>
{_sidebar(specs, spec)}</div>
<script language="JavaScript" src="{ORIGIN}/api.php?op=count&id={spec.id}&modelid=1"></script>
""" + _footer())


def _list_page(col: Column, items: list[tuple[str, str, datetime]], page: int, pages: int, num: int,
               specs: list[Spec]) -> str:
    rows = []
    for k, (href, title, when) in enumerate(items, start=1):
        day = f"{when:%Y-%m-%d %H:%M:%S}" if col.stock else f"{when:%Y-%m-%d}"
        rows.append(f'<li><span class="rt">{day}</span>·<a href="{href}" target="_blank">{escape(title)}</a></li>')
        if k % 5 == 0:
            rows.append('<li class="bk20 hr"><hr /></li>')
    return (_head(f"{col.name} - {SITE}" + (f" - 第{page}页" if page > 1 else "")) + _header(col) + f"""<div class="main">
 <div class="col-left">
  {_crumbs(col, " 列表")}
  <ul class="list lh24 f14">
{chr(10).join(rows)}
  </ul>
  <div id="pages" class="text-c">{_list_pager(col, page, pages, num)}</div>
 </div>
{_sidebar(specs, None)}</div>
""" + _footer())


def _home(specs: list[Spec]) -> str:
    boxes = []
    for col in COLUMNS:
        rows = "".join(f'<li><span class="rt">{s.when:%m-%d}</span>·<a href="{ORIGIN}{s.path}" target="_blank">{escape(s.title)}</a></li>\n'
                       for s in sorted((s for s in specs if s.col == col), key=lambda s: s.id, reverse=True)[:6])
        boxes.append(f'<div class="box"><h5 class="title-1">{col.name}<a href="{ORIGIN}{col.path}" class="more">更多>></a></h5>'
                     f'<ul class="content list f14">\n{rows}</ul></div>')
    return _head(SITE) + _header(None) + f'<div class="main"><div class="col-left">{"".join(boxes)}</div>\n{_sidebar(specs, None)}</div>\n' + _footer()


def _parent(specs: list[Spec]) -> str:
    boxes = []
    for col in COLUMNS[:2]:
        rows = "".join(f'<li><span class="rt">{s.when:%Y-%m-%d}</span>·<a href="{ORIGIN}{s.path}" target="_blank">{escape(s.title)}</a></li>\n'
                       for s in sorted((s for s in specs if s.col == col), key=lambda s: s.id, reverse=True)[:4])
        boxes.append(f'<div class="box cat-area"><h5 class="title-1">{col.name}<a href="{ORIGIN}{col.path}" class="more">更多>></a></h5>'
                     f'<ul class="content list f14">\n{rows}</ul></div>')
    crumbs = f'<div class="crumbs"><a href="{ORIGIN}/">首页</a><span> &gt; </span><a href="{ORIGIN}/html/{PARENT[0]}/">{PARENT[1]}</a> > </div>'
    return (_head(f"{PARENT[1]} - {SITE}") + _header(None)
            + f'<div class="main"><div class="col-left">{crumbs}{"".join(boxes)}</div>\n{_sidebar(specs, None)}</div>\n' + _footer())


# ---------------------------------------------------------------- site

class _Out:
    """Writes static pages at their paths and dynamic ones behind /index.php query_files."""

    def __init__(self, w: Writer):
        self.w = w

    def page(self, url: str, html: str, col: Column) -> None:
        if url.startswith(DYN + "?"):
            query = urlsplit(url).query
            stored = "/caches/html/" + query_key(query).replace("&", "_").replace("=", "-") + ".html"
            self.w.page(stored, html, "ascii")  # NCR-escaped: the query answer's header says utf-8
            self.w.routes.setdefault(DYN, {}).setdefault("query_files", {})[query_key(query)] = stored
        else:
            self.w.page(url, html, "gbk", col.content_type)
            if url.endswith("/"):
                self.w.route(url + "index.html", content_type=col.content_type)


def build(out_dir: Path, seed: int = 0) -> ZooSite:
    """Build the PHPCMS zoo site into `out_dir` (same seed, same bytes)."""
    rng = random.Random(f"{FAMILY}-{seed}")
    w = Writer(out_dir, FAMILY, SITE)
    out = _Out(w)
    specs = _plan(rng)
    _media(specs, rng, w)
    by_col = by_column(specs, COLUMNS, "key", lambda s: s.id)
    twin = next(s for s in by_col["ghyw"][2:] if len(s.pages) == 1)
    twin.link = "dynamic"
    by_col["jcdt"][5].link = "old"

    for col in COLUMNS:
        column = by_col[col.key]
        for spec in column:
            for n in range(1, len(spec.pages) + 1):
                out.page(spec.page_path(n), _article_page(spec, n, column, specs), col)
            if spec is twin:  # the dynamic show URL of a static article, pointing at its static page
                out.page(spec.dynamic_path, _article_page(spec, 1, column, specs, canonical=spec.path), col)
            spec.write_files(w, DYN)

    extra: dict[str, list[tuple[datetime, str, str]]] = {c.key: [] for c in COLUMNS}
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    taken = {s.title for s in specs}

    gone = news[6].when - timedelta(hours=4)
    gone_path = f"/html/{gone:%Y}/ghyw_{gone:%m%d}/{news[6].id - 1}.html"
    extra["ghyw"].append((gone, ORIGIN + gone_path, fresh_title(rng, "news", gone.year, taken)))
    w.broken_link(gone_path)
    failing = grass[2].when - timedelta(hours=6)
    failing_path = f"/html/{failing:%Y}/jcdt_{failing:%m%d}/{grass[2].id - 1}.html"
    extra["jcdt"].append((failing, ORIGIN + failing_path, fresh_title(rng, "grassroots", failing.year, taken)))
    w.broken_link(failing_path, 500)
    internal = grass[7].when - timedelta(hours=1)
    internal_path = f"/html/nbzl/{internal:%Y}/{internal:%m%d}/{grass[7].id - 2}.html"
    extra["jcdt"].append((internal, ORIGIN + internal_path, "内部资料：基层工会工作台账填报说明"))
    w.page(internal_path, _head("内部资料") + "<p>内部资料，请勿转载。</p></body></html>", "gbk", "text/html; charset=gbk")
    w.not_followed.append(internal_path)
    pdf_when = notices[3].when - timedelta(days=2)
    pdf_title = f"关于表彰{pdf_when.year}年度省直机关工会工作先进集体和先进个人的决定"
    pdf_path = _upload(pdf_when, 777, "pdf")
    extra["tzgg"].append((pdf_when, ORIGIN + pdf_path, pdf_title))
    w.listed_file(pdf_path, assets.pdf(pdf_title))

    for col in COLUMNS:
        items = list_rows(by_col[col.key], extra[col.key])
        chunks = paginate(items, PER_PAGE)
        for n, chunk in enumerate(chunks, start=1):
            html = _list_page(col, chunk, n, len(chunks), len(items), specs)
            out.page(col.list_page(n), html, col)
        w.start_paths.append(col.path)

    w.page("/", _home(specs), "gbk", "text/html; charset=gbk")
    w.route("/index.html", content_type="text/html; charset=gbk")
    w.page(f"/html/{PARENT[0]}/", _parent(specs), "gbk", "text/html; charset=gbk")
    w.page("/statics/images/v9/logo.jpg", assets.JPEG)
    for about, words in (("/html/about/", "四川省直属机关工会委员会是省直机关各级工会组织的领导机关。"),
                         ("/html/about/contact.html", "联系电话：028-86012345 电子邮箱：sgh@example.cn")):
        w.page(about, _head(f"关于我们 - {SITE}") + _header(None) + f"<div class=\"main\"><p>{words}</p></div>\n" + _footer(),
               "gbk", "text/html; charset=gbk")
    w.page("/api.php", b"$('#hits').html('128');\r\n", content_type="text/javascript")
    w.robots("/caches", "/phpcms", "/install", "/phpsso_server", "/api", "/admin.php", "/html/nbzl/")
    w.not_followed += [f"{OFFSITE}/www.acftu.org/", f"{OFFSITE}/www.scgh.org/", f"{OFFSITE}/beian.miit.gov.cn/",
                       f"{OFFSITE}/www.scwebtech.cn/", f"{OFFSITE}/www.phpcms.cn/"]
    return w.finish()
