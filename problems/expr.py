"""Sandboxed expressions: derived params, `require`, `expr` answers and layer options.

Expressions are Jinja2 expressions: Jinja2 parses them and problems.evaluate
walks the parsed nodes (arithmetic, comparisons, boolean logic, indexing,
param names, a short list of functions, the solver's formulas among them).
Python's eval is never used.  Statements render in ``Sandbox``, Jinja2's
sandbox locked down further:

* attributes are a whitelist (``x.shape``, ``loop.index``, ...): no method of a
  NumPy array or a string can be reached, so nothing can write a file;
* only the functions registered here can be called;
* ``**`` takes an exponent of at most 64, ``*`` does not repeat a string or list
  past 10,000 items, ``%`` does not format strings; an expression is at most
  1,000 characters.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from problems.errors import ExpressionError
from problems.evaluate import Evaluator, capped_mul, capped_pow, no_string_format

MAX_EXPR_CHARS = 1_000

SAFE_ATTRIBUTES = frozenset({
    "shape", "ndim", "size", "T",
    # the loop variable of statements
    "index", "index0", "revindex", "revindex0", "first", "last", "length",
    "items", "keys", "values",
})


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox with whitelisted attributes and callables and capped operators."""

    intercepted_binops = frozenset({"**", "*", "%"})
    _capped = {"**": capped_pow, "*": capped_mul, "%": no_string_format}

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
    return np.asarray(xs[0]).max().item() if len(xs) == 1 else max(xs)


def _smallest(*xs: Any) -> Any:
    return np.asarray(xs[0]).min().item() if len(xs) == 1 else min(xs)


BASIC_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs, "round": round, "int": int, "float": float, "len": len,
    "sum": _total, "max": _largest, "min": _smallest,
    "ceil": math.ceil, "floor": math.floor, "sqrt": math.sqrt,
    "any": lambda x: bool(np.any(x)), "all": lambda x: bool(np.all(x)),
}


@dataclass(frozen=True)
class Expr:
    """A parsed expression with the names it reads."""

    text: str
    names: frozenset[str]
    file: str | None = None
    line: int | None = None
    _node: Any = field(default=None, repr=False, compare=False)
    _evaluator: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, scope: Mapping[str, Any]) -> Any:
        if type(self._node) is nodes.Name and self._node.name in scope:   # a bare param name: the common case
            return scope[self._node.name]
        missing = sorted(n for n in self.names if n not in scope)
        if missing:
            raise self._error(f"undefined name {missing[0]!r} in {self.text!r}")
        try:
            value = self._evaluator(self._node, scope)
        except ExpressionError as e:
            raise self._error(f"{e.message} in {self.text!r}") from None
        except RecursionError:
            raise self._error(f"{self.text!r} nests too deeply") from None
        except Exception as e:  # anything user data can raise: ZeroDivisionError, TypeError, ...
            raise self._error(f"cannot evaluate {self.text!r}: {type(e).__name__}: {e}") from None
        return value.item() if isinstance(value, np.generic) else value

    def outer_call(self) -> str | None:
        """The function the whole expression is a call of (`convolve` in "convolve(x, w, 2)"), if any."""
        node = self._node
        if type(node) is nodes.Call and type(node.node) is nodes.Name:
            return node.node.name
        return None

    def _error(self, message: str) -> ExpressionError:
        return ExpressionError(message, file=self.file, line=self.line)


_WRAPPER = len("{{ ")        # compile() parses "{{ " + text + " }}"
_ENDS = ("end of print statement", "end of template", "}")    # how Jinja2 names the wrapper's end
TOKEN_KINDS = {"integer": "a number", "float": "a number", "string": "a string"}   # Jinja2's token words


def _token(described: str) -> str:
    return "the end" if described in _ENDS else TOKEN_KINDS.get(described, repr(described))


def syntax_message(message: str) -> str:
    """Jinja2's word for a syntax error in the expression's own terms: the end of the expression
    where Jinja2 names its print statement or the wrapper's braces, a column counted in the
    expression as written, a number where it says 'integer'."""
    if m := re.fullmatch(r"unexpected char (.+) at (\d+)", message):
        return f"unexpected character {m[1]} at column {int(m[2]) - _WRAPPER + 1}"
    if m := re.fullmatch(r"expected token '(.+?)', got '(.+)'", message):
        wanted = "an operator or the end" if m[1] in _ENDS else repr(m[1])
        return f"expected {wanted}, got {_token(m[2])}"
    if m := re.fullmatch(r"unexpected '(.+?)'(?:, expected '(.+)')?", message):
        if m[1] in _ENDS:
            return f"it ends before its closing {m[2]!r}" if m[2] else "it ends too soon"
        return f"unexpected {m[1]!r}" + (f", expected {_token(m[2])}" if m[2] else "")
    if m := re.fullmatch(r"No filter named '(.+)'\.?", message):
        return f"no filter named {m[1]!r} after '|'"
    return message


class ExpressionCompiler:
    """Compiles expressions once against one sandbox and a set of function names."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]]):
        self.functions = {**BASIC_FUNCTIONS, **functions}
        self.env = Sandbox(self.functions)
        self.evaluator = Evaluator(self.functions, self.env.filters)

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
            names = frozenset(meta.find_undeclared_variables(ast)) - set(self.functions)
        except TemplateSyntaxError as e:
            raise error(f"syntax error in expression {text!r}: {syntax_message(e.message or '')}") from None
        except RecursionError:
            raise error(f"expression {text!r} nests too deeply") from None
        body = ast.body
        if len(body) != 1 or not isinstance(body[0], nodes.Output) or len(body[0].nodes) != 1:
            raise error(f"not a single expression: {text!r}")
        return Expr(text, names, file, line, body[0].nodes[0], self.evaluator)
