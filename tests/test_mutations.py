"""Automatic corruptions of a copy of the data tree: each must be reported, never crash.

Every mutation changes one file (or the place of one file) of a copy of data/. Loading the
copy (`triage.data.store.load`) must raise `triage.errors.DataError` and nothing else, and every
problem it lists must name the mutated file, so a maintainer is sent to the right place.
A truncation may happen to leave a valid file (the cut falls between two items): that case
is skipped, but at least 90% of all cases must be caught. A sample then goes through the
real command line.
"""
from __future__ import annotations

import json
import random
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import DATA, copy_data, run_many

SEED = 20261127

# Keys a file kind must have, by path inside the file ("*" is any list index). A deleted
# required key is always a problem; `date`/`retrieved` count when the source has only one.
REQUIRED = {
    ("domain", ()): {"id", "name", "source", "indicators"},
    ("domain", ("indicators", "*")): {"id", "level", "text"},
    ("authority", ()): {"id", "name", "source", "levels", "consent"},
    ("authority", ("source",)): {"file", "title", "publisher", "date", "retrieved"},
    ("authority", ("levels", "*")): {"level", "name", "description", "action", "services", "call", "source"},
    ("authority", ("thresholds", "*")): {"id", "name", "description", "source"},
    ("authority", ("consent",)): {"levels", "summary", "exceptions", "source"},
    ("authority", ("services", "*")): {"id", "name", "description", "source"},
    ("authority", ("pathways", "*")): {"id", "name", "action", "source"},
    ("authority", ("groups", "*")): {"name", "domains"},
    ("common", ()): {"have_ready"},
    ("common", ("have_ready",)): {"source", "items"},
    ("common", ("have_ready", "source")): {"file", "title", "date", "retrieved"},
    ("common", ("pathways", "*")): {"id", "name", "action", "source"},
    ("contacts", ()): {"authority", "front_door", "contacts"},
    ("contacts", ("contacts", "*")): {"id", "name", "purpose", "hours", "source"},
}


def file_kind(rel: str) -> str:
    if rel.startswith("contacts/"):
        return "contacts"
    if rel == "indicators/common.yaml":
        return "common"
    return "authority" if rel.endswith("/authority.yaml") else "domain"


@dataclass
class Key:
    """One `key: value` of a file, where ruamel found it."""
    path: tuple          # the path of the mapping holding the key
    key: str
    line: int            # 1-based
    col: int             # 0-based column of the key
    value: object
    parent: object

    @property
    def general(self) -> tuple:
        return tuple("*" if isinstance(p, int) else p for p in self.path)


def keys_of(rel: str) -> list[Key]:
    from ruamel.yaml import YAML

    tree = YAML(typ="rt").load((DATA / rel).read_text(encoding="utf-8"))
    found: list[Key] = []

    def walk(node, path):
        if isinstance(node, dict):
            for key in node:
                line, col = node.lc.key(key)
                found.append(Key(path, str(key), line + 1, col, node[key], node))
                walk(node[key], path + (key,))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, path + (index,))

    walk(tree, ())
    return found


@dataclass
class Mutation:
    kind: str
    rel: str                      # the file changed (relative to the data tree)
    detail: str
    apply: Callable[[Path], None] = field(repr=False)
    line: int | None = None       # a problem must be reported on this line of `rel`
    also: tuple[str, ...] = ()    # other files a problem may name (a removed domain file)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.rel}:{self.detail}"

    def allowed(self, root: Path) -> tuple[str, ...]:
        return tuple(f"{root / r}:" for r in (self.rel, *self.also))


# ---------------------------------------------------------------------------------------
# Text helpers (every line of the data is a key, a list item, a comment or blank)


def read_lines(root: Path, rel: str) -> list[str]:
    return (root / rel).read_text(encoding="utf-8").split("\n")


def write_lines(root: Path, rel: str, lines: list[str]) -> None:
    (root / rel).write_text("\n".join(lines), encoding="utf-8")


def indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def block_end(lines: list[str], k: Key) -> int:
    """The index after the last line of k's value (0-based)."""
    end = k.line
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#") and indent(text) <= k.col:
            break
        end += 1
    return end


def first_in_item(lines: list[str], k: Key) -> bool:
    return lines[k.line - 1][: k.col].rstrip().endswith("-")


def set_value(k: Key, new_value: str) -> Callable[[Path, str], None]:
    def apply(root: Path, rel: str) -> None:
        lines = read_lines(root, rel)
        end = block_end(lines, k)
        head = lines[k.line - 1][: k.col]
        lines[k.line - 1: end] = [f"{head}{k.key}: {new_value}"]
        write_lines(root, rel, lines)
    return apply


def is_scalar(value) -> bool:
    return not isinstance(value, (dict, list))


# ---------------------------------------------------------------------------------------
# The mutations


def candidates(rel: str) -> dict[str, list[Mutation]]:
    kind = file_kind(rel)
    keys = keys_of(rel)
    lines = (DATA / rel).read_text(encoding="utf-8").split("\n")
    out: dict[str, list[Mutation]] = {k: [] for k in
                                       ("delete", "type", "duplicate", "indent", "bytes", "rename")}

    def add(group, detail, fn, line=None):
        out[group].append(Mutation(group, rel, detail, lambda root, fn=fn: fn(root, rel), line))

    for k in keys:
        required = REQUIRED.get((kind, k.general), set())
        # Delete a required key (with its block).
        if k.key in required and not (k.key in ("date", "retrieved") and {"date", "retrieved"} <= set(k.parent)):
            def delete(root, rel, k=k):
                lines = read_lines(root, rel)
                end = block_end(lines, k)
                if first_in_item(lines, k):
                    lines[k.line - 1: end] = [lines[k.line - 1][: k.col].rstrip()]
                else:
                    del lines[k.line - 1: end]
                write_lines(root, rel, lines)
            add("delete", f"{k.line}:{k.key}", delete)

        # Change a value's type: str -> list, int -> str, bool -> str, list -> str.
        in_hours = "hours" in k.path
        if isinstance(k.value, bool):
            add("type", f"{k.line}:{k.key}:bool->str", set_value(k, json.dumps(str(k.value).lower())), k.line)
        elif isinstance(k.value, int) and k.key == "level":  # (a year given as a number is valid text)
            add("type", f"{k.line}:{k.key}:int->str", set_value(k, json.dumps(str(k.value))), k.line)
        elif isinstance(k.value, str):
            add("type", f"{k.line}:{k.key}:str->list", set_value(k, json.dumps([str(k.value)], ensure_ascii=False)), k.line)
        elif isinstance(k.value, list) and not in_hours:
            first = str(k.value[0]) if k.value and is_scalar(k.value[0]) else "x"
            add("type", f"{k.line}:{k.key}:list->str", set_value(k, json.dumps(first, ensure_ascii=False)), k.line)

        # Duplicate an id (or a level number) of the item before, in a list of items.
        if k.key in ("id", "level") and k.path and isinstance(k.path[-1], int) and k.path[-1] > 0 \
                and (k.key == "id" or k.general == ("levels", "*")):
            holder = k.parent
            seq_keys = [x for x in keys if x.path == k.path[:-1] + (k.path[-1] - 1,) and x.key == k.key]
            if seq_keys and is_scalar(seq_keys[0].value) and is_scalar(holder[k.key]):
                previous = seq_keys[0].value
                add("duplicate", f"{k.line}:{k.key}={previous}", set_value(k, json.dumps(previous)), k.line)

        # Break the indentation: a tab before the key, or the line shifted.
        text = lines[k.line - 1]

        def tab(root, rel, k=k):
            lines = read_lines(root, rel)
            lines[k.line - 1] = "\t" + lines[k.line - 1]
            write_lines(root, rel, lines)
        add("indent", f"{k.line}:tab", tab, k.line)
        before = [x for x in keys if x.line < k.line]
        sibling = before and before[-1].parent is k.parent and is_scalar(before[-1].value) \
            and not first_in_item(lines, k) and text[: k.col].strip() == ""
        if sibling:
            def shift(root, rel, k=k, by=1):
                lines = read_lines(root, rel)
                line = lines[k.line - 1]
                lines[k.line - 1] = " " * by + line if by > 0 else line[-by:]
                write_lines(root, rel, lines)
            add("indent", f"{k.line}:+1", lambda root, rel, f=shift: f(root, rel, by=1))
            if k.col >= 2:
                add("indent", f"{k.line}:-2", lambda root, rel, f=shift: f(root, rel, by=-2))

        # Invalid bytes: an "e" of a text value written as latin-1 "é".
        if isinstance(k.value, str) and "e" in text[k.col + len(k.key) + 1:]:
            def latin1(root, rel, k=k):
                lines = read_lines(root, rel)
                line = lines[k.line - 1]
                at = line.index("e", k.col + len(k.key) + 1)
                before = "\n".join(lines[: k.line - 1] + [line[:at]])
                after = "\n".join([line[at + 1:]] + lines[k.line:])
                (root / rel).write_bytes(before.encode("utf-8") + b"\xe9" + after.encode("utf-8"))
            add("bytes", f"{k.line}:{k.key}", latin1, k.line)

        # Rename a key (a misspelling).
        def rename(root, rel, k=k):
            lines = read_lines(root, rel)
            line = lines[k.line - 1]
            assert line[k.col:].startswith(k.key + ":"), (line, k.key)
            lines[k.line - 1] = line[: k.col] + k.key + "x" + line[k.col + len(k.key):]
            write_lines(root, rel, lines)
        add("rename", f"{k.line}:{k.key}->{k.key}x", rename, k.line)
    return out


def whole_file_mutations(rel: str, rng: random.Random) -> dict[str, list[Mutation]]:
    size = len((DATA / rel).read_bytes())
    out: dict[str, list[Mutation]] = {"truncate": [], "empty": [], "folder": [], "remove": []}
    for cut in sorted(rng.sample(range(1, size), 3)):
        def truncate(root, cut=cut):
            path = root / rel
            path.write_bytes(path.read_bytes()[:cut])
        out["truncate"].append(Mutation("truncate", rel, f"at-{cut}-of-{size}", truncate))
    for detail, content in (("nothing", b""), ("comment-only", b"# emptied\n"), ("blank-lines", b"\n\n\n")):
        out["empty"].append(Mutation("empty", rel, detail, lambda root, c=content: (root / rel).write_bytes(c)))

    def folder(root):
        (root / rel).unlink()
        (root / rel).mkdir()
        (root / rel / "inner.yaml").write_text("id: x\n", encoding="utf-8")
    out["folder"].append(Mutation("folder", rel, "folder", folder))
    kind = file_kind(rel)
    if kind != "domain":
        out["remove"].append(Mutation("remove", rel, "removed", lambda root: (root / rel).unlink()))
    else:
        # authority.yaml lists its domains, so a removed domain file is reported where it is named.
        authority = str(Path(rel).parent / "authority.yaml")
        out["remove"].append(Mutation("remove", rel, "removed", lambda root: (root / rel).unlink(), also=(authority,)))
    return out


QUOTA = {"delete": 20, "type": 26, "duplicate": 16, "indent": 24, "bytes": 10, "rename": 18,
         "truncate": 24, "empty": 8, "folder": 6, "remove": 10}


def all_mutations() -> list[Mutation]:
    """QUOTA mutations of each kind, spread over the files (a random file, then a random place)."""
    rng = random.Random(SEED)
    files = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*.yaml"))
    pool: dict[str, dict[str, list[Mutation]]] = {k: {} for k in QUOTA}
    for rel in files:
        for group, found in {**candidates(rel), **whole_file_mutations(rel, rng)}.items():
            if found:
                pool[group][rel] = list(found)
    chosen: list[Mutation] = []
    for group, quota in QUOTA.items():
        by_file = pool[group]
        if group == "remove":  # every file whose loss cannot go unnoticed, then a few domain files
            must = [m for found in by_file.values() for m in found if not m.also]
            others = [m for found in by_file.values() for m in found if m.also]
            chosen += must + rng.sample(others, quota - len(must))
            continue
        taken = 0
        if group == "duplicate":  # one in each file that is not a domain file (levels, services, contacts...)
            for rel in sorted(by_file):
                if file_kind(rel) != "domain":
                    found = by_file[rel]
                    chosen.append(found.pop(rng.randrange(len(found))))
                    taken += 1
                    if not found:
                        del by_file[rel]
        while taken < quota and by_file:
            rel = rng.choice(sorted(by_file))
            found = by_file[rel]
            chosen.append(found.pop(rng.randrange(len(found))))
            taken += 1
            if not found:
                del by_file[rel]
    ids = [m.id for m in chosen]
    assert len(ids) == len(set(ids)), "each mutation is a different one"
    return chosen


MUTATIONS = all_mutations()


# ---------------------------------------------------------------------------------------
# Running one


@dataclass
class Outcome:
    problems: list | None = None      # DataError's problems
    loaded: bool = False              # loaded without error
    crash: str | None = None          # any other exception, with its traceback


def restore(root: Path, rel: str) -> None:
    path = root / rel
    if path.is_dir():
        shutil.rmtree(path)
    path.write_bytes((DATA / rel).read_bytes())


@pytest.fixture(scope="module")
def outcomes():
    return {}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("mutated") / "data")


def outcome_of(m: Mutation, root: Path, outcomes: dict) -> Outcome:
    if m.id not in outcomes:
        from triage import england
        from triage.data import reader
        from triage.data.store import load
        from triage.errors import DataError

        m.apply(root)
        try:
            # The scratch copy is a council's folder over the shipped tree, where a shared file
            # removed is the shipped one's to give (issue 21, part 1): its removal is a corruption
            # of the shipped tree itself, which the copy then stands as.
            shipped_removed = m.kind == "remove" and m.rel in (reader.COMMON, reader.NATIONAL)
            data = load(reader.Tree(root) if shipped_removed else root)
            # England's directory and the councils' own contacts files, as validate checks them.
            problems, _ = england.check(root, set(data.authorities.names.values()), frozenset(data.national))
            result = Outcome(problems=problems) if problems else Outcome(loaded=True)
        except DataError as error:
            result = Outcome(problems=list(error.problems))
        except BaseException:  # noqa: BLE001 - any other exception is the failure reported
            result = Outcome(crash=traceback.format_exc())
        finally:
            restore(root, m.rel)
        outcomes[m.id] = result
    return outcomes[m.id]


def test_there_are_many_different_mutations():
    assert len(MUTATIONS) >= 150
    assert len({m.id for m in MUTATIONS}) == len(MUTATIONS)
    assert {m.kind for m in MUTATIONS} == set(QUOTA)
    assert len({m.rel for m in MUTATIONS}) >= 25, "mutations should touch many of the files"


@pytest.mark.parametrize("m", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_is_reported_in_its_file(m, scratch, outcomes, memo_parse):
    result = outcome_of(m, scratch, outcomes)
    assert result.crash is None, f"{m.id} raised something other than DataError:\n{result.crash}"
    if result.loaded:
        if m.kind == "truncate":
            pytest.skip("this truncation leaves a valid file")
        pytest.fail(f"{m.id}: the corrupted tree loaded without any problem")
    assert result.problems, "DataError with no problems"
    allowed = m.allowed(scratch)
    strays = [str(p) for p in result.problems if not str(p).startswith(allowed)]
    assert not strays, (f"{m.id}: problems that do not name the mutated file {m.rel}:\n  "
                        + "\n  ".join(strays) + "\nall problems:\n  " + "\n  ".join(map(str, result.problems)))
    if m.line is not None:
        lines = [p.line for p in result.problems if p.file == str(scratch / m.rel)]
        assert m.line in lines, f"{m.id}: expected a problem on line {m.line}; got {result.problems}"


def test_the_first_problem_names_the_mutated_file(scratch, outcomes, memo_parse):
    """lookup, contacts and assess show only the first problem: it must send the user to the right file."""
    wrong = []
    for m in MUTATIONS:
        result = outcome_of(m, scratch, outcomes)
        if result.problems and not str(result.problems[0]).startswith(m.allowed(scratch)):
            wrong.append(f"{m.id}: {result.problems[0]}")
    assert not wrong, f"{len(wrong)} mutations whose first problem names another file:\n" + "\n".join(wrong)


def test_at_least_90_percent_are_caught(scratch, outcomes, memo_parse):
    results = [outcome_of(m, scratch, outcomes) for m in MUTATIONS]
    caught = sum(1 for r in results if r.problems)
    assert caught >= 0.9 * len(MUTATIONS), f"only {caught} of {len(MUTATIONS)} corruptions were reported"
    assert not [m.id for m, r in zip(MUTATIONS, results) if r.crash]


# ---------------------------------------------------------------------------------------
# A sample through the real command line

COMMANDS = [
    lambda root: (["validate", root], {}),
    lambda root: (["lookup", "-a", "herts", "--json"], {"TRIAGE_DATA_DIR": root}),
    lambda root: (["contacts", "-a", "notts", "--json"], {"TRIAGE_DATA_DIR": root}),
    lambda root: (["assess", "-a", "herts", "-i", "herts-health-l4-01", "--json"], {"TRIAGE_DATA_DIR": root}),
]
CLI_SAMPLE = random.Random(SEED + 1).sample([m for m in MUTATIONS if m.kind != "truncate"], 25)


def test_cli_reports_a_sample_without_traceback(tmp_path):
    calls = []
    for index, m in enumerate(CLI_SAMPLE):
        root = copy_data(tmp_path / f"case-{index}" / "data")
        m.apply(root)
        args, env = COMMANDS[index % len(COMMANDS)](root)
        if m.rel.startswith("england/") and args[0] != "validate":
            # A council's own contacts file is read by the commands for that council.
            args = ["contacts", "-a", Path(m.rel).stem, "--json"]
        calls.append((args, env))
    results = run_many(calls)
    runs = [(m, args, result) for m, (args, _), result in zip(CLI_SAMPLE, calls, results)]
    failures = []
    for m, args, result in runs:
        command = " ".join(str(a) for a in args[:1])
        why = []
        if result.returncode == 0:
            why.append("exit status 0")
        if "Traceback" in result.stderr:
            why.append("a traceback")
        if not any(r in result.stdout + result.stderr for r in (m.rel, *m.also)):
            why.append(f"the file {m.rel} is not named")
        if command != "validate" and len(result.stderr.splitlines()) != 1:
            why.append("not one line on stderr")
        if why:
            failures.append(f"{m.id} via `triage {' '.join(map(str, args))}`: {', '.join(why)} "
                            f"(exit {result.returncode})\n    stdout: {result.stdout[:300]!r}\n    stderr: {result.stderr[:300]!r}")
    assert not failures, f"{len(failures)} of {len(runs)} runs went wrong:\n" + "\n".join(failures)
