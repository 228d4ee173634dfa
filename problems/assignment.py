"""Assignments: a title and a list of bank templates or template files, with optional points."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from problems.bank import ASSIGNMENTS_DIR, bank, display_path, file_named
from problems.checker import Checker, suggest
from problems.errors import HwError, TemplateError
from problems.load import parse_template
from problems.spec import Template
from problems.yamlio import load_yaml

ASSIGNMENT_KEYS = ("title", "course", "instructions", "problems")
ITEM_KEYS = ("template", "points")
DEFAULT_ASSIGNMENT = "lecture5-homework"


@dataclass(frozen=True)
class Assignment:
    title: str
    course: str
    instructions: str
    templates: tuple[Template, ...]   # in order; points already overridden
    path: str


def is_assignment(data: object) -> bool:
    return isinstance(data, dict) and "problems" in data


def find_assignment(name: str) -> Assignment:
    """An assignment by file path, or by the name of a bundled one."""
    path = file_named(name, "assignment")
    if path is not None:
        return load_assignment(path)
    bundled = ASSIGNMENTS_DIR / f"{name}.yaml"
    if bundled.is_file():
        return load_assignment(bundled, display_path(bundled))
    names = sorted(p.stem for p in ASSIGNMENTS_DIR.glob("*.yaml"))
    raise HwError(f"no assignment {name!r}: not a file, nor a bundled assignment{suggest(name, names)}")


def load_assignment(path: Path, name: str | None = None) -> Assignment:
    name = name or str(path)
    data, lines = load_yaml(path, name=name)
    c = Checker(name, lines)
    if not is_assignment(data):
        if isinstance(data, dict) and "ask" in data:        # a template: what hw solve and validate take
            c.error((), "this file is a template, not an assignment: list it in an assignment's problems "
                        "(- template: ./file.yaml), or try it alone with hw solve")
        else:
            c.error((), "an assignment is a mapping with a problems: list")
        raise TemplateError(c.errors)
    c.keys(data, ASSIGNMENT_KEYS, (), "the assignment")
    for key in ("title", "course", "instructions"):
        if key in data and not isinstance(data[key], str):
            c.error((key,), f"{key} must be text")
    if "title" not in data:
        c.error((), "missing required key 'title'")
    items = data["problems"]
    if not isinstance(items, list) or not items:
        c.error(("problems",), "problems must be a non-empty list")
        items = []
    templates = []
    for i, item in enumerate(items):
        template = _item(c, item, ("problems", i), path.parent)
        if template is not None:
            templates.append(template)
    if c.errors:
        raise TemplateError(c.errors)
    return Assignment(data["title"], data.get("course", ""), data.get("instructions", ""), tuple(templates), name)


def _item(c: Checker, item: object, path: tuple, folder: Path) -> Template | None:
    if isinstance(item, str):
        item = {"template": item}
    if not isinstance(item, dict) or "template" not in item:
        c.error(path, "each problem needs template: <bank id or file>")
        return None
    c.keys(item, ITEM_KEYS, path, "a problem")
    ref = item["template"]
    points = item.get("points")
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0):
        c.error(path + ("points",), "points must be a number > 0")
        points = None
    try:
        template = _resolve(str(ref), folder)
    except TemplateError as e:
        c.errors.extend(e.errors)
        return None
    except HwError as e:
        c.error(path + ("template",), e.message)
        return None
    return template.with_points(float(points)) if points is not None else template


def _resolve(ref: str, folder: Path) -> Template:
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        file = folder / ref
        if not file.is_file():
            raise HwError(f"template file {ref!r} not found (relative to the assignment)")
        shown = display_path(file) if folder == ASSIGNMENTS_DIR else str(file)
        data, lines = load_yaml(file, name=shown)
        if is_assignment(data):
            raise HwError(f"{ref!r} is an assignment, not a template: an assignment lists templates only")
        return parse_template(data, lines, shown)
    templates = bank()
    if ref not in templates:
        raise HwError(f"no template {ref!r} in the bank{suggest(ref, templates)}")
    return templates[ref]
