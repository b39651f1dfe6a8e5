"""Validate: an article without a title or a body is a parse failure, not an archive row."""

from __future__ import annotations

import re
from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import Article

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$")


class InvalidArticle(DropItem):
    """The page parsed but lacks what every article has; the store records it as a failure."""


def problems(article: Article) -> list[str]:
    """What is wrong with an article record (empty when it is fit to archive)."""
    found = []
    if not article.title:
        found.append("no title")
    if not article.body:
        found.append("no body")
    if article.published_at and not _ISO.match(article.published_at):
        found.append(f"published_at {article.published_at!r} is not ISO 8601")
    return found


class ValidatePipeline:
    """Drops (as InvalidArticle) articles with no title, no body or a malformed date."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article) and (found := problems(item)):
            raise InvalidArticle("; ".join(found))
        return item
