"""Benchmark Chinese search: index size and build time, exactness and latency against `LIKE`,
and Datasette's list and search pages.

    python bench/search.py                 # 100,000 articles (several minutes)
    python bench/search.py --articles 20000 --candidates trigram
    python bench/search.py --articles 1000000 --candidates none --requests 50 --rounds 3 \
        --dir /var/tmp/bench-1m            # a million (an hour on 2 cores; 12 GB of disk)

Generates articles of realistic Chinese news text for several union sites of one province, each
with its columns (栏目) and years: log-normal body lengths (median 900 characters, 300 to
past 8,000), a Zipf-distributed vocabulary of union and government news words, rare names,
numbers with 年/名, a few Latin acronyms. With `--dir` the generated articles are kept there and
reused by the next run with the same `--articles`. Builds the archive's index (`archive.search`,
character bigrams) and, for comparison, the other candidate techniques, then prints figures and
ratios measured in the same run:

- index build time (wall and CPU: other processes on the machine slow the first, not the
  second), index size / text size, database size without and with the index;
- for a fixed query set (1-, 2-, 3-, 4-character words, rare and common, phrases, several
  words, mixed scripts): whether each technique returns exactly the `LIKE '%q%'` set (every
  query, always), the median and p95 latency of a ranked top-20 query and of the search page's
  capped count, with the ratio to `LIKE`'s top 20 (timed on every query up to 200,000
  articles, on 6 evenly spread ones above: each `LIKE` scans every body);
- median and p95 of Datasette's article list page and search pages over sequential requests.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Callable

import numpy
import sqlite_utils

from archive import search
from archive.db import open_archive

# Words of union and government news, most common first (Zipf weights follow the order).
COMMON_WORDS = """
工会 职工 工作 开展 活动 省直 单位 干部 组织 服务 建设 发展 推进 加强 全面 坚持 深入 学习 精神
会议 落实 提升 群众 培训 劳动 机关 四川 我们 一个 进行 要求 重要 主题 党的 思想 中国 社会 经济
积极 参加 举办 召开 完善 基层 委员会 主席 代表 同志 技能 竞赛 文化 体育 健康 安全 生产 保障
权益 维护 困难 帮扶 慰问 送温暖 农民工 女职工 青年 志愿 服务队 先进 模范 劳模 工匠 创新 工作室
职工之家 书屋 安康杯 五一 劳动奖章 工人先锋号 示范 引领 作用 能力 水平 质量 效率 制度 机制 政策
法律 民主 管理 监督 廉政 风险 整改 党建 党组织 理论 武装 宣传 贯彻 新时代 特色 社会主义 现代化
疫情 防控 复工 复产 乡村 振兴 脱贫 攻坚 助力 普惠 优惠 补助 资金 经费 返还 企业 小微 项目 重点
领域 行业 系统 部门 地区 全省 全国 成都 市州 县区 街道 社区 家庭 子女 托管 助学 金秋 春节 端午
中秋 国庆 节日 传统 健步走 书法 绘画 摄影 作品 展览 比赛 球赛 运动会 联谊 交友 平台 网站 微信
公众号 杂志 新闻 信息 报道 专题 辅导 研讨 交流 报告会 座谈会 培训班 讲座 考察 调研 指导 检查
评选 表彰 推荐 申报 命名 授予 荣誉 称号 奖励 成绩 成果 经验 做法 亮点 特点 目标 任务 措施 方案
计划 部署 安排 通知 意见 办法 规定 标准 要点 总结 回顾 展望 明年 今年 去年 近年来 以来 期间 当前
""".split()

FUNCTION_WORDS = "的 了 和 在 是 为 与 对 以 及 等 中 上 下 将 把 被 由 向 从 到 并 也 都 还 又".split()
PUNCTUATION = "，，，，、、；"
LATIN = ["APP", "AI", "OA", "5G", "PPT", "QQ", "Wi-Fi", "CEO"]
RARE_WORDS = ["沱江", "嘉陵", "峨眉山", "稻城亚丁", "邛崃", "瓮安", "粼粼", "鸬鹚"]
TITLE_TEMPLATES = [
    "{a}{b}{c}", "关于{a}{b}的通知", "{a}召开{b}{c}", "{a}举办{b}{c}活动", "{a}：{b}{c}工作综述",
]

QUERIES: list[tuple[str, str]] = [
    ("1 char, common", "工"),
    ("1 char, rare", "鸬"),
    ("2 chars, common", "工会"),
    ("2 chars, common", "职工"),
    ("2 chars, rare", "邛崃"),
    ("2 chars, across words", "会职"),
    ("3 chars", "安康杯"),
    ("3 chars, rare", "峨眉山"),
    ("4 chars", "职工之家"),
    ("4 chars, rare", "稻城亚丁"),
    ("mixed script", "2022年"),
    ("latin", "app"),
    ("phrase", '"工会工作"'),
    ("phrase, long", "深入学习工作"),
    ("two words", "工会 培训"),
    ("three words", "职工 书屋 成都"),
    ("two words, rare", "邛崃 劳模"),
    ("hostile", '"工会" OR -职工* ('),
]


class TextMaker:
    """Deterministic generator of Chinese news-like titles and bodies, fast enough for millions.

    A body is a run of "pieces" (a word and the punctuation after it: none, ，、；。 or the end
    of a paragraph) drawn in bulk with numpy: Zipf weights over the vocabulary of union news,
    then a tail of rare place names, numbers with 年/名, Latin acronyms and random-character
    names. Body lengths are log-normal like real news: median 900 characters, about 5% under
    400, 1% over 4,000, a tail past 8,000 (clipped to 300-30,000).
    """

    MEDIAN_CHARS, SIGMA, SHORTEST, LONGEST = 900, 0.65, 300, 30_000
    AFTER = {"": 6.0, "，": 2.0, "、": 0.3, "；": 0.15, "。": 0.8, "。\n": 0.25}

    def __init__(self, seed: int = 20230118) -> None:
        self.rng = random.Random(seed)
        self.np = numpy.random.default_rng(seed)
        rare_names = [
            "".join(chr(self.rng.randint(0x4E00, 0x9FA5)) for _ in range(self.rng.randint(2, 3)))
            for _ in range(20000)
        ]
        years = [f"{year}年" for year in range(1990, 2025)]
        counts = [f"{n}名" for n in range(1, 1000)]
        self.vocabulary = COMMON_WORDS + FUNCTION_WORDS + RARE_WORDS + LATIN + years + counts
        self.vocabulary += rare_names
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(COMMON_WORDS))]
        weights += [0.4] * len(FUNCTION_WORDS)
        weights += [0.0004] * len(RARE_WORDS) + [0.002] * len(LATIN)
        weights += [0.003] * len(years) + [0.02 / len(counts)] * len(counts)
        weights += [0.3 / len(rare_names)] * len(rare_names)
        self.cumulative = list(_accumulate(weights))
        self.buffer: list[str] = []
        self.next = 0
        # Every (word, what follows) combination is one piece, drawn by one choice.
        self.pieces = numpy.array([w + a for a in self.AFTER for w in self.vocabulary], dtype=object)
        self.piece_chars = numpy.array([len(piece) for piece in self.pieces], dtype=numpy.int64)
        word_p = numpy.array(weights) / sum(weights)
        after_p = numpy.array(list(self.AFTER.values())) / sum(self.AFTER.values())
        probabilities = numpy.outer(after_p, word_p).ravel()
        self.cdf = numpy.cumsum(probabilities)
        self.cdf /= self.cdf[-1]
        self.mean_chars = float((self.piece_chars * probabilities).sum())

    def words(self, n: int) -> list[str]:
        if self.next + n > len(self.buffer):
            self.buffer = self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=65536)
            self.next = 0
        self.next += n
        return self.buffer[self.next - n : self.next]

    def bodies(self, n: int) -> list[str]:
        """`n` bodies of log-normal lengths, paragraphs one a line, each ending with 。"""
        sizes = self.np.lognormal(math.log(self.MEDIAN_CHARS), self.SIGMA, n)
        sizes = numpy.clip(sizes, self.SHORTEST, self.LONGEST).astype(numpy.int64)
        targets = numpy.cumsum(sizes)
        drawn = numpy.empty(0, dtype=numpy.int64)
        ends = numpy.zeros(1, dtype=numpy.int64)
        while ends[-1] < targets[-1]:
            want = int((targets[-1] - ends[-1]) / self.mean_chars * 1.05) + 1000
            drawn = numpy.concatenate([drawn, numpy.searchsorted(self.cdf, self.np.random(want))])
            ends = numpy.cumsum(self.piece_chars[drawn])
        cuts = (numpy.searchsorted(ends, targets) + 1).tolist()
        pieces = self.pieces[drawn].tolist()
        out, start = [], 0
        for cut in cuts:
            text = "".join(pieces[start:cut]).strip("\n，、；")
            out.append(text if text.endswith("。") else text + "。")
            start = cut
        return out

    def title(self) -> str:
        a, b, c = self.words(3)
        return self.rng.choice(TITLE_TEMPLATES).format(a=a, b=b, c=c)


def _accumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


# Several union sites of one province: (site, share of the articles, first year, its columns).
# A site's first column is its busiest; COLUMNS (every site has them) are the search page's filters.
COLUMNS = ["工会新闻", "通知公告", "基层动态", "理论学习", "劳模风采"]
SITES = [
    ("sczgh", 0.30, 2012, COLUMNS + ["工会要闻", "职工维权", "图片新闻", "媒体聚焦", "专题专栏"]),
    ("scszjgh", 0.18, 2015, COLUMNS + ["机关党建", "文体活动"]),
    ("cdzgh", 0.18, 2013, COLUMNS + ["区县动态", "普惠服务", "职工书屋", "图片新闻"]),
    ("myzgh", 0.08, 2016, COLUMNS + ["区县动态"]),
    ("dyzgh", 0.08, 2017, COLUMNS + ["区县动态", "图片新闻"]),
    ("nczgh", 0.07, 2016, COLUMNS),
    ("lszgh", 0.06, 2018, COLUMNS + ["文体活动"]),
    ("ybzgh", 0.05, 2019, COLUMNS + ["职工维权"]),
]
SOURCES = ["四川省总工会", "四川省直属机关工会委员会", "四川工人日报", "成都市总工会", "基层工会",
           "工人日报", "新华网", None]
LAST_DAY = date(2024, 12, 31).toordinal()


def article_rows(articles: int, seed: int = 7):
    """Rows of generated articles for `articles` table, made a batch at a time."""
    maker = TextMaker()
    rng = numpy.random.default_rng(seed)
    shares = numpy.array([share for _, share, _, _ in SITES])
    source_p = numpy.array([0.25, 0.2, 0.2, 0.1, 0.1, 0.05, 0.02, 0.08])
    batch = 20_000
    for first in range(1, articles + 1, batch):
        n = min(batch, articles + 1 - first)
        bodies = maker.bodies(n)
        sites = rng.choice(len(SITES), n, p=shares / shares.sum()).tolist()
        picks = rng.random(n).tolist()
        growth = rng.random(n).tolist()
        hours = rng.integers(7, 22, n).tolist()
        sources = rng.choice(len(SOURCES), n, p=source_p / source_p.sum()).tolist()
        for i in range(n):
            site, _, since, columns = SITES[sites[i]]
            start = date(since, 1, 1).toordinal()
            # More news in later years: the day's position in the site's span is a square root.
            day = date.fromordinal(start + int((LAST_DAY - start) * growth[i] ** 0.6)).isoformat()
            column = columns[min(len(columns) - 1, int(len(columns) * picks[i] ** 1.8))]
            article_id = first + i
            yield (article_id, f"http://127.0.0.1/{site}/news/{article_id}.html", site, maker.title(),
                   f"{day}T{hours[i]:02d}:30:00+08:00", SOURCES[sources[i]], bodies[i], column,
                   "[]", "[]", "", f"{day}T01:30:00Z", f"{day}T01:30:00Z", "", 1, len(bodies[i]))


ROW_COLUMNS = ("id", "url", "site", "title", "published_at", "source", "body", "column", "images",
               "attachments", "content_hash", "first_seen_at", "last_seen_at", "fetched_url", "run_id",
               "characters")


def make_archive(path: Path, articles: int) -> float:
    """Write `articles` generated articles into a fresh archive table; returns seconds taken."""
    started = time.perf_counter()
    db = open_archive(path)
    search.uninstall(db)  # loaded without the index, so its build can be timed on its own
    conn = db.conn
    conn.execute("PRAGMA synchronous = OFF")
    columns = ", ".join(f'"{name}"' for name in ROW_COLUMNS)
    sql = f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
    rows = article_rows(articles)
    with conn:
        while chunk := list(itertools.islice(rows, 20_000)):
            conn.executemany(sql, chunk)
    conn.commit()
    conn.close()
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Measuring


def text_bytes(db: sqlite_utils.Database) -> int:
    sql = "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM articles"
    return db.execute(sql).fetchone()[0]


def table_bytes(db: sqlite_utils.Database, prefix: str) -> int:
    """Bytes of every table whose name starts with `prefix` (FTS5 shadow tables included)."""
    sql = "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?"
    return db.execute(sql, [prefix + "%"]).fetchone()[0]


def file_bytes(db: sqlite_utils.Database, path: Path) -> int:
    """Size of the database file once its write-ahead log is folded back in."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def ms(value: float) -> str:
    return f"{value * 1000:8.1f} ms"


def like_ids(db: sqlite_utils.Database, query: str) -> set[int]:
    clauses, args = [], []
    for word in search.words(query):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        args += [f"%{escaped}%"] * 2
    sql = f"SELECT id FROM articles WHERE {' AND '.join(clauses) or '0'}"
    return {row[0] for row in db.execute(sql, args)}


def like_top20(db: sqlite_utils.Database, query: str) -> list[int]:
    """The best a LIKE scan can rank: title hits first, then newest."""
    clauses, args, title = [], [], []
    for word in search.words(query):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        args += [f"%{escaped}%"] * 2
        title.append(f"%{escaped}%")
    order = " AND ".join("title LIKE ? ESCAPE '\\'" for _ in title) or "0"
    sql = (f"SELECT id FROM articles WHERE {' AND '.join(clauses) or '0'} "
           f"ORDER BY ({order}) DESC, published_at DESC LIMIT 20")
    return [row[0] for row in db.execute(sql, args + title)]


# ---------------------------------------------------------------------------------------------
# Other techniques, built beside ours in the same database for comparison


def _unigrams(text: str | None) -> str:
    return " ".join(search.fold(text)) if text else ""


def build_candidate(db: sqlite_utils.Database, name: str, limit: int | None) -> float:
    """Build candidate index `bench_<name>` over the articles; returns seconds."""
    table = f"bench_{name}"
    db.execute(f"DROP TABLE IF EXISTS {table}")
    source = "articles" if limit is None else f"(SELECT * FROM articles ORDER BY id LIMIT {limit})"
    started = time.perf_counter()
    if name == "trigram":
        db.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, content='', tokenize='trigram')")
        db.execute(f"INSERT INTO {table}(rowid, title, body) SELECT id, title, body FROM {source}")
    elif name == "unigram":
        db.conn.create_function("bench_unigrams", 1, _unigrams, deterministic=True)
        db.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, content='', tokenize='ascii')")
        db.execute(f"INSERT INTO {table}(rowid, title, body) SELECT id, bench_unigrams(title), "
                   f"bench_unigrams(body) FROM {source}")
    elif name == "jieba":
        import jieba  # bench-only dependency

        jieba.setLogLevel(60)
        db.conn.create_function(
            "bench_jieba", 1, lambda t: " ".join(search.fold(w) for w in jieba.cut(t or "")),
            deterministic=True)
        db.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, content='', tokenize='ascii')")
        db.execute(f"INSERT INTO {table}(rowid, title, body) SELECT id, bench_jieba(title), "
                   f"bench_jieba(body) FROM {source}")
    db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    db.conn.commit()
    return time.perf_counter() - started


def candidate_match(name: str, query: str) -> str:
    found = search.words(query)
    if name == "trigram":
        return " AND ".join('"' + w.replace('"', '""') + '"' for w in found) or '""'
    if name == "unigram":
        return " AND ".join('"' + " ".join(search.fold(w)) + '"' for w in found) or '""'
    import jieba

    return " AND ".join('"' + " ".join(search.fold(t) for t in jieba.cut(w)) + '"' for w in found) or '""'


def candidate_ids(db: sqlite_utils.Database, name: str, query: str) -> set[int]:
    """Every match of the candidate index."""
    table = f"bench_{name}"
    match = candidate_match(name, query)
    return {r[0] for r in db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [match])}


def candidate_top20(db: sqlite_utils.Database, name: str, query: str) -> list[int]:
    """The candidate's ranked top 20 (bm25, title weighted like ours)."""
    table = f"bench_{name}"
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY bm25({table}, 10.0, 1.0) LIMIT 20"
    return [r[0] for r in db.execute(sql, [candidate_match(name, query)])]


# ---------------------------------------------------------------------------------------------
# Datasette


def datasette_p95(path: Path, requests: int) -> dict[str, tuple[float, float]]:
    """Median and p95 of Datasette pages over real HTTP, `requests` sequential requests each."""
    import urllib.parse
    import urllib.request

    from archive.serve import serve_in_thread

    server, url = serve_in_thread(path)
    words = [q for _, q in QUERIES]
    pages = {
        "articles_list page (50 rows, 5 facets)": lambda i: "archive/articles_list",
        "articles table page (50 rows, 3 facets)": lambda i: "archive/articles",
        "articles_list, one column (5 facets)": lambda i: "archive/articles_list?column="
        + urllib.parse.quote(COLUMNS[i % len(COLUMNS)]),
        "search page (50 hits + total)": lambda i: "archive/search?column=&site=&since=&until=&q="
        + urllib.parse.quote(words[i % len(words)]),
        "search page, column and year filter": lambda i: "archive/search?column="
        + urllib.parse.quote(COLUMNS[i % len(COLUMNS)]) + "&site=&since=2023&until=2023&q="
        + urllib.parse.quote(words[i % len(words)]),
        "search page, rare words": lambda i: "archive/search?column=&site=&since=&until=&q="
        + urllib.parse.quote(["邛崃", "峨眉山", "稻城亚丁", "鸬"][i % 4]),
    }
    results = {}
    try:
        for label, path_for in pages.items():
            urllib.request.urlopen(url + path_for(0)).read()  # warm up
            times = []
            for i in range(requests):
                started = time.perf_counter()
                with urllib.request.urlopen(url + path_for(i)) as response:
                    response.read()
                times.append(time.perf_counter() - started)
            results[label] = (statistics.median(times), p95(times))
    finally:
        server.should_exit = True
    return results


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--candidates", default="trigram,unigram,jieba",
                        help="other techniques to measure (comma list, or 'none')")
    parser.add_argument("--jieba-articles", type=int, default=10_000,
                        help="jieba segments slowly: measure it on this many articles")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per query")
    parser.add_argument("--like-queries", type=int, default=None,
                        help="time LIKE's top 20 on this many of the queries, evenly spread (default: "
                        "all up to 200,000 articles, 6 above; every query's exactness is always checked)")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page")
    parser.add_argument("--skip", default="", help="parts not to run: queries, datasette (comma list)")
    parser.add_argument("--dir", help="work folder (kept, and the generated articles with it, so a "
                        "second run with the same --articles reuses them); default a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unionnews-bench-") as tmp:
        run(Path(args.dir or tmp), args)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(workdir: Path, args: argparse.Namespace) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench.db"
    for old in workdir.glob("bench.db*"):
        old.unlink()
    print(f"load average at start: {load()}")
    generated = workdir / f"articles-{args.articles}.db"
    if generated.exists():
        print(f"Reusing the {args.articles:,} articles generated in {generated}", flush=True)
    else:
        print(f"Generating {args.articles:,} articles ...", flush=True)
        seconds = make_archive(workdir / "generating.db", args.articles)
        db = sqlite_utils.Database(workdir / "generating.db")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
        db.conn.close()
        (workdir / "generating.db").rename(generated)
        print(f"  {seconds:.1f} s ({args.articles / seconds:,.0f} articles/s)")
    shutil.copyfile(generated, path)
    db = sqlite_utils.Database(path)
    db.enable_wal()
    text = text_bytes(db)
    without = file_bytes(db, path)
    sites = db.execute("SELECT count(DISTINCT site) FROM articles").fetchone()[0]
    lengths = sorted(row[0] for row in db.execute("SELECT length(body) FROM articles"))
    mean, longest = sum(lengths) / len(lengths), lengths[-1]
    quantiles = [lengths[int(q * (len(lengths) - 1))] for q in (0.05, 0.5, 0.95, 0.99)]
    print(f"  {sites} sites; body characters: mean {mean:,.0f}, 5% {quantiles[0]:,}, median "
          f"{quantiles[1]:,}, 95% {quantiles[2]:,}, 99% {quantiles[3]:,}, longest {longest:,}")
    print(f"  text (titles + bodies, UTF-8) {text / 1e6:.1f} MB; database without index {without / 1e6:.1f} MB")

    print("\nunionnews index (character bigrams + one-character presence), built from scratch:")
    started, cpu = time.perf_counter(), time.process_time()
    search.install(db)
    search.optimize(db)
    build, cpu = time.perf_counter() - started, time.process_time() - cpu
    index = table_bytes(db, search.INDEX_TABLE)
    print(f"  build {build:.1f} s ({args.articles / build:,.0f} articles/s, "
          f"{text / build / 1e6:.2f} MB of text/s; {cpu:.1f} s of CPU: "
          f"{args.articles / cpu:,.0f} articles per CPU second; load {load()}); index {index / 1e6:.1f} MB "
          f"= {index / text:.2f}x the text; database with index {file_bytes(db, path) / 1e6:.1f} MB "
          f"({file_bytes(db, path) / without:.2f}x)")

    skip = set(args.skip.split(","))
    if "queries" not in skip:
        queries(db, args)
    names = [n for n in args.candidates.split(",") if n and n != "none"]
    if names:
        candidates(db, args, names, text)
    if "datasette" not in skip:
        print(f"\nDatasette over HTTP, {args.requests} sequential requests each (load {load()}):")
        db.conn.close()
        for label, (median, high) in datasette_p95(path, args.requests).items():
            print(f"  {label:<42} median {ms(median)}, p95 {ms(high)}")


def queries(db: sqlite_utils.Database, args: argparse.Namespace) -> None:
    """Exactness against LIKE and latency of every query, LIKE's timed on a sample."""
    sample = args.like_queries
    if sample is None:
        sample = len(QUERIES) if args.articles <= 200_000 else 6
    step = len(QUERIES) / max(1, min(sample, len(QUERIES)))
    timed_like = {int(i * step) for i in range(min(sample, len(QUERIES)))}
    print("\nQueries: exactness (result set == LIKE set), ranked top-20 latency, the page's total count")
    print(f"  LIKE's top 20 timed on {len(timed_like)} of the {len(QUERIES)} queries (marked *)")
    print(f"  {'query':<26}{'matches':>9} {'exact':>6} {'unionnews p50':>15} {'count p50':>11} "
          f"{'LIKE p50':>12} {'ratio':>7}")
    ours, like, counts, ours_sampled, exact = [], [], [], [], 0
    # The articles of every ranked key (search's full result set, without making a million
    # snippets): the same set `search(limit=None)` returns.
    article_of = dict(db.execute(f"SELECT key, article_id FROM {search.KEYS_TABLE}").fetchall())
    for number, (label, query) in enumerate(QUERIES):
        truth = like_ids(db, query)
        got = {article_of[key] for key in search.ranked_keys(db, query, limit=None)}
        exact += got == truth
        mine = timed(lambda: search.search(db, query, limit=20), args.rounds)
        counted = timed(lambda: search.count(db, query, at_most=search.COUNT_CAP),
                        max(1, args.rounds // 2))
        ours += mine
        counts += counted
        shown = f"{query} ({label})"
        if number in timed_like:
            scan = timed(lambda: like_top20(db, query), max(1, args.rounds // 5))
            like += scan
            ours_sampled += mine
            versus = f"{ms(statistics.median(scan)):>12} {statistics.median(scan) / statistics.median(mine):>6.0f}x"
            shown = "*" + shown
        else:
            versus = f"{'':>12} {'':>7}"
        print(f"  {shown[:26]:<26}{len(truth):>9} {'yes' if got == truth else 'NO':>6} "
              f"{ms(statistics.median(mine)):>15} {ms(statistics.median(counted)).strip():>11} {versus}",
              flush=True)
    print(f"  exact: {exact}/{len(QUERIES)} queries")
    print(f"  unionnews search (all queries): median {ms(statistics.median(ours))}, p95 {ms(p95(ours))}")
    print(f"  unionnews count (all queries):  median {ms(statistics.median(counts))}, p95 {ms(p95(counts))}")
    print(f"  unionnews search (* queries):   median {ms(statistics.median(ours_sampled))}, "
          f"p95 {ms(p95(ours_sampled))}")
    print(f"  LIKE top 20 (* queries):        median {ms(statistics.median(like))}, p95 {ms(p95(like))}")
    print(f"  ratio (LIKE / unionnews, * queries): median "
          f"{statistics.median(like) / statistics.median(ours_sampled):.0f}x, "
          f"p95 {p95(like) / p95(ours_sampled):.0f}x; LIKE p95 / unionnews p95 over all queries "
          f"{p95(like) / p95(ours):.0f}x")
    print(f"  load average: {load()}", flush=True)


def candidates(db: sqlite_utils.Database, args: argparse.Namespace, names: list[str], text: int) -> None:
    """Index size, exactness and latency of the other techniques, built beside ours."""
    print("\nOther techniques (same database, same queries):")
    for name in names:
        limit = args.jieba_articles if name == "jieba" else None
        try:
            seconds = build_candidate(db, name, limit)
        except ImportError as exc:
            print(f"  {name}: not installed ({exc})")
            continue
        size = table_bytes(db, f"bench_{name}")
        share = text if limit is None else text * min(limit, args.articles) / args.articles
        scope = f"first {limit:,} articles" if limit else "all articles"
        misses, times = [], []
        for _, query in QUERIES:
            truth = like_ids(db, query) if limit is None else {
                i for i in like_ids(db, query) if i <= limit}
            every = candidate_ids(db, name, query)
            if every != truth:
                misses.append(f"{query} ({len(every)}/{len(truth)})")
            times += timed(lambda: candidate_top20(db, name, query), max(1, args.rounds // 2))
        print(f"  {name} ({scope}): build {seconds:.1f} s, index {size / share:.2f}x the text, "
              f"ranked top-20 p95 {ms(p95(times)).strip()}, "
              f"exact {len(QUERIES) - len(misses)}/{len(QUERIES)}")
        if misses:
            print(f"    wrong sets (found/true): {', '.join(misses)}")
        db.execute(f"DROP TABLE bench_{name}")
        db.conn.commit()


if __name__ == "__main__":
    main()
