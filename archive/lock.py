"""The archive's crawl lock: one crawl (or reparse, or archive writer) at a time per archive.

An exclusive flock on `<db>.lock`, taken at once or refused with one line naming the holder;
the kernel releases it when its holder dies, even by SIGKILL, so a crashed crawl never leaves
a stale lock behind for cron to trip over.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class CrawlError(Exception):
    """The crawl could not run; the message is the one line to show the user."""


class CrawlLocked(CrawlError):
    """Another crawl holds the archive's lock."""


class CrawlLock:
    """An exclusive flock on `<db>.lock`, released on release() or when the process dies."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd = path, fd

    def release(self) -> None:
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1


def acquire_lock(db_path: str | Path) -> CrawlLock:
    """Take the archive's crawl lock at once, or raise CrawlLocked naming who holds it.

    flock is released by the kernel when its holder dies, even by SIGKILL, so a crashed
    crawl never leaves a stale lock behind for cron to trip over.
    """
    path = Path(f"{db_path}.lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CrawlError(f"cannot create lock file {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
        os.close(fd)
        raise CrawlLocked(f"another crawl (pid {holder}) is running on {db_path}; "
                          "not starting a second one") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return CrawlLock(path, fd)
