"""Two or more versions of a command timed in turns, so that the machine's drift hits them alike.

    python benchmarks/alternate.py 10 "before=python -c '...'" "after=hw grade subs --out g"

Each argument after the number of rounds is LABEL=COMMAND (run by the shell,
its output discarded). Every round runs each command once, in the order given;
the table shows, per label, the median and the fastest wall time and the median
CPU time of the command and its children. On a shared virtual machine whose
speed drifts by 10% in minutes, a difference of a few per cent shows only this
way: the same command timed in separate minutes differs by more.

To time an earlier commit beside the working tree, check it out elsewhere
(`git worktree add /tmp/before HEAD~1`) and run it with the same environment:
`python -c 'import sys; sys.path.insert(0, "/tmp/before"); sys.argv[0] = "hw";
import cli; cli.run()' grade ...`.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import time


def timed(command: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run of a shell command (CPU: it and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):       # 1: hw ran, and some input could not be used
        raise SystemExit(f"{command} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rounds", type=int)
    parser.add_argument("commands", nargs="+", metavar="LABEL=COMMAND")
    args = parser.parse_args()
    commands = []
    for item in args.commands:
        label, equals, command = item.partition("=")
        if not equals or not label or not command:
            parser.error(f"expected LABEL=COMMAND, got {item!r}")
        commands.append((label, command))
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in commands}
    for _ in range(args.rounds):
        for label, command in commands:
            results[label].append(timed(command))
    width = max(len(label) for label in results)
    for label, runs in results.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{label:>{width}}: wall median {statistics.median(walls):.2f} s (fastest {min(walls):.2f} s), "
              f"CPU median {statistics.median(cpus):.2f} s, {len(runs)} runs")


if __name__ == "__main__":
    main()
