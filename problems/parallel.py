"""Chunks of work over forked worker processes, results in order.

Workers are forked, so they see the job the parent set up in module state
without pickling it; only chunk bounds go out and results come back.  The
results do not depend on the number of workers.
"""
from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
import signal
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def chunks(count: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def ordered_map(function: Callable[[Any], T], tasks: Iterable[Any], jobs: int, count: int | None = None
                ) -> Iterator[T]:
    """function(task) for each task, in order; on `jobs` forked workers for more than one task.

    `tasks` may be a generator (then give `count`): it runs in this process, each
    task handed to a worker as soon as it is made, so the workers start on the
    first tasks while the later ones are still being made.
    """
    count = len(tasks) if count is None else count     # type: ignore[arg-type]
    if jobs <= 1 or count <= 1:
        yield from map(function, tasks)
        return
    # What the parent set up is moved out of the collector's sight before the fork: a worker's
    # collections would otherwise walk (and so copy, page by page) the whole inherited job.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, count), initializer=_leave_interrupts) as pool:
            pending = collections.deque(pool.apply_async(function, (task,)) for task in tasks)
            while pending:                  # each result let go of once it is handed on
                yield pending.popleft().get()
    finally:
        gc.unfreeze()


def _leave_interrupts() -> None:
    """Ctrl-C reaches every process of the terminal's group: the parent stops the run (its staging
    folder removed) and ends the workers; left to them too, each would print a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def batch_collector() -> None:
    """Set the cyclic garbage collector for a batch job: collect after 100,000 new containers, not 700.

    hw builds and drops many small acyclic lists and dicts (parsed answers, manifest records,
    page data) that reference counting frees; with Python's default threshold the collector ran
    thousands of times over the whole live class: a quarter of the CPU of grading 5,000
    submissions, and a third of the parent's.  Cycles are still collected, later.
    """
    gc.set_threshold(100_000, 20, 100)


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Make objects that stay for the whole run and hold no cycles (a class read into memory, its
    draws) without the collector looking at them: no collection runs meanwhile (it would free
    nothing), and at the end they are frozen, out of its sight, instead of all waiting in its
    youngest generation for the next collection to walk them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def default_jobs(count: int, threshold: int) -> int:
    """The cores (at most 4) for work of `count` items, one process below `threshold`."""
    return min(os.cpu_count() or 1, 4) if count >= threshold else 1
