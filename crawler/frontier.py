"""The shared frontier of a distributed crawl, on scrapy-redis.

Any number of `unionnews crawl --redis URL` processes, on any machines, share one request
queue and one duplicate filter in Redis: scrapy-redis's Scheduler and RFPDupeFilter. This
module adds what a crawl of a news archive needs on top of them:

* leases (LeasedQueue, LeaseAck): a request popped from the queue is remembered under the
  worker that took it until its output (articles, further requests) has left the worker; a
  worker that dies (SIGKILL, lost machine) stops its heartbeat and another worker puts its
  leased requests back in the queue, so nothing it held is lost;
* an end to the crawl (Worker): a worker with nothing to do waits while the queue holds
  requests or another worker is busy, and stops when the whole crawl is done;
* politeness per site across all workers: crawler/politeness.py.

Keys (prefix `unionnews:`): requests:<host:port> (a zset per site) and sites (set),
dupefilter (set), lease:<worker> (hash),
beats and states (hashes of workers), polite:<host>, walks_ended (columns walked to their
end in this crawl, for the recheck of unlisted articles on --full), full (set when a worker
runs --full), those of the archive's state (crawler/spiders/state.py) and those of the item
queue (items, writing, writer, captures, walked, stats, start_failures, start_urls) used by
archive/ingest.py.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from twisted.internet.task import LoopingCall

from crawler.sites import netloc

PREFIX = "unionnews"
DUPEFILTER = f"{PREFIX}:dupefilter"
LEASE_META = "unionnews_lease"
PARENT_META = "unionnews_parent"
WAKE_META = "unionnews_wake"
#: Seconds between a worker's heartbeats, and silence after which it counts as dead.
HEARTBEAT_SECONDS = 1.0
DEAD_AFTER_SECONDS = 5.0
#: How often a waiting worker looks at the queue again (Scrapy itself looks every 5 s).
WAKE_SECONDS = 0.2
#: One priority step outweighs any difference in push time (ms), so priorities still rule.
PRIORITY_SPAN = 10**13
#: The state of a worker whose heartbeat stopped and whose requests went back to the queue.
LOST = "lost"


def key(name: str) -> str:
    """A Redis key of the distributed crawl, e.g. key('items') -> 'unionnews:items'."""
    return f"{PREFIX}:{name}"


def new_worker_id() -> str:
    """host:pid:random, unique per crawler process."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


# Pop the best request of the first site queue (KEYS[3..]) that has one, lease it to this
# worker and mark the worker busy, atomically: a request is always either in a queue or in
# exactly one lease. A lease remembers its queue and score: "queue|score|request".
_POP = """
for i = 3, #KEYS do
  local found = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if #found > 0 then
    redis.call('ZREM', KEYS[i], found[1])
    local lease = redis.sha1hex(found[1])
    redis.call('HSET', KEYS[1], lease, KEYS[i] .. '|' .. found[2] .. '|' .. found[1])
    redis.call('HSET', KEYS[2], ARGV[1], 'busy')
    return {lease, found[1]}
  end
end
return false
"""
# Queue a request unless the duplicate filter already has it (KEYS: dupefilter, sites, the
# site's queue): marking it seen and queueing it happen together, so a crawler killed
# between the two cannot leave a request marked seen that no queue holds.
_PUSH = """
if ARGV[1] == '1' or redis.call('SADD', KEYS[1], ARGV[2]) == 1 then
  redis.call('SADD', KEYS[2], ARGV[3])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
  return 1
end
return 0
"""
# Put every request a worker leased back in its queue and mark the worker lost. (A worker
# that was only slow, not dead, turns busy again with its next pop: duplicates, no loss.)
_REQUEUE = """
local leased = redis.call('HVALS', KEYS[1])
for _, value in ipairs(leased) do
  local bar = string.find(value, '|', 1, true)
  local bar2 = string.find(value, '|', bar + 1, true)
  redis.call('ZADD', string.sub(value, 1, bar - 1), string.sub(value, bar + 1, bar2 - 1),
             string.sub(value, bar2 + 1))
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return #leased
"""



def worker_id_of(spider: Any) -> str:
    return spider.settings.get("UNIONNEWS_WORKER_ID")


def lease_key(worker: str) -> str:
    return key(f"lease:{worker}")


class AtomicDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter that only looks: LeasedQueue.push marks a request seen
    in the same atomic step that queues it (and drops it there if another crawler won)."""

    def request_seen(self, request: Request) -> bool:
        return bool(self.server.sismember(self.key, self.request_fingerprint(request)))


def site_queue(netloc: str) -> str:
    """The Redis key of one site's (host:port's) request queue."""
    return key(f"requests:{netloc}")


def queued(server: Any) -> int:
    """Requests waiting in all site queues."""
    queues = [site_queue(h.decode()) for h in server.smembers(key("sites"))]
    with server.pipeline() as pipe:
        for queue in queues:
            pipe.zcard(queue)
        return sum(pipe.execute())


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, one per site, with every pop leased to the popping worker.

    A worker pops from the sites its own download slots have room for (the emptiest
    first), so it never holds requests it cannot send while other workers have nothing.
    """

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = worker_id_of(spider)
        self.leases = lease_key(self.worker)
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self.seen = AtomicDupeFilter(server, DUPEFILTER)

    def __len__(self) -> int:
        return queued(self.server)

    def room(self) -> list[str]:
        """This crawl's sites whose download slot here has room, the emptiest first."""
        engine = self.spider.crawler.engine
        downloader = engine.downloader if engine is not None else None
        per_site = self.spider.crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        free = {}
        for site in sorted({netloc(url) for url in self.spider.start_urls}):
            slot = downloader.slots.get(site) if downloader is not None else None
            free[site] = per_site - (len(slot.active) + len(slot.queue) if slot is not None else 0)
        return [site for site in sorted(free, key=free.get, reverse=True) if free[site] > 0]

    def push(self, request: Request) -> None:
        """Queue a request; a retry or redirect of a leased request ends the old lease, and
        the response that asked for it has one output fewer to hand on.

        Within a priority the newest request comes first, as in Scrapy's own (LIFO) queue:
        a list page's next page, asked for after its articles, is not left waiting behind
        hundreds of them (scrapy-redis would order equal scores by their pickled bytes).
        """
        parent = request.meta.pop(PARENT_META, None)
        lease = request.meta.pop(LEASE_META, None)
        score = -request.priority * PRIORITY_SPAN - round(time.time() * 1000)
        site = netloc(request.url)
        self._push(keys=[key("dupefilter"), key("sites"), site_queue(site)],
                   args=[int(request.dont_filter), self.seen.request_fingerprint(request), site, score,
                         self._encode_request(request)])
        if lease:
            self.server.hdel(self.leases, lease)
        if parent:
            outstanding(self.worker).handed_on(parent)

    def pop(self, timeout: int = 0) -> Request | None:
        sites = self.room()
        if not sites:
            return None
        found = self._pop(keys=[self.leases, key("states"), *map(site_queue, sites)], args=[self.worker])
        if not found:
            return None
        lease, data = found
        request = self._decode_request(data)
        request.meta[LEASE_META] = lease.decode() if isinstance(lease, bytes) else lease
        return request


def end_lease(server: Any, worker: str, request: Request | None) -> None:
    """The request's output has left this worker: forget its lease."""
    lease = request.meta.get(LEASE_META) if request is not None else None
    if lease:
        server.hdel(lease_key(worker), lease)


class Outstanding:
    """Per leased response: outputs its callback yielded that have not left this worker yet.

    Scrapy hands a callback's output on through a small queue, so the callback finishing
    does not mean its items are in Redis or its requests queued. A lease ends only when the
    callback is finished and every output has been handed on (item pushed, dropped or
    failed; request queued or filtered as a duplicate).
    """

    def __init__(self, server: Any, worker: str) -> None:
        self.server, self.worker = server, worker
        self.pending: dict[str, int] = {}
        self.finished: set[str] = set()

    def yielded(self, lease: str) -> None:
        self.pending[lease] = self.pending.get(lease, 0) + 1

    def handed_on(self, lease: str) -> None:
        self.pending[lease] = self.pending.get(lease, 0) - 1
        self._end_if_done(lease)

    def callback_finished(self, lease: str) -> None:
        self.finished.add(lease)
        self._end_if_done(lease)

    def _end_if_done(self, lease: str) -> None:
        if lease in self.finished and self.pending.get(lease, 0) <= 0:
            self.finished.discard(lease)
            self.pending.pop(lease, None)
            self.server.hdel(lease_key(self.worker), lease)


_OUTSTANDING: dict[str, Outstanding] = {}


def outstanding(worker: str, server: Any = None) -> Outstanding:
    """This process's Outstanding for `worker` (made on first use, with `server`)."""
    if worker not in _OUTSTANDING:
        _OUTSTANDING[worker] = Outstanding(server, worker)
    return _OUTSTANDING[worker]


def lease_of(response: Any) -> str | None:
    request = getattr(response, "request", None)
    return request.meta.get(LEASE_META) if request is not None else None


class LeaseAck:
    """Spider middleware (outermost): counts what each leased response's callback yields,
    so that its lease ends once all of it has been handed on (see Outstanding)."""

    def __init__(self, crawler: Any) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        worker = crawler.settings.get("UNIONNEWS_WORKER_ID")
        self.outstanding = outstanding(worker, get_redis_from_settings(crawler.settings))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseAck:
        return cls(crawler)

    def _count(self, lease: str | None, output: Any) -> Any:
        if lease:
            self.outstanding.yielded(lease)
            if isinstance(output, Request):
                output.meta[PARENT_META] = lease
        return output

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        lease = lease_of(response)
        for output in result:
            yield self._count(lease, output)
        if lease:
            self.outstanding.callback_finished(lease)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        lease = lease_of(response)
        async for output in result:
            yield self._count(lease, output)
        if lease:
            self.outstanding.callback_finished(lease)

    def item_done(self, item: Any, response: Any = None, **kwargs: Any) -> None:
        if lease := lease_of(response):
            self.outstanding.handed_on(lease)

    def request_dropped(self, request: Request, **kwargs: Any) -> None:
        if parent := request.meta.pop(PARENT_META, None):
            self.outstanding.handed_on(parent)


class Worker:
    """Extension: one crawler process of a distributed crawl.

    Registers with a heartbeat, waits (instead of closing) while the shared crawl still has
    work, requeues the leases of workers that died, and on closing reports its figures for
    the archive writer. A worker asked to stop (SIGTERM) hands its leases back at once.
    """

    def __init__(self, crawler: Any) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.worker = crawler.settings.get("UNIONNEWS_WORKER_ID")
        self.requeue = self.server.register_script(_REQUEUE)
        self.beat = LoopingCall(self.heartbeat)
        self.wake = LoopingCall(self.wake_engine)
        self.waiting = False
        for handler, signal in ((self.opened, signals.spider_opened), (self.idle, signals.spider_idle),
                                (self.closed, signals.spider_closed), (self.dropped, signals.request_dropped),
                                (self.scheduled, signals.request_scheduled)):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Worker:
        return cls(crawler)

    def opened(self, spider: Any) -> None:
        self.heartbeat()
        self.server.hset(key("states"), self.worker, "busy")
        self.server.sadd(key("start_urls"), *spider.start_urls)
        if getattr(spider, "full", False):
            self.server.set(key("full"), 1)  # the writer records the run as a full one
        self.beat.start(HEARTBEAT_SECONDS, now=False)
        self.wake.start(WAKE_SECONDS, now=False)

    def heartbeat(self) -> None:
        self.server.hset(key("beats"), self.worker, time.time())

    def wake_engine(self) -> None:
        """While waiting for others, make the engine ask the queue again (see `scheduled`)."""
        if self.waiting and self.crawler.engine is not None and self.crawler.engine.spider is not None:
            self.crawler.engine.crawl(Request("data:,", dont_filter=True, meta={WAKE_META: True}))

    def scheduled(self, request: Request, spider: Any) -> None:
        if request.meta.get(WAKE_META):
            raise IgnoreRequest("wake-up call: not a real request")

    def dropped(self, request: Request, spider: Any) -> None:
        """A duplicate (say, a redirect to a page already fetched) needs no more work."""
        end_lease(self.server, self.worker, request)

    def idle(self, spider: Any) -> None:
        """Nothing to do here: stop only when the whole crawl is done."""
        self.server.hset(key("states"), self.worker, "idle")
        self.recover_dead()
        self.waiting = not crawl_done(self.server, self.worker)
        if self.waiting:
            raise DontCloseSpider

    def recover_dead(self) -> int:
        """Put the leased requests of workers whose heartbeat stopped back in the queue."""
        recovered = 0
        for worker in dead_workers(self.server):
            recovered += self.requeue(keys=[lease_key(worker), key("states")],
                                      args=[worker, LOST])
            spider = self.crawler.spider
            spider.logger.warning("worker %s stopped answering: %d of its requests requeued", worker, recovered)
        return recovered

    def closed(self, spider: Any, reason: str) -> None:
        for loop in (self.beat, self.wake):
            if loop.running:
                loop.stop()
        if reason != "finished":  # asked to stop: whatever it held goes back to the others
            self.requeue(keys=[lease_key(self.worker), key("states")],
                         args=[self.worker, "stopped"])
        else:
            self.server.delete(lease_key(self.worker))  # left only by failed downloads: done
            self.server.hset(key("states"), self.worker, "done")
        report_figures(self.server, spider, self.crawler.stats, finished=reason == "finished")


def dead_workers(server: Any, *, lost_too: bool = False) -> list[str]:
    """Workers still counted on (busy or idle) whose last heartbeat is older than
    DEAD_AFTER_SECONDS; with lost_too, also those whose requests were already requeued."""
    now, states = time.time(), server.hgetall(key("states"))
    beats = server.hgetall(key("beats"))
    counted = (b"busy", b"idle", LOST.encode()) if lost_too else (b"busy", b"idle")
    return [w.decode() for w, state in states.items()
            if state in counted and now - float(beats.get(w, 0)) > DEAD_AFTER_SECONDS]


def crawl_done(server: Any, me: str | None = None) -> bool:
    """Every registered worker is idle or done (states read first), then the queue is empty.

    In that order the answer cannot be 'done' while work remains: an idle worker makes no
    requests, and a worker only turns busy by popping from a non-empty queue.
    """
    states = server.hgetall(key("states"))
    if not states or any(state == b"busy" for w, state in states.items() if w.decode() != me):
        return False  # (a lost worker that was only slow counts again once it pops: busy)
    return queued(server) == 0


def report_figures(server: Any, spider: Any, stats: Any, finished: bool) -> None:
    """Add this worker's figures to the crawl's (the writer records them in crawl_runs)."""
    report = spider.report
    figures = {"fetched": stats.get_value("response_received_count", 0),
               "requests": stats.get_value("downloader/request_count", 0),
               "list_pages": report.list_pages, "article_links": report.article_links,
               "parsed": report.parsed, "parse_failures": report.parse_failures}
    for name, value in figures.items():
        server.hincrby(key("stats"), name, int(value))
    for profile, selectors in report.drift.items():  # which profile selectors missed, and of how many
        for selector, (missed, of) in selectors.items():
            server.hincrby(key("drift"), f"{profile}\t{selector}\tmissed", missed)
            server.hincrby(key("drift"), f"{profile}\t{selector}\tof", of)
    if finished and report.walked and not report.truncated:
        server.sadd(key("walked"), *report.walked)
    if report.empty_columns:
        server.sadd(key("empty_columns"), *report.empty_columns)
    for url, why in report.start_failures.items():
        server.hset(key("start_failures"), url, why)


def unseen(server: Any, urls: list[str]) -> list[str]:
    """The URLs no request of this crawl has asked for yet, by the shared duplicate filter
    (its fingerprint depends on method, URL and body only, as for the spider's requests)."""
    seen = AtomicDupeFilter(server, DUPEFILTER)
    found: list[str] = []
    for start in range(0, len(urls), 5000):
        chunk = urls[start:start + 5000]
        marks = server.smismember(DUPEFILTER, [seen.request_fingerprint(Request(u)) for u in chunk])
        found += [url for url, mark in zip(chunk, marks) if not mark]
    return found


def walk_ended(server: Any, column: str) -> None:
    """Record that this crawl walked `column`'s list to its last page (on whichever worker)."""
    server.sadd(key("walks_ended"), column)


def walks_ended(server: Any, columns: Iterable[str]) -> bool:
    """Every one of `columns` has been walked to its end by some worker of this crawl."""
    wanted = list(columns)
    return all(server.smismember(key("walks_ended"), wanted)) if wanted else True
