"""Generate the replica deterministically: specs for every column, the seed article, the traps.

`build_site(out_dir)` writes a complete site (see `replica.site` for the layout) and returns
the `Site`. The same seed always gives the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from . import text
from .model import (
    AUTHOR_LABELS,
    COLUMNS,
    DATE_LABELS,
    OFFSITE,
    SITE_NAME,
    SOURCE_LABELS,
    ArticleSpec,
    Block,
    Column,
)
from .site import SEED_PATH, ListLink, Site

DEFAULT_COUNTS = (110, 100, 100)
MIN_PER_COLUMN = 6
SEED_TITLE = "凝聚起全面建设社会主义现代化四川的磅礴力量——2022年四川省直机关工会工作综述"
SEED_TEXT = Path(__file__).parent / "seed_article.txt"
FIRST_DAY = datetime(2019, 1, 2)
SPAN_DAYS = (datetime(2023, 12, 29) - FIRST_DAY).days
DATE_CYCLE = ("full", "cn", "minute", "slash", "cn0", "dot", "full", "minute")


def build_site(out_dir: Path, *, articles_per_column: int | Sequence[int] = DEFAULT_COUNTS, seed: int = 0) -> Site:
    """Build the replica into `out_dir`: 工会新闻, 通知公告 and 基层动态 with the given number of
    articles each (one number for all, or three), the seed article in 工会新闻, and the traps
    (redirect, 404, 500, robots, off-host, duplicate URLs) recorded in truth.json."""
    counts = _counts(articles_per_column)
    rng = random.Random(seed)
    specs_by_col = {col.key: _column_specs(col, count, rng) for col, count in zip(COLUMNS, counts)}
    _number(specs_by_col)
    specs_by_col["ghxw"].append(seed_spec())
    links = _traps(specs_by_col, rng)
    specs = [s for col in specs_by_col.values() for s in col]
    site = Site(Path(out_dir), seed, specs, links, [])
    site.write_all()
    return site


def _counts(value: int | Sequence[int]) -> tuple[int, ...]:
    counts = (value,) * len(COLUMNS) if isinstance(value, int) else tuple(value)
    if len(counts) != len(COLUMNS) or any(c < MIN_PER_COLUMN for c in counts):
        raise ValueError(f"articles_per_column: give one number or {len(COLUMNS)}, each at least {MIN_PER_COLUMN}")
    return counts


def seed_spec() -> ArticleSpec:
    """The reference article, as its page shows it: info line date + 来源: with a half-width colon."""
    paragraphs = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    return ArticleSpec(
        id=1001, column="ghxw", published="2023-01-18T17:40:03", title=SEED_TITLE,
        blocks=[Block("p", p) for p in paragraphs if p.strip()],
        date_style="full", source_label="来源:", source=SITE_NAME, views=False,
    )


def _column_specs(col: Column, count: int, rng: random.Random) -> list[ArticleSpec]:
    """`count` articles for a column (one fewer for 工会新闻, whose last slot is the seed)."""
    count -= col.key == "ghxw"
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(count))
    specs: list[ArticleSpec] = []
    titles: set[str] = set()
    for i, day in enumerate(days):
        when = FIRST_DAY + timedelta(days=day, seconds=rng.randrange(8 * 3600 + 1800, 18 * 3600 + 1800))
        spec = _article(col, i, when, rng)
        spec.title = _unique(spec.title, titles, col, when, rng)
        specs.append(spec)
    return specs


def _unique(title: str, used: set[str], col: Column, when: datetime, rng: random.Random) -> str:
    """A title no other article of the column has (redrawn a few times, then numbered)."""
    for _ in range(8):
        if title not in used:
            break
        unit = next((u for u in text.UNITS if title.startswith(u)), "")  # keep the body's unit
        title = text.title_for(col.kind, rng, when.year, unit=unit)
    number = 2
    while title in used:
        title, number = f"{title.rstrip('（0123456789）')}（{number}）", number + 1
    used.add(title)
    return title


def _article(col: Column, i: int, when: datetime, rng: random.Random) -> ArticleSpec:
    """One generated article; its index `i` picks the template variations round-robin so every
    variation appears on several pages of every column."""
    generated = (
        text.notice_text(rng, when) if col.kind == "notice" else text.news_text(col.kind, rng, when)
    )
    gbk_names = col.encoding == "gbk" and i % 5 == 0
    date_style = "none" if i % 17 == 16 else DATE_CYCLE[i % len(DATE_CYCLE)]
    has_source = i % 6 != 5
    author_label = (None, *AUTHOR_LABELS)[i % 4] if col.kind != "notice" or i % 8 == 1 else None
    editor_style = ("div", "para", None)[(i // 2) % 3]
    spec = ArticleSpec(
        id=0, column=col.key, published=when.isoformat(timespec="seconds"), title=generated.title,
        blocks=[Block(kind, body) for kind, body in generated.paragraphs],
        date_style=date_style, date_label=DATE_LABELS[(i // 2) % len(DATE_LABELS)],
        source_label=SOURCE_LABELS[(i // 3) % len(SOURCE_LABELS)] if has_source else None,
        source=_source(col, generated, rng) if has_source else None,
        author_label=author_label, author=text.person(rng, gbk_only=gbk_names) if author_label else None,
        editor_style=editor_style, editor=text.person(rng, gbk_only=gbk_names) if editor_style else None,
        views=i % 5 != 4, meta=i % 4 == 1 and date_style != "none", canonical=i % 7 == 3,
        indent=("", "full", "nbsp")[(i // 3) % 3], asset_style=("relative", "root", "absolute")[(i // 4) % 3],
        link_style=("relative", "absolute", "root")[(i // 5) % 3], served_charset=i % 2 == 0,
    )
    _add_media(spec, col, i, rng)
    return spec


def _source(col: Column, generated: text.Text, rng: random.Random) -> str:
    if col.kind == "notice":
        return SITE_NAME
    if col.kind == "grassroots":
        unit = next((u for u in text.UNITS if generated.title.startswith(u)), rng.choice(text.UNITS))
        return unit + "工会"
    return rng.choice((SITE_NAME, "省直机关工会", "四川工人日报", "《工会之声》"))


def _add_media(spec: ArticleSpec, col: Column, i: int, rng: random.Random) -> None:
    """Images inside news bodies; PDF/DOC attachments at the end of notices (and a few news)."""
    if col.kind != "notice" and i % 5 in (1, 3):
        for k in range(rng.randint(1, 3)):
            where = rng.randint(0, len(spec.blocks))
            spec.blocks.insert(where, Block("img", file=f"W0{spec.when:%Y%m%d}{i:05d}{k}.jpg"))
    if (col.kind == "notice" and i % 3 == 0) or (col.kind != "notice" and i % 10 == 7):
        count = rng.randint(1, 2) if col.kind == "notice" else 1
        for k in range(count):
            ext = ("pdf", "doc")[(i + k) % 2]
            name = f"{spec.when.year}年{rng.choice(text.THINGS)}{('名单', '推荐表', '报名表', '实施方案')[k]}.{ext}"
            prefix = "附件：" if count == 1 else f"附件{k + 1}："
            spec.blocks.append(Block("att", name.replace("“", "").replace("”", ""), f"P0{spec.when:%Y%m%d}{i:05d}{k}.{ext}", prefix))


def _number(specs_by_col: dict[str, list[ArticleSpec]]) -> None:
    """Give ids in publication order (TRS ids grow with time), after the seed's 1001, and
    rename asset files so they carry the id."""
    everything = sorted((s for col in specs_by_col.values() for s in col), key=lambda s: s.published)
    for number, spec in enumerate(everything, start=1002):
        spec.id = number
        for block in spec.blocks:
            if block.file:
                stem, ext = block.file.rsplit(".", 1)
                block.file = f"{stem[:10]}{number}{stem[-1]}.{ext}"


def _pick(specs: list[ArticleSpec], wanted: int, taken: set[int]) -> ArticleSpec:
    """The article about `wanted` places from the newest that no other trap uses."""
    order = sorted(specs, key=lambda s: s.published, reverse=True)
    wanted = min(wanted, len(order) - 1)
    for offset in range(len(order)):
        for index in (wanted - offset, wanted + offset):
            if 0 <= index < len(order) and order[index].id not in taken and order[index].path != SEED_PATH:
                taken.add(order[index].id)
                return order[index]
    raise ValueError("too few articles for the replica's traps")


def _traps(specs_by_col: dict[str, list[ArticleSpec]], rng: random.Random) -> list[ListLink]:
    """Mark the awkward cases on chosen articles and return the extra list links."""
    taken: set[int] = set()
    news, notices, grass = specs_by_col["ghxw"], specs_by_col["tzgg"], specs_by_col["jcdt"]
    moved = _pick(news, 25, taken)
    moved.redirect_from = f"/xwzx/ghxw/system/{moved.when:%Y/%m/%d}/{moved.id:09d}.shtml"
    _pick(news, 30, taken).tracking.append(["ghxw", "from=timeline"])
    _pick(grass, 5, taken).tracking.append(["tzgg", "utm_source=wechat"])
    twin = _pick(news, 40, taken)
    twin.canonical, twin.asset_style = True, "absolute"
    twin.alias_path = f"/xwzx/tzgg/{twin.when:%Y%m}/t{twin.when:%Y%m%d}_{_max_id(specs_by_col) + 1}.html"
    hidden = _article(COLUMNS[2], 0, _pick(grass, 12, taken).when - timedelta(hours=3), rng)
    hidden.id, hidden.private = _max_id(specs_by_col) + 2, True
    grass.append(hidden)
    return [
        _dead_link("ghxw", "not_found", _pick(news, 12, taken), 9404, rng),
        _dead_link("tzgg", "server_error", _pick(notices, 15, taken), 9500, rng),
        _offsite_link(_pick(notices, 8, taken)),
        _offsite_link(_pick(grass, 22, taken)),
    ]


def _max_id(specs_by_col: dict[str, list[ArticleSpec]]) -> int:
    return max(s.id for col in specs_by_col.values() for s in col)


def _dead_link(column: str, kind: str, near: ArticleSpec, number: int, rng: random.Random) -> ListLink:
    """A list item whose article URL fails (404 or 500), dated just before `near`."""
    when = near.when - timedelta(hours=2)
    title = text.title_for(near.col.kind, rng, when.year)
    path = f"./{when:%Y%m}/t{when:%Y%m%d}_{number}.html"
    return ListLink(column, kind, path.replace("./", near.col.path, 1), title, when.isoformat(timespec="seconds"))


def _offsite_link(spec: ArticleSpec) -> ListLink:
    """A list item pointing at another host name (same server): must never be requested."""
    when = spec.when - timedelta(minutes=30)
    return ListLink(spec.column, "offsite", OFFSITE + spec.path, spec.title + "（转载）", when.isoformat(timespec="seconds"))
