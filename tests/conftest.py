import textwrap

import pytest
from click.testing import CliRunner

from cli import main

HEADER = """\
id: t
title: T
family: output-size
points: 1
"""


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path from dedented text and return its path."""
    def write(name: str, text: str, header: bool = False):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((HEADER if header else "") + textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture
def hw(tmp_path, monkeypatch):
    """Run the hw command in tmp_path; returns click's Result (stdout, stderr, exit_code)."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return run
