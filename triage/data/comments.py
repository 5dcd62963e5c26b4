"""What `validate` warns about without refusing: text cut short by ` #`.

In YAML, ` #` starts a comment, even in the middle of an unquoted value: `text: Child is
left alone #2 nights` is read as "Child is left alone", and the rest is silently dropped. A
comment after a value is often meant (`same_as: notts-threshold-4b-08  # printed again`),
so this is a warning, and only for keys that hold text wherever they appear. The round-trip
loader keeps comments and where they are; it runs only on files with such a line.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from . import reader
from .schema import line_of, text_keys

# A line with an unquoted value before a " #": under a key that holds text, or a list item
# (whose key is known only once parsed). Only files with such a line are parsed again: the
# shipped files' comments follow ids (same_as, known_case), and cost nothing here.
_PLAIN = r"[^\s\"'#|>&*!%@`{\[][^\n]*?[ \t]#"
_maybe: re.Pattern | None = None


def maybe_cut(text: str) -> bool:
    """Whether a line of `text` holds such a value. Only the lines holding " #" are matched
    (a whole tree of 150 authorities took 0.13 s with one pattern over every line)."""
    global _maybe
    if _maybe is None:
        keys = "|".join(sorted(map(re.escape, text_keys())))
        _maybe = re.compile(rf"[ \t]*(?:-[ \t]+)?(?:{keys}):[ \t]+{_PLAIN}|[ \t]*-[ \t]+(?![\w-]+:[ \t]){_PLAIN}")
    for mark in (" #", "\t#"):
        at = text.find(mark)
        while at != -1:  # str.find: a tree of 150 authorities is some megabytes of text
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end == -1 else end
            if _maybe.match(text, start, end):
                return True
            at = text.find(mark, end)
    return False


def cut_short(root: Path | reader.Tree, rels: list[str]) -> list[Problem]:
    """A warning for each unquoted text value followed by a comment on its line."""
    found: list[Problem] = []
    for rel in rels:
        path = root / rel
        try:
            data = reader.read_bytes(path)
        except reader.Refused:
            continue  # reported as a problem by the load
        if b"#" not in data:  # most files: no comment at all
            continue
        where = str(path)
        try:
            text = reader.decode(data, where)
        except reader.Refused:
            continue
        if not maybe_cut(text):
            continue
        try:
            reader.parse(text, where)  # refuse aliases and deep nesting before the round-trip loader
            node = _located(text)
        except Exception:  # a file that does not parse is reported as a problem by the load
            continue
        lines = text.split("\n")
        found += [Problem(where, line, message) for line, message in _walk(node, None, lines)]
    return found


def _located(text: str):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # a quoted value is a ScalarString, a plain one a str
    return yaml.load(text)


def _walk(node, parent_key, lines: list[str]):
    """(line, message) for each plain text value of `node` with a comment after it on its line."""
    pending = [(node, parent_key)]
    while pending:  # a loop, not recursion: the reader bounds nesting, this never needs to
        node, parent_key = pending.pop()
        comments = getattr(getattr(node, "ca", None), "items", {})
        if isinstance(node, dict):
            items = [(key, value, key, line_of(node, key)) for key, value in node.items()]
        elif isinstance(node, list):
            items = [(index, value, parent_key, line_of(node, index)) for index, value in enumerate(node)]
        else:
            continue
        for place, value, key, line in items:
            if isinstance(value, (dict, list)):
                pending.append((value, key if isinstance(node, dict) else parent_key))
                continue
            if type(value) is not str or key not in text_keys():
                continue
            token = next((t for t in comments.get(place) or () if t is not None and hasattr(t, "start_mark")), None)
            if token is None:
                continue
            row, column = token.start_mark.line, token.start_mark.column
            if row >= len(lines) or not lines[row][:column].strip():
                continue  # a comment on a line of its own
            dropped = token.value.split("\n", 1)[0].rstrip()
            what = f"'{key}'" if isinstance(node, dict) else f"item {place + 1} of '{key}'"
            yield line or row + 1, (f"warning: {what} is read as \"{value}\", and \"{dropped}\" after it as a comment "
                                    "(' #' starts one): if it is part of the text, put the whole value in double quotes")
