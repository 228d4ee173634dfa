"""`hw solve`, `hw validate` and `hw list` as a user runs them."""
import json

import pytest

from problems.spec import FAMILIES

HOMEWORK = """\
id: lecture-homework
title: The Lecture 5 homework
family: forward-pass
params:
  x: [[1, 2, 3, 4, 5], [2, 2, 1, 1, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 1], [5, 1, 1, 1, 1]]
  w: [[0, -1, 0], [1, 1, 1], [0, -1, 0]]
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
  shape: {shape: 1, points: 1}
statement: |
  $X$ = {{ x | matrix }}, $W$ = {{ w | matrix }}
"""


def test_solve_prints_params_and_answers(hw, write):
    write("hw.yaml", HOMEWORK)
    result = hw("solve", "hw.yaml", "--seed", "3")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["params"]["w"] == [[0, -1, 0], [1, 1, 1], [0, -1, 0]]
    assert out["answers"] == {"conv": [[1, -2], [3, 1]], "relu": [[1, 0], [3, 1]], "pool": [[3]], "shape": [2, 2, 1]}


def test_lecture_examples_through_solve(hw, write):
    write("t.yaml", """\
        id: lecture
        title: Lecture examples
        family: conv-params
        params:
          s: 3
        network:
          input: {shape: [32, 32, 3]}
          layers:
            - conv: {filters: 10, size: 5, stride: 1, pad: 2}
            - conv: {filters: 4, size: 3, stride: s}
        ask:
          volume: {shape: 1, points: 1}
          params: {params: 1, points: 1}
          bad: {size: 2, points: 1}
          seven: {expr: "out_size(7, 3, 3)", points: 1}
          pad: {expr: "same_pad(5)", points: 1}
        statement: hi
        """)
    out = json.loads(hw("solve", "t.yaml").stdout)
    # 32x32x10, 760 parameters; (32 - 3)/3 + 1 and (7 - 3)/3 + 1 do not fit; P = (5 - 1)/2 = 2
    assert out["answers"] == {"volume": [32, 32, 10], "params": 760, "bad": "invalid", "seven": "invalid", "pad": 2}


def test_solve_uses_the_seed_and_is_reproducible(hw):
    first = hw("solve", "conv-relu-maxpool", "--seed", "5").stdout
    assert first == hw("solve", "conv-relu-maxpool", "--seed", "5").stdout
    assert first != hw("solve", "conv-relu-maxpool", "--seed", "6").stdout


def test_solve_of_a_missing_file_is_an_error(hw):
    result = hw("solve", "nope.yaml")
    assert result.exit_code == 1
    assert result.stderr == "Error: nope.yaml: no such template file\n"


def test_solve_of_an_unknown_bank_id_suggests_one(hw):
    result = hw("solve", "conv-relu-maxpol")
    assert result.exit_code == 1
    assert result.stderr == "Error: no template 'conv-relu-maxpol' in the bank; did you mean 'conv-relu-maxpool'?\n"


def test_usage_error_exits_2(hw):
    assert hw("solve").exit_code == 2
    assert hw("solve", "x.yaml", "--seed", "abc").exit_code == 2


def test_validate_accepts_the_whole_bank(hw):
    result = hw("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("file(s) valid.\n")


def test_list_shows_every_family(hw):
    result = hw("list")
    assert result.exit_code == 0
    for family in FAMILIES:
        assert f" {family} " in result.stdout


def test_list_follows_the_lecture_and_totals_each_assignment(hw):
    lines = hw("list").stdout.splitlines()
    assert lines[0] == "Templates:"
    templates = lines[1:lines.index("Assignments:")]
    # each line: id, family, points, parts; the families in their order 1 to 12
    numbers = [FAMILIES.index(line.split()[1]) + 1 for line in templates]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 13))
    assert templates[0].split()[:4] == ["output-size", "output-size", "2", "pts"]
    assert templates[-1].split()[:2] == ["perceptron", "perceptron"]
    # the docs' table (docs/generate.md), counted by hand from the assignment files
    assert lines[-2:] == ["  lecture5-exam      Exam: Convolutional networks (5 questions, 26 pts)",
                          "  lecture5-homework  Homework 5: Convolutional networks (17 questions, 77 pts)"]


@pytest.mark.parametrize("family", FAMILIES)
def test_bank_has_every_family(family):
    from problems.bank import bank
    assert any(t.family == family for t in bank().values())


def test_installed_command_finds_its_bank_outside_the_source_tree(tmp_path):
    # the console script and the package data of the installed distribution, run from elsewhere
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    hw_script = Path(sys.executable).with_name("hw")
    command = [str(hw_script)] if hw_script.exists() else [shutil.which("hw")]
    result = subprocess.run(command + ["solve", "conv-relu-maxpool"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["answers"]) == {"conv", "relu", "pool"}


FORWARD_PASSES = ["conv-relu-maxpool", "conv-padding-bias", "lecture-homework", "conv-multichannel"]


@pytest.mark.parametrize("template_id", FORWARD_PASSES)
def test_relu_has_something_to_do_in_every_forward_pass_of_the_bank(template_id):
    # a conv output with no negative entry makes the ReLU part a copy of the conv part: free points
    # that test nothing; the entries are checked here with NumPy, not with the solver's relu
    import numpy as np

    from grader.solve import solve
    from problems.bank import bank
    from problems.sample import sample_params
    from problems.validate import instance_rng
    template = bank()[template_id]
    assert [layer.kind for layer in template.network.layers[:2]] == ["conv", "relu"]
    for seed in range(100):
        conv = np.array(solve(template, sample_params(template, instance_rng(seed, "A", "q1"))).answers["conv"])
        assert conv.min() < 0 < conv.max(), (template_id, seed)
