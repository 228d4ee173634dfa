"""Writing CSV that LMSs import and spreadsheets open safely."""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from typing import Any, Iterable

from grader.manifest import first_variant

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(c) if type(c) is str else c for c in row])
    return out.getvalue()


@lru_cache(maxsize=4096)
def number(x: float) -> int | float:
    """A score as a spreadsheet number: 74, 73.5, 73.33 (kept: a class's gradebook has some 100,000
    scores and few different ones)."""
    value = round(float(x), 2)
    return int(value) if value.is_integer() else value


def _identity(g: Any) -> tuple[str, dict[str, str]]:
    student = g.student or {}
    return student.get("name", ""), student.get("lms", {})


def canvas(manifest: dict[str, Any], graded: list, title: str, total: float) -> str:
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title]
    rows = [["Points Possible", "", "", "", "", number(total)]]
    for g in graded:
        sid = g.submission.student_id
        name, lms = _identity(g)
        if lms:
            ident = [lms.get("Student", name), lms.get("ID", ""), lms.get("SIS User ID", ""),
                     lms.get("SIS Login ID", ""), lms.get("Section", "")]
        else:
            ident = [name or sid, "", sid, "", ""]
        rows.append(ident + [number(g.score)])
    return csv_text(header, rows)


def moodle(manifest: dict[str, Any], graded: list, title: str, summaries: dict[str, str]) -> str:
    id_column = "ID number"
    for g in graded:
        _, lms = _identity(g)
        if lms.get("ID number"):
            break
        if lms.get("Email address"):
            id_column = "Email address"
            break
    rows = []
    for g in graded:
        sid = g.submission.student_id
        _, lms = _identity(g)
        rows.append([lms.get(id_column) or sid, number(g.score), summaries.get(sid, "")])
    return csv_text([id_column, title, "Feedback"], rows)


def generic(manifest: dict[str, Any], graded: list, all_graded: list) -> str:
    qids = list(first_variant(manifest)["questions"])
    header = ["student_id", "name", "score", "max", "percent"] + qids + ["status"]
    rows = []
    for g in (g for g in all_graded if g.submission.student_id):
        sid = g.submission.student_id
        name, _ = _identity(g)
        percent = number(100 * g.score / g.max) if g.max else 0
        per_question = [number(g.questions[q]["score"]) if q in g.questions else "" for q in qids]
        rows.append([sid, name, number(g.score), number(g.max), percent] + per_question + [g.status])
    return csv_text(header, rows)
