"""The `unionnews` command: one subcommand per job, each a thin layer over the library."""

from __future__ import annotations

import click


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
              help="WARC folder [default: warc/ beside the database].")
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
    from archive.fixity import FixityError, verify_archive

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
@click.option("--db", "db_path", envvar="UNIONNEWS_DB", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="Archive database ($UNIONNEWS_DB).")
@click.option("--warc-dir", type=click.Path(file_okay=False),
              help="WARC folder [default: warc/ beside the database].")
@click.option("--wacz", "wacz_path", type=click.Path(dir_okay=False),
              help="Write a WACZ package (WARCs, index, page list) for replay tools.")
@click.option("--jsonl", "jsonl_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the article records as JSON Lines ('-' for stdout).")
def export(db_path: str, warc_dir: str | None, wacz_path: str | None,
           jsonl_path: str | None) -> None:
    """Export the archive for other tools: WACZ for replay, JSON Lines for the articles.

    The WACZ holds every WARC file (each checked against its recorded sha256 first), a CDXJ
    index and the list of archived articles; ReplayWeb.page and pywb open it. The JSON Lines
    file has one article per line with all its fields and its earlier versions.

    Exit status: 0 written; 1 the export could not be made (the message says why).

    \b
    Examples:
        unionnews export --wacz unionnews.wacz
        unionnews export --jsonl articles.jsonl --db archive.db
    """
    from pathlib import Path

    from archive.export import ExportError, export_jsonl, export_wacz
    from archive.fixity import default_dirs

    if not wacz_path and not jsonl_path:
        raise click.UsageError("say what to write: --wacz PATH and/or --jsonl PATH")
    try:
        if jsonl_path:
            count = export_jsonl(db_path, jsonl_path)
            if jsonl_path != "-":
                click.echo(f"wrote {count} articles to {jsonl_path}")
        if wacz_path:
            folder = Path(warc_dir) if warc_dir else default_dirs(db_path)[0]
            pages = export_wacz(folder, wacz_path, db_path)
            click.echo(f"wrote {wacz_path} ({pages} article pages listed)")
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli()
