"""Everything `hw generate` writes: manifest, key, answer templates, sheets and keys, print files.

A class is generated in two parallel passes over chunks of students, with the
only sequential step between them: first every variant's own draws, then (in
roster order) the redraws that keep students' numbers distinct, then solving,
rendering and writing each variant's files.  Each worker writes its files into
the staging folder and returns the variant's manifest and key entries as JSON
text, so memory stays flat as the class grows.  The bytes written do not
depend on the number of workers.
"""
from __future__ import annotations

import zlib
from typing import Any, Callable

from grader.lms import csv_text
from problems import jsontext, parallel
from problems.build import (Instances, Settler, Variant, VariantSpec, build_variant, first_draws, manifest_header,
                            question_record, variant_record)
from problems.errors import HwError
from templates.fonts import FontError
from templates.output import Staging
from templates.pages import page_texts, render_html_document

FORMATS = ("md", "html", "pdf")
MARKER = "manifest.json"
CHUNK = 25
PARALLEL_FROM = 60     # smaller classes are done in one process: starting workers costs more than it saves
PDF_CHUNK = 10
PDF_PARALLEL_FROM = 20


def json_text(data: Any, depth: int = 2, indent: str = "") -> str:
    """JSON indented for the first `depth` levels and compact below (one variant or submission a line).

    Fully indented JSON of a class is slow to write (Python's encoder cannot use its C
    speedups with indent) and long to scroll; this stays readable and fast.
    """
    if depth == 0 or not isinstance(data, (dict, list)) or not data:
        return jsontext.text(data)
    inner = indent + "  "
    if isinstance(data, dict):
        items = [f"{inner}{jsontext.text(str(k))}: {json_text(v, depth - 1, inner)}"
                 for k, v in data.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + json_text(v, depth - 1, inner) for v in data]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def variant_json(v: Variant, instances: Instances) -> str:
    """A variant's manifest record on one line, as json.dumps(variant_record(v), ensure_ascii=False)
    writes it; a question several students drew alike is encoded once."""
    record = variant_record(v, questions=False)
    items = []
    for q in v.questions:
        kept = instances.of(q)
        text = kept.get("record") if kept is not None else None
        if text is None:
            text = jsontext.text(question_record(q))
            if kept is not None:
                kept["record"] = text
        items.append(f"{jsontext.text(q.qid)}: {text}")
    return jsontext.text(record)[:-1] + ', "questions": {' + ", ".join(items) + "}}"


def json_bytes(data: Any, depth: int = 2) -> bytes:
    return (json_text(data, depth) + "\n").encode("utf-8")


class _ObjectWriter:
    """Streams a JSON object of ready `"key": value` entries, laid out as json_text lays out its levels.

    Workers join their chunk's entries into one block of UTF-8 (`block`), each
    entry after its separator; the parent only writes the blocks in order.
    """

    def __init__(self, file: Any, head: str, indent: str, tail: str):
        self.file, self.indent, self.tail, self.count = file, indent, tail, 0
        file.write((head + "{").encode("utf-8"))

    @staticmethod
    def block(entries: list[str], indent: str) -> bytes:
        separator = ",\n" + indent + "  "
        return "".join(separator + entry for entry in entries).encode("utf-8")

    def add(self, block: bytes, count: int) -> None:
        if count:
            self.file.write(block if self.count else block[1:])     # the first entry has no comma
            self.count += count

    def close(self) -> None:
        self.file.write((("\n" + self.indent + "}" if self.count else "}") + self.tail).encode("utf-8"))
        self.file.close()


MANIFEST_INDENT, KEY_INDENT = "  ", ""


def answer_templates(assignment: Any, specs: list[VariantSpec]) -> tuple[dict[str, Any], str]:
    """A blank JSON submission, and a CSV with a row per variant (ids or versions filled in)."""
    qids = [(f"q{i + 1}", t) for i, t in enumerate(assignment.templates)]
    versions = any(s.version for s in specs)
    blank: dict[str, Any] = {"student_id": ""}
    if versions:
        blank["version"] = ""
    blank["answers"] = {qid: {p.name: None for p in t.parts} for qid, t in qids}
    columns = [f"{qid}.{p.name}" for qid, t in qids for p in t.parts]
    header = ["student_id"] + (["version"] if versions else []) + columns
    rows = [[s.student.id if s.student else ""] + ([s.version] if versions else []) + [""] * len(columns)
            for s in specs]
    return blank, csv_text(header, rows)


# -- the two passes, run in forked workers that read the job from this module -------------------

_JOB: dict[str, Any] = {}


def _draw_chunk(bounds: tuple[int, int]) -> list:
    job = _JOB
    ids = [s.id for s in job["specs"][bounds[0]:bounds[1]]]
    return first_draws(job["assignment"], job["seed"], ids)


def _render_chunk(task: tuple[tuple[int, int], dict[int, list]]
                  ) -> tuple[bytes, bytes, list[dict[str, bytes]], set[str]]:
    """Build, render and write the variants of one chunk; their manifest and key entries (blocks of
    _ObjectWriter), and for PDFs their HTML sections (compressed) and the characters those use.

    The task is the chunk's bounds and the variants whose draws settling changed (their settled
    draws); the others keep their first draws, which the worker has from the parent."""
    (start, end), settled = task
    job = _JOB
    draws = [settled.get(i, job["draws"][i]) for i in range(start, end)]
    assignment, formats, staging = job["assignment"], job["formats"], job["staging"]
    instances = job.setdefault("instances", Instances())     # this process's own, kept from chunk to chunk
    records, keys, pages, chars = [], [], [], set()
    for spec, params in zip(job["specs"][start:end], draws):
        v = build_variant(assignment, job["seed"], spec, params, instances)
        sections: dict[str, bytes] = {}
        for fmt in ("md", "html"):
            if fmt == "md" and "md" not in formats or fmt == "html" and not {"html", "pdf"} & set(formats):
                continue
            sheet, key = page_texts(assignment, v, fmt, instances)
            for folder, text in (("sheets", sheet), ("keys", key)):
                if fmt == "md":
                    staging.write(f"{folder}/{v.file_name}.md", text)
                    continue
                if "html" in formats:
                    staging.write(f"{folder}/{v.file_name}.html",
                                  render_html_document([text], f"{assignment.title}: {v.id}"))
                if "pdf" in formats:    # kept for the PDF pass, packed: a class's HTML is large
                    sections[folder] = zlib.compress(text.encode("utf-8"), 1)
                    chars.update(text)
        record = variant_json(v, instances)
        answers = jsontext.text({q.qid: q.solution.answers for q in v.questions})
        name = jsontext.text(v.id)
        records.append(f"{name}: {record}")
        keys.append(f"{name}: {answers}")
        pages.append(sections)
    return (_ObjectWriter.block(records, MANIFEST_INDENT), _ObjectWriter.block(keys, KEY_INDENT), pages, chars)


def default_jobs(count: int) -> int:
    return parallel.default_jobs(count, PARALLEL_FROM)


def generate_class(staging: Staging, assignment: Any, seed: int, specs: list[VariantSpec], formats: tuple[str, ...],
                   hw_version: str, jobs: int | None = None, progress: Callable[[int], None] | None = None
                   ) -> tuple[list[str], list[HwError]]:
    """Write the whole output of `hw generate` into the staging folder; notes for the instructor, and
    what could not be written (the rest is written all the same).

    `jobs`: worker processes; by default the cores for a large class (PDFs from a smaller one).
    """
    jobs = jobs or default_jobs(len(specs))
    _JOB.clear()
    _JOB.update(assignment=assignment, seed=seed, specs=specs, formats=formats, staging=staging)
    chunks = parallel.chunks(len(specs), CHUNK)
    draws = [row for rows in parallel.ordered_map(_draw_chunk, chunks, jobs) for row in rows]
    _JOB["draws"] = draws
    settler = Settler(assignment, seed)

    def settled(start: int, end: int) -> dict[int, list]:
        """The chunk's variants whose draws settling changed, with their settled draws."""
        changed = {}
        for i in range(start, end):
            row = settler.settle(specs[i].id, draws[i])
            if any(a is not b for a, b in zip(row, draws[i])):
                changed[i] = row
        return changed

    tasks = (((start, end), settled(start, end)) for start, end in chunks)   # in roster order, while workers render
    header = json_text(manifest_header(assignment, seed, hw_version), depth=2)
    records = _ObjectWriter(staging.path("manifest.json").open("wb"), header[:-2] + ',\n  "variants": ',
                            MANIFEST_INDENT, "\n}\n")
    keys = _ObjectWriter(staging.path("key.json").open("wb"), "", KEY_INDENT, "\n")
    sections: dict[str, list] = {"sheets": [], "keys": []}
    chars: set[str] = set(assignment.title)
    for (start, end), (record_block, key_block, pages, used) in zip(
            chunks, parallel.ordered_map(_render_chunk, tasks, jobs, len(chunks))):
        records.add(record_block, end - start)
        keys.add(key_block, end - start)
        chars |= used
        for html in pages:
            for folder, packed in html.items():
                sections[folder].append(packed)
        if progress is not None:
            progress(end - start)
    _JOB.clear()
    notes = settler.notes()
    records.close()
    keys.close()
    blank, csv_template = answer_templates(assignment, specs)
    staging.write("answers-template.json", json_bytes(blank))
    staging.write("answers-template.csv", csv_template)
    failures: list[HwError] = []
    if "pdf" in formats:
        try:
            missing = _write_pdfs(staging, assignment, specs, sections, chars,
                                  jobs if jobs else default_pdf_jobs(len(specs)))
            if missing:
                notes.append(missing_glyphs_note(missing))
        except FontError as e:
            failures.append(HwError(f"no PDFs written: {e}"))
    return notes, failures


def default_pdf_jobs(count: int) -> int:
    return parallel.default_jobs(count, PDF_PARALLEL_FROM)


def missing_glyphs_note(missing: list[str]) -> str:
    shown = " ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
    return (f"no font here has {shown}: the PDFs print them as empty boxes (Markdown and HTML show them). "
            "Install a TrueType font that has them (on Debian, fonts-wqy-microhei for Chinese, say), or set "
            "HW_EXTRA_FONT to its file")


def _write_pdfs(staging: Staging, assignment: Any, specs: list[VariantSpec], sections: dict[str, list[bytes]],
                chars: set[str], jobs: int) -> list[str]:
    """Each variant's sheet and key PDF, written by the workers, and print/sheets.pdf and print/keys.pdf;
    the characters that no font has."""
    from templates.fonts import FontSet
    from templates.pdffile import Document

    fonts = FontSet(chars)   # FontError before any file is opened
    _JOB.update(assignment=assignment, specs=specs, staging=staging, sections=sections, fonts=fonts)
    files = {folder: staging.path(f"print/{folder}.pdf").open("wb") for folder in ("sheets", "keys")}
    try:
        prints = {folder: Document(fonts, f"{assignment.title}: {folder}", files[folder])
                  for folder in ("sheets", "keys")}
        for rows in parallel.ordered_map(_pdf_chunk, parallel.chunks(len(specs), PDF_CHUNK), jobs):
            for variant_id, pages in rows:
                for folder in ("sheets", "keys"):
                    prints[folder].add_pages(pages[folder], mark=variant_id)
        for document in prints.values():
            document.finish()
    finally:
        for file in files.values():
            file.close()
        _JOB.clear()
    return fonts.missing


def _pdf_chunk(bounds: tuple[int, int]) -> list[tuple[str, dict[str, list]]]:
    """Typeset and write the sheet and key PDFs of a chunk of variants; their pages for the print files."""
    from templates.pdf import page_pdf

    job = _JOB
    out = []
    for i in range(*bounds):
        spec = job["specs"][i]
        pages = {}
        for folder in ("sheets", "keys"):
            section = zlib.decompress(job["sections"][folder][i]).decode("utf-8")
            data, pages[folder] = page_pdf(section, job["fonts"],
                                           f"{job['assignment'].title}: {spec.id}")
            job["staging"].write(f"{folder}/{spec.file_name}.pdf", data)
        out.append((spec.id, pages))
    return out
