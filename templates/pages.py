"""Student sheets and keys: the data each page shows, then the page templates.

Sheets are built from statements and part names only, never from answers, so
an answer cannot leak into a sheet by a template's mistake.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from grader.answers import lecture_shape
from grader.explain import explain_part
from grader.functions import MATRIX_FUNCTIONS
from grader.solver import INVALID
from problems import jsontext
from problems.build import Question, Variant
from problems.spec import Part
from templates import notation, render_text
from templates.markdown import inline, md_text, to_html

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def page_environment() -> Environment:
    """hw's own page templates: trusted, StrictUndefined, autoescaped for HTML.

    They use none of Jinja2's default globals (range, dict, cycler, ...); without
    them each render starts from an empty context instead of copying six names
    (a class renders its pages and questions some 60,000 times)."""
    env = Environment(loader=FileSystemLoader(str(HERE)), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                      autoescape=lambda name: bool(name) and name.endswith(".html.j2"))
    env.globals.clear()
    env.filters["md_text"] = md_text        # a name or id on a Markdown page: shown, not read as markup
    return env


@dataclass
class PartView:
    name: str
    column: str
    points: float
    answer: str = ""
    submit: str = ""
    steps: list[str] = field(default_factory=list)
    box: str = "box"        # the answer box on a paper sheet: "box tall" where a matrix is written


@dataclass
class QuestionView:
    number: int
    qid: str
    title: str
    points: float
    statement: str
    parts: list[PartView]
    table: list[dict[str, str]] = field(default_factory=list)


@dataclass
class PageView:
    kind: str               # 'sheet' or 'key'
    anchor: str
    course: str
    title: str
    instructions: str
    who: list[tuple[str, str]]
    code: str
    total: float
    questions: list[QuestionView]


def _text(md: str, fmt: str, *, block: bool = False) -> str:
    if fmt == "md":
        return md
    return Markup(to_html(md) if block else inline(md))


def _piece(piece: Any, fmt: str) -> str:
    if isinstance(piece, np.ndarray):
        return f"\n\n{notation.matrix(piece, 'md')}\n\n" if fmt == "md" else notation.matrix(piece, "html")
    return piece if fmt == "md" else inline(piece)


def _step(step: list, fmt: str) -> str:
    text = " ".join(_piece(p, fmt) for p in step if not (isinstance(p, str) and not p))
    return text.strip() if fmt == "md" else Markup(text)


def pretty_answer(answer: Any, query: str, fmt: str) -> str:
    """An answer as the key shows it: a shape as W×H×C, a matrix as a grid, 'invalid' in bold."""
    if answer == INVALID:
        text = "**invalid**" if fmt == "md" else "<strong>invalid</strong>"
    elif query in ("shape", "weight_shape"):
        text = notation.shape(answer, fmt)
    elif isinstance(answer, list):
        a = np.asarray(answer)
        text = notation.vector(a, fmt) if a.ndim == 1 else notation.matrix(a, fmt)
    else:
        text = notation.num(answer, fmt)
    return Markup(text) if fmt == "html" else text


def _layer_label(kind: str, options: dict[str, Any], weight_shape: tuple) -> str:
    if kind == "conv":
        k, _, f, f2 = weight_shape
        extra = "".join(f", {key}={options[key]}" for key in ("dilation", "groups") if options.get(key, 1) != 1)
        filters = "1 filter" if k == 1 else f"{k} filters"
        return f"conv {filters} {f}×{f2}, S={options.get('stride', 1)}, P={options.get('pad', 0)}{extra}"
    if kind in ("maxpool", "avgpool"):
        size = options.get("size", 2)
        return f"{kind} {size}×{size}, S={options.get('stride', size)}"
    if kind == "fc":
        return f"fc {weight_shape[0]} {'unit' if weight_shape[0] == 1 else 'units'}"
    return kind


def network_table(question: Question) -> list[dict[str, str]]:
    results = question.solution.results
    if results is None or len(results) < 3:
        return []
    rows = []
    for i, r in enumerate(results):
        shape = lecture_shape(r.shape)
        rows.append({"layer": str(i), "what": "input" if i == 0 else _layer_label(r.kind, r.options, r.weight_shape),
                     "shape": "invalid" if shape == INVALID else "×".join(map(str, shape)),
                     "params": "" if i == 0 else str(r.params)})
    return rows


def _answer_box(part: Part) -> str:
    """A tall box on paper where a matrix is to be written: decided by the part, never by
    this instance's answer (a short box must not tell that a configuration does not fit)."""
    matrix = part.query == "value" or (part.expr is not None and part.expr.outer_call() in MATRIX_FUNCTIONS)
    return "box tall" if matrix else "box"


def question_view(q: Question, number: int, fmt: str, *, key: bool, statement: str | None = None) -> QuestionView:
    t = q.template
    parts = []
    for part in t.parts:
        view = PartView(part.name, f"{q.qid}.{part.name}", part.points, box=_answer_box(part))
        if key:
            answer = q.solution.answers[part.name]
            view.answer = pretty_answer(answer, part.query, fmt)
            view.submit = jsontext.ascii_text(answer)
            steps = explain_part(part, q.solution.results, q.params, answer, q.solution.calls.get(part.name))
            view.steps = [_step(s, fmt) for s in steps]
        parts.append(view)
    if statement is None:
        statement = render_text(t.statement, t, q.params, fmt)
        statement = Markup(statement) if fmt == "html" else statement.strip()
    table = network_table(q) if key and any(p.query in ("shape", "params") for p in t.parts) else []
    return QuestionView(number, q.qid, t.title, t.points, statement, parts, table)


def _who(variant: Variant) -> list[tuple[str, str]]:
    if variant.student is not None:
        return [("Name", variant.student.name or "—"), ("Student id", variant.student.id)]
    if variant.version is not None:
        return [("Version", variant.version), ("Name", "")]
    return [("Name", ""), ("Student id", "")]


def _page(assignment: Any, variant: Variant, fmt: str, key: bool, questions: list[QuestionView]) -> PageView:
    return PageView("key" if key else "sheet", f"{'key' if key else 'sheet'}-{variant.file_name}",
                    assignment.course, assignment.title, _text(assignment.instructions, fmt, block=True),
                    _who(variant), variant.code, sum(t.points for t in assignment.templates), questions)


def question_views(q: Question, number: int, fmt: str) -> tuple[QuestionView, QuestionView]:
    """A question on the sheet and in the key; the statement is rendered once for both."""
    sheet = question_view(q, number, fmt, key=False)
    return sheet, question_view(q, number, fmt, key=True, statement=sheet.statement)


def page_texts(assignment: Any, variant: Variant, fmt: str, instances: Any = None) -> tuple[str, str]:
    """The sheet and the key of a variant, rendered (Markdown, or HTML sections).

    `instances` (problems.build.Instances): the questions several students drew
    alike; what their pages show is made once and kept with them.
    """
    sheets, keys, sheet_texts, key_texts = [], [], [], []
    for number, q in enumerate(variant.questions, start=1):
        kept = instances.of(q) if instances is not None else None
        made = kept.get(fmt) if kept is not None else None
        if made is None:
            sheet, key = question_views(q, number, fmt)
            made = (sheet, key, render_question(sheet, "sheet", fmt), render_question(key, "key", fmt))
            if kept is not None:
                kept[fmt] = made
        sheets.append(made[0])
        keys.append(made[1])
        sheet_texts.append(made[2])
        key_texts.append(made[3])
    return (render_page(_page(assignment, variant, fmt, False, sheets), fmt, sheet_texts),
            render_page(_page(assignment, variant, fmt, True, keys), fmt, key_texts))


def render_question(view: QuestionView, kind: str, fmt: str) -> str:
    """One question of a sheet or key ('sheet' or 'key'), in Markdown or HTML."""
    text = page_environment().get_template(f"question.{fmt}.j2").render(q=view, kind=kind)
    return Markup(text) if fmt == "html" else text


def render_page(view: PageView, fmt: str, questions: list[str] | None = None) -> str:
    """One sheet or key as Markdown, or as the <section> of an HTML document.

    `questions`: the page's questions rendered already (render_question), when
    they are shared with other pages; by default they are rendered here.
    """
    if questions is None:
        questions = [render_question(q, view.kind, fmt) for q in view.questions]
    name = "page.md.j2" if fmt == "md" else "section.html.j2"
    return page_environment().get_template(name).render(page=view, fragments=questions)


@lru_cache(maxsize=None)
def stylesheet() -> str:
    return (HERE / "style.css").read_text(encoding="utf-8")


DOCUMENT_START = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>'
DOCUMENT_END = "</body>\n</html>\n"


def _after_title() -> str:
    return f"</title>\n<style>\n{stylesheet()}\n</style>\n</head>\n<body>\n"


def render_html_document(sections: list[str], title: str) -> str:
    """A standalone HTML document of one or more sections, with the print stylesheet inlined."""
    body = "".join(f"{section}\n" for section in sections)
    return f"{DOCUMENT_START}{escape(title)}{_after_title()}{body}{DOCUMENT_END}"


@lru_cache(maxsize=None)
def _document_bytes() -> tuple[bytes, bytes, bytes]:
    return DOCUMENT_START.encode(), _after_title().encode("utf-8"), DOCUMENT_END.encode()


def html_document_bytes(section: bytes, title: str) -> bytes:
    """render_html_document([section], title) in UTF-8, from a section in UTF-8: a feedback page's
    stylesheet and fixed text are copied as bytes, not widened to the page's wide characters (a
    minus sign, an arrow) and encoded again for each of a class's 5,000 pages."""
    start, after_title, end = _document_bytes()
    return b"".join((start, str(escape(title)).encode("utf-8"), after_title, section, b"\n", end))
