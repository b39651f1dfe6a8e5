"""TRS WCM zoo site: a sister union site as TRS WCM publishes it (UTF-8 static pages).

What it is based on (public evidence, read for its shape, none of it copied): saved TRS WCM
article pages kept in GitHub scrapers' fixtures and test strings (a county land-bureau page with
`div.TRS_Editor` holding its own <style>, `当前位置：` links with class `CurrChnlCls` and `../`
hrefs, a "相关新闻" block whose items are each written by their own `<script>document.write(...)`,
the content pager `createPageHTML(1, 0, "t20170803_1095855", "html")` beside a page-local
definition of the function, 【打印本页】【关闭窗口】, a hits counter filled by script); TRS list pagers
as several sites write them (`createPageHTML(N, 0, "index", "html")`, and the older inline
`var currentPage = 0;//所在页从0开始 ... var countPage = N` block writing `index_<n>.html` links);
attachments as TRS names them (`<a appendix="true" href="./P020...pdf" OLDSRC="/protect/...">`,
`var file_appendix = '<a href="./P0...">'` written by script, a 附件下载 block under the text);
`div#TRS_AUTOADD_...`/`Custom_UnionStyle` wrappers; the gov.cn meta tags (ArticleTitle, PubDate,
ContentSource) ; and Python spiders of TRS sites (scrapy spiders reading `countPage = (\\d+)` and
requesting `index_{n}.html`, `//a[@class='CurrChnlCls']`, `div.TRS_Editor p`).

The site (26 articles, 3 columns):
    /xwzx/ghyw/   工会要闻  list pager: createPageHTML(...) from /common/js/trs_page.js; holds the
                  three-page article t..._<id>.html, t..._<id>_1.html, t..._<id>_2.html (content
                  pager createPageHTML(3, i, "t..._<id>", "html") defined in the article page)
    /xwzx/jcdt/   基层动态  the older inline pager (var currentPage/countPage + document.write)
    /tzgg/        通知公告  every list item written by its own <script>document.write(...)</script>,
                  createPageHTML defined inline; one item is a PDF (./2023xx/P0....pdf)
Articles at <column>/<YYYYMM>/t<YYYYMMDD>_<docid>.html, list links relative (./2023xx/...),
breadcrumbs relative (../), nav root-relative, sidebar "热点" links absolute with ?from=rdxw.
Awkward cases: a 301 from an old /jcdt/<YYYYMM>/t..._<id>.htm link, a 404 and a 500 list link,
offsite footer and sidebar links, robots.txt disallowing /nbzl/ with a list link into it, an
article mirrored under a second column path carrying <link rel="canonical">, a tracking query,
date/source/author/editor written several ways, images with and without captions (W0...jpg),
attachments inline, in a block under the text, and written by script.
"""

from __future__ import annotations

import posixpath
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from .base import Writer, ZooArticle, ZooSite, document, generated
from .common import (CN0, CN_MINUTES, DASH, MINUTES, SECONDS, SLASH, around, by_column, esc, free_path, nth,
                     number_by_time, plan_in_order, shorten, shown)

SITE = "四川省直机关职工之家"
FAMILY = "trs"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    path: str  # directory, ends with /
    parent: tuple[str, str] | None  # (name, path) of the channel above, or None
    kind: str  # text generator kind
    count: int  # articles
    per_page: int
    pager: str  # "create", "inline" or "script"


COLUMNS = (
    Column("ghyw", "工会要闻", "/xwzx/ghyw/", ("新闻中心", "/xwzx/"), "news", 10, 4, "create"),
    Column("jcdt", "基层动态", "/xwzx/jcdt/", ("新闻中心", "/xwzx/"), "grassroots", 9, 5, "inline"),
    Column("tzgg", "通知公告", "/tzgg/", None, "notice", 7, 4, "script"),
)

# How the info line writes the time; the label is chosen separately.
DATE_STYLES = (SECONDS, MINUTES, CN0, SLASH, DASH, CN_MINUTES)
DATE_LABELS = ("发布时间：", "日期：", "", "时间：", "发布日期：")
SOURCE_LABELS = ("来源：", "信息来源：", "文章来源：", "稿件来源：", "来源:")
SOURCES = ("省直机关工会", "四川工人日报", "省总工会宣传教育部", "川观新闻", "四川省总工会网站")
INDENTS = ("fullwidth", "style", "nbsp")


@dataclass
class Block:
    kind: str  # p, strong, img, att
    text: str = ""  # paragraph text / attachment name / image caption
    file: str = ""  # site path of the image or attachment
    prefix: str = ""


@dataclass
class Doc:
    """One article: its truth (ZooArticle) and how its page writes it."""

    col: Column
    docid: int
    when: datetime
    title: str
    pages: list[list[Block]]  # the blocks of each page
    date_style: int
    date_label: str
    source: str | None
    source_label: str
    author: str | None
    author_style: str  # "作者：" or "记者 "
    editor: str | None
    editor_style: str  # "block" (责任编辑：X under the text) or "inline" (（编辑：X） as the last line)
    indent: str
    side_atts: list[Block] = field(default_factory=list)  # attachments block under the text
    script_atts: list[Block] = field(default_factory=list)  # attachments written by script
    list_href: str = ""  # how the column list links it (set for traps)
    mirror: str = ""  # a second path of the same article (carries rel=canonical)

    @property
    def path(self) -> str:
        return f"{self.col.path}{self.when:%Y%m}/{self.stem}.html"

    @property
    def stem(self) -> str:
        return f"t{self.when:%Y%m%d}_{self.docid}"

    def page_path(self, index: int) -> str:
        return self.path if index == 0 else self.path[:-5] + f"_{index}.html"

    @property
    def date_text(self) -> str:
        return shown(DATE_STYLES[self.date_style], self.when)

    def truth(self) -> ZooArticle:
        blocks = [b for page in self.pages for b in page]
        paragraphs = [b.prefix + b.text if b.kind == "att" else b.text
                      for b in blocks if b.kind in ("p", "strong", "att")]
        return ZooArticle(
            path=self.path, title=self.title, when=self.when, shows=DATE_STYLES[self.date_style][2],
            paragraphs=paragraphs, column=self.col.name, source=self.source, author=self.author,
            editor=self.editor, images=[b.file for b in blocks if b.kind == "img"],
            attachments=[b.file for b in blocks if b.kind == "att"] + [b.file for b in self.side_atts + self.script_atts],
            pages=[self.page_path(i) for i in range(1, len(self.pages))],
        )


@dataclass
class Entry:
    href: str  # as the list writes it (relative to the column directory, or absolute)
    title: str
    when: datetime


# ---------------------------------------------------------------- generation

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    """Build the TRS zoo site into `out_dir` (same seed, same bytes)."""
    rng = random.Random(f"trs-{seed}")
    docs = _docs(rng)
    by_col = by_column(docs, COLUMNS, "key", lambda d: d.when)
    w = Writer(Path(out_dir), FAMILY, SITE)
    site = _Site(w, docs, by_col, rng)
    site.write()
    return w.finish()


def _docs(rng: random.Random) -> list[Doc]:
    docs = plan_in_order(rng, COLUMNS, _doc)  # the generator's templates repeat; list items must not
    # TRS document ids grow with the time a document was created.
    number_by_time(docs, rng, 118000, 137, 100, "docid")
    return docs


def _doc(col: Column, when: datetime, i: int, rng: random.Random) -> Doc:
    made = generated(rng, col.kind, when)
    blocks = [Block(kind, words.strip()) for kind, words in made.paragraphs]
    has_source = i % 5 != 4
    doc = Doc(
        col=col, docid=0, when=when, title=made.title, pages=[blocks],
        date_style=i % len(DATE_STYLES), date_label=nth(DATE_LABELS, i // 2),
        source=rng.choice(SOURCES) if has_source else None, source_label=nth(SOURCE_LABELS, i + i // 5),
        author=text.person(rng) if i % 3 == 1 else None, author_style=("作者：", "记者 ")[i % 2],
        editor=text.person(rng) if i % 4 != 3 else None, editor_style=("block", "inline")[(i // 4) % 2],
        indent=nth(INDENTS, i),
    )
    if col.kind != "notice" and i % 3 != 2:
        for k in range(1 + (i % 2)):
            name = f"W0{when:%Y%m%d}{rng.randrange(10**11, 10**12)}.jpg"
            caption = f"图为活动现场。（{text.person(rng)} 摄）" if (i + k) % 2 == 0 else ""
            blocks.insert(min(1 + 2 * k, len(blocks) - 1),
                          Block("img", caption, f"{col.path}{when:%Y%m}/{name}"))
    if col.kind == "notice":
        ext = ("pdf", "doc", "pdf", "xls")[i % 4]
        name = f"{when.year}年{rng.choice(text.THINGS)}报名表.{ext}".replace("“", "").replace("”", "")
        att = Block("att", name, f"{col.path}{when:%Y%m}/P0{when:%Y%m%d}{rng.randrange(10**11, 10**12)}.{ext}", "附件：")
        where = i % 3
        if where == 0:
            blocks.append(att)
        elif where == 1:
            doc.side_atts.append(att)
        else:
            doc.script_atts.append(att)
    return doc


# ---------------------------------------------------------------- writing

def _rel(target: str, page: str) -> str:
    """`target` relative to the page's directory, as TRS writes links (./x, ../x/)."""
    if target.startswith(("http://", "https://", ORIGIN, OFFSITE)):
        return target
    rel = posixpath.relpath(target.rstrip("/") or "/", posixpath.dirname(page) or "/")
    if target.endswith("/"):
        return "./" if rel == "." else rel + "/"
    return rel if rel.startswith(".") else "./" + rel


class _Site:
    """Renders every page of the TRS site into the Writer."""

    def __init__(self, w: Writer, docs: list[Doc], by_col: dict[str, list[Doc]], rng: random.Random) -> None:
        self.w, self.docs, self.by_col, self.rng = w, docs, by_col, rng
        self.newest = sorted(docs, key=lambda d: d.when, reverse=True)
        ghyw, jcdt, tzgg = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
        # The three-page article: a long news item with pictures.
        self.multi = max(ghyw[1:6], key=lambda d: len(d.pages[0]))
        self._split(self.multi)
        # The sidebar's 热点 item carries a tracking query.
        self.hot = [ghyw[0], jcdt[1], ghyw[4], tzgg[0], jcdt[3]]
        # An old .htm address answered by a 301, linked from the 基层动态 list.
        self.moved = jcdt[2]
        self.moved_from = f"/jcdt/{self.moved.when:%Y%m}/{self.moved.stem}.htm"
        # A 工会要闻 article quoted into 基层动态 (TRS 引用): a second path with rel=canonical.
        self.quoted = next(d for d in ghyw[2:] if d is not self.multi
                           and not any(b.kind == "img" for p in d.pages for b in p))
        self.quoted.mirror = f"/xwzx/jcdt/{self.quoted.when:%Y%m}/{self.quoted.stem}.html"
        self.extra: dict[str, list[Entry]] = {c.key: [] for c in COLUMNS}

    def _split(self, doc: Doc) -> None:
        """Spread the article over three pages, with a picture on each of the first two."""
        blocks = doc.pages[0]
        while len([b for b in blocks if b.kind in ("p", "strong")]) < 6:
            blocks.insert(-1, Block("p", f"{self.rng.choice(text.MEASURES)}，取得了良好成效。"))
        third = len(blocks) // 3
        doc.pages = [blocks[:third], blocks[third:2 * third], blocks[2 * third:]]
        for n, page in enumerate(doc.pages[:2]):
            if not any(b.kind == "img" for b in page):
                name = f"W0{doc.when:%Y%m%d}{self.rng.randrange(10**11, 10**12)}.jpg"
                caption = f"图为活动现场。（{text.person(self.rng)} 摄）" if n else ""
                page.insert(1, Block("img", caption, f"{doc.col.path}{doc.when:%Y%m}/{name}"))

    # ------------------------------------------------------------ all pages

    def write(self) -> None:
        w = self.w
        w.robots("/wcm/", "/nbzl/", content_type="text/plain; charset=utf-8")
        w.page("/common/css/style.css", CSS)
        w.page("/common/js/trs_page.js", PAGE_JS)
        w.page("/common/images/logo.jpg", assets.JPEG)
        self._traps()
        for col in COLUMNS:
            docs = self.by_col[col.key]
            for i, doc in enumerate(docs):
                nxt, prev = around(docs, i)
                self._article(doc, prev, nxt)
            self._lists(col)
        self._home()
        self._channel()
        w.start_paths = [c.path for c in COLUMNS]

    def _free(self, path: str) -> str:
        """A trap's path, moved off any article's."""
        return free_path(path, {d.path for d in self.docs})

    def _traps(self) -> None:
        w = self.w
        ghyw, jcdt = self.by_col["ghyw"], self.by_col["jcdt"]
        w.redirect(self.moved_from, self.moved.path)
        self.moved.list_href = self.moved_from
        gone = ghyw[3].when - timedelta(hours=5)
        gone_path = self._free(f"/xwzx/ghyw/{gone:%Y%m}/t{gone:%Y%m%d}_{ghyw[3].docid - 41}.html")
        self.extra["ghyw"].append(Entry(gone_path, text.title_for("news", self.rng, gone.year), gone))
        w.broken_link(gone_path)
        err = jcdt[4].when - timedelta(hours=3)
        err_path = self._free(f"/xwzx/jcdt/{err:%Y%m}/t{err:%Y%m%d}_{jcdt[4].docid - 23}.html")
        self.extra["jcdt"].append(Entry(err_path, text.title_for("grassroots", self.rng, err.year), err))
        w.broken_link(err_path, 500)
        inner = jcdt[6].when - timedelta(hours=2)
        inner_path = f"/nbzl/{inner:%Y%m}/t{inner:%Y%m%d}_{jcdt[6].docid - 7}.html"
        title = f"{inner.year}年省直机关工会内部工作资料汇编"
        w.page(inner_path, _shell(title, "内部资料", "<p>本栏目内容仅限内网访问。</p>"))
        self.extra["jcdt"].append(Entry(inner_path, title, inner))
        w.not_followed.append(inner_path)
        q = self.quoted
        self.extra["jcdt"].append(Entry(q.mirror, q.title, q.when))
        # A notice published as a PDF only.
        tz = self.by_col["tzgg"]
        when = tz[2].when - timedelta(days=1)
        pdf_path = f"/tzgg/{when:%Y%m}/P0{when:%Y%m%d}{self.rng.randrange(10**11, 10**12)}.pdf"
        w.listed_file(pdf_path, assets.pdf("notice"))
        self.extra["tzgg"].append(Entry(pdf_path, f"关于公布{when.year}年度省直机关先进职工之家名单的通知", when))
        w.not_followed.extend(OFFSITE_LINKS_PATHS)

    # ------------------------------------------------------------ chrome

    def _head(self, title: str, extra: str = "") -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge" />\n'
            f"<title>{escape(title)}</title>\n{extra}"
            '<link href="/common/css/style.css" rel="stylesheet" type="text/css" />\n'
            '<script type="text/javascript" src="/common/js/trs_page.js"></script>\n</head>\n'
        )

    def _top(self, current: str) -> str:
        nav = [("首页", "/"), ("新闻中心", "/xwzx/"), ("工会要闻", "/xwzx/ghyw/"), ("基层动态", "/xwzx/jcdt/"),
               ("通知公告", "/tzgg/")]
        on = ' class="on"'
        items = "".join(f'<li{on if name == current else ""}><a href="{href}">{name}</a></li>' for name, href in nav)
        return (
            '<body>\n<div class="top"><div class="w1000"><span class="fl">欢迎访问' + SITE + '！</span>'
            '<span class="fr"><a href="javascript:void(0)" onclick="SetHome(this,window.location)">设为首页</a> | '
            '<a href="javascript:void(0)" onclick="AddFavorite(window.location,document.title)">加入收藏</a></span></div></div>\n'
            '<div class="header"><div class="w1000"><a href="/" class="logo"><img src="/common/images/logo.jpg" alt="'
            + SITE + '" /></a><div class="search"><form action="/was5/web/search" method="get" target="_blank">'
            '<input type="text" name="searchword" value="" /><input type="submit" value="搜索" /></form></div></div></div>\n'
            f'<div class="nav"><div class="w1000"><ul>{items}</ul></div></div>\n'
        )

    def _crumb(self, col: Column, page: str, rel: bool = True) -> str:
        trail = [("首页", "/")] + ([col.parent] if col.parent else []) + [(col.name, col.path)]
        link = (lambda p: _rel(p, page)) if rel else (lambda p: p)
        parts = [f'<a href="{link(p)}" target="_self" title="{n}" class="CurrChnlCls">{n}</a>' for n, p in trail]
        return '<div class="position">当前位置：' + "&nbsp;&gt;&nbsp;".join(parts) + "</div>\n"

    def _sidebar(self) -> str:
        hot = "".join(
            f'<li><a href="{ORIGIN}{d.path}?from=rdxw" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
            f'<span>{d.when:%m-%d}</span></li>' for d in self.hot)
        new = "".join(
            f'<li><a href="{d.path}" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
            f'<span>{d.when:%Y-%m-%d}</span></li>' for d in self.newest[:6])
        return (
            '<div class="side">\n<div class="side-box"><div class="side-tit">热点新闻</div><ul class="side-list">'
            f"{hot}</ul></div>\n"
            '<div class="side-box"><div class="side-tit">最新发布</div><ul class="side-list">'
            f"{new}</ul></div>\n"
            '<div class="side-box"><div class="side-tit">专题专栏</div><ul class="side-zt">'
            f'<li><a href="{OFFSITE}/zt/2023/ghgg/" target="_blank">深化工会改革专题</a></li>'
            f'<li><a href="{OFFSITE}/zt/ldmf/" target="_blank">劳模风采</a></li></ul></div>\n</div>\n'
        )

    def _footer(self) -> str:
        links = "".join(f'<option value="{href}">{name}</option>' for name, href in OFFSITE_LINKS)
        return (
            '<div class="footer"><div class="w1000">\n'
            f'<div class="yqlj">友情链接：<select onchange="window.open(this.value)"><option>---全国及省级工会网站---</option>{links}</select>'
            f' <a href="{OFFSITE}/" target="_blank">中华全国总工会</a> <a href="{OFFSITE}/scszgh/" target="_blank">四川省总工会</a></div>\n'
            '<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>\n'
            f"<p>版权所有：{SITE} &nbsp;主办：四川省直属机关工会委员会</p>\n"
            "<p>地址：四川省成都市青羊区东城根上街95号 &nbsp;邮编：610015 &nbsp;电话：028-86601234</p>\n"
            '<p><a href="https://beian.miit.gov.cn/" target="_blank">蜀ICP备05012345号-2</a> &nbsp;'
            "川公网安备 51010502010123号 &nbsp;技术支持：拓尔思信息技术股份有限公司</p>\n"
            '</div></div>\n<script type="text/javascript">var _trsSiteId = "12";</script>\n</body>\n</html>\n'
        )

    # ------------------------------------------------------------ lists

    def _entries(self, col: Column) -> list[Entry]:
        found = []
        for doc in self.by_col[col.key]:
            found.append(Entry(doc.list_href or doc.path, doc.title, doc.when))
        found += self.extra[col.key]
        return sorted(found, key=lambda e: e.when, reverse=True)

    def _lists(self, col: Column) -> None:
        entries = self._entries(col)
        chunks = [entries[i:i + col.per_page] for i in range(0, len(entries), col.per_page)]
        for n, chunk in enumerate(chunks):
            page = col.path + ("index.html" if n == 0 else f"index_{n}.html")
            items = self._items(col, chunk, page)
            pager = self._pager(col, len(chunks), n)
            title = f"{col.name}_{SITE}"
            body = (
                self._top(col.name) + '<div class="w1000 main">\n' + self._crumb(col, page)
                + '<div class="list-left">\n<div class="list-tit"><span>' + col.name + "</span></div>\n"
                + items + f'<div class="page">{pager}</div>\n</div>\n' + self._sidebar() + "</div>\n" + self._footer()
            )
            head_extra = f'<meta name="ColumnName" content="{col.name}" />\n<meta name="ColumnType" content="{col.name}" />\n'
            self.w.page(page, self._head(title, head_extra) + body)

    def _items(self, col: Column, chunk: list[Entry], page: str) -> str:
        if col.pager == "create":
            lis = "".join(
                f'<li><span class="date">{e.when:%Y-%m-%d}</span><a href="{_rel(e.href, page)}" target="_blank" '
                f'title="{esc(e.title)}">{escape(e.title)}</a></li>\n' for e in chunk)
            return f'<ul class="list">\n{lis}</ul>\n'
        if col.pager == "inline":
            rows = "".join(
                f'<tr><td width="20"><img src="/common/images/logo.jpg" width="4" height="4" /></td>'
                f'<td><a href="{_rel(e.href, page)}" target="_blank" title="{esc(e.title)}">{escape(_short(e.title, 34))}</a></td>'
                f'<td width="100" class="date">[{e.when:%Y-%m-%d}]</td></tr>\n' for e in chunk)
            return f'<table class="list-table" width="100%" cellspacing="0" cellpadding="0" border="0">\n{rows}</table>\n'
        # "script": each item written by its own script, as TRS's 置标 output is often wrapped.
        out = []
        for e in chunk:
            href = _rel(e.href, page).replace("'", "\\'")
            t = e.title.replace("'", "\\'")
            out.append(
                "<script type=\"text/javascript\">\n"
                f"var str_t = '{t}';\nvar str_u = '{href}';\n"
                "var str_s = str_t.length > 30 ? str_t.substring(0, 30) + '...' : str_t;\n"
                "if (str_u.indexOf('.pdf') > 0) { str_s = '[PDF] ' + str_s; }\n"
                "document.write('<li><a href=\"' + str_u + '\" target=\"_blank\" title=\"' + str_t + '\">' + str_s + "
                f"'</a><span>{e.when:%Y/%m/%d}</span></li>');\n</script>\n")
        return '<ul class="list notice-list">\n' + "".join(out) + "</ul>\n"

    def _pager(self, col: Column, count: int, current: int) -> str:
        if col.pager == "create":
            return f'<script type="text/javascript">createPageHTML({count}, {current}, "index", "html");</script>'
        if col.pager == "script":
            return (PAGE_FUNC + "\n<script type=\"text/javascript\">\n"
                    f'createPageHTML({count}, {current}, "index", "html");\n</script>')
        return INLINE_PAGER.replace("@CURRENT@", str(current)).replace("@COUNT@", str(count))

    # ------------------------------------------------------------ articles

    def _article(self, doc: Doc, prev: Doc | None, nxt: Doc | None) -> None:
        for index in range(len(doc.pages)):
            page = doc.page_path(index)
            self.w.page(page, self._article_html(doc, index, page, prev, nxt, canonical=None))
            for b in doc.pages[index]:
                self._asset(b)
        for b in doc.side_atts + doc.script_atts:
            self._asset(b)
        if doc.mirror:
            self.w.page(doc.mirror, self._article_html(doc, 0, doc.mirror, prev, nxt, canonical=ORIGIN + doc.path))
        self.w.article(doc.truth())

    def _asset(self, b: Block) -> None:
        if b.kind == "img":
            self.w.page(b.file, assets.JPEG)
        elif b.kind == "att":
            self.w.page(b.file, document(b.file, b.text))

    def _article_html(self, doc: Doc, index: int, page: str, prev: Doc | None, nxt: Doc | None,
                      canonical: str | None) -> str:
        rel = canonical is None
        link = (lambda p: _rel(p, page)) if rel else (lambda p: p)
        meta = (
            f'<meta name="SiteName" content="{SITE}" />\n<meta name="ColumnName" content="{doc.col.name}" />\n'
            f'<meta name="ArticleTitle" content="{esc(doc.title)}" />\n'
            f'<meta name="PubDate" content="{doc.when:%Y-%m-%d %H:%M}" />\n'
            f'<meta name="ContentSource" content="{esc(doc.source or SITE)}" />\n'
            f'<meta name="Keywords" content="工会,{doc.col.name}" />\n'
            + (f'<link rel="canonical" href="{canonical}" />\n' if canonical else "")
        )
        info = [f"<span>{doc.date_label}{doc.date_text}</span>"]
        if doc.source:
            info.append(f"<span>{doc.source_label}{escape(doc.source)}</span>")
        if doc.author:
            info.append(f"<span>{doc.author_style}{doc.author}</span>")
        info.append(f'<span>浏览次数：<script type="text/javascript">document.write(getDocHits("{doc.docid}"));</script></span>')
        info.append('<span class="zh">字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
                    '<a href="javascript:doZoom(14)">小</a>]</span>')
        title_tag = ("h1", "div")[doc.docid % 2]
        body = self._body(doc, index, page, link)
        last = index == len(doc.pages) - 1
        tail = ""
        if len(doc.pages) > 1:
            tail += (PAGE_FUNC + '\n<div class="page"><script type="text/javascript">'
                     f'createPageHTML({len(doc.pages)}, {index}, "{doc.stem}", "html");</script></div>\n')
        if last and doc.side_atts:
            lis = "".join(f'<li><a href="{link(b.file)}" appendix="true" title="{esc(b.text)}">{escape(b.text)}</a></li>'
                          for b in doc.side_atts)
            tail += f'<div class="article-fj"><p class="fj-tit">相关附件：</p><ul>{lis}</ul></div>\n'
        if last and doc.script_atts:
            anchors = "<br/>".join(f'<a href="{link(b.file)}">{escape(b.text)}</a>' for b in doc.script_atts)
            tail += ('<div class="article-fj"><script type="text/javascript">\n'
                     f"var file_appendix = '{anchors}';\n"
                     "if (file_appendix != '') { document.write('<p class=\"fj-tit\">附件：</p><p>' + file_appendix + '</p>'); }\n"
                     "</script></div>\n")
        if last and doc.editor and doc.editor_style == "block":
            tail += f'<div class="editor">【责任编辑：{doc.editor}】</div>\n'
        related = [d for d in self.by_col[doc.col.key] if d is not doc][:4]
        rel_items = "".join(
            f'<li><a href="{link(d.path)}" target="_blank" title="{esc(d.title)}">{escape(d.title)}</a>'
            f'<span>{d.when:%Y-%m-%d}</span></li>' for d in related)

        def near(label: str, d: Doc | None) -> str:
            if d is None:
                return f"<p>{label}：没有了</p>"
            return f'<p>{label}：<a href="{link(d.path)}" title="{esc(d.title)}">{escape(d.title)}</a></p>'

        main = (
            '<div class="article">\n<!--titlestart-->\n'
            f'<{title_tag} class="article-title" id="tts-title">{escape(doc.title)}</{title_tag}>\n<!--titleend-->\n'
            '<!--metastart-->\n<div class="article-info">' + "&nbsp;&nbsp;".join(info) + "</div>\n<!--metaend-->\n"
            f'<div class="article-con" id="zoom">\n{body}</div>\n{tail}'
            '<div class="share bdsharebuttonbox"><span>分享到：</span><a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a>'
            '<a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></div>\n'
            '<div class="tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>\n'
            '<div class="prev-next">' + near("上一篇", prev) + near("下一篇", nxt) + "</div>\n"
            f'<div class="related"><div class="related-tit">相关新闻</div><ul>{rel_items}</ul></div>\n</div>\n'
        )
        html = (self._head(f"{doc.title}_{doc.col.name}_{SITE}", meta) + self._top(doc.col.name)
                + '<div class="w1000 main">\n' + self._crumb(doc.col, page, rel) + main + self._sidebar()
                + "</div>\n" + self._footer())
        return html

    def _body(self, doc: Doc, index: int, page: str, link) -> str:
        out = []
        blocks = doc.pages[index]
        for b in blocks:
            if b.kind == "img":
                out.append(f'<p style="text-align: center;" align="center"><img src="{link(b.file)}" '
                           f'OLDSRC="{posixpath.basename(b.file)}" border="0" style="width: 600px;" /></p>')
                if b.text:
                    out.append(f'<p style="text-align: center;" align="center"><span style="font-family: 楷体;">{escape(b.text)}</span></p>')
            elif b.kind == "att":
                out.append(f'<p>{b.prefix}<a href="{link(b.file)}" appendix="true" '
                           f'OLDSRC="/protect/P0{doc.when:%Y%m}/P0{doc.when:%Y%m%d}/{posixpath.basename(b.file)}">{escape(b.text)}</a></p>')
            else:
                words = escape(b.text)
                if b.kind == "strong":
                    words = f"<strong>{words}</strong>"
                if doc.indent == "fullwidth":
                    out.append(f"<p>　　{words}</p>")
                elif doc.indent == "style":
                    out.append(f'<p style="text-indent: 2em;">{words}</p>')
                else:
                    out.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{words}</p>")
        if index == len(doc.pages) - 1 and doc.editor and doc.editor_style == "inline":
            out.append(f'<p style="text-align: right;">（编辑：{doc.editor}）</p>')
        style_id = f"TRS_AUTOADD_{1600000000000 + doc.docid * 7}"
        inner = "\n".join(out)
        return (f'<div class="TRS_Editor"><div id="{style_id}"><style type="text/css">#{style_id} P{{margin-top:0;'
                f'margin-bottom:0;line-height:2;font-size:16px;}}</style>\n<div class="Custom_UnionStyle">\n{inner}\n'
                "</div></div></div>\n")

    # ------------------------------------------------------------ home and channel pages

    def _home(self) -> None:
        blocks = []
        for col in COLUMNS:
            lis = "".join(f'<li><a href="{d.path}?from=home" target="_blank" title="{esc(d.title)}">{escape(_short(d.title))}</a>'
                          f'<span>{d.when:%Y-%m-%d}</span></li>' for d in self.by_col[col.key][:5])
            blocks.append(f'<div class="home-box"><div class="home-tit"><span>{col.name}</span><a href="{col.path}" class="more">更多&gt;&gt;</a></div>'
                          f"<ul>{lis}</ul></div>\n")
        body = self._top("首页") + '<div class="w1000 main">\n' + "".join(blocks) + self._sidebar() + "</div>\n" + self._footer()
        self.w.page("/index.html", self._head(SITE) + body)

    def _channel(self) -> None:
        blocks = []
        for col in COLUMNS[:2]:
            lis = "".join(f'<li><a href="{_rel(d.path, "/xwzx/index.html")}" target="_blank">{escape(d.title)}</a>'
                          f'<span>{d.when:%Y-%m-%d}</span></li>' for d in self.by_col[col.key][:6])
            blocks.append(f'<div class="home-box"><div class="home-tit"><span>{col.name}</span>'
                          f'<a href="{_rel(col.path, "/xwzx/index.html")}" class="more">更多</a></div><ul>{lis}</ul></div>\n')
        crumb = '<div class="position">当前位置：<a href="../" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;<a href="./" class="CurrChnlCls">新闻中心</a></div>\n'
        body = self._top("新闻中心") + '<div class="w1000 main">\n' + crumb + "".join(blocks) + self._sidebar() + "</div>\n" + self._footer()
        self.w.page("/xwzx/index.html", self._head(f"新闻中心_{SITE}") + body)
        for path, name in (("/wzdt/index.html", "网站地图"), ("/lxwm/index.html", "联系我们")):
            self.w.page(path, _shell(name, name, f"<p>{name}</p>"))


def _short(title: str, size: int = 24) -> str:
    return shorten(title, size)


def _shell(title: str, name: str, inner: str) -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>{escape(title)}</title>'
            f'</head><body><div class="position">当前位置：<a href="/">首页</a> &gt; {name}</div>{inner}</body></html>\n')


OFFSITE_LINKS = (
    ("中华全国总工会", f"{OFFSITE}/acftu/"),
    ("四川省总工会", f"{OFFSITE}/scszgh/"),
    ("四川工人日报", f"{OFFSITE}/scgrrb/index.html"),
)
OFFSITE_LINKS_PATHS = [href for _n, href in OFFSITE_LINKS] + [
    f"{OFFSITE}/", f"{OFFSITE}/zt/2023/ghgg/", f"{OFFSITE}/zt/ldmf/", "https://beian.miit.gov.cn/"]

CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun;color:#333}a{color:#333;text-decoration:none}
.w1000{width:1000px;margin:0 auto}.top{background:#f5f5f5;height:30px}.header{height:110px;background:#b5121b}
.nav{background:#8e0c13}.nav li{display:inline-block;padding:0 22px}.nav a{color:#fff}
.position{height:36px;line-height:36px;border-bottom:1px solid #ddd}.list-left,.article{float:left;width:700px}
.side{float:right;width:270px}.list li{border-bottom:1px dashed #ddd}.list .date,.list span{float:right;color:#999}
.TRS_Editor P{margin:0;line-height:2}.article-title{text-align:center;font-size:24px;color:#b5121b}
.article-info{text-align:center;color:#888}.footer{clear:both;background:#8e0c13;color:#fff;text-align:center}
"""

# createPageHTML as TRS list and content pages call it: page 0 is <name>.<ext>, page n <name>_n.<ext>.
PAGE_JS = """// 拓尔思 WCM 发布页公共脚本：分页条、浏览次数
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
    if (_nPageCount == null || _nPageCount <= 1) {
        return;
    }
    var nCurrIndex = _nCurrIndex || 0;
    function pageOf(n) {
        return n == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + n + "." + _sPageExt;
    }
    document.write("<span class=\\"total\\">共" + _nPageCount + "页</span>");
    if (nCurrIndex == 0) {
        document.write("<span class=\\"disabled\\">首页</span><span class=\\"disabled\\">上一页</span>");
    } else {
        document.write("<a href=\\"" + pageOf(0) + "\\">首页</a><a href=\\"" + pageOf(nCurrIndex - 1) + "\\">上一页</a>");
    }
    for (var i = 0; i < _nPageCount; i++) {
        if (i == nCurrIndex) {
            document.write("<span class=\\"current\\">" + (i + 1) + "</span>");
        } else {
            document.write("<a href=\\"" + pageOf(i) + "\\">" + (i + 1) + "</a>");
        }
    }
    if (nCurrIndex == _nPageCount - 1) {
        document.write("<span class=\\"disabled\\">下一页</span><span class=\\"disabled\\">尾页</span>");
    } else {
        document.write("<a href=\\"" + pageOf(nCurrIndex + 1) + "\\">下一页</a><a href=\\"" + pageOf(_nPageCount - 1) + "\\">尾页</a>");
    }
}
function getDocHits(docId) {
    var n = 0;
    for (var i = 0; i < docId.length; i++) { n = (n * 31 + docId.charCodeAt(i)) % 9000; }
    return 100 + n;
}
function doZoom(size) {
    var zoom = document.getElementById("zoom");
    if (zoom) { zoom.style.fontSize = size + "px"; }
}
"""

# The same function defined in the page itself, as the article templates of many TRS sites do.
PAGE_FUNC = """<script language="JavaScript" type="text/javascript">
<!--
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){
    return;
  }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0){
    document.write("<span>上一页</span>&nbsp;<span>1</span>");
  } else {
    var sPrev = (nCurrIndex - 1) == 0 ? "" : ("_" + (nCurrIndex - 1));
    document.write("<a href=\\"" + _sPageName + sPrev + "." + _sPageExt + "\\">上一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">1</a>");
  }
  for(var i = 1; i < _nPageCount; i++){
    if(nCurrIndex == i){
      document.write("&nbsp;<span>" + (i + 1) + "</span>");
    } else {
      document.write("&nbsp;<a href=\\"" + _sPageName + "_" + i + "." + _sPageExt + "\\">" + (i + 1) + "</a>");
    }
  }
  if(nCurrIndex == (_nPageCount - 1)){
    document.write("&nbsp;<span>下一页</span>");
  } else {
    document.write("&nbsp;<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>");
  }
}
//-->
</script>"""

# The older pager many TRS list templates still carry: variables, then document.write of links.
INLINE_PAGER = """<script language="JavaScript" type="text/javascript">
var currentPage = @CURRENT@;//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = @COUNT@//共多少页
document.write("共" + countPage + "页&nbsp;&nbsp;");
//首页、上一页
if(countPage>1&&currentPage!=0&&currentPage!=1)
    document.write("<a href=\\"index.html\\">首页</a>&nbsp;<a href=\\"index"+"_" + prevPage + "."+"html\\">上一页</a>&nbsp;");
else if(countPage>1&&currentPage!=0&&currentPage==1)
    document.write("<a href=\\"index.html\\">首页</a>&nbsp;<a href=\\"index.html\\">上一页</a>&nbsp;");
else
    document.write("首页&nbsp;上一页&nbsp;");
//页码
for(var i=0;i<countPage;i++){
    if(currentPage==i)
        document.write("<span class=\\"cur\\">"+(i+1)+"</span>&nbsp;");
    else if(i==0)
        document.write("<a href=\\"index.html\\">"+(i+1)+"</a>&nbsp;");
    else
        document.write("<a href=\\"index_"+i+"."+"html\\">"+(i+1)+"</a>&nbsp;");
}
//下一页、尾页
if(countPage>1&&currentPage!=(countPage-1))
    document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>&nbsp;<a href=\\"index_" + (countPage-1) + ".html\\">尾页</a>");
else
    document.write("下一页&nbsp;尾页");
</script>"""
