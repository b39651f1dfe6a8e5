"""Dedup: one article, one write per run, however many URLs led to it."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import Article


class DuplicateArticle(DropItem):
    """This run already stored the article under its canonical URL."""


class DedupPipeline:
    """Drops an Article whose canonical URL this run has already passed on.

    The spider resolves the canonical URL (rel=canonical, redirects, tracking parameters
    removed by the clean pipeline), so two list links to one article end here as one item.
    Across runs the store's upsert on the URL keeps one row per article.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            if item.url in self.seen:
                raise DuplicateArticle(f"duplicate of {item.url} (fetched as {item.fetched_url})")
            self.seen.add(item.url)
        return item
