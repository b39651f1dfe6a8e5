"""archive.processes.OrderedChild: jobs run in a real child process, answered in order as
asyncio futures; errors come back in words; a child that dies fails what it was given."""

from __future__ import annotations

import asyncio

import pytest

import support
from archive.processes import OrderedChild


def run(coroutine):
    return asyncio.run(coroutine)


def test_jobs_of_one_turn_are_answered_in_order_and_an_error_in_one_line() -> None:
    async def main():
        child = OrderedChild("echo", support.echo_or_die)
        answers = [child.submit(job) for job in ["a", "raise", {"b": [1, 2]}]]
        results = await asyncio.gather(*answers, return_exceptions=True)
        assert results[0] == "a" and results[2] == {"b": [1, 2]}
        assert type(results[1]) is RuntimeError and str(results[1]) == "ValueError: asked to fail"
        assert await child.submit("c") == "c"  # a later turn, a later batch
        assert child.close() is None
        assert child.process.exitcode == 0

    run(main())


def test_a_child_that_dies_fails_the_jobs_sent_with_it_and_every_later_one() -> None:
    class Gone(OSError):
        pass

    async def main():
        child = OrderedChild("echo", support.echo_or_die, error=Gone)
        assert await child.submit("before") == "before"
        sent_together = [child.submit("die"), child.submit("after")]
        for answer in sent_together:
            with pytest.raises(Gone, match=r"^the echo process died \(exit 3\)$"):
                await answer
        with pytest.raises(Gone, match="died"):
            await child.submit("later")
        assert child.close() is None  # nothing to end: it is gone

    run(main())


def test_close_answers_what_still_waits_before_the_child_ends() -> None:
    async def main():
        child = OrderedChild("echo", support.echo_or_die)
        waiting = [child.submit(n) for n in range(50)]  # not sent yet: this turn has not ended
        child.close()
        assert [answer.result() for answer in waiting] == list(range(50))

    run(main())


@pytest.mark.timeout(60, method="thread")  # a deadlocked send does not see signals
def test_long_jobs_with_long_answers_never_deadlock() -> None:
    """The crawl sends while the child answers: had the crawl blocked on a full pipe while the
    child blocked on a full answer pipe, neither would ever go on (the parser's records are
    long answers)."""
    jobs = [bytes([n]) * 300_000 for n in range(24)]

    async def main():
        child = OrderedChild("echo", support.echo_or_die)
        answers = []
        for job in jobs:  # one job a turn: a batch each, sent while the child answers the last
            answers.append(child.submit(job))
            await asyncio.sleep(0)
        assert await asyncio.gather(*answers) == jobs
        waiting = [child.submit(job) for job in jobs]  # and some still waiting at close
        child.close()
        assert [answer.result() for answer in waiting] == jobs

    run(main())


def test_a_child_on_one_batch_past_its_timeout_is_killed_and_its_jobs_say_so() -> None:
    async def main():
        child = OrderedChild("echo", support.echo_or_die, timeout=0.5)
        assert await child.submit("quick") == "quick"
        await asyncio.sleep(0.8)  # waiting for work is no hang
        assert await child.submit("again") == "again"
        sent_together = [child.submit("hang"), child.submit("after")]
        for answer in sent_together:
            with pytest.raises(RuntimeError, match=r"^the echo process took over 0.5 s \(killed\)$"):
                await answer
        assert child.process.exitcode == -9

    run(main())


def test_jobs_a_dead_child_never_received_say_so() -> None:
    async def main():
        child = OrderedChild("echo", support.echo_or_die)
        child.room = 1  # one batch in flight at a time: the next waits for its answer
        doomed = child.submit("die")
        await asyncio.sleep(0)  # the batch goes; the next job is a batch of its own
        waiting = child.submit("never sent")
        for answer, sent in ((doomed, True), (waiting, False)):
            with pytest.raises(RuntimeError, match="died") as failed:
                await answer
            assert failed.value.sent is sent

    run(main())
