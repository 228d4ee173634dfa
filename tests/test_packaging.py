"""What the package declares: the oldest versions it admits are the ones CI tests."""
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _floors(text: str) -> dict[str, str]:
    """name -> version of every 'name>=version' in the project's dependencies list."""
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M).group(1)
    return dict(re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9][^",;]*)"', block))


def test_the_minimum_versions_ci_tests_are_the_floors_pyproject_declares():
    declared = _floors((REPO / "pyproject.toml").read_text())
    pinned = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (REPO / "tests" / "minimum-versions.txt").read_text(), re.M))
    assert declared == pinned
    assert set(declared) == {"numpy", "jinja2", "pyyaml", "click", "fonttools", "orjson"}
