"""EmpireCMS 7.x (帝国CMS) zoo site: a GB2312-declared sister union site as static HTML.

What it is based on (read, not copied): EmpireCMS's own PHP that writes the markup -
e/class/functions.php sys_ShowListMorePage (the list pager: <a title="Total record"> with the
record count in <b>, 首页, 上一页, numbers with the current one in <b>, 下一页, 尾页; page 1 is
index.html and page N index_N.html in the column's folder) and sys_ShowTextPage (the in-article
pager: <a title="Page"> with <b>n</b>/<b>total</b>, then the same links over <id>_<n>.html),
sys_GetClassNews (the "·<a ...>title</a>&nbsp;date" side lists in tables), the stock news
content template (e/data/tmp/tempnews*.php in public copies: 您当前的位置：[!--newsnav--],
<h1>, the info_text line 时间/来源/作者 printed even when a field is empty, td#text holding the
text and p.pageLink, 上一篇/下一篇 giving 没有了 at the ends), list templates with
[!--show.page--] in div.epages or table.list_page, the /e/public/ViewClick/?classid=&id=&addclick=1
counter script, /d/file/<classpath>/<date>/<md5>.ext upload names, the DownSys download script,
and public scrapers of EmpireCMS sites (they read ViewClick for counts and walk index_N.html).

Layout (newspath Y-m-d):
    /news/ghyw/ (its pager says /news/ghyw/index.html), /news/ghyw/index_2.html
    /news/ghyw/2023-01-18/123.html, further pages 123_2.html, 123_3.html
    uploads /d/file/news/ghyw/2023-01-18/<md5>.jpg; a notice attachment through
    /e/DownSys/DownSoft/?classid=4&id=123&pathid=0 (query_files), named by its link text

GB2312 declared in the meta; 基层动态 is served with Content-Type text/html and no charset, the
others with charset=gb2312. Text is marked up three ways: <p> with &nbsp; indents (工会要闻),
<div> per paragraph (基层动态), <br /> runs inside one <p> (通知公告). Awkward cases: empty
来源：/作者： labels the template prints anyway, a 本网讯（记者 X） opening naming the author in
the text, a list link to an old /news/jcdt/<Ymd>/<id>.html URL answering 301, a tracking-query
list link, a 404 and a 500 list item, a robots.txt Disallow on /e/member/ with a list item into
it, off-host footer and friend links, a three-page article whose pager sits inside td#text, a
notice published as a PDF list item, in-text and block attachments.
"""

from __future__ import annotations

import hashlib
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
from .common import (CN0, MINUTES, SECONDS, SLASH, Block, BlockArticle, around, by_column, dealt_times, fresh_title,
                     list_rows, nth, paginate, room_for_pages, shown, unique_generated)

FAMILY = "empirecms"
SITE = "四川省直属机关工会委员会信息网"
PER_PAGE = 6
DOWN = "/e/DownSys/DownSoft/"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    classid: int
    kind: str
    count: int
    content_type: str
    markup: str  # p (nbsp indents), div, br

    @property
    def path(self) -> str:
        return f"/news/{self.key}/"

    def list_page(self, n: int) -> str:
        return self.path if n == 1 else f"{self.path}index_{n}.html"

    def pager_url(self, n: int) -> str:
        return f"{self.path}index.html" if n == 1 else f"{self.path}index_{n}.html"


COLUMNS = (
    Column("ghyw", "工会要闻", 2, "news", 9, "text/html; charset=gb2312", "p"),
    Column("jcdt", "基层动态", 3, "grassroots", 10, "text/html", "div"),
    Column("tzgg", "通知公告", 4, "notice", 7, "text/html; charset=gb2312", "br"),
)

DATE_STYLES = (MINUTES, SECONDS, SLASH, CN0, SECONDS)
DATE_LABELS = ("时间：", "发布时间：", "", "日期：", "发布日期：", "时间：")
SOURCE_LABELS = ("来源：", "稿件来源：", "来源：", "信息来源：", "来源:", "文章来源：")
SOURCES = ("四川工人日报", "省直机关工会", "四川省总工会", "四川日报", "省直机关工委")


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
    source_label: str = "来源："
    source: str | None = None  # None: the template prints 来源： with nothing after it
    author: str | None = None
    author_in_text: bool = False  # 本网讯（记者 X） opens the text; 作者： stays empty
    editor: str | None = None
    editor_foot: bool = False
    attach_block: list[tuple[str, str]] = field(default_factory=list)
    link: str = "root"  # root, absolute, tracking, old

    @property
    def folder(self) -> str:
        return f"{self.col.path}{self.when:%Y-%m-%d}/"

    @property
    def path(self) -> str:
        return self.page_path(1)

    def page_path(self, n: int) -> str:
        return f"{self.folder}{self.id}.html" if n == 1 else f"{self.folder}{self.id}_{n}.html"

    @property
    def old_path(self) -> str:
        return f"{self.col.path}{self.when:%Y%m%d}/{self.id}.html"


def _md5(*parts: object) -> str:
    return hashlib.md5("/".join(map(str, parts)).encode()).hexdigest()


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Spec]:
    specs, seen = [], set()
    for i, (when, col) in enumerate(dealt_times(rng, COLUMNS)):
        made = unique_generated(rng, col.kind, when, seen)
        style = nth(DATE_STYLES, i)
        spec = Spec(col=col, when=when, title=made.title, blocks=[Block(k, t) for k, t in made.paragraphs],
                    id=61 + i * 2 + rng.randrange(2), shows=style[2], date_text=shown(style, when),
                    date_label=nth(DATE_LABELS, i // 2),
                    source_label=nth(SOURCE_LABELS, i),
                    source=None if i % 5 == 3 else rng.choice(SOURCES))
        if i % 4 == 1:
            spec.author = text.person(rng)
        elif i % 4 == 2 and col.kind != "notice":
            spec.author, spec.author_in_text = text.person(rng), True
            spec.blocks[0].text = f"本网讯（记者 {spec.author}）" + spec.blocks[0].text
        if i % 3 == 0:
            spec.editor, spec.editor_foot = text.person(rng), True
        elif i % 3 == 1:
            spec.editor = text.person(rng)
        specs.append(spec)
    return specs


def _media(specs: list[Spec], rng: random.Random, w: Writer) -> None:
    for i, spec in enumerate(specs):
        base = f"/d/file{spec.folder}"
        if spec.col.kind != "notice" and i % 3 != 0:
            for k in range(1 + (i % 5 == 1)):
                path = f"{base}{_md5(spec.id, 'img', k)}.jpg"
                href = ORIGIN + path if i % 4 == 3 else path
                at = rng.randint(1, len(spec.blocks) - 1)
                spec.blocks.insert(at, Block("img", href=href, file=path))
                if (i + k) % 2:
                    spec.blocks.insert(at + 1, Block("cap", f"{rng.choice(text.ACTIVITIES)}现场"))
        if spec.col.kind == "notice":
            thing = rng.choice(text.THINGS).replace("“", "").replace("”", "")
            if i % 2 == 0:
                path = f"{base}{_md5(spec.id, 'att')}.pdf"
                spec.blocks.insert(len(spec.blocks) - 2, Block("att", f"附件：{thing}申报表.pdf", href=path, file=path))
            if i % 3 != 2:
                spec.attach_block = [(f"{thing}名额分配表.doc", f"{base}{_md5(spec.id, 'doc')}.doc")]
        if spec.editor and not spec.editor_foot:
            spec.blocks.append(Block("editor", f"（编辑：{spec.editor}）"))
    # one notice's file comes through the DownSys download script, named only by its link text
    target = next(s for s in sorted(specs, key=lambda s: s.id) if s.col.kind == "notice")
    name = f"{target.when.year}年省直机关工会经费收支预算表.pdf"
    down = f"{DOWN}?classid={target.col.classid}&id={target.id}&pathid=0"
    target.attach_block.append((name, down))
    stored = f"/d/file/p/{_md5(target.id, 'down')}.pdf"
    w.page(stored, assets.pdf(name))
    w.routes.setdefault(DOWN, {}).setdefault("query_files", {})[query_key(urlsplit(down).query)] = stored
    # one long 工会要闻 article over three pages ([!--empirenews.page--] markers)
    news = [s for s in specs if s.col.key == "ghyw"]
    long = max(news, key=lambda s: (sum(b.kind == "p" for b in s.blocks), s.id))
    cut1, cut2 = room_for_pages(long.blocks, rng)
    path = f"/d/file{long.folder}{_md5(long.id, 'page3')}.jpg"
    long.blocks.insert(cut2 + 1, Block("img", href=path, file=path))
    long.blocks.insert(cut2, Block("break"))
    long.blocks.insert(cut1, Block("break"))


# ---------------------------------------------------------------- markup

def _head(title: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{escape(title)}</title>
<meta name="keywords" content="工会,省直机关,职工" />
<meta name="description" content="{SITE}" />
<link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/skin/default/js/tabs.js"></script>
</head>
<body>
"""


def _header(current: Column | None) -> str:
    tabs = [f'<li class="{"curr" if current is None else ""}"><a href="/">首页</a></li>']
    for col in COLUMNS:
        tabs.append(f'<li class="{"curr" if col == current else ""}"><a href="{col.path}">{col.name}</a></li>')
    return f"""<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="top">
<tr><td><a href="/"><img src="/skin/default/images/logo.gif" width="380" height="80" border="0" alt="{SITE}" /></a></td>
<td align="right"><form action="/e/search/index.php" method="post" name="searchform"><input name="keyboard" type="text" size="24" />
<input type="hidden" name="show" value="title" /><input type="hidden" name="tempid" value="1" /><input type="submit" value="搜索" /></form></td></tr>
</table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="nav">
<tr><td class="nav_global"><ul>{"".join(tabs)}</ul></td></tr>
</table>
"""


def _position(col: Column) -> str:
    return (f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="position"><tr><td>'
            f'您当前的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="/news/">新闻中心</a>&nbsp;>&nbsp;'
            f'<a href="{col.path}">{col.name}</a></td></tr></table>')


def _side_rows(items: list[Spec], fmt: str) -> str:
    return "".join(f"<tr><td height=20>·<a href='{s.path}' target=_blank title='{escape(s.title)}'>{escape(s.title)}</a>"
                   f"&nbsp;{s.when.strftime(fmt)}</td></tr>" for s in items)


def _sidebar(specs: list[Spec], here: Spec | None) -> str:
    hot = [s for s in sorted(specs, key=lambda s: (s.id * 53) % 89) if s is not here][:6]
    new = [s for s in sorted(specs, key=lambda s: s.id, reverse=True) if s is not here][:6]
    return f"""<td class="sider" width="260">
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title"><strong>热门信息</strong></td></tr>
<tr><td><table border=0 cellpadding=0 cellspacing=0>{_side_rows(hot, "(%m-%d)")}</table></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title"><strong>最新信息</strong></td></tr>
<tr><td><table border=0 cellpadding=0 cellspacing=0>{_side_rows(new, "%Y-%m-%d")}</table></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title"><strong>友情链接</strong></td></tr>
<tr><td><a href="{OFFSITE}/links/acftu/" target="_blank">中华全国总工会</a><br /><a href="{OFFSITE}/links/scgh/" target="_blank">四川省总工会</a></td></tr></table>
</td>
"""


def _footer() -> str:
    return f"""<table width="960" border="0" cellpadding="0" cellspacing="4" align="center" class="copyright">
<tr><td align="center"><a href="/">网站首页</a> | <a href="/news/">新闻中心</a></td></tr>
<tr><td align="center">版权所有：{SITE} &nbsp; <a href="{OFFSITE}/icp/" target="_blank">蜀ICP备08001234号</a></td></tr>
<tr><td align="center">地址：四川省成都市青羊区长顺上街1号 &nbsp; 电话：028-86601234</td></tr>
<tr><td align="center">技术支持：<a href="{OFFSITE}/phome/" target="_blank">帝国软件</a> &nbsp; Powered by EmpireCMS</td></tr>
</table>
</body>
</html>
"""


def _list_pager(col: Column, page: int, pages: int, num: int) -> str:
    """sys_ShowListMorePage: record count, 首页/上一页, numbers (current in <b>), 下一页/尾页."""
    out = f'<a title="Total record">&nbsp;<b>{num}</b> </a>&nbsp;&nbsp;'
    if page != 1:
        out += f'<a href="{col.pager_url(1)}">首页</a>&nbsp;<a href="{col.pager_url(page - 1)}">上一页</a>'
    for n in range(max(1, page - 2), pages + 1):
        out += f"&nbsp;<b>{n}</b>" if n == page else f'&nbsp;<a href="{col.pager_url(n)}">{n}</a>'
    if page != pages:
        out += f'&nbsp;<a href="{col.pager_url(page + 1)}">下一页</a>&nbsp;<a href="{col.pager_url(pages)}">尾页</a>'
    return out


def _text_pager(spec: Spec, page: int) -> str:
    """sys_ShowTextPage: <a title="Page">&nbsp;<b>n</b>/<b>total</b> </a>, then the same links."""
    total = len(spec.pages)
    if total == 1:
        return ""
    out = f'<a title="Page">&nbsp;<b>{page}</b>/<b>{total}</b> </a>&nbsp;&nbsp;'
    if page != 1:
        out += f'<a href="{spec.page_path(1)}">首页</a>&nbsp;<a href="{spec.page_path(page - 1)}">上一页</a>'
    for n in range(max(1, page - 2), total + 1):
        out += f"&nbsp;<b>{n}</b>" if n == page else f'&nbsp;<a href="{spec.page_path(n)}">{n}</a>'
    if page != total:
        out += f'&nbsp;<a href="{spec.page_path(page + 1)}">下一页</a>&nbsp;<a href="{spec.page_path(total)}">尾页</a>'
    return out


def _body(spec: Spec, blocks: list[Block]) -> str:
    markup, out = spec.col.markup, []
    if markup == "br":  # one <p>, lines separated by <br />
        lines = []
        for block in blocks:
            if block.kind in ("p", "editor"):
                lines.append(f"\u3000\u3000{escape(block.text)}")
            elif block.kind == "strong":
                lines.append(f"\u3000\u3000<b>{escape(block.text)}</b>")
            elif block.kind == "att":
                label, name = block.text.split("：", 1)
                lines.append(f'\u3000\u3000{label}：<a href="{block.href}" target="_blank">{escape(name)}</a>')
        return "<p>" + "<br />\r\n".join(lines) + "</p>"
    tag, lead = ("p", "&nbsp;&nbsp;&nbsp;&nbsp;") if markup == "p" else ("div", "\u3000\u3000")
    for block in blocks:
        if block.kind == "p":
            out.append(f"<{tag}>{lead}{escape(block.text)}</{tag}>")
        elif block.kind == "strong":
            out.append(f"<{tag}>{lead}<strong>{escape(block.text)}</strong></{tag}>")
        elif block.kind == "img":
            out.append(f'<{tag} align="center"><img src="{block.href}" border="0" alt="" /></{tag}>')
        elif block.kind == "cap":
            out.append(f'<{tag} align="center"><font color="#666666">{escape(block.text)}</font></{tag}>')
        elif block.kind == "att":
            label, name = block.text.split("：", 1)
            out.append(f'<{tag}>{lead}{label}：<a href="{block.href}" target="_blank">{escape(name)}</a></{tag}>')
        elif block.kind == "editor":
            out.append(f'<{tag} align="right">{escape(block.text)}</{tag}>')
    return "\r\n".join(out)


def _info(spec: Spec) -> str:
    date = f"{spec.date_label}{spec.date_text}"
    writer = "" if spec.author_in_text or not spec.author else escape(spec.author)
    return (f'<td class="info_text">{date}&nbsp;&nbsp;{spec.source_label}{escape(spec.source or "")}&nbsp;&nbsp;'
            f'作者：{writer}&nbsp;&nbsp;点击数：<script src=/e/public/ViewClick/?classid={spec.col.classid}&id={spec.id}&addclick=1></script>'
            "</td>")


def _article_page(spec: Spec, page: int, column: list[Spec], specs: list[Spec]) -> str:
    blocks = spec.pages[page - 1]
    last = page == len(spec.pages)
    nxt, prev = around(column, column.index(spec))
    prev_link = f"<a href='{prev.path}'>{escape(prev.title)}</a>" if prev else "没有了"
    next_link = f"<a href='{nxt.path}'>{escape(nxt.title)}</a>" if nxt else "没有了"
    attach = ""
    if last and spec.attach_block:
        rows = "".join(f'<tr><td>·<a href="{path}" target="_blank">{escape(name)}</a></td></tr>' for name, path in spec.attach_block)
        attach = (f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="attach"><tr><td><strong>附件下载：</strong></td></tr>'
                  f"{rows}</table>\n")
    editor = f'<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td align="right">责任编辑：{escape(spec.editor or "")}</td></tr></table>\n' if last and spec.editor_foot else ""
    related = "".join([f"<tr><td height=20>·<a href='{s.path}' target=_blank title='{escape(s.title)}'>{escape(s.title)}</a>&nbsp;{s.when:%Y-%m-%d}</td></tr>"
                       for s in column if s is not spec][:5])
    return (_head(f"{spec.title}_{SITE}") + _header(spec.col) + f"""<table width="960" border="0" align="center" cellspacing="10" cellpadding="0">
<tr valign="top">
<td class="main">{_position(spec.col)}
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box">
<tr><td><table width="100%" border="0" cellpadding="0" cellspacing="0" class="title_info">
<tr><td><h1>{escape(spec.title)}</h1></td></tr>
<tr>{_info(spec)}</tr>
</table>
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td id="text">{_body(spec, blocks)}
<p align="center" class="pageLink">{_text_pager(spec, page)}</p></td></tr>
</table>
{attach}{editor}<table width="100%" border="0" cellspacing="0" cellpadding="0" class="share"><tr>
<td><div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></div></td>
<td align="right">【<a href="javascript:window.print()">打印本文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="prenext"><tr><td>上一篇：{prev_link}<br />下一篇：{next_link}</td></tr></table>
</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title"><strong>相关信息</strong></td></tr>
<tr><td><table border=0 cellpadding=0 cellspacing=0>{related}</table></td></tr></table>
</td>
{_sidebar(specs, spec)}</tr></table>
""" + _footer())


def _list_page(col: Column, items: list[tuple[str, str, datetime]], page: int, pages: int, num: int,
               specs: list[Spec]) -> str:
    rows = "\r\n".join(f'<li><span>{when:%Y-%m-%d}</span><a href="{href}" target="_blank" title="{escape(title)}">{escape(title)}</a></li>'
                       for href, title, when in items)
    pager = _list_pager(col, page, pages, num)
    if col.key == "tzgg":
        pager_html = f'<div class="epages">{pager}</div>'
    else:
        pager_html = f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="list_page"><tr><td>{pager}</td></tr></table>'
    return (_head(f"{col.name}_{SITE}") + _header(col) + f"""<table width="960" border="0" align="center" cellspacing="10" cellpadding="0">
<tr valign="top">
<td class="main">{_position(col)}
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box">
<tr><td class="title"><strong>{col.name}</strong></td></tr>
<tr><td><ul class="news_list">
{rows}
</ul>
{pager_html}</td></tr></table>
</td>
{_sidebar(specs, None)}</tr></table>
""" + _footer())


def _section(specs: list[Spec], title: str, cols: tuple[Column, ...]) -> str:
    boxes = []
    for col in cols:
        items = sorted((s for s in specs if s.col == col), key=lambda s: s.id, reverse=True)[:6]
        boxes.append(f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title">'
                     f'<strong>{col.name}</strong> <a href="{col.path}">更多&gt;&gt;</a></td></tr>'
                     f'<tr><td><table border=0 cellpadding=0 cellspacing=0>{_side_rows(items, "%Y-%m-%d")}</table></td></tr></table>')
    return (_head(title) + _header(None) + '<table width="960" border="0" align="center" cellspacing="10" cellpadding="0"><tr valign="top">'
            f'<td class="main">{"".join(boxes)}</td>\n{_sidebar(specs, None)}</tr></table>\n' + _footer())


# ---------------------------------------------------------------- site

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    """Build the EmpireCMS zoo site into `out_dir` (same seed, same bytes)."""
    rng = random.Random(f"{FAMILY}-{seed}")
    w = Writer(out_dir, FAMILY, SITE)
    specs = _plan(rng)
    _media(specs, rng, w)
    by_col = by_column(specs, COLUMNS, "key", lambda s: s.id)
    by_col["ghyw"][2].link = "tracking"
    by_col["jcdt"][3].link = "old"
    for spec in by_col["jcdt"][5:]:
        spec.link = "absolute"
    enc = "gbk"

    for col in COLUMNS:
        column = by_col[col.key]
        for spec in column:
            for n in range(1, len(spec.pages) + 1):
                w.page(spec.page_path(n), _article_page(spec, n, column, specs), enc, col.content_type)
            spec.write_files(w, DOWN)

    extra: dict[str, list[tuple[datetime, str, str]]] = {c.key: [] for c in COLUMNS}
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    taken = {s.title for s in specs}

    gone = grass[1].when - timedelta(hours=2)
    gone_path = f"/news/jcdt/{gone:%Y-%m-%d}/{grass[1].id - 1}.html"
    extra["jcdt"].append((gone, gone_path, fresh_title(rng, "grassroots", gone.year, taken)))
    w.broken_link(gone_path)
    failing = news[4].when - timedelta(hours=3)
    failing_path = f"/news/ghyw/{failing:%Y-%m-%d}/{news[4].id - 1}.html"
    extra["ghyw"].append((failing, failing_path, fresh_title(rng, "news", failing.year, taken)))
    w.broken_link(failing_path, 500)
    member = notices[1].when - timedelta(hours=5)
    extra["tzgg"].append((member, "/e/member/login/", "职工疗休养网上报名（会员登录）"))
    w.page("/e/member/login/", _head("会员登录") + "<p>请输入用户名和密码。</p></body></html>", enc, "text/html; charset=gb2312")
    w.not_followed.append("/e/member/login/")
    pdf_when = notices[4].when - timedelta(days=1)
    pdf_title = f"关于命名{pdf_when.year}年度省直机关模范职工小家的决定"
    pdf_path = f"/d/file/news/tzgg/{pdf_when:%Y-%m-%d}/{_md5('list', pdf_when)}.pdf"
    extra["tzgg"].append((pdf_when, pdf_path, pdf_title))
    w.listed_file(pdf_path, assets.pdf(pdf_title))

    for col in COLUMNS:
        items = list_rows(by_col[col.key], extra[col.key])
        chunks = paginate(items, PER_PAGE)
        for n, chunk in enumerate(chunks, start=1):
            html = _list_page(col, chunk, n, len(chunks), len(items), specs)
            w.page(col.list_page(n), html, enc, col.content_type)
        w.route(col.path + "index.html", content_type=col.content_type)
        w.start_paths.append(col.path)

    w.page("/", _section(specs, SITE, COLUMNS), enc, "text/html; charset=gb2312")
    w.route("/index.html", content_type="text/html; charset=gb2312")
    w.page("/news/", _section(specs, f"新闻中心_{SITE}", COLUMNS[:2]), enc, "text/html; charset=gb2312")
    w.route("/news/index.html", content_type="text/html; charset=gb2312")
    w.page("/skin/default/images/logo.gif", assets.JPEG)
    w.page("/e/public/ViewClick/", b"document.write('86');", content_type="application/javascript")
    w.robots("/e/admin/", "/e/data/", "/e/class/", "/e/member/", "/e/search/")
    w.not_followed += [f"{OFFSITE}/links/acftu/", f"{OFFSITE}/links/scgh/", f"{OFFSITE}/icp/", f"{OFFSITE}/phome/"]
    return w.finish()
