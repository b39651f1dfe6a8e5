"""The one item type the spiders yield: a fetched article page and what the parser made of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One article as parsed from one response.

    `url` is the canonical URL (rel=canonical, redirects and tracking queries resolved);
    `fetched_url` is the URL that was requested. `raw` holds the response bytes exactly as
    the server sent them, so the archive can be re-extracted without the network.
    `final_url` is where redirects ended; `warc` locates the response's WARC record
    (`file`, `offset`, `length`, `digest`: see pipelines.warc), empty when capture is off.
    """

    url: str
    title: str
    published_at: str | None
    body: str
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    column: str | None = None
    images: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    #: The name the article's link gives each attachment, where it gives one: {url: name}.
    attachment_names: dict[str, str] = field(default_factory=dict)
    fetched_url: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""
    fetched_at: str = ""
    final_url: str = ""
    warc: dict[str, Any] = field(default_factory=dict)
    #: The site profile's name (or the host, for a site crawled without one): the archive's `site`.
    site: str | None = None
    #: The further pages of an article split over several, as fetched: url, raw, status,
    #: headers, fetched_at, final_url, warc (the archive keeps their bytes beside the first's).
    parts: list[dict[str, Any]] = field(default_factory=list)
    #: Characters of the body, spaces and line breaks not counted (字数; crawler.rules).
    characters: int = 0
    #: Which rule produced each field (crawler.parse's `explain`): {"title": "profile:h1", ...}.
    explain: dict[str, str | None] = field(default_factory=dict)
    #: Its images and attachments as the files step stored them (rows of the files table), and
    #: (url, reason) of those it could not store: written with the article, in its transaction.
    files_stored: list[dict[str, Any]] = field(default_factory=list)
    files_failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ListedFile:
    """List items that are files themselves (a notice published as a PDF, not an article page).

    `url` is the list page that lists them; the files pipeline downloads each of `files` and
    keeps it in the archive's `files` table (kind `listed`), never as an article.
    """

    url: str
    files: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    files_stored: list[dict[str, Any]] = field(default_factory=list)
    files_failed: list[tuple[str, str]] = field(default_factory=list)
