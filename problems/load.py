"""Loading a template: YAML -> checked ``Template``, every problem reported as file:line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from problems.checker import COMPILER, Checker, array_problem, kind_of, suggest
from problems.errors import TemplateError
from problems.expr import Expr
from problems.network_spec import network_spec, parts_spec
from problems.spec import FAMILIES, Param, Template
from problems.yamlio import TEXT, Lines, line_of, load_yaml

TEMPLATE_KEYS = ("id", "title", "family", "points", "params", "require", "network", "ask", "statement", "solution")
REQUIRED_KEYS = ("id", "family", "ask")
PARAM_KINDS = {"choice": (), "range": ("step",), "matrix": ("ints",)}
ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_CHOICES = 1000


def load_template(path: str | Path, name: str | None = None) -> Template:
    """Read and check a template file; raise TemplateError listing every problem.

    ``name`` is how messages and outputs call the file (default: the path as given).
    """
    path = Path(path)
    data, lines = load_yaml(path, name=name)
    return parse_template(data, lines, name or str(path))


def parse_template(data: Any, lines: Lines, name: str) -> Template:
    c = Checker(name, lines)
    if not isinstance(data, dict):
        c.error((), "a template must be a YAML mapping")
        raise TemplateError(c.errors)
    c.keys(data, TEMPLATE_KEYS, (), "the template")
    for key in REQUIRED_KEYS:
        if key not in data:
            c.error((), f"missing required key {key!r}")
    tid = data.get("id", "")
    if "id" in data and (not isinstance(tid, str) or not ID_PATTERN.match(tid)):
        c.error(("id",), "id must use only a-z, 0-9 and '-'")
    family = data.get("family")
    if "family" in data and family not in FAMILIES:
        c.error(("family",), f"unknown family {family!r}{suggest(family, FAMILIES)}")
    for key in ("title", "statement", "solution"):
        if key in data and not isinstance(data[key], str):
            c.error((key,), f"{key} must be text")
    params = _params(c, data.get("params") or {})
    known = [p.name for p in params]
    require = _require(c, data.get("require") or [], known)
    network = network_spec(c, data["network"], known) if data.get("network") is not None else None
    parts = parts_spec(c, data.get("ask"), network, known, data.get("points"))
    if c.errors:
        raise TemplateError(c.errors)
    points = data.get("points")
    return Template(tid, data.get("title", tid), family, float(points) if points is not None else sum(p.points for p in parts),
                    tuple(params), tuple(require), network, tuple(parts), data.get("statement", ""),
                    data.get("solution", ""), name, lines.get(("statement",)),
                    lines.get(("statement", TEXT)))


def _params(c: Checker, raw: Any) -> list[Param]:
    if not isinstance(raw, dict):
        c.error(("params",), "params must be a mapping of name: definition")
        return []
    params: list[Param] = []
    for name, spec in raw.items():
        path = ("params", name)
        known = [p.name for p in params]
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            c.error(path, f"param name {name!r} must be a Python-style identifier")
            continue
        if name in COMPILER.functions:
            c.error(path, f"param name {name!r} hides the function of that name")
            continue
        param = _param(c, name, spec, path, known)
        if param is not None:
            params.append(param)
    return params


def _param(c: Checker, name: str, spec: Any, path: tuple, known: list[str]) -> Param | None:
    line = line_of(c.lines, path)
    if isinstance(spec, str):
        expr = c.expr(spec, path, known)
        return Param(name, "expr", line, value=expr) if expr else None
    if isinstance(spec, (bool, int, float)):
        return Param(name, "literal", line, value=spec)
    if isinstance(spec, list):
        problem = array_problem(spec)
        if problem:
            c.error(path, f"param {name!r}: {problem}")
            return None
        return Param(name, "literal", line, value=spec)
    if not isinstance(spec, dict):
        c.error(path, f"param {name!r}: expected a number, a list, an expression or a mapping, not {kind_of(spec)}")
        return None
    kinds = [k for k in spec if k in PARAM_KINDS]
    if len(kinds) != 1:
        hint = suggest(next(iter(spec), ""), PARAM_KINDS) if not kinds and spec else ""
        c.error(path, f"param {name!r} needs exactly one of: {', '.join(PARAM_KINDS)}"
                + (hint if hint.startswith(";") else ""))      # the kinds are listed already
        return None
    kind = kinds[0]
    c.keys(spec, (kind,) + PARAM_KINDS[kind], path, f"param {name!r}")
    body, body_path = spec[kind], path + (kind,)
    if kind == "choice":
        if not isinstance(body, list) or not body or len(body) > MAX_CHOICES:
            c.error(body_path, f"choice must be a list of 1 to {MAX_CHOICES} values")
            return None
        for i, option in enumerate(body):
            if isinstance(option, (dict, type(None))) or (isinstance(option, list) and array_problem(option)):
                c.error(body_path + (i,), f"choice {i + 1} must be a number, a word or an array")
        return Param(name, "choice", line, options=tuple(body))
    if kind == "range":
        if not isinstance(body, list) or len(body) != 2:
            c.error(body_path, "range must be [low, high] (both included)")
            return None
        low, high = (c.value(v, body_path + (i,), known) for i, v in enumerate(body))
        step = c.value(spec.get("step", 1), path + ("step",), known)
        return Param(name, "range", line, low=low, high=high, step=step)
    if not isinstance(body, list) or not 1 <= len(body) <= 4:
        c.error(body_path, "matrix must list 1 to 4 dimensions, e.g. [n, n] or [k, c, f, f]")
        return None
    dims = tuple(c.value(v, body_path + (i,), known) for i, v in enumerate(body))
    ints = spec.get("ints")
    if not (isinstance(ints, list) and len(ints) == 2 and all(type(v) is int for v in ints) and ints[0] <= ints[1]):
        c.error(path + ("ints",), "matrix needs ints: [low, high], two integers with low <= high")
        return None
    return Param(name, "matrix", line, dims=dims, low=ints[0], high=ints[1])


def _require(c: Checker, raw: Any, known: list[str]) -> list[Expr]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        c.error(("require",), "require must be a list of conditions")
        return []
    exprs = (c.expr(text, ("require", i), known) for i, text in enumerate(items))
    return [e for e in exprs if e is not None]
