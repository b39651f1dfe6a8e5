"""WARC capture on the replica: bytes per 1,000 articles, and what capture costs in crawl time.

    python bench/warc.py [--articles 1000] [--repeat 1]

Builds a replica with about `--articles` articles, serves it on 127.0.0.1, and crawls it
`--full` into fresh archives three times per repeat: with WARC capture and the attachment
pipeline off (the baseline, measured in the same run), with WARC capture only, and with both. Prints the WARC
size (total, per 1,000 articles, per record), the attachment store size, and the time ratio.
Then crawls the replica `--full` again into the archive with capture on, nothing changed, and
prints the WARC bytes per 1,000 articles of that re-crawl beside the first's (unchanged pages
are revisit records: 304s and identical payloads), and what it costs to load the payload
digest index at the start of a crawl from `payload-index.jsonl` and from the WARCs themselves.
Then, in the same run, the same two crawls distributed (a redis-server on a free port, the
`unionnews ingest` writer and `--crawlers` `unionnews crawl --redis` crawlers, into a fresh
archive): WARC bytes per 1,000 articles of the first crawl and of the `--full` re-crawl beside
the local figures, the bytes the crawlers sent to Redis (what the writer's link carries), and
the crawl time beside a distributed crawl that ships no responses and fetches no files.
Each crawl runs in its own process (Twisted's reactor runs once per process).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import start_redis  # bench/distributed.py, beside this script

WARC_MW = "pipelines.warc.WarcCaptureMiddleware"
FILES_PIPE = "pipelines.files.ArchiveFilesPipeline"


def child(mode: str, db: str, start_urls: list[str]) -> None:
    """One crawl in this process, with capture on or off; prints its wall time as JSON."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.columns import ColumnsSpider

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    middlewares.pop(WARC_MW, None)
    pipelines.pop(FILES_PIPE, None)
    if mode in ("warc", "on"):
        middlewares[WARC_MW] = 950
    if mode == "on":
        pipelines[FILES_PIPE] = 350
    settings.setdict({
        "UNIONNEWS_DB": db, "UNIONNEWS_WARC_ENABLED": mode != "off", "LOG_LEVEL": "ERROR",
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOADER_MIDDLEWARES": middlewares,
        "ITEM_PIPELINES": pipelines,
    }, priority="cmdline")
    process = CrawlerProcess(settings)
    started = time.perf_counter()
    process.crawl(ColumnsSpider, start_url=start_urls, full=True)
    process.start()
    print(json.dumps({"seconds": time.perf_counter() - started}))


def crawl(mode: str, db: Path, start_urls: list[str]) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(db), *start_urls],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def folder_bytes(path: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in path.rglob(pattern) if p.is_file())


def warc_records_of(paths: list[Path]) -> tuple[dict[str, int], dict[str, int]]:
    """Record counts by WARC type, and compressed bytes by what the response carried."""
    from warcio.archiveiterator import ArchiveIterator

    counts: dict[str, int] = {}
    sizes: dict[str, int] = {}
    kind = "warcinfo"
    for path in paths:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                counts[record.rec_type] = counts.get(record.rec_type, 0) + 1
                if record.rec_type == "revisit":
                    kind = "revisit " + record.rec_headers.get_header("WARC-Profile").rsplit("/", 1)[1]
                elif record.rec_type == "response":
                    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
                    kind = f"{record.http_headers.get_statuscode()} {mime or '-'}"
                records.read_to_end(record)
                # a request record is counted with the response it follows
                sizes[kind] = sizes.get(kind, 0) + records.get_record_length()
    return counts, sizes


def without_revisits(first: list[Path], again: list[Path]) -> int:
    """Bytes the re-crawl would take had each identical payload been written in full again
    (its original response record's length in place of the revisit's; a 304 would still be a
    small record of its own)."""
    from warcio.archiveiterator import ArchiveIterator

    lengths: dict[str, int] = {}
    total = 0
    for path in [*first, *again]:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                headers = record.rec_headers
                records.read_to_end(record)
                length = records.get_record_length()
                if record.rec_type == "response":
                    lengths[headers.get_header("WARC-Record-ID")] = length
                if path in again:
                    refers = headers.get_header("WARC-Refers-To")
                    identical = (headers.get_header("WARC-Profile") or "").endswith("identical-payload-digest")
                    total += lengths.get(refers, length) if identical else length
    return total


def index_load_times(warc_dir: Path, repeat: int = 3) -> tuple[float, float, int]:
    """Seconds to load the payload index from its file, and from the WARC records (the file
    set aside); and how many payloads it holds."""
    import shutil

    from archive.warcfiles import INDEX_NAME, PayloadIndex

    def best(load) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            load()
            times.append(time.perf_counter() - started)
        return min(times)

    from_file = best(lambda: PayloadIndex.load(warc_dir))
    held = len(PayloadIndex.load(warc_dir).originals)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "warc"
        shutil.copytree(warc_dir, scratch)

        def rescan() -> None:
            (scratch / INDEX_NAME).unlink(missing_ok=True)
            PayloadIndex.load(scratch)
        from_warcs = best(rescan)
    return from_file, from_warcs, held


UNIONNEWS = [sys.executable, "-c", "from archive.cli import main; main()"]


WORKER = """
import sys
from archive.distributed import crawl_worker
from archive.options import CrawlOptions
starts, url, full, capture = sys.argv[1].split(), sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
off = {} if capture else {"UNIONNEWS_WARC_ENABLED": False, "ITEM_PIPELINES": {
    "pipelines.clean.CleanPipeline": 100, "pipelines.redis_items.RedisItemPipeline": 900}}
print(crawl_worker(CrawlOptions({u: None for u in starts}, delay=0, full=full, redis_url=url,
                                settings={"LOG_LEVEL": "ERROR", **off})).line())
"""


def distributed_crawl(redis_url: str, db: Path, start_urls: list[str], crawlers: int,
                      full: bool, capture: bool = True) -> tuple[float, int, int]:
    """One distributed crawl: (seconds, bytes the clients sent to Redis, peak Redis memory);
    `capture` False: the crawlers ship no responses and fetch no files (the baseline)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.config_resetstat()
    started = time.perf_counter()
    writer = subprocess.Popen([*UNIONNEWS, "ingest", "--redis", redis_url, "--db", str(db),
                               "--crawlers", str(crawlers)], stdout=subprocess.PIPE, text=True)
    while not client.exists("unionnews:writer"):
        time.sleep(0.02)
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, " ".join(start_urls), redis_url,
                                 "1" if full else "0", "1" if capture else "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(crawlers)]
    peak = 0
    while any(w.poll() is None for w in workers):
        peak = max(peak, int(client.info("memory")["used_memory"]))
        time.sleep(0.05)
    out, _ = writer.communicate()
    if writer.returncode not in (0, 3):
        sys.exit(f"the writer failed: {out}")
    sent = int(client.info("stats")["total_net_input_bytes"])
    return time.perf_counter() - started, sent, peak


def distributed_figures(root: Path, start_urls: list[str], crawlers: int) -> dict[str, float]:
    """The first crawl and a --full re-crawl, distributed, into root/archive.db."""
    root.mkdir(exist_ok=True)
    process, url = start_redis(root)
    try:
        db = root / "archive.db"
        off_seconds, off_sent, _ = distributed_crawl(url, root / "off.db", start_urls, crawlers, False, False)
        first_seconds, first_sent, first_peak = distributed_crawl(url, db, start_urls, crawlers, False)
        first = set((root / "warc").glob("*.warc.gz"))
        again_seconds, again_sent, again_peak = distributed_crawl(url, db, start_urls, crawlers, True)
        again = [p for p in (root / "warc").glob("*.warc.gz") if p not in first]
    finally:
        process.terminate()
        process.wait(timeout=10)
    articles = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    verified = subprocess.run([*UNIONNEWS, "verify", "--db", str(db)], capture_output=True, text=True)
    return {"articles": articles, "first": sum(p.stat().st_size for p in first),
            "again": sum(p.stat().st_size for p in again), "first_sent": first_sent,
            "again_sent": again_sent, "first_seconds": first_seconds, "again_seconds": again_seconds,
            "off_seconds": off_seconds, "off_sent": off_sent,
            "peak": max(first_peak, again_peak), "files": folder_bytes(root / "files"),
            "verify": verified.returncode, "verify_line": verified.stdout.strip().splitlines()[-1:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--crawlers", type=int, default=2, help="crawlers of the distributed crawls")
    args = parser.parse_args()
    from replica import ReplicaServer, build_site

    per_column = max(6, args.articles // 3)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = build_site(root / "site", articles_per_column=per_column)
        times: dict[str, list[float]] = {"off": [], "warc": [], "on": []}
        with ReplicaServer(site.root) as server:
            urls = site.start_urls(server.origin)
            for i in range(args.repeat):
                for mode in times:
                    (root / f"{mode}{i}").mkdir()
                    times[mode].append(crawl(mode, root / f"{mode}{i}" / "archive.db", urls))
            on = root / "on0"
            first_files = set((on / "warc").glob("*.warc.gz"))
            crawl("on", on / "archive.db", urls)  # --full again, nothing changed
            dist = distributed_figures(root / "dist", urls, args.crawlers)
        again = [p for p in (on / "warc").glob("*.warc.gz") if p not in first_files]
        again_bytes = sum(p.stat().st_size for p in again)
        articles = sqlite3.connect(on / "archive.db").execute(
            "select count(*) from articles").fetchone()[0]
        warc_bytes = sum(p.stat().st_size for p in first_files)
        again_records, _ = warc_records_of(again)
        in_full = without_revisits(sorted(first_files), again)
        first_in_full = without_revisits([], sorted(first_files))
        from_file, from_warcs, held = index_load_times(on / "warc")
        index_bytes = (on / "warc" / "payload-index.jsonl").stat().st_size
        records, sizes = warc_records_of(sorted(first_files))
        payload = folder_bytes(on / "files")
        best = {mode: min(t) for mode, t in times.items()}
        print(f"articles archived:        {articles}")
        print(f"WARC records:             {records}")
        print(f"WARC total:               {warc_bytes / 1e6:.2f} MB "
              f"({warc_bytes / max(1, sum(records.values())) / 1e3:.1f} kB per record)")
        print(f"WARC per 1,000 articles:  {warc_bytes / articles * 1000 / 1e6:.2f} MB (first crawl; "
              f"{first_in_full / articles * 1000 / 1e6:.2f} MB with identical payloads in full)")
        for kind, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
            print(f"  {kind:<34} {size / 1e6:7.2f} MB (with its request records)")
        print(f"attachments/images store: {payload / 1e6:.2f} MB "
              f"({payload / articles * 1000 / 1e6:.2f} MB per 1,000 articles)")
        print(f"crawl time (best of {args.repeat}): off {best['off']:.2f} s, "
              f"WARC only {best['warc']:.2f} s, WARC + attachments {best['on']:.2f} s")
        print(f"ratio to off:             WARC only {best['warc'] / best['off']:.2f}x, "
              f"WARC + attachments {best['on'] / best['off']:.2f}x")
        print(f"--full re-crawl, nothing changed: {again_bytes / articles * 1000 / 1e6:.3f} MB "
              f"per 1,000 articles ({again_bytes / warc_bytes:.0%} of the first crawl's "
              f"{warc_bytes / articles * 1000 / 1e6:.2f} MB); records {again_records}")
        print(f"  the same re-crawl with identical payloads written in full: "
              f"{in_full / articles * 1000 / 1e6:.3f} MB per 1,000 articles")
        per = 1000 / dist["articles"] / 1e6
        print(f"distributed, {args.crawlers} crawlers + writer ({dist['articles']} articles; verify "
              f"exit {dist['verify']}: {' '.join(dist['verify_line'])}):")
        print(f"  WARC per 1,000 articles: first crawl {dist['first'] * per:.2f} MB (local "
              f"{warc_bytes / articles * 1000 / 1e6:.2f} MB), --full re-crawl nothing changed "
              f"{dist['again'] * per:.3f} MB ({dist['again'] / dist['first']:.0%} of the first; local "
              f"{again_bytes / articles * 1000 / 1e6:.3f} MB)")
        print(f"  sent to Redis per 1,000 articles: first crawl {dist['first_sent'] * per:.2f} MB, "
              f"re-crawl {dist['again_sent'] * per:.2f} MB; Redis memory peak {dist['peak'] / 1e6:.1f} MB")
        print(f"  attachments/images store {dist['files'] * per:.2f} MB per 1,000 articles (local "
              f"{payload / articles * 1000 / 1e6:.2f} MB)")
        print(f"  crawl time: no capture {dist['off_seconds']:.1f} s (sent Redis {dist['off_sent'] * per:.2f} MB "
              f"per 1,000 articles), WARC + attachments {dist['first_seconds']:.1f} s "
              f"({dist['first_seconds'] / dist['off_seconds']:.2f}x); --full re-crawl {dist['again_seconds']:.1f} s")
        print(f"payload index: {held} payloads, {index_bytes / 1e3:.0f} kB; loaded from "
              f"payload-index.jsonl in {from_file * 1e3:.1f} ms, from the WARCs in "
              f"{from_warcs * 1e3:.0f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        main()
