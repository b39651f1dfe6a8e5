"""Logic the zoo families share: text and date helpers, planning, numbering, pagination, and the
two body models (a page list of Pieces, a block list of Blocks with page breaks) with their truth.

Only logic lives here: every family keeps its own markup (templates, chrome, pagers) in its module.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence, TypeVar

from .. import assets, text
from ..model import ORIGIN
from .base import Writer, ZooArticle, document, generated, times

T = TypeVar("T")


# ---------------------------------------------------------------- text

def nth(values: Sequence[T], i: int) -> T:
    """The i-th of values repeated over and over (how a family varies labels and styles)."""
    return values[i % len(values)]


def esc(value: str) -> str:
    """HTML-escape text and attribute values (quotes too)."""
    return html.escape(value, quote=True)


def shorten(title: str, size: int, mark: str = "...") -> str:
    """A template's text_cut: the first `size` characters and `mark` when longer."""
    return title if len(title) <= size else title[:size] + mark


def fresh_title(rng: random.Random, kind: str, year: int, taken: set[str]) -> str:
    """A generated headline no article of the site has; it is added to `taken`."""
    title = text.title_for(kind, rng, year)
    while title in taken:
        title = text.title_for(kind, rng, year)
    taken.add(title)
    return title


def unique_generated(rng: random.Random, kind: str, when: datetime, seen: set[str]) -> text.Text:
    """Generated article text whose headline is not in `seen` (then added to it)."""
    made = generated(rng, kind, when)
    while made.title in seen:
        made = generated(rng, kind, when)
    seen.add(made.title)
    return made


def before_contact(body: Sequence) -> int:
    """Where an in-text attachment goes: before the 联系人 line, else at the end."""
    return next((k for k, p in enumerate(body) if p.text.startswith("联系人")), len(body))


# ---------------------------------------------------------------- dates

# How a page writes a publication time: (name, format over d, what it shows).
SECONDS = ("full", "{d:%Y-%m-%d %H:%M:%S}", "seconds")
MINUTES = ("minute", "{d:%Y-%m-%d %H:%M}", "minutes")
DASH = ("dash", "{d:%Y-%m-%d}", "date")
SLASH = ("slash", "{d:%Y/%m/%d}", "date")
CN0 = ("cn0", "{d:%Y}年{d:%m}月{d:%d}日", "date")  # zero-padded month and day
CN = ("cn", "{d.year}年{d.month}月{d.day}日", "date")
CN_MINUTES = ("cn_minute", "{d.year}年{d.month}月{d.day}日 {d:%H:%M}", "minutes")


def shown(style: tuple[str, str, str], when: datetime) -> str:
    """`when` as the date style writes it."""
    return style[1].format(d=when)


# ---------------------------------------------------------------- planning and numbering

def plan_by_column(rng: random.Random, columns: Sequence,
                   make: Callable[[random.Random, Any, datetime, int], T]) -> list[T]:
    """Distinct times shuffled over the columns, each column's newest first; make(rng, col, when, i)
    with i counting over the whole site."""
    stamps = times(rng, sum(c.count for c in columns))
    rng.shuffle(stamps)
    made: list[T] = []
    k = 0
    for col in columns:
        for when in sorted(stamps[k:k + col.count], reverse=True):
            made.append(make(rng, col, when, k))
            k += 1
    return made


def plan_in_order(rng: random.Random, columns: Sequence,
                  make: Callable[[Any, datetime, int, random.Random], T]) -> list[T]:
    """Distinct times shuffled over the columns in their order; make(col, when, i, rng) again
    while its headline repeats an earlier one (i counting over the whole site)."""
    stamps = times(rng, sum(c.count for c in columns))
    rng.shuffle(stamps)
    made: list[T] = []
    titles: set[str] = set()
    i = 0
    for col in columns:
        for _ in range(col.count):
            one = make(col, stamps[i], i, rng)
            while one.title in titles:
                one = make(col, stamps[i], i, rng)
            titles.add(one.title)
            made.append(one)
            i += 1
    return made


def dealt_times(rng: random.Random, columns: Sequence) -> list[tuple[datetime, object]]:
    """Distinct times, oldest first (ids grow with time), each dealt to a column at random."""
    stamps = sorted(times(rng, sum(c.count for c in columns)))
    owners = [c for c in columns for _ in range(c.count)]
    rng.shuffle(owners)
    return list(zip(stamps, owners))


def by_column(items: Iterable, columns: Sequence, name: str, newest: Callable | None = None) -> dict:
    """Each column's items keyed by the column's `name` attribute, in their order or, with
    `newest`, sorted by it newest first."""
    items = list(items)
    found = {}
    for col in columns:
        mine = [item for item in items if item.col == col]
        found[getattr(col, name)] = sorted(mine, key=newest, reverse=True) if newest else mine
    return found


def number_by_time(items: Iterable, rng: random.Random, first: int, step: int, spread: int, attr: str = "id") -> None:
    """Ids growing with publication time: first + n * step plus a random 0..spread-1 gap."""
    for n, item in enumerate(sorted(items, key=lambda a: a.when)):
        setattr(item, attr, first + n * step + rng.randrange(spread))


def id_finder(used: set[int]) -> Callable[[int], int]:
    """free(near): the first id from `near` up that no article uses (then taken)."""
    def free(near: int) -> int:
        while near in used:
            near += 1
        used.add(near)
        return near
    return free


def free_path(path: str, taken: set[str]) -> str:
    """A made-up page path (…/x.html) moved off every path in `taken`."""
    while path in taken:
        path = path[:-5] + "1.html"
    return path


def paginate(rows: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """A list's rows cut into its pages."""
    return [rows[k:k + per_page] for k in range(0, len(rows), per_page)]


def around(seq: Sequence[T], i: int) -> tuple[T | None, T | None]:
    """(the item before seq[i], the item after it), None past the ends."""
    return (seq[i - 1] if i else None), (seq[i + 1] if i + 1 < len(seq) else None)


def split_even(body: list[T], parts: int) -> list[list[T]]:
    """A body cut into `parts` pages of about the same number of blocks."""
    cuts = [len(body) * k // parts for k in range(parts + 1)]
    return [body[cuts[k]:cuts[k + 1]] for k in range(parts)]


# ---------------------------------------------------------------- bodies as pages of Pieces

@dataclass
class Piece:
    """One block of a body: p, strong, img, cap (caption), att (attachment paragraph), edit."""

    kind: str
    text: str = ""
    href: str = ""  # as the page links it
    url: str = ""  # root path for the truth
    prefix: str = ""


@dataclass
class PieceArticle:
    """An article whose body is pages of Pieces; a family's subclass adds its `path` (and
    page_path(n) when it splits articles) and whatever else its pages show."""

    col: Any  # the family's column
    id: int
    when: datetime
    title: str
    pages: list[list[Piece]]
    style: tuple[str, str, str]
    date_label: str
    source_label: str
    source: str | None
    author: str | None
    editor: str | None
    editor_in_body: bool
    block_atts: list[Piece] = field(default_factory=list)  # the attachments block beside the body

    def date_text(self) -> str:
        return shown(self.style, self.when)

    def zoo(self) -> ZooArticle:
        pieces = [p for page in self.pages for p in page]
        return ZooArticle(
            path=self.path, title=self.title, when=self.when, shows=self.style[2],
            paragraphs=[p.prefix + p.text for p in pieces if p.kind in ("p", "strong", "att")],
            column=self.col.name, source=self.source, author=self.author, editor=self.editor,
            images=[p.url for p in pieces if p.kind == "img"],
            attachments=[p.url for p in pieces if p.kind == "att"] + [p.url for p in self.block_atts],
            pages=[self.page_path(n) for n in range(2, len(self.pages) + 1)])

    def write_media(self, w: Writer, att_type: Callable[[str], str | None] | None) -> None:
        """Its images and attachments (every page and the block beside it), attachments served
        with att_type(url); none written without att_type (a download script answers them)."""
        for p in [p for page in self.pages for p in page] + self.block_atts:
            if p.kind == "img":
                w.page(p.url, assets.JPEG)
            elif p.kind == "att" and att_type:
                w.page(p.url, assets.doc(p.text), content_type=att_type(p.url))


def body_pieces(made: text.Text, name: str, piece: Callable[..., Piece] = Piece) -> list[Piece]:
    """The generated paragraphs as Pieces, the generator's union named as this site's."""
    return [piece(kind, words.replace("四川省直属机关工会委员会", name)) for kind, words in made.paragraphs]


def href_style(url: str, style: int, up: str = "..") -> str:
    """Root-relative, page-relative (one folder down) or absolute, by style."""
    return (url, up + url, ORIGIN + url)[style % 3]


# ---------------------------------------------------------------- bodies as Blocks with page breaks

@dataclass
class Block:
    kind: str  # p, strong, img, cap, att (a paragraph inside the text), editor, break
    text: str = ""
    href: str = ""  # img src / attachment href as written in the page
    file: str = ""  # the site path of an image or attachment


class BlockArticle:
    """For a spec dataclass with col, when, title, blocks (Blocks, "break" between pages), shows,
    source, author, editor, attach_block [(name, path)], path, page_path(n), old_path and link."""

    def list_href(self) -> str:
        """How its column list links it: root path, absolute URL, with a tracking query, or its old path."""
        return {"root": self.path, "absolute": ORIGIN + self.path, "tracking": self.path + "?from=index",
                "old": self.old_path}[self.link]

    @property
    def pages(self) -> list[list[Block]]:
        out: list[list[Block]] = [[]]
        for block in self.blocks:
            if block.kind == "break":
                out.append([])
            else:
                out[-1].append(block)
        return out

    def article(self) -> ZooArticle:
        paragraphs, images, attachments = [], [], []
        for block in self.blocks:
            if block.kind in ("p", "strong"):
                paragraphs.append(block.text)
            elif block.kind == "att":
                paragraphs.append(block.text)
                attachments.append(block.file)
            elif block.kind == "img":
                images.append(block.file)
        attachments += [path for _, path in self.attach_block]
        return ZooArticle(path=self.path, title=self.title, when=self.when, shows=self.shows,
                          paragraphs=paragraphs, column=self.col.name, source=self.source,
                          author=self.author, editor=self.editor, images=images, attachments=attachments,
                          pages=[self.page_path(n) for n in range(2, len(self.pages) + 1)])

    def write_files(self, w: Writer, script: str | None = None) -> None:
        """Its images and attachments (not those served by the download `script`), the 301 from
        its old path when the list links that, and its truth."""
        for block in self.blocks:
            if block.kind == "img":
                w.page(block.file, assets.JPEG)
            elif block.kind == "att":
                w.page(block.file, assets.pdf(block.text))
        for name, path in self.attach_block:
            if not (script and path.startswith(script)):
                w.page(path, document(path, name))
        if self.link == "old":
            w.redirect(self.old_path, self.path)
        w.article(self.article())


def room_for_pages(blocks: list[Block], rng: random.Random) -> tuple[int, int]:
    """Where to break a body into three pages (at least six text paragraphs, padded if need be):
    the indexes of the paragraphs that open pages two and three."""
    body = [k for k, b in enumerate(blocks) if b.kind in ("p", "strong")]
    while len(body) < 6:
        blocks.insert(-1, Block("p", rng.choice(text.MEASURES) + "。"))
        body = [k for k, b in enumerate(blocks) if b.kind in ("p", "strong")]
    return body[len(body) // 3], body[2 * len(body) // 3]


def list_rows(specs: Iterable, extra: list[tuple[datetime, str, str]]) -> list[tuple[str, str, datetime]]:
    """A column list's rows, newest first: its articles as the list links them and the extra items."""
    rows = [(s.when, s.list_href(), s.title) for s in specs] + extra
    rows.sort(key=lambda r: r[0], reverse=True)
    return [(href, title, when) for when, href, title in rows]
