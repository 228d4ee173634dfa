"""Instructions a grading worker spends on one submission, counted by callgrind: a figure that
does not drift with the machine's speed, for telling apart two versions that differ by 1%.

    python benchmarks/instructions.py                      # this checkout, 300 submissions
    python benchmarks/instructions.py --tree /tmp/before   # another checkout, on the same class
    python benchmarks/instructions.py --dir /dev/shm --submissions 500

It makes the benchmark's class (benchmarks/run.py: a roster, `hw generate` for
it, one JSON submission per student with a slip in every fourth answer), then
runs a worker's own loop (templates.grading._grade, chunk by chunk, writing
the feedback pages) in one process under `valgrind --tool=callgrind`, once over
the first submission and once over the first N, and prints the difference
divided by N - 1: start-up, the manifest's index and the imports drop out.
Python's hash seed is fixed, so that dicts and sets are laid out alike from run
to run (without it the count moves by 1%).

Instructions are not seconds: a cache miss costs no instruction, NumPy's
arithmetic few. What it tells reliably is whether a change made the
interpreter do less. Needs valgrind (Debian's package `valgrind`).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench      # noqa: E402  (the class is the one benchmarks/run.py makes)

LOOP = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from grader.grade import match, mode_of, resolve_duplicates
from grader.manifest import load_manifest
from grader.submissions import read_file, submission_files
from templates import grading
from templates.output import Staging

folder, count, manifest_path, out = sys.argv[2], int(sys.argv[3]), sys.argv[4], Path(sys.argv[5])
manifest = load_manifest(manifest_path)
files = submission_files(Path(folder))[:count]
matched = resolve_duplicates([match(manifest, mode_of(manifest), s) for p in files for s in read_file(p)])
with Staging(out, "results.json") as staging:
    staging.folder("feedback")
    # as `hw grade --lms canvas` (benchmarks/run.py's) sets it: no Moodle summary line
    grading._JOB.update(manifest=manifest, graded=matched, staging=staging, summaries=False)
    for start in range(0, len(matched), grading.CHUNK):
        grading._grade_chunk((start, min(start + grading.CHUNK, len(matched))))
"""


def instructions(tree: Path, work: Path, count: int) -> int:
    """The loop's instructions over the first `count` submissions of the class in `work`, run there with
    relative paths, so that no string differs from run to run but the staging folder's random name."""
    shutil.rmtree(work / "out", ignore_errors=True)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                           LOOP, str(tree), "subs-class", str(count), "class/manifest.json", "out"],
                          cwd=work, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"the loop under callgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=300, help="submissions graded under callgrind")
    parser.add_argument("--students", type=int, default=5000, help="the class (its size decides how many "
                        "students share a question's numbers)")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose grader is counted (default: this one)")
    parser.add_argument("--dir", type=Path, help="make the class here (default: the system's temporary folder)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if not 2 <= args.submissions <= args.students:
        raise SystemExit("--submissions must be at least 2 and at most --students")
    with tempfile.TemporaryDirectory(prefix="hw-instructions-", dir=args.dir) as tmp:
        work = Path(tmp)
        roster = bench.roster(work, args.students)
        made = subprocess.run(bench.HW + ["generate", "--roster", str(roster), "--format", "md", "--out", "class",
                                          "-q"], cwd=work, capture_output=True, text=True)
        if made.returncode:
            raise SystemExit(f"hw generate failed:\n{made.stderr[-2000:]}")
        bench.submissions(work, work / "class")           # subs-class/
        # once outside callgrind first: a tree's modules compiled and cached on the first run only
        # would count in `one` and not in `many` (a fresh checkout read 10% low)
        warm = subprocess.run([sys.executable, "-c", LOOP, str(args.tree.resolve()), "subs-class", "1",
                               "class/manifest.json", "out"], cwd=work, capture_output=True, text=True)
        if warm.returncode:
            raise SystemExit(f"the loop failed:\n{warm.stderr[-2000:]}")
        shutil.rmtree(work / "out", ignore_errors=True)
        one = instructions(args.tree.resolve(), work, 1)
        many = instructions(args.tree.resolve(), work, args.submissions)
    print(f"{(many - one) / (args.submissions - 1):,.0f} instructions a submission "
          f"({args.submissions} submissions of a class of {args.students}, {args.tree})")


if __name__ == "__main__":
    main()
