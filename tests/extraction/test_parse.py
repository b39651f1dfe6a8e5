"""Edge cases of the article parser as inline tables: date, 来源, author and editor spellings,
decoding, generic extraction on templates the profile does not know, and refusals."""

from __future__ import annotations

import pytest

from crawler import generic
from crawler.parse import NotAnArticle, parse_article

URL = "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html"
TITLE = "省直机关工会开展2023年新春送温暖活动"
PARAGRAPHS = [
    "1月16日，省直机关工会走访慰问了部分困难职工，送上新春祝福和慰问金。",
    "慰问中，工会干部详细了解职工的生活、工作和身体状况，鼓励大家坚定信心、克服困难。",
]
SIDEBAR = ('<div class="sidebar"><h3>最新动态</h3><ul>'
           '<li><a href="./t20230112_1000.html">省直单位职工书屋建设推进会召开</a><span>2023年01月12日</span></li>'
           '<li><a href="./t20230110_999.html">金秋助学活动总结</a><span>2023-01-10 09:00</span></li></ul></div>')


def union_page(info: str, *, paragraphs: list[str] = PARAGRAPHS, after: str = "", head: str = "",
               charset: str = "utf-8", zoom_extra: str = "") -> str:
    """A page in the union site's template (the profile's selectors all match)."""
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_工会新闻_四川省直属机关工会委员会</title>{head}</head><body>
<div class="header"><div class="logo">四川省直属机关工会委员会</div><ul class="nav"><li><a href="/">首页</a></li></ul></div>
<div class="main"><div class="location">当前所在位置:<a href="/">四川省直属机关工会委员会</a> &gt;
<a href="/xwzx/">新闻中心</a> &gt; <a href="/xwzx/ghxw/">工会新闻</a> &gt; 正文</div>
<div class="article"><h1>{TITLE}</h1><div class="info">{info}</div>
<div id="zoom"><div class="TRS_Editor">{ps}{zoom_extra}</div></div>{after}
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="prevnext"><p>上一篇：<a href="./a.html">上一篇的标题</a></p></div></div>{SIDEBAR}</div>
<div class="footer">版权所有：四川省直属机关工会委员会 2023 电话：028-86000000</div></body></html>"""


def other_template(meta_line: str, *, paragraphs: list[str] = PARAGRAPHS, before_body: str = "",
                   after_body: str = "") -> str:
    """A sister site's template: none of the profile's selectors match, generic extraction runs."""
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html><head><meta charset="utf-8"><title>{TITLE} - 某市总工会</title></head><body>
<div id="top"><a href="/">首页</a> <a href="/news/">工作动态</a></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news/">工作动态</a></div>
<div class="content"><h2 class="tit">{TITLE}</h2><p class="property">{meta_line}</p>{before_body}
<div class="con">{ps}</div>{after_body}</div>
<div class="right"><div class="related"><h3>相关新闻</h3><ul>
<li><a href="/n/1.html">职工运动会圆满落幕</a> 2023-02-02</li><li><a href="/n/2.html">劳模座谈会</a> 2022-12-30</li></ul></div></div>
<div class="foot">Copyright 2023 某市总工会</div></body></html>"""


@pytest.mark.parametrize("info, published_at", [
    ("<span>2023-01-18 17:40:03</span>", "2023-01-18T17:40:03+08:00"),
    ("<span>发布时间：2023-01-18 17:40</span>", "2023-01-18T17:40:00+08:00"),
    ("<span>日期：2023年1月18日</span>", "2023-01-18"),
    ("<span>时间：2023年01月18日</span>", "2023-01-18"),
    ("<span>2023/01/18</span>", "2023-01-18"),
    ("<span>发布时间：2023.01.18</span>", "2023-01-18"),
    ("<span>2023年01月18日 08:05</span>", "2023-01-18T08:05:00+08:00"),
    ("<span>2023年01月18日08:05</span>", "2023-01-18T08:05:00+08:00"),
    ("<span>更新时间 2012年12月10日, 格林尼治标准时间10:41</span>", "2012-12-10T10:41:00+00:00"),
    ("<span>来源：四川工人日报</span>", "2023-01-18"),  # no date printed: the TRS URL's day, date only
])
def test_date_spellings(info: str, published_at: str) -> None:
    assert parse_article(union_page(info), URL)["published_at"] == published_at


def test_printed_date_wins_over_meta_tag_and_url() -> None:
    page = union_page("<span>2022-12-30 10:00</span>", head='<meta name="PubDate" content="2023-05-16 12:34:05">')
    assert parse_article(page, URL)["published_at"] == "2022-12-30T10:00:00+08:00"


def test_meta_tag_date_is_used_when_none_is_printed() -> None:
    page = union_page("<span>来源：工会</span>", head='<meta name="PubDate" content="2023-01-17 09:30">')
    assert parse_article(page, URL)["published_at"] == "2023-01-17T09:30:00+08:00"


def test_no_date_anywhere_gives_none() -> None:
    page = union_page("<span>来源：工会</span>")
    assert parse_article(page, "http://127.0.0.1:8000/news/1001.html")["published_at"] is None


@pytest.mark.parametrize("info, source", [
    ("<span>2023-01-18</span> <span>来源:四川省直属机关工会委员会</span>", "四川省直属机关工会委员会"),
    ("<span>2023-01-18</span> <span>来源：四川工人日报</span>", "四川工人日报"),
    ("<span>2023-01-18</span> <span>信息来源：省总工会</span>", "省总工会"),
    ("<span>2023-01-18</span> <span>稿源：成都日报</span>", "成都日报"),
    ("<span>2023-01-18</span> <span>文章来源：四川在线</span>", "四川在线"),
    ("<span>稿件来源：河北日报</span> 2023-01-18", "河北日报"),
    ("<span>2023-01-18</span> 来源 | 四川发布", "四川发布"),
    ("本文来源于北京商报\u30002023-01-18 09:47:48", "北京商报"),
    ("<span>来源：</span>\n<span>\n新华网\n</span> 2023-01-18", "新华网"),
    ("<span>来源：<a href='http://x'>上海奉贤</a></span> 2023-01-18", "上海奉贤"),
    ("<span>来源：光明日报</span><span>作者：南帆</span> 2023-01-18", "光明日报"),
    ("<span>2023-01-18</span> <span>来源：</span> <span>浏览次数:12</span>", None),
    ("<span>2023-01-18</span> <span>浏览次数:12</span>", None),
])
def test_source_spellings(info: str, source: str | None) -> None:
    assert parse_article(union_page(info), URL)["source"] == source


@pytest.mark.parametrize("info, author", [
    ("<span>2023-01-18</span> <span>作者：张三</span>", "张三"),
    ("<span>2023-01-18</span> <span>记者 李四</span> <span>来源：工会</span>", "李四"),
    ("<span>2023-01-18</span> <span>通讯员：王五</span>", "王五"),
    ("<span>2023-01-18</span> <span>来源：工会</span>", None),
])
def test_author_spellings(info: str, author: str | None) -> None:
    record = parse_article(union_page(info), URL)
    assert record["author"] == author
    assert record["source"] in (None, "工会")


@pytest.mark.parametrize("after, last_paragraph, editor", [
    ('<div class="editor">责任编辑：赵六</div>', None, "赵六"),
    ("", "（责任编辑：孙七）", "孙七"),
    ("", "【责任编辑：周八】", "周八"),
    ("", None, None),
])
def test_editor_in_its_own_line_or_as_last_body_paragraph(after: str, last_paragraph: str | None,
                                                          editor: str | None) -> None:
    paragraphs = PARAGRAPHS + ([last_paragraph] if last_paragraph else [])
    record = parse_article(union_page("2023-01-18", paragraphs=paragraphs, after=after), URL)
    assert record["editor"] == editor
    assert record["body"] == "\n".join(PARAGRAPHS)


@pytest.mark.parametrize("encoding, declared, header", [
    ("utf-8", "utf-8", None),
    ("gbk", "gb2312", None),           # GBK bytes declared as gb2312 in the page
    ("gbk", "gb2312", "gb2312"),       # ...and in the HTTP header
    ("gbk", "utf-8", None),            # declared UTF-8, really GBK
    ("gbk", "utf-8", "utf-8"),         # header says UTF-8 too
    ("utf-8", "gb2312", "gb2312"),     # declared GBK, really UTF-8
    ("gb18030", "gb2312", None),       # characters beyond GB2312 (䶮) survive
])
def test_decoding(encoding: str, declared: str, header: str | None) -> None:
    paragraphs = PARAGRAPHS + ["刘䶮与职工代表座谈。"] if encoding == "gb18030" else PARAGRAPHS
    page = union_page("2023-01-18 来源：四川工人日报", paragraphs=paragraphs, charset=declared)
    record = parse_article(page.encode(encoding), URL, encoding=header)
    assert record["title"] == TITLE
    assert record["source"] == "四川工人日报"
    assert record["body"] == "\n".join(paragraphs)


def test_text_input_is_accepted_as_well_as_bytes() -> None:
    page = union_page("2023-01-18")
    assert parse_article(page, URL) == parse_article(page.encode("utf-8"), URL)


def test_images_attachments_and_canonical_are_absolute_in_page_order() -> None:
    extra = ('<p style="text-align:center"><img src="./W020230118_1.jpg"></p>'
             '<p>附件：<a href="./P020230118_1.pdf">2023年工作要点.pdf</a></p>'
             '<p><img src="/images/W2.png"></p><p>附件2：<a href="P2.docx">报名表.docx</a></p>')
    head = '<link rel="canonical" href="/xwzx/ghxw/202301/t20230118_1001.html">'
    record = parse_article(union_page("2023-01-18", zoom_extra=extra, head=head), URL)
    assert record["images"] == ["http://127.0.0.1:8000/xwzx/ghxw/202301/W020230118_1.jpg",
                                "http://127.0.0.1:8000/images/W2.png"]
    assert record["attachments"] == ["http://127.0.0.1:8000/xwzx/ghxw/202301/P020230118_1.pdf",
                                     "http://127.0.0.1:8000/xwzx/ghxw/202301/P2.docx"]
    assert record["body"].split("\n")[-2:] == ["附件：2023年工作要点.pdf", "附件2：报名表.docx"]
    assert record["canonical_url"] == URL


def test_sidebar_dates_are_never_the_publication_date() -> None:
    """The trap GNE, trafilatura and htmldate fall into: 2023年01月18日 beside a related list
    (measured on this very page: GNE 0.4.3 says 2023-02-02, trafilatura 2.3 and htmldate 1.11
    say 2022-12-30, all dates of related headlines)."""
    page = other_template("2023年01月18日 来源：市总工会")
    record = parse_article(page, "http://example.org/news/1001.html")
    assert record["published_at"] == "2023-01-18"
    assert record["source"] == "市总工会"
    assert record["author"] is None


def test_generic_extraction_on_an_unknown_template() -> None:
    page = other_template("发布时间：2023-02-03 09:15 来源：某市总工会 作者：陈晨", after_body="<p>责任编辑：林一</p>")
    record = parse_article(page, "http://example.org/news/1001.html")
    assert {key: record[key] for key in ("title", "published_at", "source", "author", "editor", "body",
                                         "column", "images", "attachments", "canonical_url")} == {
        "title": TITLE, "published_at": "2023-02-03T09:15:00+08:00", "source": "某市总工会",
        "author": "陈晨", "editor": "林一", "body": "\n".join(PARAGRAPHS), "column": "工作动态",
        "images": [], "attachments": [], "canonical_url": None,
    }


def test_generic_body_does_not_start_with_the_title_or_the_meta_line() -> None:
    """GNE's trap: the body must not open with the headline and the time line."""
    page = other_template("", before_body="").replace(
        '<div class="con">', f'<div class="con"><p>{TITLE}</p><p>2023-01-18 17:40 来源：某市总工会</p>')
    record = parse_article(page, "http://example.org/news/1001.html")
    assert record["body"] == "\n".join(PARAGRAPHS)
    assert record["source"] == "某市总工会"


def test_source_printed_as_the_last_body_line() -> None:
    page = other_template("2019-05-17", paragraphs=PARAGRAPHS + ["来源：无锡交警"])
    record = parse_article(page, "http://example.org/news/1001.html")
    assert record["source"] == "无锡交警"
    assert record["body"] == "\n".join(PARAGRAPHS)


LIST_PAGE = ("<html><head><title>工会新闻_四川省直属机关工会委员会</title></head><body><div class='main'>"
             "<ul class='list'>" + "".join(f"<li><a href='./2023/t2023011{i}_{i}.html' title='新闻标题{i}'>新闻标题{i}</a>"
                                           f"<span>2023-01-1{i}</span></li>" for i in range(9))
             + "</ul><div class='page'><a href='index_1.html'>下一页</a></div></div></body></html>")


@pytest.mark.parametrize("page, reason", [
    (b"", "empty"),
    (b"   \n ", "empty"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3 binary", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (LIST_PAGE, "list page"),
    (LIST_PAGE.replace("class='list'", "class='news'"), "list page"),  # not the profile's list: generic
    ("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found.</p></body></html>",
     "error page"),
    ("<html><head><title>页面不存在</title></head><body><div>对不起，您访问的页面不存在！</div></body></html>", "error page"),
    ("<html><body><h1>省直机关工会</h1></body></html>", "no article text"),
])
def test_pages_that_are_not_articles_are_refused_with_a_reason(page, reason: str) -> None:
    with pytest.raises(NotAnArticle) as refused:
        parse_article(page, URL)
    assert reason in refused.value.reason
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("extra_lines, author", [
    (['<p class="f_center"><img src="a.jpg"></p>', '<p class="f_center">各地高温津贴一览。</p>'], None),
    (['<p><img src="a.jpg"></p>', '<p class="caption">职工们在比赛中。</p>'], None),
    (["<p>“救命啊SOS”纸团。沙坪坝区公安分局供图 华龙网</p>"], None),
    (["<p>活动现场。李尕 摄</p>"], None),
    (["<p>半月谈记者 史卫燕</p>"], "史卫燕"),
    (["<p>作者：上官云 宋宇晟</p>"], "上官云 宋宇晟"),
    (["<p>（原题为《是“收割韭菜”还是“回归理性”》）</p>"], None),
    (["<p>免责声明：本文来自客户端自媒体，不代表本网的观点和立场。</p>"], None),
    (["<p>本作品为“科普中国”原创，转载时务请注明出处。</p>"], None),
    (["<p>《光明日报》（2024年05月11日 09版）</p>"], None),
])
def test_captions_bylines_and_notices_are_not_body_text(extra_lines: list[str], author: str | None) -> None:
    """At either end of the body; a byline becomes the author when the meta line names none."""
    for where in ("start", "end"):
        lines = "".join(extra_lines)
        prose = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        content = lines + prose if where == "start" else prose + lines
        page = other_template("2023-02-03").replace('<div class="con">', f'<div class="con">{content}')
        page = page.replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>", "</div>", 1)
        record = parse_article(page, "http://example.org/news/1001.html")
        assert record["body"] == "\n".join(PARAGRAPHS), where
        assert record["author"] == author, where


def test_prose_mentioning_reporters_or_photos_stays_in_the_body() -> None:
    paragraphs = ["记者从省总工会了解到，今年全省将新建职工书屋200个，进一步丰富职工精神文化生活。",
                  "这是一个摄像头拍下的画面，记录了职工们在技能比武中的精彩瞬间，令人印象深刻。"] + PARAGRAPHS
    record = parse_article(other_template("2023-02-03", paragraphs=paragraphs), "http://example.org/news/1.html")
    assert record["body"] == "\n".join(paragraphs)


@pytest.mark.parametrize("crumb, column", [
    ('<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news/">工作动态</a></div>', "工作动态"),
    ('<div class="position">您的位置：<a href="/">首页</a> » <a href="/a/">基层</a> » <a href="/a/b/">劳动竞赛</a> » 正文</div>',
     "劳动竞赛"),
    ('<div class="position--fixed"><a href="/ad">点击领取大奖，全屏爆光柱！！！</a></div>', None),
])
def test_column_comes_from_a_breadcrumb_shaped_block(crumb: str, column: str | None) -> None:
    page = other_template("2023-02-03").replace(
        '<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news/">工作动态</a></div>', crumb)
    assert parse_article(page, "http://example.org/news/1001.html")["column"] == column


@pytest.mark.parametrize(("head", "title"), [
    ("凝聚起磅礴力量——2022年省直机关工会工作综述-四川省直属机关工会委员会", "凝聚起磅礴力量——2022年省直机关工会工作综述"),
    ("市总工会召开全委会_工作动态_某市总工会", "市总工会召开全委会"),
    ("“工会读书月”启动 | 某省总工会", "“工会读书月”启动"),
    ("劳模宣讲进企业—记某厂职工 - 某区总工会", "劳模宣讲进企业—记某厂职工"),
])
def test_a_title_keeps_its_subtitle_dash_and_loses_its_site_suffix(head: str, title: str) -> None:
    """<title> suffixes are split at _ | - ; the —— of a Chinese headline's subtitle stays."""
    assert generic.title_from_head(head) == title
