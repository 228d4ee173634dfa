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
from typing import Any, Iterable

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


def build_class(assignment: Assignment, seed: int, specs: Iterable[VariantSpec],
                progress: Any = None) -> tuple[list[Variant], list[str]]:
    """Every variant with its questions, and notes for the instructor (shared numbers)."""
    specs = list(specs)
    seen: list[dict[tuple, str]] = [{} for _ in assignment.templates]
    crowded: set[str] = set()
    variants = []
    for spec in specs:
        questions = []
        for index, template in enumerate(assignment.templates):
            qid = f"q{index + 1}"
            params = _distinct_params(template, seed, spec.id, qid, seen[index], crowded)
            try:
                questions.append(Question(qid, template, params, solve(template, params)))
            except HwError as e:
                raise HwError(f"{qid} ({template.id}): {e.message}", file=e.file, line=e.line) from None
        variants.append(Variant(spec.id, spec.file_name, variant_code(seed, spec.id), spec.student, spec.version,
                                tuple(questions)))
        if progress is not None:
            progress(1)
    notes = [f"{qid}: the template has too few different instances for {len(specs)} variants; "
             "some share numbers" for qid in sorted(crowded, key=lambda q: int(q[1:]))]
    return variants, notes


def _distinct_params(template: Template, seed: int, variant: str, qid: str, seen: dict[tuple, str],
                     crowded: set[str]) -> dict[str, Any]:
    params = sample_params(template, instance_rng(seed, variant, qid))
    # once a question's instances ran out, the students after share numbers anyway: no more redraws
    for redraw in range(1, 1 if qid in crowded else MAX_REDRAWS + 1):
        key = _fingerprint(params)
        if key not in seen:
            break
        params = sample_params(template, instance_rng(seed, variant, f"{qid}#{redraw}"))
    key = _fingerprint(params)
    if key in seen:
        crowded.add(qid)
    seen.setdefault(key, variant)
    return params


def _network_record(solution: Solution) -> dict[str, Any] | None:
    if solution.results is None:
        return None
    layers = []
    for r in solution.results[1:]:
        options = {k: encode(v) for k, v in r.options.items()}
        layers.append({"kind": r.kind, "options": options, "shape": lecture_shape(r.shape),
                       "weights": r.weights, "biases": r.biases})
    first = solution.results[0]
    value = None
    if first.value is not None:
        value = encode(first.value[0] if first.as_matrix else first.value)
    return {"input_shape": lecture_shape(first.shape), "input_value": value, "layers": layers}


def question_record(q: Question) -> dict[str, Any]:
    from grader.explain import recorded_call

    parts = {}
    for part in q.template.parts:
        record = {"points": part.points, "answer": q.solution.answers[part.name], "query": part.query,
                  "layer": part.layer, "tolerance": part.tolerance, "all_or_nothing": part.all_or_nothing}
        if part.expr is not None:
            record["expr"] = part.expr.text
            call = recorded_call(part, q.params)
            if call is not None:
                record["call"] = {"name": call[0], "args": encode(list(call[1]))}
        parts[part.name] = record
    return {"template": q.template.id, "family": q.template.family, "title": q.template.title,
            "points": q.template.points, "params": {k: encode(v) for k, v in q.params.items()},
            "network": _network_record(q.solution), "parts": parts}


def manifest(assignment: Assignment, seed: int, variants: list[Variant], hw_version: str) -> dict[str, Any]:
    out_variants = {}
    for v in variants:
        student = None
        if v.student is not None:
            student = {"id": v.student.id, "name": v.student.name, "lms": v.student.lms}
        out_variants[v.id] = {"student": student, "version": v.version, "code": v.code, "file": v.file_name,
                              "questions": {q.qid: question_record(q) for q in v.questions}}
    return {"hw_version": hw_version, "seed": seed, "generator": GENERATOR,
            "assignment": {"title": assignment.title, "course": assignment.course,
                           "points": sum(t.points for t in assignment.templates)},
            "variants": out_variants}


def answer_key(variants: list[Variant]) -> dict[str, Any]:
    return {v.id: {q.qid: dict(q.solution.answers) for q in v.questions} for v in variants}
