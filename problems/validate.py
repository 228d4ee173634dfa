"""What `hw validate` checks: load, then for several seeds sample, solve and render."""
from __future__ import annotations

from typing import Any, Callable

from problems.errors import HwError
from problems.rng import Rng
from problems.sample import sample_params
from problems.spec import Template

VALIDATION_SEEDS = range(8)

Solve = Callable[[Template, dict[str, Any]], Any]
Render = Callable[[Template, dict[str, Any], Any], Any]


def instance_rng(seed: int | str, variant: str, question: str) -> Rng:
    """The generator of one question of one variant: a keyed hash of (seed, variant, question)."""
    return Rng.from_seed(seed).child(variant, question)


def check_template(template: Template, solve: Solve, render: Render) -> list[HwError]:
    """Every error that generating this template for the validation seeds would hit (first per kind)."""
    errors: dict[str, HwError] = {}
    if not template.statement.strip():
        errors["statement"] = HwError("missing statement: students would see no question", file=template.path)
    for seed in VALIDATION_SEEDS:
        try:
            params = sample_params(template, instance_rng(seed, "validate", template.id))
            solution = solve(template, params)
            render(template, params, solution)
        except HwError as e:
            if e.file is None:
                e.file = template.path
            errors.setdefault(str(e), e)
            break   # the other seeds would most likely hit the same error, each as slowly
    return list(errors.values())
