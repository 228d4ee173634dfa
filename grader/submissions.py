"""Reading a folder of submissions: JSON files (one each) and CSV files (one row each).

Nothing a student hands in can stop the others: a file that cannot be read
becomes one submission with status 'error' and a message that says why.
Files are read in name order; a file over the size limit is refused before it
is parsed.

Reading a file finds who handed it in (all that deciding duplicates needs);
its answers are checked and normalized by `check_answers`, where the
submission is graded: in a class split over worker processes, by the worker.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import jsonparse
from grader.answers import AnswerError, brief, normalize, parse_cell
from grader.lms import FORMULA_START
from problems.roster import has_controls, heading_reader
from problems.yamlio import text_problem

MAX_JSON_BYTES = 1024 * 1024
MAX_CSV_BYTES = 16 * 1024 * 1024
FIELD_LIMIT = 1024 * 1024


@dataclass
class Submission:
    file: str
    row: int | None
    student_id: str | None = None
    version: str | None = None
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)   # qid -> part -> value, None = unanswered
    problems: dict[str, dict[str, str]] = field(default_factory=dict)  # qid -> part -> why unreadable
    notes: list[str] = field(default_factory=list)                    # ignored questions, columns
    status: str = "ok"
    message: str = ""
    unchecked: Any = None       # the answers as handed in, until check_answers() fills `answers`


def _error(file: str, message: str, row: int | None = None) -> Submission:
    return Submission(file, row, status="error", message=message)


READ_ONLY = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


def read_limited(path: Path, limit: int) -> bytes:
    """A file's bytes; ValueError for an empty file, or one larger than `limit` (not read then).

    One open, one fstat and the reads, on the descriptor: Path.read_bytes's buffered file object
    adds a stat, a terminal check and a seek to every file, and a class is 5,000 files read before
    the workers start."""
    empty, refused = "the file is empty", f"the file is larger than {limit // 1024} KiB; refused without reading it"
    fd = os.open(path, READ_ONLY)
    try:
        size = os.fstat(fd).st_size
        if size == 0 or size > limit:
            raise ValueError(empty if size == 0 else refused)
        pieces, read = [], 0
        while read <= limit and (piece := os.read(fd, max(size + 1, 65536))):   # to its end, should it grow
            pieces.append(piece)
            read += len(piece)
    finally:
        os.close(fd)
    data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    if not data or len(data) > limit:           # it shrank or grew since its size was taken
        raise ValueError(empty if not data else refused)
    return data


def _text(path: Path, limit: int) -> str:
    data = read_limited(path, limit)
    problem = text_problem(data)
    if problem:
        raise ValueError(problem)
    if b"\x00" in data:
        raise ValueError("not a text file (binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None


def submission_files(folder: Path) -> list[Path]:
    """The files of a folder in the order they are read: by name, hidden files left out."""
    with os.scandir(folder) as entries:       # an entry knows its type without a stat (but a link's)
        files = [entry.path for entry in entries if not entry.name.startswith(".") and _is_file(entry)]
    return sorted((Path(name) for name in files), key=lambda p: p.name)


def folders_with_submissions(folder: Path) -> int:
    """How many folders directly in `folder` hold files hw would read (hw reads one folder's files)."""
    try:
        with os.scandir(folder) as entries:
            folders = [entry.path for entry in entries if not entry.name.startswith(".") and entry.is_dir()]
    except OSError:
        return 0
    return sum(1 for name in folders
               if any(p.suffix.lower() in (".json", ".csv") for p in _listed(Path(name))))


def _listed(folder: Path) -> list[Path]:
    try:
        return submission_files(folder)
    except OSError:
        return []


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:             # a link that loops, or that may not be followed: nothing to read
        return False


def read_file(path: Path) -> list[Submission]:
    """The submissions of one file (a JSON file holds one, a CSV file one per row)."""
    suffix, name = path.suffix.lower(), _shown_name(path)
    try:
        if suffix == ".json":
            return [read_json(name, _text(path, MAX_JSON_BYTES))]
        if suffix == ".csv":
            return read_csv(name, _text(path, MAX_CSV_BYTES))
        if suffix in (".xlsx", ".xls", ".ods"):
            return [_error(name, "not a submission: a spreadsheet workbook; save it as CSV "
                                 "(in Excel: \"CSV UTF-8\") and grade that")]
        return [_error(name, "not a submission: expected a .json or .csv file")]
    except (ValueError, OSError) as e:
        return [_error(name, str(e) if isinstance(e, ValueError) else f"cannot read: {e.strerror}")]


def _shown_name(path: Path) -> str:
    """A file's name as text: the bytes of a name that are not UTF-8 (which Python holds as lone
    surrogates, and no UTF-8 file can hold) as U+FFFD, the replacement character."""
    name = path.name
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def read_json(name: str, text: str) -> Submission:
    try:
        data = jsonparse.loads_characters(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        return _error(name, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")
    except RecursionError:
        return _error(name, "invalid JSON: nested too deeply")
    except ValueError as e:
        if "integer string conversion" in str(e):       # Python's limit on the digits of an int read from text
            return _error(name, f"invalid JSON: a number of more than {sys.get_int_max_str_digits():,} digits")
        return _error(name, f"invalid JSON: {e}")
    if not isinstance(data, dict):
        return _error(name, "expected a JSON object with student_id and answers")
    sub = Submission(name, None)
    sid = data.get("student_id")
    if isinstance(sid, (int, float)) and not isinstance(sid, bool):
        sid = str(sid)
    if not isinstance(sid, str) or not sid.strip():
        return _error(name, "no student_id")
    if has_controls(sid):
        return _error(name, f"the student_id {brief(sid)!r} holds control characters")
    sub.student_id = sid.strip()
    version = data.get("version")
    sub.version = str(version).strip() if isinstance(version, (str, int)) and str(version).strip() else None
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return _error(name, "answers must be an object of questions, like {\"q1\": {\"w2\": 32}}")
    for key in data:
        if key not in ("student_id", "version", "answers", "name"):
            sub.notes.append(f"ignored the field {brief(key)!r}")
    sub.unchecked = (_json_answers, answers)
    return sub


def check_answers(sub: Submission) -> None:
    """Check and normalize the answers read with the submission: `answers`, `problems` and the notes."""
    if sub.unchecked is not None:
        check, answers = sub.unchecked
        sub.unchecked = None
        check(sub, answers)


def _json_answers(sub: Submission, answers: dict[str, Any]) -> None:
    for qid, parts in answers.items():
        if not isinstance(parts, dict):
            sub.notes.append(f"ignored {brief(qid)}: expected an object of parts")
            continue
        for part, value in parts.items():
            _store(sub, qid, part, value, normalize)


def _store(sub: Submission, qid: str, part: str, raw: Any, parse) -> None:
    try:
        sub.answers.setdefault(qid, {})[part] = parse(raw)
    except AnswerError as e:
        sub.answers.setdefault(qid, {})[part] = None
        sub.problems.setdefault(qid, {})[part] = str(e)
    except RecursionError:
        sub.answers.setdefault(qid, {})[part] = None
        sub.problems.setdefault(qid, {})[part] = "nested too deeply"


QUOTED = {";": '"1 -2; 3 1" for a matrix', ",": '"[32, 32, 10]" for a shape written as a list'}


def read_csv(name: str, text: str) -> list[Submission]:
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    csv.field_size_limit(FIELD_LIMIT)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        return [_error(name, f"not a readable CSV file: {e}")]
    rows = [(i, r) for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows:
        return [_error(name, "the file is empty")]
    header = [_column(h) for h in rows[0][1]]
    if "student_id" not in header:
        return [_error(name, "the first row must be a header with a student_id column", row=rows[0][0])]
    twice = [f"the column {brief(h)!r} appears {header.count(h)} times; the last one was read"
             for h in dict.fromkeys(header) if h and header.count(h) > 1]
    out = []
    for line, row in rows[1:]:
        cells = dict(zip(header, row))
        sub = Submission(name, line)
        sub.student_id = _unguarded(cells.get("student_id", "").strip()) or None
        if sub.student_id is not None and has_controls(sub.student_id):
            out.append(_error(name, f"the student_id {brief(sub.student_id)!r} holds control characters", row=line))
            continue
        sub.version = cells.get("version", "").strip() or None
        if sub.student_id is None:
            out.append(_error(name, "no student_id", row=line))
            continue
        sub.notes.extend(twice)
        extra = row[len(header):]
        if any(c.strip() for c in extra):        # every answer after the split would be read from the wrong column
            sub.status, sub.message = "error", (
                f"{len(row)} cells for the header's {len(header)} columns, so the answers would be read from the "
                f"wrong columns: a cell holding the separator {delimiter!r} must be in quotes "
                f"({QUOTED[delimiter]}), as a spreadsheet saves it")
            out.append(sub)
            continue
        if extra:
            sub.notes.append(f"ignored {len(extra)} empty cell(s) beyond the header")
        sub.unchecked = (_csv_answers, cells)
        out.append(sub)
    return out


_column = heading_reader(("student_id", "version", "name"))     # Student ID, Version; q1.conv as it is


def _unguarded(cell: str) -> str:
    """A student id as hw wrote it before the apostrophe that keeps a spreadsheet from running it
    (grader.lms.spreadsheet_safe: '=1+1 in answers-template.csv is the student =1+1), should the
    filled-in file come back with it."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1:2] in FORMULA_START else cell


def _csv_answers(sub: Submission, cells: dict[str, str]) -> None:
    for column, value in cells.items():
        if column in ("student_id", "version", "name", ""):
            continue
        qid, dot, part = column.partition(".")
        if not dot or not part:
            sub.notes.append(f"ignored the column {brief(column)!r} (expected q1.part)")
            continue
        _store(sub, qid, part, value, parse_cell)
