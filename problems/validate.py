"""What `hw validate` checks: load, then for several seeds sample, solve and render."""
from __future__ import annotations

from typing import Any, Callable

from grader.solver import INVALID
from problems.bank import BANK_DIR
from problems.errors import HwError
from problems.network_spec import DEFAULT_TOLERANCE
from problems.rng import Rng
from problems.sample import sample_params
from problems.spec import Template

VALIDATION_SEEDS = range(8)

Solve = Callable[[Template, dict[str, Any]], Any]
Render = Callable[[Template, dict[str, Any], Any], Any]


def instance_rng(seed: int | str, variant: str, question: str) -> Rng:
    """The generator of one question of one variant: a keyed hash of (seed, variant, question)."""
    return Rng.from_seed(seed).child(variant, question)


RANDOM_KINDS = ("choice", "range", "matrix")
NEVER_FITS_SEEDS = range(64)     # a part invalid 2 times in 3 ("does it fit?") is invalid in all 64 once in 10^11


def check_template(template: Template, solve: Solve, render: Render, notes: list[HwError] | None = None
                   ) -> list[HwError]:
    """Every error that generating this template for the validation seeds would hit (first per kind).

    `notes` gets what is valid but most likely not meant (never_fits, rounded_by_hand)."""
    errors: dict[str, HwError] = {}
    if not template.statement.strip():
        errors["statement"] = HwError("missing statement: students would see no question", file=template.path)
    answers: list[dict[str, Any]] = []
    for seed in VALIDATION_SEEDS:
        try:
            params = _sampled(template, seed)
            solution = solve(template, params)
            render(template, params, solution)
            answers.append(solution.answers)
        except HwError as e:
            if e.file is None:
                e.file = template.path
            errors.setdefault(str(e), e)
            break   # the other seeds would most likely hit the same error, each as slowly
    if notes is not None and not errors:
        notes.extend(never_fits(template, solve, answers))
        notes.extend(sometimes_invalid(template, solve, answers))
        notes.extend(rounded_by_hand(template, answers))
    return list(errors.values())


def _numbers(value: Any) -> list[float]:
    if isinstance(value, list):
        return [x for v in value for x in _numbers(v)]
    return [value] if isinstance(value, float) else []


def rounded_by_hand(template: Template, answers: list[dict[str, Any]]) -> list[HwError]:
    """A note for each part whose answers have more decimals than a student writes by hand (7/3 =
    2.3333333333) while neither `decimals` nor a tolerance of its own says how they may be rounded:
    2.33 would be marked wrong."""
    notes = []
    for part in template.parts:
        if part.tolerance != DEFAULT_TOLERANCE or part.decimals is not None:
            continue
        long = next((x for a in answers for x in _numbers(a.get(part.name))
                     if abs(x * 1e4 - round(x * 1e4)) > 1e-6), None)      # more than 4 decimals
        if long is not None:
            notes.append(HwError(f"part {part.name!r} has answers such as {long:g} that students round by hand, but "
                                 "its tolerance is the default relative 1e-6, so an answer to 2 decimals would be "
                                 "marked wrong; give it decimals: 2 (or the places you ask for)", file=template.path,
                                 line=part.line))
    return notes


def never_fits(template: Template, solve: Solve, answers: list[dict[str, Any]]) -> list[HwError]:
    """A note when parts are `invalid` in every instance of a template whose params vary: a stride
    or padding that never fits (a forward pass nobody can compute) is far more often a slip than
    the point. Parts invalid in the instances already solved (`answers`, of the first validation
    seeds) are tried on up to 64 instances, and stay suspect only if no instance fits. A template
    with fixed numbers (the lecture's 7x7 input, 3x3 filter, stride 3) is left alone: there
    `invalid` is what is asked."""
    if not any(p.kind in RANDOM_KINDS for p in template.params):
        return []
    suspects = [part for part in template.parts if all(a.get(part.name) == INVALID for a in answers)]
    for seed in NEVER_FITS_SEEDS[len(answers):]:
        if not suspects:
            return []
        try:
            found = solve(template, _sampled(template, seed)).answers
        except HwError:
            return []          # an instance that cannot be made is for the errors, not this note
        suspects = [part for part in suspects if found.get(part.name) == INVALID]
    if not suspects:
        return []
    names = ", ".join(repr(part.name) for part in suspects)
    return [HwError(f"{'part' if len(suspects) == 1 else 'parts'} {names} "
                    f"{'is' if len(suspects) == 1 else 'are'} invalid in all {len(NEVER_FITS_SEEDS)} instances "
                    "sampled: a layer's size never fits ((W1 - F + 2P)/S + 1 is never a whole number of 1 or "
                    "more), so every student's answer would be 'invalid'; if that is not meant, change the stride "
                    "or padding, or add a require that the size fits", file=template.path, line=suspects[0].line)]


def sometimes_invalid(template: Template, solve: Solve, answers: list[dict[str, Any]]) -> list[HwError]:
    """A note when a forward pass (a `value` part) is `invalid` for some students and not others:
    a stride that fits one input size and not another hands some students a computation that
    cannot be done. (A size asked with "does it fit?" may well be meant to vary, and is left
    alone.) Parts seen so in the instances already solved (`answers`, of the first validation
    seeds) are counted over 64 instances, those included."""
    value_parts = [part.name for part in template.parts if part.query == "value"]
    if not any(a.get(name) == INVALID for a in answers for name in value_parts):
        return []
    invalid: dict[str, int] = dict.fromkeys(value_parts, 0)
    examples: dict[str, int] = {}           # part -> the seed of an instance where it is invalid
    for seed in NEVER_FITS_SEEDS:
        if seed < len(answers):
            found = answers[seed]
        else:
            try:
                found = solve(template, _sampled(template, seed)).answers
            except HwError:
                return []
        for name in value_parts:
            if found.get(name) == INVALID:
                invalid[name] += 1
                examples.setdefault(name, seed)
    some = [name for name, n in invalid.items() if 0 < n < len(NEVER_FITS_SEEDS)]
    if not some:
        return []
    such = ", ".join(f"{k} = {v}" for k, v in _sampled(template, examples[some[0]]).items()
                     if isinstance(v, (int, float, str)) and not isinstance(v, bool))
    such = f"; such as {such}" if such else ""
    total = len(NEVER_FITS_SEEDS)
    if len(some) == 1:
        what = f"part {some[0]!r} is invalid in {invalid[some[0]]} of {total} instances sampled{such}, and fits in the others"
    else:
        counts = ", ".join(f"{name!r} in {invalid[name]}" for name in some)
        what = (f"parts {', '.join(repr(name) for name in some)} are invalid in some of {total} instances sampled "
                f"({counts}{such}) and fit in the others")
    return [HwError(f"{what}: some students would be given a forward pass that cannot be computed; if that is not "
                    "meant, add a require that the size fits", file=template.path, line=template.part(some[0]).line)]


def generate_notes(templates: list[Template], solve: Solve) -> list[HwError]:
    """never_fits for the templates of an assignment that are not the bank's own (the bank is checked
    by its tests), so that generating, too, says when every student's answer would be `invalid`."""
    notes: list[HwError] = []
    seen: set[str] = set()
    for template in templates:
        if template.path.startswith(f"{BANK_DIR.name}/") or template.path in seen:
            continue
        seen.add(template.path)
        answers = []            # the validation seeds' instances, solved once for both notes
        for seed in VALIDATION_SEEDS:
            try:
                answers.append(solve(template, _sampled(template, seed)).answers)
            except HwError:
                break
        notes.extend(never_fits(template, solve, answers))
        notes.extend(sometimes_invalid(template, solve, answers))
    return notes


def _sampled(template: Template, seed: int) -> dict[str, Any]:
    """The params of a validation instance: the same for `hw validate` and `hw generate`'s notes."""
    return sample_params(template, instance_rng(seed, "validate", template.id))
