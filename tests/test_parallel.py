"""The worker pool: results in order, errors raised where the work was asked for, interrupts left to
the parent, and no worker left behind."""
import os
import signal
import time

import pytest

from conftest import deadline
from problems import parallel
from problems.errors import HwError, TemplateError


def _report(task):
    return task, os.getpid(), signal.getsignal(signal.SIGINT)


def _slow_first(task):
    time.sleep(0.2 if task == 0 else 0.0)          # the first task finishes last
    return task * task


def _fails_on_three(task):
    if task == 3:
        raise ValueError(f"task {task} is bad")
    return task


def _dies_on_two(task):
    if task == 2:
        os._exit(9)                                  # as a worker killed for memory would vanish
    return task


CHILDREN = f"/proc/{os.getpid()}/task/{os.getpid()}/children"


def _killed_on_two(task):
    if task == 2:
        os.kill(os.getpid(), signal.SIGKILL)        # what the kernel's out-of-memory killer sends
    return task


def _template_error(task):
    if task == 1:
        raise TemplateError([HwError("first", file="t.yaml", line=3), HwError("second", file="t.yaml")])
    return task


class _Unreadable(Exception):
    def __init__(self, a, b):               # pickles as _Unreadable(message): a TypeError when read back
        super().__init__(f"{a} {b}")


def _unreadable(task):
    if task == 1:
        raise _Unreadable("no", "way")
    return task


def _children():
    """This process's children, where Linux lists them; None elsewhere."""
    if not os.path.exists(CHILDREN):
        return None
    with open(CHILDREN) as listed:
        return {int(pid) for pid in listed.read().split()}


def test_results_come_in_task_order_from_other_processes():
    results = list(parallel.ordered_map(_report, list(range(7)), jobs=2))
    assert [task for task, _, _ in results] == list(range(7))
    assert all(pid != os.getpid() for _, pid, _ in results)
    assert list(parallel.ordered_map(_slow_first, list(range(9)), jobs=2)) == [t * t for t in range(9)]


def test_tasks_may_come_from_a_generator():
    made = []

    def tasks():
        for t in range(6):
            made.append(t)
            yield t

    results = parallel.ordered_map(_slow_first, tasks(), jobs=2, count=6)
    assert made == []                                   # nothing runs before the first result is asked for
    assert list(results) == [0, 1, 4, 9, 16, 25] and made == list(range(6))


def _term_handler(task):
    return signal.getsignal(signal.SIGTERM)


def test_workers_end_on_sigterm_whatever_the_parents_handler():
    def parents(number, frame):             # as cli.run turns a kill into a stop
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, parents)
    try:
        handlers = list(parallel.ordered_map(_term_handler, [1, 2], jobs=2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handlers == [signal.SIG_DFL, signal.SIG_DFL]


def test_workers_leave_ctrl_c_to_the_parent():
    # a terminal's Ctrl-C reaches every process of the group: the parent stops the run and removes
    # its staging folder; workers that took it too would each print a traceback
    results = list(parallel.ordered_map(_report, [1, 2], jobs=2))
    assert all(handler == signal.SIG_IGN for _, _, handler in results)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_error_in_a_worker_is_raised_here_and_the_workers_end():
    with pytest.raises(ValueError, match="task 3 is bad"):
        list(parallel.ordered_map(_fails_on_three, list(range(8)), jobs=2))
    assert _children() in (set(), None)


def test_a_worker_that_vanishes_is_an_error_not_a_wait_forever():
    with pytest.raises(HwError, match=r"ended unexpectedly: exit status 9$"):
        list(parallel.ordered_map(_dies_on_two, list(range(8)), jobs=2))
    assert _children() in (set(), None)


def test_a_run_stopped_early_ends_its_workers():
    results = parallel.ordered_map(_slow_first, list(range(50)), jobs=2)
    next(results)
    assert _children() is None or len(_children()) == 2
    results.close()
    assert _children() in (set(), None)


def test_a_fork_that_fails_stops_the_workers_already_started(monkeypatch):
    real_fork, forks = os.fork, []

    def fork():
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(BlockingIOError):
        list(parallel.ordered_map(_report, list(range(4)), jobs=2))
    assert _children() in (set(), None)


def test_a_template_error_in_a_worker_comes_back_whole():
    with pytest.raises(TemplateError) as raised:
        list(parallel.ordered_map(_template_error, [0, 1, 2], jobs=2))
    assert str(raised.value) == "t.yaml:3: first\nt.yaml: second"


def _layer_error(task):
    if task == 1:
        from grader.network import LayerError
        raise LayerError(2, "layer 2 (maxpool): the pooling window does not tile the input")
    return task


def _manifest_error(task):
    if task == 1:
        from grader.manifest import ManifestError
        raise ManifestError("the record of variant 's1' cannot be read", file="out/manifest.json", line=7)
    return task


def test_hw_s_own_errors_come_back_from_a_worker_with_their_file_line_and_fields():
    """Every HwError pickles whole, whatever its subclass's arguments (a LayerError takes the
    layer's index first): it came back as a TypeError before."""
    from grader.manifest import ManifestError
    from grader.network import LayerError

    with pytest.raises(LayerError) as raised:
        list(parallel.ordered_map(_layer_error, [0, 1, 2], jobs=2))
    assert raised.value.index == 2 and str(raised.value) == "layer 2 (maxpool): the pooling window does not tile the input"
    with pytest.raises(ManifestError) as raised:
        list(parallel.ordered_map(_manifest_error, [0, 1, 2], jobs=2))
    assert (raised.value.file, raised.value.line) == ("out/manifest.json", 7)
    assert str(raised.value) == "out/manifest.json:7: the record of variant 's1' cannot be read"


def test_an_error_that_does_not_come_back_is_one_line():
    with pytest.raises(HwError, match="a worker's result could not be read back: TypeError"):
        list(parallel.ordered_map(_unreadable, [0, 1, 2], jobs=2))
    assert _children() in (set(), None)


def test_a_worker_killed_by_a_signal_is_named_so():
    with pytest.raises(HwError, match=r"ended unexpectedly: killed by SIGKILL \(out of memory\?\)$"):
        list(parallel.ordered_map(_killed_on_two, list(range(8)), jobs=2))
    assert _children() in (set(), None)


def _echo_big(task):
    number, payload = task
    time.sleep(0.05 if number % 2 else 0.0)          # the workers finish out of step
    return number, payload * 2


def test_tasks_and_results_larger_than_a_pipe_do_not_wait_on_each_other():
    # A task too large for the pipe's buffer blocks its sender until the worker reads it; the worker
    # reads it only after sending its last result, which waits for the parent to read it. hw generate's
    # render tasks carry the settled draws of a chunk, hundreds of KB for a class whose questions have
    # few instances.
    big = b"x" * (1 << 20)                           # 1 MB, sixteen times a Linux pipe's buffer

    with deadline(20, "the parent and a worker wait on each other"):
        results = list(parallel.ordered_map(_echo_big, ((n, big) for n in range(12)), jobs=2, count=12))
    assert [n for n, _ in results] == list(range(12))
    assert all(len(payload) == 2 << 20 for _, payload in results)
    assert _children() in (None, set())


def _identity(task):
    return task


def test_a_task_that_cannot_be_sent_is_an_error_not_a_wait():
    tasks = (t if t != 3 else (lambda: t) for t in range(6))      # a lambda does not pickle
    with pytest.raises(HwError, match="a task could not be sent to a worker process"):
        list(parallel.ordered_map(_identity, tasks, jobs=2, count=6))
    assert _children() in (None, set())


@pytest.mark.parametrize("count,size,jobs", [(0, 100, 2), (1, 100, 2), (7, 100, 2), (199, 100, 2), (5000, 100, 2),
                                             (5001, 100, 3), (250, 100, 1), (1000, 8, 2), (1000, 1, 4)])
def test_tapered_chunks_cover_the_items_once_in_order_and_shrink_at_the_end(count, size, jobs):
    bounds = parallel.tapered_chunks(count, size, jobs)
    assert [i for start, end in bounds for i in range(start, end)] == list(range(count))
    steps = [end - start for start, end in bounds]
    assert all(0 < step <= size for step in steps)
    assert steps == sorted(steps, reverse=True)           # full chunks first, never growing again
    # what is left when a chunk smaller than `size` starts is at most 2 x jobs x size
    for i, step in enumerate(steps):
        if step < size and i + 1 < len(steps):
            assert count - bounds[i][0] <= 2 * jobs * size


def test_tapered_chunks_of_a_large_class_end_in_chunks_of_an_eighth():
    steps = [end - start for start, end in parallel.tapered_chunks(5000, 100, 2)]
    assert steps[:47] == [100] * 47          # at 4,600, 400 = 2 x 2 x 100 are left: a full chunk still
    assert steps[47:50] == [75, 57, 42]      # a quarter of 300, of 225, of 168, rounded up
    assert steps[-2] == 12 and steps[-1] <= 12 and sum(steps) == 5000
