"""`python -m replica`: build the replica site, or build and serve it on 127.0.0.1."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .build import DEFAULT_COUNTS, build_site
from .server import ReplicaServer
from .site import Site, SiteError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """The replica of the union site, for tests, benchmarks and the demo."""


@cli.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path), help="Site folder: served as is when it holds a built site, else built into.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--articles-per-column", type=click.IntRange(6), help=f"Articles per column (default {'/'.join(map(str, DEFAULT_COUNTS))}).")
@click.option("--delay", type=click.FloatRange(0), default=0.0, show_default=True, help="Seconds to sleep before each response.")
def serve(directory: Path | None, host: str, port: int, articles_per_column: int | None, delay: float) -> None:
    """Build (unless --dir holds a built site) and serve the replica until Ctrl-C.

    \b
    Examples:
      python -m replica serve
      python -m replica serve --dir /tmp/site --port 8000 --articles-per-column 2000
    """
    try:
        with tempfile.TemporaryDirectory(prefix="replica-") as scratch:
            _serve(_site(directory or Path(scratch), articles_per_column), host, port, delay)
    except KeyboardInterrupt:  # whenever Ctrl-C comes: while building, starting or serving
        click.echo("stopped")


def _serve(site: Site, host: str, port: int, delay: float) -> None:
    try:
        server = ReplicaServer(site.root, host=host, port=port, delay=delay)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    with server:
        count = len(site.raw_truth()["articles"])
        click.echo(f"replica of {count} articles in {site.root}, serving {server.origin}")
        for url in site.start_urls(server.origin):
            click.echo(f"  {url}")
        click.echo("Ctrl-C to stop")
        server.wait()


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--articles-per-column", type=click.IntRange(6), help="Articles per column.")
@click.option("--seed", type=int, default=0, show_default=True)
def build(directory: Path, articles_per_column: int | None, seed: int) -> None:
    """Build the replica into DIRECTORY (pages in DIRECTORY/www, truth in DIRECTORY/truth.json).

    \b
    Example:
      python -m replica build /tmp/site --articles-per-column 2000
    """
    site = build_site(directory, articles_per_column=articles_per_column or DEFAULT_COUNTS, seed=seed)
    click.echo(f"built {len(site.raw_truth()['articles'])} articles into {site.root}")


@cli.command()
@click.option("--articles-per-column", type=click.IntRange(6), default=1700, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=8, show_default=True, help="Concurrent client connections.")
def bench(articles_per_column: int, workers: int) -> None:
    """Time a build, and serving every article against the stdlib static server (same run).

    \b
    Example:
      python -m replica bench --articles-per-column 1700
    """
    from . import bench as measure

    measure.run(articles_per_column, workers, echo=click.echo)


def _site(directory: Path, articles_per_column: int | None) -> Site:
    if (directory / "site.json").exists():
        try:
            return Site.load(directory)
        except (SiteError, ValueError, KeyError) as exc:
            raise click.ClickException(f"{directory}: cannot load the site: {exc}") from None
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} exists and is not a replica site; give an empty or new folder")
    return build_site(directory, articles_per_column=articles_per_column or DEFAULT_COUNTS)


if __name__ == "__main__":
    cli()
