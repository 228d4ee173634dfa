"""A class of variants: every question of every variant sampled and solved, and its manifest.

Each question's params come from ``from_seed(seed).child(variant id, question id)``,
so a student's numbers depend only on the seed, their id and the question. When
two students of a class would get the same numbers in a question, the later one
(in roster order) redraws from ``child(variant id, question id + "#k")``; a class
appended to a roster therefore leaves everyone before unchanged.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.answers import encode, lecture_shape
from grader.solve import Solution, solve
from problems.assignment import Assignment
from problems.errors import HwError
from problems.roster import Student
from problems.sample import sample_params
from problems.spec import Template
from problems.validate import instance_rng

MAX_REDRAWS = 20
GENERATOR = "hw-rng-v1: BLAKE2b keyed counter mode, child(variant, question)"


@dataclass(frozen=True)
class Question:
    qid: str
    template: Template
    params: dict[str, Any]
    solution: Solution


@dataclass(frozen=True)
class Variant:
    id: str                       # 'default', 'A', ... or the student id
    file_name: str                # safe in a folder
    code: str                     # short code printed on the sheet (never the seed)
    student: Student | None
    version: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class VariantSpec:
    id: str
    file_name: str
    student: Student | None = None
    version: str | None = None


def variant_code(seed: int, variant_id: str) -> str:
    digest = hashlib.blake2b(f"hw-variant-code:{seed}:{variant_id}".encode(), digest_size=5).digest()
    return base64.b32encode(digest).decode()[:6]


def version_ids(count: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(count)]


def _fingerprint(params: dict[str, Any]) -> tuple:
    """Params as a hashable value: arrays by shape and bytes."""
    return tuple((k, (v.shape, v.tobytes()) if isinstance(v, np.ndarray) else v) for k, v in params.items())


Draws = list[list[dict[str, Any]]]   # per variant, per question: params


def _sample(template: Template, seed: int, variant: str, qid: str) -> dict[str, Any]:
    try:
        return sample_params(template, instance_rng(seed, variant, qid))
    except HwError as e:
        raise HwError(f"{qid.split('#')[0]} ({template.id}): {e.message}", file=e.file, line=e.line) from None


def first_draws(assignment: Assignment, seed: int, variant_ids: list[str]) -> Draws:
    """Each variant's own first draw of every question; independent, so it can run in parallel."""
    return [[_sample(t, seed, vid, f"q{i + 1}") for i, t in enumerate(assignment.templates)] for vid in variant_ids]


class Settler:
    """Redraws, in roster order, a question whose numbers an earlier variant already has.

    Variants are settled one at a time in roster order (`settle`), so a class can
    be rendered while its later variants are still being settled.  Once a
    question's instances run out (20 redraws fail), the variants after it keep
    their first draw: they share numbers anyway, and one note says so.
    """

    def __init__(self, assignment: Assignment, seed: int):
        self.assignment, self.seed = assignment, seed
        self.seen: list[set[tuple]] = [set() for _ in assignment.templates]
        self.crowded: set[int] = set()
        self.count = 0

    def settle(self, vid: str, row: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for i, (template, params) in enumerate(zip(self.assignment.templates, row)):
            qid = f"q{i + 1}"
            key = _fingerprint(params)
            for redraw in range(1, 1 if i in self.crowded else MAX_REDRAWS + 1):
                if key not in self.seen[i]:
                    break
                params = _sample(template, self.seed, vid, f"{qid}#{redraw}")
                key = _fingerprint(params)
            if key in self.seen[i]:
                self.crowded.add(i)
            self.seen[i].add(key)
            out.append(params)
        self.count += 1
        return out

    def notes(self) -> list[str]:
        if not self.crowded:
            return []
        qids = ", ".join(f"q{i + 1}" for i in sorted(self.crowded))
        return [f"{qids}: too few different instances for {self.count} variants; "
                "some students share numbers in these questions"]


def instance_key(params: dict[str, Any]) -> tuple:
    """Params as a hashable value that tells apart everything a page could show differently:
    arrays by dtype, shape and bytes, other values by type and repr (1, 1.0 and True differ).
    Stricter than _fingerprint, which decides whether two students have the same numbers."""
    return tuple((k, (v.dtype.str, v.shape, v.tobytes()) if isinstance(v, np.ndarray) else (type(v).__name__, repr(v)))
                 for k, v in params.items())


class Instances:
    """The questions that several students of a class drew alike, each solved once.

    A question drawn a second time is kept, with a dict (`derived`) where the
    pages keep what they make of it; one drawn once is not (in a large class
    most instances of the larger questions are drawn once).  When `limit`
    questions are kept, they are all dropped.
    """

    def __init__(self, limit: int = 4096):
        self.limit = limit
        self.kept: dict[tuple, Question] = {}
        self.derived: dict[int, dict[str, Any]] = {}    # id of a kept question -> what was made of it
        self.seen: set[int] = set()

    def question(self, qid: str, template: Template, params: dict[str, Any]) -> Question:
        key = (qid, instance_key(params))
        q = self.kept.get(key)
        if q is not None:
            return q
        q = Question(qid, template, params, solve(template, params))
        if hash(key) not in self.seen:
            self.seen.add(hash(key))
            return q
        if len(self.kept) >= self.limit:
            self.kept.clear()
            self.derived.clear()
        self.kept[key] = q
        self.derived[id(q)] = {}        # the kept question holds its id: no other object can have it
        return q

    def of(self, q: Question) -> dict[str, Any] | None:
        """Where to keep what is made of a kept question (None for one drawn once)."""
        return self.derived.get(id(q))


def build_variant(assignment: Assignment, seed: int, spec: VariantSpec, params: list[dict[str, Any]],
                  instances: Instances | None = None) -> Variant:
    questions = []
    for index, (template, p) in enumerate(zip(assignment.templates, params)):
        qid = f"q{index + 1}"
        try:
            questions.append(instances.question(qid, template, p) if instances is not None
                             else Question(qid, template, p, solve(template, p)))
        except HwError as e:
            raise HwError(f"{qid} ({template.id}): {e.message}", file=e.file, line=e.line) from None
    return Variant(spec.id, spec.file_name, variant_code(seed, spec.id), spec.student, spec.version, tuple(questions))


def _param_or_value(value: Any, params: dict[str, Any]) -> Any:
    """An array option as {"param": name} when it is a param as it is (no copy in the manifest)."""
    if isinstance(value, np.ndarray):
        name = next((k for k, v in params.items() if v is value), None)
        if name is not None:
            return {"param": name}
    return encode(value)


def _network_record(solution: Solution, params: dict[str, Any], input_param: str | None) -> dict[str, Any] | None:
    if solution.results is None:
        return None
    layers = []
    for r in solution.results[1:]:
        options = {k: _param_or_value(v, params) for k, v in r.options.items()}
        layers.append({"kind": r.kind, "options": options, "shape": lecture_shape(r.shape),
                       "weights": r.weights, "biases": r.biases})
    first = solution.results[0]
    value = {"param": input_param} if input_param is not None else None
    return {"input_shape": lecture_shape(first.shape), "input_value": value, "layers": layers}


def question_record(q: Question) -> dict[str, Any]:
    parts = {}
    for part in q.template.parts:
        record = {"points": part.points, "answer": q.solution.answers[part.name], "query": part.query,
                  "layer": part.layer, "tolerance": part.tolerance, "all_or_nothing": part.all_or_nothing}
        if part.decimals is not None:
            record["decimals"] = part.decimals
        if part.expr is not None:
            record["expr"] = part.expr.text
            call = q.solution.calls.get(part.name)
            if call is not None:
                record["call"] = {"name": call[0], "args": encode(list(call[1]))}
        parts[part.name] = record
    return {"template": q.template.id, "family": q.template.family, "title": q.template.title,
            "points": q.template.points, "params": {k: encode(v) for k, v in q.params.items()},
            "network": _network_record(q.solution, q.params, q.template.network.input_param if q.template.network
                                       else None), "parts": parts}


def variant_record(v: Variant, questions: bool = True) -> dict[str, Any]:
    """A variant's record in the manifest (without its questions: the fields before them)."""
    student = None
    if v.student is not None:
        student = {"id": v.student.id, "name": v.student.name, "lms": v.student.lms}
    record = {"student": student, "version": v.version, "code": v.code, "file": v.file_name}
    if questions:
        record["questions"] = {q.qid: question_record(q) for q in v.questions}
    return record


def manifest_header(assignment: Assignment, seed: int, hw_version: str) -> dict[str, Any]:
    return {"hw_version": hw_version, "seed": seed, "generator": GENERATOR,
            "assignment": {"title": assignment.title, "course": assignment.course,
                           "points": sum(t.points for t in assignment.templates)}}
