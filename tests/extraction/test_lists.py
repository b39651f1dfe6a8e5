"""Generic list-page reading and pagers (crawler.lists, crawler.pagination) on inline pages
written the way several CMS families write them: the column's list, never its sidebars; links
kept only in scripts; files listed as items; every family's pager; an article's further pages."""

from __future__ import annotations

import pytest

from crawler import pagination
from crawler.lists import looks_like_file, parse_list_tree, read_list

URL = "http://site.test/xwzx/ghyw/index.html"

SIDEBAR = """<div class="right"><h3>最新动态</h3><ul>
  <li><a href="/xwzx/jcdt/202301/t20230110_9.html">市总工会召开全委会议部署全年工作</a><span>01-10</span></li>
  <li><a href="/xwzx/jcdt/202301/t20230109_8.html">区总工会开展新春送温暖慰问活动</a><span>01-09</span></li>
  <li><a href="/xwzx/jcdt/202301/t20230108_7.html">县总工会举办职工书画摄影作品展</a><span>01-08</span></li>
</ul></div>"""


def _page(main: str, tail: str = "", head: str = "") -> str:
    nav = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(8))
    return (f"<html><head><title>工会要闻</title>{head}</head><body><div class='top'><ul>{nav}</ul></div>"
            f"{SIDEBAR}<div class='main'>{main}</div>{tail}<div class='foot'>版权所有 某市总工会</div></body></html>")


def _read(html: str, url: str = URL):
    root = parse_list_tree(html)
    return read_list(html, url, root, pagination.pager_element(root, url)), pagination.find_next(root, html, url)


def _items(n: int, first: int = 1, tag: str = "li") -> str:
    rows = [f'<{tag}><a href="./202302/t202302{d:02d}_{d}.html" title="职工技能大赛第{d}场决赛在市体育中心举行">'
            f'职工技能大赛第{d}场决赛在市体育中心举行</a><span>2023-02-{d:02d}</span></{tag}>'
            for d in range(first, first + n)]
    return "".join(rows)


@pytest.mark.parametrize("main", [
    pytest.param(f"<ul class='list'>{_items(6)}</ul>", id="ul-li (TRS, PHPCMS)"),
    pytest.param(f"<table><tbody>{''.join(f'<tr><td>{r}</td><td>2023-02-01</td></tr>' for r in _items(6, tag='span').split('</span></span>'))}</tbody></table>",
                 id="table rows with a date cell (Jeecms, SiteFactory)"),
    pytest.param(f"<dl>{_items(6, tag='dd')}</dl>", id="dl-dd (DedeCMS)"),
    pytest.param("".join(f"<div class='item'><h3>{r}</h3><p>摘要……</p></div>" for r in
                         _items(6, tag='span').split("</span></span>") if r), id="repeated divs (WordPress)"),
])
def test_the_column_list_not_the_dated_sidebar(main: str) -> None:
    found, _ = _read(_page(main, "<div class='page'><a href='index_1.html'>下一页</a></div>"))
    urls = [item.url for item in found.articles]
    assert len(urls) == 6 and all(u.startswith("http://site.test/xwzx/ghyw/202302/") for u in urls)


def test_a_last_page_with_two_items_is_still_the_list_before_its_pager() -> None:
    pager = "<div class='page'><a href='index.html'>上一页</a> <a href='index.html'>1</a> <span>2</span></div>"
    found, following = _read(_page(f"<ul>{_items(2)}</ul>", pager), "http://site.test/xwzx/ghyw/index_1.html")
    assert [i.url.rsplit("/", 1)[-1] for i in found.articles] == ["t20230201_1.html", "t20230202_2.html"]
    assert following is None


def test_hanweb_datastore_records_and_the_proxy_for_the_rest() -> None:
    records = "".join(f"<record><![CDATA[<li><a href='/art/2023/2/{d}/art_4127_{d}.html' title='市总工会开展第{d}期职工培训'>"
                      f"市总工会开展第{d}期职工培训</a><span>2023-02-{d:02d}</span></li>]]></record>" for d in range(1, 6))
    script = ("<div id='4127'><script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/"
              "dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=4127&unitid=123&webname=某市总工会&permissiontype=0\"></a>]]>"
              f"</nextgroup><recordset>{records}</recordset></datastore></script></div>"
              "<script>$('#4127').jpage({totalRecord:22, perPage:5, groupSize:1, dataStore:...})</script>")
    found, following = _read(_page(script), "http://site.test/col/col4127/index.html")
    assert [i.url for i in found.articles] == [f"http://site.test/art/2023/2/{d}/art_4127_{d}.html" for d in range(1, 6)]
    assert following is not None and following.method == "POST" and following.how == "datastore"
    assert following.url == "http://site.test/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5"
    assert dict(following.form)["columnid"] == "4127" and "page" not in dict(following.form)
    answer = f"<datastore><recordset>{records}</recordset></datastore>"
    more = pagination.datastore_continue(following.url, following.form, answer)
    assert more.url.endswith("startrecord=11&endrecord=15&perpage=5")
    assert pagination.datastore_continue(more.url, more.form, "<datastore><recordset></recordset></datastore>") is None


def test_items_written_by_script() -> None:
    writes = "".join(f"document.write('<li><a href=\"./202302/t202302{d:02d}_{d}.html\">职工运动会第{d}项比赛圆满结束</a></li>');"
                     for d in range(1, 5))
    array = ("var items = [" + ",".join(f'{{"title":"劳模工匠宣讲第{d}场走进企业","url":"./202303/t202303{d:02d}_{d}.html","date":"2023-03-{d:02d}"}}'
                                        for d in range(1, 4)) + "];")
    pager = ('<script>for (var i = 1; i < 3; i++) { document.write("<a href=\\"index"+"_" + i + ".html\\">"+(i+1)+"</a>"); }'
             '</script>')
    found, _ = _read(_page(f"<ul id='list'></ul><script>{writes}</script><script>{array}</script>{pager}"))
    names = [i.url.rsplit("/", 1)[-1] for i in found.articles]
    assert names == [f"t202302{d:02d}_{d}.html" for d in range(1, 5)] + [f"t202303{d:02d}_{d}.html" for d in range(1, 4)]
    assert found.articles[-1].title == "劳模工匠宣讲第3场走进企业"


def test_a_notice_published_as_a_file_is_listed_as_a_file() -> None:
    main = (f"<ul>{_items(3)}<li><a href='/uploads/2023/tz.pdf'>关于做好2023年度职工疗休养工作的通知</a><span>2023-02-09</span></li>"
            "<li><a href='/module/download/downfile.jsp?classid=0&filename=abc.docx'>关于推荐劳动模范候选人的通知</a>"
            "<span>2023-02-10</span></li></ul>")
    found, _ = _read(_page(main))
    assert len(found.articles) == 3
    assert [f.url for f in found.files] == ["http://site.test/uploads/2023/tz.pdf",
                                             "http://site.test/module/download/downfile.jsp?classid=0&filename=abc.docx"]


@pytest.mark.parametrize(("url", "text", "expected"), [
    ("http://s.test/a/b.PDF", "", True),
    ("http://s.test/down.jsp?id=9", "报名表.xlsx", True),
    ("http://s.test/downfile.jsp?classid=0&filename=1a2b.doc", "", True),
    ("http://s.test/art/2023/1/1/art_1_2.html", "关于印发文件的通知", False),
])
def test_file_links_by_path_query_or_name(url: str, text: str, expected: bool) -> None:
    assert looks_like_file(url, text) is expected


@pytest.mark.parametrize(("pager", "url", "expected"), [
    ("<a href='index_1.html'>下一页</a>", URL, "http://site.test/xwzx/ghyw/index_1.html"),
    ("<span class='p_next p_fun'><a href='ghyw/2.htm'>下页</a></span>", "http://site.test/xwzx/ghyw.htm",
     "http://site.test/xwzx/ghyw/2.htm"),
    ("<a href='javascript:void(0)' onclick=\"location.href='index_2.jhtml'\">下一页</a>",
     "http://site.test/ghyw/index.jhtml", "http://site.test/ghyw/index_2.jhtml"),
    ("<a class='next page-numbers' href='/category/ghyw/page/2/'>»</a>", "http://site.test/category/ghyw/",
     "http://site.test/category/ghyw/page/2/"),
    ("<span aria-current='page' class='page-numbers current'>2</span><a class='page-numbers' href='/category/ghyw/'>1</a>"
     "<a class='page-numbers' href='/category/ghyw/page/3/'>3</a>", "http://site.test/category/ghyw/page/2/",
     "http://site.test/category/ghyw/page/3/"),
    ("<div class='nav-previous'><a href='/category/tzgg/page/2/'>&laquo; 较早的文章</a></div>", "http://site.test/category/tzgg/",
     "http://site.test/category/tzgg/page/2/"),
    ("<ul class='pagelist'><li class='thisclass'>1</li><li><a href='list_3_2.html'>2</a></li></ul>",
     "http://site.test/a/ghyw/", "http://site.test/a/ghyw/list_3_2.html"),
    ("<script>createPageHTML(3, 1, \"index\", \"html\");</script>", "http://site.test/xwzx/ghyw/index_1.html",
     "http://site.test/xwzx/ghyw/index_2.html"),
    ("<script>var countPage = 4; var currentPage = 0;</script>", URL, "http://site.test/xwzx/ghyw/index_1.html"),
    ("<script>createPageHTML(3, 2, \"index\", \"html\");</script>", "http://site.test/xwzx/ghyw/index_2.html", None),
], ids=["下一页", "vsb-下页", "jeecms-onclick", "wordpress-next", "numbers-only", "wordpress-older-posts", "dedecms-thisclass",
        "trs-script", "trs-variables", "trs-last-page"])
def test_every_familys_pager(pager: str, url: str, expected: str | None) -> None:
    html = _page(f"<ul>{_items(4)}</ul>", f"<div class='pages'>{pager}</div>")
    _, following = _read(html, url)
    assert (following.url if following else None) == expected


@pytest.mark.parametrize(("url", "links", "script", "expected"), [
    ("http://s.test/xwzx/202301/t20230118_12.html", ["t20230118_12_1.html", "t20230118_12_2.html", "t20230117_11.html"], "",
     ["t20230118_12_1.html", "t20230118_12_2.html"]),
    ("http://s.test/a/ghyw/2023/0118/123.html", ["123.html", "123_2.html", "123_3.html", "122.html"], "",
     ["123_2.html", "123_3.html"]),
    ("http://s.test/index.php?m=content&c=index&a=show&catid=10&id=123",
     ["index.php?m=content&c=index&a=show&catid=10&id=123&page=2", "index.php?m=content&c=index&a=show&catid=10&id=124"], "",
     ["index.php?m=content&c=index&a=show&catid=10&id=123&page=2"]),
    ("http://s.test/2023/01/18/post-123/", ["/2023/01/18/post-123/2/", "/2023/01/17/post-122/"], "",
     ["/2023/01/18/post-123/2/"]),
    ("http://s.test/xwzx/202301/t20230118_12.html", [], '<script>createPageHTML(3, 0, "t20230118_12", "html");</script>',
     ["t20230118_12_1.html", "t20230118_12_2.html"]),
    ("http://s.test/xwzx/202301/t20230118_12.html", ["t20230117_11.html", "t20230119_13.html"], "", []),
], ids=["trs", "dedecms", "phpcms-query", "wordpress", "trs-script", "one-page"])
def test_an_articles_further_pages(url: str, links: list[str], script: str, expected: list[str]) -> None:
    anchors = "".join(f"<a href='{href}'>{n + 1}</a>" for n, href in enumerate(links))
    html = f"<html><body><h1>标题</h1><div>正文。</div><div>{anchors}</div>{script}</body></html>"
    from urllib.parse import urljoin
    assert pagination.article_pages(parse_list_tree(html), url, url, html) == [urljoin(url, e) for e in expected]
