"""How it looks: statements and pages rendered to Markdown and HTML.

Two Jinja2 environments, for two kinds of text:

* statements come from template files, so they are untrusted: they render in
  the same locked-down sandbox as expressions (problems.expr.Sandbox), with
  include/import/macro refused, loops nested at most twice and output capped;
* pages (sheets, keys) are hw's own files in this folder: a normal environment
  with StrictUndefined, autoescaped for HTML.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes, pass_context
from jinja2.exceptions import SecurityError, UndefinedError

from problems.errors import HwError
from problems.expr import TOKEN_KINDS, Sandbox
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


_LOOKING = r"Jinja was looking for the following tags: .+\. The innermost block that needs to be closed is '(\w+)'\."
_PRINT_END = "end of print statement"        # Jinja2's name for '}}'


def statement_syntax_message(message: str) -> str:
    """Jinja2's word for a syntax error in a statement in the author's terms: '}}' for 'end of
    print statement', the block left open and the tag that closes it."""
    if m := re.fullmatch(r"unexpected char (.+) at (\d+)", message):    # an offset in the text: the line says where
        return f"unexpected character {m[1]}"
    if m := re.fullmatch(r"Unexpected end of template\. " + _LOOKING, message):
        return f"the text ends inside {{% {m[1]} %}}: close it with {{% end{m[1]} %}}"
    if m := re.fullmatch(r"Encountered unknown tag '(\w+)'\. " + _LOOKING, message):
        return f"{{% {m[1]} %}} inside {{% {m[2]} %}}, which {{% end{m[2]} %}} must close first"
    if m := re.fullmatch(r"Encountered unknown tag '(\w+)'\.", message):
        return f"{{% {m[1]} %}} closes no open block" if m[1].startswith("end") else f"unknown tag {{% {m[1]} %}}"
    if m := re.fullmatch(r"unexpected '}', expected '(.+)'", message):      # '}}' inside brackets
        return f"'}}}}' comes before the closing {m[1]!r}"
    if m := re.fullmatch(r"No filter named '(.+)'\.?", message):
        return f"no filter named {m[1]!r} after '|'"
    if message == f"unexpected end of template, expected '{_PRINT_END}'.":
        return "the text ends before '}}' closes a '{{'"
    message = message.replace("expected token ", "expected ").replace(f"'{_PRINT_END}'", "'}}'")
    for kind, words in TOKEN_KINDS.items():
        message = message.replace(f"got '{kind}'", f"got {words}")
    return message


@lru_cache(maxsize=512)
def _compiled(text: str, path: str, what: str, line: int | None, text_line: int | None = None):
    """A statement compiled once: a class renders each template's statement many times. `line`:
    its key's; `text_line`: the first line of its text when it is a literal block (|), whose lines
    are the file's one for one (folded or quoted text joins lines: a syntax error in it is given
    the key's line)."""
    env = statement_environment()
    try:
        problem = _check_statement_ast(env.parse(text))
        if problem:
            raise HwError(f"{what}: {problem}", file=path, line=line)
        return env.from_string(text)
    except TemplateSyntaxError as e:
        at = text_line + (e.lineno or 1) - 1 if text_line else line
        raise HwError(f"{what}: syntax error: {statement_syntax_message(e.message or '')}", file=path,
                      line=at) from None


def render_text(text: str, template: Template, params: dict[str, Any], fmt: str, *,
                what: str = "statement", line: int | None = None) -> str:
    """A statement (or solution) with its params, as Markdown ('md') or HTML ('html')."""
    if line is None:
        line, text_line = template.statement_line, template.statement_text_line
    else:
        text_line = None
    compiled = _compiled(text, template.path, what, line, text_line)
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
