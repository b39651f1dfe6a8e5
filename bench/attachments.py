"""Reading attachments' text: files per second in the bounded child process, against the same
readers called in this process (the baseline, measured in the same run), and what a search
through attachments costs.

    python bench/attachments.py [--files 200] [--pages 3] [--articles 20000]

Makes `--files` documents with Chinese text (a third each PDF of `--pages` pages, DOCX, XLSX;
tests/made_documents.py), stores them as a crawl would (files/ and the files table, one
article each), then times: the readers in this process (crawler.documents.extract on the bytes),
`extract_pending` (one child process, RLIMIT_AS, a time limit per file, each row written with
its index entries), and `search`/`count` for a word found only in the attachments.

Then the cost of attachments to searching: an archive of `--articles` generated articles is
searched (count, top 20, the feed's newest 50) before and after every article gets an
attachment text that holds the commonest word too (the worst case: every match twice), for a
word in every article, a rare one and one found nowhere.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import made_documents as made  # noqa: E402
from archive import search  # noqa: E402
from archive.attachments import extract_pending  # noqa: E402
from archive.db import open_archive  # noqa: E402
from crawler.documents import extract  # noqa: E402

LINES = ["关于开展职工书屋示范点评选的通知", "各基层工会：请于三月十日前报送推荐材料。",
         "联系人：王小明，电话：028-12345678。", "附件：推荐表、汇总表。"]


def documents(count: int, pages: int) -> list[tuple[str, bytes]]:
    found = []
    for number in range(count):
        lines = LINES + [f"编号{number:05d} 蜀锦社区第{number}号"]
        kind = number % 3
        if kind == 0:
            found.append((f"n{number}.pdf", made.pdf(lines, pages=pages)))
        elif kind == 1:
            found.append((f"n{number}.docx", made.docx(lines * pages)))
        else:
            found.append((f"n{number}.xlsx", made.xlsx("名单", [[line] for line in lines * pages])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    reading(args)
    searching(args.articles)


def searching(count: int) -> None:
    random.seed(1)
    alphabet = "职工会省直机关举办活动学习贯彻精神服务劳模书屋安康杯竞赛蓝莓采摘节羽毛球比赛乒乓球"

    def text(length: int) -> str:
        return "".join(random.choice(alphabet) for _ in range(length))

    with tempfile.TemporaryDirectory() as tmp:
        db = open_archive(Path(tmp) / "archive.db")
        with db.conn:
            db["articles"].insert_all(({"url": f"http://x.cn/{i}", "title": text(15), "body": "工会" + text(300),
                                        "published_at": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"}
                                       for i in range(count)), batch_size=2000)
        search.sync(db)
        before = _times(db)
        with db.conn:
            for i in range(count):
                sha = hashlib.sha256(str(i).encode()).hexdigest()
                db.execute("insert into files(article_id, article_url, url, kind, sha256, path) values (?, ?, ?, ?, ?, ?)",
                           [i + 1, f"http://x.cn/{i}", f"http://x.cn/{i}.pdf", "attachment", sha, "p"])
                db.execute("insert into attachment_texts(sha256, status, text) values (?, 'ok', ?)",
                           [sha, "工会" + text(500)])
            search.sync_attachments(db)
        after = _times(db)
        print(f"{count} articles, then each with an attachment text of 500 characters:")
        for query in before:
            print(f"  {query}: " + ", ".join(
                f"{name} {before[query][name]:.1f} -> {after[query][name]:.1f} ms" for name in before[query]))


def _times(db) -> dict[str, dict[str, float]]:
    found = {}
    for query in ("工会", "蓝莓采摘", "劳模书屋安康"):
        found[query] = {}
        for name, call in (("count", search.count), ("top 20", search.search), ("newest 50", search.newest)):
            started = time.perf_counter()
            call(db, query)
            found[query][name] = (time.perf_counter() - started) * 1000
    return found


def reading(args: argparse.Namespace) -> None:
    docs = documents(args.files, args.pages)
    size = sum(len(data) for _, data in docs)
    print(f"{len(docs)} files, {size / 1e6:.1f} MB, {args.pages} pages/sheets of text each")

    started = time.perf_counter()
    for name, data in docs:
        assert extract(data, name).status == "ok"
    inline = time.perf_counter() - started
    print(f"readers in this process (baseline): {inline:.2f} s, {len(docs) / inline:.0f} files/s")

    with tempfile.TemporaryDirectory() as tmp:
        db = open_archive(Path(tmp) / "archive.db")
        store = Path(tmp) / "files"
        with db.conn:
            for number, (name, data) in enumerate(docs):
                sha = hashlib.sha256(data).hexdigest()
                (store / sha[:2]).mkdir(parents=True, exist_ok=True)
                (store / sha[:2] / f"{sha}{Path(name).suffix}").write_bytes(data)
                url = f"http://x.cn/a/{number}.html"
                db["articles"].insert({"url": url, "title": f"通知{number}", "body": "详见附件。",
                                       "published_at": "2024-03-01"})
                db["files"].insert({"article_id": number + 1, "article_url": url, "url": f"http://x.cn/a/{name}",
                                    "kind": "attachment", "sha256": sha, "path": f"{sha[:2]}/{sha}{Path(name).suffix}"})
        search.sync(db)
        started = time.perf_counter()
        summary = extract_pending(db, store)
        child = time.perf_counter() - started
        print(f"extract_pending (child process, limits, rows + index): {child:.2f} s, "
              f"{len(docs) / child:.0f} files/s, {child / inline:.2f}x the baseline; {summary.line()}")
        for query in ("蜀锦社区第7号", "蜀锦社区", "职工书屋 推荐材料"):
            started = time.perf_counter()
            hits = search.search(db, query)
            total = search.count(db, query)
            took = (time.perf_counter() - started) * 1000
            print(f"search + count {query!r}: {len(hits)} shown of {total}, {took:.1f} ms")


if __name__ == "__main__":
    main()
