"""A compiled install (setup.py: the modules turned into C by Cython) writes what the sources
write, byte for byte: sheets, keys and PDFs, and grading's every file, slipped answers,
broken and unknown submissions included. Run where the installed hw is compiled (as
`pip install .` with a C compiler leaves it); an install of the sources as they are is what
the rest of the suite tests. And a plain build (HW_PURE_PYTHON, an editable install) leaves no
module of an earlier compiled build to be installed in its place."""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMPILED = tuple(importlib.machinery.EXTENSION_SUFFIXES)

spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

WHERE = "import grader.score; print(grader.score.__file__)"
RUN = "import sys; sys.argv[0] = 'hw'; import cli; cli.run()"


def _origin(code: str, cwd: Path) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


def _sources(code: str) -> str:
    return f"import sys; sys.path.insert(0, {str(REPO)!r}); {code}"


def _hw(code: str, args: list, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, capture_output=True, text=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The hw that is installed (compiled) and the repository's sources, as two commands."""
    tmp = tmp_path_factory.mktemp("where")
    installed, sources = _origin(WHERE, tmp), _origin(_sources(WHERE), tmp)
    if not installed.endswith(COMPILED):
        pytest.skip("the installed hw is not compiled (an editable install, HW_PURE_PYTHON, no C compiler)")
    assert sources.endswith(".py"), sources        # the sources run as Python, not a build left in the tree
    return {"installed": RUN, "sources": _sources(RUN)}


def _class(root: Path, code: str) -> None:
    """A class of 12 as `hw generate` and `hw grade` make it, with the benchmark's slips and broken input."""
    root.mkdir()
    roster = bench.roster(root, 12).name            # names relative to the class's folder: the same messages
    runs = []
    for args in (["--roster", roster, "--seed", 7, "--out", "gen", "--format", "md,html,pdf"],
                 ["--versions", 3, "--seed", 3, "--out", "versions", "--format", "md,pdf"]):
        done = _hw(code, ["generate", *args], root)
        assert done.returncode == 0, done.stderr
        runs.append(done)
    subs = bench.submissions(root, root / "gen")
    (subs / "broken.json").write_text('{"student_id": "s00001", "answers": {"q1": ')
    key = json.loads((root / "gen" / "key.json").read_text())
    first = next(iter(key["s00002"]))
    part = next(iter(key["s00002"][first]))
    (subs / "zz-late.csv").write_text(f"student_id,{first}.{part}\ns00002,twelve\nnobody,3\n")   # read last: counts
    for lms in ("generic", "moodle", "canvas"):
        runs.append(_hw(code, ["grade", subs.name, "--manifest", "gen/manifest.json", "--out", f"grades-{lms}",
                               "--lms", lms], root))
    (root / "said.txt").write_text("\n".join(f"{r.returncode}\n{r.stdout}{r.stderr}" for r in runs))


def test_the_compiled_install_writes_what_the_sources_write(both, tmp_path):
    for name, code in both.items():
        _class(tmp_path / name, code)
    installed, sources = _files(tmp_path / "installed"), _files(tmp_path / "sources")
    assert sorted(installed) == sorted(sources)
    assert any(name.endswith(".pdf") for name in installed) and "grades-moodle/results.json" in installed
    differ = [name for name in installed if installed[name] != sources[name]]
    assert not differ, differ
    results = json.loads(installed["grades-generic/results.json"])["submissions"]
    assert {r["status"] for r in results} >= {"ok", "error", "duplicate", "unknown-student"}
    tags = {t for r in results for q in r["questions"].values() for p in q["parts"].values() for t in p["tags"]}
    assert {"correct", "wrong", "unreadable", "unanswered"} <= tags


@pytest.mark.parametrize("plain_because", ["HW_PURE_PYTHON", "editable"])
def test_a_plain_build_leaves_no_module_compiled_before(tmp_path, plain_because):
    """pip builds in the tree's build/ folder and installs what it finds there, and an editable
    install runs the tree itself: a plain build after a compiled one must delete the compiled
    modules (from build/lib, or from beside their sources in the tree), or they would be imported
    before the sources (which may have changed since). Files of the build that are not compiled
    modules stay. Run on a copy of the tree, so that no stale module is ever left in the real one."""
    pytest.importorskip("setuptools")
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    tree, lib = tmp_path / "tree", tmp_path / "lib"
    for package in ("grader", "problems", "templates"):
        shutil.copytree(REPO / package, tree / package,
                        ignore=shutil.ignore_patterns("*.so", "*.c", "__pycache__"))
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree / name)
    where = lib / "grader" if plain_because == "HW_PURE_PYTHON" else tree / "grader"
    where.mkdir(parents=True, exist_ok=True)
    stale = where / f"score{suffix}"
    stale.write_bytes(b"a module compiled from older sources")
    kept = lib / "grader" / "README"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("a file of the build that is not a compiled module\n")
    command = [sys.executable, "setup.py", "-q", "build_ext", "--build-lib", str(lib),
               "--build-temp", str(tmp_path / "temp")]
    env = {k: v for k, v in os.environ.items() if k != "HW_PURE_PYTHON"}
    if plain_because == "HW_PURE_PYTHON":
        env["HW_PURE_PYTHON"] = "1"
    else:       # what an editable install runs: the modules as they are in the tree, nothing compiled.
        # setuptools' editable_wheel sets the option on the command once its options are initialized
        # (which reset it: set on the class alone it would be False again, and everything compiled)
        command = [sys.executable, "-c", "import sys; from setuptools.command import build_ext as b; "
                   "init = b.build_ext.initialize_options; "
                   "b.build_ext.initialize_options = "
                   "lambda self: (init(self), setattr(self, 'editable_mode', True)); "
                   "sys.argv[0] = 'setup.py'; exec(open('setup.py').read())", *command[2:]]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not stale.exists()
    assert (tree / "grader" / "score.py").is_file()
    assert kept.read_text() == "a file of the build that is not a compiled module\n"
    assert not list((tmp_path / "temp").rglob("*.o"))      # nothing was compiled
