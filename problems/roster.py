"""Rosters: a plain CSV, or a Canvas or Moodle gradebook export exactly as downloaded.

The student id is the first column present of ID_COLUMNS (a row where it is
empty takes the next one that is filled); the name comes from
`name`, `Student`, or `First name` + `Last name`.  Canvas's "Points Possible"
row and rows without an id are skipped (and reported); a repeated id keeps its
first row.  The identity columns an LMS needs back on import are kept per
student in `lms`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from problems.errors import HwError
from problems.yamlio import read_text

ID_COLUMNS = ("student_id", "SIS User ID", "SIS Login ID", "ID", "ID number", "Email address")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("ID number", "Email address")
MAX_ROSTER_BYTES = 16 * 1024 * 1024
SAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    file_name: str                       # safe as a file name, unique in the class
    lms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Roster:
    students: tuple[Student, ...]
    kind: str                            # 'canvas', 'moodle' or 'plain'
    id_column: str
    skipped: tuple[str, ...]             # one message per row left out


def has_controls(text: str) -> bool:
    """Whether text holds a control character (NUL, a terminal's escape, a bell, C1 codes ...)."""
    return any(unicodedata.category(c) == "Cc" for c in text) if not text.isprintable() else False


def without_controls(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


def safe_file_name(student_id: str) -> str:
    """A file name that stays in its folder: ASCII letters, digits, '.', '_', '-', no leading dot.

    When the id had to change, a short hash of it is added so two ids never collide.
    """
    ascii_id = unicodedata.normalize("NFKD", student_id).encode("ascii", "ignore").decode()
    name = SAFE_CHARS.sub("_", ascii_id).strip("._-")[:48]
    if name == student_id and name:
        return name
    digest = hashlib.blake2b(student_id.encode(), digest_size=4).hexdigest()
    return f"{name}-{digest}" if name else f"student-{digest}"


def sniff_rows(text: str, name: str) -> list[list[str]]:
    """CSV rows, with the delimiter (comma, semicolon or tab) taken from the header line."""
    header = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=header.count)
    stand_in = None
    if "\x00" in text:         # Python 3.10's csv refuses a NUL, later ones read it: a cell holds it either way
        stand_in = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
        text = text.replace("\x00", stand_in)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise HwError(f"not a readable CSV file: {e}", file=name) from None
    return [[cell.replace(stand_in, "\x00") for cell in row] for row in rows] if stand_in else rows


def _key(heading: str) -> str:
    return re.sub(r"[\s_-]+", "", heading.casefold())


def heading_reader(columns: tuple[str, ...]) -> Callable[[str], str]:
    """How header cells are read: the `columns` named in any case and spacing (`Student ID`, `student
    id`, `Email Address`), as a file typed by hand may name them; other cells as they are."""
    canonical = {_key(c): c for c in columns}

    def read(heading: str) -> str:
        text = heading.strip()
        return canonical.get(_key(text), text)
    return read


_heading = heading_reader(ID_COLUMNS + ("name", "Student", "First name", "Last name", "Section"))


def load_roster(path: Path) -> Roster:
    name = str(path)
    rows = [r for r in sniff_rows(read_text(path, limit=MAX_ROSTER_BYTES, name=name), name) if any(c.strip() for c in r)]
    if not rows:
        raise HwError("the roster is empty", file=name)
    header = [_heading(h) for h in rows[0]]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    if id_column is None:
        raise HwError(f"no student id column: expected one of {', '.join(ID_COLUMNS)}", file=name, line=1)
    kind = "canvas" if "Student" in header and "SIS User ID" in header else \
        "moodle" if any(c in header for c in MOODLE_COLUMNS) and "First name" in header else "plain"
    students: list[Student] = []
    seen: set[str] = set()
    used_files: set[str] = set()
    skipped: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip() for c in row)))
        if cells.get("Student", "").strip().lower() == "points possible":
            skipped.append(f"{name}:{line}: skipped the {cells['Student']!r} row")
            continue
        # a row whose id column is empty (Canvas's test student has no SIS id) falls back to the next
        sid = next((cells[c] for c in ID_COLUMNS if cells.get(c)), "")
        if not sid:
            skipped.append(f"{name}:{line}: skipped a row without a student id")
            continue
        if has_controls(sid):
            skipped.append(f"{name}:{line}: skipped a row whose student id {sid!r} holds control characters")
            continue
        if sid in seen:
            skipped.append(f"{name}:{line}: skipped a second row for student {sid!r}")
            continue
        seen.add(sid)
        file_name = safe_file_name(sid)
        if file_name.lower() in used_files:
            file_name = f"{file_name}-{line}"
        used_files.add(file_name.lower())
        lms = {c: cells.get(c, "") for c in (CANVAS_COLUMNS if kind == "canvas" else MOODLE_COLUMNS) if c in header}
        shown = _name(cells)
        if has_controls(shown):             # printed on sheets, keys and feedback: no terminal codes, no NUL
            shown = without_controls(shown)
            skipped.append(f"{name}:{line}: removed control characters from the name of {sid!r}")
        students.append(Student(sid, shown, file_name, lms))
    if not students:
        raise HwError("the roster has no student rows", file=name)
    return Roster(tuple(students), kind, id_column, tuple(skipped))


def _name(cells: dict[str, str]) -> str:
    if cells.get("name"):
        return cells["name"]
    if cells.get("Student"):
        return cells["Student"]
    return " ".join(p for p in (cells.get("First name", ""), cells.get("Last name", "")) if p)
