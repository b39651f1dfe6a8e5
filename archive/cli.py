"""The `unionnews` command: one subcommand per job, each a thin layer over the library."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import click

from archive import search as searching
from archive.crawl import CrawlError, load_crawl_config
from archive.crawl import crawl as crawl_here
from archive.options import CrawlOptions
from archive.db import ArchiveError, open_archive
from archive.fixity import FixityError, default_dirs, verify_archive
from archive.reparse import reparse_archive
from crawler.encoding import decode_html
from crawler.profiles import ProfileError, list_profiles, load_profile
from crawler.profiling import (
    ArticleSample, ListSample, ProfileRefused, derive_profile, is_article, list_page_links,
)
from crawler.settings import USER_AGENT
from crawler.sites import ALL, start_urls_of


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="unionnews")
def cli() -> None:
    """Crawl the union site into a SQLite archive, search it, and publish it with Datasette."""


class ArchiveDamaged(click.ClickException):
    """`verify` found a bad or missing file: exit 1 (could not run at all: exit 2)."""

    exit_code = 1


class CannotRun(click.ClickException):
    """A command could not run at all (no database, unreadable folder): exit 2."""

    exit_code = 2


@cli.command()
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--warc-dir", type=click.Path(file_okay=False),
              help="WARC folder [default: $UNIONNEWS_WARC_DIR, else warc/ beside the database].")
@click.option("--files-dir", type=click.Path(file_okay=False),
              help="Attachment folder [default: files/ beside the database].")
def verify(db_path: str, warc_dir: str | None, files_dir: str | None) -> None:
    """Recompute every stored digest and report damaged or missing files.

    Checks each WARC file against the sha256 recorded when it was closed, every WARC record
    against its block and payload digests, every record pointer in the database, and every
    stored image or attachment against its sha256. Each problem is printed as one line
    naming the file.

    Exit status: 0 all digests match; 1 something is damaged or missing; 2 could not run.

    \b
    Example:
        unionnews verify --db archive.db
    """

    try:
        report = verify_archive(db_path, warc_dir, files_dir)
    except FixityError as exc:
        raise CannotRun(str(exc)) from None
    for problem in report.problems:
        click.echo(f"BAD {problem}")
    if not report.ok:
        raise ArchiveDamaged(report.summary())
    click.echo(report.summary())


@cli.command()
@click.option("--start-url", "start_urls", multiple=True, metavar="URL",
              help="A column's list page; repeat for each column.")
@click.option("--site", "site_names", multiple=True, metavar="NAME",
              help="Site profile: a name from `unionnews sites`, a .toml path, `generic` (no "
                   "profile), or `all`; without --start-url, the profiles' own columns.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML file naming the columns (start_urls = [...]), optionally db and delay.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Archive database [default: the config file's db, else $UNIONNEWS_DB, else archive.db].")
@click.option("--full", is_flag=True, help="Walk every list page and re-fetch every article.")
@click.option("--delay", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Pause between requests to the site [default: 1, throttled]; 0 for the replica.")
@click.option("--max-articles", type=click.IntRange(min=1), metavar="N",
              help="Fetch at most N article pages in this run.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write Scrapy's log (INFO) here.")
@click.option("--progress/--no-progress", default=None,
              help="Live counters on stderr [default: on when stderr is a terminal].")
@click.option("--warc-dir", type=click.Path(file_okay=False),
              help="Write the WARC files here [default: $UNIONNEWS_WARC_DIR, else warc/ beside "
                   "the database].")
@click.option("--redis", "redis_url", metavar="URL",
              help="Distributed: share the frontier in Redis (redis://HOST:PORT/N) with other "
                   "crawlers; items go to `unionnews ingest`, which writes the archive.")
def crawl(start_urls: tuple[str, ...], site_names: tuple[str, ...], config_path: str | None,
          db_path: str | None, full: bool, delay: float | None, max_articles: int | None,
          log_file: str | None, progress: bool | None, warc_dir: str | None,
          redis_url: str | None) -> None:
    """Crawl the columns' list pages and articles into the archive.

    Incremental by default: each column's list is walked until it reaches articles already
    archived. --full walks every page and re-fetches every article (conditional requests
    save bytes) to catch edits, which are kept in the revisions table. Only one crawl runs
    on a database at a time. Ends with one summary line on stdout.

    \b
    Exit status:
      0  the crawl ran (pages that failed are recorded in the failures table)
      1  it could not run, or only partly: bad argument, unwritable or locked database,
         unreachable start URL, interrupted
      3  the site looks changed: a profile selector found nothing (generic extraction
         took over and everything was archived; the warning names each selector), list
         pages without article links, or far fewer new articles with a date, time,
         source or body than the archive's history
    \b
    Examples:
      unionnews crawl --start-url https://example.org/xwzx/ghxw/ --start-url https://example.org/xwzx/tzgg/
      unionnews crawl --config columns.toml --db /srv/unionnews/archive.db --log-file crawl.log
      unionnews crawl --start-url http://127.0.0.1:8000/xwzx/ghxw/ --delay 0 --full
      unionnews crawl --site cdzgh --start-url https://example.org/a/ghyw/ --db unions.db
      unionnews crawl --start-url https://other-union.example.org/news/   (no profile: read generically)
      unionnews crawl --redis redis://10.0.0.5:6379/0 --config columns.toml   (on each machine)
    """
    try:
        config = load_crawl_config(config_path) if config_path else {}
        options = CrawlOptions.resolve(
            _crawl_sites(list(start_urls), site_names, config), config, db=db_path, delay=delay,
            warc_dir=warc_dir, full=full, max_articles=max_articles, log_file=log_file,
            progress=sys.stderr.isatty() if progress is None else progress, redis_url=redis_url)
        if options.redis_url:
            _crawl_worker(options)
            return
        summary = crawl_here(options)
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    _finish(summary)


def _finish(summary: Any) -> NoReturn:
    """End `crawl` or `ingest` the way cron reads it: the summary line on stdout, template-change
    warnings and errors on stderr, and the run's documented exit code."""

    click.echo(summary.line())
    for warning in summary.warnings:
        click.echo(f"WARNING: the site may have changed its template: {warning}", err=True)
    if summary.errors:
        raise click.ClickException("; ".join(summary.errors))
    sys.exit(summary.exit_code)


def _crawl_worker(options: CrawlOptions) -> None:
    """`crawl --redis`: this process is one crawler of a shared crawl (archive.distributed)."""
    # imported here, not at the top: it loads Scrapy, Datasette or wacz (~0.4 s),
    # which only this command should pay for
    from archive.distributed import crawl_worker

    summary = crawl_worker(options)
    click.echo(summary.line())
    if summary.errors:
        raise click.ClickException("; ".join(summary.errors))


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The Redis the crawlers share (redis://HOST:PORT/N).")
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=60, show_default=True,
              metavar="SECONDS", help="Give up when no crawler joins within this time.")
@click.option("--crawlers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Do not finish before N crawlers have joined (within --wait): for crawlers "
                   "that start later than others finish.")
def ingest(redis_url: str, db_path: str, wait_seconds: float, crawlers: int) -> None:
    """Write a distributed crawl into the archive: the one writer of the SQLite file.

    Start it first: it starts the crawl (clears the shared frontier, publishes what the
    archive holds so crawlers walk incrementally), then writes the items that the crawlers
    (`unionnews crawl --redis URL`, any number, on any machines) send through Redis, and
    ends with the run's summary line once every crawler is done. The responses the crawlers
    receive come too: it writes them into warc/ beside the archive ($UNIONNEWS_WARC_DIR) and
    stores images and attachments in files/, as a local crawl does.

    \b
    Exit status: 0 the crawl ran; 1 it could not run or was left unfinished; 3 the site
    looks changed (as for crawl).
    \b
    Example:
      unionnews ingest --redis redis://10.0.0.5:6379/0 --db /srv/unionnews/archive.db
    """
    # imported here, not at the top: it loads Scrapy, Datasette or wacz (~0.4 s),
    # which only this command should pay for
    from archive.ingest import ingest as run_ingest

    try:
        summary = run_ingest(redis_url, db_path, wait_seconds=wait_seconds, crawlers=crawlers)
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    _finish(summary)


def _crawl_sites(start_urls: list[str], names: tuple[str, ...],
                 config: dict) -> dict[str, str | None]:
    """start URL -> site for `crawl`: --site applies to the --start-url columns; alone, it
    crawls the named profiles' own columns; config columns may name their own site."""

    sites: dict[str, str | None] = dict(config.get("sites") or {})
    sites.update({url: None for url in config.get("start_urls", []) if url not in sites})
    if start_urls and (len(names) > 1 or ALL in names):
        raise CrawlError("with --start-url give one --site (the profile those columns belong to)")
    if start_urls:
        sites.update({url: names[0] if names else None for url in start_urls})
    elif names:
        try:
            sites.update(start_urls_of(list(names)))
        except ProfileError as exc:
            raise CrawlError(str(exc)) from None
    return sites


@cli.command()
def sites() -> None:
    """List the bundled site profiles: name (the archive's `site` value), title, columns.

    Crawl one with `unionnews crawl --site NAME --start-url URL`; a site with no profile is
    crawled with `--site generic` and archived under its host name.

    \b
    Example:
        unionnews sites
    """

    try:
        profiles = list_profiles()
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    for profile in profiles:
        columns = f"{len(profile.start_urls)} columns" if profile.start_urls else "columns by --start-url"
        click.echo(f"{profile.name}\t{profile.title}\t{columns}")
        for url in profile.start_urls:
            click.echo(f"\t{url}")
    click.echo("generic\t(any site without a profile: generic extraction, archived under its host)")


@cli.command()
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
def reparse(db_path: str) -> None:
    """Re-run the parser over the archived raw pages, without the network.

    After a parser improvement, this updates every article from the bytes the crawl kept, each
    page read with its own site's profile (generic extraction for a site without a bundled
    one); articles whose title or body changes keep their earlier version in revisions. Pages
    that no longer parse are recorded in failures and their article is left as it was; pages
    that failed to parse during a crawl (kept with their bytes) are archived under their
    canonical URL if they now parse.

    \b
    Example:
      unionnews reparse --db archive.db
    """
    if not Path(db_path).is_file():
        raise click.ClickException(f"no archive at {db_path}")
    try:
        summary = reparse_archive(db_path)
    except (CrawlError, ArchiveError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary.line())
    if summary.attachments and summary.attachments.read:
        click.echo(summary.attachments.line())


@cli.command()
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--warc-dir", type=click.Path(file_okay=False),
              help="WARC folder [default: $UNIONNEWS_WARC_DIR, else warc/ beside the database].")
@click.option("--wacz", "wacz_path", type=click.Path(dir_okay=False),
              help="Write a WACZ package (WARCs, index, page list) for replay tools.")
@click.option("--jsonl", "jsonl_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the article records as JSON Lines ('-' for stdout).")
@click.option("--run", "run", metavar="N", help="WACZ of crawl run N's records only.")
@click.option("--since", metavar="DATE", help="WACZ of the records fetched since DATE (UTC).")
def export(db_path: str, warc_dir: str | None, wacz_path: str | None,
           jsonl_path: str | None, run: str | None, since: str | None) -> None:
    """Export the archive for other tools: WACZ for replay, JSON Lines for the articles.

    The WACZ holds every WARC file (each checked against its recorded sha256 first), a CDXJ
    index, the list of archived articles (pages/pages.jsonl: URL, ts, title) and
    datapackage-digest.json; ReplayWeb.page and pywb open it. With --run N it holds only the
    records run N wrote, with --since DATE those fetched since then (each with the records
    its revisits name, so every page replays). The JSON Lines file has one article per line
    with all its fields and its earlier versions.

    Exit status: 0 written; 1 the export could not be made (the message says why).

    \b
    Examples:
        unionnews export --wacz unionnews.wacz
        unionnews export --wacz run-7.wacz --run 7
        unionnews export --wacz week.wacz --since 2026-11-27
        unionnews export --jsonl articles.jsonl --db archive.db
    """

    # imported here, not at the top: it loads Scrapy, Datasette or wacz (~0.4 s),
    # which only this command should pay for
    from archive.export import ExportError, export_jsonl, export_wacz, parse_since

    if not wacz_path and not jsonl_path:
        raise click.UsageError("say what to write: --wacz PATH and/or --jsonl PATH")
    if (run is not None or since is not None) and not wacz_path:
        raise click.ClickException("--run and --since choose the records of a WACZ: give --wacz PATH")
    if run is not None and since is not None:
        raise click.ClickException("give --run N or --since DATE, not both")
    if run is not None and not (run.strip().isdigit() and int(run) > 0):
        raise click.ClickException(f"--run {run!r} is not a crawl run number (1, 2, ...)")
    try:
        when = parse_since(since) if since is not None else None
        if jsonl_path:
            count = export_jsonl(db_path, jsonl_path)
            if jsonl_path != "-":
                click.echo(f"wrote {count} articles to {jsonl_path}")
        if wacz_path:
            folder = Path(warc_dir) if warc_dir else default_dirs(db_path)[0]
            pages = export_wacz(folder, wacz_path, db_path, run=int(run) if run else None, since=when)
            click.echo(f"wrote {wacz_path} ({pages} article pages listed)")
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--column", "columns", multiple=True, metavar="NAME",
              help="Only articles of this column (栏目), e.g. 工会新闻; repeatable.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only articles with this source (来源); repeatable.")
@click.option("--site", "sites", multiple=True, metavar="NAME",
              help="Only articles of this site (see `unionnews sites`); repeatable.")
@click.option("--since", metavar="DATE", help="Published on or after DATE (2023, 2023-01, 2023-01-18).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (inclusive).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Show at most N results.  [default: 20; with --new, every new one]")
@click.option("--new", "only_new", is_flag=True,
              help="Only articles archived since this query and filters were last asked with "
                   "--new, newest first (the first time: every match); the mark is kept in the "
                   "archive. Prints nothing when nothing is new (cron mails nothing).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of {url, title, published_at, snippet, attachments, ...}; "
                   "[] if none.")
@click.argument("query", nargs=-1, required=True)
def search(db_path: str, columns: tuple[str, ...], sources: tuple[str, ...], sites: tuple[str, ...],
           since: str | None, until: str | None, limit: int | None, only_new: bool, as_json: bool,
           query: tuple[str, ...]) -> None:
    """Find the articles whose title or body, or one of whose attachments, contains QUERY.

    Any text works, Chinese or not, of any length: 工, 工会, 2022年, 安康杯. Several words
    separated by spaces must all occur; "double quotes" keep a phrase together. Nothing else is
    syntax (*, OR, -, brackets are searched for as they are). Titles that match rank first,
    articles found only through an attachment come after those found in their own text, and
    files listed on list pages (no article page) last. Each result names the attachments (PDF,
    Word, Excel) that hold the words, with a snippet of each. Put a query that starts with -
    after --.

    With --new, only what was archived since the same query and filters were last asked with
    --new is printed (newest first), so a cron job can mail it; the first run prints every
    match and records the mark.

    \b
    Examples:
        unionnews search 工会
        unionnews search 职工 书屋 --column 工会新闻 --since 2022
        unionnews search 劳模 --site cdzgh
        unionnews search --json --limit 5 '"安康杯 竞赛"'
        unionnews search -- -工
        unionnews search --new 职工之家 --column 工会新闻     # e.g. daily from cron
    """
    if not Path(db_path).is_file():
        raise CannotRun(f"no archive at {db_path} (crawl first, or give --db)")
    filters = {"columns": columns, "sources": sources, "sites": sites, "since": since, "until": until}
    text = " ".join(query)
    try:
        db = open_archive(db_path)
        if only_new:
            found = searching.new_matches(db, text, **filters)
            _echo_new(text, found, limit, as_json)
            return
        limit = limit or 20
        hits = searching.search(db, text, limit=limit, **filters)
        total = searching.count(db, text, **filters) if hits and not as_json else len(hits)
        # files listed on list pages (no article of their own), after the articles, within --limit
        files = [] if any(filters.values()) else searching.listed_files(db, text, limit - len(hits))
    except (ArchiveError, searching.SearchError) as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps([hit.to_dict() for hit in hits + files], ensure_ascii=False, indent=2))
        return
    if not hits and not files:
        click.echo("No article matches.", err=True)
    for number, hit in enumerate(hits, start=1):
        _echo_hit(number, hit)
    for number, found in enumerate(files, start=len(hits) + 1):
        _echo_file(number, found)
    if total > len(hits):
        click.echo(f"{total} articles match; the best {len(hits)} are shown (--limit N for more).",
                   err=True)


def _echo_new(text: str, found, limit: int | None, as_json: bool) -> None:
    """What `search --new` prints: the new hits (at most `limit`), nothing when there are none."""
    hits = found.hits[:limit] if limit else found.hits
    if as_json:
        click.echo(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
    elif hits:
        since = "first time asked" if found.first_time else f"since {found.last_asked_at}"
        plural = "s" if len(found.hits) != 1 else ""
        click.echo(f"{len(found.hits)} new article{plural} match {text} ({since})")
        for number, hit in enumerate(hits, start=1):
            _echo_hit(number, hit)
    if len(found.hits) > len(hits):
        click.echo(f"{len(found.hits) - len(hits)} more new articles are not shown (--limit {limit}).",
                   err=True)


def _echo_hit(number: int, hit) -> None:
    """One search result for a terminal: title, date, column and source, snippet, URL."""

    def bright(text: str) -> str:
        return click.style(text, fg="red", bold=True)

    details = "  ".join(part for part in (hit.published_at, hit.column, hit.source) if part)
    click.echo(f"{number:>2}. {_styled(hit.title, hit.title_highlights, bright)}  "
               f"{click.style(details, dim=True)}")
    click.echo(f"    {_styled(hit.snippet, hit.highlights, bright)}")
    click.echo(f"    {click.style(hit.url, fg='blue')}")
    for found in hit.attachments:  # the article's attachments that hold the words
        click.echo(f"    附件 {click.style(found.name, bold=True)}: {_styled(found.snippet, found.highlights, bright)}")
        click.echo(f"      {click.style(found.url, fg='blue')}")


def _echo_file(number: int, found) -> None:
    """A file listed on a list page whose text matches: its name, snippet, URL and list page."""

    def bright(text: str) -> str:
        return click.style(text, fg="red", bold=True)

    click.echo(f"{number:>2}. 附件 {click.style(found.name, bold=True)}  "
               f"{click.style('(listed on a list page, no article page)', dim=True)}")
    click.echo(f"    {_styled(found.snippet, found.highlights, bright)}")
    click.echo(f"    {click.style(found.url, fg='blue')}")
    click.echo(f"    {click.style('listed on ' + found.listed_on, dim=True)}")


def _styled(text: str, spans: list[tuple[int, int]], style) -> str:
    """`text` with `style` applied to each span."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], style(text[start:end])]
        last = end
    return "".join(pieces + [text[last:]])


@cli.command()
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 publishes to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0 picks a free one).")
def serve(db_path: str, host: str, port: int) -> None:
    """Publish the archive with Datasette, read-only: browse, facet, query, export, search.

    Pages: /archive/articles_list (newest first, facets), /archive/search (Chinese full-text
    search), canned queries per month, column and source, /archive/new_articles.atom (feed).
    Configuration is data in archive/datasette/ (metadata.yaml, settings.json, plugins/).

    \b
    Example:
        unionnews serve --db archive.db --port 8001
    """
    # imported here, not at the top: it loads Scrapy, Datasette or wacz (~0.4 s),
    # which only this command should pay for
    from archive.serve import ServeError, free_port
    from archive.serve import serve as run_server

    port = port or free_port(host)
    try:
        run_server(db_path, host=host, port=port,
                   ready=lambda: click.echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)"))
    except ServeError as exc:
        raise CannotRun(str(exc)) from None


@cli.command()
@click.option("--dir", "workdir", type=click.Path(file_okay=False),
              help="Folder for the replica site and archive.db [default: a new temporary folder].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface for Datasette.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port for Datasette (0 picks a free one).")
def demo(workdir: str | None, host: str, port: int) -> None:
    """Serve the bundled replica site, crawl it into an archive, and publish the archive.

    Prints the Datasette URL and a search link, then serves until Ctrl+C. Nothing leaves
    127.0.0.1: the replica is a generated copy of the union site.

    \b
    Example:
        unionnews demo --port 8001
    """

    # imported here, not at the top: it loads Scrapy, Datasette or wacz (~0.4 s),
    # which only this command should pay for
    from archive.serve import ServeError, run_demo

    workdir = workdir or tempfile.mkdtemp(prefix="unionnews-demo-")
    try:
        run_demo(workdir, host=host, port=port, echo=lambda line: click.echo(line))
    except (CrawlError, ServeError) as exc:
        raise CannotRun(str(exc)) from None


@cli.command()
@click.option("--start-url", "start_urls", multiple=True, metavar="URL",
              help="A column's list page (required); repeat for each column.")
@click.option("--name", metavar="NAME", help="Profile name, the archive's `site` value [default: from the host].")
@click.option("--title", metavar="TITLE", help="The site's name [default: its pages' <title> suffix].")
@click.option("--sample", type=click.IntRange(1, 50), default=5, show_default=True, metavar="N",
              help="Article pages sampled per column.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Write the profile here [default: NAME.toml in the current folder].")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
              help="Pause between requests to the site; 0 for the replica.")
def profile(start_urls: tuple[str, ...], name: str | None, title: str | None, sample: int,
            out_path: str | None, force: bool, delay: float) -> None:
    """Write a site profile for a new site from a sample of its pages.

    Fetches each column's first two list pages and N of its articles (robots.txt honoured,
    --delay between requests), and keeps the selectors that agree with generic extraction on
    every sampled page: [list] article_links and next_page (or page_script), [article] title,
    info, body, breadcrumb, editor. A field no selector agrees on is left out (generic
    extraction reads it). Prints one line per selector with the pages it held on, and writes
    the TOML with the same figures as comments. Review it, then crawl with --site PATH.

    Exit status: 0 written; 1 a start URL could not be fetched, the pages disagree (two
    templates: one line says how), the file exists (--force), or a bad argument.

    \b
    Examples:
      unionnews profile --start-url https://example.org/news/gzdt/ --start-url https://example.org/news/tzgg/
      unionnews profile --start-url http://127.0.0.1:8000/xwzx/ghxw/ --name myunion --sample 8 --delay 0
      unionnews crawl --site myunion.toml --start-url https://example.org/news/gzdt/
    """
    hosts = _profile_hosts(start_urls)
    name = name or re.sub(r"[^a-z0-9_-]+", "-", hosts[0].lower()).strip("-_") or "site"
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise click.ClickException(f"--name must be lower-case letters, digits, - or _, not {name!r}")
    out = Path(out_path or f"{name}.toml")
    if out.suffix != ".toml":
        raise click.ClickException(f"--out must name a .toml file, not {str(out)!r}")
    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; give --force to overwrite it")
    lists, articles = _sample_site(_PoliteFetcher(delay), list(dict.fromkeys(start_urls)), sample)
    try:
        derived = derive_profile(lists, articles, name=name, title=title, hosts=hosts, start_urls=start_urls)
    except ProfileRefused as exc:
        raise click.ClickException(f"refused: {exc}") from None
    for line in derived.skipped:
        click.echo(f"skipped {line}")
    for held in derived.report:
        click.echo(held.line())
    try:
        out.write_text(derived.toml(), encoding="utf-8")
        load_profile(out)
    except (OSError, ProfileError) as exc:
        raise click.ClickException(f"could not write {out}: {exc}") from None
    click.echo(f"wrote {out} ({len(lists)} list pages, {len(articles) - len(derived.skipped)} article pages); "
               f"crawl with: unionnews crawl --site {out} --start-url URL")


def _profile_hosts(start_urls: tuple[str, ...]) -> list[str]:

    if not start_urls:
        raise click.ClickException("give at least one --start-url (a column's list page)")
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise click.ClickException(f"--start-url {url!r} is not an http(s) URL")
    return list(dict.fromkeys(urlsplit(url).netloc.lower() for url in start_urls))


class _Unfetched(Exception):
    """A page `profile` could not or may not fetch (the message says why)."""


class _PoliteFetcher:
    """`profile`'s small synchronous fetcher: robots.txt per host, a pause between requests,
    bounded time and size; bytes decoded the way the crawl's parser decodes them."""

    MAX_BYTES = 16 * 1024 * 1024

    def __init__(self, delay: float, timeout: float = 30) -> None:

        self.delay, self.timeout, self.agent = delay, timeout, USER_AGENT
        self.robots: dict[str, Any] = {}
        self.last = 0.0

    def get(self, url: str) -> tuple[str, bytes, str | None]:
        """(final URL, body, header charset); raises _Unfetched."""
        if not self._allowed(url):
            raise _Unfetched("forbidden by robots.txt")
        return self._fetch(url)

    def _fetch(self, url: str) -> tuple[str, bytes, str | None]:
        import time
        import urllib.error
        import urllib.request

        time.sleep(max(0.0, self.last + self.delay - time.monotonic()))
        request = urllib.request.Request(url, headers={"User-Agent": self.agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(self.MAX_BYTES + 1)
                if len(body) > self.MAX_BYTES:
                    raise _Unfetched(f"larger than {self.MAX_BYTES} bytes")
                return response.url, body, response.headers.get_content_charset()
        except urllib.error.HTTPError as exc:
            raise _Unfetched(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise _Unfetched(str(getattr(exc, "reason", exc))) from None
        finally:
            self.last = time.monotonic()

    def _allowed(self, url: str) -> bool:

        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self.robots:
            parser = RobotFileParser()
            try:
                _, body, charset = self._fetch(f"{key}/robots.txt")
                parser.parse(body.decode(charset or "utf-8", "replace").splitlines())
            except _Unfetched:
                parser.parse([])  # no robots.txt: everything allowed
            self.robots[key] = parser
        return self.robots[key].can_fetch(self.agent, url)


def _sample_site(fetcher: _PoliteFetcher, start_urls: list[str], per_column: int) -> tuple[list, list]:
    """Each column's first two list pages and `per_column` of its article pages (spread over
    its list; a page that fails or is no article is replaced by the next link)."""

    lists, articles = [], []
    for start in start_urls:
        try:
            url, body, charset = fetcher.get(start)
        except _Unfetched as exc:
            raise click.ClickException(f"cannot fetch start URL {start}: {exc}") from None
        first = ListSample(url, decode_html(body, charset)[0])
        links, next_url = list_page_links(first)
        lists.append(first)
        if next_url:
            try:
                url, body, charset = fetcher.get(next_url)
                second = ListSample(url, decode_html(body, charset)[0])
                lists.append(second)
                links += [link for link in list_page_links(second)[0] if link not in links]
            except _Unfetched:
                pass
        hosts = {_profile_hosts((start,))[0]}
        links = [link for link in links if _profile_hosts((link,))[0] in hosts]
        step = max(1, len(links) // per_column)
        order = links[::step] + [link for link in links if link not in links[::step]]
        kept = 0
        for link in order:
            if kept >= per_column:
                break
            try:
                url, body, charset = fetcher.get(link)
            except _Unfetched:
                continue
            sample = ArticleSample(url, body, charset)
            if is_article(sample):
                articles.append(sample)
                kept += 1
    return lists, articles


def main() -> None:
    cli()
