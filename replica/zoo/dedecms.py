"""DedeCMS 5.7 (织梦) zoo site: a GBK sister union site as a DedeCMS install with static HTML.

What it is based on (read, not copied): DedeCMS 5.7's own PHP that writes the markup
(include/arc.listview.class.php GetPageListST for the list pager, include/arc.archives.class.php
GetPagebreak / GetPreNext for the in-article pager and 上一篇/下一篇), the stock
templets/default/article_article.htm and list_article.htm shipped in many public GitHub copies of
DedeCMS (place/viewbox/info/content/dede_pages/context/actbox blocks, the count.php script), its
default robots.txt, and Python/Java scrapers of DedeCMS sites (they follow list_{typeid}_{n}.html
through the ul.pagelist 下一页 link and read "共 N页M条" from span.pageinfo).

Layout (typedir /a/<column>/, namerule {typedir}/{Y}/{MD}/{aid}.html):
    /a/ghyw/  /a/ghyw/list_3_1.html (the same first page again, as DedeCMS writes it)  list_3_2.html
    /a/ghyw/2023/0118/123.html, further pages 123_2.html, 123_3.html (#p#分页标题#e# split)
    uploads: /uploads/allimg/230118/3-2301181740.jpg, /uploads/soft/230118/5-2301181740.pdf
    view counter: <script src="/plus/count.php?view=yes&aid=123&mid=1"> after 浏览次数：

The site is GBK declared gb2312 (one author name carries a GBK-only character); 基层动态's pages
are served with Content-Type text/html and no charset. Awkward cases: a list link to an old
/a/jcdt/<aid>.html path answering 301, a 404 and a 500 list item, a /member/ list item that
robots.txt disallows, off-host links in the footer and friend-link sidebar, a tracking-query
list link (?from=index), absolute article links in 通知公告's list, a relative image src, a 3-page
article, a notice published as a PDF list item, attachments inside the text and in a 相关附件
block, 责任编辑 below the body and （编辑：X） as the body's last line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from .base import Writer, ZooSite
from .common import (CN0, MINUTES, SECONDS, SLASH, Block, BlockArticle, around, by_column, dealt_times, fresh_title,
                     list_rows, nth, paginate, room_for_pages, shown, unique_generated)

FAMILY = "dedecms"
SITE = "四川省直机关工会网"
PER_PAGE = 6
META_CHARSET = "gb2312"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    typeid: int
    kind: str
    count: int
    content_type: str

    @property
    def path(self) -> str:
        return f"/a/{self.key}/"

    def list_page(self, n: int) -> str:
        return self.path if n == 1 else f"{self.path}list_{self.typeid}_{n}.html"


COLUMNS = (
    Column("ghyw", "工会要闻", 3, "news", 10, "text/html; charset=gb2312"),
    Column("jcdt", "基层动态", 4, "grassroots", 9, "text/html"),
    Column("tzgg", "通知公告", 5, "notice", 7, "text/html; charset=gb2312"),
)

# How the info line writes the time.
DATE_STYLES = (SECONDS, MINUTES, CN0, SLASH, MINUTES)
DATE_LABELS = ("发布时间：", "时间：", "日期：", "", "发布日期：")
SOURCE_LABELS = ("来源：", "信息来源：", None, "文章来源：", "稿件来源：", "来源:")
SOURCES = ("四川工人日报", "省直机关工会", "川观新闻", "四川省总工会网站", "省直机关工会宣传部")


@dataclass
class Spec(BlockArticle):
    col: Column
    when: datetime
    title: str
    blocks: list[Block]
    aid: int = 0
    shows: str = "seconds"
    date_text: str = ""
    date_label: str = ""
    source_label: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    editor_foot: bool = False  # 责任编辑：X below the body (else （编辑：X） closes the body)
    attach_block: list[tuple[str, str]] = field(default_factory=list)  # (name, path)
    link: str = "root"  # how the list links it: root, absolute, tracking, old

    @property
    def path(self) -> str:
        return f"{self.col.path}{self.when:%Y}/{self.when:%m%d}/{self.aid}.html"

    def page_path(self, n: int) -> str:
        return self.path if n == 1 else self.path[:-5] + f"_{n}.html"

    @property
    def old_path(self) -> str:
        return f"{self.col.path}{self.aid}.html"


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Spec]:
    specs, seen = [], set()
    for i, (when, col) in enumerate(dealt_times(rng, COLUMNS)):  # oldest first: DedeCMS aids grow with time
        made = unique_generated(rng, col.kind, when, seen)  # one headline per article
        blocks = [Block(kind, words) for kind, words in made.paragraphs]
        style = nth(DATE_STYLES, i)
        label = nth(SOURCE_LABELS, i)
        spec = Spec(col=col, when=when, title=made.title, blocks=blocks, aid=118 + i * 3 + rng.randrange(2),
                    shows=style[2], date_text=shown(style, when), date_label=nth(DATE_LABELS, i // 2),
                    source_label=label, source=rng.choice(SOURCES) if label else None)
        if i % 4 == 1:
            spec.author = text.person(rng, gbk_only=(i == 5))
        if i % 3 == 0:
            spec.editor, spec.editor_foot = text.person(rng), True
        elif i % 3 == 1:
            spec.editor = text.person(rng)
        specs.append(spec)
    return specs


def _media(specs: list[Spec], rng: random.Random) -> None:
    """Photos in news, attachments in notices; one long news article split over three pages."""
    for i, spec in enumerate(specs):
        stamp = f"{spec.when:%y%m%d}"
        code = f"{stamp}{spec.when:%H%M}"
        if spec.col.kind != "notice" and i % 3 != 2:
            for k in range(1 + i % 2):
                path = f"/uploads/allimg/{stamp}/{spec.col.typeid}-{code}{k}.jpg"
                href = path
                if i % 7 == 3:  # relative to the article's directory /a/<col>/YYYY/MMDD/
                    href = "../../../.." + path
                elif i % 7 == 6:
                    href = ORIGIN + path
                at = rng.randint(1, len(spec.blocks) - 1)
                spec.blocks.insert(at, Block("img", href=href, file=path))
                if (i + k) % 2 == 0:
                    spec.blocks.insert(at + 1, Block("cap", f"图为{rng.choice(text.ACTIVITIES)}活动现场"))
        if spec.col.kind == "notice":
            thing = rng.choice(text.THINGS).replace("“", "").replace("”", "")
            if i % 2 == 0:
                path = f"/uploads/soft/{stamp}/{spec.col.typeid}-{code}.pdf"
                name = f"{spec.when.year}年{thing}报名表.pdf"
                spec.blocks.insert(len(spec.blocks) - 2, Block("att", "附件：" + name, href=path, file=path))
            if i % 3 != 1:
                spec.attach_block = [(f"{thing}汇总表.doc", f"/uploads/soft/{stamp}/{spec.col.typeid}-{code}1.doc")]
                if i % 2:
                    spec.attach_block.append((f"{thing}工作方案.pdf",
                                              f"/uploads/soft/{stamp}/{spec.col.typeid}-{code}2.pdf"))
        if spec.editor and not spec.editor_foot:
            spec.blocks.append(Block("editor", f"（编辑：{spec.editor}）"))
    news = [s for s in specs if s.col.key == "ghyw"]
    long = max(news, key=lambda s: (sum(b.kind == "p" for b in s.blocks), s.aid))
    cut1, cut2 = room_for_pages(long.blocks, rng)
    stamp = f"{long.when:%y%m%d}"
    path = f"/uploads/allimg/{stamp}/{long.col.typeid}-{stamp}p2.jpg"
    long.blocks.insert(cut2, Block("img", href=path, file=path))
    long.blocks.insert(cut2, Block("break"))
    long.blocks.insert(cut1, Block("break"))


# ---------------------------------------------------------------- markup

def _head(title: str, description: str = "") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={META_CHARSET}" />
<title>{escape(title)}</title>
<meta name="keywords" content="工会,职工之家,省直机关" />
<meta name="description" content="{escape(description)}" />
<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />
<script language="javascript" type="text/javascript" src="/include/dedeajax2.js"></script>
</head>
"""


def _header(current: Column | None) -> str:
    home_cls = "" if current else " class='hover'"
    nav = [f"<li{home_cls}><a href='/'><span>主页</span></a></li>"]
    for col in COLUMNS:
        cls = " class='hover'" if col == current else ""
        nav.append(f"<li{cls}><a href='{col.path}'><span>{col.name}</span></a></li>")
    return f"""<body class="articlelist">
<div class="header">
 <div class="top w960 center">
  <div class="title"><h1><a href="/"><img src="/templets/default/images/logo.gif" height="54" width="216" alt="{SITE}"/></a></h1></div>
  <div class="banner"><span class="date">服务职工 &middot; 凝聚力量</span></div>
 </div>
 <div class="module blue mT10 wrapper w963">
  <div class="top"><div id="navMenu"><ul>
   {"".join(nav)}
  </ul></div></div>
  <div class="search"><form name="formsearch" action="/plus/search.php"><input type="hidden" name="kwtype" value="0" />
   <input name="q" type="text" class="search-keyword" id="search-keyword" value="在这里搜索..." />
   <button type="submit" class="search-submit">搜索</button></form></div>
 </div>
</div>
"""


def _sidebar(specs: list[Spec], here: Spec | None) -> str:
    latest = [s for s in sorted(specs, key=lambda s: s.aid, reverse=True) if s is not here][:6]
    hot = [s for s in sorted(specs, key=lambda s: (s.aid * 7919) % 101) if s is not here][:6]
    first = "".join(f"<li><a href=\"{s.path}\" title=\"{escape(s.title)}\">{escape(s.title)}</a>"
                    f"<span>{s.when:%Y-%m-%d}</span></li>\n" for s in latest)
    second = "".join(f"<li><span>{s.when:%m-%d}</span><a href=\"{s.path}\">{escape(s.title)}</a></li>\n" for s in hot)
    return f"""<div class="pright">
 <div class="commend mt1"><dl class="tbox light"><dt class="light"><strong>最新发布</strong></dt>
  <dd class="light"><ul class="c1 ico2">
{first}  </ul></dd></dl></div>
 <div class="hot mt1"><dl class="tbox light"><dt class="light"><strong>热点内容</strong></dt>
  <dd class="light"><ul class="c1 ico2">
{second}  </ul></dd></dl></div>
 <div class="links mt1"><dl class="tbox light"><dt class="light"><strong>友情链接</strong></dt>
  <dd class="light"><ul class="f5">
   <li><a href="{OFFSITE}/acftu/" target="_blank">中华全国总工会</a></li>
   <li><a href="{OFFSITE}/scszgh/" target="_blank">四川省总工会</a></li>
  </ul></dd></dl></div>
</div>
"""


def _footer() -> str:
    return f"""<div class="footer w960 center mt1 clear">
 <div class="footer_left"></div>
 <div class="footer_body">
  <p class="powered">版权所有 &copy; 2012-2024 {SITE} &nbsp;&nbsp; <a href="{OFFSITE}/beian/" target="_blank">蜀ICP备05012345号-2</a></p>
  <p>地址：成都市青羊区西御街1号 &nbsp; 邮编：610015 &nbsp; 联系电话：028-86012345</p>
  <p>技术支持：<a href="{OFFSITE}/support/" target="_blank">成都蓉城网络科技有限公司</a> &nbsp; Powered by <strong>DedeCMS_V57_GBK_SP2</strong></p>
 </div>
 <div class="footer_right"></div>
</div>
</body>
</html>
"""


def _place(col: Column) -> str:
    return f"<div class=\"place\"><strong>当前位置:</strong> <a href='/'>主页</a> > <a href='{col.path}'>{col.name}</a> > </div>"


def _list_pager(col: Column, page: int, pages: int, total: int) -> str:
    """GetPageListST with listitem info,index,end,pre,next,pageno: relative list_{typeid}_{n}.html."""
    name = f"list_{col.typeid}_{{}}.html"
    out = [f"<span class=\"pageinfo\">共 <strong>{pages}</strong>页<strong>{total}</strong>条</span>\r\n"]
    if page != 1:
        out.append(f"<li><a href='{name.format(1)}'>首页</a></li>\r\n")
        out.append(f"<li><a href='{name.format(page - 1)}'>上一页</a></li>\r\n")
    else:
        out.append("<li>首页</li>\r\n")
    for n in range(1, pages + 1):
        out.append(f"<li class=\"thisclass\">{n}</li>\r\n" if n == page else f"<li><a href='{name.format(n)}'>{n}</a></li>\r\n")
    if page != pages:
        out.append(f"<li><a href='{name.format(page + 1)}'>下一页</a></li>\r\n")
        out.append(f"<li><a href='{name.format(pages)}'>末页</a></li>\r\n")
    else:
        out.append("<li>末页</li>")
    return " ".join(out)


def _article_pager(spec: Spec, page: int) -> str:
    """GetPagebreak: 共N页, 上一页, numbered pages, 下一页, each a relative <aid>[_n].html."""
    total = len(spec.pages)
    if total == 1:
        return ""
    name = lambda n: f"{spec.aid}.html" if n == 1 else f"{spec.aid}_{n}.html"  # noqa: E731
    out = [f"<li><a>共{total}页: </a></li>"]
    out.append("<li><a href='#'>上一页</a></li>" if page == 1 else f"<li><a href='{name(page - 1)}'>上一页</a></li>")
    for n in range(1, total + 1):
        out.append(f"<li class=\"thisclass\"><a href='#'>{n}</a></li>" if n == page
                   else f"<li><a href='{name(n)}'>{n}</a></li>")
    out.append(f"<li><a href='{name(page + 1)}'>下一页</a></li>" if page < total else "<li><a href='#'>下一页</a></li>")
    return "".join(out)


def _body(blocks: list[Block], indent: bool) -> str:
    out = []
    for block in blocks:
        if block.kind == "p":
            out.append(f"<p>\u3000\u3000{escape(block.text)}</p>" if indent
                       else f"<p style=\"text-indent: 2em;\">{escape(block.text)}</p>")
        elif block.kind == "strong":
            out.append(f"<p>\u3000\u3000<strong>{escape(block.text)}</strong></p>")
        elif block.kind == "img":
            out.append(f"<p style=\"text-align: center;\"><img alt=\"\" src=\"{block.href}\" style=\"width: 600px; height: 400px;\" /></p>")
        elif block.kind == "cap":
            out.append(f"<p style=\"text-align: center;\">{escape(block.text)}</p>")
        elif block.kind == "att":
            label, name = block.text.split("：", 1)
            out.append(f"<p>\u3000\u3000{label}：<a href=\"{block.href}\" target=\"_blank\">{escape(name)}</a></p>")
        elif block.kind == "editor":
            out.append(f"<p style=\"text-align: right;\">{escape(block.text)}</p>")
    return "\n".join(out)


def _info(spec: Spec) -> str:
    parts = [f"<small>{spec.date_label}</small>{spec.date_text}" if spec.date_label else spec.date_text]
    if spec.source_label:
        parts.append(f"<small>{spec.source_label}</small>{escape(spec.source or '')}")
    if spec.author:
        parts.append(f"<small>作者：</small>{escape(spec.author)}")
    parts.append(f"<small>浏览次数：</small><script src=\"/plus/count.php?view=yes&amp;aid={spec.aid}&amp;mid=1\" "
                 "type='text/javascript' language=\"javascript\"></script>次")
    return "<div class=\"info\"> " + " ".join(parts) + "</div>"


def _article_page(spec: Spec, page: int, column: list[Spec], specs: list[Spec]) -> str:
    blocks = spec.pages[page - 1]
    last = page == len(spec.pages)
    newer, older = around(column, column.index(spec))  # older, aid smaller: 上一篇
    pre = f"上一篇：<a href='{older.path}'>{escape(older.title)}</a> " if older else "上一篇：没有了 "
    nxt = f"下一篇：<a href='{newer.path}'>{escape(newer.title)}</a> " if newer else "下一篇：没有了 "
    related = [s for s in column if s is not spec][:5]
    rel = "".join(f"<li><a href=\"{s.path}\">{escape(s.title)}</a><span>{s.when:%Y-%m-%d}</span></li>\n" for s in related)
    attach = ""
    if last and spec.attach_block:
        items = "".join(f"<li><a href=\"{path}\" target=\"_blank\">{escape(name)}</a></li>" for name, path in spec.attach_block)
        attach = f"<div class=\"fujian\"><strong>相关附件：</strong><ul>{items}</ul></div>\n"
    editor = f"<div class=\"editor\">责任编辑：{escape(spec.editor or '')}</div>\n" if last and spec.editor_foot else ""
    first_text = next((b.text for b in spec.blocks if b.kind == "p"), "")[:60]
    return (_head(f"{spec.title}_{spec.col.name}_{SITE}", first_text) + _header(spec.col).replace("articlelist", "articleview")
            + f"""<div class="w960 center clear mt1">
<div class="pleft">
 {_place(spec.col)}
 <div class="viewbox">
  <div class="title"><h2>{escape(spec.title)}</h2></div>
  {_info(spec)}
  <div class="content"><table width='100%'><tr><td>
{_body(blocks, indent=spec.aid % 2 == 0)}
  </td></tr></table></div>
  <div class="dede_pages"><ul class="pagelist">{_article_pager(spec, page)}</ul></div>
  {attach}{editor}<div class="boxoff"><strong>------分隔线----------------------------</strong></div>
  <div class="handle">
   <div class="context"><ul><li>{pre}</li><li>{nxt}</li></ul></div>
   <div class="actbox"><ul>
    <li id="act-pnt"><a href="javascript:window.print();">打印</a></li>
    <li id="act-cls"><a href="javascript:window.close();">关闭</a></li>
   </ul></div>
  </div>
  <div class="bdsharebuttonbox"><span class="bds_txt">分享到：</span><a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></div>
  <script>window._bd_share_config={{"common":{{"bdSnsKey":{{}},"bdText":"","bdMini":"2","bdStyle":"0","bdSize":"16"}},"share":{{}}}};</script>
 </div>
 <div class="xglm mt1"><dl class="tbox"><dt><strong>相关文章</strong></dt><dd><ul class="d1 ico3">
{rel} </ul></dd></dl></div>
</div>
{_sidebar(specs, spec)}</div>
""" + _footer())


def _list_page(col: Column, items: list[tuple[str, str, str]], page: int, pages: int, total: int,
               specs: list[Spec]) -> str:
    rows = "".join(f"<li><span class=\"date\">{day}</span><a href=\"{href}\" class=\"title\" target=\"_blank\">"
                   f"{escape(title)}</a></li>\n" for href, title, day in items)
    return (_head(f"{col.name}_{SITE}" + (f"_第{page}页" if page > 1 else ""), f"{SITE}{col.name}栏目")
            + _header(col) + f"""<div class="w960 center clear mt1">
<div class="pleft">
 {_place(col)}
 <div class="listbox"><ul class="e2">
{rows} </ul></div>
 <div class="dede_pages"><ul class="pagelist">
{_list_pager(col, page, pages, total)}
 </ul></div>
</div>
{_sidebar(specs, None)}</div>
""" + _footer())


def _home(specs: list[Spec]) -> str:
    boxes = []
    for col in COLUMNS:
        rows = "".join(f"<li><span>{s.when:%m-%d}</span><a href=\"{s.path}\">{escape(s.title)}</a></li>\n"
                       for s in sorted((s for s in specs if s.col == col), key=lambda s: s.aid, reverse=True)[:6])
        boxes.append(f"<dl class=\"tbox\"><dt><strong>{col.name}</strong><span class=\"more\"><a href=\"{col.path}\">更多...</a></span></dt>"
                     f"<dd><ul class=\"d1 ico3\">\n{rows}</ul></dd></dl>")
    return _head(SITE) + _header(None) + f"<div class=\"w960 center clear mt1\"><div class=\"pleft\">{''.join(boxes)}</div>\n{_sidebar(specs, None)}</div>\n" + _footer()


# ---------------------------------------------------------------- site

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    """Build the DedeCMS zoo site into `out_dir` (same seed, same bytes)."""
    rng = random.Random(f"{FAMILY}-{seed}")
    specs = _plan(rng)
    _media(specs, rng)
    by_col = by_column(specs, COLUMNS, "key", lambda s: s.aid)
    by_col["ghyw"][3].link = "tracking"
    by_col["jcdt"][4].link = "old"
    for spec in by_col["tzgg"]:
        spec.link = "absolute"

    w = Writer(out_dir, FAMILY, SITE)
    enc = "gbk"
    for col in COLUMNS:
        column = by_col[col.key]
        for spec in column:
            for n in range(1, len(spec.pages) + 1):
                w.page(spec.page_path(n), _article_page(spec, n, column, specs), enc, col.content_type)
            spec.write_files(w)

    # list items that are not articles of this site
    extra: dict[str, list[tuple[datetime, str, str]]] = {c.key: [] for c in COLUMNS}
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    gone = news[5].when - timedelta(hours=5)
    extra["ghyw"].append((gone, f"/a/ghyw/{gone:%Y}/{gone:%m%d}/{news[5].aid - 1}.html",
                          fresh_title(rng, "news", gone.year, {s.title for s in specs})))
    w.broken_link(extra["ghyw"][-1][1])
    member = news[1].when - timedelta(hours=2)
    extra["ghyw"].append((member, "/member/article_zhinan.html", "会员中心：工会会员服务指南"))
    w.not_followed.append("/member/article_zhinan.html")
    w.page("/member/article_zhinan.html", _head("会员中心") + "<body><p>请先登录会员中心。</p></body></html>", enc,
           "text/html; charset=gb2312")
    failing = grass[6].when - timedelta(hours=3)
    failing_path = f"/a/jcdt/{failing:%Y}/{failing:%m%d}/{grass[6].aid - 1}.html"
    extra["jcdt"].append((failing, failing_path, fresh_title(rng, "grassroots", failing.year, {s.title for s in specs})))
    w.broken_link(failing_path, 500)
    pdf_when = notices[2].when - timedelta(days=1)
    pdf_title = f"关于公布{pdf_when.year}年度省直机关模范职工之家名单的通知"
    pdf_path = f"/uploads/soft/{pdf_when:%y%m%d}/5-{pdf_when:%y%m%d%H%M}.pdf"
    extra["tzgg"].append((pdf_when, pdf_path, pdf_title))
    w.listed_file(pdf_path, assets.pdf(pdf_title))

    for col in COLUMNS:
        items = [(href, title, f"{when:%Y-%m-%d}") for href, title, when in list_rows(by_col[col.key], extra[col.key])]
        chunks = paginate(items, PER_PAGE)
        for n, chunk in enumerate(chunks, start=1):
            html = _list_page(col, chunk, n, len(chunks), len(items), specs)
            w.page(col.list_page(n), html, enc, col.content_type)
            if n == 1:  # DedeCMS writes the first page twice: index.html and list_{typeid}_1.html
                w.page(f"{col.path}list_{col.typeid}_1.html", html, enc, col.content_type)
                w.route(f"{col.path}index.html", content_type=col.content_type)
        w.start_paths.append(col.path)

    w.page("/", _home(specs), enc, "text/html; charset=gb2312")
    w.route("/index.html", content_type="text/html; charset=gb2312")
    w.page("/templets/default/images/logo.gif", assets.JPEG)
    w.page("/plus/count.php", b"document.write('1');\r\n", content_type="application/x-javascript")
    w.robots("/data/", "/dede/", "/include/", "/member/", "/plus/search.php", "/plus/count.php", "/templets/")
    w.not_followed += [f"{OFFSITE}/acftu/", f"{OFFSITE}/scszgh/", f"{OFFSITE}/beian/", f"{OFFSITE}/support/"]
    return w.finish()
