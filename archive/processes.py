"""Helper processes beside a crawl: started without re-running the program, and talked to in
order (`OrderedChild`: jobs batched per turn of the event loop, each answered by an asyncio
future). The WARC writer and the parser run on it; the archive writer (archive/background.py)
has its own queue. This module imports nothing heavy: a child that imports it to run its loop
loads only what its own job needs.
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from typing import Any

from crawler.rules import describe

# What the pipe to an OrderedChild holds before a send blocks (Linux): see widen_pipe; and what
# a pipe is assumed to hold where its size cannot be read.
PIPE_BYTES = 1024 * 1024
DEFAULT_PIPE_BYTES = 64 * 1024


def tune_collector() -> None:
    """Python's cycle collector tuned for a crawl's process or one of its helpers, for the rest of
    the process: what is loaded before the work starts (Scrapy, lxml, warcio, profiles) lives as
    long as the process, so it is frozen out of the collector's walks, and the youngest generation
    is collected every 10,000 new objects instead of 700 (a page parsed or written makes
    thousands). Measured (callgrind, a 300-article crawl with its files): the collector's share of
    the crawl process's instructions fell from 8% to 3%."""
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])


def start_process(process: Any) -> None:
    """Start a spawned helper process without re-running this program's main module in it.

    Spawn re-imports `__main__` in the child by default: that fails when it is no file (stdin,
    a REPL) and runs it again when it is a script without an `if __name__ == "__main__"`
    guard (a crawl script would crawl twice). The helpers' targets live in importable modules,
    so the child is told there is no main module to import.
    """
    main = sys.modules["__main__"]
    hidden = {name: main.__dict__.pop(name) for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__spec__ = None
    try:
        process.start()
    finally:
        del main.__spec__
        main.__dict__.update(hidden)


class OrderedChild:
    """A child process that runs jobs in the order given and answers each with an asyncio future.

    The jobs given during one turn of the event loop go to the child in one pipe write, and the
    child answers a batch with one message: each write wakes the child and each answer wakes the
    crawl, so one exchange per turn (seven jobs on average in a crawl) instead of one per job is
    what keeps a helper cheaper for the crawl than the work it takes off it. `target(jobs,
    replies, parent, *args)` runs in the child, usually through `serve_in_order`. When the child
    dies, what waits for it and every later job fail with `error(reason)`. With `timeout`, a
    batch the child has not answered that many seconds after it could start on it is taken for
    a hang: the child is killed, and its jobs fail saying so.
    """

    def __init__(self, label: str, target: Callable[..., None], args: tuple = (),
                 error: type[Exception] = RuntimeError, timeout: float | None = None) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process running a reactor
        jobs, self.jobs = context.Pipe(duplex=False)
        self.replies, replies = context.Pipe(duplex=False)
        self.label, self.error = label, error
        self.process = context.Process(target=target, name=f"unionnews-{label.split()[0].lower()}", daemon=True,
                                       args=(jobs, replies, os.getpid(), *args))
        start_process(self.process)
        jobs.close()
        replies.close()
        #: What may be sent and not yet answered: half the pipe (a pipe's pages are not all
        #: filled), so a send never blocks while the child may be blocked answering.
        self.room = widen_pipe(self.jobs.fileno()) // 2
        self.loop = asyncio.get_event_loop()
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.failed: str | None = None
        #: Jobs given during this turn of the event loop, sent together at its end.
        self.pending: list[Any] = []
        #: Batches made and not sent yet (no room), and those sent and not answered: each as its
        #: size in bytes and its number of jobs.
        self.unsent: deque[tuple[bytes, int]] = deque()
        self.sent: deque[tuple[int, int]] = deque()
        self.timeout = timeout
        #: When the child could start on the oldest batch in flight (it was sent, and the one
        #: before it answered), and why the child was killed, if it was.
        self.started = 0.0
        self.killed: str | None = None
        self.loop.add_reader(self.replies.fileno(), self._answered)

    def submit(self, job: Any) -> asyncio.Future[Any]:
        """The job's answer, once the child has done it (the jobs before it first)."""
        answer = self.loop.create_future()
        if self.failed is not None:
            answer.set_exception(self.error(self.failed))
            return answer
        if not self.pending:
            self.loop.call_soon(self._send_pending)
        self.pending.append(job)
        self.waiting.append(answer)
        return answer

    def _send_pending(self) -> None:
        batch, self.pending = self.pending, []
        if batch and self.failed is None:
            self.unsent.append((ForkingPickler.dumps(("jobs", batch)), len(batch)))
            self._send_some()

    def _send_some(self) -> None:
        """Send the batches the pipe has room for. The crawl never blocks on a full pipe while
        the child blocks on a full answer pipe, the crawl not reading it (a deadlock, met with
        the parser's long answers): a batch goes when what is in flight leaves room for it, or
        when nothing is (the child then waits for it and reads it all)."""
        while self.unsent and (not self.sent or sum(size for size, _ in self.sent)
                               + len(self.unsent[0][0]) <= self.room):
            data, count = self.unsent.popleft()
            try:
                self.jobs.send_bytes(data)
            except OSError:
                self.unsent.appendleft((data, count))  # not sent: its jobs may go to another child
                self._gone()
                return
            self.sent.append((len(data), count))
            if len(self.sent) == 1:
                self._start_clock()

    def _start_clock(self) -> None:
        self.started = self.loop.time()
        if self.timeout:
            self.loop.call_later(self.timeout, self._check, self.started)

    def _check(self, started: float) -> None:
        """Kill a child still on the batch it could start at `started`, `timeout` s ago."""
        if self.sent and self.started == started and self.failed is None:
            self.killed = f"the {self.label} process took over {self.timeout:g} s (killed)"
            self.process.kill()  # its end reaches _answered as the pipe's EOF

    def _answered(self) -> None:
        try:
            while self.replies.poll():
                self._take(self.replies.recv())
            self._send_some()
        except (EOFError, OSError):
            self._gone()

    def _take(self, answers: list[tuple[bool, Any]]) -> None:
        """The answers to the oldest batch in flight."""
        self.sent.popleft()
        if self.sent:
            self._start_clock()
        for answer in answers:
            self._settle(*answer)

    def _gone(self) -> None:
        """The child died: fail what waits for it, and every job from now on. The error of a job
        the child never received says so (`sent` False): it can safely go to another child."""
        held = sum(count for _, count in self.sent)
        if self.failed is None:
            self.process.join(timeout=5)
            self.failed = self.killed or f"the {self.label} process died (exit {self.process.exitcode})"
            self.loop.remove_reader(self.replies.fileno())
            self.jobs.close()
            self.replies.close()
            self.unsent.clear()
            self.sent.clear()
        while self.waiting:
            answer = self.waiting.popleft()
            error = self.error(self.failed)
            error.sent = held > 0
            held -= 1
            if not answer.done():
                answer.set_exception(error)

    def close(self) -> Any:
        """Answer what is still waiting, then end the child; returns what its `finish` gave."""
        if self.failed is not None:
            return None
        self.loop.remove_reader(self.replies.fileno())
        try:
            self._send_pending()
            while self.waiting:  # a crawl cut short closes with some in flight
                self._send_some()
                self._take(self.replies.recv())
            self.jobs.send(("close", None))
            ((ok, value),) = self.replies.recv()
        except (EOFError, OSError):
            self._gone()
            raise self.error(self.failed) from None
        finally:
            self.process.join(timeout=30)
            if self.process.is_alive():
                self.process.kill()
        if not ok:
            raise self.error(value)
        return value

    def _settle(self, ok: bool, value: Any) -> None:
        """Answer the oldest waiting job: the child answers in the order it was asked."""
        answer = self.waiting.popleft()
        if answer.done():  # its response was cancelled meanwhile
            return
        if ok:
            answer.set_result(value)
        else:
            answer.set_exception(self.error(value))


def serve_in_order(jobs: Any, replies: Any, parent: int, handle: Callable[[Any], Any],
                   finish: Callable[[], Any] | None = None) -> None:
    """An OrderedChild's loop: `handle` each job of each batch in order and answer the batch
    with a list of (True, result) or (False, the error in words); on "close", answer with what
    `finish` gives and end. It ends on its own once the crawl is gone (EOF, or another parent).
    Ctrl-C reaches the whole process group: the crawl shuts down gracefully, then closes this
    one; SIGTERM still ends it (multiprocessing sends it to daemons left at exit)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tune_collector()
    while True:
        try:
            kind, batch = jobs.recv()
        except EOFError:
            return
        if os.getppid() != parent:
            return
        if kind == "close":
            replies.send([_answer(finish) if finish else (True, None)])
            return
        replies.send([_answer(handle, job) for job in batch])


def _answer(function: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    try:
        return True, function(*args)
    except Exception as exc:  # disk full, a page the parser cannot read: the crawl records it
        return False, describe(exc)


def widen_pipe(fd: int, size: int = PIPE_BYTES) -> int:
    """Let a pipe hold `size` bytes (Linux; elsewhere it keeps its own size); returns its size.

    With the default 64 KiB, eight pages in flight to the WARC process filled it whenever the
    child was briefly off the CPU, and the crawl's event loop waited (measured: a quarter of the
    crawl's time).
    """
    setter, getter = getattr(fcntl, "F_SETPIPE_SZ", None), getattr(fcntl, "F_GETPIPE_SZ", None)
    if setter is None or getter is None:
        return DEFAULT_PIPE_BYTES
    try:
        fcntl.fcntl(fd, setter, size)
    except OSError:  # above /proc/sys/fs/pipe-max-size for an unprivileged user: keep the default
        pass
    return fcntl.fcntl(fd, getter)
