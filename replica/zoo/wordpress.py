"""WordPress (a Chinese-localised theme) sister site: 攀枝花市总工会, UTF-8 throughout.

What it is written from (no page text copied): WordPress core's own markup as its templates and
template tags write it (the_posts_pagination's `<nav class="navigation pagination">` with
`page-numbers`/`current`/`next page-numbers`, posts_nav_link/next_posts_link for older themes,
wp_link_pages' `<div class="page-links">` with `post-page-numbers` for posts split by
<!--nextpage--> at /<permalink>/2/, twentyseventeen-style `entry-header`/`entry-meta` with
`<time class="entry-date published">` and `<time class="updated">`, `cat-links`/`tags-links`,
post-navigation with `nav-previous`/`nav-next`, rel=canonical on singular pages, the
comments-area and comment-respond form, widgets `widget_recent_entries` with `post-date` and
`widget_archive` by month, Gutenberg `wp-block-image`/`figcaption` and classic `wp-caption`
images under /wp-content/uploads/YYYY/MM/, wp_old_slug_redirect's 301 for a renamed post, the
default robots.txt rules), WP-PostViews' script-written view counts, Download Monitor's
/download/<id>/ links, and scrapers of WordPress news sites that walk /category/<slug>/page/N/.

Layout:
    /category/ghyw/, /category/ghyw/page/2/ …   工会要闻 (pagination nav: numbers and 下一页)
    /category/jcdt/, /category/jcdt/page/2/ …   基层动态 (numbers only, no next link)
    /category/tzgg/, /category/tzgg/page/2/ …   通知公告 (older theme: « 较早的文章 link)
    /2023/01/18/post-123/, …/post-123/2/        posts and the further pages of a split post
    /2023/01/, /tag/<slug>/, /feed/             month and tag archives, the RSS feed
    /wp-content/uploads/2023/01/….jpg|pdf|docx  uploads; /download/<id>/ Download Monitor links

Awkward cases: a renamed post listed under its old slug and 301-redirected (wp_old_slug_redirect);
a deleted post (404) and a database error (500); other hosts in the footer and widgets; robots.txt
disallowing /wp-admin/ and /members/ with a members-only list item; the same post linked from the
home page with ?from=home (every post carries rel=canonical); a post over three pages; a notice
listed straight to its PDF; `time.updated` later than the publication date; comment times under
the post; the visible date shows no time although the datetime attribute has one.
(/?p=123 links are not used: the replica server routes by path and would answer the home page.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .. import assets, text
from ..model import OFFSITE, ORIGIN
from . import common
from .base import Writer, ZooSite, generated
from .common import (CN, CN0, DASH, MINUTES, SECONDS, SLASH, PieceArticle, around, before_contact, body_pieces,
                     by_column, esc, id_finder, nth, number_by_time, paginate, plan_by_column, split_even)

FAMILY = "wordpress"
NAME = "攀枝花市总工会"
THEME = "/wp-content/themes/pzhgh"

# how the visible date is written: (strftime-like, shows)
DATE_STYLES = (CN, SECONDS, MINUTES, CN0, SLASH, DASH)
DATE_LABELS = ("", "发布时间：", "日期：", "发布日期：", "时间：")
SOURCE_LABELS = ("来源：", "文章来源：", "来源:", "信息来源：", "稿件来源：")
SOURCES = ("攀枝花市总工会", "攀枝花日报", "市总工会宣教部", "四川工人日报", "东区总工会", "攀钢集团工会")
TAGS = (("zgzj", "职工之家"), ("ldjs", "劳动竞赛"), ("swn", "送温暖"), ("ghgb", "工会干部"))


@dataclass(frozen=True)
class Col:
    slug: str
    name: str
    kind: str
    pager: str  # nav (numbers + 下一页), numbers, older
    count: int
    per_page: int

    def list_path(self, n: int) -> str:
        return f"/category/{self.slug}/" if n == 1 else f"/category/{self.slug}/page/{n}/"


COLUMNS = (Col("ghyw", "工会要闻", "news", "nav", 10, 4),
           Col("jcdt", "基层动态", "grassroots", "numbers", 9, 4),
           Col("tzgg", "通知公告", "notice", "older", 8, 3))


@dataclass
class Piece(common.Piece):
    """One block of a body: p, strong, img (with its caption in `text`), att, edit."""

    figure: str = ""  # gutenberg or classic (images)


@dataclass
class Art(PieceArticle):
    updated: datetime = field(kw_only=True)
    tags: list[tuple[str, str]] = field(default_factory=list)
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{self.when:%Y/%m/%d}/post-{self.id}/"

    def page_path(self, n: int) -> str:
        return self.path if n == 1 else f"{self.path}{n}/"


def iso(d: datetime) -> str:
    return f"{d:%Y-%m-%dT%H:%M:%S}+08:00"


# ---------------------------------------------------------------- planning

def _plan(rng: random.Random) -> list[Art]:
    arts = plan_by_column(rng, COLUMNS, _article)
    number_by_time(arts, rng, rng.randint(300, 900), 4, 4)  # attachments and revisions take ids too
    for art in arts:
        _media(rng, art)
    return arts


def _article(rng: random.Random, col: Col, when: datetime, i: int) -> Art:
    made = generated(rng, col.kind, when)
    paragraphs = body_pieces(made, NAME, Piece)
    has_source = i % 4 != 0
    editor = text.person(rng) if i % 3 == 0 else None
    art = Art(col=col, id=0, when=when, title=made.title, pages=[paragraphs],
              style=nth(DATE_STYLES, i), date_label=nth(DATE_LABELS, i // 2),
              source_label=nth(SOURCE_LABELS, i),
              source=nth(SOURCES, i * 7) if has_source else None,
              author=text.person(rng) if i % 3 == 1 else None,
              editor=editor, editor_in_body=bool(editor) and i % 2 == 1,
              updated=when + timedelta(days=rng.randint(0, 40), hours=rng.randint(1, 9)),
              tags=rng.sample(TAGS, rng.randint(0, 2)))
    if art.editor_in_body:
        paragraphs.append(Piece("edit", f"（编辑：{editor}）"))
    if i % 4 == 1:
        art.comments = [(rng.choice(("网友", "一线职工", text.person(rng))),
                         when + timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 900)),
                         rng.choice(("为工会点赞！", "活动很有意义，希望多组织。", "感谢工会的关心关爱。")))]
    return art


def _upload(art: Art, name: str) -> str:
    return f"/wp-content/uploads/{art.when:%Y/%m}/{name}"


def _media(rng: random.Random, art: Art) -> None:
    body = art.pages[0]
    if art.col.kind != "notice" and art.id % 3 != 0:
        for n in range(1, rng.randint(1, 2) + 1):
            url = _upload(art, f"IMG_{art.when:%Y%m%d}_{art.id}{n}.jpg")
            at = rng.randint(1, max(1, len(body) - 1))
            caption = f"{rng.choice(text.ACTIVITIES)}活动现场" if rng.random() < 0.6 else ""
            href = url if n == 1 else ORIGIN + url
            body[at:at] = [Piece("img", caption, href, url, figure=("gutenberg", "classic")[(art.id + n) % 2])]
    if art.col.kind == "notice":
        names = [f"{art.when.year}年{rng.choice(text.TRAININGS)}报名表.docx",
                 f"{rng.choice(text.THINGS)}实施方案.pdf".replace("“", "").replace("”", "")]
        if art.id % 2 == 1:  # classic editor: a paragraph with the file link inside the text
            at = before_contact(body)
            url = _upload(art, f"{art.when:%Y%m%d}{art.id}.docx")
            body.insert(at, Piece("att", names[0], url, url, "附件："))
        else:  # the 相关附件 block below the post, through Download Monitor
            for n, name in enumerate(names):
                url = f"/download/{art.id * 10 + n}/"
                art.block_atts.append(Piece("att", name, url, url))


# ---------------------------------------------------------------- chrome

def _head(title: str, body_class: str, canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{ORIGIN}{canonical}" />\n' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="zh-Hans" class="no-js no-svg">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name='robots' content='max-image-preview:large' />
<link rel="alternate" type="application/rss+xml" title="{NAME} &raquo; Feed" href="{ORIGIN}/feed/" />
<link rel='stylesheet' id='wp-block-library-css' href='{ORIGIN}/wp-includes/css/dist/block-library/style.min.css?ver=6.1.1' media='all' />
<link rel='stylesheet' id='pzhgh-style-css' href='{ORIGIN}{THEME}/style.css?ver=1.2' media='all' />
<script src='{ORIGIN}/wp-includes/js/jquery/jquery.min.js?ver=3.6.1' id='jquery-core-js'></script>
{link}<meta name="generator" content="WordPress 6.1.1" />
</head>
<body class="{body_class}">
<div id="page" class="site">
<header id="masthead" class="site-header">
  <div class="site-branding"><a href="{ORIGIN}/" class="custom-logo-link" rel="home"><img src="{ORIGIN}{THEME}/images/logo.jpg" class="custom-logo" alt="{NAME}" /></a>
    <p class="site-title"><a href="{ORIGIN}/" rel="home">{NAME}</a></p><p class="site-description">职工之家 · 服务职工</p></div>
  <nav id="site-navigation" class="main-navigation" aria-label="顶部菜单"><ul id="top-menu" class="menu">
    <li class="menu-item menu-item-home"><a href="{ORIGIN}/">首页</a></li>
{"".join(f'    <li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{ORIGIN}{c.list_path(1)}">{c.name}</a></li>{chr(10)}' for c in COLUMNS)}    <li class="menu-item"><a href="{OFFSITE}/wsfw/">网上服务</a></li>
  </ul></nav>
</header>
<div class="site-content-contain"><div id="content" class="site-content wrap">
"""


def _sidebar(arts: list[Art]) -> str:
    recent = sorted(arts, key=lambda a: a.when, reverse=True)[:5]
    months = sorted({(a.when.year, a.when.month) for a in arts}, reverse=True)[:8]
    rows = "\n".join(f'<li><a href="{ORIGIN}{a.path}">{esc(a.title)}</a><span class="post-date">{a.when.year}年{a.when.month}月{a.when.day}日</span></li>'
                     for a in recent)
    archive = "\n".join(f"<li><a href='{ORIGIN}/{y}/{m:02d}/'>{y}年{m}月</a></li>" for y, m in months)
    cats = "\n".join(f'<li class="cat-item"><a href="{ORIGIN}{c.list_path(1)}">{c.name}</a></li>' for c in COLUMNS)
    return f"""<aside id="secondary" class="widget-area" aria-label="博客边栏">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{ORIGIN}/"><label><span class="screen-reader-text">搜索：</span><input type="search" class="search-field" placeholder="搜索&hellip;" value="" name="s" /></label><button type="submit" class="search-submit">搜索</button></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">近期文章</h2><nav aria-label="近期文章"><ul>
{rows}
</ul></nav></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">归档</h2><nav aria-label="归档"><ul>
{archive}
</ul></nav></section>
<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">分类</h2><nav aria-label="分类"><ul>
{cats}
</ul></nav></section>
<section id="custom_html-2" class="widget_text widget widget_custom_html"><h2 class="widget-title">友情链接</h2><div class="textwidget custom-html-widget"><ul><li><a href="{OFFSITE}/" target="_blank" rel="noopener">四川省总工会</a></li><li><a href="{OFFSITE}/acftu/" target="_blank" rel="noopener">中华全国总工会</a></li></ul></div></section>
</aside>
"""


def _footer() -> str:
    return f"""</div></div>
<footer id="colophon" class="site-footer">
  <div class="site-info">
    <p>版权所有 &copy; {NAME} &nbsp; 地址：四川省攀枝花市东区炳草岗大街 &nbsp; 电话：0812-3331234</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">蜀ICP备16001234号-2</a> &nbsp; 技术支持：攀枝花市网络信息中心 &nbsp; <a href="{OFFSITE}/wordpress/" class="imprint">自豪地采用WordPress</a></p>
    <p>今日访问：<span id="site-visits"></span><script>jQuery.get("{ORIGIN}/wp-admin/admin-ajax.php?action=site_visits",function(n){{jQuery("#site-visits").text(n);}});</script></p>
  </div>
</footer>
</div>
</body>
</html>
"""


def _crumb(col: Col | None, tail: str = "") -> str:
    parts = [f'<a href="{ORIGIN}/">首页</a>']
    if col:
        parts.append(f'<a href="{ORIGIN}{col.list_path(1)}">{col.name}</a>' if tail else f'<span class="breadcrumb_last">{col.name}</span>')
    if tail:
        parts.append(f'<span class="breadcrumb_last" aria-current="page">{esc(tail)}</span>')
    return f'<div class="breadcrumbs" typeof="BreadcrumbList">当前位置：{" &gt; ".join(parts)}</div>'


# ---------------------------------------------------------------- list pages

@dataclass
class Entry:
    title: str
    href: str
    when: datetime
    excerpt: str = ""
    cls: str = "post"


def _excerpts(rows: list[Entry]) -> str:
    out = []
    for k, e in enumerate(rows):
        out.append(f"""<article id="post-{k}" class="{e.cls} type-post status-publish format-standard hentry">
  <header class="entry-header">
    <div class="entry-meta"><span class="screen-reader-text">发布于</span> <a href="{esc(e.href)}" rel="bookmark"><time class="entry-date published" datetime="{iso(e.when)}">{e.when.year}年{e.when.month}月{e.when.day}日</time></a></div>
    <h2 class="entry-title"><a href="{esc(e.href)}" rel="bookmark">{esc(e.title)}</a></h2>
  </header>
  <div class="entry-summary"><p>{esc(e.excerpt[:80])}&hellip; <a href="{esc(e.href)}" class="more-link">继续阅读<span class="screen-reader-text">{esc(e.title)}</span></a></p></div>
</article>""")
    return "\n".join(out)


def _pager(col: Col, n: int, total: int) -> str:
    def url(k: int) -> str:
        return ORIGIN + col.list_path(k)

    if col.pager == "older":
        older = f'<div class="nav-previous"><a href="{url(n + 1)}" >&laquo; 较早的文章</a></div>' if n < total else ""
        newer = f'<div class="nav-next"><a href="{url(n - 1)}" >较新的文章 &raquo;</a></div>' if n > 1 else ""
        return f'<nav class="navigation posts-navigation" aria-label="文章"><h2 class="screen-reader-text">文章导航</h2><div class="nav-links">{older}{newer}</div></nav>'
    links = []
    if col.pager == "nav" and n > 1:
        links.append(f'<a class="prev page-numbers" href="{url(n - 1)}">上一页</a>')
    for k in range(1, total + 1):
        links.append(f'<span aria-current="page" class="page-numbers current">{k}</span>' if k == n
                     else f'<a class="page-numbers" href="{url(k)}">{k}</a>')
    if col.pager == "nav" and n < total:
        links.append(f'<a class="next page-numbers" href="{url(n + 1)}">下一页</a>')
    return ('<nav class="navigation pagination" aria-label="文章分页"><h2 class="screen-reader-text">文章分页</h2>'
            f'<div class="nav-links">{chr(10).join(links)}</div></nav>')


def _archive_page(heading: str, col: Col | None, rows: list[Entry], pager: str, arts: list[Art], body_class: str) -> str:
    return (_head(f"{heading} &#8211; {NAME}", body_class) +
            f'<div id="primary" class="content-area"><main id="main" class="site-main">\n{_crumb(col)}\n'
            f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>\n{_excerpts(rows)}\n{pager}\n</main></div>\n'
            + _sidebar(arts) + _footer())


# ---------------------------------------------------------------- post pages

def _piece(p: Piece) -> str:
    if p.kind == "p":
        return f"<p>{esc(p.text)}</p>"
    if p.kind == "strong":
        return f"<p><strong>{esc(p.text)}</strong></p>"
    if p.kind == "img":
        wid = sum(map(ord, p.url)) % 900 + 100
        if p.figure == "gutenberg":
            cap = f'<figcaption class="wp-element-caption">{esc(p.text)}</figcaption>' if p.text else ""
            return f'<figure class="wp-block-image size-large"><img decoding="async" src="{p.href}" alt="" class="wp-image-{wid}"/>{cap}</figure>'
        if p.text:
            return (f'<div id="attachment_{wid}" style="width: 610px" class="wp-caption aligncenter"><img aria-describedby="caption-attachment-{wid}" '
                    f'class="size-full wp-image-{wid}" src="{p.href}" alt="" width="600" height="400" />'
                    f'<p id="caption-attachment-{wid}" class="wp-caption-text">{esc(p.text)}</p></div>')
        return f'<p><img class="aligncenter size-full wp-image-{wid}" src="{p.href}" alt="" width="600" height="400" /></p>'
    if p.kind == "att":
        return f'<p>{p.prefix}<a href="{p.href}">{esc(p.text)}</a></p>'
    return f'<p style="text-align: right;">{esc(p.text)}</p>'


def _post_page(art: Art, n: int, prev: Art | None, nxt: Art | None, related: list[Art], arts: list[Art]) -> str:
    total = len(art.pages)
    body = "\n".join(_piece(p) for p in art.pages[n - 1])
    page_links = ""
    if total > 1:
        nums = " ".join(f'<span class="post-page-numbers current" aria-current="page">{k}</span>' if k == n
                        else f'<a href="{ORIGIN}{art.page_path(k)}" class="post-page-numbers">{k}</a>' for k in range(1, total + 1))
        page_links = f'\n<div class="page-links">页面： {nums}</div>'
    date = (f'<span class="posted-on">{art.date_label}<a href="{ORIGIN}{art.path}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{iso(art.when)}">{art.date_text()}</time>'
            f'<time class="updated" datetime="{iso(art.updated)}">{art.updated.year}年{art.updated.month}月{art.updated.day}日</time></a></span>')
    meta = [date]
    if art.author:
        meta.append(f'<span class="byline">作者：<span class="author vcard">{esc(art.author)}</span></span>')
    if art.source:
        meta.append(f'<span class="source">{art.source_label}{esc(art.source)}</span>')
    meta.append(f'<span class="views">浏览次数：<span id="post-views-{art.id}">-</span></span>'
                f'<script>jQuery.get("{ORIGIN}/wp-admin/admin-ajax.php?postviews_id={art.id}&action=postviews",'
                f'function(n){{jQuery("#post-views-{art.id}").text(n);}});</script>')
    atts = ""
    if art.block_atts:
        rows = "\n".join(f'<li><a class="download-link" href="{ORIGIN}{p.href}" rel="nofollow">{esc(p.text)}</a></li>' for p in art.block_atts)
        atts = f'<div class="post-attachments"><h3>相关附件：</h3><ul>\n{rows}\n</ul></div>\n'
    editor = f'<p class="post-editor">责任编辑：{esc(art.editor)}</p>\n' if art.editor and not art.editor_in_body else ""
    cats = f'<span class="cat-links">分类：<a href="{ORIGIN}{art.col.list_path(1)}" rel="category tag">{art.col.name}</a></span>'
    tags = ("<span class=\"tags-links\">标签：" + "，".join(f'<a href="{ORIGIN}/tag/{slug}/" rel="tag">{name}</a>' for slug, name in art.tags)
            + "</span>") if art.tags else ""

    def near(cls: str, label: str, a: Art | None, rel: str) -> str:
        return (f'<div class="{cls}"><a href="{ORIGIN}{a.path}" rel="{rel}"><span class="meta-nav">{label}</span> '
                f'<span class="post-title">{esc(a.title)}</span></a></div>') if a else ""

    rel_rows = "\n".join(f'<li><a href="{ORIGIN}{a.path}">{esc(a.title)}</a> <small>{a.when:%Y-%m-%d}</small></li>' for a in related)
    comments = ""
    if art.comments:
        items = "\n".join(f"""<li id="comment-{art.id * 3 + k}" class="comment even thread-even depth-1">
  <article id="div-comment-{art.id * 3 + k}" class="comment-body">
    <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{esc(who)}</b> <span class="says">说：</span></div>
    <div class="comment-metadata"><a href="{ORIGIN}{art.path}#comment-{art.id * 3 + k}"><time datetime="{iso(at)}">{at.year}年{at.month}月{at.day}日 {at:%H:%M}</time></a></div></footer>
    <div class="comment-content"><p>{esc(said)}</p></div>
  </article>
</li>""" for k, (who, at, said) in enumerate(art.comments))
        comments = f'<h2 class="comments-title">《{esc(art.title)}》有{len(art.comments)}条评论</h2>\n<ol class="comment-list">\n{items}\n</ol>\n'
    return (_head(f"{art.title} &#8211; {NAME}", f"post-template-default single single-post postid-{art.id} single-format-standard",
                  art.page_path(n)) + f"""<div id="primary" class="content-area"><main id="main" class="site-main">
{_crumb(art.col, art.title)}
<article id="post-{art.id}" class="post-{art.id} post type-post status-publish format-standard hentry category-{art.col.slug}{"".join(f" tag-{s}" for s, _ in art.tags)}">
  <header class="entry-header">
    <h1 class="entry-title">{esc(art.title)}</h1>
    <div class="entry-meta">{" ".join(meta)}</div>
  </header>
  <div class="entry-content">
{body}{page_links}
  </div>
{atts}{editor}  <div class="post-tools"><span class="share">分享到：<a href="javascript:void(0)" class="share-weixin" title="分享到微信">微信</a> <a href="javascript:void(0)" onclick="window.open('https://service.weibo.com/share/share.php?url='+encodeURIComponent(location.href))" class="share-weibo">微博</a></span>
    <a href="javascript:window.print();" class="print">打印</a> <a href="javascript:window.close();" class="close">关闭</a></div>
  <footer class="entry-footer">{cats}{tags}</footer>
</article>
<nav class="navigation post-navigation" aria-label="文章"><h2 class="screen-reader-text">文章导航</h2><div class="nav-links">{near("nav-previous", "上一篇", prev, "prev")}{near("nav-next", "下一篇", nxt, "next")}</div></nav>
<div class="related-posts"><h3>相关文章</h3><ul>
{rel_rows}
</ul></div>
<div id="comments" class="comments-area">
{comments}<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">发表回复</h3>
<form action="{ORIGIN}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">您的电子邮箱地址不会被公开。</p>
<p class="comment-form-comment"><label for="comment">评论</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="发表评论" /><input type="hidden" name="comment_post_ID" value="{art.id}" id="comment_post_ID" /></p></form>
</div></div>
</main></div>
""" + _sidebar(arts) + _footer())


# ---------------------------------------------------------------- writing

def build(out_dir: Path, seed: int = 0) -> ZooSite:
    rng = random.Random(f"{FAMILY}-{seed}")
    arts = _plan(rng)
    by_col = by_column(arts, COLUMNS, "slug")
    news, grass, notices = by_col["ghyw"], by_col["jcdt"], by_col["tzgg"]
    long = max(news[2:7], key=lambda a: len(a.pages[0]))
    long.pages = split_even(long.pages[0], 3)
    free = id_finder({a.id for a in arts})

    w = Writer(out_dir, FAMILY, NAME)

    def entry(a: Art) -> Entry:
        return Entry(a.title, ORIGIN + a.path, a.when, a.pages[0][0].text,
                     f"post-{a.id} post category-{a.col.slug}")

    entries = {c.slug: [entry(a) for a in by_col[c.slug]] for c in COLUMNS}
    renamed = grass[2]
    old = f"/{renamed.when:%Y/%m/%d}/{renamed.when:%Y%m%d}-{renamed.id}-2/"
    entries["jcdt"][2].href = ORIGIN + old
    w.redirect(old, renamed.path)
    gone = news[3].when - timedelta(hours=5)
    gone_path = f"/{gone:%Y/%m/%d}/post-{free(news[3].id + 1)}/"
    entries["ghyw"].insert(4, Entry(text.title_for("news", rng, gone.year), ORIGIN + gone_path, gone, "该文章已删除。"))
    w.broken_link(gone_path)
    failing = grass[5].when - timedelta(hours=2)
    failing_path = f"/{failing:%Y/%m/%d}/post-{free(grass[5].id + 1)}/"
    entries["jcdt"].insert(6, Entry(text.title_for("grassroots", rng, failing.year), ORIGIN + failing_path, failing, "……"))
    w.broken_link(failing_path, 500)
    member = notices[2].when - timedelta(hours=1)
    member_path = f"/members/{member:%Y/%m}/hyfl-{free(notices[2].id + 1)}/"
    entries["tzgg"].insert(3, Entry(f"关于{member.year}年度会员普惠福利领取的通知（会员专区）", ORIGIN + member_path, member, "本文仅限会员阅读。"))
    w.not_followed.append(member_path)
    pdf_when = notices[4].when - timedelta(hours=2)
    pdf_path = f"/wp-content/uploads/{pdf_when:%Y/%m}/{pdf_when:%Y%m%d}tongbao.pdf"
    entries["tzgg"].insert(5, Entry(f"关于{pdf_when.year}年度全市职工职业技能大赛获奖情况的通报", ORIGIN + pdf_path, pdf_when, "PDF"))
    w.listed_file(pdf_path, assets.pdf("Panzhihua union notice"))

    for col in COLUMNS:
        rows = entries[col.slug]
        chunks = paginate(rows, col.per_page)
        for n, chunk in enumerate(chunks, start=1):
            w.page(col.list_path(n), _archive_page(f"分类：{col.name}", col, chunk, _pager(col, n, len(chunks)), arts,
                                                   f"archive category category-{col.slug}"))
        w.start_paths.append(col.list_path(1))

    ordered = sorted(arts, key=lambda a: a.when)
    for col in COLUMNS:
        mine = by_col[col.slug]
        for art in mine:
            k = ordered.index(art)  # WordPress links neighbours by date across the whole site
            prev, nxt = around(ordered, k)
            related = [a for a in mine if a is not art][:4]
            for n in range(1, len(art.pages) + 1):
                w.page(art.page_path(n), _post_page(art, n, prev, nxt, related, arts))
            art.write_media(w, lambda url: "application/octet-stream")
            w.article(art.zoo())

    for y, m in sorted({(a.when.year, a.when.month) for a in arts}):
        rows = [entry(a) for a in sorted(arts, key=lambda a: a.when, reverse=True) if (a.when.year, a.when.month) == (y, m)]
        w.page(f"/{y}/{m:02d}/", _archive_page(f"月份：{y}年{m}月", None, rows, "", arts, "archive date"))
    for slug, name in TAGS:
        rows = [entry(a) for a in sorted(arts, key=lambda a: a.when, reverse=True) if (slug, name) in a.tags]
        w.page(f"/tag/{slug}/", _archive_page(f"标签：{name}", None, rows, "", arts, f"archive tag tag-{slug}"))

    featured = news[0]
    home_rows = [Entry(featured.title, f"{ORIGIN}{featured.path}?from=home", featured.when, featured.pages[0][0].text)]
    home_rows += [entry(a) for a in sorted(arts, key=lambda a: a.when, reverse=True)[1:8]]
    w.page("/", _head(NAME, "home blog") + f'<div id="primary" class="content-area"><main id="main" class="site-main">\n'
           f'{_excerpts(home_rows)}\n</main></div>\n' + _sidebar(arts) + _footer())
    items = "\n".join(f"<item><title>{esc(a.title)}</title><link>{ORIGIN}{a.path}</link>"
                      f"<pubDate>{a.when:%a, %d %b %Y %H:%M:%S} +0800</pubDate><category><![CDATA[{a.col.name}]]></category></item>"
                      for a in sorted(arts, key=lambda a: a.when, reverse=True)[:10])
    w.page("/feed/", f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{NAME}</title>'
           f"<link>{ORIGIN}</link><language>zh-Hans</language>\n{items}\n</channel></rss>\n",
           content_type="application/rss+xml; charset=UTF-8")
    w.robots("/wp-admin/", "Allow: /wp-admin/admin-ajax.php", "/members/")
    w.page(f"{THEME}/style.css", "body{margin:0;font:15px/1.8 -apple-system,'PingFang SC','Microsoft YaHei'}\n")
    w.page("/wp-includes/css/dist/block-library/style.min.css", ".wp-block-image{margin:0 0 1em}\n")
    w.page("/wp-includes/js/jquery/jquery.min.js", "/*! jQuery */\n")
    w.page(f"{THEME}/images/logo.jpg", assets.JPEG)
    w.page("/wp-admin/admin-ajax.php", "1", content_type="text/plain; charset=UTF-8")
    w.not_followed.extend([OFFSITE + "/", OFFSITE + "/acftu/", OFFSITE + "/wsfw/", OFFSITE + "/wordpress/"])
    return w.finish()
