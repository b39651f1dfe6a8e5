"""Failure classes of generic extraction, one general rule each, with cases in the markup of
several CMS families (TRS, Hanweb JCMS, DedeCMS, PHPCMS, 博达 VSB, WordPress-style).

None of these templates is known to the parser (no profile selector matches), so every field
comes from the generic rules. Each case is a small page as that family writes it; the rule under
test is named in the test's docstring and in the record's `explain`.
"""

from __future__ import annotations

import pytest

from crawler.parse import NotAnArticle, parse_article
from crawler.profiles import Profile

URL = "http://example.org/gzdt/2023/0203/1001.html"
TITLE = "市总工会召开2023年工作会议"
PARAS = [
    "2月3日上午，市总工会召开2023年工作会议，总结2022年工作，部署今年重点任务。",
    "会议指出，过去一年全市各级工会组织围绕中心、服务大局，职工权益保障水平不断提升。",
    "会议要求，要深化产业工人队伍建设改革，持续开展劳动和技能竞赛，把职工群众团结在党的周围。",
]
BODY = "\n".join(PARAS)
PS = "".join(f"<p>{p}</p>" for p in PARAS)


def page(body: str, head: str = "", title: str = TITLE) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}_某市总工会</title>{head}</head><body>'
            '<div class="top"><div class="logo">某市总工会</div></div>'
            f"{body}<div class='foot'>版权所有 某市总工会</div></body></html>")


def parse(html: str, url: str = URL) -> dict:
    return parse_article(html, url)


# ---------------------------------------------------------------- the headline holds the meta line

HEADLINE_HOLDS_META = {
    "phpcms h1 with a span": (
        f'<div id="Article"><h1>{TITLE}<br/><span>2023-02-03 09:15:00&nbsp;&nbsp;&nbsp;来源：市总工会&nbsp;&nbsp;'
        f'评论：<a href="#comment">0</a> 点击：</span></h1><div class="content">{PS}</div></div>'),
    "vsb title div with h3 and i": (
        f'<form name="_newscontent_fromname"><div class="content-title"><h3>{TITLE}</h3>'
        f'<i>发布时间：2023-02-03 09:15&nbsp;&nbsp;来源：市总工会&nbsp;&nbsp;点击：</i></div>'
        f'<div id="vsb_content"><div class="v_news_content">{PS}</div></div></form>'),
    "hanweb title cell with a br": (
        f'<table width="100%"><tr><td class="title">{TITLE}<br/>发布日期：2023-02-03 09:15 信息来源：市总工会 '
        f'浏览次数：</td></tr><tr><td id="zoom">{PS}</td></tr></table>'),
    "trs title div with a span": (
        f'<div class="xl_main"><div class="xl_title">{TITLE}<span class="xl_info">2023-02-03 09:15 来源：市总工会</span>'
        f'</div><div class="TRS_Editor">{PS}</div></div>'),
}


@pytest.mark.parametrize("markup", HEADLINE_HOLDS_META.values(), ids=HEADLINE_HOLDS_META.keys())
def test_headline_element_that_also_holds_the_meta_line(markup: str) -> None:
    """Rule: the headline is the heading's own first line; the rest of the element is meta line."""
    record = parse(page(markup))
    assert (record["title"], record["published_at"], record["source"]) == (
        TITLE, "2023-02-03T09:15:00+08:00", "市总工会")
    assert record["body"] == BODY


# ---------------------------------------------------------------- date and 来源 away from the headline

WHERE_DATE_IS = {
    "hanweb meta tags only": (
        '<meta name="PubDate" content="2023-02-03 09:15"><meta name="ContentSource" content="市总工会">',
        f'<div class="article"><h1>{TITLE}</h1><div class="bt_info"></div><div id="zoom">{PS}</div></div>',
        "2023-02-03T09:15:00+08:00", "市总工会"),
    "open graph published_time": (
        '<meta property="article:published_time" content="2023-02-03T09:15:00+08:00">',
        f'<article><h1 class="entry-title">{TITLE}</h1><div class="entry-content">{PS}</div></article>',
        "2023-02-03T09:15:00+08:00", None),
    "labelled line under the body": (
        "",
        f'<div class="detail"><h2>{TITLE}</h2><div class="con">{PS}</div>'
        '<div class="xx"><span>发布时间：2023-02-03 09:15</span> <span>来源：市总工会</span></div></div>',
        "2023-02-03T09:15:00+08:00", "市总工会"),
    "source line under the body": (
        "",
        f'<div class="detail"><h2>{TITLE}</h2><div class="time">2023-02-03 09:15</div><div class="con">{PS}</div>'
        '<p class="ly">（来源：市总工会）</p></div>',
        "2023-02-03T09:15:00+08:00", "市总工会"),
    "span beside the byline under the body": (
        "",
        f'<div class="detail"><h2>{TITLE}</h2><div class="con">{PS}</div>'
        '<div class="byline"><span>记者 张晓明</span><span>2023-02-03 09:15</span></div></div>',
        "2023-02-03T09:15:00+08:00", None),
}


@pytest.mark.parametrize("head, markup, published_at, source", WHERE_DATE_IS.values(), ids=WHERE_DATE_IS.keys())
def test_date_and_source_away_from_the_headline(head: str, markup: str, published_at: str, source: str | None) -> None:
    """Rule: printed meta line first; then a date/来源 labelled (or beside a byline) under the
    body; then the page's meta tags (PubDate, article:published_time, ContentSource)."""
    record = parse(page(markup, head))
    assert (record["published_at"], record["source"]) == (published_at, source)
    assert record["body"] == BODY


def test_printed_values_win_over_meta_tags() -> None:
    head = '<meta name="PubDate" content="2022-04-24 10:00:43"><meta name="ContentSource" content="网站管理员">'
    markup = (f'<div class="article"><h1>{TITLE}</h1><div class="info">发布日期：2023-02-03 来源：市总工会</div>'
              f'<div id="zoom">{PS}</div></div>')
    record = parse(page(markup, head))
    assert (record["published_at"], record["source"]) == ("2023-02-03", "市总工会")


def test_meta_source_is_no_source_when_the_page_prints_the_unit_under_another_label() -> None:
    """政务公开 pages print 发布机构/责任部门 in a table; the CMS copies it into ContentSource."""
    head = '<meta name="ContentSource" content="某市统计局">'
    markup = (f'<table class="xxgk"><tr><td>发布机构：某市统计局</td><td>发文日期：2023-02-03</td></tr></table>'
              f'<div class="article"><h1>{TITLE}</h1><div id="zoom">{PS}</div></div>')
    record = parse(page(markup, head))
    assert (record["published_at"], record["source"]) == ("2023-02-03", None)


WORDPRESS = (f'<article class="post"><header class="entry-header"><h1 class="entry-title">{TITLE}</h1>'
             '<div class="entry-meta"><span class="posted-on">发布于 <a href="/p/1/" rel="bookmark">'
             '<time class="entry-date published" datetime="2023-02-03T09:15:00+08:00">2023-02-03 09:15</time>'
             '<time class="updated" datetime="2023-12-30T21:14:07+08:00">2023年12月30日</time></a></span>'
             '<span class="byline"> 作者：<span class="author vcard"><a href="/author/u1/">张晓明</a></span></span></div>'
             f'</header><div class="entry-content"><p>来源：新华社/工人日报</p>{PS}</div></article>')


def test_wordpress_date_on_its_permalink_and_a_source_line_on_top() -> None:
    """Rule: a <time> in the permalink is the article's own date (other links' dates never
    count); two elements' numbers never run together; a 来源 line on top of the text is the source."""
    record = parse(page(WORDPRESS))
    assert (record["published_at"], record["source"], record["author"], record["body"]) == (
        "2023-02-03T09:15:00+08:00", "新华社/工人日报", "张晓明", BODY)


@pytest.mark.parametrize("lead, body", [
    ("<p>本报讯（记者 张晓明）</p>", BODY),
    (f"<p>本报讯（记者 张晓明 李华）{PARAS[0]}</p>", "本报讯（记者 张晓明 李华）" + BODY),
])
def test_dateline_credit_names_the_author(lead: str, body: str) -> None:
    markup = (f'<div class="article"><h2 class="tit">{TITLE}</h2><div class="info">2023-02-03</div>'
              f'<div class="con">{lead}{PS if lead.endswith("）</p>") else PS[len(PARAS[0]) + 7:]}</div></div>')
    record = parse(page(markup))
    assert record["author"] in ("张晓明", "张晓明 李华")
    assert record["body"] == body


MEDIUM_CREDITS = {
    # a bare credit, the medium's name and 讯: not text (the source field names the medium)
    "trs credit and a space": ("<p>工人日报讯 {p}</p>", "trs", BODY),
    "dedecms credit with a colon": ("<p>本报讯：{p}</p>", "dedecms", BODY),
    "phpcms credit of a composite medium": ("<p>四川工人日报-川工之家客户端讯　{p}</p>", "phpcms", BODY),
    # a credit that says more than the medium stays: the reporters, or a wire dateline
    "trs credit with reporters": ("<p>工人日报讯（记者 张晓明）{p}</p>", "trs", "工人日报讯（记者 张晓明）" + BODY),
    "hanweb wire dateline": ("<p>新华网讯 北京时间2月3日消息，{p}</p>", "hanweb", "新华网讯 北京时间2月3日消息，" + BODY),
    "vsb place and date dateline": ("<p>本报讯 成都2月3日电 {p}</p>", "vsb", "本报讯 成都2月3日电 " + BODY),
    # no separator: 讯 might end a word (资讯, 快讯), so nothing is cut
    "wordpress no separator": ("<p>本站资讯{p}</p>", "wordpress", "本站资讯" + BODY),
}
CREDIT_SHELLS = {
    "trs": '<div class="article"><h2 class="tit">{t}</h2><div class="info">2023-02-03 来源：工人日报</div><div class="TRS_Editor">{b}</div></div>',
    "dedecms": '<div class="arc"><h1>{t}</h1><div class="info">2023-02-03 09:15 来源：工人日报</div><div class="content">{b}</div></div>',
    "phpcms": '<div id="Article"><h1>{t}</h1><div class="c_info">2023-02-03 来源：工人日报</div><div class="content">{b}</div></div>',
    "hanweb": '<table><tr><td class="title">{t}</td></tr><tr><td>发布日期：2023-02-03 信息来源：新华网</td></tr><tr><td id="zoom">{b}</td></tr></table>',
    "vsb": '<form name="_newscontent_fromname"><h3>{t}</h3><i>发布时间：2023-02-03 来源：工人日报</i><div id="vsb_content">{b}</div></form>',
    "wordpress": '<article class="post"><h1 class="entry-title">{t}</h1><time datetime="2023-02-03T09:15:00+08:00">2023-02-03</time><div class="entry-content">{b}</div></article>',
}


@pytest.mark.parametrize("lead, family, body", MEDIUM_CREDITS.values(), ids=MEDIUM_CREDITS.keys())
def test_a_bare_medium_credit_is_not_text(lead: str, family: str, body: str) -> None:
    """Rule: a lead that opens with the medium's name and 讯 (then a space or a colon) starts
    after it; a credit that also names reporters or a wire dateline (…消息, …电) stays."""
    text = lead.format(p=PARAS[0]) + PS[len(PARAS[0]) + 7:]
    record = parse(page(CREDIT_SHELLS[family].format(t=TITLE, b=text)))
    assert record["body"] == body


@pytest.mark.parametrize("info, head, source", [
    # Hanweb's long meta line (colons, no sentences) is a meta line, not prose.
    ("发布日期：2023-02-03 09:15:14&nbsp;&nbsp;&nbsp;信息来源：四川工人日报&nbsp;&nbsp;&nbsp;作者：张晓明&nbsp;&nbsp;&nbsp;"
     "浏览次数：&nbsp;&nbsp;&nbsp;字体：[ 大 中 小 ]", "", "四川工人日报"),
    # an empty 来源 label followed by the next label names no source
    ("发布时间：2023-02-03 09:15:14 <span>文章来源：</span> <span>责任编辑：王丽</span>", "", None),
    # a toolbar command beside the date is no medium
    ('2023-02-03 09:15:14&nbsp;浏览次数：<span></span><div class="content-action"><a class="content-comment">我有话说</a></div>',
     "", None),
    # the CMS fills ContentSource with the site's own name when the editor gives none
    ("日期：2023-02-03 09:15:14", '<meta name="SiteName" content="某市总工会"><meta name="ContentSource" content="某市总工会">', None),
    ("日期：2023-02-03 09:15:14", '<meta name="ContentSource" content="本网">', None),
    ("日期：2023-02-03 09:15:14", '<meta name="source" content="市总工会宣传部">', "市总工会宣传部"),
])
def test_meta_line_shapes(info: str, head: str, source: str | None) -> None:
    markup = (f'<div class="main-txt"><div class="art-title">{TITLE}</div><div class="art-info">{info}</div>'
              f'<div id="zoom">{PS}</div></div>')
    record = parse(page(markup, head))
    assert (record["published_at"], record["source"]) == ("2023-02-03T09:15:14+08:00", source)


# ---------------------------------------------------------------- composite sources

@pytest.mark.parametrize("line, source", [
    ("来源：人民网－人民日报", "人民网－人民日报"),
    ("来源：人民网-人民日报", "人民网-人民日报"),
    ("来源：新华社/央视新闻", "新华社/央视新闻"),
    ("来源： 新华社／央视新闻 ", "新华社／央视新闻"),
    ("信息来源：中工网—工人日报", "中工网—工人日报"),
    ("来源：人民网－人民日报 作者：张三", "人民网－人民日报"),
])
def test_composite_sources_are_kept_whole(line: str, source: str) -> None:
    """Rule: a 来源 value runs over the joining marks of a composite name (－ - — /)."""
    markup = (f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03 {line}</div>'
              f'<div class="con">{PS}</div></div>')
    assert parse(page(markup))["source"] == source


def test_composite_source_in_a_closing_line() -> None:
    markup = f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div class="con">{PS}<p>（来源：新华社/央视新闻）</p></div></div>'
    record = parse(page(markup))
    assert (record["source"], record["body"]) == ("新华社/央视新闻", BODY)


# ---------------------------------------------------------------- many links, still an article

RELATED = "".join(f'<li><a href="/gzdt/2023/01{i:02d}/{i}.html">工会动态第{i}条新闻标题</a><span>2023-01-{i:02d}</span></li>'
                  for i in range(1, 16))
LINKED_PARAS = [f'{p[:12]}<a href="/tag/{i}.html">{p[12:18]}</a>{p[18:]}' for i, p in enumerate(PARAS)]

MANY_LINKS = {
    "related list shaped like the union list": (
        f'<div class="main"><div class="art"><h1>{TITLE}</h1><div class="info">2023-02-03</div>'
        f'<div class="txt">{PS}</div></div><div class="side"><ul class="list">{RELATED}</ul></div></div>'),
    "links inside the paragraphs": (
        f'<div class="art"><h1>{TITLE}</h1><div class="info">2023-02-03</div>'
        f'<div class="txt">{"".join(f"<p>{p}</p>" for p in LINKED_PARAS)}</div>'
        f'<ul class="news">{RELATED}</ul></div>'),
}


@pytest.mark.parametrize("markup", MANY_LINKS.values(), ids=MANY_LINKS.keys())
def test_an_article_with_many_links_is_not_a_list_page(markup: str) -> None:
    """Rule: a page is refused as a list only when no text block reads as an article body,
    whatever its link count."""
    record = parse(page(markup))
    assert record["title"] == TITLE
    assert record["body"].split("\n")[0].startswith(PARAS[0][:10])


def test_a_list_page_is_still_refused() -> None:
    with pytest.raises(NotAnArticle, match="list page"):
        parse(page(f'<div class="main"><h2>工会动态</h2><ul class="list">{RELATED}</ul>'
                   '<div class="page"><a href="index_1.html">下一页</a></div></div>', title="工会动态"))


SUMMARIES = "".join(f'<li><a href="/a/{i}.html">工会动态第{i}条新闻标题</a><p>{PARAS[i % 3][:30]}...(2023-01-{i:02d})</p></li>'
                    for i in range(1, 6))
LIST_PAGES = {
    "footer is the only text (Hanweb, DedeCMS, EmpireCMS)": (
        f'<div class="list"><ul>{RELATED}</ul></div><div class="foot">地址：某市某区某路1号 邮编：610016 '
        '联系电话：028-86712345</div><div class="foot2">技术支持：某某网络科技有限公司 Powered by DedeCMS</div>'),
    "top bar and breadcrumb (TRS, EmpireCMS)": (
        '<div class="w1000">欢迎访问某市总工会！设为首页 | 加入收藏</div>'
        f'<td>您当前的位置：首页 &gt; 新闻中心 &gt; 工会要闻</td><ul class="news">{RELATED}</ul>'),
    "a pager line (SiteFactory)": (
        f'<div class="list_box"><ul>{RELATED[:400]}</ul><div class="page">共 9 篇 首页 上一页 '
        '<a href="Index_2.aspx">下一页</a> 尾页 页次：1/3页 3篇/页</div></div>'),
    "cut-short summaries (Jeecms, VSB)": f'<div class="w670"><ul>{SUMMARIES}</ul></div>',
    "one excerpt with a read-more link (WordPress)": (
        f'<article class="post"><h2><a href="/p/1/">{TITLE}</a></h2><div class="entry-summary"><p>{PARAS[0]}'
        f'… <a href="/p/1/">继续阅读{TITLE[:8]}</a></p></div></article><ul class="recent">{RELATED}</ul>'),
}


@pytest.mark.parametrize("markup", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_pages_are_refused_whatever_their_chrome(markup: str) -> None:
    """Rule: footer, top-bar, breadcrumb and pager lines are never the text block; a text block of
    cut-short summaries is a list's."""
    with pytest.raises(NotAnArticle, match="list page|no article text"):
        parse(page(markup, title="工会要闻"))


# ---------------------------------------------------------------- attachments anywhere in the article block

ATTACHMENTS = {
    "dedecms block below the body": (
        f'<div class="viewbox"><div class="title"><h2>{TITLE}</h2></div><div class="info">2023-02-03</div>'
        f'<div class="content">{PS}</div>'
        '<div class="fj">附件：<a href="/uploads/soft/230203/1-23020309151.pdf">工作要点.pdf</a></div></div>',
        ["http://example.org/uploads/soft/230203/1-23020309151.pdf"]),
    "filename in the query": (
        f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div id="zoom">{PS}</div>'
        '<div class="xgfj">相关附件：<a href="/downfile.jsp?classid=0&amp;filename=202302030915.pdf">会议通知</a> '
        '<a href="/downfile.jsp?classid=0&amp;filename=202302030916.docx">报名表</a></div></div>',
        ["http://example.org/downfile.jsp?classid=0&filename=202302030915.pdf",
         "http://example.org/downfile.jsp?classid=0&filename=202302030916.docx"]),
    "vsb: named only by the link text": (
        f'<form name="_newscontent_fromname"><div class="content-title"><h3>{TITLE}</h3><i>2023-02-03</i></div>'
        f'<div id="vsb_content"><div class="v_news_content">{PS}</div></div>'
        '<ul style="list-style-type:none;"><li>附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl'
        '&amp;owner=1234&amp;wbfileid=5678" target="_blank">2023年工作要点.pdf</a>】已下载<span>12</span>次</li></ul></form>',
        ["http://example.org/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1234&wbfileid=5678"]),
    "trs: inside the body, in the path": (
        f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div class="TRS_Editor">{PS}'
        '<p>附件：<a href="./P020230203391837562911.xls">2023年竞赛项目表.xls</a></p></div></div>',
        ["http://example.org/gzdt/2023/0203/P020230203391837562911.xls"]),
    "beside the body, in a table cell": (
        f'<table><tr><td class="tit">{TITLE}</td></tr><tr><td>2023-02-03</td></tr><tr><td class="bt_content">{PS}</td></tr>'
        '<tr><td>附件下载：<a href="/attach/0/abc123?name=x">职工书屋申报表.docx</a></td></tr></table>',
        ["http://example.org/attach/0/abc123?name=x"]),
}


@pytest.mark.parametrize("markup, attachments", ATTACHMENTS.values(), ids=ATTACHMENTS.keys())
def test_attachments_anywhere_in_the_article_block(markup: str, attachments: list[str]) -> None:
    """Rule: files linked in the article block (the body, or a 附件 block beside or below it),
    by extension in the path, in a filename= query, or in the link text."""
    record = parse(page(markup))
    assert record["attachments"] == attachments
    assert record["body"].split("\n")[:3] == PARAS


ATTACHMENT_NAMES = {
    "dedecms block below the body": ["工作要点.pdf"],
    "filename in the query": ["会议通知", "报名表"],
    "vsb: named only by the link text": ["2023年工作要点.pdf"],
    "trs: inside the body, in the path": ["2023年竞赛项目表.xls"],
    "beside the body, in a table cell": ["职工书屋申报表.docx"],
}


@pytest.mark.parametrize("markup, names", [(ATTACHMENTS[key][0], names) for key, names in ATTACHMENT_NAMES.items()],
                         ids=ATTACHMENT_NAMES.keys())
def test_each_attachment_is_named_by_its_link(markup: str, names: list[str]) -> None:
    """Rule: the link's text names its file (what a reader sees, not the CMS's stored name)."""
    record = parse(page(markup))
    assert [record["attachment_names"].get(url) for url in record["attachments"]] == names


@pytest.mark.parametrize("link, name", [
    ("附件1：2023年推荐名单.xlsx", "2023年推荐名单.xlsx"),   # the number before the name goes
    ("附件2．报名表.doc", "报名表.doc"),
    ("点击下载", None), ("【下载】", None), ("附件1", None), ("download", None),  # commands name nothing
])
def test_a_download_command_names_no_file(link: str, name: str | None) -> None:
    markup = (f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div id="zoom">{PS}'
              f'<p><a href="/uploads/2023/0203/a1.xlsx">{link}</a></p></div></div>')
    record = parse(page(markup))
    assert record["attachments"] == ["http://example.org/uploads/2023/0203/a1.xlsx"]
    assert record["attachment_names"].get(record["attachments"][0]) == name


def test_attachment_written_by_a_script() -> None:
    """TRS writes the attachment list with document.write; the link is read from the script."""
    markup = (f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div id="zoom">{PS}</div>'
              '<div class="article-fj"><script type="text/javascript">'
              "var file_appendix = '<a href=\"./P020230203.pdf\">报名表.pdf</a>';"
              "if (file_appendix != '') { document.write('<p>附件：</p><p>' + file_appendix + '</p>'); }</script></div></div>")
    record = parse(page(markup))
    assert record["attachments"] == ["http://example.org/gzdt/2023/0203/P020230203.pdf"]
    assert record["body"] == BODY


def test_files_in_the_sidebar_are_not_attachments() -> None:
    markup = (f'<div class="main"><div class="art"><h1>{TITLE}</h1><div class="info">2023-02-03</div>'
              f'<div class="txt">{PS}</div></div><div class="sidebar"><h3>下载专区</h3><ul>'
              '<li><a href="/files/form.doc">入会申请表.doc</a></li></ul></div></div>')
    assert parse(page(markup))["attachments"] == []


# ---------------------------------------------------------------- credit lines at the edges

EDGES = {
    "原标题 line": (["原标题：市总工会部署全年工作"], [], None, None),
    "reporter line on top": (["本报记者 张晓明 通讯员 李华"], [], "张晓明", None),
    "reporter in brackets at the end": ([], ["（记者 张晓明）"], "张晓明", None),
    "文/ byline in brackets": (["【文/本报记者 张晓明】"], [], "张晓明", None),
    "editor line": ([], ["责任编辑：王丽"], None, "王丽"),
    "editor in brackets": ([], ["（编辑：王丽）"], None, "王丽"),
    "editor and reviewer": ([], ["编辑：王丽 审核：赵强"], None, "王丽"),
    "caption under a picture": (['<img src="/p/1.jpg">', "图为会议现场。"], [], None, None),
}


@pytest.mark.parametrize("before, after, author, editor", EDGES.values(), ids=EDGES.keys())
def test_credit_lines_at_the_edges_are_not_body_text(before: list[str], after: list[str], author: str | None,
                                                     editor: str | None) -> None:
    """Rule: 原标题, byline, editor and caption lines at either end of the body are read as
    fields (author, editor) or left out, never kept as paragraphs."""
    def ps(items: list[str]) -> str:
        return "".join(f'<p style="text-align:center">{x}</p>' if x.startswith("图为") else f"<p>{x}</p>" for x in items)
    markup = (f'<div class="article"><h2 class="tit">{TITLE}</h2><div class="info">2023-02-03</div>'
              f'<div class="con">{ps(before)}{PS}{ps(after)}</div></div>')
    record = parse(page(markup))
    assert (record["body"], record["author"], record["editor"]) == (BODY, author, editor)


def test_captions_stacked_under_a_picture() -> None:
    pics = ('<p style="text-align:center"><img src="/p/1.jpg"></p><p style="text-align:center">职工健步走现场</p>'
            '<p style="text-align:center">节日慰问现场</p>')
    markup = (f'<div class="article"><h2 class="tit">{TITLE}</h2><div class="info">2023-02-03</div>'
              f'<div class="con"><p>{PARAS[0]}</p>{pics}<p>{PARAS[1]}</p><p>{PARAS[2]}</p></div></div>')
    assert parse(page(markup))["body"] == BODY


def test_closing_line_of_credits_is_read_not_kept() -> None:
    markup = (f'<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div><div id="endText">{PS}'
              '<div class="ep-source"><span><img src="/i.png"> 本文来源：中国新闻网 作者：李金磊</span> '
              '<span>责任编辑：王丽</span></div></div></div>')
    record = parse(page(markup))
    assert (record["body"], record["source"], record["author"], record["editor"]) == (BODY, "中国新闻网", "李金磊", "王丽")


def test_person_before_the_medium_in_the_date_slot_is_the_author() -> None:
    markup = (f'<h1 class="news_title">{TITLE}</h1><div class="news_about"><p>石佳/中国青年报</p>'
              f'<p>2023-02-03 09:10</p></div><div class="news_txt">{PS}</div>')
    record = parse(page(markup))
    assert (record["source"], record["author"]) == ("中国青年报", "石佳")


# ---------------------------------------------------------------- date-led lead paragraphs

@pytest.mark.parametrize("lead", [
    "12月26日,市总工会组织开展职工运动会活动。",
    "2023年2月3日，市总工会召开全委会议。",
    "2月3日，市总工会召开会议。",
])
def test_short_date_led_lead_paragraph_is_kept(lead: str) -> None:
    """Rule: a line is the repeated date line only when nothing but dates, labels and values is
    left on it; a sentence that opens with a date is the lead paragraph."""
    markup = (f'<div class="article"><h2 class="tit">{TITLE}</h2><div class="info">发布时间：2023-02-03</div>'
              f'<div class="con"><p>{lead}</p>{PS}</div></div>')
    record = parse(page(markup))
    assert record["body"] == "\n".join([lead, *PARAS])
    assert record["published_at"] == "2023-02-03"


# ---------------------------------------------------------------- column from any breadcrumb

CRUMBS = {
    "one link": '<div class="position">首页 &gt; <a href="/gzdt/">工作动态</a> &gt; 正文</div>',
    "plain text, labelled": '<div>当前位置：首页 &gt; 工作动态 &gt; 正文</div>',
    "plain text after the home link": '<div class="crumb">您的位置：<a href="/">首页</a> &gt; 工作动态</div>',
    "dedecms trailing separator": "<div class='position'>当前位置: <a href='/'>主页</a> &gt; <a href='/gzdt/'>工作动态</a> &gt; </div>",
    "vsb double separators": ('<div class="dqwz">当前位置: <a href="../../index.htm">首页</a>&gt;&gt;'
                              '<a href="../gzdt.htm">工作动态</a>&gt;&gt;正文</div>'),
}


@pytest.mark.parametrize("crumb", CRUMBS.values(), ids=CRUMBS.keys())
def test_column_from_a_breadcrumb_with_one_link_or_none(crumb: str) -> None:
    """Rule: the breadcrumb's last entry that is not 首页/正文/the headline, whether entries are
    links or plain text."""
    markup = (f'{crumb}<div class="article"><h1>{TITLE}</h1><div class="info">2023-02-03</div>'
              f'<div class="con">{PS}</div></div>')
    assert parse(page(markup))["column"] == "工作动态"


# ---------------------------------------------------------------- explain

@pytest.mark.parametrize("head, info, published_rule, source_rule", [
    ('<meta name="PubDate" content="2023-02-03 09:15"><meta name="ContentSource" content="市总工会">', "",
     "meta PubDate", "meta ContentSource"),
    ("", "发布时间：2023-02-03 信息来源：市总工会", "labelled line 发布时间", "labelled line 信息来源"),
    ("", "2023-02-03 09:15</span> <span>市总工会", "meta line", "date slot"),
])
def test_every_field_says_which_rule_read_it(head: str, info: str, published_rule: str, source_rule: str) -> None:
    markup = (CRUMBS["one link"] + f'<div class="detail"><h1>{TITLE}</h1><div class="info"><span>{info}</span></div>'
              f'<div id="zoom">{PS}<p>（责任编辑：王丽）</p></div></div>')
    record = parse(page(markup, head))
    assert record["source"] == "市总工会"
    assert record["explain"] == {
        "title": "title match h1", "published_at": published_rule, "source": source_rule, "author": None,
        "editor": "body edge line", "body": "density block div#zoom", "column": "breadcrumb",
        "images": None, "attachments": None, "canonical_url": None}


def test_profile_selectors_are_named_in_explain() -> None:
    markup = (f'<div class="location"><a href="/">首页</a> &gt; <a href="/gzdt/">工作动态</a></div>'
              f'<div class="article"><h1>{TITLE}</h1><div class="info">发布时间：2023-02-03</div>'
              f'<div id="zoom">{PS}</div><div class="editor">责任编辑：王丽</div></div>')
    explain = parse(page(markup))["explain"]
    assert (explain["title"], explain["body"], explain["column"], explain["editor"]) == (
        "profile:div.article h1", "profile:div.article div#zoom", "profile:div.location",
        "profile:div.article div.editor")


def test_a_profile_info_line_does_not_hide_credits_printed_under_the_body() -> None:
    """The profile's info selector gives the date; the 来源 and 编辑 a template prints under the
    body (EmpireCMS, SiteFactory, WordPress themes) are still read."""
    profile = Profile("t", "t", article={"title": "h1.tit", "info": "div.inf", "body": "div.txt"})
    page = ("<html><body><h1 class='tit'>市总工会召开全委会议</h1><div class='inf'>发布时间：2024-03-05 09:30</div>"
            "<div class='txt'><p>3月5日，市总工会召开全委会议，部署全年工作任务，推动各项工作落地见效。</p>"
            "<p>会议强调，要坚持以职工为中心，持续深化普惠服务。</p></div>"
            "<div class='foot-info'>来源：市总工会办公室　责任编辑：王芳</div></body></html>")
    record = parse_article(page.encode(), "http://example.org/a/1.html", profile=profile)
    assert (record["published_at"], record["source"], record["editor"]) == (
        "2024-03-05T09:30:00+08:00", "市总工会办公室", "王芳")
