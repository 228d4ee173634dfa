"""How it looks: statements and pages rendered to Markdown and HTML.

Two Jinja2 environments, for two kinds of text:

* statements come from template files, so they are untrusted: they render in
  the same locked-down sandbox as expressions (problems.expr.Sandbox), with
  include/import/macro refused, loops nested at most twice and output capped;
* pages (sheets, keys) are hw's own files in this folder: a normal environment
  with StrictUndefined, autoescaped for HTML.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes, pass_context
from jinja2.exceptions import SecurityError, UndefinedError

from problems.errors import HwError
from problems.expr import Sandbox
from problems.spec import Template
from templates import notation
from templates.markdown import to_html

MAX_STATEMENT_CHARS = 100_000
MAX_LOOP_DEPTH = 2
FORBIDDEN_NODES = (nodes.Macro, nodes.CallBlock, nodes.Include, nodes.Import, nodes.FromImport,
                   nodes.Extends, nodes.Block)


def _format_filter(name: str):
    render = getattr(notation, name)

    @pass_context
    def apply(context: Any, value: Any, *args: Any) -> str:
        fmt = context.get("__format__", "md")
        if fmt == "md":
            return render(value, "md", *args)
        fragments = context.get("__fragments__")
        fragments.append(render(value, "html", *args))
        return f"\x00{len(fragments) - 1}\x00"

    return apply


_statement_env: Sandbox | None = None


def statement_environment() -> Sandbox:
    global _statement_env
    if _statement_env is None:
        env = Sandbox({}, autoescape=False, keep_trailing_newline=True)
        env.filters.update({name: _format_filter(name) for name in notation.FILTERS})
        _statement_env = env
    return _statement_env


def _check_statement_ast(ast: nodes.Template) -> str | None:
    for node in ast.find_all(FORBIDDEN_NODES):
        return f"{type(node).__name__.lower()} is not allowed in a statement"

    def depth(node: nodes.Node) -> int:
        inner = max((depth(child) for child in node.iter_child_nodes()), default=0)
        return inner + 1 if isinstance(node, nodes.For) else inner

    if depth(ast) > MAX_LOOP_DEPTH:
        return f"loops may nest at most {MAX_LOOP_DEPTH} deep in a statement"
    return None


@lru_cache(maxsize=512)
def _compiled(text: str, path: str, what: str, line: int | None):
    """A statement compiled once: a class renders each template's statement many times."""
    env = statement_environment()
    try:
        problem = _check_statement_ast(env.parse(text))
        if problem:
            raise HwError(f"{what}: {problem}", file=path, line=line)
        return env.from_string(text)
    except TemplateSyntaxError as e:
        # a block scalar starts on the line after its key
        raise HwError(f"{what}: syntax error: {e.message}", file=path,
                      line=line + (e.lineno or 0) if line else None) from None


def render_text(text: str, template: Template, params: dict[str, Any], fmt: str, *,
                what: str = "statement", line: int | None = None) -> str:
    """A statement (or solution) with its params, as Markdown ('md') or HTML ('html')."""
    line = line if line is not None else template.statement_line
    compiled = _compiled(text, template.path, what, line)
    out, size, fragments = [], 0, []
    try:
        for chunk in compiled.generate(**params, __format__=fmt, __fragments__=fragments):
            size += len(chunk)
            if size > MAX_STATEMENT_CHARS:
                raise HwError(f"{what} renders to more than {MAX_STATEMENT_CHARS} characters",
                              file=template.path, line=line)
            out.append(chunk)
    except HwError as e:
        if e.file:
            raise
        raise HwError(f"{what}: {e.message}", file=template.path, line=line) from None
    except UndefinedError as e:
        raise HwError(f"{what}: {e.message}", file=template.path, line=line) from None
    except SecurityError as e:
        raise HwError(f"{what}: not allowed: {e}", file=template.path, line=line) from None
    except RecursionError:
        raise HwError(f"{what} nests too deeply", file=template.path, line=line) from None
    except Exception as e:  # user text can raise anything a filter or operator raises
        raise HwError(f"{what}: cannot render: {type(e).__name__}: {e}", file=template.path,
                      line=line) from None
    text = "".join(out)
    return to_html(text, fragments) if fmt == "html" else text
