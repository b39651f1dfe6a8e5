"""Every selector, label and pattern the article parser uses, as named constants in one place.

The parser (crawler/parse.py) tries the site profile's selectors first; what is here drives the
generic extraction that takes over when a selector misses, so a redesigned page or a sister site
still yields its title, date, 来源 and body. Regexes are compiled once, at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class HintedPattern:
    """A regex that can only match a text holding one of `hints`: a text without any is not
    searched. For patterns with no fixed start, whose search tries every position of the text
    (a page's lines are mostly prose that holds none of the hints)."""

    pattern: re.Pattern
    hints: tuple[str, ...]
    #: For a case-insensitive pattern written in lower case: the same pattern, case-sensitive. An
    #: ASCII text is lowered and searched with it instead: the same positions match (the match
    #: is of the lowered text), and sre skips to where a word can start instead of trying every
    #: word at every position, case-folding each character (ten times the work on a link).
    lowered: re.Pattern | None = None

    def search(self, text: str) -> re.Match | None:
        if self.lowered is not None and text.isascii():
            return self.lowered.search(text.lower())
        for hint in self.hints:
            if hint in text:
                return self.pattern.search(text)
        return None

# ---------------------------------------------------------------- characters and text

CJK = "\u4e00-\u9fff"
#: Sentence punctuation that marks running prose (a body paragraph) rather than navigation.
PROSE_PUNCTUATION = frozenset("，。！？；：、“”,.;!?")
#: Marks that end or split a sentence: a line holding one is prose, not a meta line.
SENTENCE_MARKS = frozenset("，。！？；")
#: Whitespace as written in Chinese pages: ASCII, no-break space, ideographic space.
SPACES = " \t\r\n\f\v\xa0\u3000\u2002\u2003\u200b"
#: Marks that separate items on a meta line: "2024-05-09 22:30·新华社", "石佳/中国青年报".
SEPARATORS = "·•|｜丨/／-—"
SPACE_RUN = re.compile(r"[ \t\r\n\f\v\xa0\u2002\u2003\u200b]+")

# ---------------------------------------------------------------- decoding

#: `<meta charset=..>` or `<meta http-equiv=Content-Type content="..; charset=..">` in the head.
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
#: Encodings that are read as their superset so every character a Chinese site serves decodes.
ENCODING_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "x-cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "utf8": "utf-8",
}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: Leading bytes of files that are not HTML pages (PDF, images, archives, Office documents).
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"Rar!")

# ---------------------------------------------------------------- document structure

#: Elements whose content is never article text.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
             "canvas", "select", "textarea", "button", "input")
#: Block-level elements: each starts a new line when text is laid out.
BLOCK_TAGS = frozenset("""p div section article main aside header footer nav h1 h2 h3 h4 h5 h6
    ul ol li dl dt dd table thead tbody tfoot tr td th blockquote pre figure figcaption center
    address hr br form fieldset details summary""".split())
#: Blocks that are one paragraph of prose when they hold text.
PARAGRAPH_TAGS = frozenset("p h2 h3 h4 h5 h6 li dd blockquote pre figcaption".split())
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: Words in class/id names of page chrome: removed before the body is looked for.
NOISE_WORDS = frozenset("""nav navbar menu footer sidebar aside breadcrumb crumb crumbs location
    share sharebar bdshare social comment comments cmt reply related relate recommend recommended
    hotnews rank ranking ad ads advert advertisement banner copyright prevnext pager pagination
    paging tags keywords toolbar qrcode ewm erweima popup modal topbar friendlink gotop backtop""".split())
NAME_WORD_SPLIT = re.compile(r"[\s_\-:]+|(?<=[a-z])(?=[A-Z])")
#: Class/id words of lists whose dates belong to other articles (never the publication date).
OTHER_ARTICLES_WORDS = frozenset("""sidebar side aside related relate recommend rec hot hotnews rank ranking
    comment comments cmt reply footer foot nav menu list news_list newslist xglj xgwz""".split())
#: Badges printed beside the date that are not a medium's name.
SOURCE_BADGES = frozenset({"原创", "转载", "独家", "推荐", "置顶", "热门", "专题", "头条", "精选", "视频", "图文"})

# ---------------------------------------------------------------- title

#: Class/id words of a headline element (class="rumor-title", id="articleTitle").
TITLE_WORDS = frozenset({"title", "headline", "tit"})
TITLE_META_NAMES = ("ArticleTitle", "og:title", "twitter:title", "title")
#: Separators between an article title and its column/site suffix inside <title>. Not the
#: dash —— (or —): Chinese headlines use it between title and subtitle ("……的磅礴力量——2022年……综述").
TITLE_SUFFIX_SPLIT = re.compile(r"\s*(?:[_|｜]|--|\s-\s|-(?=[^-]*$))\s*")

# ---------------------------------------------------------------- dates

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_TIME = (r"(?:[\sT]*(?P<H>[01]?\d|2[0-3])\s*[:：时]\s*(?P<M>[0-5]\d)"
         r"(?:\s*[:：分]\s*(?P<S>[0-5]\d)\s*秒?|\s*分)?(?!\d))?")
#: A calendar date, optionally followed by a time: 2023-01-18 17:40:03, 2023年1月18日, 2023/01/18,
#: 2023.01.18, 2019年09月11日01:53 (glued), 2023-01-18T17:40.
DATE = re.compile(
    r"(?<![\d.])" + _YEAR
    + r"(?:\s*年\s*(?P<m1>1[0-2]|0?[1-9])\s*月\s*(?P<d1>3[01]|[12]\d|0?[1-9])\s*(?:日|(?!\d))"
    + r"|(?P<sep>[-/.])(?P<m2>1[0-2]|0?[1-9])(?P=sep)(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d.]))"
    + _TIME
)
#: A year alone, then month/day (a date split over text nodes: "2019" "09/07" "19:02").
SPLIT_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+(?P<m>1[0-2]|0[1-9])/(?P<d>3[01]|[12]\d|0[1-9])(?!\d)"
                        + _TIME)
#: Labels printed before a publication date.
DATE_LABELS = re.compile(r"(发布时间|发布日期|发表时间|发表日期|发文日期|成文日期|生成日期|印发日期|"
                         r"公开日期|发表于|发布于|日期|时间)\s*[:：]?\s*$")
#: Labels of dates that are not the publication date (update time, the crawl day, a deadline).
NOT_PUBLISHED_LABELS = re.compile(r"(最后更新|更新时间|更新于|修改时间|今天是|今日|截止|截至|有效期|报名时间|"
                                  r"活动时间|会议时间|举办时间|开始时间|结束时间|时长)\s*[:：]?\s*$")
#: The start of a meta line inside a headline element: a date, or a date/来源/author label.
META_LINE_START = re.compile(r"(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|(?:发布时间|发布日期|发表时间|日期|时间|信息来源|文章来源|"
                             r"稿件来源|来源|稿源|作者|记者|浏览|点击)\s*[:：])")
UPDATE_LABELS = re.compile(r"(更新时间|最后更新|更新于)\s*[:：]?\s*$")
#: A timezone named next to a time (else the site's local time, Beijing, is meant).
UTC_MARK = re.compile(r"格林尼治|GMT|UTC", re.I)
BEIJING_OFFSET = "+08:00"
#: TRS-style article URLs carry the publication day: /202301/t20230118_1001.html.
URL_DATE = re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)_\d+")
DATE_META_NAMES = ("PubDate", "pubdate", "publishdate", "publish_date", "article:published_time",
                   "og:release_date", "firstpublishedtime", "releaseDate")
#: Meta tags naming the 来源 (Hanweb JCMS writes ContentSource), read when the page prints none.
SOURCE_META_NAMES = ("ContentSource", "contentsource", "source", "article:source")
#: What a CMS writes in its 来源 meta tag when the editor named none: the site itself.
SITE_PLACEHOLDERS = frozenset({"本网", "本站", "本网站", "网站", "原创"})
SITE_NAME_META_NAMES = ("SiteName", "sitename", "og:site_name", "application-name")
#: An explicit UTC offset after an ISO time in a meta tag: 2023-02-03T09:15:00+08:00, ...Z.
ISO_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?P<offset>Z|[+-]\d{2}:?\d{2})$")

# ---------------------------------------------------------------- 来源, author, editor

#: A label starts a field: not glued to a preceding word (资料来源, 图片来源 are not 来源),
#: though it may follow a date's 日 directly ("2019年1月30日来源：").
_NOT_AFTER_CJK = rf"(?:(?<![{CJK}])|(?<=日))"
#: 来源 label variants, longest first so 信息来源 is not read as 来源 after a stray prefix.
SOURCE_LABEL = re.compile(
    _NOT_AFTER_CJK + r"(?:信息来源|文章来源|稿件来源|新闻来源|内容来源|本文来源于|本文来源|稿源|来源于|来源|原创(?=\s*[:：]))"
    r"\s*(?:[:：|丨｜]\s*)?"
)
#: An author label: free-standing, or glued to the previous value when a colon follows
#: (`来源：青州市总工会作者：胡彬强` as spans run together), or bare before a name at the end of
#: its piece (`作者<span>魏星</span>`).
AUTHOR_LABEL = re.compile(_NOT_AFTER_CJK + r"(?:作者|记者|通讯员|撰稿|撰文|文字|采写|文)\s*(?:[:：/|]\s*|\s+)"
                          r"|(?:作者|记者|通讯员|撰稿)\s*[:：]\s*"
                          rf"|(?<![{CJK}])作者(?=[{CJK}]{{2,4}}(?:$|[\s|｜/]))")
#: Role words before a name after an author label: 作者：记者王敬照.
ROLE_PREFIX = re.compile(r"^(?:本报|本台|本刊|特约|见习)?(?:记者|通讯员|编辑|评论员)\s*")
EDITOR_LABEL = re.compile(_NOT_AFTER_CJK + r"(?:责任编辑|值班编辑|编辑|责编|选稿)\s*[:：]\s*")
#: Any label that ends the value of a preceding label on the same meta line.
ANY_LABEL = re.compile(r"(?:信息来源|文章来源|稿件来源|来源|稿源|作者|记者|通讯员|编辑|责编|责任编辑|选稿|发布时间|发布日期|"
                       r"发布者|发布于|时间|日期|浏览|点击|阅读|访问|字号|字体|打印|分享|关闭|收藏|评论|跟帖|参与|"
                       r"举报|纠错|我要|手机|扫一扫|【|\[)")
#: The characters a 来源/author value may hold (names of media, units, accounts), and the marks
#: that join a composite 来源 (人民网－人民日报, 新华社/央视新闻, 中工网—工人日报).
VALUE_CHARS = re.compile(rf"[{CJK}A-Za-z0-9·.\-—－/／()（）《》〈〉、&]+")
#: A person's name (authors, editors): 2-4 Han characters, or a Latin name.
PERSON_NAME = re.compile(rf"[{CJK}·]{{2,5}}|[A-Za-z][A-Za-z .]{{1,30}}")
#: A line inside the body that credits the editor: (责任编辑：某某), [责任编辑：某某], 编辑：某某.
EDITOR_LINE = re.compile(r"^[（(\[【]?\s*(?:责任编辑|值班编辑|编辑|责编)\s*[:：]\s*(?P<name>[^）)\]】]*?)\s*[）)\]】]?$")
#: A line inside the body that states the 来源 (some sites print it as the last line).
SOURCE_LINE = re.compile(r"^[（(\[【]?\s*(?:来源|信息来源|文章来源|稿件来源|本文来源)\s*[:：|丨｜]\s*(?P<value>[^）)\]】]{1,40}?)\s*[）)\]】]?$")
#: Body lines that are not article text: original-title notes, share/print bars, pagers,
#: disclaimers, reprint notices, print-edition lines.
BODY_NOISE_LINE = re.compile(
    r"^(?:[（(]?原标题[:：]|[（(]原题为|上一篇|下一篇|分享到|扫一扫|【?打印|【?关闭|【?字体|【?字号|返回顶部|"
    r"相关(?:阅读|新闻|链接|稿件)[:：]?$|浏览次数|点击数|阅读数|[^，。]{0,6}位置\s*[:：]|"
    r"免责声明|[（(]?本文(?:来自|首发于|首发自|转载自)|.{0,30}转载时?(?:务|请)?(?:请|须|必)?注明出处|"
    r"《[^》]{2,12}》[（(]\d{4}年\d{1,2}月\d{1,2}日\s*\d+版[）)]$|"
    r"版权所有|Copyright|©|.{0,40}ICP[备证])"
)
#: Lines of the site's own chrome, never where the article text is: the footer's address/phone/
#: support lines, the top bar's welcome, bookmark and home-page links, a pager's line.
#: Each match holds a label's colon, 页, 共, 欢迎, 收藏, or the space of Powered by.
CHROME_LINE = HintedPattern(re.compile(
    r"(?:地址|电话|邮编|传真|邮箱|主办|承办|协办|技术支持|网站标识码|网站地图)\s*[:：]|Powered by|"
    r"设为首页|加入收藏|欢迎(?:访问|来到|光临)|"
    r"上一页|下一页|尾页|页次\s*[:：]|共\s*\d+\s*(?:页|篇|条记录)", re.I), (":", "：", "页", "共", "欢迎", "收藏", " "))
#: A list item's summary, cut short: … or ... then a date or a read-more link (`tail`), or nothing.
SUMMARY_LINE = re.compile(r"(?:\.{3}|…)\s*(?P<tail>[^，。！？；…]{0,40})$")
#: Photo credits and captions: "…李尕 摄", "（新华社记者 才扬 摄）", "…供图 华龙网", "视觉中国 资料".
#: Each match holds 摄, 图, 视觉中国 or 东方IC.
CAPTION_LINE = HintedPattern(re.compile(r"(?:\s摄|摄影|供图|图片来源|图源|视觉中国|资料图|东方IC)[:：]?\s*\S{0,8}?\s*[）)]?$|"
                                        r"^[（(]?(?:图片来源|图源|摄影|图[:：])"), ("摄", "图", "视觉中国", "东方IC"))
#: Class words of caption blocks under pictures.
CAPTION_WORDS = frozenset({"caption", "figcaption", "pictext", "imgtext", "imgdesc", "picdesc", "pic_txt"})
#: Class words and styles of centred blocks (captions sit centred under their picture).
CENTRED = re.compile(r"text-align\s*:\s*center|^center$|(?:^|[\s_-])(?:f_center|center|tc|text-center)(?:$|[\s_-])", re.I)
#: A numbered heading (一、 （一） 1. 第一章): article text even when short and unpunctuated.
NUMBERED_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十\d]+)")
#: A footnote mark after a heading: 统计公报[1], 意见*.
FOOTNOTE_MARK = re.compile(r"\s*(?:\[\d{1,2}\]|［\d{1,2}］|\*)\s*$")
#: A kicker on top of the text: a whole line in 【】 naming a column or series.
KICKER = re.compile(r"^【[^】，。！？；]{2,20}】$")
#: A sign-off closing the text, bracketed on its own line: （万载县统计局）, （完）, [完].
SIGN_OFF = re.compile(r"^[（(【\[][^，。！？；（()）]{1,20}[）)】\]]$")
#: Longest caption line: captions are short.
MAX_CAPTION_CHARS = 60
#: A byline at either end of the body: "半月谈记者 史卫燕", "作者：上官云 宋宇晟", "采写：南都见习记者 林子沛".
#: A first credit (文/ 本报记者 张三) names the author; further ones (通讯员 李四) are left out.
_CREDIT = rf"[{CJK}]{{0,10}}?(?:记者|作者|采写|撰文|撰稿|文|通讯员|摄影|摄)\s*[:：/／]?\s*"
_OTHER_CREDIT = rf"[{CJK}]{{0,10}}?(?:记者|通讯员|摄影|摄|审核|审稿|校对|编辑|责编|责任编辑)\s*[:：/／]?\s*"
_NAMES = rf"[{CJK}·]{{2,4}}(?:[ 、，,]+[{CJK}·]{{2,4}})*?"
BYLINE = re.compile(rf"^[（(【\[]?\s*(?:文\s*[/／]\s*)?(?:{_CREDIT})+(?P<name>{_NAMES})"
                    rf"(?:\s+{_OTHER_CREDIT}{_NAMES})*\s*[）)】\]]?$")
#: A news lead's dateline credit: 北京商报讯（记者 岳品瑜 董晗萱）5月20日，…
DATELINE_CREDIT = re.compile(rf"^[^，。]{{0,20}}讯\s*[（(]\s*(?:记者|通讯员)\s*(?P<name>{_NAMES})\s*[）)]")
MAX_BYLINE_CHARS = 30
#: A bare medium credit opening the lead, the medium's name and 讯 only: "1905电影网讯 以光影之名…",
#: "华龙网-新重庆客户端讯 今（9）日…", "本报讯：近日…". It repeats the source and is not text.
MEDIUM_CREDIT = re.compile(r"^[^\s，。：:；（()）“”\"]{2,20}?讯(?:[\s\u3000]+|[:：]\s*)(?=\S)")
#: What keeps a credit in the text: a wire dateline saying when and where the news came
#: ("新浪科技讯 北京时间9月11日凌晨消息，…", "本报讯 成都3月5日电 …"), which the lead needs.
WIRE_DATELINE = re.compile(r"^(?:北京时间|当地时间)?[^，。,\s]{0,20}?(?:消息|电)(?:[，,：:（(\s]|$)")
#: A file link's text that names no file, only the command or its number: 下载, 点击下载,
#: 附件1, 【下载】, download.
DOWNLOAD_COMMAND = re.compile(r"^[【\[（(]?\s*(?:点击|点此)?\s*(?:下载|查看|打开|预览|附件\s*\d*|download|attachment)"
                              r"\s*(?:附件|文件)?\s*\d*\s*[】\]）)]?\s*[:：]?$", re.I)
#: The number a link puts before its file's name: "附件1：", "附件2．".
ATTACHMENT_NUMBER = re.compile(r"^附件\s*\d*\s*[:：.．、]\s*")
#: A block that lists the article's files: 附件：, 相关附件：, 附件下载：, 附件【…】.
ATTACHMENT_LABEL = re.compile(r"^\s*(?:相关)?附件\s*\d*\s*(?:下载)?\s*[:：【\[]")
#: Download scripts that serve an article's files under an id (Hanweb's down.jsp?i_ID=…,
#: downfile.jsp, download.php?id=…): files whatever name they carry.
DOWNLOAD_PATH = re.compile(r"(?:^|/)(?:down|download|downfile|downloadfile|getfile|attachment|attach)"
                           r"\.(?:jsp|php|aspx?|do|action|cgi)$", re.I)
#: An <a href> written inside a script's string (document.write of an attachment list).
SCRIPTED_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*\\?["'](?P<href>[^"'\\]+)\\?["'][^>]*>(?P<text>.*?)</a>""", re.I | re.S)
#: A link target naming a file by its extension (in the path or a query value).
FILE_HREF = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|zip|rar|7z|txt|csv|rtf)(?:$|[?&#])", re.I)
TAG = re.compile(r"<[^>]+>")
#: What every link to a file has somewhere in its href or text: an extension or a download word
#: (a superset of crawler.body.is_attachment's tests, run first because it is cheap). Each match
#: starts with one of its hints (a link text in Chinese mostly holds none).
_FILE_HINT = r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|zip|rar|7z|txt|csv|rtf)(?:$|[?&#\s】\])）)])|down|attach|getfile"
FILE_HINT = HintedPattern(re.compile(_FILE_HINT, re.I), (".", "d", "D", "a", "A", "g", "G"), re.compile(_FILE_HINT))
#: Links to files the archive keeps as attachments.
ATTACHMENT_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx wps et dps ofd zip rar 7z txt csv rtf".split())

# ---------------------------------------------------------------- column (breadcrumb)

BREADCRUMB_WORDS = frozenset("location position breadcrumb breadcrumbs crumb crumbs path dqwz weizhi nav-path curpos".split())
BREADCRUMB_SEPARATORS = (">", "»", "＞", "›", "→", "/", "|")
#: Marks between breadcrumb entries when the entries are split from its text.
BREADCRUMB_SPLIT = re.compile(r"\s*(?:[>»＞›→]+|\s/\s|\s\|\s)\s*")
BREADCRUMB_TEXT = re.compile(r"^\s*(?:当前所在位置|当前位置|您的位置|您现在的位置|所在位置|位置)\s*[:：]")
BREADCRUMB_SKIP = frozenset({"首页", "正文", "网站首页", "主页", "home", "Home"})
COLUMN_META_NAMES = ("ColumnName", "column", "category", "article:section")

# ---------------------------------------------------------------- refusals

ERROR_PAGE_TITLE = re.compile(r"404|403|500|502|503|not found|页面不存在|页面未找到|找不到|无法找到|出错|错误页|"
                              r"访问的页面|服务器错误|forbidden|internal server error", re.I)
