"""Clean: tidy an article's text fields and strip tracking noise from its URLs (crawler.rules)."""

from __future__ import annotations

from typing import Any

from crawler.items import Article
from crawler.rules import clean_article, clean_body, clean_line, clean_url

__all__ = ["CleanPipeline", "clean_url", "clean_line", "clean_body"]


class CleanPipeline:
    """Normalises Article text and URLs; anything that is not an Article passes through."""

    def process_item(self, item: Any) -> Any:
        return clean_article(item) if isinstance(item, Article) else item
