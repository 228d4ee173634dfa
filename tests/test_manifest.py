"""Reading a manifest's variants for grading: questions drawn alike parsed once, and every line
parsed exactly as json.loads parses it, whatever an edit made of it."""
import json
import random

import pytest

from grader.manifest import ManifestError, SharedQuestions, load_manifest

QIDS = ["q1", "q2", "q3"]


def question(rnd: random.Random, qid: str) -> dict:
    return {"template": f"t-{qid}", "title": "Shapes → “quoted” }, \"q2\": {", "points": 2.0,
            "params": {"w": rnd.randint(1, 3), "x": [[rnd.randint(-1, 0) for _ in range(2)] for _ in range(1)]},
            "network": {"layers": [{"kind": "conv", "options": {"stride": 1}}]},
            "parts": {"a": {"points": 1.0, "answer": rnd.randint(0, 3)}, "b": {"points": 1.0, "answer": None}}}


def variant(rnd: random.Random, i: int) -> dict:
    return {"student": {"id": f"s{i}", "name": f"Student {i}", "lms": {}}, "version": None, "file": f"s{i}",
            "questions": {qid: question(rnd, qid) for qid in QIDS}}


def line(record: dict) -> bytes:
    """A variant's line as hw generate writes it."""
    return json.dumps(record, ensure_ascii=False).encode()


def test_every_line_parses_as_json_loads_does_and_questions_drawn_alike_are_one_record():
    rnd = random.Random(3)
    shared = SharedQuestions(QIDS)
    lines = [line(variant(rnd, i)) for i in range(600)]      # 48 instances per question: many repeats
    parsed = [shared.parse(text) for text in lines]
    assert all(p is not None for p in parsed)
    for text, record in zip(lines, parsed):
        assert record == json.loads(text)
        assert json.dumps(record) == json.dumps(json.loads(text))      # the same keys in the same order
    by_text: dict[str, list[dict]] = {}
    for record in parsed:
        for qid in QIDS:
            by_text.setdefault(json.dumps(record["questions"][qid]), []).append(record["questions"][qid])
    repeated = [records for records in by_text.values() if len(records) > 1]
    assert repeated
    assert all(all(r is records[0] for r in records) for records in repeated)


EDITS = {
    "a key named questions in the student's record": lambda r: r["student"]["lms"].update(
        {"questions": {"q1": {"x": 1}}}),
    "a question left out": lambda r: r["questions"].pop("q2"),
    "a question added": lambda r: r["questions"].update({"q4": {"parts": {}}}),
    "questions in another order": lambda r: r.update(questions={q: r["questions"][q] for q in ["q2", "q1", "q3"]}),
    "a key after the questions": lambda r: r.update(extra=1),
    "a question that is not an object": lambda r: r["questions"].update(q2=[1, 2]),
    "no questions": lambda r: r.update(questions={}),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_line_laid_out_otherwise_is_parsed_whole(edit):
    rnd = random.Random(4)
    shared = SharedQuestions(QIDS)
    for i in range(40):                                   # records kept, so pieces of an edited line may be known
        shared.parse(line(variant(rnd, i)))
    record = variant(random.Random(4), 0)
    EDITS[edit](record)
    result = shared.parse(line(record))
    assert result is None or result == json.loads(line(record))


def test_other_spacing_is_parsed_whole():
    record = variant(random.Random(5), 0)
    assert SharedQuestions(QIDS).parse(json.dumps(record, indent=1).encode()) is None
    assert SharedQuestions(QIDS).parse(json.dumps(record, separators=(",", ":")).encode()) is None


def write_manifest(path, records: list[dict]) -> None:
    lines = [f'    {json.dumps(f"s{i}")}: {json.dumps(r, ensure_ascii=False)}' for i, r in enumerate(records)]
    path.write_text('{\n  "hw_version": "0",\n  "assignment": {"title": "T"},\n  "variants": {\n'
                    + ",\n".join(lines) + "\n  }\n}\n", encoding="utf-8")


def test_the_manifest_gives_every_variant_as_json_loads_gives_it(tmp_path):
    rnd = random.Random(6)
    records = [variant(rnd, i) for i in range(300)]
    records[7]["student"]["lms"]["questions"] = {"q1": {"x": 1}}       # these two are parsed whole
    records[9]["questions"].pop("q3")
    write_manifest(tmp_path / "manifest.json", records)
    manifest = load_manifest(str(tmp_path / "manifest.json"))
    whole = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [manifest["variants"][f"s{i}"] for i in range(300)] == [whole["variants"][f"s{i}"] for i in range(300)]


def test_a_broken_piece_is_reported_with_its_line(tmp_path):
    rnd = random.Random(7)
    write_manifest(tmp_path / "manifest.json", [variant(rnd, i) for i in range(20)])
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8").splitlines()
    text[15] = text[15].replace('"q2": {"template"', '"q2": {"template" 1', 1)    # the variant s11
    (tmp_path / "manifest.json").write_text("\n".join(text) + "\n", encoding="utf-8")
    manifest = load_manifest(str(tmp_path / "manifest.json"))
    assert manifest["variants"]["s10"]["questions"]["q2"]["template"] == "t-q2"
    with pytest.raises(ManifestError) as caught:
        manifest["variants"]["s11"]
    assert caught.value.line == 16 and "s11" in str(caught.value)


def test_a_students_entry_is_read_off_the_line_as_the_whole_record_gives_it(tmp_path):
    from grader.manifest import STUDENT_READ

    rnd = random.Random(8)
    records = [variant(rnd, i) for i in range(12)]
    records[1]["student"]["name"] = 'Zoë “Z” }, "version": {'           # quotes and braces in a name
    for i, name in ((2, "a"), (3, "ab")):      # the read of one of them ends inside a 2-byte ë after its student
        records[i]["student"]["name"], records[i]["file"] = name, "ë" * STUDENT_READ
    records[4]["student"]["name"] = "ë" * STUDENT_READ                         # longer than the read
    records[5]["student"]["name"] = "y" * (2 * STUDENT_READ)
    records[6] = {"version": None, "student": {"id": "s6", "name": "Later"}, "questions": {}}   # another order
    records[7]["student"] = None
    records[8]["student"]["lms"] = {"canvas": {"id": 5, "section": "A"}}
    write_manifest(tmp_path / "manifest.json", records)
    whole = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["variants"]
    variants = load_manifest(str(tmp_path / "manifest.json"))["variants"]
    assert [variants.student(f"s{i}") for i in range(12)] == [whole[f"s{i}"]["student"] for i in range(12)]
    assert variants.student("s1")["name"] == 'Zoë “Z” }, "version": {'
    assert variants.student("s3")["name"] == "ab"
    assert "s2" not in variants._cache and "s3" not in variants._cache      # read off the line, not parsed whole


def test_a_students_name_is_read_even_where_the_rest_of_the_line_is_broken(tmp_path):
    write_manifest(tmp_path / "manifest.json", [variant(random.Random(9), i) for i in range(3)])
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8").replace('"q2": {"template"', '"q2": {"t" 1')
    (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    variants = load_manifest(str(tmp_path / "manifest.json"))["variants"]
    assert variants.student("s1") == {"id": "s1", "name": "Student 1", "lms": {}}
    with pytest.raises(ManifestError):
        variants["s1"]
