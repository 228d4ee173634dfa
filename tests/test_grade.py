"""`hw grade` end to end: a class from its own templates and a Canvas roster, graded from a folder."""
import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Homework (99)\n"
    "    Points Possible,,,,,20\n"
    '"Doe, Jane",101,s001,jdoe,Sec 1,\n'
    '"Иванов, Пётр",102,s002,pivanov,Sec 1,\n'
    '"=HYPERLINK(""http://x"",""y"")",103,s003,evil,Sec 2,\n'
    '"Climber, Bob",104,../../up,bob,Sec 2,\n'
)

FORWARD = """\
id: forward
family: forward-pass
points: 10
params:
  x: {matrix: [4, 4], ints: [-3, 3]}
  w: {matrix: [2, 2], ints: [-1, 1]}
require:
  - "min(correlate(x, w, 2)) < 0"
  - "max(correlate(x, w, 2)) > 0"
network:
  input: x
  layers:
    - conv: {weights: w, stride: 2}
    - relu
    - maxpool: {size: 2, stride: 2}
ask:
  conv: {value: 1, points: 4}
  relu: {value: 2, points: 2}
  pool: {value: 3, points: 4}
statement: "$X$ = {{ x | matrix }}, $W$ = {{ w | matrix }}"
"""

SHAPES = """\
id: shapes
family: output-volume
points: 6
params:
  w1: {choice: [7, 9, 11]}
  s: {choice: [2, 3]}
  x: {matrix: [2, 3, 3], ints: [0, 2]}
network:
  input: {shape: [w1, w1, 3]}
  layers:
    - conv: {filters: 4, size: 3, stride: s}
ask:
  size: {size: 1, points: 2}
  volume: {shape: 1, points: 2}
  maps: {expr: "x", points: 2}
statement: "A {{ w1 }}x{{ w1 }} input, stride {{ s }}."
"""

ASSIGNMENT = """\
title: "Homework: conv"
problems:
  - template: ./forward.yaml
  - template: ./shapes.yaml
    points: 10
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "forward.yaml").write_text(FORWARD)
    (root / "shapes.yaml").write_text(SHAPES)
    (root / "hw.yaml").write_text(ASSIGNMENT)
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", "--assignment", str(root / "hw.yaml"), "--roster",
                                       str(root / "roster.csv"), "--seed", "11", "--out", str(root / "out"),
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    return root, manifest


def run_grade(root: Path, folder: str, *extra: str):
    return CliRunner().invoke(main, ["grade", str(root / folder), "--manifest", str(root / "out" / "manifest.json"),
                                     "--out", str(root / f"grades-{folder}"), *extra], catch_exceptions=False)


def answers(manifest, sid):
    return {qid: {p: part["answer"] for p, part in q["parts"].items()}
            for qid, q in manifest["variants"][sid]["questions"].items()}


def matrix_cell(m):
    return "; ".join(" ".join(str(v) for v in row) for row in m)


def csv_cell(value):
    if value == "invalid":
        return "invalid"
    if not isinstance(value, list):
        return str(value)
    if not isinstance(value[0], list):
        return "x".join(str(v) for v in value)          # a shape
    if not isinstance(value[0][0], list):
        return matrix_cell(value)
    return " | ".join(matrix_cell(m) for m in value)     # a volume


def grade_subs(root, tmp_path, files):
    """Write `files` (name -> text) into tmp_path/subs and grade them against the course's manifest into
    tmp_path/g: click's result and results.json's rows."""
    (tmp_path / "subs").mkdir()
    for name, text in files.items():
        (tmp_path / "subs" / name).write_text(text)
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(root / "out" / "manifest.json"),
                                       "--out", str(tmp_path / "g")], catch_exceptions=False)
    return result, json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]


def results_of(root, folder):
    return {(s["file"], s["row"]): s for s in json.loads((root / f"grades-{folder}" / "results.json").read_text())["submissions"]}


def test_correct_answers_in_json_and_every_csv_notation_get_full_marks(course):
    root, manifest = course
    folder = root / "right"
    folder.mkdir()
    sids = list(manifest["variants"])
    for sid in sids[:2]:
        (folder / f"{sid}.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    columns = ["q1.conv", "q1.relu", "q1.pool", "q2.size", "q2.volume", "q2.maps"]
    rows = []
    for sid in sids[2:]:
        a = answers(manifest, sid)
        rows.append([sid] + [csv_cell(a[c.split(".")[0]][c.split(".")[1]]) for c in columns])
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([["student_id"] + columns] + rows)
    (folder / "class.csv").write_text("\ufeff" + text.getvalue(), encoding="utf-8")
    result = run_grade(root, "right")
    assert result.exit_code == 0, result.output
    graded = results_of(root, "right")
    assert len(graded) == 4
    for s in graded.values():
        assert (s["status"], s["score"], s["max"]) == ("ok", 20, 20), s
    # the notations really were exercised: a shape, a matrix, a volume or 'invalid'
    cells = [c for r in rows for c in r[1:]]
    assert any("x" in c for c in cells) and any(";" in c for c in cells) and any("|" in c for c in cells)


def test_follow_through_earns_the_later_steps(course):
    root, manifest = course
    sid = "s001"
    q = manifest["variants"][sid]["questions"]["q1"]["parts"]
    conv = [row[:] for row in q["conv"]["answer"]]
    conv[0][0] = conv[0][0] + 10              # one of four cells wrong: 3 of 4 points
    relu = [[max(0, v) for v in row] for row in conv]
    pool = [[max(max(row) for row in relu)]]  # 2x2 max pooling of a 2x2 matrix
    a = answers(manifest, sid)
    a["q1"] = {"conv": conv, "relu": relu, "pool": pool}
    (root / "ft").mkdir()
    (root / "ft" / "a.json").write_text(json.dumps({"student_id": sid, "answers": a}))
    assert run_grade(root, "ft").exit_code == 0
    s = results_of(root, "ft")[("a.json", None)]
    parts = s["questions"]["q1"]["parts"]
    assert parts["conv"]["score"] == 3
    assert parts["relu"]["score"] == 2 and parts["relu"]["tags"] == ["follow-through"]
    assert "error carried forward" in parts["relu"]["feedback"]
    assert parts["pool"]["score"] == 4         # right, or right from the student's own ReLU output
    assert s["score"] == 19


def test_a_misconception_is_named_in_the_feedback_file(course):
    root, manifest = course
    sid = "s002"
    a = answers(manifest, sid)
    w = manifest["variants"][sid]["questions"]["q1"]["params"]["w"]
    x = manifest["variants"][sid]["questions"]["q1"]["params"]["x"]
    flipped = [[w[1][1], w[1][0]], [w[0][1], w[0][0]]]
    a["q1"]["conv"] = [[sum(x[2 * i + u][2 * j + v] * flipped[u][v] for u in range(2) for v in range(2))
                        for j in range(2)] for i in range(2)]
    (root / "mis").mkdir()
    (root / "mis" / "a.json").write_text(json.dumps({"student_id": sid, "answers": a}))
    assert run_grade(root, "mis").exit_code == 0
    part = results_of(root, "mis")[("a.json", None)]["questions"]["q1"]["parts"]["conv"]
    if a["q1"]["conv"] == part["expected"]:
        pytest.skip("this variant's filter is symmetric under rotation")
    assert "flipped-kernel" in part["tags"]
    feedback = next((root / "grades-mis" / "feedback").glob("*.md")).read_text()
    assert "Misconception: flipped the kernel" in feedback


HOSTILE = {
    "bad.json": ('{"student_id": "s001", ', "error", "invalid JSON at line 1, column 24: Expecting property name"),
    "empty.json": ("", "error", "the file is empty"),
    "junk.json": (bytes(range(256)), "error", "not a text file (binary data)"),
    "deep.json": ('{"student_id": "s001", "answers": ' + "[" * 50000 + "]" * 50000 + "}", "error",
                  "invalid JSON: nested too deeply"),
    "huge.json": ('{"x": "' + "a" * 1_100_000 + '"}', "error", "the file is larger than 1024 KiB; refused without reading it"),
    "nan.json": ('{"student_id": "s001", "answers": {"q2": {"size": NaN}}}', "error",
                 "invalid JSON: NaN is not allowed in JSON"),
    "list.json": ('[1, 2]', "error", "expected a JSON object with student_id and answers"),
    "noid.json": ('{"answers": {}}', "error", "no student_id"),
    "types.json": ('{"student_id": "s002", "answers": []}', "error", "answers must be an object of questions"),
    "stranger.json": ('{"student_id": "zz9", "answers": {}}', "unknown-student", "student 'zz9' is not in the roster"),
    "climber.json": ('{"student_id": "../../../etc/x", "answers": {}}', "unknown-student",
                     "student '../../../etc/x' is not in the roster"),
    "notes.txt": ("hello", "error", "not a submission: expected a .json or .csv file"),
    "lone.json": ('{"student_id": "s001", "answers": {"q1": {"conv": "\\ud800"}}}', "error",
                  "invalid JSON at line 1, column 52: \\ud800 is half of a UTF-16 surrogate pair, not a character"),
    "ghost.json": ('{"student_id": "s\\udc01", "answers": {}}', "error",
                   "invalid JSON at line 1, column 18: \\udc01 is half of a UTF-16 surrogate pair, not a character"),
    "escape.json": ('{"student_id": "s\\u001b[2J", "answers": {}}', "error",
                    "the student_id 's\\x1b[2J' holds control characters"),
    "excel.csv": ("student_id,q1.conv\ns001,1\n".encode("utf-16"), "error",
                  'UTF-16 text: save the file as UTF-8 (in Excel: "CSV UTF-8")'),
    "workbook.csv": (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "error",
                     'a spreadsheet workbook (.xlsx or .xls), not text: save it as CSV (in Excel: "CSV UTF-8")'),
    "grades.xlsx": (b"PK\x03\x04\x14\x00", "error",
                    'not a submission: a spreadsheet workbook; save it as CSV (in Excel: "CSV UTF-8") and grade that'),
}


def test_an_id_a_keystroke_from_the_roster_s_gets_a_did_you_mean_for_the_first_twenty(course, tmp_path):
    root, _ = course       # the roster's ids: s001, s002, s003, ../../up
    files = {"typo.json": '{"student_id": "s0O1", "answers": {}}',          # O for 0: one keystroke
             "short.json": '{"student_id": "s01", "answers": {}}',          # one left out
             "far.json": '{"student_id": "x9", "answers": {}}'}
    files.update({f"z{i:02d}.json": '{"student_id": "s0O2", "answers": {}}' for i in range(25)})
    result, rows = grade_subs(root, tmp_path, files)
    assert result.exit_code == 1
    by_file = {r["file"]: r["message"] for r in rows}
    assert by_file["typo.json"] == "student 's0O1' is not in the roster; did you mean 's001'?"
    assert by_file["short.json"] == "student 's01' is not in the roster; did you mean 's001'?"
    assert by_file["far.json"] == "student 'x9' is not in the roster"
    suggested = [r["message"].endswith("did you mean 's002'?") for r in rows if r["file"].startswith("z")]
    assert sum(suggested) == 20 - 3 and not any(suggested[17:])       # far, short and typo were read first


def test_hostile_files_are_each_reported_and_stop_nothing(course):
    root, manifest = course
    folder = root / "hostile"
    folder.mkdir()
    for name, (content, _, _) in HOSTILE.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    a = answers(manifest, "s003")
    a["q2"]["size"] = {"not": "a number"}
    a["q9"] = {"x": 1}
    a["q1"]["nope"] = 1
    (folder / "odd.json").write_text(json.dumps({"student_id": "s003", "answers": a}))
    (folder / "zz-good.json").write_text(json.dumps({"student_id": "s001", "answers": answers(manifest, "s001")}))
    (folder / "a-early.json").write_text(json.dumps({"student_id": "s001", "answers": {}}))
    try:            # a name whose bytes are not UTF-8 (Python holds them as lone surrogates)
        (folder / os.fsdecode(b"\xffname.json")).write_text(json.dumps({"student_id": "s002", "answers": {}}))
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    result = run_grade(root, "hostile")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    graded = results_of(root, "hostile")
    for name, (_, status, message) in HOSTILE.items():
        assert graded[(name, None)]["status"] == status, name
        assert graded[(name, None)]["message"].startswith(message), (name, graded[(name, None)]["message"])
        assert f"Error: {name}: {graded[(name, None)]['message']}" in result.stderr
    odd = graded[("odd.json", None)]
    assert odd["status"] == "ok"
    assert odd["message"] == "ignored q1.nope: no such part; ignored q9: no such question"
    assert odd["questions"]["q2"]["parts"]["size"]["tags"] == ["unreadable"]
    assert odd["score"] == pytest.approx(20 - 10 / 3, abs=1e-4)   # q2 is worth 10: three parts of 10/3
    assert graded[("zz-good.json", None)]["status"] == "ok" and graded[("zz-good.json", None)]["score"] == 20
    assert graded[("a-early.json", None)]["status"] == "duplicate"
    blank = graded[("a-early.json", None)]["questions"].values()          # scores stay numbers of one kind
    assert blank and all(type(q["score"]) is float and q["score"] == 0 for q in blank)
    assert graded[("a-early.json", None)]["message"] == "another submission of 's001' counts: zz-good.json"
    assert graded[("\ufffdname.json", None)]["status"] == "ok"       # its bytes shown as the replacement character
    names = sorted(p.name for p in (root / "grades-hostile" / "feedback").iterdir())
    assert all(".." not in n and "/" not in n for n in names)
    assert not (root / "etc").exists()


def test_decimal_comma_in_a_csv_cell_is_an_error_not_a_five(course):
    root, manifest = course
    (root / "comma").mkdir()
    (root / "comma" / "c.csv").write_text('student_id;q2.size\ns001;"2,5"\n')
    assert run_grade(root, "comma").exit_code == 0
    part = results_of(root, "comma")[("c.csv", 2)]["questions"]["q2"]["parts"]["size"]
    assert part["given"] is None and part["score"] == 0
    assert part["feedback"] == "Could not read your answer: '2,5' uses a decimal comma; write '2.5'."


@pytest.mark.parametrize("cell, message", [
    ("12,544", "'12,544' has a comma: write '12544' if it separates thousands (no separators) or '12.544' for a "
               "decimal point"),
    ("1,000,000", "'1,000,000' has a comma: write '1000000' if it separates thousands (no separators)"),
])
def test_a_comma_that_may_separate_thousands_is_named_both_ways(course, tmp_path, cell, message):
    """A parameter count typed as 12,544 is no decimal: the message must not tell the student to
    write twelve and a half thousandths, and hw does not guess (a decimal comma is read as no number)."""
    root, manifest = course
    folder = tmp_path / "commas"
    folder.mkdir()
    (folder / "c.csv").write_text(f'student_id,q2.size\ns001,"{cell}"\n')
    result = CliRunner().invoke(main, ["grade", str(folder), "--manifest", str(root / "out" / "manifest.json"),
                                       "--out", str(tmp_path / "g")])
    assert result.exit_code == 0
    submission = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"][0]
    part = submission["questions"]["q2"]["parts"]["size"]
    assert part["given"] is None and part["score"] == 0
    assert part["feedback"] == f"Could not read your answer: {message}."


@pytest.mark.parametrize("cell, message", [
    ("32,32,6", "'32,32,6' has commas between numbers: write 32x32x6, [32, 32, 6] or 32 32 6 (a row of a matrix; "
                "rows apart with ';')"),
    ("32, 32, 6", "'32, 32, 6' has commas between numbers: write 32x32x6, [32, 32, 6] or 32 32 6 (a row of a "
                  "matrix; rows apart with ';')"),
    ("1,-2; 3,1", "'1,-2' has commas between numbers: write [1, -2] or 1 -2 (a row of a matrix; rows apart with "
                  "';')"),
    ("+3,4,5", "'+3,4,5' has commas between numbers: write 3x4x5, [3, 4, 5] or 3 4 5 (a row of a matrix; rows "
               "apart with ';')"),
])
def test_numbers_with_commas_between_are_told_the_notations_they_may_have_meant(cell, message):
    """A shape or a row typed with commas is not read as one number, nor guessed at (a comma may be a
    decimal one): the message writes the student's own numbers in the notations a cell takes."""
    from grader.answers import AnswerError, parse_cell

    with pytest.raises(AnswerError) as error:
        parse_cell(cell)
    assert str(error.value) == message


def test_a_shape_written_as_python_prints_one_is_read_as_a_list():
    from grader.answers import parse_cell

    assert parse_cell("(32, 32, 6)") == [32, 32, 6]
    assert parse_cell("(10,)") == [10]                       # a one-number tuple, as Python writes it
    assert parse_cell("((1, -2), (3, 1))") == [[1, -2], [3, 1]]


def test_canvas_gradebook_imports_as_it_is(course):
    root, manifest = course
    folder = root / "canvas"
    folder.mkdir()
    for sid in manifest["variants"]:
        (folder / f"{abs(hash(sid))}.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    assert run_grade(root, "canvas", "--lms", "canvas").exit_code == 0
    rows = list(csv.reader(io.StringIO((root / "grades-canvas" / "gradebook.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework: conv"]
    assert rows[1] == ["Points Possible", "", "", "", "", "20"]
    assert [r[2] for r in rows[2:]] == ["s001", "s002", "s003", "../../up"]
    assert rows[4][0] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows[2][:5] == ["Doe, Jane", "101", "s001", "jdoe", "Sec 1"]
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)
        assert row[5] == "20"


def test_moodle_gradebook_uses_the_rosters_identifier(course, tmp_path):
    root, manifest = course
    (root / "moodle").mkdir()
    (root / "moodle" / "a.json").write_text(json.dumps({"student_id": "s001", "answers": answers(manifest, "s001")}))
    assert run_grade(root, "moodle", "--lms", "moodle").exit_code == 0
    rows = list(csv.reader(io.StringIO((root / "grades-moodle" / "gradebook.csv").read_text())))
    assert rows[0] == ["ID number", "Homework: conv", "Feedback"]
    assert rows[1][:2] == ["s001", "20"]


def test_moodle_feedback_names_the_misconceptions_in_words(course, tmp_path):
    root, manifest = course
    given = answers(manifest, "s001")
    params = manifest["variants"]["s001"]["questions"]["q2"]["params"]
    given["q2"]["size"] = (params["w1"] - 3) // params["s"]        # (W1 - F)/S without the +1, by hand
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text(json.dumps({"student_id": "s001", "answers": given}))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(root / "out" / "manifest.json"),
                                       "--out", str(tmp_path / "g"), "--lms", "moodle"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "g" / "gradebook.csv").read_text())))
    assert rows[1][2].endswith(". Misconceptions: q2.size: forgot the +1."), rows[1]


def test_grading_twice_gives_identical_files(course):
    root, manifest = course
    run_grade(root, "hostile")
    first = {p.relative_to(root): p.read_bytes() for p in (root / "grades-hostile").rglob("*") if p.is_file()}
    run_grade(root, "hostile")
    second = {p.relative_to(root): p.read_bytes() for p in (root / "grades-hostile").rglob("*") if p.is_file()}
    assert first == second


def test_report_has_histogram_and_question_statistics(course):
    root, manifest = course
    html = (root / "grades-hostile" / "report.html").read_text()
    assert "<svg" in html and "score histogram" in html
    assert "difficulty" in html and "discrimination" in html
    assert "<script" not in html


def test_missing_manifest_is_reported(tmp_path):
    (tmp_path / "subs").mkdir()
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.json'}: no manifest here: run hw generate first, or give --manifest\n"


def test_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "nothing")])
    assert result.exit_code == 2


def test_grading_in_parallel_gives_the_same_files(course):
    root, manifest = course
    CliRunner().invoke(main, ["grade", str(root / "hostile"), "--manifest", str(root / "out" / "manifest.json"),
                              "--out", str(root / "g1"), "--jobs", "1"])
    CliRunner().invoke(main, ["grade", str(root / "hostile"), "--manifest", str(root / "out" / "manifest.json"),
                              "--out", str(root / "g2"), "--jobs", "2"])
    one = {p.relative_to(root / "g1"): p.read_bytes() for p in (root / "g1").rglob("*") if p.is_file()}
    two = {p.relative_to(root / "g2"): p.read_bytes() for p in (root / "g2").rglob("*") if p.is_file()}
    assert one and one == two


def test_a_hand_edited_manifest_is_read_whole(course, tmp_path):
    # pretty-printed differently from what generate writes: grading still works
    root, manifest = course
    edited = tmp_path / "manifest.json"
    edited.write_text(json.dumps(manifest, indent=4))
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text(json.dumps({"student_id": "s001", "answers": answers(manifest, "s001")}))
    for name, path in (("edited", edited), ("written", root / "out" / "manifest.json")):
        result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(path),
                                           "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "edited" / "results.json").read_bytes() == (tmp_path / "written" / "results.json").read_bytes()


def test_feedback_pages_escape_what_a_submission_holds(course):
    """A student's text reaches the feedback page as text, never as markup."""
    root, manifest = course
    folder = root / "markup"
    folder.mkdir()
    given = answers(manifest, "s001")
    given["q1"]["conv"] = [["<img src=x onerror=alert(1)>", 1], [2, 3]]
    given["q2"]["size"] = "<b>7</b>"
    (folder / "s001.json").write_text(json.dumps({"student_id": "s001", "answers": given}))
    run_grade(root, "markup")
    html = (root / "grades-markup" / "feedback" / "s001.html").read_text()
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img" in html or "&lt;b&gt;" in html
    assert html.count('<div class="solution') == 6
    md = (root / "grades-markup" / "feedback" / "s001.md").read_text()
    assert md.startswith("# Homework: conv: feedback\n\n**Student:** Doe, Jane (s001)  \n")


def test_a_wrong_matrix_is_shown_beside_the_expected_one_with_its_wrong_entries_marked(course, tmp_path):
    root, manifest = course
    given = answers(manifest, "s002")
    conv = given["q1"]["conv"]
    wrong = [row[:] for row in conv]
    wrong[1][0] += 7                                  # one entry off: row 2, column 1
    given["q1"]["conv"] = wrong
    given["q1"]["pool"] = [[1, 2, 3]]                 # 1x1 expected: a wrong shape stays as text
    result, rows = grade_subs(root, tmp_path, {"s002.json": json.dumps({"student_id": "s002", "answers": given})})
    assert result.exit_code == 0
    html = (tmp_path / "g" / "feedback" / "s002.html").read_text()
    assert html.count('class="final compare"') == 1
    assert html.count('<span class="cell off">') == 1
    assert f'<span class="cell off">{wrong[1][0]}</span>' in html
    grids = html.split('class="final compare"')[1].split("</p>")[0]
    assert grids.count('<span class="matrix">') == 2          # the answer given, and the expected one
    assert "Your answer: <code>[[1, 2, 3]]</code>" in html
    assert html.count("Your answer: <code>") == 5              # the other five parts as text


def test_a_partly_right_matrix_names_its_wrong_entries():
    from grader.score import compare

    part = {"query": "value", "tolerance": 1e-6}
    key = [[1, 2], [3, 4]]
    assert compare(key, [[1, 2], [3, 5]], part) == (
        0.75, "3 of 4 entries are right; wrong: row 2, column 2 (expected 4, got 5).")
    assert compare(key, [[0, 2], [3, 5]], part) == (
        0.5, "2 of 4 entries are right; wrong: row 1, column 1 (expected 1, got 0) and row 2, column 2 "
             "(expected 4, got 5).")
    assert compare(key, [[0, 0], [3, 5]], part) == (
        0.25, "1 of 4 entries are right; wrong: row 1, column 1 (expected 1, got 0), row 1, column 2 "
              "(expected 2, got 0) and row 2, column 2 (expected 4, got 5).")
    assert compare(key, [[0, 0], [0, 0]], part) == (
        0.0, "0 of 4 entries are right; the first wrong: row 1, column 1 (expected 1, got 0), and 3 more.")
    assert compare([[[1, 2]], [[3, 4]]], [[[1, 2]], [[3, 0]]], part) == (
        0.75, "3 of 4 entries are right; wrong: map 2, row 1, column 2 (expected 4, got 0).")
    assert compare(key, [[1, 2], [3, 5]], {**part, "all_or_nothing": True}) == (
        0.0, "3 of 4 entries are right; wrong: row 2, column 2 (expected 4, got 5). This part is all or nothing.")


def test_whole_number_lists_are_judged_as_their_arrays_are():
    # compare() judges two lists of whole numbers on the lists; the same answer written with floats
    # (3.0) takes the array path, which is the oracle: the same fraction and the same words (and
    # the same wrong entries for the worked feedback)
    import random

    from grader.score import _wrong_cells, compare

    rnd = random.Random(11)

    def floats(value):
        return [floats(v) for v in value] if isinstance(value, list) else float(value)

    def grid(shape):
        return [grid(shape[1:]) for _ in range(shape[0])] if shape else rnd.randint(-3, 3)

    shapes = [(1,), (3,), (1, 1), (2, 3), (3, 3), (1, 2, 2), (2, 2, 2), (3, 1, 4)]
    checked = 0
    for _ in range(400):
        expected = grid(rnd.choice(shapes))
        given = grid(rnd.choice(shapes)) if rnd.random() < 0.3 else json.loads(json.dumps(expected))
        for _ in range(rnd.randint(0, 5)):                                # slips in a few entries
            at = given
            while isinstance(at[0], list):
                at = at[rnd.randrange(len(at))]
            at[rnd.randrange(len(at))] += rnd.choice([-1, 1])
        if rnd.random() < 0.1 and isinstance(given[0], list):
            given[0] = given[0][:-1] or [1, 2]                            # ragged
        if rnd.random() < 0.2:
            given = [given]                                               # a 1-map volume for a matrix, say
        for query in ("value", "shape"):
            part = {"query": query, "tolerance": 1e-6, "all_or_nothing": rnd.random() < 0.2}
            assert compare(expected, given, part) == compare(expected, floats(given), part), (expected, given)
            checked += 1
        # the wrong entries the feedback works out, found the same two ways
        assert _wrong_cells(expected, given, part) == _wrong_cells(expected, floats(given), part), (expected, given)
    assert checked == 800


def test_a_matrix_for_a_one_map_volume_is_the_same_answer_both_ways():
    # a conv whose weights are written K x C x F x F with K = C = 1 answers a 1-map volume; by hand,
    # x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] with w = [[1, 0], [0, 1]] gives x[i][j] + x[i+1][j+1]
    from grader.score import compare, right_cells

    part = {"query": "value", "tolerance": 1e-6}
    volume, matrix = [[[6, 8], [12, 14]]], [[6, 8], [12, 14]]
    assert compare(volume, matrix, part) == (1.0, "Correct.")
    assert compare(matrix, volume, part) == (1.0, "Correct.")
    assert compare(volume, [[6, 8], [12, 15]], part) == (
        0.75, "3 of 4 entries are right; wrong: row 2, column 2 (expected 14, got 15).")
    assert compare(volume, [[6, 8, 1]], part) == (0.0, "Wrong shape: expected a 2×2 matrix, got a 1×3 matrix.")
    assert compare([[[6, 8]], [[1, 2]]], [[6, 8, 1]], part)[1] == (
        "Wrong shape: expected 2 maps of 1×2, got a 1×3 matrix.")
    assert right_cells(volume, [[6, 8], [12, 15]], 1e-6)[1].tolist() == [[True, True], [True, False]]


def test_an_empty_list_and_a_one_number_shape_are_named_in_plain_words():
    from grader.score import compare

    value = {"query": "value", "tolerance": 1e-6}
    shape = {"query": "shape", "tolerance": 1e-6}
    assert compare([[3, 0], [0, 7]], [], value) == (0.0, "Wrong shape: expected a 2×2 matrix, got an empty list.")
    assert compare([[3, 0], [0, 7]], [[]], value) == (0.0, "Wrong shape: expected a 2×2 matrix, got an empty list.")
    assert compare(0, [[]], value) == (0.0, "Expected a number, got an empty list.")
    assert compare([[5]], [], value) == (0.0, "Wrong shape: expected a 1×1 matrix, got an empty list.")
    assert compare([1568], [[]], shape) == (0.0, "Expected 1 number (the shape), got 0.")
    assert compare([128, 2048], [], shape) == (0.0, "Expected 2 numbers (the shape), got 0.")
    assert compare([16, 16, 32], [16, 16], shape) == (0.0, "Expected 3 numbers (W×H×C), got 2.")


def test_decimals_accept_an_answer_rounded_by_hand():
    from grader.score import compare

    seven_thirds = 2.3333333333                 # 7/3 as the manifest holds it
    part = {"query": "expr", "tolerance": 1e-6}
    rounded = {**part, "decimals": 2}           # |given - 7/3| <= 0.005
    assert compare(seven_thirds, 2.33, part) == (0.0, "Wrong: the answer is 2.3333333333.")   # the default
    assert compare(seven_thirds, 2.33, rounded) == (1.0, "Correct.")
    assert compare(seven_thirds, 2.335, rounded) == (1.0, "Correct.")
    assert compare(seven_thirds, 2.34, rounded)[0] == 0.0                   # 0.0067 away
    assert compare(seven_thirds, 2.3, rounded)[0] == 0.0
    assert compare([[seven_thirds, 0.25]], [[2.33, 0.25]], rounded) == (1.0, "Correct.")
    assert compare([[seven_thirds, 0.25]], [[2.3, 0.25]], rounded)[0] == 0.5
    assert compare(2, 2.004, rounded)[0] == 0.0                             # a whole number stays exact
    assert compare(2.5, 3, {**part, "decimals": 0}) == (1.0, "Correct.")  # 2.5 to no decimals: 3 or 2
    assert compare(2.5, 2, {**part, "decimals": 0}) == (1.0, "Correct.")
    assert compare(2.5, 3.6, {**part, "decimals": 0})[0] == 0.0


def test_decimals_go_into_the_manifest_only_when_a_part_has_them(hw, write, tmp_path):
    write("t.yaml", """\
        id: avg
        family: pooling
        ask:
          third: {expr: "7 / 3", decimals: 2}
          half: {expr: "1 / 2"}
        statement: Divide.
        """)
    write("a.yaml", "title: A\nproblems:\n  - template: ./t.yaml\n")
    assert hw("generate", "--assignment", "a.yaml", "--format", "md").exit_code == 0
    parts = json.loads((tmp_path / "out" / "manifest.json").read_text())["variants"]["default"]["questions"]["q1"]["parts"]
    assert parts["third"]["decimals"] == 2 and "decimals" not in parts["half"]
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text('{"student_id": "default", "answers": {"q1": {"third": 2.33, "half": 0.5}}}')
    assert hw("grade", "subs").exit_code == 0
    graded = json.loads((tmp_path / "grades" / "results.json").read_text())["submissions"][0]
    assert graded["score"] == graded["max"] == 2


def test_right_cells_judges_entries_as_scoring_does():
    from grader.score import right_cells

    shown, right = right_cells([[1, 2], [3, 4]], [[1, 2], [3, 5]], 1e-6)
    assert shown.tolist() == [[1, 2], [3, 5]] and right.tolist() == [[True, True], [True, False]]
    shown, right = right_cells([[1, 2]], [[[1, 0]]], 1e-6)            # a 1-map volume for a matrix
    assert shown.tolist() == [[1, 0]] and right.tolist() == [[True, False]]
    # 0.5 within 1e-6 relative: |0.5000004 - 0.5| = 4e-7 <= 1e-9 + 5e-7; 0.5000006 is not
    assert right_cells([[0.5, 1.5]], [[0.5000004, 1.5000006]], 1e-6)[1].tolist() == [[True, True]]
    assert right_cells([[0.5, 1.5]], [[0.5000006, 1.5]], 1e-6)[1].tolist() == [[False, True]]
    assert right_cells([[1, 2]], [[1, 2, 3]], 1e-6) is None             # another shape
    assert right_cells([[1, 2]], [1, [2]], 1e-6) is None                # not an array
    assert right_cells([1, 2], [1, 3], 1e-6) is None                    # a vector: one line of text is enough


def test_an_int_grid_is_a_rectangular_list_of_python_ints_only():
    from grader.score import int_grid

    assert int_grid([[1, 2], [3, 4]]) == ((2, 2), [1, 2, 3, 4])
    assert int_grid([[[5]], [[6]]]) == ((2, 1, 1), [5, 6])
    assert int_grid([]) == ((0,), [])
    for other in ([[1, 2], [3]], [[1, 2], 3], [1, [2]], [[1.0, 2]], [[True, 2]], [["1", 2]], 3, "1 2", None):
        assert int_grid(other) is None, other


def test_wrong_whole_matrices_are_drawn_from_the_lists_as_from_their_arrays():
    # a page draws a wrong matrix of whole numbers from the lists (whole_cells, marked_lists_html);
    # right_cells and marked_matrix_html, on arrays, are the oracle: the same cells, the same marks,
    # the same markup, for matrices, volumes, 1-map volumes beside matrices, other shapes, ragged lists
    import random

    import numpy as np

    from grader.score import right_cells, whole_cells
    from templates.notation import marked_lists_html, marked_matrix_html

    rnd = random.Random(12)

    def grid(shape):
        return [grid(shape[1:]) for _ in range(shape[0])] if shape else rnd.randint(-12, 12)

    shapes = [(1,), (3,), (1, 1), (2, 3), (3, 3), (1, 2, 2), (2, 2, 2), (3, 1, 4), (1, 1, 2, 2)]
    drawn = 0
    for _ in range(600):
        expected = grid(rnd.choice(shapes))
        given = grid(rnd.choice(shapes)) if rnd.random() < 0.3 else json.loads(json.dumps(expected))
        for _ in range(rnd.randint(0, 4)):
            at = given
            while isinstance(at[0], list):
                at = at[rnd.randrange(len(at))]
            at[rnd.randrange(len(at))] += rnd.choice([-1, 1, 10])
        if rnd.random() < 0.1 and isinstance(given[0], list):
            given[0] = given[0][:-1] or [1, 2]                            # ragged
        if rnd.random() < 0.2:
            given = [given]
        judged, listed = right_cells(expected, given, 1e-6), whole_cells(expected, given)
        if judged is None or judged[0].ndim not in (2, 3):
            assert listed is None, (expected, given)
            continue
        assert listed is not None, (expected, given)
        assert listed[0] == judged[0].tolist() and listed[1] == judged[1].tolist(), (expected, given)
        assert marked_lists_html(*listed) == marked_matrix_html(*judged), (expected, given)
        if np.ndim(expected) in (2, 3):
            assert marked_lists_html(expected) == marked_matrix_html(np.asarray(expected)), expected
        drawn += 1
    assert drawn > 150


def test_a_class_graded_in_chunks_by_two_workers_gives_the_files_of_one_process(course, tmp_path):
    """250 students: three chunks, so the workers, the tallies they send back and their merging are exercised."""
    root, _ = course
    (tmp_path / "roster.csv").write_text("student_id,name\n" + "".join(f"p{i:03d},P {i}\n" for i in range(250)))
    assert CliRunner().invoke(main, ["generate", "--assignment", str(root / "hw.yaml"), "--roster",
                                     str(tmp_path / "roster.csv"), "--seed", "3", "--out", str(tmp_path / "out"),
                                     "--format", "md"]).exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    subs = tmp_path / "subs"
    subs.mkdir()
    for i, sid in enumerate(manifest["variants"]):
        given = answers(manifest, sid)
        if i % 3 == 0:
            given["q1"]["conv"] = [[v + 1 for v in row] for row in given["q1"]["conv"]]   # relu, pool follow through
        if i % 5 == 0:
            given["q2"]["size"] = given["q2"]["size"] + 1 if given["q2"]["size"] != "invalid" else 3
        if i % 7 == 1:              # right, but not written as the key is: results show what was written
            given["q1"]["relu"] = [[float(v) for v in row] for row in given["q1"]["relu"]]
        (subs / f"{sid}.json").write_text(json.dumps({"student_id": sid, "answers": given}))
    # laid out otherwise, the manifest is parsed whole: no question record shared between students
    (tmp_path / "whole.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    files = {}
    for jobs, path in (("1", tmp_path / "out" / "manifest.json"), ("2", tmp_path / "out" / "manifest.json"),
                       ("whole", tmp_path / "whole.json")):
        result = CliRunner().invoke(main, ["grade", str(subs), "--manifest", str(path), "--out", str(tmp_path / jobs),
                                           "--lms", "moodle", "--jobs", "1" if jobs == "whole" else jobs])
        assert result.exit_code == 0, result.output
        files[jobs] = {p.relative_to(tmp_path / jobs): p.read_bytes() for p in (tmp_path / jobs).rglob("*")
                       if p.is_file()}
    assert len(files["1"]) == 2 * 250 + 3 and files["1"] == files["2"] == files["whole"]
    assert b'"given": [[' + str(float(manifest["variants"]["p001"]["questions"]["q1"]["parts"]["relu"]["answer"][0][0])
                           ).encode() in files["2"][Path("results.json")]
    report = files["2"][Path("report.html")].decode()
    assert "follow" in report.lower()


def test_the_report_s_median_is_numpy_s():
    import numpy as np

    from grader.report import median

    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 4, 5, 100, 101):
        for values in (rng.uniform(0, 100, n), rng.integers(0, 5, n) * 12.5, np.full(n, 100 / 3)):
            assert median(values) == float(np.median(values)), values
    assert median(np.array([10.0, 20.0, 0.0, 5.0])) == 7.5          # by hand: 5 and 10 in the middle


def test_tallies_of_chunks_add_up_to_the_tally_of_the_class():
    from types import SimpleNamespace

    from grader.report import Tally

    def sub(conv_given, conv_score, tags):
        return SimpleNamespace(questions={"q1": {"score": 0, "max": 4, "parts": {
            "conv": {"score": conv_score, "max": 4, "expected": [[3]], "given": conv_given, "tags": tags},
            "relu": {"score": 2, "max": 2, "expected": [[3]], "given": [[1]], "tags": ["follow-through"]}}}})

    subs = [sub([[1, 2]], 0, ["wrong", "flipped-kernel"]), sub([[1, 2]], 0, ["wrong", "flipped-kernel"]),
            sub(None, 0, ["unanswered"]), sub([[3]], 4, ["correct"])]
    whole, first, second = Tally(), Tally(), Tally()
    for s in subs:
        whole.add(s)
    for s in subs[:1]:
        first.add(s)
    for s in subs[1:]:
        second.add(s)
    first.merge(second)
    assert first == whole
    assert whole.wrong == {"q1": {("conv", "[[3]]", "[[1, 2]]", "flipped-kernel"): 2}}   # by hand: two wrong, one blank, one right
    assert whole.tags == {"q1": {("conv", "flipped-kernel"): 2}}
    assert whole.parts["q1"]["relu"][2] == 4 and whole.parts["q1"]["conv"][1] == 3    # 4 carried; 3 answered


def _edited_manifest(root, tmp_path, edit):
    """The course's manifest with one variant's line changed by `edit(line)`, and a submission of
    the key's answers from every student."""
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    lines = (root / "out" / "manifest.json").read_text().split("\n")
    edited_line = lines.index('  "variants": {') + 1      # the first variant: its titles are not needed either
    lines[edited_line] = edit(lines[edited_line])
    path = tmp_path / "manifest.json"
    path.write_text("\n".join(lines))
    (tmp_path / "subs").mkdir()
    for sid in manifest["variants"]:
        (tmp_path / "subs" / f"{sid}.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    first = next(iter(manifest["variants"]))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(path),
                                       "--out", str(tmp_path / "g")])
    results = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]
    return result, first, edited_line + 1, {r["student_id"]: r for r in results}


def test_a_broken_variant_in_the_manifest_fails_only_its_submission(course, tmp_path):
    root, manifest = course
    result, first, line, results = _edited_manifest(root, tmp_path, lambda s: s.replace('"points": ', '"points": ,', 1))
    assert result.exit_code == 1
    assert f"manifest.json:{line}: the record of variant '{first}' cannot be read" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert results[first]["status"] == "error" and results[first]["score"] == 0
    others = [r for sid, r in results.items() if sid != first]
    assert others and all(r["status"] == "ok" and r["score"] == r["max"] for r in others)
    assert not (tmp_path / "g" / "feedback" / f"{first}.md").exists()


def test_half_a_surrogate_pair_edited_into_a_variant_fails_only_its_submission(course, tmp_path):
    # json.loads reads "\ud800" as a string that no UTF-8 file (results.json, a feedback page) can hold
    root, manifest = course
    result, first, line, results = _edited_manifest(root, tmp_path,
                                                    lambda s: s.replace('"title": "', '"title": "\\ud800', 1))
    assert result.exit_code == 1
    assert (f"manifest.json:{line}: the record of variant '{first}' cannot be read: \\ud800 is half of a UTF-16 "
            "surrogate pair, not a character") in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert results[first]["status"] == "error"
    others = [r for sid, r in results.items() if sid != first]
    assert others and all(r["status"] == "ok" and r["score"] == r["max"] for r in others)


def test_a_network_an_edit_broke_fails_only_the_submissions_that_need_it(course, tmp_path):
    """A record whose network no longer runs (an unknown layer) is found when a wrong answer needs
    the network rerun: that submission is an error that says so, and the class is graded."""
    root, manifest = course
    lines = (root / "out" / "manifest.json").read_text().split("\n")
    first_line = lines.index('  "variants": {') + 1
    assert '"kind": "conv"' in lines[first_line]
    lines[first_line] = lines[first_line].replace('"kind": "conv"', '"kind": "convx"', 1)
    (tmp_path / "manifest.json").write_text("\n".join(lines))
    (tmp_path / "subs").mkdir()
    sids = list(manifest["variants"])
    for i, sid in enumerate(sids):
        given = answers(manifest, sid)
        given["q1"]["conv"] = [[v + 1 for v in row] for row in given["q1"]["conv"]]     # the network is rerun
        (tmp_path / "subs" / f"{i}.json").write_text(json.dumps({"student_id": sid, "answers": given}))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(tmp_path / "manifest.json"),
                                       "--out", str(tmp_path / "g")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = {r["student_id"]: r for r in json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]}
    assert rows[sids[0]]["status"] == "error"
    assert rows[sids[0]]["message"].startswith(f"cannot be graded: scoring it against the manifest's record of "
                                               f"variant '{sids[0]}' failed (LayerError: layer 1: unknown layer 'convx')")
    assert all(rows[sid]["status"] == "ok" for sid in sids[1:])
    assert "Error: 0.json: cannot be graded" in result.stderr


def test_a_variant_record_without_its_parts_fails_only_its_submission(course, tmp_path):
    root, manifest = course
    result, first, line, results = _edited_manifest(root, tmp_path, lambda s: s.replace('"parts": ', '"prats": ', 1))
    assert result.exit_code == 1
    assert f"{first}.json: cannot be graded: the manifest's record of variant '{first}' is not as hw generate " \
           "writes it (KeyError: 'parts')" in result.stderr
    assert results[first]["status"] == "error"
    assert all(r["status"] == "ok" for sid, r in results.items() if sid != first)


def test_a_record_that_scoring_fails_on_says_so_without_blaming_only_the_manifest(course, tmp_path):
    """A value of the wrong kind in a record (here a question's points made text) makes scoring fail:
    an edit may be the cause, or hw may be; the message says both, and the others are graded."""
    root, manifest = course
    edit = lambda s: s.replace('"points": ', '"points": "4", "was": ', 1)   # noqa: E731
    result, first, line, results = _edited_manifest(root, tmp_path, edit)
    assert result.exit_code == 1
    message = results[first]["message"]
    assert message.startswith(f"cannot be graded: scoring it against the manifest's record of variant '{first}' "
                              "failed (") and message.endswith("): a record edited by hand, or a fault of hw's "
                                                               "to report with this submission")
    assert all(r["status"] == "ok" for sid, r in results.items() if sid != first)


def test_a_class_whose_every_record_lacks_its_headers_is_one_error(hw):
    """The report and gradebook take each question's title, family and points from a record; when
    no record has them as hw writes them, that is one error, with the file and line."""
    assert hw("generate", "--seed", "1", "--format", "md", "--out", "one").exit_code == 0
    manifest = Path("one/manifest.json")
    lines = manifest.read_text().split("\n")
    line = lines.index('  "variants": {') + 2                  # the variant's own line, numbered from 1
    lines[line - 1] = lines[line - 1].replace('"points": ', '"points": "4", "was": ', 1)
    manifest.write_text("\n".join(lines))
    key = json.loads(Path("one/key.json").read_text())["default"]
    Path("subs").mkdir()
    Path("subs/x.json").write_text(json.dumps({"student_id": "x", "answers": key}))
    result = hw("grade", "subs", "--manifest", "one/manifest.json")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: one/manifest.json:{line}: the record of variant 'default' is not as hw generate "
                             "writes it: question 'q1' needs a text title and family and a number of points\n")


def test_a_number_too_large_for_a_float_is_unreadable_not_a_crash(course):
    root, manifest = course
    folder = root / "huge"
    folder.mkdir()
    given = answers(manifest, "s001")
    given["q2"]["size"] = 10 ** 400                      # JSON allows it; no float holds it
    given["q1"]["conv"] = [[10 ** 400, 1], [2, 3]]
    (folder / "s001.json").write_text(json.dumps({"student_id": "s001", "answers": given}))
    (folder / "s002.json").write_text(json.dumps({"student_id": "s002", "answers": answers(manifest, "s002")}))
    result = run_grade(root, "huge")
    assert result.exit_code == 0, result.output
    graded = results_of(root, "huge")
    for qid, part in (("q2", "size"), ("q1", "conv")):
        scored = graded[("s001.json", None)]["questions"][qid]["parts"][part]
        assert scored["tags"] == ["unreadable"] and scored["score"] == 0
        assert scored["feedback"] == "Could not read your answer: a number of 401 digits is too large."
    assert graded[("s002.json", None)]["score"] == 20


@pytest.mark.parametrize("cell, message", [
    ("1" + "0" * 400, "a number of 401 digits is too large"),            # as the same number in JSON
    ("-000" + "9" * 309 + ".5", "a number of 309 digits is too large"),
    ("1e999", "'1e999' is not a finite number"),                          # one digit: the exponent is too large
    ("0.5e999", "'0.5e999' is not a finite number"),
])
def test_a_cell_too_large_for_a_float_says_why(cell, message):
    from grader.answers import AnswerError, parse_cell

    with pytest.raises(AnswerError) as refused:
        parse_cell(cell)
    assert str(refused.value) == message


def test_a_json_number_of_more_digits_than_python_reads_is_named_so():
    import sys

    from grader.submissions import read_json

    sub = read_json("s.json", '{"student_id": "s1", "answers": {"q1": {"w2": %s}}}' % ("7" * 5000))
    assert sub.status == "error"
    assert sub.message == f"invalid JSON: a number of more than {sys.get_int_max_str_digits():,} digits"


def test_versions_a_b_c_are_graded_by_the_version_each_submission_names(course, tmp_path):
    """A class of 240 on versions A, B, C (two workers): each submission is graded against the version
    it names; none named, or one that was not generated, is an error of that submission alone."""
    root, _ = course
    assert CliRunner().invoke(main, ["generate", "--assignment", str(root / "hw.yaml"), "--versions", "3",
                                     "--seed", "5", "--out", str(tmp_path / "out"), "--format", "md"]).exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert list(manifest["variants"]) == ["A", "B", "C"]
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(240):
        version = "ABC"[i % 3]
        given = answers(manifest, version)
        if i % 4 == 0:                          # right for its own version, handed in under the next one
            version = "ABC"[(i + 1) % 3]
        (subs / f"p{i:03d}.json").write_text(json.dumps({"student_id": f"p{i:03d}", "version": version,
                                                         "answers": given}))
    (subs / "x-none.json").write_text(json.dumps({"student_id": "x1", "answers": answers(manifest, "A")}))
    (subs / "x-other.json").write_text(json.dumps({"student_id": "x2", "version": "D",
                                                   "answers": answers(manifest, "A")}))
    (subs / "x-small.json").write_text(json.dumps({"student_id": "x3", "version": " b ",
                                                   "answers": answers(manifest, "B")}))
    (tmp_path / "whole.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    files = {}
    for name, path in (("lines", tmp_path / "out" / "manifest.json"), ("whole", tmp_path / "whole.json")):
        result = CliRunner().invoke(main, ["grade", str(subs), "--manifest", str(path), "--out", str(tmp_path / name)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        files[name] = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*")
                       if p.is_file()}
    assert files["lines"] == files["whole"]
    graded = {s["file"]: s for s in json.loads(files["lines"][Path("results.json")])["submissions"]}
    assert graded["x-none.json"]["status"] == "error" and graded["x-none.json"]["message"].startswith("no version")
    assert graded["x-other.json"]["status"] == "error" and "unknown version 'D'" in graded["x-other.json"]["message"]
    assert graded["x-small.json"]["status"] == "ok" and graded["x-small.json"]["score"] == graded["x-small.json"]["max"]
    for i in range(240):
        s = graded[f"p{i:03d}.json"]
        assert s["status"] == "ok"
        # the versions' numbers differ, so answers for another version do not earn full marks
        assert (s["score"] == s["max"]) == (i % 4 != 0), (i, s["score"])


def test_the_installed_command_exits_with_the_status_and_every_line(course, tmp_path):
    # `hw` ends with os._exit (cli.run): its statuses and its last lines must still come out
    import shutil
    import subprocess
    import sys

    root, manifest = course
    script = Path(sys.executable).with_name("hw")
    hw = [str(script) if script.exists() else shutil.which("hw")]
    folder = tmp_path / "subs"
    folder.mkdir()
    sid = next(iter(manifest["variants"]))
    (folder / "good.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    (folder / "broken.json").write_text("{")
    graded = subprocess.run(hw + ["grade", str(folder), "--manifest", str(root / "out" / "manifest.json"),
                                  "--out", str(tmp_path / "grades")], capture_output=True, text=True, timeout=60)
    assert graded.returncode == 1
    assert graded.stderr.startswith("Error: broken.json: invalid JSON at line 1")
    assert graded.stdout.startswith("Graded 1 student(s) from 2 submission(s), mean 100.0%; 1 could not be graded.")
    assert graded.stdout.endswith("report.html.\n")
    usage = subprocess.run(hw + ["grade", str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "does not exist" in usage.stderr
    version = subprocess.run(hw + ["--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("hw, version ")


def test_the_files_read_are_the_folders_files_by_name_hidden_ones_and_dead_links_left_out(tmp_path):
    from grader.submissions import submission_files

    for name in ("b.json", "a.csv", "B.json", ".hidden.json", "notes.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "linked.json").symlink_to(tmp_path / "a.csv")
    (tmp_path / "dead.json").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop1.json").symlink_to(tmp_path / "loop2.json")
    (tmp_path / "loop2.json").symlink_to(tmp_path / "loop1.json")
    assert [p.name for p in submission_files(tmp_path)] == ["B.json", "a.csv", "b.json", "linked.json", "notes.txt"]
    assert all(p.parent == tmp_path for p in submission_files(tmp_path))


def test_scoring_and_writing_a_class_leaves_no_reference_cycles(course, tmp_path):
    """Workers grade with the cyclic collector off (templates.grading), which is sound only while
    grading makes no cycles: each way a part is scored is taken here, and the collector must then
    find nothing to free."""
    import gc

    from grader.grade import match, mode_of, resolve_duplicates
    from grader.manifest import load_manifest
    from grader.report import PLAIN_TAGS
    from grader.submissions import read_file, submission_files
    from templates import grading
    from templates.output import Staging

    root, manifest = course
    folder = tmp_path / "subs"
    folder.mkdir()
    for i, sid in enumerate(manifest["variants"]):
        a = answers(manifest, sid)
        if i % 2:
            a["q1"]["conv"][0][0] += 1                                             # partly right
            a["q1"]["relu"] = [[1, 2], [3]]                                        # ragged rows
            a["q2"]["size"] = "0,5"                                                # unreadable
            a["q2"]["volume"] = [1, 2, 3, 4]                                       # a wrong shape
        else:
            a["q1"]["conv"] = [[v + 1 for v in row] for row in a["q1"]["conv"]]
            a["q1"]["relu"] = [[max(v, 0) for v in row] for row in a["q1"]["conv"]]   # follows through
            a["q1"]["pool"] = [[[9]]]                                              # a volume for a matrix
            a["q2"]["size"] = a["q2"]["size"] - 1 if a["q2"]["size"] != "invalid" else 1   # forgot the +1
            a["q9"] = {"x": 1}
        (folder / f"{i}.json").write_text(json.dumps({"student_id": sid, "answers": a}))
    (folder / "again.json").write_text(json.dumps({"student_id": "s001", "answers": {}}))     # a duplicate
    (folder / "zz.json").write_text(json.dumps({"student_id": "nobody", "answers": {}}))
    (folder / "bad.json").write_text("{")
    lines = (root / "out" / "manifest.json").read_text().split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith('    "s002": '))
    lines[broken] = lines[broken].replace('"points": ', '"points": ,', 1)      # its student's is an error
    (tmp_path / "manifest.json").write_text("\n".join(lines))
    loaded = load_manifest(str(tmp_path / "manifest.json"))
    mode = mode_of(loaded)
    graded = resolve_duplicates([match(loaded, mode, s) for p in submission_files(folder) for s in read_file(p)])
    assert {g.status for g in graded} == {"ok", "duplicate", "unknown-student", "error"}
    with Staging(tmp_path / "grades", "results.json") as staging:
        grading._JOB.update(manifest=loaded, graded=graded, staging=staging, summaries=True)
        try:
            gc.unfreeze()                           # what earlier tests froze or dropped is freed first
            gc.collect()
            grading._grade_chunk((0, 1))            # a first call fills what modules keep for later calls
            gc.unfreeze()
            gc.collect()
            block = grading._grade_chunk((1, len(graded)))[0]
            gc.unfreeze()
            found = gc.collect()
        finally:
            grading._JOB.clear()
    assert found == 0
    results = [json.loads(line) for line in block.decode().split(",\n    ")[1:]]
    assert any(r["message"].startswith("cannot be graded: ") for r in results)
    tags = {t for r in results for q in r["questions"].values() for p in q["parts"].values() for t in p["tags"]}
    assert {"correct", "wrong", "partial", "follow-through", "unreadable", "unanswered"} <= tags, tags
    assert tags - PLAIN_TAGS, "a misconception was named"


def test_a_disk_that_fills_while_grading_is_one_error_and_the_earlier_grades_stay(course, tmp_path, monkeypatch):
    import errno
    import re

    from templates.output import Staging

    root, manifest = course
    folder = tmp_path / "subs"
    folder.mkdir()
    for sid in manifest["variants"]:
        (folder / f"{sid[-3:]}.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    out = tmp_path / "grades"
    command = ["grade", str(folder), "--manifest", str(root / "out" / "manifest.json"), "--out", str(out), "--jobs", "1"]
    assert CliRunner().invoke(main, command).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_write = Staging.write

    def write(self, relative, data):
        if relative.startswith("feedback/") and relative.endswith(".html"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self.root / relative))
        real_write(self, relative, data)

    monkeypatch.setattr(Staging, "write", write)
    result = CliRunner().invoke(main, command, catch_exceptions=False)
    assert result.exit_code == 1
    assert re.fullmatch(f"Error: {re.escape(str(out))}/feedback/[^/]+\\.html: cannot write the output: "
                        "No space left on device\n", result.stderr), result.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades", "subs"]


def test_output_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path):
    import shutil
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    script = Path(sys.executable).with_name("hw")
    hw = [str(script) if script.exists() else shutil.which("hw")]
    with open("/dev/full", "w") as full:
        listed = subprocess.run(hw + ["list"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert listed.returncode == 1
    assert listed.stderr == "Error: cannot write the output: No space left on device\n"


def test_the_reports_numbers_are_the_ones_worked_out_by_hand():
    from types import SimpleNamespace

    from grader.report import Tally, class_stats

    manifest = {"variants": {"v": {"questions": {"qa": {"title": "A", "family": "output-size", "points": 4},
                                                 "qb": {"title": "B", "family": "conv-params", "points": 6}}}}}

    def sub(a, b, status="ok"):
        return SimpleNamespace(status=status, score=a + b, max=10,
                               questions={"qa": {"score": a, "max": 4}, "qb": {"score": b, "max": 6}})

    graded = [sub(4, 6), sub(2, 6), sub(1, 0), sub(0, 3), sub(4, 4), sub(0, 0, status="error")]
    stats = class_stats(manifest, graded, Tally())
    # percents 100, 80, 10, 30, 80: 10% opens the second bin, 100% falls in the last
    assert stats.count == 5 and stats.histogram == [0, 1, 0, 1, 0, 0, 0, 0, 2, 1]
    assert stats.mean == pytest.approx(60.0) and stats.median == pytest.approx(80.0)
    assert stats.statuses == {"error": 1, "ok": 5}

    def pearson(x, y):              # written out, not numpy's
        mx, my = sum(x) / len(x), sum(y) / len(y)
        sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
        return sxy / (sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y)) ** 0.5

    qa, qb = stats.questions
    assert qa.difficulty == pytest.approx((1 + 0.5 + 0.25 + 0 + 1) / 5)
    assert qb.difficulty == pytest.approx((1 + 1 + 0 + 0.5 + 4 / 6) / 5)
    # discrimination: the question's fraction against the rest of the score
    assert qa.discrimination == pytest.approx(pearson([1, 0.5, 0.25, 0, 1], [6, 6, 0, 3, 4]))
    assert qb.discrimination == pytest.approx(pearson([1, 1, 0, 0.5, 4 / 6], [4, 2, 1, 0, 4]))
    assert qa.discrimination == pytest.approx(2.55 / 19.84 ** 0.5)        # by hand: Sxy / sqrt(Sxx Syy)


def test_the_parts_numbers_are_the_ones_worked_out_by_hand():
    from types import SimpleNamespace

    from grader.report import Tally, class_stats

    manifest = {"variants": {"v": {"questions": {"q1": {"title": "A", "family": "forward-pass", "points": 6,
                                                        "parts": {"conv": {"points": 4}, "relu": {"points": 2}}}}}}}

    def sub(conv, relu, relu_given=True, relu_tags=("correct",)):
        parts = {"conv": {"score": conv, "max": 4, "expected": [[1]], "given": [[1]], "tags": ["correct"]},
                 "relu": {"score": relu, "max": 2, "expected": [[1]], "given": [[1]] if relu_given else None,
                          "tags": list(relu_tags)}}
        return SimpleNamespace(status="ok", score=conv + relu, max=6,
                               questions={"q1": {"score": conv + relu, "max": 6, "parts": parts}})

    graded = [sub(4, 2), sub(2, 2, relu_tags=["follow-through"]), sub(0, 0, relu_given=False, relu_tags=["unanswered"]),
              sub(0, 0, relu_given=False, relu_tags=["unreadable"])]       # '0,5': answered, though not readably
    tally = Tally()
    for g in graded:
        tally.add(g)
    conv, relu = class_stats(manifest, graded, tally).parts
    assert (conv.part, conv.points, conv.difficulty, conv.answered, conv.follow_through) == ("conv", 4, 0.375, 1.0, 0)
    assert (relu.difficulty, relu.answered, relu.follow_through) == (pytest.approx(4 / 8), 0.75, 1)


def test_a_score_or_statistic_just_below_zero_shows_as_0_not_minus_0():
    from templates.feedback import number

    assert [number(-0.004), number(-0.0), number(-0.005 - 1e-9), number(0.004), number(2.5)] == \
        ["0", "0", "-0.01", "0", "2.5"]


def test_kill_stops_a_run_as_ctrl_c_does(tmp_path):
    # SIGTERM while hw waits on a roster that is a pipe nobody writes: 'Aborted!', status 1
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    script = Path(sys.executable).with_name("hw")
    hw = [str(script) if script.exists() else shutil.which("hw")]
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "roster.csv")
    run = subprocess.Popen(hw + ["generate", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "o")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:          # until it waits in the pipe's open, past its start-up
        wchan = Path(f"/proc/{run.pid}/wchan")      # where in the kernel it sleeps
        if wchan.exists() and any(word in wchan.read_text() for word in ("fifo", "partner", "pipe")):
            break
        time.sleep(0.05)
    else:
        run.kill()
        pytest.skip("could not see the command wait on the pipe")
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=30)
    assert run.returncode == 1 and err.strip() == "Aborted!" and "Traceback" not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_an_empty_folder_is_graded_as_no_one_with_a_note(course, tmp_path):
    root, _ = course
    result, rows = grade_subs(root, tmp_path, {".hidden.json": "{}"})
    assert result.exit_code == 0
    assert result.stderr == f"Note: {tmp_path / 'subs'}: no submissions here (files ending in .json or .csv)\n"
    assert result.stdout.startswith("Graded 0 student(s) from 0 submission(s).")
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == ["feedback", "gradebook.csv", "report.html",
                                                                  "results.json"]
    assert list((tmp_path / "g" / "feedback").iterdir()) == []
    assert rows == []
    assert (tmp_path / "g" / "gradebook.csv").read_text().count("\n") == 1       # the header alone


def test_submissions_one_folder_down_are_pointed_to(course, tmp_path):
    # Moodle's download holds a folder per student; hw reads the files of the folder it is given
    root, _ = course
    for student in ("Jane Doe_101_assignsubmission_file_", "Bob Roe_102_assignsubmission_file_"):
        (tmp_path / "subs" / student).mkdir(parents=True)
        (tmp_path / "subs" / student / "answers.json").write_text('{"student_id": "s001", "answers": {}}')
    (tmp_path / "subs" / "empty").mkdir()
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(root / "out" / "manifest.json"),
                                       "--out", str(tmp_path / "g")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == (f"Note: {tmp_path / 'subs'}: no submissions here (files ending in .json or .csv); "
                             "2 of its folders hold some (as an LMS's download lays them out): give hw one folder "
                             "of all the files\n")


def test_a_submission_full_of_stray_names_gets_a_short_message(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    data = {"student_id": sid, "answers": {**answers(manifest, sid), **{f"q{i}": {"x": 1} for i in range(100, 125)}}}
    data["x" * 5000] = 1                                         # one field with a very long name
    first_part = next(iter(data["answers"]["q1"]))
    data["answers"]["q1"][first_part] = "y" * 5000               # and an answer that is no number
    result, rows = grade_subs(root, tmp_path, {"a.json": json.dumps(data)})
    assert result.exit_code == 0
    message = rows[0]["message"]
    notes = message.split("; ")
    assert notes[0] == f"ignored the field '{'x' * 37}...'"
    assert notes[1:10] == [f"ignored q{i}: no such question" for i in range(100, 109)]
    assert notes[10] == "and 16 more notes like these"           # 26 notes: the field and 25 questions
    assert len(result.stderr) < 1000
    part = rows[0]["questions"]["q1"]["parts"]
    assert part[first_part]["feedback"] == f"Could not read your answer: '{'y' * 36}... is not a number."


def test_a_csv_row_whose_student_id_holds_control_characters_is_an_error_of_that_row(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    result, rows = grade_subs(root, tmp_path, {"class.csv": f"student_id,q1.conv\n{sid},\nbad\x07id,\n"})
    assert result.exit_code == 1
    assert [(r["row"], r["status"]) for r in rows] == [(2, "ok"), (3, "error")]
    assert rows[1]["message"] == "the student_id 'bad\\x07id' holds control characters"


def test_a_csv_header_typed_student_id_or_student_id_in_capitals_is_read(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    result, rows = grade_subs(root, tmp_path, {"a.csv": f"Student ID,q2.size\n{sid},1\n",
                                                "b.csv": f"STUDENT_ID;Name;q2.size\n{sid};Jane;2\n"})
    assert [(r["file"], r["status"], r["student_id"]) for r in rows] == [("a.csv", "duplicate", sid),
                                                                          ("b.csv", "ok", sid)]
    assert rows[1]["questions"]["q2"]["parts"]["size"]["given"] == 2
    assert rows[1]["message"] == ""           # Name is the name column, not an unknown question


def test_an_integer_beyond_64_bits_is_read_as_the_integer_written(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    big = 2 ** 64 + 1           # as a float it would be 2**64: the digits written are what is graded
    result, rows = grade_subs(root, tmp_path, {"a.json": '{"student_id": "%s", "answers": {"q2": {"size": %d}}}'
                                                         % (sid, big)})
    given = rows[0]["questions"]["q2"]["parts"]["size"]["given"]
    assert given == 18446744073709551617 and type(given) is int
    assert "18446744073709551617" in (tmp_path / "g" / "results.json").read_text()


def test_the_manifest_may_be_given_as_the_output_folder_of_generate(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text(json.dumps({"student_id": sid, "answers": answers(manifest, sid)}))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(root / "out"),
                                       "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "g" / "results.json").read_text())["submissions"][0]["score"] == 20
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(empty)])
    assert (result.exit_code, result.stderr) == (1, f"Error: {empty}: no manifest here: run hw generate first, or "
                                                    "give --manifest\n")


def test_one_csv_file_of_the_class_may_be_graded_as_it_is(course, tmp_path):
    root, manifest = course
    first, second = list(manifest["variants"])[:2]
    (tmp_path / "class.csv").write_text(f"student_id,q2.size\n{first},1\n{second},2\n")
    (tmp_path / "other.json").write_text("{}")                  # beside it, and not read
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "class.csv"), "--manifest", str(root / "out"),
                                       "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    rows = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]
    assert [(r["file"], r["row"], r["student_id"]) for r in rows] == [("class.csv", 2, first), ("class.csv", 3, second)]
    (tmp_path / "header.csv").write_text("student_id,q2.size\n")
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "header.csv"), "--manifest", str(root / "out"),
                                       "--out", str(tmp_path / "h")])
    assert result.exit_code == 0
    assert result.stderr == f"Note: {tmp_path / 'header.csv'}: no submission in this file (a header and no rows?)\n"


def test_a_class_answering_another_assignment_s_questions_gets_a_word_about_the_manifest(course, tmp_path):
    root, manifest = course                     # this assignment: q1 conv, relu, pool; q2 size, volume, maps
    first, second = list(manifest["variants"])[:2]
    text = f"student_id,q1.w2,q3.p,q2.size\n{first},5,1,3\n{second},7,,4\n"       # 3 ignored, 2 answered
    result, rows = grade_subs(root, tmp_path, {"other.csv": text})
    assert result.exit_code == 0
    assert (f"Note: {root / 'out' / 'manifest.json'}: 3 of the class's 5 answers were to questions or parts "
            "this manifest does not have: is --manifest the one of this assignment?") in result.stderr.splitlines()
    (tmp_path / "right").mkdir()
    result, _ = grade_subs(root, tmp_path / "right", {"mine.csv": f"student_id,q1.w2,q2.size\n{first},5,3\n"})
    assert "is --manifest the one" not in result.stderr          # 1 ignored, 1 answered: a slip, not the manifest


def test_a_csv_column_given_twice_is_read_once_with_a_note(course, tmp_path):
    root, manifest = course
    sid = next(iter(manifest["variants"]))
    result, rows = grade_subs(root, tmp_path, {"class.csv": f"student_id,q2.size,q2.size\n{sid},1,2\n"})
    assert rows[0]["message"] == "the column 'q2.size' appears 2 times; the last one was read"
    assert rows[0]["questions"]["q2"]["parts"]["size"]["given"] == 2
    assert "Note: class.csv:2: the column 'q2.size' appears 2 times; the last one was read" in result.stderr


def test_a_csv_row_split_by_an_unquoted_separator_is_an_error_not_answers_in_wrong_columns(course, tmp_path):
    # a ';'-separated file whose matrix cell '1 2; 3 4' was not quoted: 2 cells became 3, and the
    # next answer would be read from the wrong column
    root, manifest = course
    sid, other, third = list(manifest["variants"])[:3]
    text = (f"student_id;q1.conv;q2.size\n"
            f"{sid};1 2; 3 4;5\n"
            f'{other};"1 2; 3 4";5\n'
            f"{third};\"1 2; 3 4\";5;;\n")            # empty cells beyond the header are only noted
    result, rows = grade_subs(root, tmp_path, {"class.csv": text})
    assert result.exit_code == 1
    assert [(r["row"], r["status"], r["student_id"]) for r in rows] == [(2, "error", sid), (3, "ok", other),
                                                                        (4, "ok", third)]
    assert rows[0]["message"] == ("4 cells for the header's 3 columns, so the answers would be read from the wrong "
                                  "columns: a cell holding the separator ';' must be in quotes (\"1 -2; 3 1\" for a "
                                  "matrix), as a spreadsheet saves it")
    assert rows[0]["questions"] == {}
    assert rows[1]["questions"]["q2"]["parts"]["size"]["given"] == 5
    assert rows[2]["message"] == "ignored 2 empty cell(s) beyond the header"
    assert "Error: class.csv:2: 4 cells for the header's 3 columns" in result.stderr


def test_an_id_that_looks_like_a_formula_comes_back_from_the_answer_template(tmp_path):
    # answers-template.csv writes the student =1+1 as '=1+1 so that a spreadsheet shows it as text;
    # a template filled in with a text editor keeps the apostrophe, and still finds its student
    (tmp_path / "roster.csv").write_text('student_id,name\n=1+1,Eq\n@b,At\n')
    assert CliRunner().invoke(main, ["generate", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "out"),
                                     "--format", "md"]).exit_code == 0
    template = (tmp_path / "out" / "answers-template.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in template] == ["student_id", "'=1+1", "'@b"]
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "filled.csv").write_text("\n".join(template) + "\n")
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(tmp_path / "out" / "manifest.json"),
                                       "--out", str(tmp_path / "g")], catch_exceptions=False)
    rows = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]
    assert [(r["student_id"], r["status"]) for r in rows] == [("=1+1", "ok"), ("@b", "ok")]
    assert result.exit_code == 0


def test_a_student_id_typed_in_another_case_finds_its_student(tmp_path):
    (tmp_path / "roster.csv").write_text("student_id,name\njane@uni.edu,Jane\nA1,Upper\na1,Lower\nBc,One\nbC,Two\n")
    assert CliRunner().invoke(main, ["generate", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "out"),
                                     "--format", "md"]).exit_code == 0
    subs = tmp_path / "subs"
    subs.mkdir()
    for name, sid in (("1.json", "jane@uni.edu"), ("2.json", "Jane@Uni.EDU"), ("3.json", "a1"), ("4.json", "A1"),
                      ("5.json", "bc"), ("6.json", "aA1")):
        (subs / name).write_text(json.dumps({"student_id": sid, "answers": {}}))
    CliRunner().invoke(main, ["grade", str(subs), "--manifest", str(tmp_path / "out" / "manifest.json"),
                              "--out", str(tmp_path / "g")], catch_exceptions=False)
    rows = {r["file"]: r for r in json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]}
    # the second of Jane's files counts; its id is the roster's, and the message says how it was read
    assert (rows["1.json"]["status"], rows["2.json"]["status"]) == ("duplicate", "ok")
    assert rows["2.json"]["student_id"] == "jane@uni.edu"
    assert rows["2.json"]["message"] == "student id 'Jane@Uni.EDU' read as the roster's 'jane@uni.edu'"
    # A1 and a1 are two students: each matches only itself
    assert (rows["3.json"]["student_id"], rows["4.json"]["student_id"]) == ("a1", "A1")
    # bc could be Bc or bC: neither is guessed
    assert rows["5.json"]["status"] == rows["6.json"]["status"] == "unknown-student"


# answers a student may hand in: odd shapes, types and notations, some unreadable
ODD_ANSWERS = [[], [[]], [1, [2]], [[1, 2], [3]], [[1, 2], 3], [[[1, 2], [3]]], {"a": 1}, True, 1e308, -1e308,
               10**30, 10**400, -0.0, 0.5, "invalid", "32x32x10", "1 -2; 3 1", "1 2; 3 4 | 5 6; 7 8", "0,5", "abc",
               "", ";", "|", "[1, 2", "1e400", "nan", [None], ["invalid"], [[1.5, 2], [3, 4]], [0], [[0]],
               [[[0]], [[0]]], [1] * 200, [[1] * 30] * 30, [[[[1]]]], [[[[[1]]]]], [True], [1, "a"], [2**70], 1e-320]


def test_no_answer_makes_a_submission_ungradable(hw):
    """Every part of the bundled homework, given each odd answer in turn with the rest right: the
    submission is graded (the part scores what it scores), never an error of the whole."""
    from grader.grade import match, mode_of, score
    from grader.manifest import load_manifest
    from grader.submissions import read_json

    assert hw("generate", "--seed", "5", "--format", "md", "--out", "out").exit_code == 0
    manifest = load_manifest("out/manifest.json")
    key = json.loads(Path("out/key.json").read_text())["default"]
    mode, ungradable = mode_of(manifest), []
    for qid, parts in key.items():
        for part in parts:
            for odd in ODD_ANSWERS:
                answers = {q: dict(p) for q, p in key.items()}
                answers[qid][part] = odd
                g = match(manifest, mode, read_json("s.json", json.dumps({"student_id": "x", "answers": answers})))
                score(manifest, g)
                if g.status != "ok":
                    ungradable.append((qid, part, odd, g.status, g.submission.message))
    assert ungradable == []


def test_an_id_of_digits_that_lost_its_leading_zeros_is_the_roster_s(tmp_path):
    # a spreadsheet reads 00456 as the number 456; 0123 could be 00123 or 123, and is neither
    (tmp_path / "roster.csv").write_text("student_id\n00123\n00456\n123\n")
    assert CliRunner().invoke(main, ["generate", "--roster", str(tmp_path / "roster.csv"), "--out",
                                     str(tmp_path / "out"), "--format", "md"]).exit_code == 0
    (tmp_path / "subs").mkdir()
    for name, sid in (("a.json", "456"), ("b.json", "0123"), ("c.json", "123")):
        (tmp_path / "subs" / name).write_text(json.dumps({"student_id": sid, "answers": {}}))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(tmp_path / "out"),
                                       "--out", str(tmp_path / "g")])
    rows = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]
    assert [(r["student_id"], r["status"]) for r in rows] == [("00456", "ok"), ("0123", "unknown-student"),
                                                              ("123", "ok")]
    assert rows[0]["message"] == "student id '456' read as the roster's '00456' (a spreadsheet drops leading zeros)"
    assert result.exit_code == 1


def test_students_of_the_roster_without_a_graded_submission_are_named(course, tmp_path):
    # s001 hands in, s002's file cannot be read, s003 and ../../up hand in nothing
    root, manifest = course
    result, rows = grade_subs(root, tmp_path, {
        "a.json": json.dumps({"student_id": "s001", "answers": answers(manifest, "s001")}),
        "b.json": '{"student_id": "s002", "answers": ',
    })
    assert result.exit_code == 1
    assert ("Note: 3 of the roster's 4 students have no graded submission: s002 (Иванов, Пётр), "
            's003 (=HYPERLINK("http://x","y")), ../../up (Climber, Bob) (report.html lists them)') in result.stderr
    report = (tmp_path / "g" / "report.html").read_text()
    listed = report[report.index('id="not-graded"'):]
    assert "3 of the roster's 4 students have no graded submission" in report
    for sid, name in (("s002", "Иванов, Пётр"), ("s003", "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)"),
                      ("../../up", "Climber, Bob")):
        assert f"<tr><td>{sid}</td><td>{name}</td></tr>" in listed
    assert "s001" not in listed and "Doe" not in listed
    gradebook = (tmp_path / "g" / "gradebook.csv").read_text()
    assert "s001" in gradebook and "s002" not in gradebook and "s003" not in gradebook


def test_with_versions_no_student_is_missing_and_a_wrong_answer_shows_what_it_should_be(course, tmp_path):
    root, _ = course
    assert CliRunner().invoke(main, ["generate", "--assignment", str(root / "hw.yaml"), "--versions", "2",
                                     "--seed", "5", "--out", str(tmp_path / "out"), "--format", "md"]).exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    params = manifest["variants"]["A"]["questions"]["q2"]["params"]
    size = (params["w1"] - 3) // params["s"] + 1          # by hand: a 3x3 filter, no padding, stride s
    (tmp_path / "subs").mkdir()
    for i in range(3):                  # three students of version A answer the size one too many
        given = answers(manifest, "A")
        given["q2"]["size"] = size + 1
        (tmp_path / "subs" / f"p{i}.json").write_text(json.dumps({"student_id": f"p{i}", "version": "A",
                                                                  "answers": given}))
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest",
                                       str(tmp_path / "out" / "manifest.json"), "--out", str(tmp_path / "g")])
    assert result.exit_code == 0 and "no graded submission" not in result.stderr
    report = (tmp_path / "g" / "report.html").read_text()
    assert 'id="not-graded"' not in report
    assert f"<tr><td>q2.size</td><td><code>{size}</code></td><td><code>{size + 1}</code></td><td>3</td>" in report


def test_a_graded_class_is_left_for_the_exit_only_when_the_process_ends_without_freeing(course, tmp_path, monkeypatch):
    import cli

    root, manifest = course
    sid = next(iter(manifest["variants"]))
    files = {"a.json": json.dumps({"student_id": sid, "answers": answers(manifest, sid)})}
    grade_subs(root, tmp_path, files)
    assert cli._KEPT is None                     # called as a library: nothing kept from one call to the next
    monkeypatch.setattr(cli, "_KEPT", [])        # as run() sets it before os._exit
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest",
                                       str(root / "out" / "manifest.json"), "--out", str(tmp_path / "g2")])
    assert result.exit_code == 0
    kept_manifest, graded = cli._KEPT
    assert kept_manifest["variants"] is not None and [g.submission.student_id for g in graded] == [sid]


def test_pages_from_shared_records_are_those_of_a_manifest_read_whole(tmp_path):
    """Students of one version share its question records (grader.manifest.SharedRecord), which keep
    what grading and the feedback pages derive from a record alone; every file graded so is the one
    graded from the same manifest read whole, where each record is parsed for itself and nothing is
    kept: answers as the key's, slipped by one in a number or in a matrix's entry, and blank."""
    out = tmp_path / "v"
    result = CliRunner().invoke(main, ["generate", "--versions", "3", "--format", "md", "--seed", "3", "--out",
                                       str(out), "-q"])
    assert result.exit_code == 0, result.output
    key = json.loads((out / "key.json").read_text())

    def slipped(value, n):
        if type(value) is int:
            return value + 1
        if isinstance(value, list) and value and isinstance(value[0], list):
            value = json.loads(json.dumps(value))
            row = value[n % len(value)]
            while isinstance(row[0], list):
                row = row[0]
            row[n % len(row)] += 1
        return value

    (tmp_path / "subs").mkdir()
    for i in range(24):
        version = "ABC"[i % 3]
        given = {qid: {name: None if (i + j) % 7 == 0 else slipped(value, i) if (i + j) % 3 == 0 else value
                       for j, (name, value) in enumerate(parts.items())}
                 for qid, parts in key[version].items()}
        (tmp_path / "subs" / f"v{i:02d}.json").write_text(json.dumps({"student_id": f"v{i:02d}", "version": version,
                                                                       "answers": given}))
    whole = tmp_path / "manifest.json"
    whole.write_text(json.dumps(json.loads((out / "manifest.json").read_text()), indent=4))
    files = {}
    for name, manifest in (("shared", out / "manifest.json"), ("whole", whole)):
        result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--manifest", str(manifest),
                                           "--out", str(tmp_path / name), "--jobs", "1"])
        assert result.exit_code == 0, result.output
        files[name] = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*")
                       if p.is_file()}
    assert len(files["shared"]) == 2 * 24 + 3 and files["shared"] == files["whole"]
    pages = b"".join(v for k, v in files["shared"].items() if k.suffix == ".md")
    assert pages.count(b"Correct.") > 24 * 17 and b"Worked out" in pages and b"No answer." in pages


@pytest.mark.parametrize("size, problem", [
    (0, "the file is empty"),
    (1, None),
    (4096, None),                      # exactly at the limit: read
    (4097, "the file is larger than 4 KiB; refused without reading it"),
    (200_000, "the file is larger than 4 KiB; refused without reading it"),
])
def test_a_file_is_read_whole_up_to_its_limit_and_refused_past_it(tmp_path, size, problem):
    from grader.submissions import read_limited

    data = bytes(i % 251 for i in range(size))
    path = tmp_path / "s.json"
    path.write_bytes(data)
    if problem is None:
        assert read_limited(path, 4096) == data
    else:
        with pytest.raises(ValueError, match=problem):
            read_limited(path, 4096)


def test_a_folder_named_as_a_submission_and_a_vanished_file_are_reported_as_unreadable(tmp_path):
    from grader.submissions import read_file

    (tmp_path / "d.json").mkdir()
    [folder] = read_file(tmp_path / "d.json")
    assert (folder.status, folder.message) == ("error", "cannot read: Is a directory")
    [gone] = read_file(tmp_path / "gone.json")
    assert (gone.status, gone.message) == ("error", "cannot read: No such file or directory")


def _slipped(value, rng):
    """A student's slip on a key's answer: a number or one entry of a matrix off by one, the answer
    of another kind, or the word 'invalid'."""
    import copy

    kind = rng.randrange(4)
    if kind == 0 or not isinstance(value, (int, float, list)):
        return "invalid" if value != "invalid" else 3
    if kind == 1:
        return "abc"
    if isinstance(value, list):
        slipped, inner = copy.deepcopy(value), None
        inner = slipped
        while isinstance(inner[0], list):
            inner = inner[rng.randrange(len(inner))]
        at = rng.randrange(len(inner))
        inner[at] = inner[at] + 1 if isinstance(inner[at], (int, float)) else 1
        return slipped
    return value + 1 if kind == 2 else [value]


def test_a_class_scored_question_by_question_is_scored_as_each_submission_alone(hw, tmp_path):
    """score_all() works a chunk question by question across its submissions: each submission's
    results (scores, feedback, tags, notes) are those of score() on it alone, with derived answers
    kept on shared records, and with a record that fails half-way for its submission only."""
    import random

    from grader.grade import match, mode_of, resolve_duplicates, score, score_all
    from grader.manifest import load_manifest
    from grader.submissions import read_file

    Path("roster.csv").write_text("student_id\n" + "".join(f"s{i:02d}\n" for i in range(12)))
    assert hw("generate", "--roster", "roster.csv", "--seed", "3", "--format", "md", "--out", "out").exit_code == 0
    lines = Path("out/manifest.json").read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('    "s05": '))
    third = lines[at].index('"points": ', lines[at].index('"q3": {'))
    lines[at] = lines[at][:third] + '"points": "4", "was": ' + lines[at][third + len('"points": '):]
    Path("out/manifest.json").write_text("\n".join(lines))
    keys = json.loads(Path("out/key.json").read_text())
    rng = random.Random(7)
    Path("subs").mkdir()
    for sid, key in keys.items():
        given = {q: {p: _slipped(v, rng) if rng.random() < 0.4 else v for p, v in parts.items()}
                 for q, parts in key.items()}
        given["q99"] = {"x": 1}
        Path(f"subs/{sid}.json").write_text(json.dumps({"student_id": sid, "answers": given}))

    def graded():
        manifest = load_manifest("out/manifest.json")
        subs = [s for path in sorted(Path("subs").iterdir()) for s in read_file(path)]
        return manifest, resolve_duplicates([match(manifest, mode_of(manifest), s) for s in subs])

    def outcome(g):
        return (g.as_dict(), g.student, g.file, g.ignored, json.dumps(g.questions))

    manifest, alone = graded()
    for g in alone:
        score(manifest, g)
    manifest, together = graded()
    records = score_all(manifest, together)
    assert [outcome(g) for g in together] == [outcome(g) for g in alone]
    by_id = {g.submission.student_id: g for g in together}
    assert by_id["s05"].status == "error" and "TypeError" in by_id["s05"].submission.message
    assert by_id["s05"].questions == {} and by_id["s05"].score == 0
    assert sum(g.status == "ok" for g in together) == 11
    assert all(g.submission.message == "ignored q99: no such question" for g in together if g.status == "ok")
    tags = {t for g in together for q in g.questions.values() for p in q["parts"].values() for t in p["tags"]}
    assert {"correct", "wrong", "partial", "follow-through", "unreadable"} <= tags
    assert [r is not None for r in records] == [True] * 12         # s05's record was read; its scoring failed
    assert records[0]["questions"].keys() == keys["s00"].keys()


def test_answered_counts_the_parts_of_the_variant_that_have_an_answer_read(course):
    # q1: conv, relu, pool; q2: size, volume, maps. Answered: q1.conv and q2.size; not q1.relu
    # (null), q1.pool (unreadable), q1.nope or q9 (not the variant's: ignored)
    from grader.grade import match, mode_of, score
    from grader.manifest import load_manifest
    from grader.submissions import read_json

    root, manifest = course
    loaded = load_manifest(str(root / "out" / "manifest.json"))
    sid = next(iter(manifest["variants"]))
    answers = {"q1": {"conv": 1, "relu": None, "pool": "1 2; 3", "nope": 4}, "q2": {"size": 3}, "q9": {"x": 1}}
    g = match(loaded, mode_of(loaded), read_json("s.json", json.dumps({"student_id": sid, "answers": answers})))
    score(loaded, g)
    assert g.status == "ok" and (g.answered, g.ignored) == (2, 2)
    assert g.questions["q1"]["parts"]["pool"]["tags"] == ["unreadable"]
    answers["q1"].pop("nope")           # every part the variant's: the count the other way
    g = match(loaded, mode_of(loaded), read_json("s.json", json.dumps({"student_id": sid, "answers": answers})))
    score(loaded, g)
    assert (g.answered, g.ignored) == (2, 1)


def test_a_question_or_part_named_but_for_its_case_is_read_as_the_variant_s(course, tmp_path):
    # q1: conv, relu, pool; q2: size, volume, maps
    from grader.grade import match, mode_of, score
    from grader.manifest import load_manifest
    from grader.submissions import read_json

    root, manifest = course
    loaded = load_manifest(str(root / "out" / "manifest.json"))
    sid = next(iter(manifest["variants"]))
    key = answers(manifest, sid)

    def graded(submitted):
        g = match(loaded, mode_of(loaded), read_json("s.json", json.dumps({"student_id": sid, "answers": submitted})))
        score(loaded, g)
        return g

    g = graded({"Q2": {"SIZE": key["q2"]["size"], "volume": key["q2"]["volume"]}, "q1": {"Conv": key["q1"]["conv"]}})
    assert g.submission.message == "read Q2.SIZE as q2.size; read Q2.volume as q2.volume; read q1.Conv as q1.conv"
    assert g.questions["q2"]["parts"]["size"]["tags"] == ["correct"]
    assert g.questions["q2"]["parts"]["volume"]["tags"] == ["correct"]
    assert g.questions["q1"]["parts"]["conv"]["tags"] == ["correct"]
    assert (g.answered, g.ignored) == (3, 0)
    # the variant's own names answered too: the other spelling is ignored, as before
    g = graded({"Q2": {"size": 1}, "q2": {"size": key["q2"]["size"]}, "q1": {"conv": key["q1"]["conv"], "CONV": 1}})
    assert g.submission.message == "ignored Q2: no such question; ignored q1.CONV: no such part"
    assert g.questions["q2"]["parts"]["size"]["tags"] == ["correct"] and (g.answered, g.ignored) == (2, 2)
    # in a CSV file's header
    result, rows = grade_subs(root, tmp_path, {"class.csv": f"Student_ID,Q2.Size,q2.VOLUME\n{sid},{key['q2']['size']},"
                                                            f"{csv_cell(key['q2']['volume'])}\n"})
    assert rows[0]["message"] == "read Q2.Size as q2.size; read q2.VOLUME as q2.volume"
    assert rows[0]["questions"]["q2"]["score"] == manifest["variants"][sid]["questions"]["q2"]["parts"]["size"]["points"] \
        + manifest["variants"][sid]["questions"]["q2"]["parts"]["volume"]["points"]


def test_a_student_id_on_the_markdown_feedback_page_is_shown_as_it_is(hw, tmp_path):
    # one default variant: any id is graded against it, and names the student on the page
    assert hw("generate", "--seed", "3", "--format", "md", "--out", "out").exit_code == 0
    key = json.loads((tmp_path / "out" / "key.json").read_text())["default"]
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text(json.dumps({"student_id": "**me** <b>x</b>", "answers": key}))
    assert hw("grade", "subs", "--manifest", "out", "--out", "g").exit_code == 0
    page, = (tmp_path / "g" / "feedback").glob("*.md")
    assert "**Student:** \\*\\*me\\*\\* \\<b\\>x\\</b\\>  \n" in page.read_text()
    html, = (tmp_path / "g" / "feedback").glob("*.html")
    assert "&lt;b&gt;x&lt;/b&gt;" in html.read_text() and "<b>x" not in html.read_text()


def test_an_unreadable_answer_is_quoted_on_the_pages_as_it_was_written(hw, tmp_path):
    assert hw("generate", "--seed", "3", "--format", "md", "--out", "out").exit_code == 0
    key = json.loads((tmp_path / "out" / "key.json").read_text())["default"]
    qid, part = next((q, p) for q, parts in key.items() for p, v in parts.items() if isinstance(v, int))
    key[qid][part] = "**x**$y$"
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "a.json").write_text(json.dumps({"student_id": "s1", "answers": key}))
    assert hw("grade", "subs", "--manifest", "out", "--out", "g").exit_code == 0
    row, = json.loads((tmp_path / "g" / "results.json").read_text())["submissions"]
    assert row["questions"][qid]["parts"][part]["feedback"] == "Could not read your answer: '**x**$y$' is not a number."
    html = (tmp_path / "g" / "feedback" / "s1.html").read_text()
    assert "Could not read your answer: &#39;**x**$y$&#39; is not a number.</p>" in html     # not bold, not a formula
    md = (tmp_path / "g" / "feedback" / "s1.md").read_text()
    assert "Could not read your answer: '\\*\\*x\\*\\*\\$y\\$' is not a number.\n" in md


def test_rows_of_a_csv_file_told_the_same_are_told_in_one_line(course, tmp_path):
    root, manifest = course
    a, b, c, d = list(manifest["variants"])[:4]
    text = f"student_id,q2.size\n{a},1,\n{b},1,\n{c},1\n{d},1,\n"      # rows 2, 3 and 5: an empty cell beyond
    result, rows = grade_subs(root, tmp_path, {"class.csv": text, "zz.json": '{"answers": {}}'})
    beyond = "ignored 1 empty cell(s) beyond the header"
    assert [r["message"] for r in rows] == [beyond, beyond, "", beyond, "no student_id"]   # results.json: each its own
    assert result.stderr.splitlines()[:3] == [
        f"Note: class.csv:2-3: {beyond}",          # row 4 has nothing to say: the run ends there
        f"Note: class.csv:5: {beyond}",
        "Error: zz.json: no student_id"]


def test_a_feedback_document_put_together_as_bytes_is_the_text_document_encoded():
    """Feedback pages are joined as UTF-8 (templates.pages.html_document_bytes); the document is
    byte for byte render_html_document's, wide characters and a title that needs escaping included."""
    from templates.pages import html_document_bytes, render_html_document

    section = '<section class="page feedback">\n<p>max(0, −3) = 0 → ⌈2.5⌉</p>\n</section>\n'
    title = 'Quiz <1> & "conv": s001'
    document = html_document_bytes(section.encode("utf-8"), title)
    assert document == render_html_document([section], title).encode("utf-8")
    assert b"<title>Quiz &lt;1&gt; &amp; &#34;conv&#34;: s001</title>" in document
