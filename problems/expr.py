"""Sandboxed expressions: derived params, `require`, `expr` answers and layer options.

Expressions are Jinja2 expressions evaluated by a locked-down
``SandboxedEnvironment``: arithmetic, comparisons, boolean logic, indexing,
param names and a short list of functions (the solver's formulas among them).
Python's eval is never used.  On top of Jinja2's sandbox:

* attributes are a whitelist (``x.shape``, ``loop.index``, ...): no method of a
  NumPy array or a string can be reached, so nothing can write a file;
* only the functions registered here can be called;
* ``**`` takes an exponent of at most 64, ``*`` does not repeat a string or list
  past 10,000 items, ``%`` does not format strings; an expression is at most
  1,000 characters.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Undefined
from jinja2.sandbox import SandboxedEnvironment

from problems.errors import ExpressionError

MAX_EXPONENT = 64
MAX_REPEAT = 10_000
MAX_EXPR_CHARS = 1_000

SAFE_ATTRIBUTES = frozenset({
    "shape", "ndim", "size", "T",
    # the loop variable of statements
    "index", "index0", "revindex", "revindex0", "first", "last", "length",
    "items", "keys", "values",
})


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _capped_pow(base: Any, exponent: Any) -> Any:
    if not _is_number(exponent) or abs(exponent) > MAX_EXPONENT:
        raise ExpressionError(f"the exponent of ** must be a number of at most {MAX_EXPONENT}")
    return operator.pow(base, exponent)


def _capped_mul(left: Any, right: Any) -> Any:
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and _is_number(n) and len(seq) * n > MAX_REPEAT:
            raise ExpressionError(f"repetition longer than {MAX_REPEAT} items")
    return operator.mul(left, right)


def _no_string_format(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise ExpressionError("string formatting with % is not available")
    return operator.mod(left, right)


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox with whitelisted attributes and callables and capped operators."""

    intercepted_binops = frozenset({"**", "*", "%"})
    _capped = {"**": _capped_pow, "*": _capped_mul, "%": _no_string_format}

    def __init__(self, functions: Mapping[str, Callable[..., Any]], **options: Any):
        super().__init__(undefined=StrictUndefined, **options)
        self.globals.clear()
        self.globals.update(functions)
        self._callables = {id(f) for f in functions.values()}
        self.filters = {name: self.filters[name] for name in
                        ("abs", "round", "int", "float", "join", "length", "first", "last", "max", "min", "sum")}

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        return self._capped[op](left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr in SAFE_ATTRIBUTES

    def is_safe_callable(self, obj: Any) -> bool:
        if id(obj) in self._callables:
            return True
        owner = getattr(obj, "__self__", None)
        return isinstance(owner, dict) and getattr(obj, "__name__", "") in ("items", "keys", "values")


def _total(x: Any) -> Any:
    return np.asarray(x).sum().item()


def _largest(*xs: Any) -> Any:
    return np.max(xs[0]).item() if len(xs) == 1 else max(xs)


def _smallest(*xs: Any) -> Any:
    return np.min(xs[0]).item() if len(xs) == 1 else min(xs)


BASIC_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs, "round": round, "int": int, "float": float, "len": len,
    "sum": _total, "max": _largest, "min": _smallest,
    "ceil": math.ceil, "floor": math.floor, "sqrt": math.sqrt,
    "any": lambda x: bool(np.any(x)), "all": lambda x: bool(np.all(x)),
}


@dataclass(frozen=True)
class Expr:
    """A compiled expression with the names it reads."""

    text: str
    names: frozenset[str]
    file: str | None = None
    line: int | None = None
    _compiled: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, scope: Mapping[str, Any]) -> Any:
        missing = sorted(n for n in self.names if n not in scope)
        if missing:
            raise self._error(f"undefined name {missing[0]!r} in {self.text!r}")
        try:
            value = self._compiled(**scope)
        except ExpressionError as e:
            raise self._error(f"{e.message} in {self.text!r}") from None
        except (SecurityError, UndefinedError) as e:
            raise self._error(f"not allowed in {self.text!r}: {e}") from None
        except RecursionError:
            raise self._error(f"{self.text!r} nests too deeply") from None
        except Exception as e:  # anything user data can raise: ZeroDivisionError, TypeError, ...
            raise self._error(f"cannot evaluate {self.text!r}: {type(e).__name__}: {e}") from None
        if isinstance(value, Undefined):
            raise self._error(f"{self.text!r} has no value")
        return value.item() if isinstance(value, np.generic) else value

    def _error(self, message: str) -> ExpressionError:
        return ExpressionError(message, file=self.file, line=self.line)


class ExpressionCompiler:
    """Compiles expressions once against one sandbox and a set of function names."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]]):
        self.functions = {**BASIC_FUNCTIONS, **functions}
        self.env = Sandbox(self.functions)

    def compile(self, text: str, *, file: str | None = None, line: int | None = None) -> Expr:
        def error(message: str) -> ExpressionError:
            return ExpressionError(message, file=file, line=line)

        if not isinstance(text, str) or not text.strip():
            raise error("an expression must be a non-empty string")
        if len(text) > MAX_EXPR_CHARS:
            raise error(f"expression longer than {MAX_EXPR_CHARS} characters")
        if "{" in text or "}" in text:
            raise error(f"braces are not allowed in an expression: {text!r}")
        try:
            ast = self.env.parse("{{ " + text + " }}")
            compiled = self.env.compile_expression(text, undefined_to_none=False)
        except TemplateSyntaxError as e:
            raise error(f"syntax error in expression {text!r}: {e.message}") from None
        except RecursionError:
            raise error(f"expression {text!r} nests too deeply") from None
        names = frozenset(meta.find_undeclared_variables(ast)) - set(self.functions)
        return Expr(text, names, file, line, compiled)
