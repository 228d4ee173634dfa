import contextlib
import signal
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


def question_record_from(text: str, path):
    """A template's first instance (seed 0) as the manifest records a question: the template written
    to `path` from dedented text, loaded, sampled and solved as hw generate does."""
    from grader.solve import solve
    from problems.build import Question, question_record
    from problems.load import parse_template
    from problems.rng import Rng
    from problems.sample import sample_params
    from problems.yamlio import load_yaml

    path.write_text(textwrap.dedent(text))
    data, lines = load_yaml(path)
    template = parse_template(data, lines, str(path))
    params = sample_params(template, Rng.from_seed(0))
    return question_record(Question("q1", template, params, solve(template, params)))


@contextlib.contextmanager
def deadline(seconds: int, what: str):
    """TimeoutError(what) if the block takes longer: a test of a hang fails instead of hanging."""
    def timed_out(signum, frame):
        raise TimeoutError(what)

    previous = signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
