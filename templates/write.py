"""Everything `hw generate` writes: manifest, key, answer templates, sheets and keys, print files."""
from __future__ import annotations

import json
from typing import Any, Callable

from grader.lms import csv_text
from problems.build import Variant, answer_key, manifest
from templates.output import Staging
from templates.pages import page_view, render_html_document, render_page

FORMATS = ("md", "html", "pdf")
MARKER = "manifest.json"


def json_text(data: Any, depth: int = 2, indent: str = "") -> str:
    """JSON indented for the first `depth` levels and compact below (one variant or submission a line).

    Fully indented JSON of a class is slow to write (Python's encoder cannot use its C
    speedups with indent) and long to scroll; this stays readable and fast.
    """
    if depth == 0 or not isinstance(data, (dict, list)) or not data:
        return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    inner = indent + "  "
    if isinstance(data, dict):
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {json_text(v, depth - 1, inner)}"
                 for k, v in data.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + json_text(v, depth - 1, inner) for v in data]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def json_bytes(data: Any, depth: int = 2) -> bytes:
    return (json_text(data, depth) + "\n").encode("utf-8")


def answer_templates(variants: list[Variant]) -> tuple[dict[str, Any], str]:
    """A blank JSON submission, and a CSV with a row per variant (ids or versions filled in)."""
    questions = variants[0].questions
    versions = any(v.version for v in variants)
    blank: dict[str, Any] = {"student_id": ""}
    if versions:
        blank["version"] = ""
    blank["answers"] = {q.qid: {p.name: None for p in q.template.parts} for q in questions}
    columns = [f"{q.qid}.{p.name}" for q in questions for p in q.template.parts]
    header = ["student_id"] + (["version"] if versions else []) + columns
    rows = []
    for v in variants:
        sid = v.student.id if v.student else ""
        rows.append([sid] + ([v.version] if versions else []) + [""] * len(columns))
    return blank, csv_text(header, rows)


def write_generated(staging: Staging, assignment: Any, seed: int, variants: list[Variant], formats: tuple[str, ...],
                    hw_version: str, progress: Callable[[int], None] | None = None) -> None:
    staging.write("manifest.json", json_bytes(manifest(assignment, seed, variants, hw_version)))
    staging.write("key.json", json_bytes(answer_key(variants), depth=1))
    blank, csv_template = answer_templates(variants)
    staging.write("answers-template.json", json_bytes(blank))
    staging.write("answers-template.csv", csv_template)
    html_sections: dict[str, list[str]] = {"sheets": [], "keys": []}
    for v in variants:
        for folder, key in (("sheets", False), ("keys", True)):
            if "md" in formats:
                staging.write(f"{folder}/{v.file_name}.md", render_page(page_view(assignment, v, "md", key=key), "md"))
            if "html" in formats or "pdf" in formats:
                section = render_page(page_view(assignment, v, "html", key=key), "html")
                if "html" in formats:
                    title = f"{assignment.title}: {v.id}"
                    staging.write(f"{folder}/{v.file_name}.html", render_html_document([section], title))
                if "pdf" in formats:
                    html_sections[folder].append(section)
        if progress is not None:
            progress(1)
    if "pdf" in formats:
        from templates.pdf import render_pdfs

        for folder in ("sheets", "keys"):
            document = render_html_document(html_sections[folder], assignment.title)
            anchors = [f"{folder[:-1]}-{v.file_name}" for v in variants]
            merged, parts = render_pdfs(document, anchors)
            staging.write(f"print/{folder}.pdf", merged)
            for v, data in zip(variants, parts):
                staging.write(f"{folder}/{v.file_name}.pdf", data)
