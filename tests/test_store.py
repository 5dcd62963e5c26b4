"""Code or data planted in a data tree or a cache (SAFETY.md H15), and files that never end.

Nothing read by triage can run code: pickle payloads planted under every name the package
ships or reads, in a tree and in place of every cache file, run nothing. The cache folder
is triage's own and pruning never touches another file. FIFOs, devices, alias bombs, deep
nesting and huge files end within seconds, under a memory cap, with a one-line message.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, copy_data, held_ids, invoke_triage, run_triage

MEMORY_CAP = 1_500_000_000
SHIPPED_OR_READ = ["compiled.pickle", "bank-holidays.pickle", "bank-holidays.msgpack", "index.msgpack",
                   "data-0123456789abcdef0123456789abcdef.pickle", "0123456789abcdef0123456789abcdef.msgpack"]


class Payload:
    """Unpickling this creates a folder: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def capped():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args, env: dict, timeout: float = 20) -> subprocess.CompletedProcess:
    """`python -m triage ARGS` under a 1.5 GB memory cap; fails the test if it outlives `timeout`."""
    full_env = {**os.environ, **{k: str(v) for k, v in env.items()}}
    return subprocess.run([sys.executable, "-m", "triage", *map(str, args)], cwd=ROOT, env=full_env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, preexec_fn=capped)


def one_line_error(result: subprocess.CompletedProcess, code: int = 2) -> str:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-800:]
    assert result.returncode == code, (result.returncode, result.stdout[-500:], result.stderr[-500:])
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


COMMANDS = [("validate",), ("lookup", "health", "-a", "herts", "--json"),
            ("contacts", "-a", "notts", "--at", "2026-11-27T16:45", "--json")]


# ---------------------------------------------------------------------------------------
# Code planted in a tree or a cache


def test_pickles_planted_in_a_tree_run_nothing(tmp_path, private_cache):
    tree, marker = copy_data(tmp_path / "tree"), tmp_path / "ran"
    from triage.data.store import _header

    payload = pickle.dumps(Payload(marker))
    for folder in (tree, tree / "indicators", tree / "contacts", tree / "indicators" / "herts", tree / "built"):
        folder.mkdir(exist_ok=True)
        for name in SHIPPED_OR_READ:  # behind the header a real store of that name would carry
            header = _header("index") if name == "index.msgpack" else b""
            (folder / name).write_bytes(header + payload)
    for args in COMMANDS:
        result = run_triage(*args, env={"TRIAGE_DATA_DIR": tree})
        assert result.returncode == 0, (args, result.stderr)
    assert not marker.exists(), "a planted pickle was unpickled"


@pytest.mark.parametrize("form", ["bare", "behind-a-valid-header"])
def test_pickles_in_place_of_every_cache_file_run_nothing(form, tmp_path, private_cache):
    tree, marker = copy_data(tmp_path / "tree"), tmp_path / "ran"
    env = {"TRIAGE_DATA_DIR": tree}
    first = [run_triage(*args, env=env) for args in COMMANDS]
    cached = [p for p in private_cache.rglob("*") if p.is_file()]
    assert len(cached) >= 5, "an index, three stores and the bank holidays"
    for path in cached:
        header = path.read_bytes().split(b"\n", 1)[0] + b"\n" if form != "bare" else b""
        path.write_bytes(header + pickle.dumps(Payload(marker)))
    again = [run_triage(*args, env=env) for args in COMMANDS]
    assert not marker.exists(), "a planted pickle was unpickled"
    assert [r.stdout for r in again] == [r.stdout for r in first]


def test_no_pickle_like_reader_in_the_package():
    """A static look at the package: nothing imports a reader that can run code."""
    pattern = re.compile(r"^\s*(import|from)\s+(c?pickle|_pickle|marshal|shelve|dill|joblib)\b|\bpickle\.loads?\(", re.M)
    sources = sorted((ROOT / "triage").rglob("*.py")) + [ROOT / "hatch_build.py"]
    found = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}" for p in sources for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert len(sources) > 20
    assert not found, found
    assert not [p for p in DATA.rglob("*") if p.suffix in (".pickle", ".pkl")]


def test_a_store_in_a_cache_folder_others_can_write_is_not_used(tmp_path, private_cache):
    """A store is data, never code, but one planted by another user could show a wrong number."""
    import msgspec

    from triage import cache
    from triage.data.store import load

    tree = copy_data(tmp_path / "tree")
    data = load(tree)
    key = data.authorities.entries["notts"].key
    store = private_cache / "triage" / "authorities" / f"{key}.msgpack"
    header = store.read_bytes().split(b"\n", 1)[0] + b"\n"
    fake = msgspec.structs.replace(data.authorities["notts"], name="Planted County")
    cache.store(store, header, msgspec.msgpack.encode(fake))  # well formed, as triage writes it
    assert load(tree).authorities["notts"].name == "Planted County", "the user's own folder is trusted"
    (private_cache / "triage").chmod(0o777)
    assert load(tree).authorities["notts"].name == "Nottinghamshire"


# ---------------------------------------------------------------------------------------
# The cache owns its folder


def test_the_cache_folders_are_created_owner_only_whatever_the_umask(tmp_path, monkeypatch):
    from triage import cache

    existing = tmp_path / "home"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(existing / "made" / "cache"))
    saved = os.umask(0)
    try:
        cache.write("authorities/0123456789abcdef0123456789abcdef.msgpack", b"triage test key\n", b"payload")
        cache.store(tmp_path / "out" / "built" / "index.msgpack", b"triage test key\n", b"payload")
    finally:
        os.umask(saved)
    made = [existing / "made", existing / "made" / "cache", existing / "made" / "cache" / "triage",
            existing / "made" / "cache" / "triage" / "authorities", tmp_path / "out", tmp_path / "out" / "built"]
    assert {str(p): oct(p.stat().st_mode & 0o777) for p in made} == {str(p): "0o700" for p in made}
    assert (existing.stat().st_mode & 0o777) == 0o755, "a folder that was there is left as it was"
    assert cache.read("authorities/0123456789abcdef0123456789abcdef.msgpack", b"triage test key\n") == b"payload"


def test_a_cache_folder_holding_users_files_loses_none(tmp_path, private_cache, memo_parse):
    from triage.data.store import load

    theirs = {
        private_cache / "data-export-1.csv": b"a user's export",
        private_cache / "data-0123.pickle": b"not triage's",
        private_cache / "bank-holidays.msgpack": b"someone else's",
        private_cache / "triage" / "notes.txt": b"left here by hand",
        private_cache / "triage" / "authorities" / "0123456789abcdef0123456789abcdef.msgpack": b"not from triage",
        private_cache / "triage" / "trees" / "data-export-2.csv": b"a user's export",
    }
    for path, content in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(content)
    for n in range(12):  # many trees, each edited: every old store becomes prunable
        tree = copy_data(tmp_path / f"tree-{n}")
        health = tree / "indicators" / "herts" / "health.yaml"
        health.write_text(health.read_text(encoding="utf-8").replace("Health", f"Health {n}", 1), encoding="utf-8")
        assert load(tree).authorities["herts"].domains
    assert {path: path.read_bytes() for path in theirs} == theirs
    ours = list((private_cache / "triage" / "trees").glob("*.msgpack"))
    assert len(ours) <= 8, "old indexes are pruned"


# ---------------------------------------------------------------------------------------
# Bounded on any input: FIFOs, devices, bombs and huge files end within seconds


def _bomb(levels: int = 9) -> str:
    """An alias bomb: 9 ** levels copies of one string from about a kilobyte of YAML."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def _fifo_for(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


HEALTH = "indicators/herts/health.yaml"


def _tree_with(tmp_path: Path, how: str) -> tuple[Path, str]:
    """A tree broken in one way, and words its one-line problem holds."""
    tree = copy_data(tmp_path / "tree")
    target = tree / HEALTH
    if how == "fifo":
        _fifo_for(target)
        return tree, "not a regular file"
    if how == "link-to-dev-zero":
        target.unlink()
        target.symlink_to("/dev/zero")
        return tree, "outside the data tree"
    if how == "alias-bomb":
        target.write_text(_bomb() + target.read_text(encoding="utf-8"), encoding="utf-8")
        return tree, "anchors and aliases"
    if how == "deep-nesting":
        target.write_text("id: x\nname: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
        return tree, "nested more than"
    if how == "20-mb":
        text = target.read_text(encoding="utf-8")
        item = '  - id: herts-health-l2-99\n    level: 2\n    text: "' + "word " * 40 + '"\n'
        target.write_text(text + item * (20_000_000 // len(item)), encoding="utf-8")
        return tree, "over the limit of 2 MB"
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["fifo", "link-to-dev-zero", "alias-bomb", "deep-nesting", "20-mb"])
def test_a_hostile_data_file_ends_within_seconds(how, tmp_path, private_cache):
    tree, words = _tree_with(tmp_path, how)
    checked = run_capped("validate", tree, env={})
    assert "Traceback" not in checked.stdout + checked.stderr
    assert checked.returncode == 1, (checked.stdout[-500:], checked.stderr[-500:])
    assert f"{tree / HEALTH}" in checked.stdout and words in checked.stdout, checked.stdout[-500:]
    assert len(checked.stdout) < 2000
    error = one_line_error(run_capped("lookup", "-a", "herts", env={"TRIAGE_DATA_DIR": tree}))
    assert words in error


@pytest.mark.parametrize("how", ["fifo", "dev-zero", "folder"])
def test_a_hostile_file_in_place_of_every_cache_file_is_ignored(how, tmp_path, private_cache):
    tree = copy_data(tmp_path / "tree")
    env = {"TRIAGE_DATA_DIR": tree}
    first = run_triage("contacts", "-a", "notts", "--at", "2026-11-27T16:45", "--json", env=env)
    assert first.returncode == 0, first.stderr
    for path in [p for p in private_cache.rglob("*") if p.is_file()]:
        path.unlink()
        if how == "fifo":
            os.mkfifo(path)
        elif how == "dev-zero":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()
    again = run_capped("contacts", "-a", "notts", "--at", "2026-11-27T16:45", "--json", env=env)
    assert again.returncode == 0 and again.stderr == "", again.stderr[-500:]
    assert json.loads(again.stdout) == json.loads(first.stdout)


@pytest.mark.parametrize("content", ["alias-bomb", "deep-nesting", "fifo", "20-mb"])
def test_a_hostile_answers_file_ends_within_seconds(content, tmp_path):
    answers = tmp_path / "answers.yaml"
    if content == "alias-bomb":
        answers.write_text(_bomb() + "consent: *a8\n", encoding="utf-8")
    elif content == "deep-nesting":
        answers.write_text("indicators: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    elif content == "fifo":
        os.mkfifo(answers)
    else:
        answers.write_text("authority: herts\n#" + "x" * 20_000_000 + "\n", encoding="utf-8")
    error = one_line_error(run_capped("assess", "--answers", answers, "--json", env={}))
    assert str(answers) in error


# ---------------------------------------------------------------------------------------
# Paths and folders that cannot be read: one line, never a traceback


@pytest.mark.parametrize("variable", ["TRIAGE_DATA_DIR", "TRIAGE_CACHE_DIR"])
def test_a_home_folder_that_does_not_exist_in_a_variable(variable):
    result = invoke_triage("lookup", "-a", "herts", env={variable: "~nosuchuser/x"})
    error = one_line_error(result)
    assert variable in error and "~nosuchuser/x" in error


@pytest.mark.parametrize("path", ["~nosuchuser", "~nosuchuser/x", "x" * 5000, "/tmp/" + "d/" * 3000])
def test_validate_of_a_path_that_cannot_be_read(path):
    error = one_line_error(invoke_triage("validate", path))
    assert len(error) < 400


def test_an_unreadable_folder_in_the_tree(tmp_path, private_cache, monkeypatch):
    """For a user who is not root, a folder without read permission (root reads any, so the
    refusal is made by patching the listing)."""
    tree = copy_data(tmp_path / "tree")
    locked = str(tree / "indicators" / "notts")
    real = os.scandir

    def scandir(path="."):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    checked = invoke_triage("validate", tree)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert f"{locked}: cannot be read: Permission denied" in checked.stdout
    error = one_line_error(invoke_triage("lookup", "-a", "herts", env={"TRIAGE_DATA_DIR": tree}))
    assert "Permission denied" in error


# ---------------------------------------------------------------------------------------
# What a command checks for edits: its authority's files and the shared ones; validate and
# anything listing every authority, the whole tree


def _command_view(name: str):
    """The data and the authority a command with `--authority name` gets."""
    from triage.session import find_authority, load_data

    data = load_data()
    return data, find_authority(data, name)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, (rel, old)
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def _health_l4_03(data, herts) -> str:
    return next(i.text for i in herts.indicators if i.id == "herts-health-l4-03")


EDITS = {  # a file herts is built from: (what is replaced, by what, what a command then shows)
    "indicators/herts/health.yaml": ("accumulative risk", "cumulative risk", _health_l4_03),
    "contacts/herts.yaml": ('"Hertfordshire online referral portal"', '"Herts portal, edited"',
                            lambda data, herts: herts.contacts["herts-online-referral"].name),
    "indicators/common.yaml": ('"Immediate danger: call 999"', '"Immediate danger, edited"',
                               lambda data, herts: herts.pathways["emergency"].name),
    "contacts/national.yaml": ('"Childline"', '"Childline, edited"', lambda data, herts: herts.contacts["childline"].name),
}


@pytest.mark.parametrize("rel", list(EDITS))
def test_a_command_sees_an_edit_to_any_file_its_authority_is_built_from(rel, data_copy, private_cache, memo_parse,
                                                                         monkeypatch):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(data_copy))
    old, new, shown = EDITS[rel]
    before = shown(*_command_view("herts"))  # the first run builds the index and the stores
    assert old.strip('"') in before
    _edit(data_copy, rel, old, new)
    after = shown(*_command_view("hertfordshire"))
    assert new.strip('"') in after and after != before


@pytest.mark.parametrize("stamps", [["not", "stamps"], {"indicators/herts/health.yaml": "no stamp"}, b"\xc1"])
def test_damaged_stamps_of_one_authority_in_the_index_never_hide_an_edit(stamps, data_copy, private_cache, memo_parse,
                                                                        monkeypatch):
    """Each authority's file stamps are kept encoded in its index entry (store.Entry.files) and
    decoded only when used: a damaged copy counts as changed, never as unchanged."""
    import msgspec
    from msgspec.structs import replace

    from triage import cache
    from triage.data import store

    monkeypatch.setenv("TRIAGE_DATA_DIR", str(data_copy))
    _command_view("herts")  # builds the index
    (index_file,) = (private_cache / "triage" / "trees").iterdir()
    header = index_file.read_bytes().split(b"\n", 1)[0] + b"\n"
    index = msgspec.msgpack.decode(cache.load(index_file, header), type=store.Index)
    raw = msgspec.Raw(stamps if isinstance(stamps, bytes) else msgspec.msgpack.encode(stamps))
    damaged = replace(index, authorities=tuple(replace(e, files=raw) if e.id == "herts" else e for e in index.authorities))
    cache.store(index_file, header, msgspec.msgpack.encode(damaged))  # whole, as triage writes it
    _edit(data_copy, "indicators/herts/health.yaml", "accumulative risk", "cumulative risk")
    data, herts = _command_view("herts")
    assert "cumulative risk" in _health_l4_03(data, herts) and "accumulative" not in _health_l4_03(data, herts)
    repaired = msgspec.msgpack.decode(cache.load(index_file, header), type=store.Index)
    assert all(store.own_stamps(e) for e in repaired.authorities), "the index is written again, whole"


def test_a_file_saved_again_while_it_is_read_is_never_kept_under_its_old_key(data_copy, private_cache, monkeypatch):
    """A file saved between its hash and its parse (an editor's save, then undo) was built from
    the new text under the old text's key: once the old text was back, its number was wrong."""
    from triage.data import store

    contacts = data_copy / "contacts" / "notts.yaml"
    first = contacts.read_text(encoding="utf-8")
    second = first.replace('phone: ["0300 500 80 90"]', 'phone: ["0300 500 80 92"]', 1)
    assert second != first
    real_stamp = store.stamp

    def saved_just_after_hashing(root, files, previous):
        stamps = real_stamp(root, files, previous)
        contacts.write_text(second, encoding="utf-8")
        return stamps

    monkeypatch.setattr(store, "stamp", saved_just_after_hashing)
    assert store.load(data_copy).authorities["notts"].contacts["notts-mash"].phone == ("0300 500 80 92",)
    monkeypatch.setattr(store, "stamp", real_stamp)
    contacts.write_text(first, encoding="utf-8")  # the first text again
    assert store.load(data_copy).authorities["notts"].contacts["notts-mash"].phone == ("0300 500 80 90",)
    assert store.load(data_copy, lazily=True).authorities["notts"].contacts["notts-mash"].phone == ("0300 500 80 90",)


def test_a_file_emptied_while_its_problems_are_located_is_still_one_list_of_problems(data_copy, private_cache,
                                                                                    monkeypatch):
    """Locating a problem's line parsed the file again: an editor saving it (truncate, then
    write) at that moment made the second read empty, and validate ended in a KeyError."""
    from triage.data import reader, store
    from triage.errors import DataError

    contacts = data_copy / "contacts" / "notts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace("0300 500 80 90", "0300 500 80 9X", 1),
                        encoding="utf-8")
    real_read, reads = reader.read_bytes, []  # read to hash it, read to build it: then emptied

    def emptied_after_the_first_read(path, *limit):
        reads.append(str(path))
        return b"" if str(path) == str(contacts) and reads.count(str(path)) > 2 else real_read(path, *limit)

    monkeypatch.setattr(reader, "read_bytes", emptied_after_the_first_read)
    with pytest.raises(DataError) as caught:
        store.load(data_copy)
    assert any("0300 500 80 9X" in str(p) and f"{contacts}:" in str(p) for p in caught.value.problems), caught.value


@pytest.mark.parametrize("bad_key", ["<" * 32, "0123456789abcdef\x000123456789abcde", "../../../../etc/passwd"])
def test_a_store_key_that_is_not_a_hash_is_never_used_as_a_file_name(bad_key, data_copy, private_cache):
    """An index whose store key is not 32 hexadecimal digits (a flipped bit once gave '<', a NUL
    'embedded null byte') is refused when decoded and rebuilt: before, every run ended in a
    traceback."""
    import msgspec
    from msgspec.structs import replace

    from triage import cache
    from triage.data import store

    env = {"TRIAGE_DATA_DIR": str(data_copy)}
    first = invoke_triage("lookup", "health", "-a", "herts", "--json", env=env)
    assert first.returncode == 0, first.stderr
    (index_file,) = (private_cache / "triage" / "trees").iterdir()
    header = index_file.read_bytes().split(b"\n", 1)[0] + b"\n"
    index = msgspec.msgpack.decode(cache.load(index_file, header), type=store.Index)
    planted = replace(index, authorities=tuple(replace(e, key=bad_key) if e.id == "herts" else e for e in index.authorities))
    cache.store(index_file, header, msgspec.msgpack.encode(planted))
    again = invoke_triage("lookup", "health", "-a", "herts", "--json", env=env)
    assert (again.returncode, again.stderr, again.stdout) == (0, "", first.stdout)


def test_a_store_holding_another_authority_than_its_index_entry_is_built_again(data_copy, private_cache):
    """The index names the store of each authority; a store that holds another one (swapped,
    or written by an older triage under the same name) is not shown as it: 'unknown authority
    herts: did you mean herts?' before."""
    import msgspec

    from triage import cache
    from triage.data import store

    env = {"TRIAGE_DATA_DIR": str(data_copy)}
    first = invoke_triage("lookup", "health", "-a", "herts", "--json", env=env)
    entries = store.load(data_copy).authorities.entries
    herts_store = private_cache / "triage" / "authorities" / f"{entries['herts'].key}.msgpack"
    notts = store._stored(entries["notts"].key)
    cache.store(herts_store, herts_store.read_bytes().split(b"\n", 1)[0] + b"\n", msgspec.msgpack.encode(notts))
    again = invoke_triage("lookup", "health", "-a", "herts", "--json", env=env)
    assert (again.returncode, again.stderr, again.stdout) == (0, "", first.stdout)


def test_a_command_sees_what_the_shared_files_give_every_authority(data_copy, private_cache, memo_parse, monkeypatch):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(data_copy))
    data, _ = _command_view("notts")
    assert data.have_ready.emphasis == "You need to emphasize the impact of your concerns on the child."
    _edit(data_copy, "indicators/common.yaml", "the impact of your concerns", "the impact, edited,")
    data, _ = _command_view("notts")
    assert data.have_ready.emphasis == "You need to emphasize the impact, edited, on the child."


def test_a_broken_edit_to_its_authority_stops_a_command_with_one_line(data_copy, private_cache, memo_parse):
    env = {"TRIAGE_DATA_DIR": str(data_copy)}
    assert invoke_triage("lookup", "health", "-a", "herts", "--json", env=env).returncode == 0
    _edit(data_copy, HEALTH, "level: 4", "level: 5")
    result = invoke_triage("lookup", "health", "-a", "herts", "--json", env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert "the data is broken: " in result.stderr
    assert f"{data_copy / HEALTH}:" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_edit_to_another_authority_is_seen_by_validate_and_by_listing(data_copy, private_cache, memo_parse):
    env = {"TRIAGE_DATA_DIR": str(data_copy)}
    assert invoke_triage("contacts", "-a", "herts", "--json", env=env).returncode == 0  # builds the index
    _edit(data_copy, "indicators/notts/authority.yaml", 'name: "Nottinghamshire"', 'name: "Nottinghamshire, edited"')
    listing = invoke_triage("contacts", "--json", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "Nottinghamshire, edited" in [a["name"] for a in json.loads(listing.stdout)["authorities"]]

    broken = "indicators/notts/basic-care-safety-protection.yaml"
    _edit(data_copy, broken, "level: 1", "level: 5")
    validate = invoke_triage("validate", env=env)
    assert validate.returncode == 1 and f"{data_copy / broken}:" in validate.stdout
    for listing_command in (("contacts",), ("lookup", "--search", "missing", "--json")):
        result = invoke_triage(*listing_command, env=env)
        assert result.returncode == 2 and f"{data_copy / broken}:" in result.stderr, (listing_command, result.stderr)


def test_a_name_the_index_does_not_know_is_looked_for_in_the_whole_tree(data_copy, private_cache, memo_parse,
                                                                        monkeypatch):
    import triage.data.store as store
    from triage.errors import UserError

    # The copy stands as the shipped tree, so that an authority removed from it is gone (from a
    # council's folder over the shipped tree, the shipped one would be used again: below).
    shipped_tree = store.shipped_tree
    monkeypatch.setattr(store, "shipped_tree", lambda: data_copy)
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(data_copy))
    _command_view("herts")
    _edit(data_copy, "indicators/herts/authority.yaml", "aliases: [hertfordshire]", "aliases: [herts-county]")
    assert _command_view("herts-county")[1].id == "herts"  # a new alias
    _edit(data_copy, "indicators/herts/authority.yaml", "aliases: [herts-county]", "aliases: [hertfordshire]")
    with pytest.raises(UserError, match="unknown authority 'herts-county'"):  # one that is gone (and no council's name)
        _command_view("herts-county")
    shutil.rmtree(data_copy / "indicators" / "northants")
    (data_copy / "contacts" / "northants.yaml").unlink()
    with pytest.raises(UserError, match="unknown authority 'northants'"):  # an authority that is gone
        _command_view("northants")
    # The same folder as a council's, over the shipped tree: northants is the shipped one.
    monkeypatch.setattr(store, "shipped_tree", shipped_tree)
    data, northants = _command_view("northants")
    assert northants.id == "northants" and data.tree is not None and not data.tree.owns("indicators/northants/")


def test_a_command_for_one_authority_checks_only_its_files(data_copy, private_cache, memo_parse, monkeypatch):
    import triage.data.reader as reader
    import triage.data.store as store

    monkeypatch.setenv("TRIAGE_DATA_DIR", str(data_copy))
    _command_view("herts")
    trees, parts, stores = [], [], []
    real_tree, real_part, real_stored = reader.list_tree, reader.list_part, store._stored
    monkeypatch.setattr(reader, "list_tree", lambda root: trees.append(root) or real_tree(root))
    monkeypatch.setattr(reader, "list_part", lambda root, authority=None: parts.append(authority) or real_part(root, authority))
    monkeypatch.setattr(store, "_stored", lambda key: stores.append(key) or real_stored(key))
    data, notts = _command_view("nottinghamshire")  # found by its alias, from the index
    assert notts.id == "notts"
    assert trees == [] and parts == [None, "notts"], "the shared files, then the authority's own"
    assert stores == [data.authorities.entries["notts"].key], "one store read"
    assert sorted(data.authorities) == held_ids()
    assert [Path(str(t)) for t in trees] == [data_copy], "listing every authority checks the whole tree"
