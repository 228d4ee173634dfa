"""The class report's numbers: score distribution, per-question difficulty and discrimination,
the most common wrong answers and misconceptions.

A wrong answer is counted with the answer it should have been: students of
different variants who typed the same number made different mistakes, and
students of the same variant who typed the same wrong number most often made
the same one.

Difficulty is the mean fraction of a question's points (1 = everyone right).
Discrimination is the point-biserial (Pearson) correlation between the
question's fraction and the rest of the score (total minus that question), so
a question does not correlate with itself; it is left out below 3 submissions
or when either side does not vary.
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.manifest import first_variant
from grader.misconceptions import NAMES
from problems import jsontext

BINS = 10
PLAIN_TAGS = {"correct", "partial", "wrong", "unanswered", "unreadable", "follow-through"}
CORRECT = ["correct"]


@dataclass
class QuestionStats:
    qid: str
    title: str
    family: str
    points: float
    difficulty: float | None
    discrimination: float | None
    wrong_answers: list[tuple[str, str, str, str, int]] = field(default_factory=list)   # part, expected, answer, tag, count
    misconceptions: list[tuple[str, str, int]] = field(default_factory=list)    # part, tag, count
    follow_through: int = 0


@dataclass
class PartStats:
    qid: str
    part: str
    points: float
    difficulty: float | None        # the class's points on the part over the points it could have had
    answered: float | None          # the fraction of the counted submissions that answered it
    follow_through: int


@dataclass
class ClassStats:
    count: int
    mean: float | None
    median: float | None
    histogram: list[int]            # counts per 10% bin, the last bin including 100%
    questions: list[QuestionStats]
    statuses: dict[str, int]
    parts: list[PartStats] = field(default_factory=list)


MICRO = 10 ** 6     # part scores are kept to 6 decimals: summed as whole millionths, chunks add up exactly


@dataclass
class Tally:
    """The report's counts over parts (wrong answers, misconceptions, follow-through, points), added up
    one counted submission at a time; the tallies of separate chunks of a class add up to the class's."""
    wrong: dict[str, Counter] = field(default_factory=dict)       # qid -> (part, expected, answer, tag) -> count
    tags: dict[str, Counter] = field(default_factory=dict)        # qid -> (part, tag) -> count
    # qid -> part -> [millionths of points earned, submissions that answered it, credited by follow-through]
    parts: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def add(self, g: Any) -> None:
        for qid, q in g.questions.items():
            row = self.parts.get(qid)
            if row is None:
                row = self.parts[qid] = {}
            for name, part in q["parts"].items():
                counts = row.get(name)
                if counts is None:
                    counts = row[name] = [0, 0, 0]
                counts[0] += round(part["score"] * MICRO)
                tags = part["tags"]
                if tags == CORRECT:             # most parts: answered, full marks, nothing else to count
                    counts[1] += 1
                    continue
                if part["given"] is None:
                    counts[1] += tags == ["unreadable"]          # an answer, though not one hw could read
                else:
                    counts[1] += 1
                    if part["score"] < part["max"]:
                        named = next((tag for tag in tags if tag not in PLAIN_TAGS), "")
                        wrong = self.wrong.get(qid)
                        if wrong is None:           # (setdefault would make a Counter for every wrong answer)
                            wrong = self.wrong[qid] = Counter()
                        wrong[(name, jsontext.ascii_text(part["expected"]), jsontext.ascii_text(part["given"]),
                               named)] += 1
                for tag in tags:
                    if tag == "follow-through":
                        counts[2] += 1
                    elif tag not in PLAIN_TAGS:
                        named_tags = self.tags.get(qid)
                        if named_tags is None:
                            named_tags = self.tags[qid] = Counter()
                        named_tags[(name, tag)] += 1

    def merge(self, other: "Tally") -> None:
        for mine, theirs in ((self.wrong, other.wrong), (self.tags, other.tags)):
            for qid, counts in theirs.items():
                mine.setdefault(qid, Counter()).update(counts)
        for qid, row in other.parts.items():
            mine = self.parts.setdefault(qid, {})
            for name, counts in row.items():
                mine[name] = [a + b for a, b in zip(mine.get(name, (0, 0, 0)), counts)]

    def of(self, qid: str, name: str) -> list[int]:
        """A part's [millionths earned, answered, follow-through]; zeros for a part nobody was counted on."""
        return self.parts.get(qid, {}).get(name, [0, 0, 0])


def median(values: np.ndarray) -> float:
    """np.median's value (the middle one, or the mean of the two in the middle), without the import
    of numpy.ma that np.median makes on its first call: 13 ms at the end of grading a class."""
    ordered, middle = np.sort(values), len(values) // 2
    return float(ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2)


def _correlation(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def class_stats(manifest: dict[str, Any], graded: list, tally: Tally | None = None) -> ClassStats:
    """The class's numbers; `tally` when the parts were counted as they were scored (then the
    submissions need their question scores only)."""
    counted = [g for g in graded if g.status == "ok"]
    if tally is None:
        tally = Tally()
        for g in counted:
            tally.add(g)
    statuses = Counter(g.status for g in graded)
    percents = np.array([100 * g.score / g.max for g in counted if g.max], dtype=float)
    bins = np.minimum((percents // (100 / BINS)).astype(int), BINS - 1)      # 100% in the last bin
    histogram = [int(n) for n in np.bincount(bins, minlength=BINS)]
    first = first_variant(manifest)["questions"]
    questions = []
    totals = np.array([g.score for g in counted], dtype=float)
    # one row per counted submission, one column per question: its scores, and their maximums
    shape, cells = (len(counted), len(first)), len(counted) * len(first)
    all_scores = np.fromiter((g.questions[qid]["score"] for g in counted for qid in first), float, cells).reshape(shape)
    all_tops = np.fromiter((g.questions[qid]["max"] for g in counted for qid in first), float, cells).reshape(shape)
    for column, (qid, q) in enumerate(first.items()):
        scores, tops = all_scores[:, column], all_tops[:, column]
        fractions = np.divide(scores, tops, out=np.zeros_like(scores), where=tops != 0)
        stats = QuestionStats(qid, q["title"], q["family"], q["points"],
                              float(fractions.mean()) if len(fractions) else None,
                              _correlation(fractions, totals - scores) if len(fractions) else None)
        wrong, tags = tally.wrong.get(qid, Counter()), tally.tags.get(qid, Counter())
        stats.follow_through = sum(tally.of(qid, name)[2] for name in q.get("parts", {}))
        stats.wrong_answers = [(*key, n) for key, n in heapq.nsmallest(5, wrong.items(), key=lambda kv: (-kv[1], kv[0]))]
        stats.misconceptions = [(p, t, n) for (p, t), n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))]
        questions.append(stats)
    n = len(counted)
    parts = []
    for qid, q in first.items():
        for name, part in q.get("parts", {}).items():
            earned, answered, carried = tally.of(qid, name)
            parts.append(PartStats(qid, name, part["points"],
                                   earned / (MICRO * part["points"] * n) if n and part["points"] else None,
                                   answered / n if n else None, carried))
    return ClassStats(n, float(percents.mean()) if len(percents) else None,
                      median(percents) if len(percents) else None, histogram, questions,
                      dict(sorted(statuses.items())), parts)


def histogram_svg(histogram: list[int], width: int = 480, height: int = 180) -> str:
    """Bars of the score distribution as inline SVG (no script, no external file)."""
    top = max(histogram) or 1
    bar = (width - 40) / len(histogram)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
             f'viewBox="0 0 {width} {height + 30}" role="img" aria-label="score histogram">']
    for i, count in enumerate(histogram):
        h = (height - 20) * count / top
        x = 30 + i * bar
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="#4a6fa5"/>')
        if count:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 4:.1f}" font-size="11" '
                         f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 16:.1f}" font-size="10" text-anchor="middle">'
                     f'{i * 10}–{(i + 1) * 10}%</text>')
    parts.append(f'<line x1="30" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#333"/></svg>')
    return "".join(parts)


def summary(g: Any) -> str:
    """One line of feedback for an LMS column: the score and the misconceptions seen, in words (a
    student reads this line in the LMS)."""
    names = []
    for qid, q in g.questions.items():
        for name, part in q["parts"].items():
            for tag in part["tags"]:
                if tag not in PLAIN_TAGS:
                    names.append(f"{qid}.{name}: {NAMES.get(tag, tag)}")
    text = f"{g.score:g}/{g.max:g}."
    return text + (" Misconceptions: " + "; ".join(names) + "." if names else "")
