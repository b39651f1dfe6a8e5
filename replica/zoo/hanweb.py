"""Hanweb JCMS zoo site: a sister union site as 大汉 JCMS publishes it (UTF-8).

What it is based on (public evidence, read for its shape, none of it copied): column pages of
Hanweb sites as GitHub scrapers and their fixtures keep them (`<div id="<unitid>"><script
type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1
&webid=..&path=/&columnid=..&unitid=..&webname=..&permissiontype=0"></a>]]></nextgroup><recordset>
<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_...html' title='..'>..</a><span>2026-09-11</span></li>]]>
</record>...`, and the jpage call `$('#<unitid>').jpage({themeName:'default',showMode:'full',
totalRecord:N,openCookies:false,dataBefore:'',dataStore:..,dataAfter:'',groupSize:3,proxyUrl:
'/module/web/jpage/dataproxy.jsp',perPage:25,barPosition:'bottom',ajaxParam:{col:1,appid:'1',
webid:..,path:'/',columnid:..,unitid:'..',webname:'..',permissiontype:0}})`); Python spiders of
Hanweb sites (scrapy FormRequests to `dataproxy.jsp?startrecord=1&endrecord=45&perpage=15` with the
form col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype;
regexes for `totalRecord:(\\d+)` and `<totalrecord>(\\d+)</totalrecord>`; groups of 3 pages);
Hanweb article bodies in `<div id="zoom">` between `<!--<$[信息内容]>begin-->`/`ZJEG_RSS.content.begin`
and their end marks, captions as centred 楷体 paragraphs under pictures under `/picture/0/`;
attachments as `/module/download/downfile.jsp?classid=0&filename=<32 hex>.pdf`; the gov.cn meta
tags (ArticleTitle, PubDate, ContentSource) beside the visible info line.

The site (25 articles, 3 columns), every list rendered client-side by jpage from its datastore:
    /col/col4127/index.html  工会要闻  13 records, 3 a page, groupSize 3: the page's datastore holds
                             the first 9; records 10-13 come only from POST
                             /module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=18&perpage=3
    /col/col4128/index.html  基层动态  10 records, 4 a page
    /col/col4129/index.html  通知公告  7 records, 5 a page, absolute record links, a PDF record
Articles at /art/<y>/<m>/<d>/art_<colid>_<artid>.html (no multi-page mechanism in Hanweb).
Awkward cases: a 301 from an old /jcms/jcms_files/... address that a record links, a 404 and a
500 record, offsite footer and sidebar links, robots.txt disallowing /nbgk/ with a record into
it, the same article quoted into a second column (art_4128_<artid>.html with rel=canonical) and
linked with a tracking query, meta PubDate differing from the visible date on some pages,
date/source/author/editor written several ways, pictures with and without captions, attachments
inside the text and in a block under it, as downfile.jsp links and as a plain /attach/ file.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from ..server import query_key
from .base import Writer, ZooArticle, ZooSite, document, generated
from .common import (CN0, DASH, MINUTES, SECONDS, SLASH, around, by_column, esc, free_path, nth, number_by_time,
                     plan_in_order, shorten, shown)

SITE = "四川省直机关工会工作网"
FAMILY = "hanweb"
WEBID = 58
GROUP = 3  # jpage groupSize: pages per datastore group
PROXY = "/module/web/jpage/dataproxy.jsp"
DOWNFILE = "/module/download/downfile.jsp"


@dataclass(frozen=True)
class Column:
    colid: int
    name: str
    unitid: int
    parent: tuple[str, str] | None
    kind: str
    count: int
    per_page: int
    absolute: bool = False  # records link with the site's full address

    @property
    def path(self) -> str:
        return f"/col/col{self.colid}/index.html"


NEWS = ("新闻动态", "/col/col4126/index.html")
COLUMNS = (
    Column(4127, "工会要闻", 31245, NEWS, "news", 11, 3),
    Column(4128, "基层动态", 31246, NEWS, "grassroots", 8, 4),
    Column(4129, "通知公告", 31247, None, "notice", 6, 5, absolute=True),
)

DATE_STYLES = (SECONDS, DASH, MINUTES, CN0, SLASH)
DATE_LABELS = ("发布日期：", "发布时间：", "", "日期：", "时间：")
SOURCE_LABELS = ("信息来源：", "来源：", "文章来源：", "来源:", "稿件来源：")
SOURCES = ("省直机关工会", "四川工人日报", "省总工会网络工作部", "四川日报", "省直机关工委")


@dataclass
class Block:
    kind: str  # p, strong, img, att
    text: str = ""
    file: str = ""  # site path (with query for downfile.jsp)
    prefix: str = ""


@dataclass
class Doc:
    col: Column
    artid: int
    when: datetime
    title: str
    blocks: list[Block]
    date_style: int
    date_label: str
    source: str | None
    source_label: str
    author: str | None
    editor: str | None
    editor_style: str  # "block" or "inline"
    meta_when: datetime  # what <meta name="PubDate"> says
    side_atts: list[Block] = field(default_factory=list)
    list_href: str = ""
    alias: str = ""  # the same article quoted into another column

    @property
    def path(self) -> str:
        d = self.when
        return f"/art/{d.year}/{d.month}/{d.day}/art_{self.col.colid}_{self.artid}.html"

    @property
    def date_text(self) -> str:
        return shown(DATE_STYLES[self.date_style], self.when)

    def truth(self) -> ZooArticle:
        paragraphs = [b.prefix + b.text if b.kind == "att" else b.text
                      for b in self.blocks if b.kind in ("p", "strong", "att")]
        return ZooArticle(
            path=self.path, title=self.title, when=self.when, shows=DATE_STYLES[self.date_style][2],
            paragraphs=paragraphs, column=self.col.name, source=self.source, author=self.author,
            editor=self.editor, images=[b.file for b in self.blocks if b.kind == "img"],
            attachments=[b.file for b in self.blocks if b.kind == "att"] + [b.file for b in self.side_atts],
        )


@dataclass
class Entry:
    href: str
    title: str
    when: datetime


def build(out_dir: Path, seed: int = 0) -> ZooSite:
    """Build the Hanweb zoo site into `out_dir` (same seed, same bytes)."""
    rng = random.Random(f"hanweb-{seed}")
    docs = _docs(rng)
    w = Writer(Path(out_dir), FAMILY, SITE)
    _Site(w, docs, rng).write()
    return w.finish()


# ---------------------------------------------------------------- generation

def _docs(rng: random.Random) -> list[Doc]:
    docs = plan_in_order(rng, COLUMNS, _doc)
    number_by_time(docs, rng, 2310000, 211, 150, "artid")
    return docs


def _hexname(rng: random.Random) -> str:
    return "%032x" % rng.getrandbits(128)


def _doc(col: Column, when: datetime, i: int, rng: random.Random) -> Doc:
    made = generated(rng, col.kind, when)
    blocks = [Block(kind, words.strip()) for kind, words in made.paragraphs]
    has_source = i % 4 != 2
    meta_when = when - timedelta(days=1, hours=2, minutes=17) if i % 5 == 1 else when
    doc = Doc(
        col=col, artid=0, when=when, title=made.title, blocks=blocks,
        date_style=i % len(DATE_STYLES), date_label=nth(DATE_LABELS, i // 3),
        source=rng.choice(SOURCES) if has_source else None, source_label=nth(SOURCE_LABELS, i * 3 + i // 5),
        author=text.person(rng) if i % 3 == 0 else None,
        editor=text.person(rng) if i % 4 != 1 else None, editor_style=("block", "inline")[(i // 2) % 2],
        meta_when=meta_when,
    )
    if col.kind != "notice" and i % 4 != 3:
        for k in range(1 + (i % 2)):
            name = f"/picture/0/{when:%y%m%d%H%M%S}{rng.randrange(100, 999)}.jpg"
            caption = f"图为{rng.choice(text.ACTIVITIES)}现场。（{text.person(rng)} 摄）" if (i + k) % 2 == 1 else ""
            blocks.insert(min(1 + 2 * k, len(blocks) - 1), Block("img", caption, name))
    if col.kind == "notice":
        where = i % 3
        ext = ("pdf", "doc", "docx")[i % 3]
        name = f"{when.year}年{rng.choice(text.THINGS)}申报表.{ext}".replace("“", "").replace("”", "")
        if where == 2:
            blocks.append(Block("att", name, f"/attach/0/{_hexname(rng)}.{ext}", "附件2："))
            name = name.replace("申报表", "实施方案").rsplit(".", 1)[0] + ".pdf"
            blocks.insert(len(blocks) - 1, Block("att", name, f"{DOWNFILE}?classid=0&filename={_hexname(rng)}.pdf", "附件1："))
        else:
            att = Block("att", name, f"{DOWNFILE}?classid=0&filename={_hexname(rng)}.{ext}", "附件：")
            (blocks.append if where == 0 else doc.side_atts.append)(att)
    return doc


# ---------------------------------------------------------------- writing

def _short(title: str, size: int = 22) -> str:
    return shorten(title, size, "…")


class _Site:
    def __init__(self, w: Writer, docs: list[Doc], rng: random.Random) -> None:
        self.w, self.docs, self.rng = w, docs, rng
        self.by_col = by_column(docs, COLUMNS, "colid", lambda d: d.when)
        self.newest = sorted(docs, key=lambda d: d.when, reverse=True)
        yw, jc = self.by_col[4127], self.by_col[4128]
        self.hot = [yw[1], jc[0], self.by_col[4129][1], yw[5], jc[4]]
        self.moved = yw[6]
        d = self.moved.when
        self.moved_from = f"/jcms/jcms_files/jcms1/web{WEBID}/site/art/{d.year}/{d.month}/{d.day}/art_4127_{self.moved.artid}.html"
        self.moved.list_href = self.moved_from
        self.quoted = yw[3]
        self.quoted.alias = self.quoted.path.replace("art_4127_", "art_4128_")
        self.tracked = jc[2]
        self.tracked.list_href = self.tracked.path + "?from=timeline"
        self.extra: dict[int, list[Entry]] = {c.colid: [] for c in COLUMNS}
        self.files: dict[str, dict[str, str]] = {PROXY: {}, DOWNFILE: {}}

    def write(self) -> None:
        w = self.w
        w.robots("/nbgk/", "/jrobot/", content_type="text/plain; charset=utf-8")
        w.page("/images/3/style.css", CSS)
        w.page("/images/3/logo.jpg", assets.JPEG)
        self._traps()
        # Records past the page's datastore are revealed by dataproxy.jsp only: no other page of
        # the site links them (their own 上一篇/下一篇 chain among themselves).
        self.hidden: set[int] = set()
        for col in COLUMNS:
            later = {e.href for e in self._entries(col)[col.per_page * GROUP:]}
            self.hidden |= {id(d) for d in self.by_col[col.colid] if (d.list_href or d.path) in later}
        self.newest = [d for d in self.newest if id(d) not in self.hidden]
        assert not any(id(d) in self.hidden for d in self.hot + [self.moved, self.quoted, self.tracked])
        for col in COLUMNS:
            for listed in (True, False):
                docs = [d for d in self.by_col[col.colid] if (id(d) in self.hidden) != listed]
                for i, doc in enumerate(docs):
                    newer, older = around(docs, i)
                    self._article(doc, older, newer)
            self._list(col)
        self._home()
        for path, files in self.files.items():
            w.route(path, query_files=files)
        w.start_paths = [c.path for c in COLUMNS]

    def visible(self, col: Column) -> list[Doc]:
        return [d for d in self.by_col[col.colid] if id(d) not in self.hidden]

    def _free(self, path: str) -> str:
        return free_path(path, {d.path for d in self.docs})

    def _traps(self) -> None:
        w, yw, jc = self.w, self.by_col[4127], self.by_col[4128]
        w.redirect(self.moved_from, self.moved.path)
        gone = yw[2].when - timedelta(hours=6)
        gone_path = self._free(f"/art/{gone.year}/{gone.month}/{gone.day}/art_4127_{yw[2].artid - 57}.html")
        self.extra[4127].append(Entry(gone_path, text.title_for("news", self.rng, gone.year), gone))
        w.broken_link(gone_path)
        err = yw[9].when - timedelta(hours=2)
        err_path = self._free(f"/art/{err.year}/{err.month}/{err.day}/art_4127_{yw[9].artid - 33}.html")
        self.extra[4127].append(Entry(err_path, text.title_for("news", self.rng, err.year), err))
        w.broken_link(err_path, 500)
        inner = jc[5].when - timedelta(hours=3)
        inner_path = f"/nbgk/art/{inner.year}/{inner.month}/{inner.day}/art_4128_{jc[5].artid - 11}.html"
        title = f"{inner.year}年省直机关工会内部情况通报"
        w.page(inner_path, f"<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><p>内部公开，请登录后查看。</p></body></html>\n")
        self.extra[4128].append(Entry(inner_path, title, inner))
        w.not_followed.append(inner_path)
        q = self.quoted
        self.extra[4128].append(Entry(q.alias, q.title, q.when))
        when = self.by_col[4129][3].when - timedelta(days=2)
        name = _hexname(self.rng)
        self.files[DOWNFILE][query_key(f"classid=0&filename={name}.pdf")] = f"/module/download/files/{name}.pdf"
        w.page(f"/module/download/files/{name}.pdf", assets.pdf("notice"))
        pdf = f"{DOWNFILE}?classid=0&filename={name}.pdf"
        self.extra[4129].append(Entry(pdf, f"关于{when.year}年度省直机关工会经费收支情况的公告（PDF）", when))
        w.files.append(pdf)
        w.not_followed.extend(OFFSITE_PATHS)

    # ------------------------------------------------------------ chrome

    def _head(self, title: str, extra: str = "") -> str:
        return (
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f"<title>{escape(title)}</title>\n"
            f'<meta name="SiteName" content="{SITE}">\n<meta name="SiteIDCode" content="5100000{WEBID}">\n{extra}'
            '<link rel="stylesheet" type="text/css" href="/images/3/style.css">\n'
            '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n'
            '<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.js"></script>\n'
            "</head>\n"
        )

    def _top(self) -> str:
        nav = [("网站首页", "/index.html"), ("新闻动态", NEWS[1])] + [(c.name, c.path) for c in COLUMNS]
        items = "".join(f'<li><a href="{h}" target="_self">{n}</a></li>' for n, h in nav)
        return (
            "<body>\n<div class=\"topbar\"><div class=\"wrap\"><span>今天是：<script>var d=new Date();"
            "document.write(d.getFullYear()+'年'+(d.getMonth()+1)+'月'+d.getDate()+'日');</script></span>"
            '<span class="fr"><a href="/col/col4130/index.html">无障碍浏览</a></span></div></div>\n'
            f'<div class="head"><div class="wrap"><a href="/index.html"><img src="/images/3/logo.jpg" alt="{SITE}"></a>'
            '<form class="sous" action="/jrobot/search.do" method="get"><input type="hidden" name="webid" value="58">'
            '<input type="text" name="q"><input type="submit" value="搜索"></form></div></div>\n'
            f'<div class="nav"><div class="wrap"><ul>{items}</ul></div></div>\n'
        )

    def _crumb(self, col: Column, article: bool) -> str:
        trail = [("首页", "/index.html")] + ([col.parent] if col.parent else []) + [(col.name, col.path)]
        links = "&nbsp;&gt;&nbsp;".join(f'<a href="{h}">{n}</a>' for n, h in trail)
        return ('<div class="bt-position"><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>'
                f"<td>当前位置：{links}{'&nbsp;&gt;&nbsp;正文' if article else ''}</td></tr></table></div>\n")

    def _side(self) -> str:
        hot = "".join(f'<li><a href="{d.path}?from=hot" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
                      f"<span>[{d.when:%m-%d}]</span></li>" for d in self.hot)
        new = "".join(f'<li><a href="{d.path}" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
                      f"<span>{d.when:%Y-%m-%d}</span></li>" for d in self.newest[:6])
        return (
            '<div class="right-side">\n'
            f'<div class="side-box"><div class="side-hd">热点关注</div><ul class="side-list">{hot}</ul></div>\n'
            f'<div class="side-box"><div class="side-hd">最新信息</div><ul class="side-list">{new}</ul></div>\n'
            f'<div class="side-box"><a href="{OFFSITE}/ztzl/zgjs/index.html" target="_blank">职工之家建设专题</a><br>'
            f'<a href="{OFFSITE}/hdjl/" target="_blank">政民互动</a></div>\n</div>\n'
        )

    def _foot(self) -> str:
        links = " ".join(f'<a href="{h}" target="_blank">{n}</a>' for n, h in OFFSITE_LINKS)
        return (
            f'<div class="links"><div class="wrap">相关链接：{links}</div></div>\n'
            '<div class="foot"><div class="wrap">\n'
            '<p><a href="/col/col4131/index.html">关于我们</a> | <a href="/col/col4132/index.html">网站地图</a></p>\n'
            f"<p>版权所有：{SITE} &nbsp; 主办单位：四川省直属机关工会委员会</p>\n"
            "<p>地址：成都市锦江区督院街30号 &nbsp; 邮编：610016 &nbsp; 联系电话：028-86712345</p>\n"
            '<p><a href="https://beian.miit.gov.cn" target="_blank">蜀ICP备12004567号-1</a> &nbsp; 网站标识码：5100000058 &nbsp; '
            "技术支持：南京大汉网络有限公司</p>\n"
            '<script type="text/javascript" src="/module/visitcount/visit.jsp?type=1&i_webid=58"></script>\n'
            "</div></div>\n</body>\n</html>\n"
        )

    # ------------------------------------------------------------ lists

    def _entries(self, col: Column) -> list[Entry]:
        found = [Entry(d.list_href or d.path, d.title, d.when) for d in self.by_col[col.colid]]
        found += self.extra[col.colid]
        return sorted(found, key=lambda e: e.when, reverse=True)

    def _record(self, col: Column, e: Entry) -> str:
        href = ORIGIN + e.href if col.absolute and e.href.startswith("/") else e.href
        return (f"<record><![CDATA[\n<li><a href='{href}' target='_blank' title='{esc(e.title)}'>{escape(_short(e.title, 30))}</a>"
                f"<span>{e.when:%Y-%m-%d}</span></li>\n]]></record>\n")

    def _params(self, col: Column) -> dict[str, str]:
        return {"col": "1", "appid": "1", "webid": str(WEBID), "path": "/", "columnid": str(col.colid),
                "sourceContentType": "1", "unitid": str(col.unitid), "webname": SITE, "permissiontype": "0"}

    def _list(self, col: Column) -> None:
        entries = self._entries(col)
        total, size = len(entries), col.per_page * GROUP
        groups = math.ceil(total / size)
        pages = math.ceil(total / col.per_page)
        params = self._params(col)
        form = urlencode(params).encode()
        for g in range(groups):
            start, end = g * size + 1, (g + 1) * size
            records = "".join(self._record(col, e) for e in entries[start - 1:end])
            answer = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
                      f"<totalpage>{pages}</totalpage>\n<recordset>\n{records}</recordset>\n</datastore>\n")
            target = f"/module/web/jpage/groups/{col.colid}_{start}_{end}.xml"
            self.w.page(target, answer)
            for last in sorted({end, min(end, total)}):
                self.files[PROXY][query_key(f"startrecord={start}&endrecord={last}&perpage={col.per_page}", form)] = target
        nextgroup = (f"{PROXY}?page=1&appid=1&webid={WEBID}&path=/&columnid={col.colid}&unitid={col.unitid}"
                     f"&webname={SITE}&permissiontype=0")
        records = "".join(self._record(col, e) for e in entries[:size])
        ajax = (f"{{col:1,appid:'1',webid:{WEBID},path:'/',columnid:{col.colid},sourceContentType:1,"
                f"unitid:'{col.unitid}',webname:'{SITE}',permissiontype:0}}")
        jpage = (
            '<script type="text/javascript">\n$(document).ready(function(){\n'
            f"  $('#{col.unitid}').jpage({{themeName:'default',showMode:'full',totalRecord:{total},openCookies:false,"
            f"dataBefore:'<ul class=\"list-ul\">',dataAfter:'</ul>',groupSize:{GROUP},proxyUrl:'{PROXY}',"
            f"perPage:{col.per_page},barPosition:'bottom',ajaxParam:{ajax}}});\n}});\n</script>\n"
        )
        body = (
            self._top() + '<div class="wrap main">\n' + self._crumb(col, False)
            + f'<div class="left-list"><div class="list-hd"><span>{col.name}</span></div>\n<div class="list-bd">\n'
            + f'<div id="{col.unitid}"><script type="text/xml"><datastore>\n'
            + f'<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>\n<recordset>\n{records}</recordset>\n'
            + "</datastore></script></div>\n" + jpage + "</div></div>\n" + self._side() + "</div>\n" + self._foot()
        )
        extra = f'<meta name="ColumnName" content="{col.name}">\n<meta name="ColumnType" content="{col.name}">\n'
        self.w.page(col.path, self._head(f"{col.name} {SITE}", extra) + body)

    # ------------------------------------------------------------ articles

    def _article(self, doc: Doc, prev: Doc | None, nxt: Doc | None) -> None:
        self.w.page(doc.path, self._article_html(doc, prev, nxt, None))
        if doc.alias:
            self.w.page(doc.alias, self._article_html(doc, prev, nxt, ORIGIN + doc.path))
        for b in doc.blocks + doc.side_atts:
            if b.kind == "img":
                self.w.page(b.file, assets.JPEG)
            elif b.kind == "att":
                data = document(b.file, b.text)
                if b.file.startswith(DOWNFILE):
                    name = b.file.split("filename=", 1)[1]
                    self.files[DOWNFILE][query_key(b.file.split("?", 1)[1])] = f"/module/download/files/{name}"
                    self.w.page(f"/module/download/files/{name}", data)
                else:
                    self.w.page(b.file, data)
        self.w.article(doc.truth())

    def _article_html(self, doc: Doc, prev: Doc | None, nxt: Doc | None, canonical: str | None) -> str:
        meta = (
            f'<meta name="ColumnName" content="{doc.col.name}">\n<meta name="ColumnType" content="{doc.col.name}">\n'
            f'<meta name="ArticleTitle" content="{esc(doc.title)}">\n'
            f'<meta name="PubDate" content="{doc.meta_when:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{esc(doc.source or "本网")}">\n'
            f'<meta name="Keywords" content="">\n<meta name="Author" content="{esc(doc.source or SITE)}">\n'
            f'<meta name="Description" content="{esc(doc.blocks[0].text[:60])}">\n'
            f'<meta name="Url" content="{ORIGIN}{doc.path}">\n'
            + (f'<link rel="canonical" href="{canonical}">\n' if canonical else "")
        )
        info = []
        info.append(f"{doc.date_label}{doc.date_text}")
        if doc.source:
            info.append(f"{doc.source_label}<!--<$[信息来源]>begin-->{escape(doc.source)}<!--<$[信息来源]>end-->")
        if doc.author:
            info.append(f"作者：{doc.author}")
        info.append(f'浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={doc.col.colid}'
                    f'&artid={doc.artid}"></script>')
        info.append('字体：[ <a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> '
                    '<a href="javascript:doZoom(12)">小</a> ]')
        body = []
        for b in doc.blocks:
            if b.kind == "img":
                body.append(f'<p style="text-align:center"><img src="{b.file}" border="0" style="max-width:600px"></p>')
                if b.text:
                    body.append(f'<p align="center"><font face="楷体_GB2312" color="#004080">{escape(b.text)}</font></p>')
            elif b.kind == "att":
                body.append(f'<p>{b.prefix}<a href="{escape(b.file)}" target="_blank">{escape(b.text)}</a></p>')
            elif b.kind == "strong":
                body.append(f"<p>　　<strong>{escape(b.text)}</strong></p>")
            else:
                body.append(f"<p>　　{escape(b.text)}</p>")
        if doc.editor and doc.editor_style == "inline":
            body.append(f'<p style="text-align:right">（编辑：{doc.editor}）</p>')
        tail = ""
        if doc.side_atts:
            items = "".join(f'<li><a href="{escape(b.file)}" target="_blank" title="{esc(b.text)}">{escape(b.text)}</a></li>'
                            for b in doc.side_atts)
            tail += f'<div class="xgfj"><span class="fj-hd">相关附件：</span><ul>{items}</ul></div>\n'
        if doc.editor and doc.editor_style == "block":
            tail += f'<div class="zrbj">责任编辑：{doc.editor}</div>\n'
        related = [d for d in self.by_col[doc.col.colid] if d is not doc and id(d) not in self.hidden][:5]
        rel = "".join(f'<li><a href="{d.path}" target="_blank" title="{esc(d.title)}">{escape(d.title)}</a>'
                      f"<span>{d.when:%Y-%m-%d}</span></li>" for d in related)

        def near(label: str, d: Doc | None) -> str:
            return (f'<li>{label}：<a href="{d.path}" title="{esc(d.title)}">{escape(d.title)}</a></li>' if d
                    else f"<li>{label}：无</li>")

        content = "\n".join(body)
        main = (
            '<div class="main-txt">\n'
            f'<div class="art-title"><!--<$[标题名称]>begin-->{escape(doc.title)}<!--<$[标题名称]>end--></div>\n'
            '<div class="art-info">' + "&nbsp;&nbsp;&nbsp;".join(info) + "</div>\n"
            f'<div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">\n{content}\n'
            '<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>\n'
            + tail
            + '<div class="share">分享到：<div class="bdsharebuttonbox"><a href="#" class="bds_weixin" data-cmd="weixin"></a>'
            '<a href="#" class="bds_tsina" data-cmd="tsina"></a><a href="#" class="bds_qzone" data-cmd="qzone"></a></div></div>\n'
            '<div class="dy"><a href="javascript:window.print()">【打印本页】</a>&nbsp;&nbsp;<a href="javascript:window.close()">【关闭窗口】</a></div>\n'
            '<ul class="sxp">' + near("上一篇", prev) + near("下一篇", nxt) + "</ul>\n"
            f'<div class="xgwz"><div class="xgwz-hd">相关文章</div><ul>{rel}</ul></div>\n</div>\n'
        )
        return (self._head(f"{doc.title} {SITE}", meta) + self._top() + '<div class="wrap main">\n'
                + self._crumb(doc.col, True) + main + self._side() + "</div>\n" + self._foot())

    # ------------------------------------------------------------ home and channel

    def _home(self) -> None:
        boxes = []
        for col in COLUMNS:
            items = "".join(f'<li><a href="{d.path}" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
                            f"<span>{d.when:%m-%d}</span></li>" for d in self.visible(col)[:6])
            boxes.append(f'<div class="idx-box"><div class="idx-hd"><span>{col.name}</span><a href="{col.path}">更多&gt;&gt;</a>'
                         f"</div><ul>{items}</ul></div>\n")
        self.w.page("/index.html", self._head(SITE) + self._top() + '<div class="wrap main">\n' + "".join(boxes)
                    + self._side() + "</div>\n" + self._foot())
        chan = "".join(f'<div class="idx-box"><div class="idx-hd"><span>{c.name}</span><a href="{c.path}">更多</a></div><ul>'
                       + "".join(f'<li><a href="{d.path}" target="_blank">{escape(d.title)}</a><span>{d.when:%Y-%m-%d}</span></li>'
                                 for d in self.visible(c)[:5]) + "</ul></div>\n" for c in COLUMNS[:2])
        crumb = '<div class="bt-position">当前位置：<a href="/index.html">首页</a>&nbsp;&gt;&nbsp;<a href="/col/col4126/index.html">新闻动态</a></div>\n'
        self.w.page(NEWS[1], self._head(f"新闻动态 {SITE}") + self._top() + '<div class="wrap main">\n' + crumb + chan
                    + self._side() + "</div>\n" + self._foot())
        for colid, name in ((4130, "无障碍浏览"), (4131, "关于我们"), (4132, "网站地图")):
            self.w.page(f"/col/col{colid}/index.html", self._head(f"{name} {SITE}") + self._top()
                        + f'<div class="wrap main"><div class="bt-position">当前位置：<a href="/index.html">首页</a>&nbsp;&gt;&nbsp;{name}</div>'
                        f"<p>{name}</p></div>\n" + self._foot())


OFFSITE_LINKS = (
    ("中国政府网", f"{OFFSITE}/gov/"),
    ("中华全国总工会", f"{OFFSITE}/acftu/index.html"),
    ("四川省人民政府", f"{OFFSITE}/sc/"),
)
OFFSITE_PATHS = [h for _n, h in OFFSITE_LINKS] + [f"{OFFSITE}/ztzl/zgjs/index.html", f"{OFFSITE}/hdjl/",
                                                  "https://beian.miit.gov.cn"]

CSS = """body{margin:0;font:14px/1.75 "微软雅黑";color:#333}a{color:#333;text-decoration:none}.wrap{width:1200px;margin:0 auto}
.head{background:#c8161d;height:120px}.nav{background:#a10f15}.nav li{float:left;list-style:none;padding:0 24px}.nav a{color:#fff}
.bt-position{line-height:40px;border-bottom:1px solid #e5e5e5}.left-list,.main-txt{float:left;width:860px}
.right-side{float:right;width:300px}.list-ul li span{float:right;color:#999}.art-title{font-size:26px;text-align:center;color:#c8161d}
.art-info{text-align:center;color:#999;border-bottom:1px dashed #ddd}#zoom p{line-height:2;margin:0 0 12px}
.foot{clear:both;background:#a10f15;color:#fff;text-align:center}
"""
