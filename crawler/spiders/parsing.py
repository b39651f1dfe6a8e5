"""Where the spider's article pages are parsed: in a parser process beside the crawl, or in place.

Parsing is a fifth of the crawl process's CPU (bench/crawl.py: 0.5 of 2.5 ms per article), and
a Scrapy crawl runs on one core. `ParserProcess` parses in a child process
(archive.processes.OrderedChild: the pages of one event-loop turn in one message, the records
back in one answer) while the crawl goes on fetching, on the machine's other core. The parser is
a pure function (bytes, URL and profile in, record out), so the child gives exactly the record
the crawl's process would. A page that kills the child (a crash in lxml, memory) fails with the
pages the child held, each recorded as a parse failure with its raw bytes (`unionnews reparse`
reads them again); the pages that waited for it, and the next, go to a fresh child. So does a
page the parser spends over UNIONNEWS_PARSE_TIMEOUT seconds on (a page built to make it hang:
in the crawl's own process, it would stop the crawl). `InlineParser` parses in the crawl's process (UNIONNEWS_PARSE_PROCESS =
False, or a reactor other than asyncio's).
"""

from __future__ import annotations

from typing import Any

from archive.processes import OrderedChild, serve_in_order
from crawler.parse import parse_article
from crawler.profiles import Profile
from crawler.rules import describe, header_charset


class ParseFailed(Exception):
    """The parser's reason a page gave no record (or that the parser process died), in words."""


def reason(exc: BaseException) -> str:
    """One line for the failures table: the parser's own words for a page it refused."""
    return str(exc) if isinstance(exc, ParseFailed) else describe(exc)


def job_of(response: Any, profile: Profile) -> tuple[bytes, str, str | None, Profile]:
    """What the parser needs of a response: its bytes, URL, the charset its Content-Type names
    (the parser reads the page's own after) and the site's profile."""
    charset = header_charset(response.headers.get(b"Content-Type", b"").decode("latin-1"))
    return response.body, response.url, charset, profile


class InlineParser:
    """Parses in the crawl's process."""

    async def parse(self, response: Any, profile: Profile) -> dict:
        return _parse(job_of(response, profile))

    def close(self) -> None:
        pass


class ParserProcess:
    """Parses in a child process; started at the first page, again after one died."""

    def __init__(self, timeout: float | None = None) -> None:
        self.child: OrderedChild | None = None
        self.timeout = timeout

    async def parse(self, response: Any, profile: Profile) -> dict:
        """The page's record (or ParseFailed with the parser's reason), once a child has it. A
        page a dead child never received goes to the next child (a few times at most)."""
        job = job_of(response, profile)
        for _ in range(3):
            if self.child is None or self.child.failed is not None:
                self.child = OrderedChild("parser", serve, error=ParseFailed, timeout=self.timeout)
            try:
                return await self.child.submit(job)
            except ParseFailed as exc:
                if getattr(exc, "sent", True):
                    raise
                unsent = exc
        raise unsent

    def close(self) -> None:
        if self.child is not None:
            try:
                self.child.close()
            except ParseFailed:  # it died after its last page: nothing waits for it
                pass


def parser_for(settings: Any, asyncio_reactor: bool) -> InlineParser | ParserProcess:
    """The parser a crawl uses: a child process unless UNIONNEWS_PARSE_PROCESS is off (or the
    reactor is not asyncio's, whose event loop the child's answers arrive on)."""
    if asyncio_reactor and settings.getbool("UNIONNEWS_PARSE_PROCESS"):
        return ParserProcess(settings.getfloat("UNIONNEWS_PARSE_TIMEOUT") or None)
    return InlineParser()


def serve(jobs: Any, replies: Any, parent: int) -> None:
    """The parser process: a record (or the reason there is none) for each page, in order."""
    serve_in_order(jobs, replies, parent, _parse)


def _parse(job: tuple[bytes, str, str | None, Profile]) -> dict:
    body, url, charset, profile = job
    return parse_article(body, url, encoding=charset, profile=profile)
