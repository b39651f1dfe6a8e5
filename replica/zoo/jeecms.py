"""JEECMS (Java, FreeMarker templates, .jhtml URLs) sister site: 绵阳市总工会, UTF-8 throughout.

What it is written from (no page text copied): JEECMS v6-v9 template sets in public GitHub
repositories (channel templates with `当前位置: 首页 > …`, `[@cms_content_page]` lists with
`(yyyy-MM-dd)` dates, `[@cms_pagination sysPage='1'/]`; the system page styles under
`cms_sys_defined/style_page/`: channel_1 writes `共N条记录 1/3页` and 首页/上一页/下一页/尾页 as
`<a href="#" onclick="location.href=encodeURI('…/index_2.jhtml');">`, disabled ones as
`<a disabled="disabled">`, plus a `<select onChange>` page jump; channel_2 writes numbered
onclick links and a goPage() box; content templates with
`发布时间：…&nbsp;&nbsp;作者：…&nbsp;&nbsp;来源：…&nbsp;&nbsp;浏览次数：<span id="views"></span>`
filled by `Cms.viewCount()` → `$.getJSON(base + "/content_view.jspx", {contentId})`, `上一篇：`/`下一篇：`
with text_cut titles, share include, comment input), and scrapers of JEECMS government sites
(content ids from `/<channel>/<id>.jhtml`, later pages `<id>_2.jhtml`, the views JSON).

Layout:
    /ghyw/index.jhtml, /ghyw/index_2.jhtml …   工会要闻 (a customised pager of plain links)
    /jcdt/index.jhtml …                         基层动态 (channel_1 style: onclick links + <select>)
    /tzgg/index.jhtml …                         通知公告 (channel_2 style: numbered onclick links + goPage box)
    /ghyw/12345.jhtml, /ghyw/12345_2.jhtml      articles and the further pages of a split article
    /u/cms/www/202301/18174003abcd.jpg|pdf|docx uploads

Awkward cases: an old static path (/jcdt/<id>.html, from before the site went dynamic) listed and
301-redirected to the .jhtml page; a deleted content (404) and a template error (500); other
hosts in the footer and sidebar; robots.txt disallowing /member/ with a member-only notice whose
list link goes to /member/login.jspx; an article also published in the 专题 channel under
/zt/<id>.jhtml carrying <link rel="canonical"> to its home path; an article over three pages;
a notice listed as a PDF; a "来源：本站原创" default; views written by script.

The server substitutes {{ORIGIN}}/{{OFFSITE}} only in .html files, so every .jhtml page is stored
under www/.pages/…jhtml.html with the .jhtml path a symlink to it (served as text/html; charset=utf-8).
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
                     by_column, esc, href_style, id_finder, nth, number_by_time, paginate, plan_by_column, shorten,
                     split_even)

FAMILY = "jeecms"
NAME = "绵阳市总工会"
RES = "/r/cms/www/default"

DATE_STYLES = (MINUTES, SECONDS, DASH, CN0, SLASH, CN)
DATE_LABELS = ("发布时间：", "", "发布日期：", "日期：", "时间：")
SOURCE_LABELS = ("来源：", "文章来源：", "信息来源：", "来源:", "稿件来源：")
SOURCES = ("绵阳市总工会", "绵阳日报", "市总工会宣传教育部", "四川工人日报", "涪城区总工会", "本站原创")


@dataclass(frozen=True)
class Col:
    key: str
    name: str
    kind: str
    pager: str  # links, channel_1, channel_2
    count: int
    per_page: int

    def list_path(self, n: int) -> str:
        return f"/{self.key}/index.jhtml" if n == 1 else f"/{self.key}/index_{n}.jhtml"


COLUMNS = (Col("ghyw", "工会要闻", "news", "links", 10, 4),
           Col("jcdt", "基层动态", "grassroots", "channel_1", 9, 4),
           Col("tzgg", "通知公告", "notice", "channel_2", 8, 3))


@dataclass
class Art(PieceArticle):
    alias: str | None = None  # a second path (专题 channel) carrying rel=canonical

    @property
    def path(self) -> str:
        return f"/{self.col.key}/{self.id}.jhtml"

    def page_path(self, n: int) -> str:
        return self.path if n == 1 else f"/{self.col.key}/{self.id}_{n}.jhtml"


def cut(title: str, length: int = 20) -> str:
    """FreeMarker text_cut: the first `length` characters and '...'."""
    return shorten(title, length)


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Art]:
    arts = plan_by_column(rng, COLUMNS, _article)
    number_by_time(arts, rng, rng.randint(10200, 14800), 7, 7)
    for art in arts:
        _media(rng, art)
    return arts


def _article(rng: random.Random, col: Col, when: datetime, i: int) -> Art:
    made = generated(rng, col.kind, when)
    paragraphs = body_pieces(made, NAME)
    has_source = i % 4 != 2
    editor = text.person(rng) if i % 3 == 2 else None
    art = Art(col=col, id=0, when=when, title=made.title, pages=[paragraphs],
              style=nth(DATE_STYLES, i), date_label=nth(DATE_LABELS, i // 2),
              source_label=nth(SOURCE_LABELS, i),
              source=nth(SOURCES, i) if has_source else None,
              author=text.person(rng) if i % 3 == 0 else None,
              editor=editor, editor_in_body=bool(editor) and i % 2 == 1)
    if art.editor_in_body:
        paragraphs.append(Piece("edit", f"（编辑：{editor}）"))
    return art


def _upload(art: Art, n: int, ext: str) -> str:
    return f"/u/cms/www/{art.when:%Y%m}/{art.when:%d%H%M%S}{art.id % 97:02d}{n}.{ext}"


def _media(rng: random.Random, art: Art) -> None:
    body = art.pages[0]
    if art.col.kind != "notice" and art.id % 3 != 1:
        for n in range(1, rng.randint(1, 2) + 1):
            url = _upload(art, n, "jpg")
            at = rng.randint(1, max(1, len(body) - 1))
            pieces = [Piece("img", href=href_style(url, art.id + n), url=url)]
            if rng.random() < 0.5:
                pieces.append(Piece("cap", f"{rng.choice(text.ACTIVITIES)}活动现场（{text.person(rng)} 摄）"))
            body[at:at] = pieces
    if art.col.kind == "notice":
        names = [f"{rng.choice(text.THINGS)}申报表.doc".replace("“", "").replace("”", ""),
                 f"{art.when.year}年{rng.choice(text.TOPICS)}情况汇总表.xls"]
        if art.id % 2 == 0:
            at = before_contact(body)
            names = names[:rng.randint(1, 2)]
            for n, name in enumerate(names, start=1):
                url = _upload(art, n, name.rsplit(".", 1)[1])
                body.insert(at + n - 1, Piece("att", name, href_style(url, n), url, f"附件{n}：" if len(names) > 1 else "附件："))
        else:
            for n, name in enumerate(names, start=1):
                url = _upload(art, n, name.rsplit(".", 1)[1])
                art.block_atts.append(Piece("att", name, href_style(url, n + 2), url))


# ---------------------------------------------------------------- chrome

def _head(title: str, script: str = "", canonical: str = "") -> str:
    link = f'\n<link rel="canonical" href="{ORIGIN}{canonical}" />' if canonical else ""
    return f"""<!DOCTYPE HTML>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)} - {NAME}</title>
<meta http-equiv="keywords" content="绵阳,工会,职工"/>
<meta http-equiv="description" content="{NAME}"/>{link}
<link href="{RES}/css/index.css" rel="stylesheet" type="text/css"/>
<script src="/r/cms/jquery.js" type="text/javascript"></script>
<script src="/r/cms/front.js" type="text/javascript"></script>
<script type="text/javascript">
$(function() {{
{script}Cms.siteFlow("", location.href, document.referrer,"true");
}});
</script>
</head>
<body>
<div class="top"><div class="container"><span class="fl">欢迎访问{NAME}！</span><span class="fr"><a href="/member/login.jspx">登录</a> | <a href="/member/register.jspx">注册</a></span></div></div>
<div class="header container"><a class="logo" href="/"><img src="{RES}/img/logo.png" alt="{NAME}"/></a>
<form action="/search.jspx" target="_blank" method="get" class="search"><input type="text" name="q" class="search-ipt" placeholder="请输入关键词"/><input type="submit" class="search-btn" value="搜索"/></form></div>
<div class="nav"><ul class="container">
<li><a href="/">首页</a></li>
{"".join(f'<li><a href="{c.list_path(1)}">{c.name}</a></li>{chr(10)}' for c in COLUMNS)}<li><a href="{OFFSITE}/wszgzj/" target="_blank">网上职工之家</a></li>
</ul></div>
"""


def _footer() -> str:
    return f"""<div class="friend-link container"><h3>友情链接</h3>
<a href="{OFFSITE}/" target="_blank">四川省总工会</a> <a href="{OFFSITE}/acftu/" target="_blank">中华全国总工会</a> <a href="{OFFSITE}/scgrrb/" target="_blank">四川工人日报</a>
</div>
<div class="footer"><div class="container">
<p>版权所有：{NAME} &nbsp;&nbsp; 地址：绵阳市涪城区临园路东段 &nbsp;&nbsp; 电话：0816-2253102</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">蜀ICP备12003456号</a> &nbsp;&nbsp; 技术支持：绵阳网联科技 &nbsp;&nbsp; Powered by JEECMS</p>
<p>本站访问量：<span id="siteViews"></span><script type="text/javascript">$.getJSON("/site_view.jspx",function(d){{$("#siteViews").text(d[0]);}});</script></p>
</div></div>
</body>
</html>
"""


def _right(arts: list[Art]) -> str:
    latest = sorted(arts, key=lambda a: a.when, reverse=True)[:6]
    hot = [a for a in arts if a.id % 5 in (0, 2)][:6]
    alias = next((a for a in arts if a.alias), None)
    rows1 = "\n".join(f'<li><a href="{a.path}" title="{esc(a.title)}" target="_blank">{esc(cut(a.title, 18))}</a><span>{a.when:%m-%d}</span></li>'
                      for a in latest)
    rows2 = "\n".join(f'<li><em>{k}</em><a href="{a.path}" title="{esc(a.title)}" target="_blank">{esc(cut(a.title, 16))}</a><span>{a.when:%Y-%m-%d}</span></li>'
                      for k, a in enumerate(hot, start=1))
    special = (f'<div class="rim"><h3>专题专栏</h3><ul><li><a href="{alias.alias}" target="_blank">{esc(cut(alias.title, 18))}</a>'
               f'<span>{alias.when:%Y-%m-%d}</span></li><li><a href="{OFFSITE}/zt/2024lh/" target="_blank">全国两会精神专题</a></li></ul></div>'
               if alias else "")
    return f"""<div class="w300 fr">
<div class="rim"><h3>最新发布</h3><ul class="news-list">
{rows1}
</ul></div>
<div class="rim"><h3>热点排行</h3><ul class="hot-list">
{rows2}
</ul></div>
{special}
</div>
"""


def _website(col: Col, tail: str = "") -> str:
    return (f'<div class="website">当前位置: <a href="/">首页</a> &gt; '
            f'<a href="{col.list_path(1)}" target="_blank">{col.name}</a>{tail}</div>')


# ---------------------------------------------------------------- list pages

@dataclass
class Entry:
    title: str
    href: str
    when: datetime
    desc: str = ""


def _entries(col: Col, rows: list[Entry]) -> str:
    if col.key == "ghyw":
        return "\n".join(f"""<div class="hdNews">
  <a href="{esc(e.href)}" title="{esc(e.title)}" target="_blank"><h2>{esc(cut(e.title, 30))}</h2></a>
  <p>{esc(cut(e.desc, 60)) if e.desc else ""}<span style="color:#999">({e.when:%Y-%m-%d})</span></p>
</div>""" for e in rows)
    return '<ul class="list-ul">\n' + "\n".join(
        f'<li><a href="{esc(e.href)}" title="{esc(e.title)}" target="_blank">{esc(e.title)}</a><span class="date">{e.when:%Y-%m-%d}</span></li>'
        for e in rows) + "\n</ul>"


def _pager(col: Col, n: int, total: int, count: int) -> str:
    former = f"{ORIGIN}/{col.key}/index"

    def url(k: int) -> str:
        return f"{former}.jhtml" if k == 1 else f"{former}_{k}.jhtml"

    def go(k: int) -> str:
        return f"location.href=encodeURI('{url(k)}');"

    if col.pager == "links":  # a site's own pager template: plain anchors
        first = ("<span>首页</span> <span>上一页</span>" if n == 1 else
                 f'<a href="index.jhtml">首页</a> <a href="{"index.jhtml" if n == 2 else f"index_{n - 1}.jhtml"}">上一页</a>')
        last = ("<span>下一页</span> <span>尾页</span>" if n == total else
                f'<a href="index_{n + 1}.jhtml">下一页</a> <a href="index_{total}.jhtml">尾页</a>')
        return f'<div class="pagesite">共{count}条 {n}/{total} {first} {last}</div>'
    if col.pager == "channel_1":
        first = ('&nbsp;<a disabled="disabled" style="cursor: pointer">首页</a> <a disabled="disabled" style="cursor: pointer">上一页</a>'
                 if n == 1 else f'&nbsp;<a href="#" onclick="{go(1)}">首页</a> <a href="#" onclick="{go(n - 1)}">上一页</a>')
        last = ('&nbsp;<a disabled="disabled" style="cursor: pointer">下一页</a> <a disabled="disabled" style="cursor: pointer">尾页</a>'
                if n == total else f'&nbsp;<a href="#" onclick="{go(n + 1)}">下一页</a> <a href="#" onclick="{go(total)}">尾页</a>')
        selected = ' selected="selected"'
        options = "\n".join(f'  <option value="{k}"{selected if k == n else ""}>{k}</option>' for k in range(1, total + 1))
        return f"""<div class="pagination">
共{count}条记录 {n}/{total}页
{first}
{last}
&nbsp;第<select onChange="if(this.value==1){{location.href=encodeURI('{former}.jhtml')}}else{{location.href=encodeURI('{former}_'+this.value+'.jhtml')}}this.disabled='disabled'">
{options}
</select>页
</div>"""
    nums = "\n".join(f'<a class="{"currPageClass" if k == n else "norPageClass"}" href="#" onclick="{go(k)}">{k}</a>&nbsp;'
                     for k in range(1, total + 1))
    return f"""<div class="pagesite">
{nums}
<script type="text/javascript">
	function goPage(){{
		var page=$("#pageNo").val();
		if(page!=""){{
			location.href=encodeURI('{former}_'+page+'.jhtml');
		}}
	}}
</script>
<input id="pageNo" size="2"/><input type="button" value="go" onclick="goPage()" />
</div>"""


def _list_page(col: Col, rows: list[Entry], n: int, total: int, count: int, right: str) -> str:
    return (_head(col.name, 'Cms.channelViewCount("","%d");\n' % (COLUMNS.index(col) + 11)) +
            f'<div class="main container clearfix">\n<div class="w670 fl">\n{_website(col)}\n'
            f'<div class="column-title"><h2>{col.name}</h2></div>\n{_entries(col, rows)}\n'
            f'<div style="clear:both;"></div>\n{_pager(col, n, total, count)}\n</div>\n{right}</div>\n' + _footer())


# ---------------------------------------------------------------- article pages

def _piece(p: Piece, k: int) -> str:
    if p.kind == "p":
        return ("<p>　　{}</p>", '<p style="text-indent:2em;">{}</p>', "<p>{}</p>")[k % 3].format(esc(p.text))
    if p.kind == "strong":
        return f'<p style="text-indent:2em;"><strong>{esc(p.text)}</strong></p>'
    if p.kind == "img":
        return f'<p style="text-align:center"><img alt="" src="{p.href}" style="width: 600px;" /></p>'
    if p.kind == "cap":
        return f'<p style="text-align:center">{esc(p.text)}</p>'
    if p.kind == "att":
        return f'<p style="text-indent:2em;">{p.prefix}<a href="{p.href}" target="_blank">{esc(p.text)}</a></p>'
    return f"<p>{esc(p.text)}</p>"


def _content_pager(art: Art, n: int) -> str:
    total = len(art.pages)
    if total == 1:
        return ""
    name = [art.page_path(k).rsplit("/", 1)[1] for k in range(1, total + 1)]
    first = "<span>首页</span> <span>上一页</span>" if n == 1 else f'<a href="{name[0]}">首页</a> <a href="{name[n - 2]}">上一页</a>'
    last = "<span>下一页</span> <span>尾页</span>" if n == total else f'<a href="{name[n]}">下一页</a> <a href="{name[-1]}">尾页</a>'
    return f'<div class="pagebar">共{total}页 第{n}页 {first} {last}</div>'


def _article_page(art: Art, n: int, prev: Art | None, nxt: Art | None, related: list[Art], right: str) -> str:
    body = "\n".join(_piece(p, art.id + k) for k, p in enumerate(art.pages[n - 1]))
    info = [f"{art.date_label}{art.date_text()}"]
    if art.author:
        info.append(f"作者：{esc(art.author)}")
    if art.source:
        info.append(f"{art.source_label}{esc(art.source)}")
    info.append('浏览次数：<span id="views"></span>')
    atts = ""
    if art.block_atts:
        rows = "\n".join(f'<li><a href="{p.href}" target="_blank">{esc(p.text)}</a></li>' for p in art.block_atts)
        atts = f'<div class="attachment"><h4>附件：</h4><ul>\n{rows}\n</ul></div>\n'
    editor = f'<div class="editor">责任编辑：{esc(art.editor)}</div>\n' if art.editor and not art.editor_in_body else ""

    def near(label: str, a: Art | None, cls: str) -> str:
        link = f'<a href="{a.path}">{esc(cut(a.title))}</a>' if a else "没有了"
        return f'<span class="{cls}"><i></i>{label}{link}</span>'

    rel = "\n".join(f'<li><a href="{a.path}" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.when:%Y-%m-%d}</span></li>' for a in related)
    script = (f'Cms.attachment("","{art.id}","{len(art.block_atts)}","attach");\n'
              f'Cms.viewCount("","{art.id}");\n')
    return (_head(art.title, script, art.path if art.alias else "") + f"""<div class="main container clearfix">
<section class="content_w850 w670 fl">
{_website(art.col, " &gt; 正文")}
<h1>{esc(art.title)}</h1>
<div class="content-inf">{"&nbsp;&nbsp;".join(info)}
  <div class="content-action"><a class="content-comment">我有话说</a> | <span class="content-share">分享
    <span class="bdsharebuttonbox"><a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></span></span>
    | <a href="javascript:window.print();">打印</a> | <a href="javascript:window.close();">关闭</a></div>
</div>
<div class="content-txt">
{body}
</div>
<!-- 分页 -->
{_content_pager(art, n)}
{atts}{editor}<div class="content-link clearfix">
  {near("上一篇：", prev, "prev-content")}
  {near("下一篇：", nxt, "next-content")}
</div>
<div class="related"><h3>相关文章</h3><ul>
{rel}
</ul></div>
<div class="comment"><h3>网友评论</h3><form action="/comment.jspx" method="post"><textarea id="comments-text" name="text"></textarea><input type="hidden" name="contentId" value="{art.id}"/><input type="submit" class="submit-on" value="发表评论"/></form>
<div id="commentListDiv">暂无评论</div></div>
</section>
{right}</div>
""" + _footer())


# ---------------------------------------------------------------- writing

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    rng = random.Random(f"{FAMILY}-{seed}")
    arts = _plan(rng)
    by_col = by_column(arts, COLUMNS, "key")
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    long = max(news[1:6], key=lambda a: len(a.pages[0]))
    long.pages = split_even(long.pages[0], 3)
    grass[2].alias = f"/zt/{grass[2].id}.jhtml"
    free = id_finder({a.id for a in arts})

    w = Writer(out_dir, FAMILY, NAME)
    right = _right(arts)
    entries = {c.key: [Entry(a.title, a.path if i % 3 else ORIGIN + a.path if i % 2 else f"{a.id}.jhtml", a.when,
                             a.pages[0][0].text) for i, a in enumerate(by_col[c.key])] for c in COLUMNS}
    moved = grass[4]
    entries["jcdt"][4].href = f"/jcdt/{moved.id}.html"
    w.redirect(f"/jcdt/{moved.id}.html", moved.path)
    gone = news[4].when - timedelta(hours=2)
    gone_path = f"/ghyw/{free(news[4].id - 3)}.jhtml"
    entries["ghyw"].insert(5, Entry(text.title_for("news", rng, gone.year), gone_path, gone, "（内容已删除）"))
    w.broken_link(gone_path)
    failing = grass[6].when - timedelta(hours=4)
    failing_path = f"/jcdt/{free(grass[6].id + 1)}.jhtml"
    entries["jcdt"].insert(7, Entry(text.title_for("grassroots", rng, failing.year), failing_path, failing))
    w.broken_link(failing_path, 500)
    member = notices[0].when - timedelta(hours=3)
    member_path = f"/member/login.jspx?returnUrl=/tzgg/{free(notices[0].id + 1)}.jhtml"
    entries["tzgg"].insert(1, Entry(f"关于{member.year}年度工会会员普惠活动名额分配的通知（内部）", member_path, member))
    w.not_followed.append(member_path)
    pdf_when = notices[4].when - timedelta(hours=1)
    pdf_path = f"/u/cms/www/{pdf_when:%Y%m}/{pdf_when:%d%H%M%S}pdf1.pdf"
    entries["tzgg"].insert(5, Entry(f"关于表彰{pdf_when.year}年度绵阳市五一劳动奖状、奖章和工人先锋号的决定", pdf_path, pdf_when))
    w.listed_file(pdf_path, assets.pdf("Mianyang union decision"))

    for col in COLUMNS:
        rows = entries[col.key]
        chunks = paginate(rows, col.per_page)
        for n, chunk in enumerate(chunks, start=1):
            w.linked_page(col.list_path(n), _list_page(col, chunk, n, len(chunks), len(rows), right))
        w.start_paths.append(col.list_path(1))

    for col in COLUMNS:
        mine = by_col[col.key]
        for i, art in enumerate(mine):
            nxt, prev = around(mine, i)  # 上一篇: the older one
            related = [a for a in mine if a is not art][:5]
            for n in range(1, len(art.pages) + 1):
                w.linked_page(art.page_path(n), _article_page(art, n, prev, nxt, related, right))
            if art.alias:
                w.linked_page(art.alias, _article_page(art, 1, prev, nxt, related, right))
            art.write_media(w, lambda url: "application/msword" if url.endswith(".doc") else "application/vnd.ms-excel")
            w.article(art.zoo())

    home = "".join(f'<div class="index-box"><h3><a href="{c.list_path(1)}">{c.name}</a><a class="more" href="{c.list_path(1)}">更多&gt;&gt;</a></h3>\n'
                   + _entries(COLUMNS[1], [Entry(a.title, a.path, a.when) for a in by_col[c.key][:5]]) + "</div>\n"
                   for c in COLUMNS)
    w.page("/", _head("首页") + f'<div class="main container clearfix"><div class="w670 fl">{home}</div>\n{right}</div>\n' + _footer())
    w.robots("/member/", "/jeeadmin/", "/search.jspx")
    w.page("/r/cms/front.js", "var Cms={};Cms.viewCount=function(b,c){$.getJSON(b+'/content_view.jspx',{contentId:c},"
           "function(d){if(d.length>0){$('#views').text(d[0]);}});};Cms.channelViewCount=function(){};"
           "Cms.siteFlow=function(){};Cms.attachment=function(){};\n")
    w.page("/r/cms/jquery.js", "/* jQuery */\n")
    w.page(f"{RES}/css/index.css", "body{margin:0;font:12px/1.5 'Microsoft YaHei'}\n")
    w.page(f"{RES}/img/logo.png", assets.JPEG, content_type="image/png")
    w.page("/content_view.jspx", "[128,0,0,0,0]", content_type="application/json;charset=UTF-8")
    w.page("/site_view.jspx", "[1086421]", content_type="application/json;charset=UTF-8")
    w.not_followed.extend([OFFSITE + "/", OFFSITE + "/acftu/", OFFSITE + "/scgrrb/", OFFSITE + "/wszgzj/",
                           OFFSITE + "/zt/2024lh/", "/member/login.jspx", "/member/register.jspx"])
    return w.finish()
