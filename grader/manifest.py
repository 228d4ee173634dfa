"""Reading a manifest for grading: each variant is parsed when a submission needs it.

A class of 5,000 has a manifest of some 70 MB; as Python objects that is ten
times more, and even as one Python string twice as much (its text is not all
ASCII).  hw generate writes one variant per line, so the file's bytes are kept
as they are, the variants found by line and parsed one at a time; a manifest
laid out otherwise (edited by hand, say) is parsed whole, as before.

A variant's line that an edit broke is reported when a submission needs it, as
an error of that submission (file and line named), so the others are graded.

In a large class most questions are drawn alike by many students (a question
with 120 possible instances, 5,000 students), and their records are the same
text in many lines.  `SharedQuestions` cuts a line at its questions and parses
only the records it has not seen: students who drew a question alike get the
same parsed record, which nothing modifies.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

from grader import jsonparse
from problems.errors import HwError

VARIANTS_OPENING = b',\n  "variants": {\n'
STUDENT_OPENING = b'{"student": '
STUDENT_READ = 4096     # bytes of a line that hold its student entry (a longer one: the line is parsed)
_DECODER = json.JSONDecoder()
CACHE = 8           # versions A, B, C... are each graded many times; a roster's variant once


class ManifestError(HwError):
    """A variant's record that cannot be read."""


class SharedRecord(dict):
    """A question's record that variants drawn alike share (nothing modifies a record); `derived`
    keeps what grading computes from the record alone (grader.score: the network rerun, the
    misconceptions' answers), so it is computed once for all of them."""

    __slots__ = ("derived",)

    def __init__(self, record: dict[str, Any]):
        super().__init__(record)
        self.derived: dict[Any, Any] = {}


class SharedQuestions:
    """A variant's line parsed as json.loads parses it, its question records shared with the lines
    that hold the same text.

    The line is cut where hw generate's layout puts each question (`"q2": {` after the record of
    q1, in the order of the first variant); the cuts are checked by the parse itself: a piece cut
    too early is not a whole JSON object, so parsing fails and the caller parses the line whole.
    A piece already parsed was a whole object, and an object's text ends where it ends, so it is
    that question's whole record here too.  A question whose records rarely repeat (drawn afresh
    for every student) is parsed without being kept.
    """

    TRIAL = 512          # lookups before a question that rarely repeats stops being kept
    LIMIT = 4096         # records kept per question, at most

    def __init__(self, qids: list[str]):
        self.qids = qids
        self.opening = b'"questions": {' + json.dumps(qids[0]).encode() + b": "
        self.keys = [json.dumps(q).encode() + b": " for q in qids]
        self.cuts = [b'}, ' + key + b"{" for key in self.keys[1:]]
        self.kept: list[dict[bytes, dict]] = [{} for _ in qids]
        self.seen = [0] * len(qids)
        self.repeats = [0] * len(qids)

    def parse(self, line: bytes) -> dict[str, Any] | None:
        """The variant's record, or None when the line is not cut as hw writes it."""
        opening = line.find(self.opening)
        if opening < 1 or not line.endswith(b"}}"):
            return None
        new = [line[:opening].rstrip(b", ") + b"}"]       # the text to parse: the variant's own fields first
        found: list[Any] = []       # per question: its kept record, or the index of its text in `new`
        position = opening + len(self.opening) - len(self.keys[0])
        last = len(self.qids) - 1
        for i, key in enumerate(self.keys):
            if not line.startswith(key, position):
                return None
            start = position + len(key)
            end = len(line) - 2 if i == last else line.find(self.cuts[i], start) + 1
            if end <= start:
                return None
            piece = line[start:end]
            question = self.kept[i].get(piece)
            if question is None:
                found.append(len(new))
                new.append(piece)
            else:
                found.append(question)
            position = end + 2
        try:
            parsed = jsonparse.loads_characters(b"[" + b", ".join(new) + b"]")
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return None
        if not all(isinstance(value, dict) for value in parsed):
            return None
        record, questions = parsed[0], {}
        seen, repeats = self.seen, self.repeats
        for i, (qid, question) in enumerate(zip(self.qids, found)):
            seen[i] += 1
            if type(question) is int:           # not kept: parsed from this line
                at, question = question, parsed[question]
                if seen[i] <= self.TRIAL or repeats[i] * 16 >= seen[i]:
                    kept = self.kept[i]
                    if len(kept) >= self.LIMIT:
                        kept.clear()
                    question = kept[new[at]] = SharedRecord(question)
            else:
                repeats[i] += 1
            questions[qid] = question
        record["questions"] = questions
        return record


class LazyVariants(Mapping):
    """Variant id -> its record, parsed from its own line on first use (a few kept)."""

    def __init__(self, data: bytes, spans: "OrderedDict[str, tuple[int, int]]", path: str):
        self._data = data
        self._spans = spans
        self._path = path
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._shared: SharedQuestions | None = None

    def __getitem__(self, variant_id: str) -> dict[str, Any]:
        if variant_id in self._cache:
            self._cache.move_to_end(variant_id)
            return self._cache[variant_id]
        start, end = self._spans[variant_id]
        line = self._data[start:end]
        record = self._shared.parse(line) if self._shared is not None else None
        if record is None:
            try:
                record = jsonparse.loads_characters(line)
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
                raise self.error(variant_id, f"cannot be read: {e}") from None
            if not isinstance(record, dict) or not isinstance(record.get("questions"), dict):
                raise self.error(variant_id, "is not a variant's record (no questions)")
            if self._shared is None and record["questions"]:
                self._shared = SharedQuestions(list(record["questions"]))
        self._cache[variant_id] = record
        if len(self._cache) > CACHE:
            self._cache.popitem(last=False)
        return record

    def student(self, variant_id: str) -> Any:
        """The record's "student" entry, as the whole record would give it.

        Read off the start of its line, where hw generate writes it, without parsing the rest: a
        roster's students who handed nothing in are listed by name, and parsing their whole
        records (thousands, in a class that has just begun to hand in) was a third of the run. A
        line laid out otherwise is parsed whole.
        """
        if variant_id in self._cache:
            return self._cache[variant_id].get("student")
        start, end = self._spans[variant_id]
        head = self._data[start:min(end, start + STUDENT_READ)]
        if head.startswith(STUDENT_OPENING):
            try:
                text = head.decode("utf-8")
            except UnicodeDecodeError as e:      # the read ends inside a character, or the line is broken
                text = head[:e.start].decode("utf-8") if e.end == len(head) else ""
            try:
                student, stop = _DECODER.raw_decode(text, len(STUDENT_OPENING))
            except (json.JSONDecodeError, RecursionError):
                student, stop = None, 0
            if text[stop:stop + 2] == ', ':
                return student
        return self[variant_id].get("student")

    def error(self, variant_id: str, problem: str) -> ManifestError:
        line = self._data.count(b"\n", 0, self._spans[variant_id][0]) + 1
        return ManifestError(f"the record of variant {variant_id!r} {problem}", file=self._path, line=line)

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, variant_id: object) -> bool:
        return variant_id in self._spans


def _key(data: bytes, position: int) -> tuple[str, int] | None:
    """The variant id that opens a line (`    "id": `), and where its record starts."""
    close = data.find(b'": ', position + 5)
    if close < 0:
        return None
    try:
        key = jsonparse.loads_characters(data[position + 4:close + 1])
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None          # an id with '": ' in it, say: the manifest is parsed whole
    return (key, close + 3) if isinstance(key, str) else None


def _index(data: bytes, opening: int) -> OrderedDict | None:
    """The span of each variant's record, when the variants stand one per line as hw writes them."""
    spans: OrderedDict[str, tuple[int, int]] = OrderedDict()
    position = opening + len(VARIANTS_OPENING)
    while True:
        end_of_line = data.find(b"\n", position)
        if end_of_line < 0:
            return None
        if end_of_line - position == 3 and data.startswith(b"  }", position):
            return spans if data[end_of_line:].strip() == b"}" else None
        if not data.startswith(b'    "', position):
            return None
        found = _key(data, position)
        if found is None or found[1] > end_of_line:
            return None
        stop = end_of_line - 1 if data[end_of_line - 1:end_of_line] == b"," else end_of_line
        spans[found[0]] = (found[1], stop)
        position = end_of_line + 1


def load_manifest(path: str) -> dict[str, Any]:
    """The manifest of `path`: the file, or the manifest.json of an output folder of hw generate."""
    file = Path(path)
    if file.is_dir() and (file / "manifest.json").is_file():
        file = file / "manifest.json"
        path = str(file)
    if not file.is_file():
        raise HwError("no manifest here: run hw generate first, or give --manifest", file=path)
    try:
        data = file.read_bytes()
        opening = data.find(VARIANTS_OPENING)
        spans = _index(data, opening) if opening > 0 else None
        if spans:
            manifest = jsonparse.loads_characters(data[:opening] + b"\n}")
            manifest["variants"] = LazyVariants(data, spans, path)
        else:
            manifest = jsonparse.loads_characters(data)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError) as e:
        raise HwError(f"not a manifest written by hw generate: {e}", file=path) from None
    except OSError as e:
        raise HwError(f"cannot read: {e.strerror}", file=path) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("variants"), Mapping) or not manifest["variants"]:
        raise HwError("not a manifest written by hw generate (no variants)", file=path)
    return manifest


def first_variant(manifest: dict[str, Any]) -> dict[str, Any]:
    """Any variant that can be read, its questions' headers as hw generate writes them: the variants
    share the questions' titles, families and points, and the class's files (report, gradebook,
    feedback pages) take them from this one."""
    first_error = None
    for variant_id in manifest["variants"]:
        try:
            record = manifest["variants"][variant_id]
            _check_headers(manifest["variants"], variant_id, record)
            return record
        except ManifestError as e:
            first_error = first_error or e
    raise first_error or HwError("the manifest has no variants")


def _check_headers(variants: Mapping, variant_id: str, record: dict[str, Any]) -> None:
    questions = record.get("questions")
    for qid, q in questions.items() if isinstance(questions, dict) else ():
        if not (isinstance(q, dict) and isinstance(q.get("title"), str) and isinstance(q.get("family"), str)
                and type(q.get("points")) in (int, float)):
            problem = (f"is not as hw generate writes it: question {qid!r} needs a text title and family "
                       "and a number of points")
            if isinstance(variants, LazyVariants):
                raise variants.error(variant_id, problem)        # with the file and line
            raise ManifestError(f"the record of variant {variant_id!r} {problem}")
