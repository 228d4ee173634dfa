"""The bundled bank of templates and assignments, found by id or by path."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from problems.errors import HwError
from problems.load import load_template
from problems.spec import Template

BANK_DIR = Path(__file__).parent / "bank"
ASSIGNMENTS_DIR = Path(__file__).parent / "assignments"


def bank_files() -> list[Path]:
    return sorted(BANK_DIR.glob("*.yaml"))


def assignment_files() -> list[Path]:
    return sorted(ASSIGNMENTS_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def bank() -> dict[str, Template]:
    """Every bundled template by id (the bank is checked by the tests, so it loads)."""
    templates = [load_template(path, display_path(path)) for path in bank_files()]
    return {t.id: t for t in sorted(templates, key=lambda t: t.id)}


def display_path(path: Path) -> str:
    """Bundled files are named relative to the package, never by an absolute path."""
    for root in (BANK_DIR, ASSIGNMENTS_DIR):
        try:
            return f"{root.name}/{path.resolve().relative_to(root.resolve())}"
        except ValueError:
            continue
    return str(path)


def file_named(name: str, what: str) -> Path | None:
    """The file a command-line name means, or None when it is the name of something bundled."""
    path = Path(name)
    if path.suffix not in (".yaml", ".yml") and not path.exists():
        return None
    if not path.is_file():
        raise HwError(f"no such {what} file", file=name)
    return path


def find_template(name: str) -> Template:
    """A template by file path, or by id from the bank."""
    path = file_named(name, "template")
    if path is not None:
        return load_template(path)
    templates = bank()
    if name in templates:
        return templates[name]
    from problems.checker import suggest
    raise HwError(f"no template {name!r} in the bank{suggest(name, templates)}")
