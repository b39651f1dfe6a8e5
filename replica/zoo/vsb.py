"""博达 VSB / WebPlus (statically published .htm) sister site: 四川省教育工会, UTF-8 throughout.

What it is written from (no page text copied): public notes and scrapers of VSB school and
government sites in public GitHub repositories (list page 1 at /<slug>.htm and later pages at
/<slug>/<N>.htm numbered DOWN to 1.htm; the `pb_sys_common pb_sys_style1` pager of
`span.p_pages` with `p_first_d p_fun_d`/`p_prev_d`/`p_no_d`/`p_no`/`p_dot`/`p_next p_fun`/
`p_last p_fun`, `共N页` and a `_simple_list_gotopage_fun(...)` goto box; the older table pager
with `a.Next` 下页/尾页 links; list items `li[id^=line_u]` with `span.time` dates and a
`_showDynClickBatch(...)` call; article pages in `<form name="_newscontent_fromname">` with the
headline in h2, the info line with `_showDynClicks("wbnews", owner, id)`, the body in
`div#vsb_content … div.v_news_content` (`p.vsbcontent_start`/`vsbcontent_end`, `img.img_vsb_content`
under /__local/), `<div id="div_vote_id">`, attachments as
`附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=…&wbfileid=…">名称</a>】已下载<span id="nattach…">…</span>次`,
`.con_bm` 责任编辑, 上一篇/下一篇 under `<lable>`, and the 当前位置 path ending in 正文).
No public evidence of a VSB content pager for long articles was found, so no article here is
split over pages.

Layout:
    /xwzx/ghyw.htm, /xwzx/ghyw/2.htm, /xwzx/ghyw/1.htm   工会要闻 (pb_sys pager, pages counting down)
    /xwzx/jcdt.htm, /xwzx/jcdt/N.htm …                   基层动态 (older table pager, a.Next links)
    /tzgg.htm, /tzgg/N.htm …                             通知公告 (pb_sys pager)
    /info/1022/3456.htm                                  articles (tree id / news id)
    /__local/…jpg|pdf                                    uploads; attachments through download.jsp

Awkward cases: a list link to the dynamic content.jsp?urltype=news.NewsContentUrl&… address,
301-redirected to its static /info/ page; a deleted page (404) and one answering 500; other hosts
in the footer; robots.txt disallowing /nbtz/ (内部通知) with a list item there; the same article
linked with ?from=index; a notice listed as a PDF; attachments whose URL has no file extension
(the download.jsp script; the server ignores the query, so every download URL answers the same
bytes); click counts written by script.

The server substitutes {{ORIGIN}}/{{OFFSITE}} only in .html files, so every .htm page is stored
under www/.pages/…htm.html with the .htm path a symlink to it (served as text/html; charset=utf-8).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from .base import Writer, ZooSite, generated
from .common import (CN, CN0, DASH, MINUTES, SECONDS, SLASH, Piece, PieceArticle, around, before_contact, body_pieces,
                     by_column, esc, id_finder, nth, number_by_time, paginate, plan_by_column)

FAMILY = "vsb"
NAME = "四川省教育工会"
OWNER = 1485250630
DOWNLOAD = "/system/_content/download.jsp"

DATE_STYLES = (DASH, MINUTES, CN0, SECONDS, SLASH, CN)
DATE_LABELS = ("时间：", "发布时间：", "发布日期：", "日期：", "")
SOURCE_LABELS = ("来源：", "稿件来源：", "信息来源：", "来源:", "文章来源：")
SOURCES = ("四川省教育工会", "四川大学工会", "西南交通大学工会", "四川师范大学工会", "教育工会办公室", "四川工人日报")


@dataclass(frozen=True)
class Col:
    slug: str  # the list page's path without .htm
    tree: int
    name: str
    kind: str
    pager: str  # pbsys or table
    count: int
    per_page: int
    parent: str = ""  # breadcrumb level above (新闻中心)

    def list_path(self, n: int, total: int) -> str:
        return f"/{self.slug}.htm" if n == 1 else f"/{self.slug}/{total - n + 1}.htm"


COLUMNS = (Col("xwzx/ghyw", 1022, "工会要闻", "news", "pbsys", 10, 4, "新闻中心"),
           Col("xwzx/jcdt", 1023, "基层动态", "grassroots", "table", 9, 4, "新闻中心"),
           Col("tzgg", 1024, "通知公告", "notice", "pbsys", 8, 3))


@dataclass
class Art(PieceArticle):
    @property
    def path(self) -> str:
        return f"/info/{self.col.tree}/{self.id}.htm"


def rel(target: str, page: str) -> str:
    """`target` written relative to the page at `page` (how VSB publishes its links)."""
    return os.path.relpath(target, os.path.dirname(page) or "/") if target != page else os.path.basename(page)


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Art]:
    arts = plan_by_column(rng, COLUMNS, _article)
    number_by_time(arts, rng, rng.randint(2400, 6800), 5, 5)
    for art in arts:
        _media(rng, art)
    return arts


def _article(rng: random.Random, col: Col, when: datetime, i: int) -> Art:
    made = generated(rng, col.kind, when)
    paragraphs = body_pieces(made, NAME)
    has_source = i % 4 != 1
    editor = text.person(rng) if i % 3 == 1 else None
    art = Art(col=col, id=0, when=when, title=made.title, pages=[paragraphs],
              style=nth(DATE_STYLES, i), date_label=nth(DATE_LABELS, i // 2),
              source_label=nth(SOURCE_LABELS, i),
              source=nth(SOURCES, i * 5) if has_source else None,
              author=text.person(rng) if i % 3 == 2 else None,
              editor=editor, editor_in_body=bool(editor) and i % 2 == 0)
    if art.editor_in_body:
        paragraphs.append(Piece("edit", f"（编辑：{editor}）"))
    return art


def _local(art: Art, n: int, ext: str) -> str:
    code = f"{art.id * 7919 + n * 104729:010X}"
    return f"/__local/{code[0]}/{code[1:3]}/{code[3:5]}/{code}{art.id:04X}_{n:02X}.{ext}"


def _media(rng: random.Random, art: Art) -> None:
    body = art.pages[0]
    if art.col.kind != "notice" and art.id % 3 != 2:
        for n in range(1, rng.randint(1, 2) + 1):
            url = _local(art, n, "jpg")
            at = rng.randint(1, max(1, len(body) - 1))
            href = (rel(url, art.path), url, ORIGIN + url)[(art.id + n) % 3]
            pieces = [Piece("img", href=href, url=url)]
            if rng.random() < 0.6:
                pieces.append(Piece("cap", f"{rng.choice(text.ACTIVITIES)}现场"))
            body[at:at] = pieces
    if art.col.kind == "notice":
        names = [f"{art.when.year}年{rng.choice(text.TRAININGS)}报名表.docx",
                 f"{rng.choice(text.TOPICS)}工作指引.pdf"]
        fileid = 12200000 + art.id * 3
        if art.id % 2 == 0:  # a download link inside the text
            at = before_contact(body)
            url = f"{DOWNLOAD}?urltype=news.DownloadAttachUrl&owner={OWNER}&wbfileid={fileid}"
            body.insert(at, Piece("att", names[0], url, url, "附件："))
        else:  # the 附件【…】已下载…次 block under the body
            for n, name in enumerate(names):
                url = f"{DOWNLOAD}?urltype=news.DownloadAttachUrl&owner={OWNER}&wbfileid={fileid + n}"
                art.block_atts.append(Piece("att", name, url, url))


# ---------------------------------------------------------------- chrome

def _head(title: str, page: str, extra: str = "") -> str:
    up = rel("/index.htm", page)
    nav = "".join(f'<li><a href="{rel(f"/{c.slug}.htm", page)}">{c.name}</a></li>' for c in COLUMNS)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{esc(title)}</title>
<META Name="keywords" Content="四川省教育工会,{esc(title)}" />
{extra}<link rel="stylesheet" href="{rel("/style/style.css", page)}" type="text/css" />
<script type="text/javascript" src="/system/resource/js/jquery/jquery-latest.min.js"></script>
<script language="javascript" src="/system/resource/js/dynclicks.js"></script>
</head>
<body>
<div class="top"><div class="wrap"><a href="{up}"><img src="{rel("/images/logo.jpg", page)}" alt="{NAME}" /></a>
<div class="search"><form action="{rel("/ssjg.jsp", page)}?wbtreeid=1001" method="post" name="a184391a"><input type="text" name="showkeycode" class="text" /><input type="submit" class="btn" value="搜索" /></form></div></div></div>
<div class="nav"><ul class="wrap"><li><a href="{up}">首页</a></li><li><a href="{rel("/xwzx.htm", page)}">新闻中心</a></li>{nav}<li><a href="{OFFSITE}/jgzj/" target="_blank">教工之家</a></li></ul></div>
"""


def _footer(page: str) -> str:
    return f"""<div class="links wrap"><span>友情链接：</span><a href="{OFFSITE}/" target="_blank">四川省总工会</a><a href="{OFFSITE}/jyt/" target="_blank">四川省教育厅</a><a href="{OFFSITE}/acftu/" target="_blank">中国教科文卫体工会</a></div>
<div class="footer"><div class="wrap">
<p>版权所有 © {NAME} &nbsp; 地址：成都市青羊区陕西街26号 &nbsp; 邮编：610041</p>
<p><a href="https://beian.miit.gov.cn" target="_blank">蜀ICP备05003689号</a> &nbsp; 技术支持：博达软件</p>
<p>访问量：<span id="a1008"><script>_getBatchClickTimes("wbsite",{OWNER})</script></span></p>
</div></div>
</body>
</html>
"""


def _side(arts: list[Art], page: str) -> str:
    latest = sorted(arts, key=lambda a: a.when, reverse=True)[:6]
    hot = [a for a in arts if a.id % 4 == 1][:5]
    rows = "\n".join(f'<li><a href="{rel(a.path, page)}" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.when:%Y-%m-%d}</span></li>'
                     for a in latest)
    hots = "\n".join(f'<li><a href="{rel(a.path, page)}{"?from=index" if k == 0 else ""}" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.when:%m-%d}</span></li>'
                     for k, a in enumerate(hot))
    return f"""<div class="n_left">
<div class="lm_box"><h3>最新动态</h3><ul>
{rows}
</ul></div>
<div class="lm_box"><h3>热点新闻</h3><ul>
{hots}
</ul></div>
</div>
"""


def _crumb(col: Col, page: str, tail: str = "") -> str:
    parts = [f'<a href="{rel("/index.htm", page)}">首页</a>']
    if col.parent:
        parts.append(f'<a href="{rel("/xwzx.htm", page)}">{col.parent}</a>')
    parts.append(f'<a href="{rel(f"/{col.slug}.htm", page)}">{col.name}</a>')
    return f'<div class="n_tit">当前位置: {" &gt;&gt; ".join(parts)}{tail}</div>'


# ---------------------------------------------------------------- list pages

@dataclass
class Entry:
    title: str
    href: str  # root path (or an absolute/query URL)
    when: datetime
    summary: str = ""


def _href(e: Entry, page: str, k: int) -> str:
    """Page-relative as VSB publishes, some root-relative, absolute and query links as given."""
    if e.href.startswith(ORIGIN):
        return e.href
    if "?" in e.href:
        path, query = e.href.split("?", 1)
        return rel(path, page) + "?" + query
    return e.href if k % 5 == 4 else rel(e.href, page)


def _items(col: Col, rows: list[Entry], page: str, unit: int) -> str:
    if col.kind == "news":
        lis = "\n".join(f"""<li id="line_u{unit}_{k}">
  <h2 class="cleafix"><a href="{esc(_href(e, page, k))}" title="{esc(e.title)}">{esc(e.title)}</a><span class="time">{e.when:%Y-%m-%d}</span></h2>
  <p>{esc(e.summary[:56])}...[<a href="{esc(_href(e, page, k))}">详细</a>]</p>
</li>""" for k, e in enumerate(rows))
        return f'<ul class="n_listxx1">\n{lis}\n</ul>'
    lis = "\n".join(f'<li id="line_u{unit}_{k}"><a href="{esc(_href(e, page, k))}" target="_blank" title="{esc(e.title)}">{esc(e.title)}</a>'
                    f'<span>[{e.when:%Y-%m-%d}]</span></li>' for k, e in enumerate(rows))
    return f'<ul class="list-gl">\n{lis}\n</ul>'


def _pager(col: Col, n: int, total: int, count: int, unit: int) -> str:
    page = col.list_path(n, total)

    def to(k: int) -> str:
        return rel(col.list_path(k, total), page)

    if col.pager == "pbsys":
        spans = ['<span class="p_first_d p_fun_d">首页</span>', '<span class="p_prev_d p_fun_d">上页</span>'] if n == 1 else \
            [f'<span class="p_first p_fun"><a href="{to(1)}">首页</a></span>', f'<span class="p_prev p_fun"><a href="{to(n - 1)}">上页</a></span>']
        spans += [f'<span class="p_no_d">{k}</span>' if k == n else f'<span class="p_no"><a href="{to(k)}">{k}</a></span>'
                  for k in range(1, total + 1)]
        spans += ['<span class="p_next_d p_fun_d">下页</span>', '<span class="p_last_d p_fun_d">尾页</span>'] if n == total else \
            [f'<span class="p_next p_fun"><a href="{to(n + 1)}">下页</a></span>', f'<span class="p_last p_fun"><a href="{to(total)}">尾页</a></span>']
        return (f'<link rel="stylesheet" content-type="text/css" href="/system/resource/css/pagedown/sys.css">'
                f'<div class="pb_sys_common pb_sys_normal pb_sys_style1" style="margin-top:10px;text-align:center;">'
                f'<span class="p_t">共{count}条</span> <span class="p_pages">{"".join(spans)}</span> <span class="p_t">{n}/{total}</span> '
                f'<span class="p_t">到第</span><span class="p_goto"><script language="javascript" src="/system/resource/js/gotopage.js"></script>'
                f'<input type="text" class="p_goto_input" maxlength="10" id="u{unit}_goto" '
                f'onkeydown="if(event.keyCode==13){{_simple_list_gotopage_fun({total},&quot;u{unit}_goto&quot;,2)}}" spellcheck="false"></span>'
                f'<span class="p_t">页</span> <span class="p_goto"><a href="javascript:;" '
                f'onclick="_simple_list_gotopage_fun({total},&quot;u{unit}_goto&quot;,2)">跳转</a></span></div>')
    first = '<span class="PrevDisabled">首页</span><span class="PrevDisabled">上页</span>' if n == 1 else \
        f'<a href="{to(1)}" class="Prev">首页</a><a href="{to(n - 1)}" class="Prev">上页</a>'
    last = '<span class="NextDisabled">下页</span><span class="NextDisabled">尾页</span>' if n == total else \
        f'<a href="{to(n + 1)}" class="Next">下页</a><a href="{to(total)}" class="Next">尾页</a>'
    return f"""<script type="text/javascript">function a{unit}_gopage_fun(){{_simple_list_gotopage_fun({total},'a{unit}GOPAGE',2)}}</script>
<table cellspacing="0" cellpadding="0" border="0"><tr><td colspan="0"><table cellspacing="0" class="headStyle1y2ym5d68a" width="100%" cellpadding="1"><tr valign="middle">
<td nowrap align="left" width="1%" id="fanye{unit}">共{count}条&nbsp;&nbsp;{n}/{total}&nbsp;</td>
<td nowrap align="left"><div>{first}{last}</div></td>
<td nowrap align="right">转到第<input type="text" class="defaultInput" name="a{unit}GOPAGE" id="a{unit}GOPAGE" size="5" />页</td>
<td nowrap align="right"><input type="button" class="defaultButtonStyle" onclick="a{unit}_gopage_fun()" value="跳转" /></td>
</tr></table></td></tr></table>"""


def _list_page(col: Col, rows: list[Entry], n: int, total: int, count: int, arts: list[Art]) -> str:
    page = col.list_path(n, total)
    unit = 5 + COLUMNS.index(col)
    ids = [e.href.rsplit("/", 1)[-1].split(".")[0] for e in rows if e.href.startswith("/info/")]
    clicks = (f'<script>_showDynClickBatch([{",".join(repr(f"dynclicks_u{unit}_{i}") for i in ids)}],'
              f'[{",".join(ids)}],"wbnews", {OWNER})</script>')
    return (_head(f"{col.name}-{NAME}", page) + '<div class="n_main wrap">\n' + _side(arts, page) +
            f'<div class="n_right">\n{_crumb(col, page)}\n<div class="n_listxx">\n{_items(col, rows, page, unit)}\n'
            f'{_pager(col, n, total, count, unit)}\n{clicks}</div>\n</div>\n</div>\n' + _footer(page))


# ---------------------------------------------------------------- article pages

def _body(pieces: list[Piece]) -> str:
    out = []
    texts = [k for k, p in enumerate(pieces) if p.kind in ("p", "strong", "att", "edit")]
    for k, p in enumerate(pieces):
        cls = ' class="vsbcontent_start"' if texts and k == texts[0] else ' class="vsbcontent_end"' if texts and k == texts[-1] else ""
        if p.kind == "p":
            out.append(f'<p{cls} style="text-indent:2em;">{esc(p.text)}</p>')
        elif p.kind == "strong":
            out.append(f'<p{cls} style="text-indent:2em;"><strong>{esc(p.text)}</strong></p>')
        elif p.kind == "img":
            out.append(f'<p class="vsbcontent_img" style="text-align:center;"><img width="600" src="{p.href}" '
                       f'vwidth="600" vheight="400" vurl="{p.url}" vsbhref="vurl" orisrc="{p.url}" class="img_vsb_content"></p>')
        elif p.kind == "cap":
            out.append(f'<p style="text-align:center;"><span style="font-family:楷体;">{esc(p.text)}</span></p>')
        elif p.kind == "att":
            out.append(f'<p{cls} style="text-indent:2em;">{p.prefix}<a href="{esc(p.href)}">{esc(p.text)}</a></p>')
        else:
            out.append(f'<p{cls} style="text-align:right;">{esc(p.text)}</p>')
    return "\n".join(out)


def _article_page(art: Art, prev: Art | None, nxt: Art | None, related: list[Art], arts: list[Art]) -> str:
    page = art.path
    info = []
    if art.author:
        info.append(f"作者:{esc(art.author)}")
    info.append(f"{art.date_label}{art.date_text()}")
    if art.source:
        info.append(f"{art.source_label}{esc(art.source)}")
    info.append(f'点击数：<script>_showDynClicks("wbnews", {OWNER}, {art.id})</script>')
    atts = ""
    if art.block_atts:
        rows = "\n".join(f'<li>附件【<a href="{esc(p.href)}" target="_blank">{esc(p.text)}</a>】已下载<span id="nattach{p.href.rsplit("=", 1)[1]}">'
                         f'<script language="javascript">getClickTimes({p.href.rsplit("=", 1)[1]},{OWNER},"wbnewsfile","attach")</script></span>次</li>'
                         for p in art.block_atts)
        atts = f'<ul style="list-style-type:none;">\n{rows}\n</ul>\n'
    editor = f'<div class="con_bm">责任编辑：{esc(art.editor)}</div>\n' if art.editor and not art.editor_in_body else ""

    def near(label: str, a: Art | None) -> str:
        return f'<li><lable>{label}</lable>' + (f'<a href="{rel(a.path, page)}">{esc(a.title)}</a>' if a else "没有了") + "</li>"

    relrows = "\n".join(f'<li><a href="{rel(a.path, page)}">{esc(a.title)}</a><span>{a.when:%Y-%m-%d}</span></li>' for a in related)
    meta = (f'<meta name="pageType" content="3">\n<meta name="pageTitle" content="{esc(art.title)}">\n'
            f'<META Name="description" Content="{esc(art.pages[0][0].text[:60])}" />\n')
    return (_head(f"{art.title}-{NAME}", page, meta) + '<div class="n_main wrap">\n' + _side(arts, page) + f"""<div class="n_right">
{_crumb(art.col, page, " &gt;&gt; 正文")}
<script language="javascript" src="/system/resource/js/counter.js"></script>
<form name="_newscontent_fromname">
<div class="main_content">
  <div class="main_contit">
    <h2>{esc(art.title)}</h2>
    <p>{"&nbsp;&nbsp;&nbsp;&nbsp;".join(info)}</p>
  </div>
  <div class="main_conDiv" id="vsb_content_2"><div class="v_news_content">
{_body(art.pages[0])}
</div></div>
  <div id="div_vote_id"></div>
{atts}{editor}  <div class="bdsharebuttonbox"><span>分享到：</span><a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a></div>
  <div class="print"><a href="javascript:window.print()">【打印此页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  <div class="main_art"><ul>
    {near("上一篇：", prev)}
    {near("下一篇：", nxt)}
  </ul></div>
</div>
</form>
<div class="xgxw"><h3>相关新闻</h3><ul>
{relrows}
</ul></div>
</div>
</div>
""" + _footer(page))


# ---------------------------------------------------------------- writing

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    rng = random.Random(f"{FAMILY}-{seed}")
    arts = _plan(rng)
    by_col = by_column(arts, COLUMNS, "tree")
    news, grass, notices = by_col[1022], by_col[1023], by_col[1024]
    free = id_finder({a.id for a in arts})

    w = Writer(out_dir, FAMILY, NAME)
    entries = {c.tree: [Entry(a.title, a.path if i % 4 != 2 else ORIGIN + a.path, a.when, a.pages[0][0].text)
                        for i, a in enumerate(by_col[c.tree])] for c in COLUMNS}
    moved = news[5]
    entries[1022][5].href = f"/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1022&wbnewsid={moved.id}"
    w.redirect("/content.jsp", moved.path)
    gone = news[2].when - timedelta(hours=6)
    gone_path = f"/info/1022/{free(news[2].id + 1)}.htm"
    entries[1022].insert(3, Entry(text.title_for("news", rng, gone.year), gone_path, gone, "该信息已删除"))
    w.broken_link(gone_path)
    failing = grass[3].when - timedelta(hours=1)
    failing_path = f"/info/1023/{free(grass[3].id + 1)}.htm"
    entries[1023].insert(4, Entry(text.title_for("grassroots", rng, failing.year), failing_path, failing))
    w.broken_link(failing_path, 500)
    inner = notices[1].when - timedelta(hours=2)
    inner_path = f"/nbtz/{free(notices[1].id + 1)}.htm"
    entries[1024].insert(2, Entry(f"关于做好{inner.year}年度教职工疗休养工作的内部通知", inner_path, inner))
    w.not_followed.append(inner_path)
    pdf_when = notices[4].when - timedelta(hours=3)
    pdf_path = f"/__local/B/3E/91/{pdf_when:%Y%m%d%H%M}A7C2_5F1.pdf"
    entries[1024].insert(5, Entry(f"关于{pdf_when.year}年全省教育系统“最美教职工”推选结果的公示", pdf_path, pdf_when))
    w.listed_file(pdf_path, assets.pdf("Sichuan education union notice"))

    for col in COLUMNS:
        rows = entries[col.tree]
        chunks = paginate(rows, col.per_page)
        total = len(chunks)
        for n, chunk in enumerate(chunks, start=1):
            w.linked_page(col.list_path(n, total), _list_page(col, chunk, n, total, len(rows), arts))
        w.start_paths.append(col.list_path(1, total))

    for col in COLUMNS:
        mine = by_col[col.tree]
        for i, art in enumerate(mine):
            prev, nxt = around(mine, i)
            related = [a for a in mine if a is not art][:5]
            w.linked_page(art.path, _article_page(art, prev, nxt, related, arts))
            art.write_media(w, None)  # attachments: the download script answers them
            w.article(art.zoo())

    w.page(DOWNLOAD, assets.pdf("attachment"), content_type="application/octet-stream")
    sections = "".join(f'<div class="index_box"><h3><a href="{c.slug}.htm">{c.name}</a></h3>\n'
                       + _items(COLUMNS[1], [Entry(a.title, a.path, a.when) for a in by_col[c.tree][:5]], "/index.htm", 9)
                       + "</div>\n" for c in COLUMNS)
    home = _head(NAME, "/index.htm") + f'<div class="main wrap">{sections}</div>\n' + _footer("/index.htm")
    w.linked_page("/index.htm", home)
    w.page("/", home)
    news_home = "".join(f'<div class="index_box"><h3><a href="{rel(f"/{c.slug}.htm", "/xwzx.htm")}">{c.name}</a></h3>\n'
                        + _items(COLUMNS[1], [Entry(a.title, a.path, a.when) for a in by_col[c.tree][:6]], "/xwzx.htm", 8)
                        + "</div>\n" for c in COLUMNS if c.parent)
    w.linked_page("/xwzx.htm", _head(f"新闻中心-{NAME}", "/xwzx.htm") + f'<div class="n_main wrap">{news_home}</div>\n' + _footer("/xwzx.htm"))
    w.robots("/nbtz/", "/ssjg.jsp")
    w.linked_page(inner_path, _head("内部通知", inner_path) + "<div>本页面仅限校内访问。</div>" + _footer(inner_path))
    w.page("/style/style.css", "body{margin:0;font:14px/1.8 'Microsoft YaHei'}\n")
    w.page("/images/logo.jpg", assets.JPEG)
    w.page("/system/resource/css/pagedown/sys.css", ".pb_sys_common span{margin:0 2px}\n")
    for script in ("jquery/jquery-latest.min.js", "dynclicks.js", "gotopage.js", "counter.js"):
        w.page(f"/system/resource/js/{script}", "function _showDynClicks(){}function _showDynClickBatch(){}"
               "function _simple_list_gotopage_fun(){}function getClickTimes(){}function _getBatchClickTimes(){}\n")
    w.not_followed.extend([OFFSITE + "/", OFFSITE + "/jyt/", OFFSITE + "/acftu/", OFFSITE + "/jgzj/"])
    return w.finish()
