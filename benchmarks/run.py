"""Times hw at class scale, beside the baselines that give the numbers meaning.

    python benchmarks/run.py                 # the full table (several minutes)
    python benchmarks/run.py --quick         # fewer runs and smaller classes, for a first look
    python benchmarks/run.py --only grade    # one row family: generate-md, generate-pdf, exam-pdf, grade,
                                             # grade-versions, scaling
    python benchmarks/run.py --dir /dev/shm  # the class in memory: hw's time without the disk's

Everything runs on a synthetic class made in a temporary folder: a roster of
N students, and for grading one JSON submission per student (built from the
key, every fourth answer with a slip in it: a number, or one entry of a
matrix, off by one, so that grading traces real mistakes). Each row is a whole command run as a
user runs it (`hw ...` in a fresh process), timed several times; the table
shows the median and the peak memory (resident set) of the slowest run.

The first and last rows time a fixed pure-Python loop: a shared virtual machine's
speed drifts (on the project's machine the same loop has taken 2.0 to 3.4 s in
one afternoon), so compare tables taken at similar loop times.

Baselines, measured in the same run:
- naive PDF: one WeasyPrint document per student, rendered one after another
  from the same HTML hw writes (needs `pip install '.[bench]'`);
- read-and-parse floor: reading and JSON-parsing the same submission files,
  nothing else (with orjson, the parser hw grade uses, or json where orjson is
  not installed); and beside it the floor of hw grade's outputs: that, plus
  json-parsing every variant's manifest record and writing files of the names
  and sizes hw grade writes, on two processes (what any grader of the same
  contract does before scoring a single answer);
- R/exams: `Rscript` running exams2pdf on the same two-question exam
  (benchmarks/rexams/*.Rmd, the twins of hw's output-size and conv-params
  templates), when R, the exams package and LaTeX are installed (they are not
  on every machine).
"""
from __future__ import annotations

import argparse
import importlib.util
import csv
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HW = [str(Path(sys.executable).with_name("hw"))]
MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{elapsed} {peak} {done.returncode}")
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
"""

SPEED = "import time\nt = time.perf_counter()\ns = 0\nfor i in range(20_000_000):\n    s += i * i % 7\n" \
    "print(time.perf_counter() - t)"


BUILD = """
import importlib, importlib.machinery, importlib.util, pkgutil
names = [f"{p}.{m.name}" for p in ("grader", "problems", "templates")
         for m in pkgutil.iter_modules(importlib.import_module(p).__path__)]
compiled = sum(importlib.util.find_spec(n).origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
               for n in names)
print(f"{compiled} of {len(names)} modules compiled (setup.py)" if compiled else "plain Python (not compiled)")
"""


def hw_build(cwd: Path) -> str:
    """How the hw that the benchmark runs was installed: its modules compiled by Cython, or not."""
    return subprocess.run([sys.executable, "-c", BUILD], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", SPEED], capture_output=True, text=True, check=True)
    return float(out.stdout)


EXAM = """\
title: "Two-question exam"
problems:
  - template: output-size
  - template: conv-params
"""


def measure(command: list[str], cwd: Path, runs: int) -> dict:
    times, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True)
        elapsed, peak, code = out.stdout.split()
        if code not in ("0", "1"):
            raise SystemExit(f"{' '.join(command)} failed ({code}):\n{out.stderr}")
        times.append(float(elapsed))
        peaks.append(int(peak) / 1024)
    return {"median": statistics.median(times), "min": min(times), "peak_mb": max(peaks), "runs": runs}


def untimed(command: list[str], cwd: Path) -> None:
    """A command that makes what a row needs; its notes stay out of the table, its failure does not."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")


def roster(folder: Path, n: int) -> Path:
    path = folder / f"roster-{n}.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "name"])
        writer.writerows([f"s{i:05d}", f"Student {i}"] for i in range(n))
    return path


def slip(value, rnd: random.Random):
    """The answer with one arithmetic slip: a number, or one entry of a list, off by one.

    A word (such as "invalid") has no near miss, so it is left out instead.
    """
    if type(value) is int:
        return value + 1
    if type(value) is not list:
        return None
    value = json.loads(json.dumps(value))
    entries, at = value, value
    while isinstance(at, list) and at:
        entries, i = at, rnd.randrange(len(at))
        at = at[i]
    if type(at) is not int:          # an empty list, a word, a fraction: no slip of one
        return None
    entries[i] = at + 1
    return value


def submissions(folder: Path, out: Path) -> Path:
    """One JSON file per student from the key, every fourth answer with one slip in it.

    A slip in a matrix is one entry off by one, which the grader traces
    (carried forward, misconceptions) as it would a student's real mistake.
    """
    subs = folder / f"subs-{out.name}"
    subs.mkdir()
    key = json.loads((out / "key.json").read_text())
    rnd = random.Random(5)
    for sid, questions in key.items():
        answers = {}
        for qid, parts in questions.items():
            answers[qid] = {}
            for name, value in parts.items():
                if rnd.random() < 0.25:
                    value = slip(value, rnd)
                answers[qid][name] = value
        (subs / f"{sid}.json").write_text(json.dumps({"student_id": sid, "answers": answers}))
    return subs


def version_submissions(folder: Path, out: Path, count: int) -> Path:
    """`count` students' JSON files for versions A, B, C... (in turn), slipped as submissions() slips them."""
    subs = folder / f"subs-{out.name}"
    subs.mkdir()
    key = json.loads((out / "key.json").read_text())
    versions = sorted(key)
    rnd = random.Random(6)
    for i in range(count):
        version, sid = versions[i % len(versions)], f"v{i:05d}"
        answers = {qid: {name: slip(value, rnd) if rnd.random() < 0.25 else value for name, value in parts.items()}
                   for qid, parts in key[version].items()}
        (subs / f"{sid}.json").write_text(json.dumps({"student_id": sid, "version": version, "answers": answers}))
    return subs


def naive_pdf(out: Path, limit: int) -> str:
    """Script text: one WeasyPrint document per student's sheet and key, one after another."""
    return (
        "import sys, pathlib\n"
        "from weasyprint import HTML\n"
        f"out = pathlib.Path({str(out)!r})\n"
        f"files = sorted((out / 'sheets').glob('*.html'))[:{limit}] + sorted((out / 'keys').glob('*.html'))[:{limit}]\n"
        "for f in files:\n"
        "    HTML(filename=str(f)).write_pdf(str(f.with_suffix('.naive.pdf')))\n")


# The floors read each file as hw grade does (one open, fstat and read on a descriptor) and parse
# it with the parser hw grade uses (orjson) where it is installed, else with json.
PARSER = ("import os\n"
          "try:\n    from orjson import loads\nexcept ImportError:\n    from json import loads\n"
          "def read(p):\n"
          "    fd = os.open(p, os.O_RDONLY)\n"
          "    try:\n        return os.read(fd, os.fstat(fd).st_size + 1)\n"
          "    finally:\n        os.close(fd)\n")


def floor_script(subs: Path) -> str:
    return (
        "import pathlib\n" + PARSER +
        f"for p in sorted(pathlib.Path({str(subs)!r}).iterdir()):\n"
        "    loads(read(p).decode('utf-8-sig'))\n")


def contract_floor_script(subs: Path, manifest: Path, sizes: Path, out: Path) -> str:
    """Script text: the least work hw grade's outputs ask for, whatever computes them.

    The read-and-parse floor, then on two forked processes (a half each): every
    variant's record in the manifest json-parsed (a grader needs each student's
    expected answers), and files of the names and sizes hw grade wrote written
    (their bytes made in memory, not computed) into a new folder; the previous
    run's folder is deleted after, as hw deletes the output it replaces.
    """
    return (
        "import json, os, pathlib, shutil\n" + PARSER +
        f"for p in sorted(pathlib.Path({str(subs)!r}).iterdir()):\n"
        "    loads(read(p).decode('utf-8-sig'))\n"
        f"data = pathlib.Path({str(manifest)!r}).read_bytes()\n"
        "lines = data[data.find(b'\\n  \"variants\": {\\n'):].split(b'\\n')[2:-3]\n"
        f"files = json.loads(pathlib.Path({str(sizes)!r}).read_text())\n"
        f"base = pathlib.Path({str(out)!r})\n"
        "base.mkdir(exist_ok=True)\n"
        "previous = list(base.iterdir())\n"
        "out = base / f'run-{os.getpid()}'\n"
        "for folder in sorted({str(pathlib.Path(name).parent) for name, _ in files}):\n"
        "    (out / folder).mkdir(parents=True, exist_ok=True)\n"
        "children = []\n"
        "for half in (0, 1):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        for line in lines[half::2]:\n"
        "            loads(line[line.find(b'\": ') + 3:].rstrip(b','))\n"
        "        for name, size in files[half::2]:\n"
        "            (out / name).write_bytes(b'x' * size)\n"
        "        os._exit(0)\n"
        "    children.append(pid)\n"
        "for pid in children:\n"
        "    os.waitpid(pid, 0)\n"
        "from concurrent.futures import ThreadPoolExecutor\n"       # deleted by four threads, as hw does
        "old = [os.path.join(d, f) for folder in previous for d, _, names in os.walk(folder) for f in names]\n"
        "with ThreadPoolExecutor(4) as pool:\n"
        "    list(pool.map(lambda part: [os.unlink(f) for f in part], [old[i::4] for i in range(4)]))\n"
        "for folder in previous:\n"
        "    shutil.rmtree(folder)\n")


def output_sizes(folder: Path, to: Path) -> Path:
    """The names and sizes of the files under an output folder, as JSON."""
    to.write_text(json.dumps([[str(p.relative_to(folder)), p.stat().st_size]
                              for p in sorted(folder.rglob("*")) if p.is_file()]))
    return to


R_EXAMS_FIGURE = 39.6     # s, R/exams' 100 two-question PDF exams on the project's machine class (issue #5)


def verdicts(found: dict[str, dict]) -> list[str]:
    """The targets of a 5,000-student table, each beside what this run measured and whether it holds;
    a target whose rows were not run (--only) is left out."""
    width = 78          # the longest target's text, and a space
    lines = [f"{'target':<{width}} {'measured':<14} verdict"]

    def line(target: str, measured: str, ok: bool) -> None:
        lines.append(f"{target:<{width}} {measured:<14} {'met' if ok else 'NOT met'}")

    def seconds(key: str, limit: float, target: str) -> None:
        if key in found:
            line(target, f"{found[key]['median']:.2f} s", found[key]["median"] <= limit)

    seconds("md", 10, "generate --format md, 5,000 students: <= 10 s")
    seconds("grade", 3, "grade, 5,000 submissions: <= 3 s")
    if "grade" in found and "floor" in found:
        times = found["grade"]["median"] / found["floor"]["median"]
        line("grade, 5,000 submissions: <= 5x the read-and-parse floor", f"{times:.1f}x", times <= 5)
    seconds("pdf", 10, "generate --format pdf, 100 students (homework): <= 10 s")
    seconds("exam", 4, "generate --format pdf, 100 two-question exams: <= 4 s")
    if "exam" in found:
        r_exams, where = ((found["rexams"]["median"], "measured") if "rexams" in found
                          else (R_EXAMS_FIGURE, "its figure, not run here"))
        times = r_exams / found["exam"]["median"]
        line(f"  ten times faster than R/exams ({r_exams:.1f} s, {where})", f"{times:.1f}x", times >= 10)
    for key, what in (("md", "generate --format md"), ("grade", "grade")):
        if key in found:
            line(f"{what}, 5,000 students: peak memory < 500 MB", f"{found[key]['peak_mb']:.0f} MB",
                 found[key]["peak_mb"] < 500)
        if key in found and f"{key}-1000" in found:
            growth = found[key]["peak_mb"] / found[f"{key}-1000"]["peak_mb"]
            line(f"{what}: memory grows no faster than the class (1,000 -> 5,000)", f"{growth:.1f}x for 5x",
                 growth <= 5)
    return lines


def r_exams_available() -> bool:
    """Rscript, the exams package, and the LaTeX that its exams2pdf runs."""
    if shutil.which("Rscript") is None or shutil.which("pdflatex") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(exams)"], capture_output=True)
    return probe.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 run each, 1,000 instead of 5,000 students")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated row families to run")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--dir", type=Path, help="make the synthetic class here (default: the system's temporary "
                        "folder); /dev/shm separates hw's own time from the disk's")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    big = 1000 if args.quick else 5000
    only = set(filter(None, args.only.split(",")))
    rows: list[tuple[str, dict]] = []

    found: dict[str, dict] = {}         # the rows the targets are read from, by a short name

    def row(name: str, family: str, command: list[str], cwd: Path, n_runs: int = runs, key: str = "") -> None:
        if only and family not in only:
            return
        result = measure(command, cwd, n_runs)
        rows.append((name, result))
        found[key or name] = result
        print(f"{name:<68} {result['median']:8.2f} s  {result['peak_mb']:7.0f} MB", flush=True)

    with tempfile.TemporaryDirectory(prefix="hw-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        (work / "exam.yaml").write_text(EXAM)
        # The interpreter's build moves every row (one built with profile-guided optimization runs
        # Python code faster), so a table says which one ran it.
        print(f"python: {platform.python_implementation()} {' '.join(sys.version.split())}")
        print(f"hw: {hw_build(work)}")
        print(f"{'command':<68} {'median':>10}  {'peak':>10}")
        speed = machine_speed()
        print(f"{'machine speed: a fixed Python loop, before':<68} {speed:8.2f} s", flush=True)
        rows.append(("machine speed before", {"median": speed}))
        r_big, r100 = roster(work, big), roster(work, 100)
        row(f"hw generate --format md, {big} students", "generate-md",
            HW + ["generate", "--roster", str(r_big), "--format", "md", "--out", "md-big", "-q"], work, key="md")
        row("hw generate --format pdf, 100 students (homework)", "generate-pdf",
            HW + ["generate", "--roster", str(r100), "--format", "pdf", "--out", "pdf-100", "-q"], work, key="pdf")
        row("hw generate --format pdf, 100 students (2-question exam)", "exam-pdf",
            HW + ["generate", "--assignment", "exam.yaml", "--roster", str(r100), "--format", "pdf",
                  "--out", "exam-100", "-q"], work, key="exam")
        if not only or "exam-pdf" in only:
            untimed(HW + ["generate", "--assignment", "exam.yaml", "--roster", str(r100), "--format", "html",
                          "--out", "exam-html", "-q"], work)
            if importlib.util.find_spec("weasyprint"):
                row("  baseline: naive WeasyPrint, one document per student (exam)", "exam-pdf",
                    [sys.executable, "-c", naive_pdf(work / "exam-html", 100)], work, 1, key="naive")
            else:
                print("  baseline: naive WeasyPrint skipped: pip install '.[bench]' to measure it")
            if r_exams_available():
                rmd = Path(__file__).resolve().parent / "rexams"   # the same two questions, written for R/exams
                name = "  baseline: R/exams exams2pdf, 100 exams"
                result = measure(["Rscript", "-e", (
                    "library(exams); dir.create('rexams', showWarnings = FALSE); "
                    "exams2pdf(c('output-size.Rmd', 'conv-params.Rmd'), n = 100, "
                    f"dir = 'rexams', edir = '{rmd}')")], work, 1)
                made = len(list((work / "rexams").glob("*.pdf")))
                if made == 100:         # Rscript's status 1 is a failure, which measure() lets pass for hw's sake
                    rows.append((name, result))
                    found["rexams"] = result
                    print(f"{name:<68} {result['median']:8.2f} s  {result['peak_mb']:7.0f} MB", flush=True)
                else:
                    print(f"  baseline: R/exams ran but wrote {made} of 100 PDFs; not timed")
            else:
                print("  baseline: R/exams not installed here (39.6 s measured on this machine class, see docs)")
        if not only or "grade" in only:
            if not (work / "md-big").exists():
                untimed(HW + ["generate", "--roster", str(r_big), "--format", "md", "--out", "md-big", "-q"], work)
            subs = submissions(work, work / "md-big")
            row(f"hw grade, {big} JSON submissions", "grade",
                HW + ["grade", str(subs), "--manifest", "md-big/manifest.json", "--out", "grades", "--lms", "canvas"],
                work, key="grade")
            row(f"  baseline: read and json-parse the same {big} files", "grade",
                [sys.executable, "-c", floor_script(subs)], work, key="floor")
            sizes = output_sizes(work / "grades", work / "grade-output-sizes.json")
            row("  baseline: + every manifest record parsed, the same files written", "grade",
                [sys.executable, "-c", contract_floor_script(subs, work / "md-big" / "manifest.json", sizes,
                                                             work / "contract-floor")], work)
        if not only or "grade-versions" in only:
            untimed(HW + ["generate", "--versions", "3", "--format", "md", "--out", "versions", "-q"], work)
            subs = version_submissions(work, work / "versions", big)
            row(f"hw grade, {big} JSON submissions on versions A, B, C", "grade-versions",
                HW + ["grade", str(subs), "--manifest", "versions/manifest.json", "--out", "grades-versions"], work)
        if not only or "scaling" in only:
            for n in (1, 100, 1000):
                r = roster(work, n)
                row(f"scaling: hw generate --format md, {n} students", "scaling",
                    HW + ["generate", "--roster", str(r), "--format", "md", "--out", f"scale-{n}", "-q"], work,
                    key=f"md-{n}")
                subs = submissions(work, work / f"scale-{n}")
                row(f"scaling: hw grade, {n} JSON submissions", "scaling",
                    HW + ["grade", str(subs), "--manifest", f"scale-{n}/manifest.json", "--out", f"grades-{n}"], work,
                    key=f"grade-{n}")
        speed = machine_speed()
        print(f"{'machine speed: a fixed Python loop, after':<68} {speed:8.2f} s")
        rows.append(("machine speed after", {"median": speed}))
    if big == 5000:
        print()
        for line in verdicts(found):
            print(line)
    if args.json:
        args.json.write_text(json.dumps(dict(rows), indent=2))


if __name__ == "__main__":
    main()
