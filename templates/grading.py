"""Feedback pages and the class report, from graded submissions."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from grader.manifest import first_variant
from grader.misconceptions import NAMES
from grader.report import ClassStats, histogram_svg
from templates.feedback import feedback_pages, number
from templates.pages import page_environment, render_html_document


def report_page(manifest: dict[str, Any], stats: ClassStats, absent: list[tuple[str, str]] = ()) -> str:
    """The class report; `absent`: the roster's students with no submission that counts (id, name)."""
    questions = [{"qid": q.qid, "title": q.title, "family": q.family, "points": number(q.points),
                  "difficulty": number(q.difficulty), "discrimination": number(q.discrimination),
                  "follow_through": q.follow_through} for q in stats.questions]
    parts = [{"part": f"{p.qid}.{p.part}", "points": number(p.points), "difficulty": number(p.difficulty),
              "answered": number(p.answered), "follow_through": p.follow_through} for p in stats.parts]
    misconceptions = [{"part": f"{q.qid}.{part}", "name": NAMES.get(tag, tag), "count": n}
                      for q in stats.questions for part, tag, n in q.misconceptions]
    misconceptions.sort(key=lambda r: (-r["count"], r["part"]))
    wrong = [{"part": f"{q.qid}.{part}", "expected": expected, "answer": answer, "count": n,
              "name": NAMES.get(tag, tag)}
             for q in stats.questions for part, expected, answer, tag, n in q.wrong_answers if n > 1]
    wrong.sort(key=lambda r: (-r["count"], r["part"]))
    section = page_environment().get_template("report.html.j2").render(
        title=manifest["assignment"]["title"], course=manifest["assignment"].get("course", ""), stats=stats,
        mean=number(stats.mean, 1) + ("%" if stats.mean is not None else ""),
        median=number(stats.median, 1) + ("%" if stats.median is not None else ""),
        svg=Markup(histogram_svg(stats.histogram)), questions=questions, parts=parts, misconceptions=misconceptions[:30],
        wrong=wrong[:20], absent=list(absent), roster=len(manifest["variants"]))
    return render_html_document([section], f"{manifest['assignment']['title']}: class report")


# -- grading a class: scoring and feedback in forked workers ------------------------------------

_JOB: dict[str, Any] = {}
CHUNK = 100
PARALLEL_FROM = 200


def _grade_chunk(bounds: tuple[int, int]) -> list:
    """Score a chunk, write the feedback of the submissions that count; their results.json lines.

    What goes back to the parent is the results line and what the gradebook needs of each
    submission (its question scores, and for Moodle's a one-line summary), and the chunk's tally of parts for
    the report: the parts themselves stay here, so the parent has little to unpickle.

    Grading makes no reference cycles (a test scores a part each way there is and checks), so
    reference counting frees all it drops, and the cyclic collector is off meanwhile: it would
    only walk, about once per 1,000 students, the records and derived answers kept from chunk to
    chunk, to free nothing (3-4% of a worker's time). What a chunk keeps is then frozen, out of
    its sight.
    """
    from problems.parallel import long_lived

    with long_lived():
        return _grade(bounds)


def _grade(bounds: tuple[int, int]) -> tuple[bytes, list, Any]:
    from grader.grade import feedback_name, score_all
    from grader.report import Tally, summary
    from templates.write import json_text

    job = _JOB
    manifest, staging, summaries = job["manifest"], job["staging"], job["summaries"]
    titles = {qid: record["title"] for qid, record in first_variant(manifest)["questions"].items()}
    lines, out, tally = [], [], Tally()
    chunk = job["graded"][bounds[0]:bounds[1]]
    for g, record in zip(chunk, score_all(manifest, chunk)):
        if g.status == "ok":
            name = feedback_name(g)
            md, html = feedback_pages(manifest, g, titles, record)
            staging.write(f"feedback/{name}.md", md)
            staging.write(f"feedback/{name}.html", html)
            tally.add(g)
        lines.append(",\n    " + json_text(g.as_dict(), depth=0))
        scores = {qid: {"score": q["score"], "max": q["max"]} for qid, q in g.questions.items()}
        feedback_column = summary(g) if summaries and g.status == "ok" else ""      # Moodle's gradebook only
        out.append((g.status, g.submission.message, g.student, g.file, g.score, g.max, scores, feedback_column,
                    g.answered, g.ignored))
        g.questions = {}        # its parts are written: kept, they would fill the collector's youngest generation
    return "".join(lines).encode("utf-8"), out, tally


def grade_class(staging: Any, manifest: dict[str, Any], files: list, lms: str, jobs: int | None = None
                ) -> tuple[list, list[tuple[str, str]]]:
    """Score every file, then write results.json, gradebook.csv, feedback/ and report.html; the graded
    list, and the roster's students with no submission that counts (id, name)."""
    from grader import lms as gradebooks
    from grader.grade import match, mode_of, not_graded, resolve_duplicates
    from grader.submissions import read_file
    from grader.report import Tally, class_stats
    from problems import parallel
    from templates.write import json_text

    mode = mode_of(manifest)
    with parallel.long_lived():
        matched = resolve_duplicates([match(manifest, mode, sub) for path in files for sub in read_file(path)])
    jobs = jobs or parallel.default_jobs(len(matched), PARALLEL_FROM)
    staging.folder("feedback")
    _JOB.clear()
    _JOB.update(manifest=manifest, graded=matched, staging=staging, summaries=lms == "moodle")
    title = manifest["assignment"]["title"]
    graded = []
    with staging.path("results.json").open("wb") as out:     # the lines come as UTF-8 blocks, one per chunk
        out.write(("{\n  \"assignment\": " + json_text(title) + ",\n  \"submissions\": [").encode("utf-8"))
        tally = Tally()
        for block, rows, chunk_tally in parallel.ordered_map(
                _grade_chunk, parallel.tapered_chunks(len(matched), CHUNK, jobs), jobs):
            tally.merge(chunk_tally)
            out.write(block if graded else block[1:])             # the first line has no comma
            for result in rows:
                g = matched[len(graded)]
                g.submission.status, g.submission.message, g.student, g.file, g.score, g.max, g.questions, \
                    g.summary, g.answered, g.ignored = result
                graded.append(g)
        out.write(b"\n  ]\n}\n" if graded else b"]\n}\n")
    _JOB.clear()
    counted = [g for g in graded if g.status == "ok"]
    total = manifest["assignment"].get("points") or max((g.max for g in graded), default=0)
    if lms == "canvas":
        order = {sid: i for i, sid in enumerate(manifest["variants"])}
        rows = sorted(counted, key=lambda g: order.get(g.submission.student_id, len(order)))
        staging.write("gradebook.csv", gradebooks.canvas(manifest, rows, title, total))
    elif lms == "moodle":
        summaries = {g.submission.student_id: g.summary for g in counted}
        staging.write("gradebook.csv", gradebooks.moodle(manifest, counted, title, summaries))
    else:
        staging.write("gradebook.csv", gradebooks.generic(manifest, counted, graded))
    absent = not_graded(manifest, graded)
    staging.write("report.html", report_page(manifest, class_stats(manifest, graded, tally), absent))
    return graded, absent
