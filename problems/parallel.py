"""Chunks of work over forked worker processes, results in order.

Workers are forked, so they see the job the parent set up in module state
without pickling it; only the tasks go out (a chunk's bounds, and what the
parent decided since the fork: the settled draws of a chunk to render) and
results come back.  The
results do not depend on the number of workers.  A worker that fails raises
its error here; one that vanishes (killed for memory, say) is an error too,
not a wait without end, and the others are stopped.

Tasks go out through one sender thread per worker, never from the loop that
reads the results: a task larger than a pipe's buffer (64 KB on Linux) waits
until its worker reads it, which is after that worker has sent its current
result, which waits in turn for the parent to read it.
"""
from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, TypeVar

from problems.errors import HwError

T = TypeVar("T")


def chunks(count: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def tapered_chunks(count: int, size: int, jobs: int) -> list[tuple[int, int]]:
    """Chunks of `size`, then smaller ones for the last 2 x jobs x size items, each a 2 x jobs-th
    of what is left (an eighth of `size` at least): the workers run out of work within a small
    chunk of each other, instead of one waiting for the other's last full chunk."""
    bounds, start, smallest = [], 0, max(1, size // 8)
    while start < count:
        left = count - start
        step = min(size, max(smallest, -(-left // (2 * jobs))))
        bounds.append((start, min(start + step, count)))
        start += step
    return bounds


def ordered_map(function: Callable[[Any], T], tasks: Iterable[Any], jobs: int, count: int | None = None
                ) -> Iterator[T]:
    """function(task) for each task, in order; on `jobs` forked workers for more than one task.

    `tasks` may be a generator (then give `count`): it runs in this process, each
    task made when a worker is ready for it, so the workers start on the first
    tasks while the later ones are still being made.
    """
    count = len(tasks) if count is None else count     # type: ignore[arg-type]
    if jobs <= 1 or count <= 1:
        yield from map(function, tasks)
        return
    # What the parent set up is moved out of the collector's sight before the fork: a worker's
    # collections would otherwise walk (and so copy, page by page) the whole inherited job.
    gc.freeze()
    workers: list[_Worker] = []
    finished = False
    try:
        _start(function, min(jobs, count), workers)
        yield from _results(workers, iter(tasks), count)
        finished = True
    finally:
        _stop(workers, finished)
        gc.unfreeze()


_DONE = object()        # what tells a sender thread that no more tasks come


class _Worker:
    def __init__(self, pid: int, tasks: Connection, results: Connection):
        self.pid, self.tasks, self.results = pid, tasks, results
        self.pending: collections.deque[int] = collections.deque()    # its tasks' numbers, in order
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.sender: threading.Thread | None = None
        self.failure: Exception | None = None     # a task that could not be sent

    def start_sending(self) -> None:
        """Started once every worker is forked: a fork copies only the thread that forks."""
        self.sender = threading.Thread(target=self._send_all, name=f"hw-tasks-{self.pid}", daemon=True)
        self.sender.start()

    def _send_all(self) -> None:
        while (task := self.outbox.get()) is not _DONE:
            try:
                self.tasks.send(task)
            except OSError:                 # the worker is gone: its results pipe tells the parent
                return
            except Exception as e:          # noqa: BLE001 - a task that does not pickle
                self.failure = e
                self.tasks.close()          # the worker sees the end of its tasks and leaves
                return


IN_FLIGHT = 2           # tasks a worker holds: the next one waits in its pipe while it sends a result


def _start(function: Callable[[Any], Any], jobs: int, workers: list[_Worker]) -> None:
    """Fork the workers into `workers` (those started, should a fork fail), each with a pipe for
    its tasks and one for its results.

    Not multiprocessing.Pool: a pool worker that vanished left its task's result awaited
    forever, and of the pool's helper threads in the parent one woke for every result
    still in a pipe (the parent's CPU while two workers graded 5,000 submissions:
    0.25-0.29 s with the pool, 0.13-0.15 s now)."""
    for stream in (sys.stdout, sys.stderr):         # nothing buffered is written twice
        stream.flush()
    for _ in range(jobs):
        task_reader, task_writer = multiprocessing.Pipe(duplex=False)
        result_reader, result_writer = multiprocessing.Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:                                 # the worker: it never returns from here
            for other in workers:                    # the parent's ends of the workers forked before
                other.tasks.close()
                other.results.close()
            task_writer.close()
            result_reader.close()
            _serve(function, task_reader, result_writer)
        task_reader.close()
        result_writer.close()
        workers.append(_Worker(pid, task_writer, result_reader))
    for worker in workers:
        worker.start_sending()


def _serve(function: Callable[[Any], Any], tasks: Connection, results: Connection) -> None:
    code = 0
    try:
        _leave_interrupts()
        while True:
            try:
                task = tasks.recv()
            except EOFError:                          # the parent has no more tasks, or stopped
                break
            try:
                outcome = (True, function(task))
            except Exception as e:                    # noqa: BLE001 - raised again in the parent
                outcome = (False, e)
            try:
                results.send(outcome)
            except (pickle.PicklingError, TypeError, AttributeError) as e:
                results.send((False, RuntimeError(f"a worker's result could not be sent back: {e}")))
    except BaseException:                             # noqa: BLE001 - the parent is gone or stopping us
        code = 1
    finally:
        os._exit(code)                                # none of the parent's exit handlers or buffers


def _results(workers: list[_Worker], tasks: Iterator[Any], count: int) -> Iterator[Any]:
    sent, done, ready = 0, 0, {}
    by_connection = {w.results: w for w in workers}

    def give(worker: _Worker) -> None:
        nonlocal sent
        while sent < count and len(worker.pending) < IN_FLIGHT:
            worker.outbox.put(next(tasks))
            worker.pending.append(sent)
            sent += 1

    for worker in workers:
        give(worker)
    while done < count:
        for connection in wait([w.results for w in workers if w.pending]):
            worker = by_connection[connection]
            try:
                ok, value = connection.recv()
            except (EOFError, OSError):               # its pipe closed, at once or in the middle of a result
                if worker.failure is not None:
                    raise HwError(f"a task could not be sent to a worker process: {worker.failure}") from None
                raise HwError(f"a worker process (pid {worker.pid}) ended unexpectedly: {_how_ended(worker.pid)}"
                              ) from None
            except Exception as e:                    # noqa: BLE001 - a result that does not unpickle
                raise HwError(f"a worker's result could not be read back: {type(e).__name__}: {e}") from None
            if not ok:
                raise value
            ready[worker.pending.popleft()] = value
            give(worker)
        while done in ready:                          # each result let go of once it is handed on
            yield ready.pop(done)
            done += 1


def _how_ended(pid: int) -> str:
    """The exit status or the signal of a worker whose pipe closed (waited for two seconds at most)."""
    for _ in range(200):
        try:
            ended, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return "its status is unknown"
        if ended:
            break
        time.sleep(0.01)
    else:
        return "its pipe closed"
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return f"exit status {code}"
    name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
    return f"killed by {name}" + (" (out of memory?)" if -code == signal.SIGKILL else "")


def _stop(workers: list[_Worker], finished: bool) -> None:
    """Close the pipes (a worker waiting for a task then leaves); end the workers at once when the
    run stopped early (an error, Ctrl-C), and wait for them.

    A sender thread stops after the tasks it was given; one still writing a task to a worker that
    is ended here stops when the worker's end of the pipe closes."""
    for worker in workers:
        worker.outbox.put(_DONE)
        if not finished:
            try:
                os.kill(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for worker in workers:
        if worker.sender is not None:
            worker.sender.join()
        worker.tasks.close()
    for worker in workers:
        worker.results.close()
        try:
            os.waitpid(worker.pid, 0)
        except ChildProcessError:
            pass


def _leave_interrupts() -> None:
    """Ctrl-C reaches every process of the terminal's group: the parent stops the run (its staging
    folder removed) and ends the workers; left to them too, each would print a traceback. A worker
    ends at once on SIGTERM, which is how the parent ends it (whatever the parent's own handler)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
