"""crawler/spiders/parsing.py: the spider's pages parsed in a child process give exactly the
records the parser gives in place, refusals in the parser's own words, and a parser process that
dies is replaced for the next page."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.parse import parse_article
from crawler.profiles import load_profile
from crawler.rules import describe
from crawler.spiders.parsing import InlineParser, ParseFailed, ParserProcess, reason

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def stored(name: str) -> HtmlResponse:
    folder = PAGES / name
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    return HtmlResponse(url, body=(folder / "body.html").read_bytes(),
                        headers={"Content-Type": "text/html"})


def test_a_page_parsed_in_the_parser_process_gives_the_stored_record() -> None:
    profile = load_profile()
    pages = [stored(name) for name in ("seed_ghxw_utf8", "replica_attachments")]

    async def main():
        parser = ParserProcess()
        try:
            return await asyncio.gather(*(parser.parse(page, profile) for page in pages)), \
                await asyncio.gather(*(InlineParser().parse(page, profile) for page in pages))
        finally:
            parser.close()

    in_child, in_place = asyncio.run(main())
    assert in_child == in_place
    expected = json.loads((PAGES / "seed_ghxw_utf8" / "expected.json").read_text(encoding="utf-8"))
    assert {key: in_child[0][key] for key in expected} == expected


def test_a_refused_page_fails_with_the_parsers_own_words() -> None:
    page = HtmlResponse("http://127.0.0.1/x.html", body=b"<html><body><p>hi</p></body></html>")
    with pytest.raises(Exception) as in_place:
        parse_article(page.body, page.url)

    async def main():
        parser = ParserProcess()
        try:
            await parser.parse(page, load_profile())
        finally:
            parser.close()

    with pytest.raises(ParseFailed) as in_child:
        asyncio.run(main())
    assert reason(in_child.value) == describe(in_place.value)
    assert reason(in_child.value).startswith("NotAnArticle: ")


def with_parser(work):
    """Run `work(parser, page, profile)` on a ParserProcess in an event loop, then close it."""
    async def main():
        parser = ParserProcess()
        try:
            return await work(parser, stored("seed_ghxw_utf8"), load_profile())
        finally:
            parser.close()

    return asyncio.run(main())


def test_the_next_page_gets_a_fresh_parser_when_the_process_died() -> None:
    async def work(parser, page, profile):
        first = await parser.parse(page, profile)
        dead = parser.child
        os.kill(dead.process.pid, signal.SIGKILL)
        for _ in range(500):  # its end reaches the event loop as the pipe's EOF
            if dead.failed:
                break
            await asyncio.sleep(0.01)
        assert dead.failed == "the parser process died (exit -9)"
        assert await parser.parse(page, profile) == first
        assert parser.child is not dead

    with_parser(work)


def test_pages_queued_behind_a_dying_parser_go_to_the_next_one() -> None:
    async def work(parser, page, profile):
        expected = await parser.parse(page, profile)
        parser.child.room = 1  # one batch in flight at a time
        os.kill(parser.child.process.pid, signal.SIGSTOP)  # it holds the next page, stuck
        held = asyncio.ensure_future(parser.parse(page, profile))
        await asyncio.sleep(0.05)
        queued = asyncio.ensure_future(parser.parse(page, profile))
        await asyncio.sleep(0.05)
        os.kill(parser.child.process.pid, signal.SIGKILL)
        with pytest.raises(ParseFailed, match=r"^the parser process died \(exit -9\)$"):
            await held
        assert await queued == expected  # never reached the dead parser: parsed by a new one

    with_parser(work)
