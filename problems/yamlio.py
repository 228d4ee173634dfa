"""Safe YAML reading that remembers the line of every value.

Templates and assignments are data, never code: only YAML's plain types are
built (SafeLoader), aliases are refused (so no "billion laughs" expansion), a
duplicate key is an error instead of a silent overwrite, and files and nesting
are bounded.  ``load_yaml`` returns the data and a map from each value's path
(a tuple of keys and indexes) to its 1-based line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
import yaml.composer
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from problems.errors import HwError, TemplateError

MAX_FILE_BYTES = 256 * 1024
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
UTF16 = "UTF-16 text: save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
WORKBOOK_MARKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")     # .xlsx (a zip), .xls
WORKBOOK = "a spreadsheet workbook (.xlsx or .xls), not text: save it as CSV (in Excel: \"CSV UTF-8\")"


def text_problem(data: bytes) -> str | None:
    """What keeps these bytes from being read as a text file, when a spreadsheet made them."""
    if data.startswith(UTF16_MARKS):      # Excel's "Unicode text"
        return UTF16
    if data.startswith(WORKBOOK_MARKS):
        return WORKBOOK
    return None
MAX_DEPTH = 32

Lines = dict[tuple, int]
TEXT = "<text>"     # lines[path + (TEXT,)]: where a literal block's text starts (a scalar has no keys)


def _refuse_alias(loader: Any) -> None:
    if loader.check_event(yaml.AliasEvent):
        line = loader.peek_event().start_mark.line + 1
        raise HwError("YAML aliases (*name) are not allowed in hw files", file=loader.name, line=line)


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        _refuse_alias(self)
        return super().compose_node(parent, index)


if getattr(yaml, "__with_libyaml__", False):
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.cyaml import CParser
    from yaml.resolver import Resolver

    class _LibyamlLoader(CParser, Composer, SafeConstructor, Resolver):
        """libyaml's scanner and parser, in C, under PyYAML's own composer, constructor and resolver:
        the same data and lines as _NoAliasLoader, an alias still refused at its own line, and the
        bank read in 12 ms instead of 60. CParser's own composing, in C, would follow aliases."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document

        def compose_node(self, parent: Any, index: Any) -> Any:
            _refuse_alias(self)
            return Composer.compose_node(self, parent, index)

    LOADER: type = _LibyamlLoader
else:                                   # a PyYAML built without libyaml
    LOADER = _NoAliasLoader


def line_of(lines: Lines, path: tuple) -> int | None:
    """The line of a path, or of its nearest ancestor that has one."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES, name: str | None = None) -> str:
    name = name or str(path)
    try:
        with path.open("rb") as file:       # read to the limit only: a pipe or a device has no size to check
            data = file.read(limit + 1)
        if len(data) > limit:
            raise HwError(f"file is larger than {limit // 1024} KiB", file=name)
        problem = text_problem(data)
        if problem:
            raise HwError(problem, file=name)
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HwError("not a UTF-8 text file", file=name) from None
    except OSError as e:
        raise HwError(f"cannot read: {e.strerror or e}", file=name) from None


def load_yaml(path: Path, *, name: str | None = None) -> tuple[Any, Lines]:
    name = name or str(path)
    text = read_text(path, name=name)
    if LOADER is not _NoAliasLoader:
        try:
            return _load(LOADER, text, name)
        except yaml.YAMLError:
            pass        # read again by PyYAML's own parser: its words for what is wrong (or it reads it)
    try:
        return _load(_NoAliasLoader, text, name)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = e.problem or e.context or "invalid YAML"
        if isinstance(e, yaml.composer.ComposerError) and e.context and e.problem:
            # the composer's problem goes on from its context: "expected a single document in the
            # stream" / "but found another document"; "found duplicate anchor 'a'; first occurrence"
            # (where) / "second occurrence"
            where = f" (line {e.context_mark.line + 1})" if e.context_mark and e.problem_mark and \
                e.context_mark.line != e.problem_mark.line else ""
            what = f"{e.context}{where}, {e.problem}"
        raise TemplateError([HwError(f"YAML syntax error: {what}", file=name, line=line)]) from None
    except yaml.YAMLError as e:
        raise TemplateError([HwError(f"YAML error: {e}", file=name)]) from None


def _load(loader_class: type, text: str, name: str) -> tuple[Any, Lines]:
    """The data and lines of a YAML text; what breaks hw's rules as TemplateError, YAML's own errors
    as they are."""
    loader = loader_class(text)
    loader.name = name
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        data = _build(loader, node, (), lines, 0, name) if node is not None else None
    except TemplateError:
        raise
    except HwError as e:
        raise TemplateError([e]) from None
    except RecursionError:
        raise TemplateError([HwError(f"nested deeper than {MAX_DEPTH} levels", file=name)]) from None
    finally:
        loader.dispose()
    return data, lines


def _characters_only(node: ScalarNode, name: str) -> None:
    """Refuse a scalar holding half of a UTF-16 surrogate pair ("\\ud800" in double quotes; libyaml
    refuses it, PyYAML's own parser reads it): it is no character, and no sheet, key or manifest
    (all UTF-8) could hold it. Two halves that pair are refused too (YAML does not pair them), with
    the escape that writes their character."""
    text = node.value
    if text.isascii():
        return
    for at, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            low = text[at + 1:at + 2]
            pair = char <= "\udbff" and "\udc00" <= low <= "\udfff"
            fix = (f"write \\U{0x10000 + (ord(char) - 0xD800) * 0x400 + ord(low) - 0xDC00:08X} for the character "
                   "they stand for" if pair else "write the character itself")
            raise HwError(f"\\u{ord(char):04x} is half of a UTF-16 surrogate pair, not a character: {fix}",
                          file=name, line=node.start_mark.line + 1)


def _build(loader: yaml.SafeLoader, node: Any, path: tuple, lines: Lines, depth: int, name: str) -> Any:
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise TemplateError([HwError(f"nested deeper than {MAX_DEPTH} levels", file=name, line=line)])
    lines[path] = line
    if isinstance(node, ScalarNode):
        _characters_only(node, name)
        if node.style == "|":       # a literal block: its text starts on the line after the '|', line for line
            lines[path + (TEXT,)] = line + 1
        return loader.construct_object(node, deep=True)
    if isinstance(node, SequenceNode):
        return [_build(loader, item, path + (i,), lines, depth + 1, name) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                _characters_only(key_node, name)
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, ScalarNode) else None
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TemplateError([HwError("mapping keys must be plain names", file=name, line=key_line)])
            if key in out:
                raise TemplateError([HwError(f"duplicate key {key!r}", file=name, line=key_line)])
            out[key] = _build(loader, value_node, path + (key,), lines, depth + 1, name)
            lines[path + (key,)] = key_line
        return out
    raise TemplateError([HwError("unsupported YAML node", file=name, line=line)])
