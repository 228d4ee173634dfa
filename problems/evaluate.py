"""A small interpreter for parsed Jinja2 expressions.

Jinja2 parses an expression into nodes; this module walks them.  Nothing else
runs: only the node kinds below are known, names come from the params,
functions from a registry, attributes from a short whitelist.  It is also much
faster than rendering the expression through Jinja2's template machinery,
which matters when a class of thousands is sampled.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Mapping

import numpy as np
from jinja2 import nodes

from problems.errors import ExpressionError

MAX_EXPONENT = 64
MAX_REPEAT = 10_000
MAX_INT_BITS = 1024       # far beyond any count of a network's parameters, or a float's range
SAFE_ATTRIBUTES = frozenset({"shape", "ndim", "size", "T"})


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _whole(x: Any) -> bool:
    """A Python int, whose size has no bound of its own (NumPy's integers have 64 bits)."""
    return type(x) is int


def _bounded(result: Any, op: str) -> Any:
    if _whole(result) and result.bit_length() > MAX_INT_BITS:
        raise ExpressionError(f"{op} would give a number of 2**{MAX_INT_BITS} or more")
    return result


def capped_pow(base: Any, exponent: Any) -> Any:
    """`**` with a small exponent, and a whole number below 2**MAX_INT_BITS: powers of powers
    multiply their exponents, and (((9 ** 64) ** 64) ** 64) ** 64 would take hours to compute."""
    if not _is_number(exponent) or abs(exponent) > MAX_EXPONENT:
        raise ExpressionError(f"the exponent of ** must be a number of at most {MAX_EXPONENT}")
    if _whole(base) and _whole(exponent) and exponent > 0 and (abs(base).bit_length() - 1) * exponent >= MAX_INT_BITS:
        raise ExpressionError(f"** would give a number of 2**{MAX_INT_BITS} or more")     # |base| >= 2**(bits - 1)
    try:
        return _bounded(operator.pow(base, exponent), "**")
    except OverflowError:
        raise ExpressionError("** gives a number too large for a float") from None


def capped_mul(left: Any, right: Any) -> Any:
    """`*`, its repetitions of text and lists capped, its whole numbers below 2**MAX_INT_BITS (a
    param that squares the one before doubles its digits)."""
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and _is_number(n) and len(seq) * n > MAX_REPEAT:
            raise ExpressionError(f"repetition longer than {MAX_REPEAT} items")
    if _whole(left) and _whole(right) and left and right \
            and (abs(left).bit_length() - 1) + (abs(right).bit_length() - 1) >= MAX_INT_BITS:
        raise ExpressionError(f"* would give a number of 2**{MAX_INT_BITS} or more")
    return _bounded(operator.mul(left, right), "*")


def no_string_format(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise ExpressionError("string formatting with % is not available")
    return operator.mod(left, right)


BINARY: dict[type, Callable[[Any, Any], Any]] = {
    nodes.Add: operator.add, nodes.Sub: operator.sub, nodes.Mul: capped_mul, nodes.Div: operator.truediv,
    nodes.FloorDiv: operator.floordiv, nodes.Mod: no_string_format, nodes.Pow: capped_pow,
}
UNARY: dict[type, Callable[[Any], Any]] = {nodes.Neg: operator.neg, nodes.Pos: operator.pos}
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "lteq": operator.le, "gt": operator.gt,
    "gteq": operator.ge, "in": lambda a, b: a in b, "notin": lambda a, b: a not in b,
}


class Evaluator:
    """Evaluates one parsed expression against a scope of params, functions and filters."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], filters: Mapping[str, Callable[..., Any]]):
        self.functions = functions
        self.filters = filters

    def __call__(self, node: nodes.Node, scope: Mapping[str, Any]) -> Any:
        return self.eval(node, scope)

    def eval(self, node: nodes.Node, scope: Mapping[str, Any]) -> Any:
        kind = type(node)
        if kind is nodes.Const:
            return node.value
        if kind is nodes.Name:
            if node.name in scope:
                return scope[node.name]
            if node.name in self.functions:
                return self.functions[node.name]
            raise ExpressionError(f"undefined name {node.name!r}")
        if kind in BINARY:
            return BINARY[kind](self.eval(node.left, scope), self.eval(node.right, scope))
        if kind in UNARY:
            return UNARY[kind](self.eval(node.node, scope))
        if kind is nodes.Not:
            return not self._truth(self.eval(node.node, scope))
        if kind is nodes.And:
            left = self.eval(node.left, scope)
            return self.eval(node.right, scope) if self._truth(left) else left
        if kind is nodes.Or:
            left = self.eval(node.left, scope)
            return left if self._truth(left) else self.eval(node.right, scope)
        if kind is nodes.CondExpr:
            if self._truth(self.eval(node.test, scope)):
                return self.eval(node.expr1, scope)
            return self.eval(node.expr2, scope) if node.expr2 is not None else None
        if kind is nodes.Compare:
            return self._compare(node, scope)
        if kind is nodes.Call:
            return self._call(node, scope)
        if kind is nodes.Getitem:
            return self._getitem(node, scope)
        if kind is nodes.Getattr:
            value = self.eval(node.node, scope)
            if node.attr not in SAFE_ATTRIBUTES or not isinstance(value, np.ndarray):
                raise ExpressionError(f"the attribute {node.attr!r} is not available "
                                      f"(only {', '.join(sorted(SAFE_ATTRIBUTES))} of an array)")
            return getattr(value, node.attr)
        if kind in (nodes.List, nodes.Tuple):
            items = [self.eval(item, scope) for item in node.items]
            return items if kind is nodes.List else tuple(items)
        if kind is nodes.Filter:
            return self._filter(node, scope)
        raise ExpressionError(f"{kind.__name__.lower()} is not available in expressions")

    @staticmethod
    def _truth(value: Any) -> bool:
        if isinstance(value, np.ndarray) and value.size != 1:
            raise ExpressionError("an array is neither true nor false; use any(...) or all(...)")
        return bool(value)

    def _compare(self, node: nodes.Compare, scope: Mapping[str, Any]) -> Any:
        left = self.eval(node.expr, scope)
        result: Any = True
        for operand in node.ops:
            right = self.eval(operand.expr, scope)
            result = COMPARE[operand.op](left, right)
            if len(node.ops) > 1 and not self._truth(result):
                return False
            left = right
        return result

    def _call(self, node: nodes.Call, scope: Mapping[str, Any]) -> Any:
        if not isinstance(node.node, nodes.Name) or node.node.name not in self.functions \
                or node.node.name in scope or node.dyn_args is not None or node.dyn_kwargs is not None:
            raise ExpressionError("only the listed functions may be called")
        args = [self.eval(a, scope) for a in node.args]
        kwargs = {k.key: self.eval(k.value, scope) for k in node.kwargs}
        return self.functions[node.node.name](*args, **kwargs)

    def _getitem(self, node: nodes.Getitem, scope: Mapping[str, Any]) -> Any:
        value = self.eval(node.node, scope)
        arg = node.arg
        if isinstance(arg, nodes.Slice):
            index: Any = slice(*(self.eval(p, scope) if p is not None else None for p in (arg.start, arg.stop, arg.step)))
        else:
            index = self.eval(arg, scope)
            if isinstance(index, str):
                raise ExpressionError("indexing by a name is not available")
        if not isinstance(value, (list, tuple, np.ndarray)):
            kind = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a word"}.get(
                type(value).__name__, f"a {type(value).__name__}")
            raise ExpressionError(f"cannot index {kind}: only a list or an array has entries")
        result = value[index]
        return result.item() if isinstance(result, np.generic) else result

    def _filter(self, node: nodes.Filter, scope: Mapping[str, Any]) -> Any:
        if node.name not in self.filters or node.dyn_args is not None or node.dyn_kwargs is not None:
            raise ExpressionError(f"the filter {node.name!r} is not available")
        value = self.eval(node.node, scope)
        args = [self.eval(a, scope) for a in node.args]
        kwargs = {k.key: self.eval(k.value, scope) for k in node.kwargs}
        return self.filters[node.name](value, *args, **kwargs)
