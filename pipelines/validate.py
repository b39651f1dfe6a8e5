"""Validate: an article without a title or a body is a parse failure, not an archive row."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import Article
from crawler.rules import problems

__all__ = ["InvalidArticle", "ValidatePipeline", "problems"]


class InvalidArticle(DropItem):
    """The page parsed but lacks what every article has; the store records it as a failure."""


class ValidatePipeline:
    """Drops (as InvalidArticle) articles with no title, no body or a malformed date."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article) and (found := problems(item)):
            raise InvalidArticle("; ".join(found))
        return item
