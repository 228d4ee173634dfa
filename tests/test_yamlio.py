"""Reading YAML: libyaml's parser under PyYAML's composer gives what PyYAML alone gives."""
import pytest
import yaml

from problems import yamlio
from problems.bank import assignment_files, bank_files
from problems.errors import TemplateError

libyaml_missing = yamlio.LOADER is yamlio._NoAliasLoader


def read_with(loader_class, path):
    return yamlio._load(loader_class, path.read_text(encoding="utf-8"), str(path))


@pytest.mark.skipif(libyaml_missing, reason="this PyYAML has no libyaml")
@pytest.mark.parametrize("path", bank_files() + assignment_files(), ids=lambda p: p.name)
def test_the_bank_reads_the_same_with_libyaml_as_with_pyyaml(path):
    data, lines = read_with(yamlio.LOADER, path)
    assert (data, lines) == read_with(yamlio._NoAliasLoader, path)
    assert lines[("id",) if "id" in data else ("title",)] == 1 and len(lines) > 5


UNUSUAL = """\
id: t   # a comment
plain: 0x1F
octal: 010
float: 1e3
sexagesimal: 1:30
dates: 2026-12-02
flags: [yes, No, on, off, ~, null, true]
quoted: "tab\\there, \\u00e9"
folded: >
  one
  two
literal: |-
  $W_2 = (W_1 - F + 2P)/S + 1$
nested: {a: [1, [2, 3]], b: {c: -4.5}}
empty:
"""


@pytest.mark.skipif(libyaml_missing, reason="this PyYAML has no libyaml")
def test_yaml_1_1_types_resolve_alike_in_both(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(UNUSUAL)
    data, lines = read_with(yamlio.LOADER, path)
    assert (data, lines) == read_with(yamlio._NoAliasLoader, path)
    assert data["plain"] == 31 and data["octal"] == 8 and data["sexagesimal"] == 90
    assert data["flags"] == [True, False, True, False, None, None, True] and lines[("nested", "a", 1, 0)] == 14


def test_an_alias_is_refused_at_its_own_line_and_a_syntax_error_in_pyyamls_words(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("a: &x [1, 2]\nb: 3\nc: *x\n")
    with pytest.raises(TemplateError) as refused:
        yamlio.load_yaml(path)
    assert str(refused.value.errors[0]) == f"{path}:3: YAML aliases (*name) are not allowed in hw files"
    path.write_text("a: [1, 2\nb: 3\n")
    with pytest.raises(TemplateError) as broken:
        yamlio.load_yaml(path)
    with pytest.raises(yaml.MarkedYAMLError) as pyyaml:          # PyYAML alone, for its message
        yaml.safe_load("a: [1, 2\nb: 3\n")
    assert str(broken.value.errors[0]) == f"{path}:2: YAML syntax error: {pyyaml.value.problem}"


@pytest.mark.parametrize("text, message", [
    ("id: t\n---\nid: u\n",
     "2: YAML syntax error: expected a single document in the stream (line 1), but found another document"),
    ("id: t\nx: &a 1\ny: &a 2\n",
     "3: YAML syntax error: found duplicate anchor 'a'; first occurrence (line 2), second occurrence"),
])
def test_a_composer_error_says_what_it_expected_as_well_as_what_it_found(tmp_path, text, message):
    assert first_error(tmp_path, text) == message


def first_error(tmp_path, text):
    """The first error load_yaml gives for a file of `text`, after its `path:`."""
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(TemplateError) as refused:
        yamlio.load_yaml(path)
    error = str(refused.value.errors[0])
    assert error.startswith(f"{path}:")
    return error[len(f"{path}:"):]


@pytest.mark.parametrize("text, message", [
    ('id: t\ntitle: "Sizes \\ud800"\n', "2: \\ud800 is half of a UTF-16 surrogate pair, not a character: "
                                        "write the character itself"),
    ('id: t\nparams:\n  "\\udc00": 1\n', "3: \\udc00 is half of a UTF-16 surrogate pair, not a character: "
                                         "write the character itself"),          # in a key
    ('id: t\ntitle: "A face \\ud83d\\ude00"\n', "2: \\ud83d is half of a UTF-16 surrogate pair, not a character: "
                                                "write \\U0001F600 for the character they stand for"),
])
def test_half_of_a_surrogate_pair_is_refused_at_its_line(tmp_path, text, message):
    # libyaml refuses these escapes; PyYAML's own parser, which then reads the file, takes them
    assert first_error(tmp_path, text) == message


def test_a_character_beyond_the_basic_plane_written_as_yaml_escapes_it_is_read(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text('id: t\ntitle: "A face \\U0001F600 and \\u00e9"\n')
    assert yamlio.load_yaml(path)[0]["title"] == "A face \U0001F600 and \u00e9"
