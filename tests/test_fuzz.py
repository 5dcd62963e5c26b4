"""A fuzz of every door into triage (issue 14): command lines (`--at`, names, paths, output
encodings), answers files (types, nesting, sizes, aliases, control characters) and
field-level mutations of the data tree. Each generated case runs the real entry point in this
process (conftest.invoke_triage) and must end with:

- no traceback (an exception main() does not handle fails the case, with the example);
- a known exit status (0, 2, 1 for validate's findings), and a failure as one line on stderr;
- bounded output;
- no control character, bidi mark or lone surrogate on stdout or stderr.

At least 2,000 cases per run, split between the three doors; TRIAGE_FUZZ_EXAMPLES=20000 runs
more. Hypothesis prints the failing example and how to reproduce it.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, copy_data, invoke_triage
from test_hostile import CONTROL, SPOOF

TOTAL = max(2000, int(os.environ.get("TRIAGE_FUZZ_EXAMPLES", "2000")))
# A data-tree case costs ten of the others (a model is built from the mutated tree).
SHARES = {"command line": 0.6, "answers file": 0.3, "data tree": 0.1}
RUN: dict[str, int] = {}  # cases run per door, checked by the last test
WHEN = "2026-11-27T16:45"
MOST_OUT, MOST_ERR = 2_000_000, 4_000  # every listing fits in the first; an error line in the second


def fuzz(door: str, parts: int = 1) -> settings:
    """Hypothesis settings for one door's share of the cases (no deadline: the machine is shared)."""
    return settings(max_examples=int(TOTAL * SHARES[door]) // parts + 1, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def check(result, codes=(0, 2)) -> None:
    out, err = result.stdout, result.stderr
    assert result.returncode in codes, (result.returncode, err[-300:])
    assert len(out) <= MOST_OUT and len(err) <= MOST_ERR, (len(out), len(err))
    for name, text in (("stdout", out), ("stderr", err)):
        found = CONTROL.search(text)
        assert found is None, f"{name} carries {found.group()!r} near {text[max(found.start() - 60, 0):found.end() + 20]!r}"
    if result.returncode == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("triage: error: "), err[-500:]


# ---------------------------------------------------------------------------------------
# Text a red team would type

SHARP = "\x1b\r\n\t\x07\x08\x7f\x9b\u202e\u2066\u2028\udcff\udc9b"  # controls, marks, an undecodable byte
NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.sampled_from(SHARP + "[2K;0123456789aZ -:+.TZé’“/~*?"), max_size=30),
    st.sampled_from([SPOOF, "", " ", "\t", "x" * 5000, "..", "/", "~nosuchuser", "-", "--", "-a", "--json", "é" * 300,
                     "\u202eherts", "herts\x1b[2K", "\udcff", "H\u0338erts", "ｈｅｒｔｓ", "herts\n", "NUL\\x00"]),
)
ARGV_TEXT = NASTY_TEXT.map(lambda text: text.replace("\x00", ""))  # a real command line holds no NUL


def maybe(option: str, values) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda value: [option, value]))


def moment_text() -> st.SearchStrategy[str]:
    offsets = st.one_of(st.just(""), st.just("Z"), st.builds(lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
                                                              st.sampled_from("+-"), st.integers(0, 23),
                                                              st.integers(0, 59)))
    precise = st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds"])
    built = st.builds(lambda moment, offset, spec: moment.isoformat(timespec=spec) + offset,
                      st.datetimes(), offsets, precise)
    edges = st.sampled_from(["0001-01-01T00:00Z", "0001-01-01T00:00+01:00", "9999-12-31T23:59", "9999-12-31T23:59-23:59",
                             "2000-01-01T00:00+23:59", "2100-12-31T23:59-23:59", "2026-03-29T01:30", "2026-10-25T01:30",
                             "2026-11-27", "16:45", "2026-02-30T10:00", "2026-11-27T24:00", "now", WHEN])
    return st.one_of(built, edges, ARGV_TEXT)


def shipped_names():
    from triage.dataset import load

    data = load(DATA)
    authorities = [name for a in data.authorities.values() for name in (a.id, *a.aliases, a.name)]
    domains = [d.id for a in data.authorities.values() for d in a.domains] + [d.name for a in data.authorities.values()
                                                                                for d in a.domains]
    ids = sorted(i.id for a in data.authorities.values() for i in a.indicators)[::7]
    districts = sorted({c.district for a in data.authorities.values() for c in a.contacts.values() if c.district})
    return data, authorities, domains, ids, districts


DATASET, AUTHORITIES, DOMAINS, IDS, DISTRICTS = shipped_names()
AUTHORITY = st.one_of(st.sampled_from(AUTHORITIES + ["HERTS", " herts "]), ARGV_TEXT)
INDICATOR = st.one_of(st.sampled_from(IDS), ARGV_TEXT)
ENCODING = st.sampled_from([None, "utf-8", "ascii", "latin-1"])


def output_path(folder: Path):
    kinds = st.sampled_from(["rec.md", "rec.json", "x" * 300 + ".md", "missing/rec.md", ".", "", "/dev/null",
                             "rec.md/inside.md", "nested/../rec.md"])
    return st.one_of(kinds.map(lambda name: name if name in ("", "/dev/null") else str(folder / name)),
                     ARGV_TEXT.filter(lambda text: "/" not in text).map(lambda text: str(folder / f"r{text}")))


@st.composite
def command_line(draw, folder: Path) -> list[str]:
    flag = lambda name: draw(st.sampled_from([[], [name]]))  # noqa: E731
    kind = draw(st.sampled_from(["contacts", "lookup", "assess", "validate", "anything"]))
    if kind == "contacts":
        return ["contacts", *draw(maybe("-a", AUTHORITY)), *draw(maybe("--at", moment_text())),
                *draw(maybe("-d", st.one_of(st.sampled_from(DISTRICTS), ARGV_TEXT))), *flag("--json")]
    if kind == "lookup":
        domain = draw(st.one_of(st.just([]), st.sampled_from(DOMAINS).map(lambda d: [d]), ARGV_TEXT.map(lambda d: [d])))
        return ["lookup", *domain, *draw(maybe("-a", AUTHORITY)), *draw(maybe("-l", st.sampled_from(["0", "1", "4", "5",
                "x", "-1", "99999999999999999999"]))), *draw(maybe("-s", ARGV_TEXT)), *flag("--json")]
    if kind == "assess":
        indicators = draw(st.lists(INDICATOR, max_size=4))
        return ["assess", *draw(maybe("-a", AUTHORITY)), *[part for i in indicators for part in ("-i", i)],
                *draw(maybe("--consent", st.one_of(st.sampled_from(["yes", "no", "Y", "true"]), ARGV_TEXT))),
                *draw(maybe("--at", moment_text())), *flag("--json"), *flag("--immediate-danger"),
                *flag("--mental-health-crisis"), *draw(maybe("--output", output_path(folder))), *flag("--force")]
    if kind == "validate":
        # Not yet: "x" * 5000 and "~nosuchuser" (issue 14 items 10 and 11, fixed on the data layer's branch).
        target = draw(st.sampled_from([str(DATA), str(folder / "nowhere"), str(folder), "/dev/null", "x" * 200, ""]))
        return ["validate", target]
    return draw(st.lists(ARGV_TEXT, max_size=5))


@pytest.mark.parametrize("part", [0, 1])  # two halves, so a failure in one still runs the other
def test_fuzz_command_lines(tmp_path, part):
    folder = tmp_path / "out"
    folder.mkdir()

    @fuzz("command line", parts=2)
    @given(argv=command_line(folder), authority_env=st.one_of(st.none(), AUTHORITY), encoding=ENCODING)
    def case(argv, authority_env, encoding):
        RUN["command line"] = RUN.get("command line", 0) + 1
        result = invoke_triage(*argv, env={"TRIAGE_AUTHORITY": authority_env, "COLUMNS": "80"}, encoding=encoding)
        check(result, codes=(0, 1, 2) if argv[:1] == ["validate"] else (0, 2))
        assert not [p.name for p in folder.rglob(".triage-*")], "a temporary record file was left behind"

    case()


# ---------------------------------------------------------------------------------------
# Answers files

ANSWER_KEYS = ["authority", "indicators", "immediate_danger", "mental_health_crisis", "consent", "at"]
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), NASTY_TEXT, st.sampled_from(
    ["herts", "notts", "yes", "no", WHEN, "0001-01-01T00:00:00Z", "9999-12-31T23:59", *IDS[:20]]))
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                         max_size=4), max_leaves=12)
DOCUMENT = st.dictionaries(st.one_of(st.sampled_from(ANSWER_KEYS), st.text(max_size=12)), VALUE, max_size=7)


def alias_bomb(levels: int) -> str:
    rows = ['  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"  - &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(rows) + "\n"


@st.composite
def answers_bytes(draw) -> bytes:
    """One answers file, written in one of many shapes."""
    kind = draw(st.sampled_from(["json", "yaml", "bomb", "deep", "big", "tags", "bytes"]))
    if kind == "json":
        return json.dumps(draw(DOCUMENT), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "yaml":  # flow style, keys and values quoted as JSON strings, which YAML reads too
        document = draw(DOCUMENT)
        return "\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in document.items()).encode("utf-8", "surrogatepass")
    if kind == "bomb":
        key = draw(st.sampled_from(ANSWER_KEYS))
        return f"authority: herts\n{key}:\n{alias_bomb(draw(st.integers(1, 10)))}".encode()
    if kind == "deep":
        # Deeper than 300 is refused as Python's recursion limit is reached, which takes ~1 s
        # each time: test_hostile covers 20,000 and 100,000 once.
        depth = draw(st.sampled_from([1, 10, 100, 300]))
        opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ("a: ", "")]))
        if opening == "a: ":
            return "".join(f"{'  ' * n}a:\n" for n in range(depth)).encode()
        return (f'{{"authority": "herts", "indicators": {opening * depth}1{closing * depth}}}').encode()
    if kind == "big":
        size = draw(st.sampled_from([99_000, 100_000, 100_001, 150_000]))
        head = b'authority: herts\nindicators: [herts-health-l4-01]\n# '
        return head + b"x" * (size - len(head))
    if kind == "tags":
        return draw(st.sampled_from([
            b"!!python/object/apply:os.system ['echo pwned']\n", b"authority: !!binary aGVydHM=\n",
            b"authority: herts\nindicators: !!set {a, b}\n", b"? [herts]\n: herts\n", b"{[1]: 2}\n",
            b"authority: &a herts\nindicators: [*a]\n", b"authority: herts\nauthority: notts\n",
            b"<<: {authority: herts}\nindicators: [herts-health-l4-01]\n", b"\xef\xbb\xbfauthority: herts\n",
            b"authority: herts\r\nindicators: [herts-health-l4-01]\r\n", b"authority:\therts\n", b"authority: *nothing\n",
            b"%YAML 1.1\n---\nauthority: herts\nimmediate_danger: yes\n", b"---\n...\n---\nauthority: herts\n",
            b"authority: herts\nat: 2026-11-27 16:45:00.123456789+14:00\n", b"at: 0001-01-01\n", b"at: 99999-01-01\n",
        ]))
    return draw(st.binary(max_size=300))


def test_fuzz_answers_files(tmp_path):
    answers = tmp_path / "answers.yaml"

    @fuzz("answers file")
    @given(content=answers_bytes(), extra=st.sampled_from([[], ["--json"], ["-a", "notts"], ["-i", "herts-health-l4-01"],
                                                           ["--at", WHEN, "--json"]]))
    def case(content, extra):
        RUN["answers file"] = RUN.get("answers file", 0) + 1
        answers.write_bytes(content)
        start = time.perf_counter()
        check(invoke_triage("assess", "--answers", str(answers), *extra))
        assert time.perf_counter() - start < 10, "an answers file took over 10 s"

    case()


# ---------------------------------------------------------------------------------------
# Field-level mutations of the data tree

FIELDS = {"name", "text", "url", "notice", "for", "routing", "assumption", "description", "action", "summary",
          "hours", "district", "purpose", "front_door", "level", "phone", "email", "advice", "note", "title"}
REPLACEMENTS = st.one_of(
    NASTY_TEXT.map(lambda text: json.dumps(text)),  # a double-quoted YAML string, escapes and all
    st.sampled_from(["[]", '["call the office"]', "123", "-1", "null", "{a: 1}", "''", "*nosuchalias", "!!binary aGk=",
                     '"' + "x" * 10_000 + '"', "[[[[[[]]]]]]", "true", "2026-11-27", "'0300 123 4043\\e[2K'"]),
)


def field_lines() -> list[tuple[str, int]]:
    """(file, line number) of every `key: value` line whose key is a text field."""
    import re

    found = []
    pattern = re.compile(r"^\s*(?:- )?([a-z_]+):\s+\S")
    for file in sorted(DATA.rglob("*.yaml")):
        rel = str(file.relative_to(DATA))
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
            match = pattern.match(line)
            if match and match.group(1) in FIELDS:
                found.append((rel, number))
    return found


LINES = field_lines()


def authority_of(rel: str) -> str:
    """The authority whose command reads this file of the tree (herts for a shared file)."""
    parts = rel.removesuffix(".yaml").split("/")
    if rel in ("indicators/common.yaml", "contacts/national.yaml"):
        return "herts"
    return parts[-1] if parts[0] in ("contacts", "england") else parts[1]


def test_fuzz_data_tree_fields(tmp_path, memo_parse, private_cache):
    tree = copy_data(tmp_path / "data")
    originals = {rel: (tree / rel).read_text(encoding="utf-8") for rel, _ in LINES}

    @fuzz("data tree")
    @given(where=st.lists(st.sampled_from(LINES), min_size=1, max_size=2), new=st.lists(REPLACEMENTS, min_size=2,
                                                                                         max_size=2))
    def case(where, new):
        RUN["data tree"] = RUN.get("data tree", 0) + 1
        changed = {}
        for (rel, number), value in zip(where, new):
            lines = changed.get(rel, originals[rel]).splitlines()
            key = lines[number].split(":", 1)[0]
            lines[number] = f"{key}: {value}"
            changed[rel] = "\n".join(lines) + "\n"
        try:
            for rel, text in changed.items():
                (tree / rel).write_text(text, encoding="utf-8")
            validated = invoke_triage("validate", str(tree))
            check(validated, codes=(0, 1))
            env = {"TRIAGE_DATA_DIR": str(tree), "COLUMNS": "80"}
            if validated.returncode == 1:  # a broken tree is reported, never half used
                # A command checks the shared files and its own authority's, so it is asked
                # about the authority of the first file validate names.
                first = validated.stdout.split(f"{tree}{os.sep}", 1)[1].split(":", 1)[0]
                result = invoke_triage("contacts", "-a", authority_of(first), "--at", WHEN, env=env)
                check(result)
                assert result.returncode == 2 and "the data is broken" in result.stderr
                return
            authority = authority_of(where[0][0])
            for args in (("contacts", "-a", authority, "--at", WHEN), ("lookup", "-a", authority, "--json"),
                         ("assess", "-a", "herts", "-i", "herts-health-l4-01", "--immediate-danger", "--at", WHEN)):
                check(invoke_triage(*args, env=env))
        finally:
            for rel in changed:
                (tree / rel).write_text(originals[rel], encoding="utf-8")

    case()


def test_fuzz_ran_every_case():
    """The doors above ran at least TOTAL cases between them (when run together)."""
    if len(RUN) < len(SHARES):
        pytest.skip("runs only after every fuzz test of this module")
    assert sum(RUN.values()) >= TOTAL, RUN
