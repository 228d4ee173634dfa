"""`hw generate` as an instructor runs it: files, determinism, rosters, safety, no leaks."""
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from problems.spec import FAMILIES

GOLDEN = Path(__file__).parent / "golden"
PROMISED = ["manifest.json", "key.json", "answers-template.json", "answers-template.csv",
            "sheets/default.md", "sheets/default.html", "sheets/default.pdf",
            "keys/default.md", "keys/default.html", "keys/default.pdf", "print/sheets.pdf", "print/keys.pdf"]

CANVAS_ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Homework 5 (1234)\n"
    "    Points Possible,,,,,77\n"
    '"Doe, Jane",101,s001,jdoe,Sec 1,\n'
    '"Иванов, Пётр",102,s002,pivanov,Sec 1,\n'
    '"=HYPERLINK(""http://x"",""y"")",103,=1+2,evil,Sec 2,\n'
    '"Climber, Bob",104,../../escape,bob,Sec 2,\n'
)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """Two runs of `hw generate --seed 42` in two folders, and one with seed 43."""
    from click.testing import CliRunner
    from cli import main

    root = tmp_path_factory.mktemp("generate")
    runner = CliRunner()
    for name, seed in (("a", 42), ("b", 42), ("c", 43)):
        result = runner.invoke(main, ["generate", "--seed", str(seed), "--out", str(root / name)])
        assert result.exit_code == 0, result.output
    return root


def test_default_homework_writes_every_promised_file(default_run):
    for name in PROMISED:
        assert (default_run / "a" / name).is_file(), name


def test_default_homework_has_every_family(default_run):
    manifest = json.loads((default_run / "a" / "manifest.json").read_text())
    families = {q["family"] for q in manifest["variants"]["default"]["questions"].values()}
    assert families == set(FAMILIES)
    assert manifest["seed"] == 42 and manifest["assignment"]["title"]


def test_same_seed_gives_identical_bytes_pdfs_included(default_run):
    assert files_of(default_run / "a") == files_of(default_run / "b")


def test_another_seed_gives_other_numbers(default_run):
    a = json.loads((default_run / "a" / "key.json").read_text())
    c = json.loads((default_run / "c" / "key.json").read_text())
    assert a != c


def test_seed_42_is_pinned(default_run):
    # a change here means every instructor's seed-42 homework changed: bump the generator version instead
    assert json.loads((default_run / "a" / "key.json").read_text()) == json.loads(
        (GOLDEN / "seed42-key.json").read_text())


def test_seed_42_is_the_same_bytes_on_every_supported_environment(default_run):
    """Every file `hw generate --seed 42` writes, pinned byte for byte (the manifest's hw_version
    aside). CI runs this on the newest dependencies and again on the oldest pyproject.toml admits
    (Python 3.10 and NumPy 1.24 gave the same bytes too), so a library version that changes what hw
    writes fails here. The PDFs embed cuts of the DejaVu files: they are compared where the
    machine's DejaVu files are those the pins were made with (Debian's)."""
    import hashlib
    import re

    from templates.fonts import FACES, find_font

    pins, fonts = {}, {}
    for line in (GOLDEN / "seed42-files.sha256").read_text().splitlines():
        if line and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            if name.startswith("font:"):
                fonts[name[len("font:"):]] = digest
            else:
                pins[name] = digest
    got = {}
    for name, data in files_of(default_run / "a").items():
        if name == "manifest.json":
            data = re.sub(rb'"hw_version": "[^"]*"', b'"hw_version": ""', data, count=1)
        got[name] = hashlib.sha256(data).hexdigest()
    debians = all(hashlib.sha256(find_font(*FACES[face]).read_bytes()).hexdigest() == fonts[FACES[face][0]]
                  for face in FACES)
    if not debians:
        pins = {name: digest for name, digest in pins.items() if not name.endswith(".pdf")}
        got = {name: digest for name, digest in got.items() if not name.endswith(".pdf")}
    assert got == pins


def test_key_agrees_with_an_independent_forward_pass(default_run):
    manifest = json.loads((default_run / "a" / "manifest.json").read_text())
    q = next(q for q in manifest["variants"]["default"]["questions"].values() if q["template"] == "lecture-homework")
    x, w = np.array(q["params"]["x"]), np.array(q["params"]["w"])
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3))[::2, ::2]
    conv = np.einsum("ijuv,uv->ij", windows, w)
    assert q["parts"]["conv"]["answer"] == conv.tolist()
    assert q["parts"]["relu"]["answer"] == np.maximum(conv, 0).tolist()
    assert q["parts"]["pool"]["answer"] == [[int(np.maximum(conv, 0).max())]]


def test_key_and_manifest_agree(default_run):
    manifest = json.loads((default_run / "a" / "manifest.json").read_text())
    key = json.loads((default_run / "a" / "key.json").read_text())
    for qid, q in manifest["variants"]["default"]["questions"].items():
        assert key["default"][qid] == {name: p["answer"] for name, p in q["parts"].items()}


def _matrix_answers(manifest):
    for variant, v in manifest["variants"].items():
        for qid, q in v["questions"].items():
            for name, p in q["parts"].items():
                if isinstance(p["answer"], list) and isinstance(p["answer"][0], list):
                    yield variant, v["file"], p["answer"]


def _md_matrix(rows):
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(str(v) for v in r) for r in rows) + r" \end{bmatrix}"


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def class_run(tmp_path_factory):
    from click.testing import CliRunner
    from cli import main

    root = tmp_path_factory.mktemp("class")
    (root / "roster.csv").write_text(CANVAS_ROSTER, encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", "--roster", str(root / "roster.csv"), "--seed", "7",
                                       "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root, result


def test_canvas_roster_gives_one_distinct_variant_per_student(class_run):
    root, _ = class_run
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    assert list(manifest["variants"]) == ["s001", "s002", "=1+2", "../../escape"]
    assert manifest["variants"]["s002"]["student"]["name"] == "Иванов, Пётр"
    assert manifest["variants"]["s001"]["student"]["lms"]["SIS Login ID"] == "jdoe"
    keys = [json.dumps(v["questions"]) for v in manifest["variants"].values()]
    assert len(set(keys)) == 4


def test_nothing_is_written_outside_the_output_folder(class_run):
    root, _ = class_run
    assert sorted(p.name for p in root.iterdir()) == ["out", "roster.csv"]
    for path in (root / "out").rglob("*"):
        assert path.resolve().is_relative_to((root / "out").resolve())
    names = sorted(p.name for p in (root / "out" / "sheets").iterdir())
    assert all(".." not in n and "/" not in n and not n.startswith(".") for n in names)
    assert len(names) == 4 * 3


def test_answers_template_csv_neutralizes_formulas(class_run):
    root, _ = class_run
    lines = (root / "out" / "answers-template.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("student_id,q1.")
    assert [line.split(",")[0] for line in lines[1:]] == ["s001", "s002", "'=1+2", "../../escape"]


def test_no_answer_matrix_in_any_student_sheet_while_keys_show_them(class_run):
    root, _ = class_run
    out = root / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    checked = 0
    for variant, file, answer in _matrix_answers(manifest):
        sheet_md = (out / "sheets" / f"{file}.md").read_text()
        key_md = (out / "keys" / f"{file}.md").read_text()
        assert _md_matrix(answer) not in sheet_md
        assert json.dumps(answer) not in sheet_md
        assert json.dumps(answer) in key_md
        checked += 1
    assert checked >= 4 * 3


def test_no_list_answer_of_a_student_is_written_on_their_sheet(hw, tmp_path):
    # shapes and vectors too, not only matrices: the sheet's fixed text (instructions, statements) must not
    # happen to hold one (60 students of the homework; one of them answers [32, 32, 10], the lecture's example)
    (tmp_path / "roster.csv").write_text("student_id\n" + "".join(f"s{i:02d}\n" for i in range(60)))
    assert hw("generate", "--roster", "roster.csv", "--seed", "5", "--format", "md,html").exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    checked = 0
    for v in manifest["variants"].values():
        sheets = [(tmp_path / "out" / "sheets" / f"{v['file']}.{ext}").read_text() for ext in ("md", "html")]
        for q in v["questions"].values():
            for p in q["parts"].values():
                if isinstance(p["answer"], list) and len(p["answer"]) > 1:
                    assert all(json.dumps(p["answer"]) not in sheet for sheet in sheets), (v["file"], p["answer"])
                    checked += 1
    assert checked > 60 * 5


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_no_answer_in_the_sheet_pdf_text(class_run):
    root, _ = class_run
    out = root / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    for variant, v in manifest["variants"].items():
        sheet = _pdf_text(out / "sheets" / f"{v['file']}.pdf")
        key = _pdf_text(out / "keys" / f"{v['file']}.pdf")
        assert "submit as" not in sheet and "submit as" in key
        for qid, q in v["questions"].items():
            for p in q["parts"].values():
                if isinstance(p["answer"], list) and isinstance(p["answer"][0], list):
                    assert json.dumps(p["answer"]) not in sheet.replace("\n", " ")
                    assert json.dumps(p["answer"]) in key.replace("\n", " ")
    assert "Иванов, Пётр" in _pdf_text(out / "sheets" / f"{manifest['variants']['s002']['file']}.pdf")


def test_sheets_hold_no_comments_or_metadata(class_run):
    root, _ = class_run
    for path in (root / "out" / "sheets").glob("*.html"):
        assert "<!--" not in path.read_text()
    for path in (root / "out" / "sheets").glob("*.pdf"):
        data = path.read_bytes()
        assert b"/CreationDate" not in data and b"/ModDate" not in data and b"/Keywords" not in data


def test_adding_a_student_changes_no_one_elses_variant(hw, write, tmp_path):
    write("r1.csv", "student_id,name\na,Ann\nb,Ben\n")
    write("r2.csv", "student_id,name\na,Ann\nb,Ben\nc,Cid\n")
    assert hw("generate", "--roster", "r1.csv", "--out", "o1", "--format", "md").exit_code == 0
    assert hw("generate", "--roster", "r2.csv", "--out", "o2", "--format", "md").exit_code == 0
    one = json.loads((tmp_path / "o1" / "key.json").read_text())
    two = json.loads((tmp_path / "o2" / "key.json").read_text())
    assert one["a"] == two["a"] and one["b"] == two["b"]


def test_versions_a_b_c(hw, tmp_path):
    result = hw("generate", "--versions", "3", "--out", "v", "--format", "md,html")
    assert result.exit_code == 0, result.output
    key = json.loads((tmp_path / "v" / "key.json").read_text())
    assert list(key) == ["A", "B", "C"]
    assert (tmp_path / "v" / "sheets" / "B.html").is_file()
    assert "Version:** B" in (tmp_path / "v" / "sheets" / "B.md").read_text()
    blank = json.loads((tmp_path / "v" / "answers-template.json").read_text())
    assert blank["version"] == "" and blank["answers"]["q1"] == {"w2": None}


def test_sheets_show_a_variant_code_not_the_seed(hw, tmp_path):
    assert hw("generate", "--seed", "987654", "--out", "o", "--format", "md").exit_code == 0
    sheet = (tmp_path / "o" / "sheets" / "default.md").read_text()
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert f"**Variant code:** {manifest['variants']['default']['code']}" in sheet
    assert "987654" not in sheet


def test_exam_by_name(hw, tmp_path):
    result = hw("generate", "--assignment", "lecture5-exam", "--out", "e", "--format", "md")
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "e" / "key.json").read_text())["default"]) == 5


def test_a_folder_of_other_files_is_never_replaced(hw, write, tmp_path):
    write("mine/notes.txt", "keep me")
    result = hw("generate", "--out", "mine", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: mine: the folder is not empty and holds no manifest.json")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_an_earlier_output_is_replaced_whole(hw, tmp_path):
    assert hw("generate", "--versions", "3", "--out", "o", "--format", "md").exit_code == 0
    assert hw("generate", "--out", "o", "--format", "md").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "o" / "sheets").iterdir()) == ["default.md"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("args, message", [
    (["--roster", "r.csv", "--versions", "2"], "use either --roster or --versions, not both"),
    (["--format", "docx"], "unknown format docx"),
    (["--versions", "30"], "30 is not in the range 1<=x<=26"),
])
def test_usage_errors_exit_2(hw, args, message):
    result = hw("generate", *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("roster, message", [
    ("name\nAnn\n", "Error: r.csv:1: no student id column: expected one of student_id, SIS User ID, "
                    "SIS Login ID, ID, ID number, Email address"),
    ("", "Error: r.csv: the roster is empty"),
    ("student_id\ns1\n".encode("utf-16"), 'Error: r.csv: UTF-16 text: save the file as UTF-8 (in Excel: "CSV UTF-8")'),
    (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",
     'Error: r.csv: a spreadsheet workbook (.xlsx or .xls), not text: save it as CSV (in Excel: "CSV UTF-8")'),
])
def test_bad_rosters(hw, write, tmp_path, roster, message):
    if isinstance(roster, bytes):
        (tmp_path / "r.csv").write_bytes(roster)
    else:
        write("r.csv", roster)
    result = hw("generate", "--roster", "r.csv", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_a_roster_typed_by_hand_may_write_its_columns_in_any_case(hw, tmp_path):
    (tmp_path / "r.csv").write_text("Student ID,NAME\nA1,Ann Lee\n")
    assert hw("generate", "--roster", "r.csv", "--format", "md").exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["variants"]["A1"]["student"]["name"] == "Ann Lee"
    (tmp_path / "r2.csv").write_text("id;email address\n7;ann@uni.edu\n")       # ID comes before Email address
    assert hw("generate", "--roster", "r2.csv", "--format", "md", "--out", "o2").exit_code == 0
    assert list(json.loads((tmp_path / "o2" / "manifest.json").read_text())["variants"]) == ["7"]


def test_control_characters_never_reach_a_sheet(hw, tmp_path):
    # a terminal's escape in a name, a bell, a NUL; an id holding an escape can match no submission
    (tmp_path / "r.csv").write_text('student_id,name\ns1,"Ann\x1b[31mRed"\ns2,Bob\x07\x00\ns\x1b3,Eve\n')
    result = hw("generate", "--roster", "r.csv", "--format", "md")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:3] == [
        "Note: r.csv:2: removed control characters from the name of 's1'",
        "Note: r.csv:3: removed control characters from the name of 's2'",
        "Note: r.csv:4: skipped a row whose student id 's\\x1b3' holds control characters"]
    assert sorted(p.name for p in (tmp_path / "out" / "sheets").iterdir()) == ["s1.md", "s2.md"]
    assert "**Name:** Ann\\[31mRed  " in (tmp_path / "out" / "sheets" / "s1.md").read_text()   # [ shown, not a link
    assert "**Name:** Bob  " in (tmp_path / "out" / "sheets" / "s2.md").read_text()


def test_a_name_on_a_markdown_page_is_shown_as_it_is_not_read_as_markup(hw, tmp_path):
    (tmp_path / "r.csv").write_text('student_id,name\ns_1,"**Bo** <img src=x onerror=alert(1)> [me](x) $a$ A&amp;B"\n')
    assert hw("generate", "--roster", "r.csv", "--format", "md,html").exit_code == 0
    for page in ("sheets", "keys"):
        text = (tmp_path / "out" / page / "s_1.md").read_text()
        assert ("**Name:** \\*\\*Bo\\*\\* \\<img src=x onerror=alert(1)\\> \\[me\\](x) \\$a\\$ A\\&amp;B  \n"
                "**Student id:** s\\_1  \n") in text
        html = (tmp_path / "out" / page / "s_1.html").read_text()
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html       # HTML: escaped as before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_roster_without_end_is_read_to_the_limit_only(hw):
    result = hw("generate", "--roster", "/dev/zero", "--format", "md")       # endless, and its size says 0
    assert result.exit_code == 1
    assert result.stderr == "Error: /dev/zero: file is larger than 16384 KiB\n"


def test_an_assignment_listed_as_a_template_is_named_so(hw, write):
    write("inner.yaml", "title: Inner\nproblems:\n  - template: output-size\n")
    write("outer.yaml", "title: Outer\nproblems:\n  - template: ./inner.yaml\n")
    result = hw("generate", "--assignment", "outer.yaml", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == ("Error: outer.yaml:3: './inner.yaml' is an assignment, not a template: "
                             "an assignment lists templates only\n")


def test_a_template_given_as_the_assignment_is_named_so(hw, write):
    write("one.yaml", "id: one\nfamily: output-size\nask: {a: {expr: '1'}}\nstatement: hi\n")
    result = hw("generate", "--assignment", "one.yaml", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == ("Error: one.yaml:1: this file is a template, not an assignment: list it in an "
                             "assignment's problems (- template: ./file.yaml), or try it alone with hw solve\n")


def test_unknown_assignment(hw):
    result = hw("generate", "--assignment", "lecture5-homwork")
    assert result.exit_code == 1
    assert result.stderr == ("Error: no assignment 'lecture5-homwork': not a file, nor a bundled assignment; "
                             "did you mean 'lecture5-homework'?\n")


def test_generating_in_parallel_gives_the_same_files(hw, write, tmp_path):
    write("r.csv", "student_id,name\n" + "".join(f"s{i},Student {i}\n" for i in range(70)))
    assert hw("generate", "--roster", "r.csv", "--out", "one", "--format", "md,html", "--jobs", "1").exit_code == 0
    assert hw("generate", "--roster", "r.csv", "--out", "two", "--format", "md,html", "--jobs", "2").exit_code == 0
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_every_bank_template_for_a_class_in_parallel_gives_the_same_files(hw, write, tmp_path):
    # questions with few instances are redrawn for many students: a chunk's settled draws, sent to
    # its worker with the task, outgrew a pipe's buffer, and the pool once waited on itself here
    from conftest import deadline
    from problems.bank import bank_files

    ids = [path.stem for path in bank_files()]
    write("all.yaml", "title: Every template\nproblems:\n" + "".join(f"  - template: {i}\n" for i in ids))
    write("r.csv", "student_id\n" + "".join(f"s{i}\n" for i in range(100)))

    with deadline(60, "hw generate --jobs 2 did not finish"):
        for out, jobs in (("one", "1"), ("two", "2")):
            assert hw("generate", "--roster", "r.csv", "--assignment", "all.yaml", "--out", out, "--format", "md",
                      "--jobs", jobs, "-q").exit_code == 0
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_pdfs_are_the_same_typeset_in_parallel_or_not(hw, write, tmp_path):
    write("r.csv", "student_id,name\n" + "".join(f"s{i},Student {i}\n" for i in range(25)))   # three chunks
    for out, jobs in (("one", "1"), ("two", "2")):
        assert hw("generate", "--roster", "r.csv", "--assignment", "lecture5-exam", "--out", out,
                  "--format", "pdf", "--jobs", jobs).exit_code == 0
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert "print/keys.pdf" in one and "keys/s24.pdf" in one and one == two


def test_the_shape_table_names_one_filter_and_one_unit_in_the_singular():
    from templates.pages import _layer_label

    assert _layer_label("conv", {"stride": 2}, (1, 1, 3, 3)) == "conv 1 filter 3×3, S=2, P=0"
    assert _layer_label("conv", {"pad": 1, "groups": 2}, (8, 2, 3, 3)) == "conv 8 filters 3×3, S=1, P=1, groups=2"
    assert (_layer_label("fc", {}, (1, 12)), _layer_label("fc", {}, (10, 12))) == ("fc 1 unit", "fc 10 units")


def test_an_assignment_of_one_question_is_summed_up_in_the_singular(hw, write):
    write("a.yaml", "title: One\nproblems: [output-size]\n")
    result = hw("generate", "--assignment", "a.yaml", "--format", "md", "--out", "o")
    assert "Wrote 1 variant(s) of 'One' (1 question, md) to o/" in result.stdout


def test_a_format_named_twice_is_rendered_once(hw, tmp_path):
    result = hw("generate", "--format", "md, MD", "--out", "o")
    assert result.exit_code == 0
    assert "(17 questions, md) to o/" in result.stdout
    assert sorted(p.name for p in (tmp_path / "o" / "sheets").iterdir()) == ["default.md"]


def _pdf_rect_heights(path: Path) -> list[float]:
    """The heights of the rectangles the PDF's content streams stroke (`x y w h re S`)."""
    import re
    import zlib

    heights = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", path.read_bytes(), re.S):
        try:
            text = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        heights += [float(h) for h in re.findall(r"[\d.]+ [\d.]+ [\d.]+ ([\d.]+) re S", text)]
    return heights


def test_a_matrix_is_answered_in_a_tall_box_on_paper(default_run):
    import re

    out = default_run / "a"
    manifest = json.loads((out / "manifest.json").read_text())
    matrix_parts = {f"{qid}.{name}" for qid, q in manifest["variants"]["default"]["questions"].items()
                    for name, p in q["parts"].items()
                    if isinstance(p["answer"], list) and isinstance(p["answer"][0], list)}
    html = (out / "sheets" / "default.html").read_text()
    boxes = dict(re.findall(r'<span class="column">([\w.-]+)</span>.*?<div class="(box(?: tall)?)"></div>', html))
    assert len(matrix_parts) >= 6 and len(boxes) > len(matrix_parts)
    assert {column for column, box in boxes.items() if box == "box tall"} == matrix_parts
    heights = _pdf_rect_heights(out / "sheets" / "default.pdf")   # 7.5em and 2.4em of 10.5pt, less the stroke
    tall, short = round(7.5 * 10.5 - 0.6, 2), round(2.4 * 10.5 - 0.6, 2)
    assert sorted(heights) == sorted([tall] * len(matrix_parts) + [short] * (len(boxes) - len(matrix_parts)))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("run", ["a", "c"])         # seeds 42 and 43
def test_a_question_on_paper_starts_on_the_page_of_its_first_answer_box(default_run, run):
    # with seed 42 the homework's question 10 ends at the foot of page 3, its boxes fit only on page 4
    out = default_run / run
    questions = json.loads((out / "manifest.json").read_text())["variants"]["default"]["questions"]
    pages = _pdf_text(out / "sheets" / "default.pdf").split("\f")
    for qid, q in questions.items():
        heading = f"{qid[1:]}. {q['title'][:30]}"
        first_box = f"{qid}.{next(iter(q['parts']))}"
        on = [i for i, page in enumerate(pages) if heading in " ".join(page.split())]
        boxed = [i for i, page in enumerate(pages) if first_box + " (" in page]
        assert on and boxed and on[0] == boxed[0], (qid, on, boxed)
