"""A student's feedback page, in Markdown and in HTML, from their graded submission.

Written with plain string formatting rather than the template engine: a class
of 5,000 gets 10,000 pages, and the pages are a fixed, simple layout (a header,
then per question its parts: score, feedback, the answer given and the one
expected).  Everything from a submission is escaped in the HTML page; the
feedback text's own markup (formulas, bold) goes through templates.markdown.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from grader.answers import list_depth
from grader.score import right_cells, whole_cells
from problems import jsontext
from templates.markdown import inline, md_text
from templates.notation import marked_lists_html, marked_matrix_html
from templates.pages import html_document_bytes


@lru_cache(maxsize=1 << 16)
def escape(text: str) -> str:
    """Text for HTML, escaped as markupsafe escapes it (the pages' other escaper), without the Markup object.

    Kept for the strings that come back on every page (part names, expected answers, feedback)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            .replace("'", "&#39;"))


@lru_cache(maxsize=4096)
def number(x: float | None, digits: int = 2) -> str:
    """A score as a person writes it: 2, 2.5, 0.33; a dash for none."""
    if x is None:
        return "—"
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:g}"
    return "0" if text == "-0" else text         # -0.004 is 0 to two places, not -0


@lru_cache(maxsize=1 << 14)
def _marked_up(feedback: str) -> str:
    """A part's feedback with its formulas and bold as HTML; kept, since students who drew a question
    alike and made the same slip get the same words (a class of 5,000: some 20,000 such texts, a
    fifth of them different)."""
    return inline(feedback)


def submitted(value: Any) -> str:
    """An answer in the notation the student submits it in."""
    if value is None:
        return "—"
    return str(value) if type(value) is int else jsontext.text(value)


def _css(score: float, top: float) -> str:
    return "right" if score == top else "partly" if score > 0 else "wrong"


@lru_cache(maxsize=1 << 14)
def _part_heads(qid: str, name: str, score: float, top: float) -> tuple[str, str]:
    """The Markdown and HTML that open a part's entry: its name and points (few different ones in a class)."""
    column, p_score, p_max = f"{qid}.{name}", number(score), number(top)
    return (f"- **{column}** ({p_score} / {p_max}): ",
            f'  <div class="solution {_css(score, top)}">\n    <h3><span class="column">{escape(column)}</span> '
            f'<span class="points">{p_score} / {p_max}</span></h3>\n    <p class="step">')


@lru_cache(maxsize=1 << 12)
def _question_heads(qid: str, title: str, score: float, top: float) -> tuple[bytes, bytes]:
    """The Markdown and HTML that open a question's section, in UTF-8: its title and points (few
    different ones)."""
    q_score, q_max = number(score), number(top)
    return (f"## {qid}. {title} ({q_score} / {q_max})\n\n".encode("utf-8"),
            f'<article class="question">\n  <h2><span class="number">{qid}.</span> {escape(title)} '
            f'<span class="points">{q_score} / {q_max}</span></h2>\n'.encode("utf-8"))


def _grids(p: dict[str, Any], part: dict[str, Any]) -> str | None:
    """A wrong matrix or volume as two grids, the student's wrong entries marked beside the expected
    ones (a row of numbers in brackets is hard to compare by eye); None for any other answer. `part`:
    the part's record in the manifest (its tolerance)."""
    expected, given = p["expected"], p["given"]
    if not (isinstance(expected, list) and expected and isinstance(expected[0], list) and isinstance(given, list)):
        return None
    if list_depth(expected) in (2, 3) and (listed := whole_cells(expected, given)) is not None:   # no arrays
        yours, theirs = marked_lists_html(*listed), marked_lists_html(expected)
    else:
        judged = right_cells(expected, given, part.get("tolerance", 1e-6), part.get("decimals"))
        if judged is None:
            return None
        yours, theirs = marked_matrix_html(*judged), marked_matrix_html(np.asarray(expected))
    return (f'    <p class="final compare"><span class="label">Your answer</span> {yours} '
            f'<span class="label">Expected</span> {theirs}</p>\n')


def _part_entry(qid: str, name: str, p: dict[str, Any], part: dict[str, Any], as_key: bool) -> tuple[bytes, bytes]:
    """A part's entry on the Markdown page and on the HTML page, in UTF-8; `p` its result, `part` its
    record, `as_key` whether it was answered as the key (as grader.score scores it, 'Correct.')."""
    md_head, html_head = _part_heads(qid, name, p["score"], p["max"])
    expected, text = submitted(p["expected"]), p["feedback"]
    given = expected if as_key else submitted(p["given"])
    if p["tags"][0] == "unreadable":        # its words quote what the student wrote: shown, not read as markup
        shown, text = escape(text), md_text(text)
    else:
        shown = _marked_up(text) if "$" in text or "**" in text else escape(text)
    grids = _grids(p, part) if p["score"] < p["max"] else None
    return (f"{md_head}{text}\n  - your answer: `{given}`\n  - expected: `{expected}`\n".encode("utf-8"),
            (f'{html_head}{shown}</p>\n' + (grids or f"    <p class=\"final\">Your answer: <code>{escape(given)}</code> "
                                            f"&nbsp; Expected: <code>{escape(expected)}</code></p>\n")
             + "  </div>\n").encode("utf-8"))


def feedback_pages(manifest: dict[str, Any], g: Any, titles: dict[str, str], variant: dict[str, Any] | None = None
                   ) -> tuple[bytes, bytes]:
    """The Markdown page and the HTML document of one graded submission, in UTF-8.

    `titles`: question id -> title (the same in every variant); `variant`: the record of its variant,
    when the caller holds it (else it is read from the manifest). The pages are put together as
    bytes: most of their pieces come back for many students (kept encoded), and a page's text
    holds wide characters (a minus sign, an arrow), so joined as text it would be widened and
    encoded whole again for each student.
    """
    assignment = manifest["assignment"]
    title, course = assignment["title"], assignment.get("course", "")
    student = g.student or {}
    who = f"{student.get('name')} ({g.submission.student_id})" if student.get("name") else g.submission.student_id
    score, top = number(g.score), number(g.max)
    md = [f"# {title}: feedback\n\n**Student:** {md_text(who)}  \n**Score:** {score} / {top}\n\n".encode("utf-8")]
    html = [f'<section class="page feedback">\n<header>\n  <div class="course">{escape(course)}</div>\n'
            f'  <h1>{escape(title)} <span class="tag">feedback</span></h1>\n  <table class="who">\n'
            f"    <tr><th>Student</th><td>{escape(who)}</td></tr>\n"
            f"    <tr><th>Score</th><td>{score} / {top}</td></tr>\n  </table>\n</header>\n".encode("utf-8")]
    records = (manifest["variants"][g.variant] if variant is None else variant)["questions"]
    for qid, q in g.questions.items():
        md_head, html_head = _question_heads(qid, titles[qid], q["score"], q["max"])
        md.append(md_head)
        html.append(html_head)
        record = records[qid]
        derived = getattr(record, "derived", None)
        kept = None         # a shared record's entries of the parts answered as the key: the record's alone
        if derived is not None and (kept := derived.get(("page", qid))) is None:
            kept = derived["page", qid] = {}
        for name, p in q["parts"].items():
            given, expected = p["given"], p["expected"]
            as_key = given == expected and type(given) is type(expected)        # exactly the key, as scored
            if as_key and kept is not None:
                entries = kept.get(name)
                if entries is None:
                    entries = kept[name] = _part_entry(qid, name, p, record["parts"][name], True)
            else:
                entries = _part_entry(qid, name, p, record["parts"][name], as_key)
            md.append(entries[0])
            html.append(entries[1])
        md.append(b"\n")
        html.append(b"</article>\n")
    html.append(b"</section>\n")
    return b"".join(md), html_document_bytes(b"".join(html), f"{title}: {g.submission.student_id}")
