"""A hostile site on 127.0.0.1: the pages and servers a crawler of the open web must survive.

    from replica.hostile import HostileServer
    with HostileServer(size_bound=256 * 1024) as site:
        site.start_urls                 # the columns to crawl (news, traps, a 10,000-link page)
        site.good                       # {url: title} of every article that must be archived
        site.scripted                   # {url: title} of the good articles carrying script payloads
        site.bad                        # {url: what the archive's failures row must say}
        site.requests                   # LoggedRequest(...) of everything the crawler asked for

Every article page follows the union site's template (crawler/profiles/scszjggh.toml). The
news column links the good articles, the articles whose bodies carry `<script>`, `onerror=`,
`javascript:` links, `<iframe>`, CSS tricks and HTML entities, and one page per hostile-server
case: an oversize body (with and without Content-Length), a gzip bomb, a server that hangs, one
that trickles bytes, a redirect loop, a redirect to another host, a wrong or missing
Content-Type, GBK bytes declared UTF-8, truncated HTML and a cut connection, an empty body,
binary served as HTML. Other columns are traps: endless pagination (every page new links),
a calendar whose "next month" never ends (the same links on every page), and a list page
with 10,000 links. Script payloads all call `pwned()` or set `window.__pwned`, or add a
`<pwned-marker>` element, so a browser test can prove none ran.

`python -m replica hostile` is not provided: this site exists for tests (tests/hostile/).
"""

from __future__ import annotations

import functools
import html
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from .server import LoggedRequest, _HTTPServer

#: What a script payload does when it runs: any of these three leaves a trace a browser test finds.
MARKER_TAG = "pwned-marker"
PAYLOAD_JS = f"window.__pwned=1;document.documentElement.appendChild(document.createElement('{MARKER_TAG}'));alert(1)"

#: Default bound on a response's size; the test crawl passes the same value as DOWNLOAD_MAXSIZE.
SIZE_BOUND = 2 * 1024 * 1024
#: How long a hanging or trickling handler keeps its connection at most (it stops with the server).
HANG_SECONDS = 120.0
#: What the gzip bomb inflates to, and the most an unannounced oversize stream sends (MiB):
#: both far past any size bound, so a crawler that held them whole would show it in its memory.
BOMB_MIB = 512
STREAM_MIB = 512
CALENDAR_START = 2023 * 12  # months since year 0: 2023-01
FLOOD_LINKS = 10_000
ENDLESS_COLUMN = "/trap/endless/"
CALENDAR_COLUMN = "/trap/calendar/"
FLOOD_COLUMN = "/trap/flood/"
NEWS_COLUMN = "/news/"


# -- pages ---------------------------------------------------------------------------------------

def article_page(title: str, paragraphs: list[str], *, day: int = 18, source: str = "省直机关工会",
                 head: str = "", charset: str = "utf-8", raw: bool = False, after: str = "") -> str:
    """An article in the union site's template. `paragraphs` are plain text (escaped here) unless
    `raw`, when they are HTML written into the body as they are (the hostile payloads)."""
    body = "\n".join(f"<p>{p if raw else html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{html.escape(title)}_工会新闻</title>{head}</head>
<body><div class="header">四川省直属机关工会委员会</div>
<div class="location">当前所在位置:<a href="/">四川省直属机关工会委员会</a> &gt; <a href="/news/">新闻中心</a> &gt; <a href="/news/">工会新闻</a> &gt; 正文</div>
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">2023-03-{day:02d} 09:30:00  来源:{html.escape(source)}</div>
<div id="zoom"><div class="TRS_Editor">
{body}
</div></div>{after}</div>
<div class="footer">版权所有：四川省直属机关工会委员会</div></body></html>"""


def list_page(title: str, hrefs: list[tuple[str, str]], next_href: str | None = None) -> str:
    """A column list page: `ul.list` of (href, headline) items and a 下一页 link."""
    items = "\n".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a><span>2023-03-18</span></li>'
                      for h, t in hrefs)
    pager = f'<a href="{html.escape(next_href)}">下一页</a>' if next_href else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><div class="location">当前所在位置:<a href="/">四川省直属机关工会委员会</a> &gt; {html.escape(title)}</div>
<div class="listbox"><h2>{html.escape(title)}</h2><ul class="list">
{items}
</ul><div class="page">{pager}</div></div></body></html>"""


def _prose(n: int, topic: str) -> list[str]:
    return [f"{topic}，省直机关各单位工会认真组织开展第{n}项工作，广大职工积极参与，活动取得良好成效。",
            f"会议指出，要持续深化职工之家建设，第{n}批示范单位要发挥带头作用，切实为职工办实事。",
            "各级工会组织要坚持以职工为中心，不断提升服务职工的能力和水平，推动工会工作高质量发展。"]


#: Good articles that carry hostile markup: (path, title, body paragraphs as raw HTML, source).
SCRIPTED: list[tuple[str, str, list[str], str]] = [
    ("/news/x/script.html", f"<script>{PAYLOAD_JS}</script>职工书屋开放日活动举行",
     [f"职工书屋开放日当天，省直机关干部职工踊跃参加阅读分享活动。<script>{PAYLOAD_JS}</script>",
      f"&lt;script&gt;{html.escape(PAYLOAD_JS)}&lt;/script&gt; 这一行是以实体写成的脚本文字，应原样显示为文字。",
      "活动现场气氛热烈，职工们纷纷表示收获很大，希望今后多组织此类活动。"], "省直机关工会<script>alert(1)</script>"),
    ("/news/x/onerror.html", "图片事件属性测试：职工运动会圆满落幕",
     [f'省直机关第十届职工运动会圆满落幕。<img src="/nope.png" onerror="{html.escape(PAYLOAD_JS)}">',
      f'&lt;img src=x onerror="{html.escape(PAYLOAD_JS)}"&gt; 运动会共设置十二个比赛项目，参赛职工三千余人。',
      f'<svg onload="{html.escape(PAYLOAD_JS)}"></svg><body onload="{html.escape(PAYLOAD_JS)}">各代表队顽强拼搏，赛出了风格和水平。'],
     "省直机关工会"),
    ("/news/x/javascript.html", "链接协议测试：劳模工匠进机关宣讲",
     [f'劳模工匠进机关宣讲活动<a href="javascript:{html.escape(PAYLOAD_JS)}">点击查看详情</a>，反响热烈。',
      f'&lt;a href="javascript:{html.escape(PAYLOAD_JS)}"&gt;伪装的链接&lt;/a&gt; 宣讲团成员讲述了扎根岗位、精益求精的奋斗故事。',
      '<a href="JaVaScRiPt:alert(1)">大小写混写的协议</a>与<a href="&#106;avascript:alert(1)">实体写成的协议</a>都不应成为可点的链接。'],
     "省直机关工会"),
    ("/news/x/iframe.html", "内嵌框架测试：工会干部培训班开班",
     [f'<iframe src="javascript:{html.escape(PAYLOAD_JS)}"></iframe>省直单位工会干部能力提升培训班开班。',
      f'<iframe srcdoc="&lt;script&gt;parent.{html.escape(PAYLOAD_JS)}&lt;/script&gt;"></iframe>培训班邀请专家学者解读工会法。',
      '&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt; 学员们表示将把所学运用到实际工作中。'],
     "省直机关工会"),
    ("/news/x/css.html", "样式技巧测试：职工心理健康讲座举办",
     ['<style>body{display:none} *{background:url("javascript:alert(1)")}</style>职工心理健康讲座在成都举办。',
      '<p style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;background:red">覆盖整页的段落</p>'
      '讲座围绕压力管理、情绪调节等主题展开。',
      '&lt;style&gt;body{display:none}&lt;/style&gt; &lt;div style="position:fixed;inset:0"&gt; 讲座受到职工欢迎。'],
     "省直机关工会"),
    ("/news/x/entities.html", "实体测试：&lt;b&gt; 与 \"引号\" 的标题</title><script>alert(1)</script>",
     ['&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; 是二次转义的文字，应显示为 &amp;lt;script&amp;gt;。',
      '&#60;script&#62;alert(1)&#60;/script&#62; 与 &#x3C;img src=x onerror=alert(1)&#x3E; 是数字实体写成的标签。',
      '&quot;双引号&quot; &#39;单引号&#39; &amp; 和号 &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; 结束表格的尝试。'],
     "省直机关工会</td></tr></table><img src=x onerror=alert(1)>"),
    ("/news/x/bad-links.html", "畸形链接测试：职工之家示范点名单公布",
     ['职工之家示范点名单公布。附件：<a href="http://[evil/名单.pdf">名单.pdf</a>（主机名写坏了的链接）',
      '<img src="http://a／b/x.jpg"><img src="//[::1/y.jpg"><a href="http://x:99999/z.doc">端口越界的附件.doc</a>'
      '这些链接都无法解析，但文章本身完好，应当归档。',
      '附件：<a href="./名单2.pdf">名单2.pdf</a>（这个链接是好的）'],
     "省直机关工会"),
]


@dataclass
class Route:
    """One path of the hostile site: what it sends, and what the archive must make of it."""

    kind: str
    expect: str = ""  # a failure reason's text, or "" for a page that must be archived
    title: str = ""
    data: bytes = b""
    ctype: str | None = "text/html; charset=utf-8"
    extra: dict[str, str] = field(default_factory=dict)


def _good(n: int) -> tuple[str, Route]:
    title = f"省直机关工会第{n}期职工书屋读书分享会举行"
    return f"/news/good/{n}.html", Route("page", title=title,
                                         data=article_page(title, _prose(n, "读书分享会")).encode())


def build_routes(size_bound: int = SIZE_BOUND) -> dict[str, Route]:
    """Every path the hostile site answers (traps are answered by pattern, see HostileServer)."""
    routes: dict[str, Route] = dict(_good(n) for n in range(1, 7))
    for path, title, paragraphs, source in SCRIPTED:
        page = article_page(title, paragraphs, raw=True, source=source,
                            head=f"<script>{PAYLOAD_JS}</script><style>body{{display:none}}</style>")
        routes[path] = Route("page", title=title, data=page.encode())
    gbk_title = "省直机关工会开展“职工之家”示范点验收工作（GBK字节，声明UTF-8）"
    routes["/news/gbk-declared-utf8.html"] = Route(
        "page", title=gbk_title, ctype="text/html; charset=utf-8",
        data=article_page(gbk_title, _prose(7, "验收工作") + ["镕、珺、堃等字也要读对。"], charset="utf-8").encode("gbk"))
    no_type = "省直机关工会举办职工摄影作品展（服务器没有发送 Content-Type）"
    routes["/news/no-content-type.html"] = Route("page", title=no_type, ctype=None,
                                                 data=article_page(no_type, _prose(8, "摄影作品展")).encode())
    plain = "省直机关工会举办职工书法比赛（服务器说是 text/plain）"
    routes["/news/text-plain.html"] = Route("page", title=plain, ctype="text/plain; charset=utf-8",
                                            data=article_page(plain, _prose(9, "书法比赛")).encode())
    unclosed = "省直机关工会举办职工乒乓球比赛（HTML 没有写完）"
    full = article_page(unclosed, _prose(10, "乒乓球比赛"))
    routes["/news/unclosed-html.html"] = Route("page", title=unclosed, data=full[:full.index("</div></div>")].encode())
    routes.update(_bad_routes(size_bound))
    return routes


@functools.cache
def gzip_bomb(inflated_mib: int = BOMB_MIB) -> bytes:
    """About half a megabyte of gzip that inflates to `inflated_mib` MiB of HTML (built once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    spaces = b" " * (1 << 20)
    parts = [packer.compress(b"<html><body>")]
    parts += [packer.compress(spaces) for _ in range(inflated_mib)]
    return b"".join(parts) + packer.compress(b"</body></html>") + packer.flush()


def _bad_routes(size_bound: int) -> dict[str, Route]:
    big = article_page("超大页面", ["很长的段落。" * (size_bound // 6)]).encode()
    looks_ok = article_page("连接中断的文章", _prose(11, "连接中断")).encode()
    return {
        "/bad/oversize.html": Route("page", "larger than download max size", data=big),
        "/bad/oversize-unannounced.html": Route("stream", "larger than download max size", data=big),
        "/bad/gzip-bomb.html": Route("page", "exceeded DOWNLOAD_MAXSIZE", data=gzip_bomb(),
                                     extra={"Content-Encoding": "gzip"}),
        "/bad/hang.html": Route("hang", "took longer than"),
        "/bad/trickle.html": Route("trickle", "took longer than"),
        "/bad/loop-a.html": Route("redirect", "redirect loop", extra={"Location": "/bad/loop-b.html"}),
        "/bad/loop-b.html": Route("redirect", "", extra={"Location": "/bad/loop-a.html"}),
        "/bad/offhost.html": Route("redirect", "redirected off the site", extra={"Location": "{OFFSITE}/news/good/1.html"}),
        "/bad/cut.html": Route("cut", "the connection closed before the whole response arrived", data=looks_ok),
        "/bad/empty.html": Route("page", "NotAnArticle: empty page", data=b""),
        "/bad/binary.html": Route("page", "NotAnArticle: binary content", data=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64),
        "/bad/image-as-html.html": Route("page", "NotAnArticle: binary content", ctype="image/png",
                                         data=b"GIF89a" + bytes(range(256)) * 16),
    }


# -- the server ----------------------------------------------------------------------------------

class HostileServer:
    """Serve the hostile site on 127.0.0.1 (port 0): `with HostileServer() as site: ...`."""

    def __init__(self, size_bound: int = SIZE_BOUND, host: str = "127.0.0.1", port: int = 0) -> None:
        self.size_bound = size_bound
        self.routes = build_routes(size_bound)
        self.stopping = threading.Event()
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), _handler_for(self))
        self.host, self.port = self._httpd.server_address[:2]
        self.origin = f"http://{self.host}:{self.port}"
        self.offsite = f"http://localhost:{self.port}"
        self._thread: threading.Thread | None = None

    # what tests read

    def url(self, path: str) -> str:
        return self.origin + path

    @property
    def start_urls(self) -> list[str]:
        return [self.url(p) for p in (NEWS_COLUMN, ENDLESS_COLUMN, CALENDAR_COLUMN, FLOOD_COLUMN)]

    @property
    def good(self) -> dict[str, str]:
        """{url: title} of every page that is an article and must be archived."""
        return {self.url(p): r.title for p, r in self.routes.items() if r.kind == "page" and r.title}

    @property
    def scripted(self) -> dict[str, str]:
        return {self.url(path): self.routes[path].title for path, *_ in SCRIPTED}

    @property
    def bad(self) -> dict[str, str]:
        """{url: text its failures row's reason must contain} for each hostile-server case."""
        return {self.url(p): r.expect for p, r in self.routes.items() if r.expect}

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def edit(self, path: str, paragraph_html: str) -> None:
        """Add a paragraph (raw HTML) at the end of an article's body: the site revised it."""
        route = self.routes[path]
        page = route.data.decode("utf-8")
        at = page.index("</div></div>")
        route.data = (page[:at] + f"<p>{paragraph_html}</p>\n" + page[at:]).encode("utf-8")

    # lifecycle

    def start(self) -> HostileServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting and release hanging handlers (they watch `stopping`)."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # pages made on the fly

    def news_list(self) -> bytes:
        links = [(p, r.title or p.rsplit("/", 1)[-1]) for p, r in self.routes.items()
                 if p.startswith(("/news/", "/bad/")) and p != "/bad/loop-b.html"]
        return list_page("工会新闻", links).encode()

    def endless_list(self, page: int) -> bytes:
        """Page n of a column that never ends: each page links two new (missing) articles."""
        links = [(f"{ENDLESS_COLUMN}a/{page}-{i}.html", f"无尽分页第{page}页第{i}条新闻标题") for i in range(2)]
        return list_page("无尽分页", links, f"{ENDLESS_COLUMN}index_{page + 1}.html").encode()

    def calendar_list(self, month: int) -> bytes:
        """A calendar month: the same two articles every month, and a next month forever."""
        year, m = divmod(month, 12)
        links = [(f"/news/good/{n}.html", f"省直机关工会第{n}期职工书屋读书分享会举行") for n in (1, 2)]
        return list_page(f"{year}年{m + 1}月", links, f"{CALENDAR_COLUMN}?month={year}-{m + 2:02d}"
                         if m < 11 else f"{CALENDAR_COLUMN}?month={year + 1}-01").encode()

    def flood_list(self) -> bytes:
        links = [(f"{FLOOD_COLUMN}item/{i}.html", f"一页一万个链接中的第{i}条新闻") for i in range(FLOOD_LINKS)]
        return list_page("一万个链接", links).encode()


def _handler_for(site: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        hostile = site

    return Handler


class _Handler(BaseHTTPRequestHandler):
    hostile: HostileServer
    protocol_version = "HTTP/1.1"
    server_version = "Hostile/1.0"
    timeout = 60
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        route = self.hostile.routes.get(parts.path)
        if route is not None:
            return self._route(route)
        generated = self._generated(parts.path, parts.query)
        if generated is not None:
            return self._send(200, generated, "text/html; charset=utf-8")
        self._send(404, b"<html><body><h1>404</h1></body></html>", "text/html; charset=utf-8")

    def _generated(self, path: str, query: str) -> bytes | None:
        site = self.hostile
        if path == NEWS_COLUMN:
            return site.news_list()
        if path == FLOOD_COLUMN:
            return site.flood_list()
        if path == ENDLESS_COLUMN:
            return site.endless_list(0)
        if path.startswith(f"{ENDLESS_COLUMN}index_") and path.endswith(".html"):
            number = path[len(ENDLESS_COLUMN) + 6:-5]
            return site.endless_list(int(number)) if number.isdigit() and len(number) < 9 else None
        if path == CALENDAR_COLUMN:
            year, _, month = query.removeprefix("month=").partition("-")
            if year.isdigit() and month.isdigit() and len(year) < 7:
                return site.calendar_list(int(year) * 12 + int(month) - 1)
            return site.calendar_list(CALENDAR_START)
        return None

    def _route(self, route: Route) -> None:
        if route.kind == "page":
            return self._send(200, route.data, route.ctype, route.extra)
        if route.kind == "redirect":
            location = route.extra["Location"].replace("{OFFSITE}", self.hostile.offsite)
            return self._send(302, b"", "text/html", {"Location": location})
        self._log(200)
        getattr(self, "_" + route.kind)(route)

    def _stream(self, route: Route) -> None:
        """No Content-Length: the body runs until the connection closes, far past the bound."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        block = (route.data * (1 + (1 << 20) // max(len(route.data), 1)))[: 1 << 20]
        self._write_slowly(block, chunk=1 << 20, pause=0.0, repeat=STREAM_MIB)

    def _hang(self, route: Route) -> None:
        """Read the request, answer nothing until the client gives up or the server stops."""
        self.close_connection = True
        self._wait_for_client(HANG_SECONDS)

    def _trickle(self, route: Route) -> None:
        """Headers at once, then one byte every 0.2 s of a body that would take hours."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self._write_slowly(b"<" + b" " * 99_999, chunk=1, pause=0.2)

    def _cut(self, route: Route) -> None:
        """Promise the whole page, send half of it, close the connection."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(route.data)))
        self.end_headers()
        self.wfile.write(route.data[: len(route.data) // 2])
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)

    def _write_slowly(self, data: bytes, chunk: int, pause: float, repeat: int = 1) -> None:
        deadline = time.monotonic() + HANG_SECONDS
        try:
            for start in [s for _ in range(repeat) for s in range(0, len(data), chunk)]:
                if self.hostile.stopping.is_set() or time.monotonic() > deadline:
                    return
                self.wfile.write(data[start:start + chunk])
                self.wfile.flush()
                if pause:
                    self.hostile.stopping.wait(pause)
        except OSError:  # the client gave up: that is the point
            return

    def _wait_for_client(self, seconds: float) -> None:
        self.connection.settimeout(0.2)
        deadline = time.monotonic() + seconds
        while not self.hostile.stopping.is_set() and time.monotonic() < deadline:
            try:
                if self.connection.recv(1024) == b"":
                    return  # the client closed its end
            except socket.timeout:
                continue
            except OSError:
                return

    def _log(self, status: int) -> None:
        self.hostile.record(LoggedRequest(
            method=self.command, path=self.path, host=self.headers.get("Host", ""), status=status,
            user_agent=self.headers.get("User-Agent", ""), if_none_match=None, if_modified_since=None,
            at=time.time()))

    def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        self._log(status)
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # a client that cancels an oversize download closes early
            pass
