"""The benchmark's verdicts on the issue's targets, read off hand-made figures."""
import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).parent.parent / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def row(seconds: float, mb: float = 100.0) -> dict:
    return {"median": seconds, "peak_mb": mb}


def verdict(lines: list[str], start: str) -> str:
    """The one line that starts so, its verdict ('met' or 'NOT met') cut off as a word of its own."""
    [found] = [line for line in lines if line.startswith(start)]
    head, _, last = found.rpartition(" ")
    return head.rstrip() + " | " + ("NOT met" if head.endswith("NOT") else last)


def test_each_target_is_judged_against_its_limit():
    lines = bench.verdicts({"md": row(9.9, 104), "md-1000": row(2.2, 57), "grade": row(3.5, 263),
                            "grade-1000": row(1.0, 118), "floor": row(0.125), "pdf": row(10.5), "exam": row(1.1)})
    assert verdict(lines, "generate --format md, 5,000 students: <= 10 s").endswith("| met")
    assert verdict(lines, "grade, 5,000 submissions: <= 3 s").endswith("| NOT met")
    five = verdict(lines, "grade, 5,000 submissions: <= 5x")
    assert "28.0x" in five and five.endswith("| NOT met")             # 3.5 / 0.125
    assert verdict(lines, "generate --format pdf, 100 students").endswith("| NOT met")
    assert verdict(lines, "generate --format pdf, 100 two-question").endswith("| met")
    r_exams = verdict(lines, "  ten times faster than R/exams (39.6 s, its figure")
    assert "36.0x" in r_exams and r_exams.endswith("| met")           # 39.6 / 1.1
    growth = verdict(lines, "grade: memory grows")
    assert "2.2x for 5x" in growth and growth.endswith("| met")       # 263 / 118
    assert verdict(lines, "grade, 5,000 students: peak memory").endswith("| met")


def test_a_measured_r_exams_replaces_its_figure_and_rows_not_run_are_left_out():
    lines = bench.verdicts({"exam": row(4.0), "rexams": row(30.0)})
    assert verdict(lines, "  ten times faster than R/exams (30.0 s, measured)").endswith("| NOT met")   # 7.5x
    assert verdict(lines, "generate --format pdf, 100 two-question exams: <= 4 s").endswith("| met")
    assert not [line for line in lines if line.startswith("grade")]


def test_memory_that_grows_faster_than_the_class_is_not_met():
    lines = bench.verdicts({"md": row(5.0, 600), "md-1000": row(1.0, 100)})
    assert verdict(lines, "generate --format md: memory grows").endswith("| NOT met")          # 6x for 5x
    assert verdict(lines, "generate --format md, 5,000 students: peak memory").endswith("| NOT met")


def test_the_read_and_parse_floor_reads_and_parses_every_file(tmp_path):
    import subprocess
    import sys
    (tmp_path / "a.json").write_text('{"student_id": "s1", "answers": {}}')
    (tmp_path / "b.json").write_bytes(b'\xef\xbb\xbf{"student_id": "s2", "answers": {"q1": {"a": [[1, 2]]}}}')
    done = subprocess.run([sys.executable, "-c", bench.floor_script(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (tmp_path / "c.json").write_text('{"student_id": ')          # a file that is not JSON stops it: it was parsed
    done = subprocess.run([sys.executable, "-c", bench.floor_script(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1 and "Error" in done.stderr
