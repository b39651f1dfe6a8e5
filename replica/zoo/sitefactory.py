"""动易 SiteFactory (PowerEasy, ASP.NET) sister site: 德阳市总工会, UTF-8 throughout.

What it is written from (no page text copied): public scrapers and saved pages of SiteFactory
government and school sites found in public GitHub repositories (list pages with
`<span id="pe100_page_通用信息列表_普通式" class="pagecss"><!--{pe.begin.pagination}-->`, the
`.pager` variant with `span.current`, a typed-page-number jump script and `共N篇文章/共M页`;
list items `<li><span class="date">…</span><a href="/Item/N.aspx" title="标题：…&#xD;点击数：…&#xD;发表时间：…">`;
article pages with `h2.tit`, `div.contArticle_author` (发布时间, 点击数 written by
`<script src="/Common/GetHits.aspx?id=N">`), the body in `div#fontzoom`, the content pager
`<span id="pe100_page_contentpage" class="pagecss">` for [NextPage]-split articles, the
`contArticle_bot_text` line (收藏/打印, 作者：, 来源：, often with empty values) and
`cA_b_prew`/`cA_b_next` 上一篇/下一篇), and Python spiders that follow 下一页 and the content pager.

Layout:
    /Category_12/Index.aspx, /Category_12/Index_2.aspx ...  工会要闻 (pe100 pager, current page in <b>)
    /Category_13/Index.aspx ...                             基层动态 (.pager: span.current + jump box)
    /Category_15/Index.aspx ...                             通知公告 (页次：1/3 pager with a <select>)
    /Item/1234.aspx, /Item/1234_2.aspx                       articles, further pages of a split article
    /UploadFiles/2023/1/….jpg|pdf|docx                       uploads

Awkward cases: an old 动易 ASP URL (/Article/ShowArticle.asp?ArticleID=…) listed and 301-redirected
to its /Item/ page; a deleted item (404) and one answering 500; footer/sidebar links to other hosts;
robots.txt disallowing /User/ and /Common/ with a 会员专享 list item under /User/; the same article
linked with ?from=hot from the 热门文章 sidebar; an article over three pages (N.aspx, N_2.aspx,
N_3.aspx); a notice listed as a PDF; empty 作者：/来源： labels; 上一篇/下一篇 and related lists with dates.

The server substitutes {{ORIGIN}}/{{OFFSITE}} only in .html files, so every .aspx page is stored
under www/.pages/…aspx.html with the .aspx path a symlink to it (served as text/html; charset=utf-8).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from .base import Writer, ZooSite, generated
from .common import (CN, CN0, DASH, MINUTES, SECONDS, SLASH, Piece, PieceArticle, around, before_contact, body_pieces,
                     by_column, esc, href_style, id_finder, nth, number_by_time, paginate, plan_by_column, split_even)

FAMILY = "sitefactory"
NAME = "德阳市总工会"
SKIN = "/Skin/DeyangGH"

DATE_STYLES = (SECONDS, CN0, MINUTES, SLASH, CN, DASH)
DATE_LABELS = ("发布时间：", "日期：", "发布日期：", "时间：", "")
SOURCE_LABELS = ("来源：", "信息来源：", "文章来源：", "稿件来源：", "来源:")
SOURCES = ("德阳市总工会", "市总工会宣教部", "德阳日报", "四川工人日报", "旌阳区总工会", "市总工会办公室")


@dataclass(frozen=True)
class Col:
    cid: int
    name: str
    kind: str  # text generator: news, grassroots, notice
    pager: str  # pe100, pager, select
    count: int
    per_page: int

    @property
    def dir(self) -> str:
        return f"/Category_{self.cid}/"

    def list_path(self, n: int) -> str:
        return self.dir + ("Index.aspx" if n == 1 else f"Index_{n}.aspx")


COLUMNS = (Col(12, "工会要闻", "news", "pe100", 10, 4),
           Col(13, "基层动态", "grassroots", "pager", 9, 4),
           Col(15, "通知公告", "notice", "select", 7, 3))


@dataclass
class Art(PieceArticle):
    hits: int = 0

    @property
    def path(self) -> str:
        return f"/Item/{self.id}.aspx"

    def page_path(self, n: int) -> str:
        return self.path if n == 1 else f"/Item/{self.id}_{n}.aspx"


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Art]:
    arts = plan_by_column(rng, COLUMNS, _article)
    number_by_time(arts, rng, 3 * rng.randint(1200, 1900), 3, 3)  # other models' items share the numbering
    for art in arts:
        _media(rng, art)
    return arts


def _article(rng: random.Random, col: Col, when: datetime, i: int) -> Art:
    made = generated(rng, col.kind, when)
    paragraphs = body_pieces(made, NAME)
    has_source = i % 4 != 3
    editor = text.person(rng) if i % 3 == 1 else None
    art = Art(col=col, id=0, when=when, title=made.title, pages=[paragraphs],
              style=nth(DATE_STYLES, i), date_label=nth(DATE_LABELS, i // 2),
              source_label=nth(SOURCE_LABELS, i),
              source=rng.choice(SOURCES) if has_source else None,
              author=text.person(rng) if i % 3 == 0 else None,
              editor=editor, editor_in_body=bool(editor) and i % 2 == 0, hits=rng.randint(40, 2400))
    if art.editor_in_body:
        paragraphs.append(Piece("edit", f"（编辑：{editor}）"))
    return art


def _upload(art: Art, n: int, ext: str) -> str:
    return f"/UploadFiles/{art.when.year}/{art.when.month}/{art.when:%Y%m%d%H%M%S}{n}.{ext}"


def _media(rng: random.Random, art: Art) -> None:
    body = art.pages[0]
    if art.col.kind != "notice" and art.id % 2 == 0:
        for n in range(1, rng.randint(1, 2) + 1):
            url = _upload(art, n, "jpg")
            at = rng.randint(1, max(1, len([p for p in body if p.kind == "p"]) - 1))
            pieces = [Piece("img", href=href_style(url, art.id + n), url=url)]
            if rng.random() < 0.6:
                pieces.append(Piece("cap", f"图为{rng.choice(text.ACTIVITIES)}活动现场"))
            body[at:at] = pieces
    if art.col.kind == "notice":
        names = [f"{art.when.year}年{rng.choice(text.TOPICS)}工作情况统计表.xlsx",
                 f"{rng.choice(text.TRAININGS)}报名回执.docx"]
        if art.id % 3 == 0:  # inside the text, before the contact and issuer's lines
            at = before_contact(body)
            names = names[:rng.randint(1, 2)]
            for n, name in enumerate(names, start=1):
                url = _upload(art, n, name.rsplit(".", 1)[1])
                body.insert(at + n - 1, Piece("att", name, href_style(url, n + 1), url, f"附件{n}：" if len(names) > 1 else "附件："))
        elif art.id % 3 == 1:  # the attachments block below the body
            for n, name in enumerate(names, start=1):
                url = _upload(art, n, name.rsplit(".", 1)[1])
                art.block_atts.append(Piece("att", name, href_style(url, n), url))


# ---------------------------------------------------------------- chrome

def _head(title: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
<meta name="keywords" content="德阳市总工会,德阳工会,职工之家" />
<meta name="description" content="德阳市总工会门户网站" />
<link href="{SKIN}/default.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.pack.js"></script>
<script type="text/javascript" src="/js/common.js"></script>{extra}
</head>
<body>
<div id="wrap">
<div id="header">
  <div class="logo"><a href="/"><img src="{SKIN}/images/logo.jpg" alt="{NAME}" /></a></div>
  <div class="topright"><span id="nowtime"><script type="text/javascript">document.write(new Date().toLocaleDateString());</script></span>
    <a href="javascript:void(0);" onclick="SetHome(this,'');">设为首页</a> | <a href="javascript:void(0);" onclick="AddFavorite('{NAME}','');">加入收藏</a></div>
  <form id="search" action="/Search.aspx" method="get"><input type="text" name="keyword" class="s_input" value="请输入关键字" /><input type="submit" value="搜索" class="s_btn" /></form>
</div>
<div id="menu"><ul>
  <li><a href="/">网站首页</a></li>
{"".join(f'  <li><a href="{c.list_path(1)}">{c.name}</a></li>{chr(10)}' for c in COLUMNS)}  <li><a href="/User/Index.aspx">会员中心</a></li>
</ul></div>
"""


def _footer() -> str:
    return f"""<div id="friendlink"><strong>友情链接：</strong>
  <a href="{OFFSITE}/" target="_blank">四川省总工会</a> | <a href="{OFFSITE}/acftu/" target="_blank">中华全国总工会</a> |
  <select onchange="if(this.value!='')window.open(this.value);"><option value="">—— 市（县）工会 ——</option><option value="{OFFSITE}/jy/">旌阳区总工会</option><option value="{OFFSITE}/gh/">广汉市总工会</option></select>
</div>
<div id="footer">
  <div class="fmenu"><a href="/">网站首页</a> | <a href="{OFFSITE}/wsfw/">职工服务</a> | <a href="/User/Index.aspx">会员登录</a></div>
  <div class="copyright">版权所有：{NAME} &nbsp; 地址：四川省德阳市旌阳区泰山北路二段 &nbsp; 邮编：618000<br />
  电话：0838-2202135 &nbsp; <a href="https://beian.miit.gov.cn/" target="_blank">蜀ICP备10005678号-1</a> &nbsp; 技术支持：动易网络<br />
  您是本站第 <script type="text/javascript" src="/Common/SiteCounter.aspx"></script> 位访问者</div>
</div>
</div>
</body>
</html>
"""


def _dated(arts: list[Art], fmt: str, tracking: str = "") -> str:
    rows = []
    for a in arts:
        rows.append(f'<li><a href="{a.path}{tracking if a is arts[0] else ""}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>'
                    f'<span class="date">{a.when.strftime(fmt)}</span></li>')
    return "\n".join(rows)


def _sidebar(arts: list[Art], rng: random.Random) -> str:
    latest = sorted(arts, key=lambda a: a.when, reverse=True)[:6]
    hot = sorted(arts, key=lambda a: -a.hits)[:6]
    return f"""<div class="main_left">
  <div class="side_box"><div class="side_title"><h3>最新信息</h3></div><ul class="side_list">
{_dated(latest, "[%m-%d]")}
  </ul></div>
  <div class="side_box"><div class="side_title"><h3>热门文章</h3></div><ul class="side_list">
{_dated(hot, "%Y-%m-%d", "?from=hot")}
  </ul></div>
  <div class="side_box"><div class="side_title"><h3>服务职工</h3></div><ul class="side_links">
    <li><a href="{OFFSITE}/wsfw/" target="_blank">网上服务大厅</a></li><li><a href="{OFFSITE}/acftu/flfg/" target="_blank">政策法规</a></li>
  </ul></div>
</div>
"""


def _position(col: Col, tail: str = "") -> str:
    return (f'<div class="position">您现在的位置：<a href="/">网站首页</a> &gt;&gt; '
            f'<a href="{col.list_path(1)}">{col.name}</a>{tail}</div>')


# ---------------------------------------------------------------- list pages

@dataclass
class Entry:
    title: str
    href: str
    when: datetime
    hits: int = 100


def _entry_li(e: Entry) -> str:
    tip = f"标题：{e.title}&#xD;点击数：{e.hits}&#xD;发表时间：{e.when:%Y年%m月%d日}"
    return (f'<li><span class="date">{e.when:%Y-%m-%d}</span><a href="{esc(e.href)}" target="_blank" '
            f'title="{esc(tip).replace("&amp;#xD;", "&#xD;")}">{esc(e.title)}</a></li>')


def _pager(col: Col, n: int, total: int, count: int) -> str:
    def name(k: int) -> str:
        return "Index.aspx" if k == 1 else f"Index_{k}.aspx"

    if col.pager == "pe100":
        nums = " ".join(f'<b><a href="{name(k)}">{k}</a></b>' if k == n else f'<a href="{name(k)}">{k}</a>'
                        for k in range(1, total + 1))
        inner = (f'\n <a href="Index.aspx">首页</a>\n <a href="{name(max(1, n - 1))}">上一页</a>\n {nums} \n'
                 f'<a href="{name(min(total, n + 1))}">下一页</a>\n <a href="{name(total)}">尾页</a>\n')
        return (f'<div class="page"><span id="pe100_page_通用信息列表_普通式" class="pagecss">'
                f'<!--{{pe.begin.pagination}}-->{inner}<!--{{pe.end.pagination}}--></span></div>')
    if col.pager == "pager":
        cases = " ".join(f"case {k}: location='{name(k)}';break;" for k in range(1, total + 1))
        nums = " ".join(f'<span class="current">{k}</span>' if k == n else f'<a href="{name(k)}">{k}</a>'
                        for k in range(1, total + 1))
        first = ('<span class="disabled">首页</span>\n <span class="disabled">上一页</span>' if n == 1 else
                 f'<a href="Index.aspx">首页</a>\n <a href="{name(n - 1)}">上一页</a>')
        last = ('<span class="disabled">下一页</span>\n <span class="disabled">尾页</span>' if n == total else
                f'<a href="{name(n + 1)}">下一页</a>\n <a href="{name(total)}">尾页</a>')
        return f"""<div class="page"><span id="pe100_page_通用信息列表_图文式" class="pagecss"><!--{{pe.begin.pagination}}-->
<script type="text/javascript">
function listPage_Jumpto通用信息列表_图文式(e,ele){{
e=e||event;
if(13==e.keyCode){{
var i=Number(ele.value);
if(i<1||i>{total}){{alert("你输入的页码超出范围。");}}
switch(i){{
{cases}
default: break;
}}
}}
}}
</script>
<div class="pager">
 {first}
 {nums}
 {last}
<input type="text" value="{n}" onkeydown="listPage_Jumpto通用信息列表_图文式(event,this)" size="3" title="输入数字，回车跳转" />
<span class="disabled">共{count}篇文章/共{total}页</span>
</div><!--{{pe.end.pagination}}--></span></div>"""
    options = "".join(f'<option value="{name(k)}"{" selected" if k == n else ""}>第{k}页</option>' for k in range(1, total + 1))
    first = "首页 上一页" if n == 1 else f'<a href="Index.aspx">首页</a> <a href="{name(n - 1)}">上一页</a>'
    last = "下一页 尾页" if n == total else f'<a href="{name(n + 1)}">下一页</a> <a href="{name(total)}">尾页</a>'
    return (f'<div class="page"><span id="pe100_page_通用信息列表_公告式" class="pagecss"><!--{{pe.begin.pagination}}-->'
            f'共 <b>{count}</b> 篇 &nbsp;{first} {last} &nbsp;页次：<strong><font color="red">{n}</font>/{total}</strong>页 '
            f'&nbsp;<b>{col.per_page}</b>篇/页 &nbsp;转到：<select name="page" size="1" '
            f'onchange="javascript:window.location=this.options[this.selectedIndex].value;">{options}</select>'
            f'<!--{{pe.end.pagination}}--></span></div>')


def _list_page(col: Col, entries: list[Entry], n: int, total: int, count: int, side: str) -> str:
    items = "\n".join(_entry_li(e) for e in entries)
    return (_head(f"{col.name}_{NAME}") + '<div id="main">\n' + side +
            f'<div class="main_right">\n{_position(col)}\n<div class="list_box"><div class="list_title"><h3>{col.name}</h3></div>\n'
            f'<ul class="newsList infoListA">\n{items}\n</ul>\n{_pager(col, n, total, count)}\n</div>\n</div>\n</div>\n' + _footer())


# ---------------------------------------------------------------- article pages

def _piece(p: Piece, k: int) -> str:
    indent = ("　　", "&nbsp;&nbsp;&nbsp;&nbsp;", "")[k % 3]
    if p.kind == "p":
        style = ' style="text-indent: 2em;"' if not indent else ""
        return f"<p{style}>{indent}{esc(p.text)}</p>"
    if p.kind == "strong":
        return f"<p>{indent}<strong>{esc(p.text)}</strong></p>"
    if p.kind == "img":
        return f'<p style="text-align: center;"><img src="{p.href}" alt="" border="0" /></p>'
    if p.kind == "cap":
        return f'<p style="text-align: center;"><span style="font-size: 12px;">{esc(p.text)}</span></p>'
    if p.kind == "att":
        return f'<p>{indent}{p.prefix}<a href="{p.href}">{esc(p.text)}</a></p>'
    return f'<p style="text-align: right;">{esc(p.text)}</p>'


def _content_pager(art: Art, n: int) -> str:
    total = len(art.pages)
    if total == 1:
        return ""
    nums = " ".join(f'<span class="current">{k}</span>' if k == n else f'<a href="{art.page_path(k)}">{k}</a>'
                    for k in range(1, total + 1))
    prev = f'<a href="{art.page_path(n - 1)}">上一页</a>' if n > 1 else '<span class="disabled">上一页</span>'
    nxt = f'<a href="{art.page_path(n + 1)}">下一页</a>' if n < total else '<span class="disabled">下一页</span>'
    return f'<div class="pager">{prev} {nums} {nxt}</div>'


def _neighbour(label: str, a: Art | None, cls: str) -> str:
    if a is None:
        return f'<div class="{cls}">{label}没有了</div>'
    tip = f"标题：{a.title}&#xD;点击数：{a.hits}&#xD;发表时间：{a.when:%y年%m月%d日}"
    return (f'<div class="{cls}">{label}<a href="{a.path}" target="_self" title="{esc(tip).replace("&amp;#xD;", "&#xD;")}">'
            f'{esc(a.title)}</a>[ {a.when:%m-%d} ]</div>')


def _article_page(art: Art, n: int, prev: Art | None, nxt: Art | None, related: list[Art], side: str) -> str:
    body = "\n".join(_piece(p, art.id + k) for k, p in enumerate(art.pages[n - 1]))
    atts = ""
    if art.block_atts and n == len(art.pages):
        rows = "".join(f'<li><a href="{p.href}" target="_blank">{esc(p.text)}</a></li>' for p in art.block_atts)
        atts = f'<div class="attachment"><strong>相关附件：</strong><ul>{rows}</ul></div>\n'
    date = f"{art.date_label}{art.date_text()}"
    editor = f' <span>责任编辑：{esc(art.editor)}</span>' if art.editor and not art.editor_in_body else ""
    rel = "\n".join(f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a>&nbsp;<span>({a.when:%Y-%m-%d})</span></li>'
                    for a in related)
    extra = "\n<script type=\"text/javascript\" src=\"/js/bdshare.js\"></script>"
    return (_head(f"{art.title}_{art.col.name}_{NAME}", extra) + '<div id="main">\n' + side + f"""<div class="main_right">
{_position(art.col, " &gt;&gt; 正文")}
<div class="contArticle_all">
  <h2 class="tit">{esc(art.title)}</h2>
  <div class="contArticle_author"> <span>{date}</span> <span>点击数：<script language="JavaScript" type="text/JavaScript" src="/Common/GetHits.aspx?id={art.id}"></script>次</span> <span>【字体：<a href="javascript:fontZoomA();" class="top_UserLogin">小</a> <a href="javascript:fontZoomB();" class="top_UserLogin">大</a>】</span></div>
  <!-- 正文 -->
  <div class="contArticle_text">
    <div class="" id="fontzoom">
{body}
    </div>
  </div>
{atts}  <div class="contArticle_bot_Artpage"> <span id="pe100_page_contentpage" class="pagecss">{_content_pager(art, n)}</span> </div>
  <div class="contArticle_bot_text"> <span class="contArticle_bot_text_UpdateTime"> [<a href="/User/Contents/Favorite.aspx?Action=add&amp;Id={art.id}">收藏</a>] [<a href="javascript:window.print();">打印文章</a>] [<a href="javascript:window.close();">关闭窗口</a>]</span> <span>作者：{esc(art.author or "")}</span> <span>&nbsp;&nbsp;{art.source_label}{esc(art.source or "")}</span>{editor}</div>
  <div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a><a href="#" class="bds_more" data-cmd="more"></a></div>
  <div class="contArticle_bot_page">
    {_neighbour("上一篇：", prev, "cA_b_prew")}
    {_neighbour("下一篇：", nxt, "cA_b_next")}
  </div>
  <div class="c_main"><dl><dt class="c_title"><a>相关信息</a></dt><dd class="c_contents"><ul>
{rel}
  </ul></dd></dl></div>
  <div id="commentform"></div>
</div>
</div>
</div>
""" + _footer())


# ---------------------------------------------------------------- writing

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    rng = random.Random(f"{FAMILY}-{seed}")
    arts = _plan(rng)
    by_col = by_column(arts, COLUMNS, "cid")
    news, grass, notices = by_col[12], by_col[13], by_col[15]
    long = max(news[1:5], key=lambda a: len(a.pages[0]))
    long.pages = split_even(long.pages[0], 3)  # [NextPage]-split: N.aspx, N_2.aspx, N_3.aspx
    free = id_finder({a.id for a in arts})

    w = Writer(out_dir, FAMILY, NAME)
    side = _sidebar(arts, rng)

    # list entries, with the awkward ones
    entries = {c.cid: [Entry(a.title, a.path if i % 4 else ORIGIN + a.path, a.when, a.hits)
                       for i, a in enumerate(by_col[c.cid])] for c in COLUMNS}
    moved = grass[3]
    entries[13][3].href = f"/Article/ShowArticle.asp?ArticleID={moved.id - 900}"
    w.redirect("/Article/ShowArticle.asp", moved.path)
    gone = news[5].when - timedelta(hours=3)
    gone_path = f"/Item/{free(news[6].id + 1)}.aspx"
    entries[12].insert(6, Entry(text.title_for("news", rng, gone.year), gone_path, gone))
    w.broken_link(gone_path)
    failing = grass[1].when - timedelta(hours=5)
    failing_path = f"/Item/{free(grass[2].id + 1)}.aspx"
    entries[13].insert(2, Entry(text.title_for("grassroots", rng, failing.year), failing_path, failing))
    w.broken_link(failing_path, 500)
    member = notices[1].when - timedelta(hours=2)
    entries[15].insert(2, Entry(f"关于{member.year}年度会员福利发放的内部通知（会员专享）", f"/User/Item/{notices[1].id + 2}.aspx", member))
    w.not_followed.append(f"/User/Item/{notices[1].id + 2}.aspx")
    pdf_when = notices[3].when - timedelta(hours=1)
    pdf_title = f"关于公布{pdf_when.year}年度德阳市五一劳动奖获得者名单的通报"
    pdf_path = f"/UploadFiles/{pdf_when.year}/{pdf_when.month}/{pdf_when:%Y%m%d%H%M%S}.pdf"
    entries[15].insert(4, Entry(pdf_title, pdf_path, pdf_when))
    w.listed_file(pdf_path, assets.pdf("Deyang union notice"))

    for col in COLUMNS:
        rows = entries[col.cid]
        chunks = paginate(rows, col.per_page)
        for n, chunk in enumerate(chunks, start=1):
            page = _list_page(col, chunk, n, len(chunks), len(rows), side)
            w.linked_page(col.list_path(n), page)
        w.start_paths.append(col.list_path(1))

    for col in COLUMNS:
        mine = by_col[col.cid]
        for i, art in enumerate(mine):
            prev, nxt = around(mine, i)
            related = [a for a in mine if a is not art][:5]
            for n in range(1, len(art.pages) + 1):
                w.linked_page(art.page_path(n), _article_page(art, n, prev, nxt, related, side))
            art.write_media(w, lambda url: "application/octet-stream")
            w.article(art.zoo())

    home = "".join(f'<div class="home_box"><h3><a href="{c.list_path(1)}">{c.name}</a></h3><ul>\n'
                   + "\n".join(_entry_li(Entry(a.title, a.path, a.when, a.hits)) for a in by_col[c.cid][:5])
                   + "\n</ul></div>\n" for c in COLUMNS)
    w.page("/", _head(NAME) + f'<div id="main">\n{side}<div class="main_right">{home}</div>\n</div>\n' + _footer())
    w.robots("/User/", "/Common/", "/Admin/")
    w.linked_page(f"/User/Item/{notices[1].id + 2}.aspx", _head("会员登录") + '<div id="main">请先登录会员中心。</div>' + _footer())
    w.page(f"{SKIN}/default.css", "body{font-size:12px;margin:0}.pagecss a,.pager a{margin:0 3px}\n")
    w.page(f"{SKIN}/images/logo.jpg", assets.JPEG)
    for script in ("/js/jquery.pack.js", "/js/common.js", "/js/bdshare.js"):
        w.page(script, "function fontZoomA(){}function fontZoomB(){}function SetHome(){}function AddFavorite(){}\n")
    w.page("/Common/GetHits.aspx", b"document.write('1');", content_type="application/javascript; charset=utf-8")
    w.page("/Common/SiteCounter.aspx", b"document.write('1086421');", content_type="application/javascript; charset=utf-8")
    w.not_followed.extend([OFFSITE + "/", OFFSITE + "/acftu/", OFFSITE + "/jy/", OFFSITE + "/gh/", OFFSITE + "/wsfw/",
                           OFFSITE + "/acftu/flfg/", "/User/Index.aspx"])
    w.not_followed.extend(f"/User/Contents/Favorite.aspx?Action=add&Id={a.id}" for a in arts)
    return w.finish()
