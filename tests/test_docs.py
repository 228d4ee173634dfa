"""The examples in docs/ work as written: an instructor copies them first."""
import json
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def blocks(doc: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", (DOCS / doc).read_text(encoding="utf-8"), re.S | re.M)


TEMPLATES = blocks("templates.md", "yaml")


def test_the_docs_hold_the_examples_these_tests_read():
    assert len(TEMPLATES) == 2
    assert len(blocks("generate.md", "yaml")) == 1
    assert len(blocks("grading.md", "json")) == 1


@pytest.mark.parametrize("text", TEMPLATES, ids=["format", "worked-example"])
def test_each_template_in_templates_md_validates_without_a_note(hw, write, text):
    # a note would mean the example gives some students a part that cannot be computed
    write("t.yaml", text)
    result = hw("validate", "t.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "1 of 1 file(s) valid.\n", "")


def test_the_worked_example_solves_as_the_doc_says(hw, write):
    write("avg.yaml", TEMPLATES[1])
    result = hw("solve", "avg.yaml", "--seed", "1")
    assert result.exit_code == 0
    instance = json.loads(result.stdout)
    x, w = instance["params"]["x"], instance["params"]["w"]
    # by hand: stride-1 correlation of the 5x5 input with the 3x3 kernel, then the mean of all 3x3
    conv = [[sum(x[i + a][j + b] * w[a][b] for a in range(3) for b in range(3)) for j in range(3)]
            for i in range(3)]
    assert instance["answers"]["conv"] == conv
    assert instance["answers"]["pool"][0][0] == pytest.approx(sum(map(sum, conv)) / 9)


def test_the_assignment_in_generate_md_generates_with_its_template_file(hw, write, tmp_path):
    write("hw5.yaml", blocks("generate.md", "yaml")[0])
    write("my-problem.yaml", TEMPLATES[1])
    assert hw("validate", "hw5.yaml").exit_code == 0
    result = hw("generate", "--assignment", "hw5.yaml", "--format", "md", "--out", "hw5", "--quiet")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "hw5" / "manifest.json").read_text())
    questions = manifest["variants"]["default"]["questions"]
    assert [q["template"] for q in questions.values()] == ["conv-relu-maxpool", "conv-avgpool", "output-size"]
    # points: 12 over the template's 6 (conv 4, pool 2): the parts keep their shares
    assert {part: p["points"] for part, p in questions["q2"]["parts"].items()} == {"conv": 8, "pool": 4}
    assert "Neural networks and deep learning" in (tmp_path / "hw5" / "sheets" / "default.md").read_text()


def test_the_submission_in_grading_md_grades_against_the_bundled_homework(hw, tmp_path):
    # its q1.w2 and q10.conv are parts of lecture5-homework, and "A" a version of it
    assert hw("generate", "--versions", "2", "--format", "md", "--out", "out", "--quiet").exit_code == 0
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "s001.json").write_text(blocks("grading.md", "json")[0])
    result = hw("grade", "subs", "--manifest", "out")
    assert result.exit_code == 0, result.stderr
    [submission] = json.loads((tmp_path / "grades" / "results.json").read_text())["submissions"]
    assert (submission["status"], submission["student_id"]) == ("ok", "s001")
    assert submission["questions"]["q1"]["parts"]["w2"]["given"] == 4
    assert submission["questions"]["q10"]["parts"]["conv"]["given"] == [[1, -2], [3, 1]]
