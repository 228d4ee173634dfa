"""Grading a folder against a manifest: which variant each submission is, scores, duplicates.

Which submission counts when a student handed in several: the last one read
(files in name order, rows in file order), as a resubmission replaces an
earlier one; the others are reported with status 'duplicate'.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from grader.answers import brief
from grader.manifest import LazyVariants, ManifestError, SharedRecord, first_variant
from grader.network import LayerError
from grader.batch import rebuild_many
from grader.score import needs_judging, rounded, score_parts
from grader.submissions import Submission, check_answers
from problems.roster import safe_file_name


@dataclass
class Graded:
    submission: Submission
    variant: str | None = None
    student: dict[str, Any] | None = None      # the roster's record of the student, from the manifest
    file: str | None = None                    # the variant's file name
    score: float = 0.0
    max: float = 0.0
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    summary: str = ""                          # one line for an LMS feedback column
    answered: int = 0                          # parts of the manifest's questions answered
    ignored: int = 0                           # answers to questions or parts the manifest does not have

    @property
    def status(self) -> str:
        return self.submission.status

    def as_dict(self) -> dict[str, Any]:
        s = self.submission
        return {"file": s.file, "row": s.row, "student_id": s.student_id, "status": s.status, "message": s.message,
                "score": rounded(self.score), "max": rounded(self.max), "questions": self.questions}


def mode_of(manifest: dict[str, Any]) -> str:
    """How submissions find their variant: every variant of a class was made the same way."""
    first = first_variant(manifest)
    if first.get("version"):
        return "versions"
    if first.get("student"):
        return "roster"
    return "default"


def _variant_of(manifest: dict[str, Any], sub: Submission, mode: str) -> str | None:
    variants = manifest["variants"]
    if mode == "roster":
        if sub.student_id in variants:
            return sub.student_id
        found, why = _roster_id_but_for_case(variants, sub.student_id), ""
        if found is None:
            found, why = _roster_id_but_for_zeros(variants, sub.student_id), " (a spreadsheet drops leading zeros)"
        if found is None:
            sub.status, sub.message = "unknown-student", (f"student {sub.student_id!r} is not in the roster"
                                                          + _did_you_mean(variants, sub.student_id))
            return None
        sub.notes.append(f"student id {sub.student_id!r} read as the roster's {found!r}{why}")
        sub.student_id = found          # one student, however the id was typed: duplicates are found
        return found
    if mode == "versions":
        if not sub.version:
            sub.status, sub.message = "error", f"no version: expected one of {', '.join(variants)}"
            return None
        version = sub.version if sub.version in variants else sub.version.upper()     # 'b' on a paper exam is B
        if version not in variants:
            sub.status, sub.message = "error", f"unknown version {sub.version!r}: expected one of {', '.join(variants)}"
            return None
        return version
    return next(iter(variants))


_INDEX: list[tuple[Any, dict[str, Any]]] = []     # the last roster indexed: its variants, its index


def _index_of(variants: Any) -> dict[str, Any]:
    """The roster's ids by their case-folded form, and its ids of digits by their value (None where two
    are alike so), and how many unknown ids were given a suggestion."""
    if not _INDEX or _INDEX[0][0] is not variants:
        folded: dict[str, str | None] = {}
        numbers: dict[str, str | None] = {}
        for variant_id in variants:
            key = variant_id.casefold()
            folded[key] = None if key in folded else variant_id
            if variant_id.isdigit() and variant_id.isascii():
                value = variant_id.lstrip("0")
                numbers[value] = None if value in numbers else variant_id
        _INDEX[:] = [(variants, {"folded": folded, "numbers": numbers, "suggested": 0})]
    return _INDEX[0][1]


def _roster_id_but_for_zeros(variants: Any, student_id: str) -> str | None:
    """The roster's id of digits that `student_id` is without its leading zeros (123 for 00123, as a
    spreadsheet turns an id of digits into a number), unless two of the roster's ids have that value."""
    if not (student_id.isdigit() and student_id.isascii()):
        return None
    return _index_of(variants)["numbers"].get(student_id.lstrip("0"))


def _roster_id_but_for_case(variants: Any, student_id: str) -> str | None:
    """The roster's id that differs from `student_id` only in case (Jane@Uni.edu for jane@uni.edu, an
    email address being the id of a Moodle roster), unless two of the roster's ids are alike so."""
    return _index_of(variants)["folded"].get(student_id.casefold())


SUGGESTIONS = 20      # unknown ids a run looks up close matches for: each is a search of the whole roster


def _did_you_mean(variants: Any, student_id: str) -> str:
    """'; did you mean 's001'?' for an id a keystroke or two from one of the roster's (s0O1, s01), for
    the first few unknown ids of a run: a folder graded against the wrong manifest has thousands."""
    index = _index_of(variants)
    if index["suggested"] >= SUGGESTIONS:
        return ""
    index["suggested"] += 1
    typed = student_id.casefold()
    allowed = 1 if len(typed) <= 4 else 2          # keystrokes: s0O1 for s001, s00l2 for s0012
    for close in difflib.get_close_matches(typed, index["folded"], n=3, cutoff=0.5):
        found = index["folded"][close]            # None where two ids differ only in case
        if found and _edits(typed, close) <= allowed:
            return f"; did you mean {found!r}?"
    return ""


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: letters inserted, deleted or replaced to make b of a."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _where(sub: Submission) -> str:
    return sub.file + (f" row {sub.row}" if sub.row is not None else "")


def match(manifest: dict[str, Any], mode: str, sub: Submission) -> Graded:
    """A submission with its variant found (or its status saying why there is none)."""
    g = Graded(sub)
    if sub.status == "ok":
        g.variant = _variant_of(manifest, sub, mode)
    return g


def score(manifest: dict[str, Any], g: Graded) -> None:
    """Score a matched submission; one whose variant's record is broken (a hand-edited manifest)
    becomes an error of that submission, and the others are graded."""
    score_all(manifest, [g])


# What a record edited by hand makes scoring raise: LayerError, a network that no longer runs.
_SCORING_ERRORS = (ManifestError, LayerError, KeyError, TypeError, ValueError, IndexError, AttributeError)


def _failed(g: Graded, e: Exception) -> None:
    """A submission whose variant's record could not be scored against: an error of its own."""
    if isinstance(e, ManifestError):
        _broken(g, str(e))
    elif isinstance(e, KeyError):           # a key of the record gone: edited by hand
        _broken(g, f"the manifest's record of variant {g.variant!r} is not as hw generate writes it "
                   f"({type(e).__name__}: {e})")
    else:
        _broken(g, f"scoring it against the manifest's record of variant {g.variant!r} failed "
                   f"({type(e).__name__}: {brief(str(e), 120)}): a record edited by hand, or a fault of hw's "
                   "to report with this submission")


def score_all(manifest: dict[str, Any], graded: list[Graded]) -> list[dict[str, Any] | None]:
    """score() of each submission, worked question by question: every submission's first
    question, then every one's second, and so on. The results are score()'s; one question's code
    and records stay in the processor's caches from student to student (a chunk of 100 was scored
    in about 15% less time than student by student), and the networks that the wrong answers to a
    question need are rerun together (_rebuilt). The variants' records, as they
    were read (None for a submission not scored), for what is written of each submission next."""
    records: list[dict[str, Any] | None] = [None] * len(graded)
    work = []                   # [submission, its questions in order, its notes (None once it failed)]
    for i, g in enumerate(graded):
        if g.variant is None:
            continue
        try:
            variant = manifest["variants"][g.variant]
            g.student, g.file = variant.get("student"), variant.get("file")
            work.append([g, list(variant["questions"].items()), _notes(g, variant["questions"])])
            records[i] = variant
        except _SCORING_ERRORS as e:
            _failed(g, e)
    for position in range(max((len(w[1]) for w in work), default=0)):
        scored = [w for w in work if w[2] is not None and position < len(w[1])]
        for w, results in zip(scored, _rebuilt(scored, position)):
            g, questions, notes = w
            qid, question = questions[position]
            sub = g.submission
            try:
                parts, score = score_parts(qid, question, sub.answers.get(qid, {}), sub.problems.get(qid, {}),
                                           results)
                g.questions[qid] = {"score": rounded(score), "max": question["points"], "parts": parts}
                g.score += score
                g.max += question["points"]
            except _SCORING_ERRORS as e:
                _failed(g, e)
                w[2] = None
    for g, _, notes in work:
        if notes is not None and g.submission.status == "ok":   # a duplicate's message says which counts instead
            g.submission.message = summarized(notes)
    return records


def _broken(g: Graded, why: str) -> None:
    g.submission.status, g.submission.message = "error", f"cannot be graded: {why}"
    g.student, g.file, g.score, g.max, g.questions, g.answered = None, None, 0.0, 0.0, {}, 0


def resolve_duplicates(graded: list[Graded]) -> list[Graded]:
    """The last submission read of each student counts; the others become 'duplicate'."""
    last: dict[str, Graded] = {}
    for g in graded:
        if g.status == "ok":
            last[g.submission.student_id] = g
    for g in graded:
        counted = last.get(g.submission.student_id)
        if g.status == "ok" and counted is not g:
            g.submission.status = "duplicate"
            g.submission.message = f"another submission of {g.submission.student_id!r} counts: {_where(counted.submission)}"
    return graded


def _rebuilt(work: list, position: int) -> list:
    """The reference networks that scoring the questions at `position` will rerun, run stacked
    (grader.batch), or None: for each question answered otherwise than the key whose network is
    not known yet. A shared record keeps its network with what else it derives (SharedRecord),
    once for the students who drew it."""
    wanted, shared, seen = [], [], set()
    for i, (g, questions, _) in enumerate(work):
        qid, question = questions[position]
        kind = type(question)
        if kind is SharedRecord:
            if "results" in question.derived or id(question) in seen:
                continue
        elif kind is not dict:                      # not a record: scoring it says so
            continue
        try:
            network = question.get("network")
            if network and network.get("input_value") is not None and needs_judging(   # else rebuild_many skips it
                    question, g.submission.answers.get(qid, {}), g.submission.problems.get(qid, {})):
                if kind is SharedRecord:
                    seen.add(id(question))
                    shared.append(question)
                else:
                    wanted.append(i)
        except (AttributeError, KeyError, TypeError):       # a record broken by hand: scoring it says how
            pass
    out: list = [None] * len(work)
    records = [work[i][1][position][1] for i in wanted] + shared
    if len(records) > 1:
        found = rebuild_many(records)
        for i, results in zip(wanted, found):
            out[i] = results
        for question, results in zip(shared, found[len(wanted):]):
            if results is not None:
                question.derived["results"] = results
    return out


def _notes(g: Graded, questions: dict[str, Any]) -> list[str]:
    """Check a submission's answers (check_answers); its notes, with the answers to questions or
    parts the variant does not have, which are ignored (and counted), the others counted as
    answered. A question or part named but for its case (Q1.W2 for q1.w2, as a spreadsheet's
    header may have it) is read as the variant's, with a note, unless the variant's own name is
    answered too."""
    sub = g.submission
    check_answers(sub)
    notes = list(sub.notes)
    if not _counted(g, questions, notes):           # a name the variant does not have: rare
        renamed = _case_matched(sub, questions)
        if renamed:
            g.answered = g.ignored = 0
            notes = list(sub.notes) + renamed
            _counted(g, questions, notes)
    return notes


def _counted(g: Graded, questions: dict[str, Any], notes: list[str]) -> bool:
    """Count the submission's answered and ignored parts, noting the ignored; whether every
    question and part it names is the variant's."""
    known = True
    for qid, given in g.submission.answers.items():
        if qid not in questions:
            notes.append(f"ignored {brief(qid)}: no such question")
            g.ignored += sum(value is not None for value in given.values())
            known = False
            continue
        if given.keys() <= questions[qid]["parts"].keys():     # the usual case: nothing to ignore
            g.answered += len(given) - list(given.values()).count(None)     # None: blank, or unreadable
            continue
        for part in given:
            if part not in questions[qid]["parts"]:
                notes.append(f"ignored {brief(f'{qid}.{part}')}: no such part")
                g.ignored += given[part] is not None
                known = False
            else:
                g.answered += given[part] is not None
    return known


def _case_matched(sub: Submission, questions: dict[str, Any]) -> list[str]:
    """Answers to questions and parts that the variant has but for their case moved to the
    variant's names (with why they could not be read, for an unreadable one), where that name is
    not answered already; the notes that say so."""
    moves = []
    for qid, given in sub.answers.items():
        to_qid = qid if qid in questions else _but_for_case(questions, qid)
        if to_qid is None:
            continue
        parts = questions[to_qid]["parts"]
        for part in given:
            to_part = part if part in parts else _but_for_case(parts, part)
            if to_part is not None and (to_qid, to_part) != (qid, part):
                moves.append((qid, part, to_qid, to_part))
    notes = []
    for qid, part, to_qid, to_part in moves:
        if to_part in sub.answers.get(to_qid, {}):          # answered under the variant's name, or moved there
            continue
        for table in (sub.answers, sub.problems):
            if part in table.get(qid, {}):
                table.setdefault(to_qid, {})[to_part] = table[qid].pop(part)
                if not table[qid]:
                    del table[qid]
        notes.append(f"read {brief(f'{qid}.{part}')} as {to_qid}.{to_part}")
    return notes


def _but_for_case(names: Any, name: str) -> str | None:
    """The one of `names` that `name` is but for its case, if exactly one is."""
    folded = name.casefold()
    alike = [n for n in names if n.casefold() == folded]
    return alike[0] if len(alike) == 1 else None


def wrong_manifest(graded: list[Graded]) -> str | None:
    """A word for the instructor when most answers of a class were to questions or parts the manifest
    does not have: most likely the manifest of another assignment, and the class's low scores say
    nothing of what the students handed in."""
    counted = [g for g in graded if g.status == "ok"]
    answered, ignored = sum(g.answered for g in counted), sum(g.ignored for g in counted)
    if ignored <= answered:
        return None
    return (f"{ignored} of the class's {answered + ignored} answers were to questions or parts this manifest "
            "does not have: is --manifest the one of this assignment?")


def not_graded(manifest: dict[str, Any], graded: list[Graded]) -> list[tuple[str, str]]:
    """The students of the roster whom no submission that counts was from, in roster order, with
    their names: those who handed nothing in, and those whose only submission could not be graded.
    With versions or one variant the manifest knows no students, and the list is empty."""
    if mode_of(manifest) != "roster":
        return []
    counted = {g.submission.student_id for g in graded if g.status == "ok"}
    variants = manifest["variants"]
    student = variants.student if isinstance(variants, LazyVariants) else lambda v: variants[v].get("student")
    out = []
    for student_id in variants:
        if student_id not in counted:
            try:
                entry = student(student_id)
                name = (entry.get("name") if isinstance(entry, dict) else None) or ""    # an edit may leave no object
            except ManifestError:           # a record broken by hand: the id is what is left of it
                name = ""
            out.append((student_id, str(name)))
    return out


NOTES_SHOWN = 10


def summarized(notes: list[str]) -> str:
    """The notes of a submission in one line, the first few of a long list and how many more: a
    file with thousands of stray fields must not print a line of a megabyte."""
    if len(notes) <= NOTES_SHOWN:
        return "; ".join(notes)
    return "; ".join(notes[:NOTES_SHOWN]) + f"; and {len(notes) - NOTES_SHOWN:,} more notes like these"


def feedback_name(g: Graded) -> str:
    if g.student is not None and g.file:
        return g.file
    return safe_file_name(g.submission.student_id or "unknown")
