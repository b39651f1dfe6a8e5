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


def main() -> None:
    cli()
