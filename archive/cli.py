"""The `unionnews` command: one subcommand per job, each a thin layer over the library."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="unionnews")
def cli() -> None:
    """Crawl the union site into a SQLite archive, search it, and publish it with Datasette."""


def main() -> None:
    cli()
