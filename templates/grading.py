"""Feedback pages and the class report, from graded submissions."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from grader.misconceptions import NAMES
from grader.report import ClassStats, histogram_svg
from templates.markdown import inline
from templates.pages import page_environment, pretty_answer, render_html_document


def _num(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "—"
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:g}"


def _answer(value: Any, query: str, fmt: str) -> str:
    if value is None:
        return "—"
    try:
        return pretty_answer(value, query, fmt)
    except (ValueError, TypeError):
        return str(value)


def feedback_page(manifest: dict[str, Any], g: Any, fmt: str) -> str:
    variant = manifest["variants"][g.variant]
    questions = []
    for qid, q in g.questions.items():
        record = variant["questions"][qid]
        parts = []
        for name, p in q["parts"].items():
            query = record["parts"][name]["query"]
            css = "right" if p["score"] == p["max"] else "partly" if p["score"] > 0 else "wrong"
            parts.append({"column": f"{qid}.{name}", "score": _num(p["score"]), "max": _num(p["max"]),
                          "feedback": p["feedback"] if fmt == "md" else Markup(inline(p["feedback"])),
                          "given": _answer(p["given"], query, fmt), "expected": _answer(p["expected"], query, fmt),
                          "css": css})
        questions.append({"qid": qid, "title": record["title"], "score": _num(q["score"]), "max": _num(q["max"]),
                          "parts": parts})
    student = variant.get("student") or {}
    who = f"{student.get('name')} ({g.submission.student_id})" if student.get("name") else g.submission.student_id
    context = dict(title=manifest["assignment"]["title"], course=manifest["assignment"].get("course", ""),
                   student=who, score=_num(g.score), max=_num(g.max), questions=questions)
    if fmt == "md":
        return page_environment().get_template("feedback.md.j2").render(**context)
    section = page_environment().get_template("feedback.html.j2").render(**context)
    return render_html_document([section], f"{context['title']}: {g.submission.student_id}")


def report_page(manifest: dict[str, Any], stats: ClassStats) -> str:
    questions = [{"qid": q.qid, "title": q.title, "family": q.family, "points": _num(q.points),
                  "difficulty": _num(q.difficulty), "discrimination": _num(q.discrimination),
                  "follow_through": q.follow_through} for q in stats.questions]
    misconceptions = [{"part": f"{q.qid}.{part}", "name": NAMES.get(tag, tag), "count": n}
                      for q in stats.questions for part, tag, n in q.misconceptions]
    misconceptions.sort(key=lambda r: (-r["count"], r["part"]))
    wrong = [{"part": f"{q.qid}.{part}", "answer": answer, "count": n}
             for q in stats.questions for part, answer, n in q.wrong_answers if n > 1]
    wrong.sort(key=lambda r: (-r["count"], r["part"]))
    section = page_environment().get_template("report.html.j2").render(
        title=manifest["assignment"]["title"], course=manifest["assignment"].get("course", ""), stats=stats,
        mean=_num(stats.mean, 1) + ("%" if stats.mean is not None else ""),
        median=_num(stats.median, 1) + ("%" if stats.median is not None else ""),
        svg=Markup(histogram_svg(stats.histogram)), questions=questions, misconceptions=misconceptions[:30],
        wrong=wrong[:20])
    return render_html_document([section], f"{manifest['assignment']['title']}: class report")


def write_graded(staging: Any, manifest: dict[str, Any], graded: list, lms: str) -> dict[str, int]:
    """results.json, gradebook.csv, feedback/<student>.md|.html and report.html into a staging folder."""
    from grader import lms as gradebooks
    from templates.write import json_bytes
    from grader.grade import feedback_name
    from grader.report import class_stats, summary

    title = manifest["assignment"]["title"]
    total = manifest["assignment"].get("points") or max((g.max for g in graded), default=0)
    results = {"assignment": title, "submissions": [g.as_dict() for g in graded]}
    staging.write("results.json", json_bytes(results, depth=2))
    counted = [g for g in graded if g.status == "ok"]
    if lms == "canvas":
        order = {sid: i for i, sid in enumerate(manifest["variants"])}
        rows = sorted(counted, key=lambda g: order.get(g.submission.student_id, len(order)))
        staging.write("gradebook.csv", gradebooks.canvas(manifest, rows, title, total))
    elif lms == "moodle":
        summaries = {g.submission.student_id: summary(g) for g in counted}
        staging.write("gradebook.csv", gradebooks.moodle(manifest, counted, title, summaries))
    else:
        staging.write("gradebook.csv", gradebooks.generic(manifest, counted, graded))
    for g in counted:
        name = feedback_name(manifest, g)
        staging.write(f"feedback/{name}.md", feedback_page(manifest, g, "md"))
        staging.write(f"feedback/{name}.html", feedback_page(manifest, g, "html"))
    staging.write("report.html", report_page(manifest, class_stats(manifest, graded)))
    return {"counted": len(counted)}
