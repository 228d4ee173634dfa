"""Error collection for template and assignment checks: every problem with its file and line."""
from __future__ import annotations

import difflib
from typing import Any, Iterable

from grader.functions import EXPRESSION_FUNCTIONS
from problems.errors import ExpressionError, HwError
from problems.expr import ExpressionCompiler, Expr
from problems.yamlio import Lines, line_of

COMPILER = ExpressionCompiler(EXPRESSION_FUNCTIONS)
MAX_ARRAY_ITEMS = 4096


def suggest(word: Any, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else f" (expected one of: {', '.join(allowed)})"


class Checker:
    """Collects errors with their lines, so that a file's problems are reported at once."""

    def __init__(self, name: str, lines: Lines):
        self.name, self.lines, self.errors = name, lines, []

    def error(self, path: tuple, message: str) -> None:
        self.errors.append(HwError(message, file=self.name, line=line_of(self.lines, path)))

    def keys(self, data: dict, allowed: Iterable[str], path: tuple, what: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                self.error(path + (key,), f"unknown key {key!r} in {what}{suggest(key, allowed)}")

    def expr(self, text: Any, path: tuple, known: Iterable[str]) -> Expr | None:
        try:
            expr = COMPILER.compile(text, file=self.name, line=line_of(self.lines, path))
        except ExpressionError as e:
            self.errors.append(e)
            return None
        known = tuple(known)
        for missing in sorted(expr.names - set(known)):
            close = difflib.get_close_matches(missing, known + tuple(COMPILER.functions), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (params so far: {', '.join(known) or 'none'})"
            self.error(path, f"undefined name {missing!r} in {text!r}{hint}")
        return expr

    def value(self, raw: Any, path: tuple, known: Iterable[str]) -> Any:
        """A literal number or boolean, or an expression over the known params."""
        if isinstance(raw, str):
            return self.expr(raw, path, known)
        if isinstance(raw, (bool, int, float)):
            return raw
        self.error(path, f"expected a number or an expression, not {kind_of(raw)}")
        return None


def kind_of(raw: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(type(raw), type(raw).__name__)


def array_problem(raw: Any) -> str | None:
    """Why a nested list is not a rectangular array of numbers of at most MAX_ARRAY_ITEMS, or None."""
    shape: list[int] = []
    level = raw
    while isinstance(level, list):
        if not level:
            return "an array cannot have an empty dimension"
        shape.append(len(level))
        level = level[0]
        if len(shape) > 4:
            return "an array has at most 4 dimensions"
    count = 1
    for n in shape:
        count *= n
    if count > MAX_ARRAY_ITEMS:
        return f"an array holds at most {MAX_ARRAY_ITEMS} numbers"

    def check(node: Any, depth: int) -> bool:
        if depth == len(shape):
            return isinstance(node, (int, float)) and not isinstance(node, bool)
        return isinstance(node, list) and len(node) == shape[depth] and all(check(x, depth + 1) for x in node)

    return None if check(raw, 0) else "an array must be rectangular and hold only numbers"
