"""Questions drawn alike by several students are built once: the pages and the manifest must read
exactly as if every question were built on its own."""
import json

import numpy as np

from problems.assignment import DEFAULT_ASSIGNMENT, find_assignment
from problems.build import (Instances, Settler, VariantSpec, build_variant, first_draws, instance_key,
                            variant_record)
from templates.pages import page_texts
from templates.write import variant_json


def test_instance_key_tells_apart_what_a_page_shows_differently():
    # equal as numbers, written differently on a page
    assert instance_key({"s": 1}) != instance_key({"s": 1.0})
    assert instance_key({"s": 1}) != instance_key({"s": True})
    same_bytes = np.zeros(2, dtype=np.int64)
    assert instance_key({"x": same_bytes}) != instance_key({"x": np.zeros(2, dtype=np.float64)})
    assert instance_key({"x": np.zeros((2, 3))}) != instance_key({"x": np.zeros((3, 2))})
    assert instance_key({"x": np.arange(4)}) == instance_key({"x": np.arange(4)})
    assert instance_key({"a": 1, "b": 2}) != instance_key({"a": 2, "b": 1})


def _class(n: int):
    assignment = find_assignment(DEFAULT_ASSIGNMENT)
    ids = [f"s{i:03d}" for i in range(n)]
    settler = Settler(assignment, 7)
    draws = [settler.settle(vid, row) for vid, row in zip(ids, first_draws(assignment, 7, ids))]
    return assignment, [VariantSpec(i, i) for i in ids], draws


def _written(assignment, specs, draws, instances):
    out = []
    for spec, params in zip(specs, draws):
        v = build_variant(assignment, 7, spec, params, instances)
        record = (variant_json(v, instances) if instances is not None
                  else json.dumps(variant_record(v), ensure_ascii=False, separators=(", ", ": ")))
        out.append((record, *page_texts(assignment, v, "md", instances), *page_texts(assignment, v, "html", instances)))
    return out


def test_shared_questions_are_written_as_if_built_alone():
    # 200 students share many instances of the small questions (q1 has a few hundred in all)
    assignment, specs, draws = _class(200)
    alone = _written(assignment, specs, draws, None)
    instances = Instances()
    shared = _written(assignment, specs, draws, instances)
    assert len(instances.kept) > 50, "the class should share instances, or this test tests nothing"
    assert shared == alone


def test_dropping_kept_questions_changes_nothing():
    # a tiny limit: kept questions are dropped again and again, their ids free for new objects
    assignment, specs, draws = _class(80)
    alone = _written(assignment, specs, draws, None)
    assert _written(assignment, specs, draws, Instances(limit=3)) == alone


def test_a_question_drawn_once_is_not_kept():
    assignment, specs, draws = _class(2)
    instances = Instances()
    first = build_variant(assignment, 7, specs[0], draws[0], instances)
    assert instances.kept == {} and all(instances.of(q) is None for q in first.questions)
    again = build_variant(assignment, 7, specs[0], draws[0], instances)     # the same draws a second time
    assert len(instances.kept) == len(again.questions)
    assert all(instances.of(q) == {} for q in again.questions)
