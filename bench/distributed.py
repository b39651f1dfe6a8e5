"""Distributed crawl speed-up: one crawler process versus several, latency-bound.

    python bench/distributed.py [--articles-per-column 150] [--server-delay 0.2]
                                [--concurrency 4] [--workers 1,3] [--repeat 1]
    python bench/distributed.py --full-rerun [--workers 3] ...

Builds the provincial and the city replica, serves each with an artificial delay before
every response (so, as on the internet, a crawler spends its time waiting, not parsing),
starts a redis-server on a free port and, in the same run, archives both sites:

  (a) one `unionnews crawl --redis` worker and the `unionnews ingest` writer: the baseline;
  (b) N workers and the writer (fresh Redis frontier, archive and server log each time).

Every crawler process is held to the same per-site concurrency (--concurrency, a polite
per-process cap that the worker enforces when it pops from the shared queue), so N
processes put N times as many requests in flight; the speed-up is what sharing the work
buys when each process is polite on its own. Shared politeness (--delay > 0) would cap
the rate per site instead, and is not what this measures. (The ordinary local crawl is
not shown: in Scrapy 2.19 as installed here, CONCURRENT_REQUESTS_PER_DOMAIN did not cap a
plain crawl's requests to one host, so it is not held to the same concurrency.)

Prints seconds, articles/s and the speed-up of each N over one worker, and checks that each
run archived every article and fetched no page twice.

With --full-rerun it measures a `--full` rerun of an archived crawl instead (N = the last
--workers count), on two copies of the same archive in the same run: (a) with the stored
ETag/Last-Modified withheld from the workers (as distributed --full was before conditional
requests), the baseline; (b) as shipped, where unchanged pages answer 304 without a body.
Prints seconds, answers with a body, 304 answers and article pages parsed for each.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

WORKER = """
import json, sys
from archive.distributed import crawl_worker
from archive.options import CrawlOptions
sites, url, concurrency, full = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
summary = crawl_worker(CrawlOptions(sites, delay=0, full=full, redis_url=url,
                       settings={"CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "LOG_LEVEL": "ERROR"}))
print(summary.line())
"""
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.05)
    sys.exit("redis-server did not start")


def run_distributed(sites: dict[str, str], db: Path, redis_url: str, workers: int, concurrency: int,
                    full: bool = False, withhold_validators: bool = False) -> float:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    started = time.perf_counter()
    writer = subprocess.Popen([sys.executable, "-c", "from archive.cli import main; main()", "ingest",
                               "--redis", redis_url, "--db", str(db), "--crawlers", str(workers)], stdout=subprocess.PIPE, text=True)
    while not client.exists("unionnews:writer"):
        time.sleep(0.02)
    if withhold_validators:  # the baseline of --full-rerun: no conditional requests
        client.delete("unionnews:validators")
    crawlers = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(sites), redis_url, str(concurrency),
                                  "1" if full else "0"],
                                 stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    for crawler in crawlers:
        crawler.communicate()
    out, _ = writer.communicate()
    elapsed = time.perf_counter() - started
    if writer.returncode != 0:
        sys.exit(f"the writer failed: {out}")
    return elapsed


def check(db: Path, servers: list, truths: list[dict]) -> str:
    """'ok', or what is wrong: articles missing, pages fetched twice."""
    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("select url from articles")}
    wanted = {a["url"] for truth in truths for a in truth["articles"].values()}
    twice = sum(1 for server, truth in zip(servers, truths)
                for path, n in Counter(r.path for r in server.requests if r.path != "/robots.txt").items()
                if n > 1 and server.origin + path not in truth["server_error"])
    problems = ([f"{len(wanted - urls)} articles missing"] if wanted - urls else []) + (
        [f"{twice} pages fetched twice"] if twice else [])
    return "; ".join(problems) or "ok"


def compare_workers(sites: dict[str, str], root: Path, redis_url: str, servers: list, truths: list[dict],
                    counts: list[int], concurrency: int, repeat: int) -> None:
    """A first crawl with each number of crawlers: seconds, articles/s, speed-up over the first."""
    articles = sum(len(t["articles"]) for t in truths)
    results: dict[str, float] = {}
    for k in counts:
        label = f"{k} crawler{'s' if k > 1 else ''} + writer"
        best, verdict = float("inf"), ""
        for attempt in range(repeat):
            for server in servers:
                server.clear_requests()
            db = root / f"bench-{len(results)}-{attempt}.db"
            best = min(best, run_distributed(sites, db, redis_url, k, concurrency))
            verdict = check(db, servers, truths)
        results[label] = best
        print(f"  {label:<38} {best:7.1f} s  {articles / best:7.1f} articles/s  [{verdict}]")
    baseline = next(iter(results.values()))
    print()
    for label, seconds in results.items():
        print(f"  speed-up of {label:<38} {baseline / seconds:5.2f}x")


def compare_full_rerun(sites: dict[str, str], root: Path, redis_url: str, servers: list, truths: list[dict],
                       workers: int, concurrency: int, repeat: int) -> None:
    """A --full rerun of one archived crawl, without and with the stored validators."""
    first = root / "archived.db"
    run_distributed(sites, first, redis_url, workers, concurrency)
    print(f"  first crawl archived: [{check(first, servers, truths)}]")
    results: dict[str, float] = {}
    for label, withhold in (("--full, validators withheld (before)", True), ("--full, conditional (now)", False)):
        best, answers = float("inf"), Counter()
        for attempt in range(repeat):
            for server in servers:
                server.clear_requests()
            db = root / f"rerun-{withhold}-{attempt}.db"
            shutil.copyfile(first, db)
            best = min(best, run_distributed(sites, db, redis_url, workers, concurrency, True, withhold))
            answers = Counter(r.status for server in servers for r in server.requests)
        with sqlite3.connect(db) as conn:
            unchanged = conn.execute("select unchanged from crawl_runs order by id desc").fetchone()[0]
        results[label] = best
        print(f"  {label:<38} {best:7.1f} s  {answers[200]:5} answers with a body  {answers[304]:5} x 304  "
              f"{unchanged:5} seen unchanged  [{check(db, servers, truths)}]")
    before, now = results.values()
    print(f"\n  speed-up of the conditional --full rerun: {before / now:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles-per-column", type=int, default=150)
    parser.add_argument("--server-delay", type=float, default=0.2, help="seconds before each response")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight per site per process")
    parser.add_argument("--workers", default="1,3", help="crawler counts to compare (the first is the baseline)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the fastest counts")
    parser.add_argument("--full-rerun", action="store_true",
                        help="measure a --full rerun with and without conditional requests instead")
    args = parser.parse_args()

    from replica import ReplicaServer, build_site
    from replica.city import build_city_site

    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="unionnews-bench-") as tmp:
        root = Path(tmp)
        n = args.articles_per_column
        province = build_site(root / "province", articles_per_column=n)
        city = build_city_site(root / "city", articles_per_column=(n, n, n))
        redis_process, redis_url = start_redis(root)
        try:
            with ReplicaServer(province.root, delay=args.server_delay) as p_server, \
                    ReplicaServer(city.root, delay=args.server_delay) as c_server:
                servers = [p_server, c_server]
                truths = [province.truth(p_server.origin), city.truth(c_server.origin)]
                sites = {url: "scszjggh" for url in province.start_urls(p_server.origin)}
                sites |= {url: "cdzgh" for url in city.start_urls(c_server.origin)}
                articles = sum(len(t["articles"]) for t in truths)
                print(f"{articles} articles on 2 sites, {args.server_delay:g} s server delay, "
                      f"{args.concurrency} requests in flight per site per process\n")
                if args.full_rerun:
                    compare_full_rerun(sites, root, redis_url, servers, truths, counts[-1], args.concurrency,
                                       args.repeat)
                else:
                    compare_workers(sites, root, redis_url, servers, truths, counts, args.concurrency, args.repeat)
        finally:
            redis_process.terminate()


if __name__ == "__main__":
    main()
