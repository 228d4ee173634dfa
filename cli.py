"""The `hw` command: what the user types, turned into calls and exit codes."""
from __future__ import annotations

import os

# hw's arrays hold a few numbers each and its parallel work is forked processes: a BLAS thread
# pool would only spin beside them (a tenth of a core while grading a class). Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import json
import signal
import sys
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable

import click

from grader.answers import encode
from grader.solve import solve as solve_template
from grader.grade import wrong_manifest
from grader.manifest import load_manifest
from grader.submissions import folders_with_submissions, submission_files
from problems import parallel
from problems.assignment import DEFAULT_ASSIGNMENT, find_assignment, is_assignment, load_assignment
from problems.bank import assignment_files, bank, bank_files, display_path, find_template
from problems.build import VariantSpec, version_ids
from problems.roster import load_roster
from problems.spec import FAMILIES
from problems.errors import HwError, TemplateError
from problems.load import load_template
from problems.sample import sample_params
from problems.validate import check_template, generate_notes, instance_rng
from problems.yamlio import load_yaml
from templates import render_text
from templates.grading import grade_class
from templates.output import Staging
from templates.write import FORMATS, MARKER, generate_class

EXIT_FAILED = 1
ABSENT_SHOWN = 10         # students without a graded submission named on the terminal; the report names all


def hw_version() -> str:
    from importlib import metadata      # only generate records the version: other commands skip its import

    try:
        return metadata.version("hw")
    except metadata.PackageNotFoundError:
        return "unknown"


def _report(errors: Iterable[HwError]) -> None:
    for error in errors:
        for single in (error.errors if isinstance(error, TemplateError) else [error]):
            click.echo(f"Error: {single}", err=True)


def _system(error: OSError, where: str) -> HwError:
    """What the system refused (a full disk, a folder hw may not write in) as one line: the file it
    was about, else `where`."""
    return HwError(error.strerror or str(error), file=error.filename or where)


def _unexpected(where: str, error: Exception) -> HwError:
    """A failure no check foresaw still reaches the user as one line, not a traceback."""
    return HwError(f"unexpected {type(error).__name__}: {error}", file=where)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hw", prog_name="hw")
def main() -> None:
    """Randomized homework and exams on convolutional networks."""
    parallel.batch_collector()


@main.command()
@click.argument("template")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random params.")
def solve(template: str, seed: int) -> None:
    """Solve one instance of TEMPLATE (a file or a bank id) and print its params and answers as JSON."""
    try:
        spec = find_template(template)
        params = sample_params(spec, instance_rng(seed, "default", spec.id))
        solution = solve_template(spec, params)
        _render_all(spec, params, solution)   # what generate would hit, solve reports too
        answers = solution.answers
    except HwError as e:
        _report([e])
        sys.exit(EXIT_FAILED)
    except Exception as e:  # noqa: BLE001 - see _unexpected
        _report([_unexpected(template, e)])
        sys.exit(EXIT_FAILED)
    click.echo(json.dumps({"params": {k: encode(v) for k, v in params.items()}, "answers": answers}))


def _render_all(spec: Any, params: dict[str, Any], solution: Any) -> None:
    for fmt in ("md", "html"):
        render_text(spec.statement, spec, params, fmt)
        if spec.solution:
            render_text(spec.solution, spec, {**params, "answers": solution.answers}, fmt, what="solution")


def _yaml_files(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) if path.is_dir() else [path])
    return files


def _check_file(path: Path, name: str, notes: list[HwError]) -> list[HwError]:
    """Every error of one template, or of one assignment and the templates it uses; `notes` gets
    what is valid but most likely not meant."""
    if not path.is_file():
        raise HwError("no such file", file=name)
    data, _ = load_yaml(path, name=name)
    if is_assignment(data):
        assignment = load_assignment(path, name)
        return [e for t in assignment.templates for e in check_template(t, solve_template, _render_all, notes)]
    return check_template(load_template(path, name), solve_template, _render_all, notes)


@main.command()
@click.argument("paths", nargs=-1)
def validate(paths: tuple[str, ...]) -> None:
    """Check templates and assignments (files or folders; default: the bank and the bundled assignments).

    Each template is loaded, sampled for several seeds, solved and rendered: whatever generate would hit.
    """
    files = _yaml_files(paths) if paths else bank_files() + assignment_files()
    failed = 0
    for path in files:
        name = str(path) if paths else display_path(path)
        errors: list[HwError] = []
        notes: list[HwError] = []
        try:
            errors = _check_file(path, name, notes)
        except HwError as e:
            errors = [e]
        except Exception as e:  # noqa: BLE001 - see _unexpected
            errors = [_unexpected(str(path), e)]
        _report(errors)
        for note in dict.fromkeys(str(n) for n in notes):     # an assignment may use a template twice
            click.echo(f"Note: {note}", err=True)
        failed += bool(errors)
    click.echo(f"{len(files) - failed} of {len(files)} file(s) valid.")
    if failed:
        sys.exit(EXIT_FAILED)


def _variant_specs(roster: str | None, versions: int | None) -> tuple[list[VariantSpec], list[str]]:
    if roster:
        loaded = load_roster(Path(roster))
        return [VariantSpec(s.id, s.file_name, student=s) for s in loaded.students], list(loaded.skipped)
    if versions:
        return [VariantSpec(v, v, version=v) for v in version_ids(versions)], []
    return [VariantSpec("default", "default")], []


@main.command()
@click.option("--assignment", "assignment_name", default=DEFAULT_ASSIGNMENT, show_default=True,
              help="An assignment file, or the name of a bundled assignment.")
@click.option("--roster", type=click.Path(dir_okay=False), help="One variant per student of this CSV "
              "(plain with student_id, or a Canvas or Moodle gradebook export).")
@click.option("--versions", type=click.IntRange(1, 26), help="Versions A, B, C, ... for paper exams.")
@click.option("--seed", type=int, default=0, show_default=True, help="The seed every variant is drawn from.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder; replaced as a whole when it is an earlier hw output.")
@click.option("--format", "formats", default="md,html,pdf", show_default=True,
              help="Comma-separated renderings: md, html, pdf.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: the cores, for large classes).")
def generate(assignment_name: str, roster: str | None, versions: int | None, seed: int, out_dir: str,
             formats: str, quiet: bool, jobs: int | None) -> None:
    """Generate sheets, keys, a manifest and answer templates for one assignment."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))    # md,md is md
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; use md, html, pdf",
                                 param_hint="--format")
    if roster and versions:
        raise click.UsageError("use either --roster or --versions, not both")
    try:
        assignment = find_assignment(assignment_name)
        specs, skipped = _variant_specs(roster, versions)
        for note in skipped + generate_notes(assignment.templates, solve_template):
            click.echo(f"Note: {note}", err=True)
        with click.progressbar(length=len(specs), label="Generating", file=sys.stderr,
                               hidden=quiet or not sys.stderr.isatty()) as bar:
            with Staging(Path(out_dir), MARKER) as staging:
                notes, failures = generate_class(staging, assignment, seed, specs, chosen, hw_version(), jobs,
                                                 progress=bar.update)
    except HwError as e:
        _report([e])
        sys.exit(EXIT_FAILED)
    except OSError as e:            # the output folder was left as it was
        _report([_system(e, out_dir)])
        sys.exit(EXIT_FAILED)
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    if failures:
        _report(failures)
    kinds = ", ".join(chosen)
    click.echo(f"Wrote {len(specs)} variant(s) of {assignment.title!r} ({_questions(assignment)}, "
               f"{kinds}) to {out_dir}/: manifest.json, key.json, answers-template.json/.csv, "
               f"sheets/, keys/" + (", print/" if "pdf" in chosen and not failures else "") + ".")
    if failures:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("folder", type=click.Path(exists=True))
@click.option("--manifest", "manifest_path", default="out/manifest.json", show_default=True,
              help="The manifest that hw generate wrote for this assignment (or its output folder).")
@click.option("--out", "out_dir", default="grades", show_default=True, type=click.Path(file_okay=False),
              help="Output folder; replaced as a whole when it is an earlier hw grade output.")
@click.option("--lms", type=click.Choice(["canvas", "moodle", "generic"]), default="generic", show_default=True,
              help="The gradebook format.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: the cores, for large folders).")
def grade(folder: str, manifest_path: str, out_dir: str, lms: str, jobs: int | None) -> None:
    """Grade every submission (JSON or CSV) in FOLDER against the manifest; FOLDER may also be one file."""
    try:
        manifest = load_manifest(manifest_path)
        with Staging(Path(out_dir), "results.json") as staging:
            files = [Path(folder)] if Path(folder).is_file() else submission_files(Path(folder))   # a class's one CSV
            graded, absent = grade_class(staging, manifest, files, lms, jobs)
            _keep_until_exit(manifest, graded)
    except HwError as e:
        _report([e])
        sys.exit(EXIT_FAILED)
    except OSError as e:            # the output folder was left as it was
        _report([_system(e, out_dir)])
        sys.exit(EXIT_FAILED)
    if not graded and Path(folder).is_file():
        click.echo(f"Note: {folder}: no submission in this file (a header and no rows?)", err=True)
    elif not graded:
        nested = folders_with_submissions(Path(folder))
        click.echo(f"Note: {folder}: no submissions here (files ending in .json or .csv)"
                   + (f"; {nested} of its folders hold some (as an LMS's download lays them out): give hw "
                      "one folder of all the files" if nested else ""), err=True)
    failed = sum(g.status in ("error", "unknown-student") for g in graded)
    for line in _said(graded):
        click.echo(line, err=True)
    if absent and graded:           # with no submission at all, the note above says so
        shown = ", ".join(f"{_printable(sid)} ({_printable(name)})" if name else _printable(sid)
                          for sid, name in absent[:ABSENT_SHOWN])
        more = f" and {len(absent) - ABSENT_SHOWN:,} more" if len(absent) > ABSENT_SHOWN else ""
        click.echo(f"Note: {len(absent):,} of the roster's {len(manifest['variants']):,} students have no graded "
                   f"submission: {shown}{more} (report.html lists them)", err=True)
    mismatch = wrong_manifest(graded)
    if mismatch:
        click.echo(f"Note: {manifest_path}: {mismatch}", err=True)
    counted = [g for g in graded if g.status == "ok"]
    mean = sum(100 * g.score / g.max for g in counted if g.max) / len(counted) if counted else 0
    click.echo(f"Graded {len(counted)} student(s) from {len(graded)} submission(s)"
               + (f", mean {mean:.1f}%" if counted else "") + (f"; {failed} could not be graded" if failed else "")
               + f". Wrote {out_dir}/: gradebook.csv ({lms}), results.json, feedback/, report.html.")
    if failed:
        sys.exit(EXIT_FAILED)


def _said(graded: list) -> list[str]:
    """What the terminal says of each submission (an error, or a note), in the order read; rows
    of a CSV file in a row that are told the same (a note about its header, say) in one line,
    `class.csv:2-5001: ...`, not one for each student."""
    def told(g: Any) -> tuple[str, str] | None:
        s = g.submission
        if s.status in ("error", "unknown-student"):
            return "Error", s.message
        if s.status == "duplicate":
            return "Note", f"duplicate: {s.message}"
        return ("Note", s.message) if s.message else None

    lines = []
    for (said, file), run in groupby(((told(g), g.submission) for g in graded), key=lambda t: (t[0], t[1].file)):
        if said is None:            # nothing to say: a row of these ends a run of the others
            continue
        rows = [s.row for _, s in run]
        where = file if rows[0] is None else f"{file}:{rows[0]}" + (f"-{rows[-1]}" if len(rows) > 1 else "")
        lines.append(f"{said[0]}: {where}: {said[1]}")
    return lines


@main.command(name="list")
def list_bank() -> None:
    """List the templates of the bank (family, parts) and the bundled assignments."""
    try:
        templates = bank()
    except HwError as e:
        _report([e])
        sys.exit(EXIT_FAILED)
    width = max(len(t.id) for t in templates.values())
    family_width = max(map(len, FAMILIES))
    click.echo("Templates:")        # by family, in the lecture's order (FAMILIES)
    for t in sorted(templates.values(), key=lambda t: (FAMILIES.index(t.family), t.id)):
        parts = ", ".join(p.name for p in t.parts)
        click.echo(f"  {t.id:<{width}}  {t.family:<{family_width}}  {t.points:>3g} pts  parts: {parts}")
    click.echo("Assignments:")
    failed = []
    listed = []
    for path in assignment_files():
        try:
            assignment = load_assignment(path, display_path(path))
        except HwError as e:
            failed.append(e)
            continue
        points = sum(t.points for t in assignment.templates)
        listed.append((path.stem, f"{assignment.title} ({_questions(assignment)}, {points:g} pts)"))
    name_width = max((len(name) for name, _ in listed), default=0)
    for name, what in listed:
        click.echo(f"  {name:<{name_width}}  {what}")
    if failed:
        _report(failed)
        sys.exit(EXIT_FAILED)


def _questions(assignment: Any) -> str:
    count = len(assignment.templates)
    return f"{count} question{'' if count == 1 else 's'}"


_KEPT: list | None = None       # a list when run() ends the process with os._exit


def _keep_until_exit(*objects: object) -> None:
    """Leave a command's large results to the process's end, when run() ends it without freeing
    anything: returning from the command would free them object by object (a graded class of 5,000:
    0.06 s). Called as a library (tests, CliRunner), the command frees them as usual."""
    if _KEPT is not None:
        _KEPT.extend(objects)


def run() -> None:
    """The `hw` command: main(), then an exit that skips freeing the run's objects one by one.

    Every file hw writes is closed before its command returns, so what the interpreter's shutdown
    would still do is free each object of the run (a graded class holds millions) and call atexit
    handlers that have nothing left to do: 0.06-0.1 s for 5,000 submissions.  Only the standard
    streams are left to flush.
    """
    global _KEPT
    _KEPT = []
    code = 0
    for name in ("SIGTERM", "SIGHUP"):          # a kill, a closed terminal
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminated)
    try:
        main()
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:                           # sys.exit("message"), as the interpreter reports it
            print(e.code, file=sys.stderr)
            code = 1
    except OSError as e:                # what hw prints could not be written (`hw list > /dev/full`)
        code = _say_failed(e)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:         # a closed pipe (hw ... | head): nothing more to say
            code = code or EXIT_FAILED
        except (OSError, ValueError) as e:
            code = code or (_say_failed(e) if stream is sys.stdout else EXIT_FAILED)
    os._exit(code)


def _printable(text: str) -> str:
    """Text from a roster as the terminal shows it: as it is, or quoted with escapes where it holds
    characters that a terminal would act on."""
    return text if text.isprintable() else repr(text)


def _terminated(number: int, frame: Any) -> None:
    """`kill` (SIGTERM) or a closed terminal (SIGHUP) stops a run as Ctrl-C does: the output folder
    is left as it was, the staging folder and the workers are removed, and the run ends with
    'Aborted!' and status 1."""
    raise KeyboardInterrupt


def _say_failed(error: OSError | ValueError) -> int:
    """An error the system gave that no command caught (most often writing hw's own output, which
    names no file), on stderr if stderr still takes it; the exit status."""
    if isinstance(error, OSError) and error.filename:
        message = str(_system(error, ""))
    else:
        message = f"cannot write the output: {getattr(error, 'strerror', None) or error}"
    try:
        print(f"Error: {message}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_FAILED


if __name__ == "__main__":
    run()
