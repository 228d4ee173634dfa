"""The worker pool: results in order, and interrupts left to the parent."""
import os
import signal

from problems import parallel


def _report(task):
    return task, os.getpid(), signal.getsignal(signal.SIGINT)


def test_results_come_in_task_order_from_other_processes():
    results = list(parallel.ordered_map(_report, list(range(7)), jobs=2))
    assert [task for task, _, _ in results] == list(range(7))
    assert all(pid != os.getpid() for _, pid, _ in results)


def test_workers_leave_ctrl_c_to_the_parent():
    # a terminal's Ctrl-C reaches every process of the group: the parent stops the run and removes
    # its staging folder; workers that took it too would each print a traceback
    results = list(parallel.ordered_map(_report, [1, 2], jobs=2))
    assert all(handler == signal.SIG_IGN for _, _, handler in results)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
