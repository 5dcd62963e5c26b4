"""Loading and validating a data tree: every problem as `file:line: message`, never a crash.

The kinds of broken file are checked in-process through `triage.validate.run_validate` (what
`triage validate PATH` runs); the exit statuses and one-line errors through the real CLI.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, copy_data, held_ids, run_many


def lines_of(root: Path, rel: str) -> list[str]:
    return (root / rel).read_text(encoding="utf-8").split("\n")


def find_line(root: Path, rel: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line (after line `after`) holding `needle`."""
    for number, line in enumerate(lines_of(root, rel), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def set_line(root: Path, rel: str, number: int, text: str) -> None:
    lines = lines_of(root, rel)
    lines[number - 1] = text
    (root / rel).write_text("\n".join(lines), encoding="utf-8")


def replace_in_line(root: Path, rel: str, number: int, old: str, new: str) -> None:
    line = lines_of(root, rel)[number - 1]
    assert old in line, (old, line)
    set_line(root, rel, number, line.replace(old, new, 1))


# ---------------------------------------------------------------------------------------
# Each kind of broken file. A case edits the copy and returns (file, line or None, words
# the message must hold); line None means a problem of the whole file (`file: message`).

H = "indicators/herts/health.yaml"  # lines 5-7: the first item (id, level, text)
NOTTS_CONTACTS = "contacts/notts.yaml"


def yaml_syntax(root):
    set_line(root, H, 2, 'name: "Health": oops')
    return H, 2, "YAML syntax error"


def tab_indent(root):
    set_line(root, H, 6, "\t" + lines_of(root, H)[5].lstrip())
    return H, 6, "YAML syntax error"


def missing_key(root):
    lines = lines_of(root, H)
    assert lines[5].strip() == "level: 4"
    (root / H).write_text("\n".join(lines[:5] + lines[6:]), encoding="utf-8")
    return H, 5, "'level'"


def unknown_key(root):
    replace_in_line(root, H, 7, "text:", "txet:")
    return H, 7, "'txet'"


def level(value, words):
    def case(root):
        replace_in_line(root, H, 6, "level: 4", f"level: {value}")
        return H, 6, words
    case.__name__ = f"level_{value}"
    return case


def duplicate_id_in_file(root):
    line = find_line(root, H, "id: herts-health-l4-02")
    replace_in_line(root, H, line, "herts-health-l4-02", "herts-health-l4-01")
    return H, line, "duplicate indicator id 'herts-health-l4-01'"


def duplicate_id_across_files(root):
    rel = "indicators/herts/young-carer.yaml"
    replace_in_line(root, rel, 5, "herts-young-carer-l4-01", "herts-health-l4-01")
    return rel, 5, "duplicate indicator id 'herts-health-l4-01'"


def duplicate_id_across_authorities(root):
    rel = "indicators/notts/health.yaml"
    replace_in_line(root, rel, 5, "notts-health-l1-01", "herts-health-l1-01")
    return rel, 5, "duplicate indicator id 'herts-health-l1-01'"


def foreign_id_prefix(root):
    rel = "indicators/notts/health.yaml"
    replace_in_line(root, rel, 5, "notts-health-l1-01", "herts-health-l1-99")
    return rel, 5, "should start with 'notts-'"


def empty_text(root):
    set_line(root, H, 7, '    text: ""')
    return H, 7, "is empty"


def domain_without_indicators(root):
    rel = "indicators/herts/young-carer.yaml"
    lines = lines_of(root, rel)[:3]
    (root / rel).write_text("\n".join(lines + ["indicators: []", ""]), encoding="utf-8")
    return rel, 4, "has no indicators"


def unknown_pathway(root):
    rel = "indicators/herts/harmful-practices.yaml"
    line = find_line(root, rel, "pathways: [fgm-risk]")
    replace_in_line(root, rel, line, "fgm-risk", "fgm-rsk")
    return rel, line, "unknown pathway 'fgm-rsk'"


def unknown_threshold(root):
    rel = "indicators/notts/social-care-thresholds.yaml"
    line = find_line(root, rel, "threshold: 4a")
    replace_in_line(root, rel, line, "4a", "4d")
    return rel, line, "unknown threshold '4d'"


def threshold_below_level_4(root):
    rel = "indicators/notts/health.yaml"
    level_line = find_line(root, rel, "level: 3")
    lines = lines_of(root, rel)
    lines.insert(level_line, "    threshold: 4a")
    (root / rel).write_text("\n".join(lines), encoding="utf-8")
    return rel, level_line + 1, "Level 4"


def not_utf8(root):
    line = find_line(root, H, "Carers’ level")
    data = (root / H).read_bytes()
    (root / H).write_bytes(data.replace("Carers’ level".encode(), "Carers\u00e9 level".encode("latin-1"), 1))
    return H, line, "is not UTF-8"


def empty_file(root):
    (root / H).write_bytes(b"")
    return H, None, "is empty"


def folder_for_file(root):
    (root / H).unlink()
    (root / H).mkdir()
    return H, None, "should be a YAML file, found a folder"


def missing_authority_file(root):
    rel = "indicators/herts/authority.yaml"
    (root / rel).unlink()
    return rel, None, "missing file"


def missing_contacts_file(root):
    rel = "contacts/herts.yaml"
    (root / rel).unlink()
    return rel, None, "missing file"


def missing_national_contacts(root):
    rel = "contacts/national.yaml"
    (root / rel).unlink()
    return rel, None, "missing file"


def hours(old, new, words):
    def case(root):
        line = find_line(root, NOTTS_CONTACTS, old)
        replace_in_line(root, NOTTS_CONTACTS, line, old, new)
        return NOTTS_CONTACTS, line, words
    case.__name__ = f"hours_{new}"
    return case


A = "indicators/herts/authority.yaml"


def authority_level_as_text(root):
    line = find_line(root, A, "- level: 2")
    replace_in_line(root, A, line, "level: 2", 'level: "2"')
    return A, line, "should be a whole number"


def authority_source_title_misspelt(root):
    line = find_line(root, A, "  title:")
    replace_in_line(root, A, line, "title:", "titel:")
    return A, line, "'titel'"


def authority_level_services_misspelt(root):
    line = find_line(root, A, "    services:")
    replace_in_line(root, A, line, "services:", "service:")
    return A, line, "'service'"


def duplicate_threshold_id(root):
    rel = "indicators/notts/authority.yaml"
    line = find_line(root, rel, 'id: "4b"')
    replace_in_line(root, rel, line, "4b", "4a")
    return rel, line, "'4a'"


def duplicate_level(root):
    line = find_line(root, A, "- level: 2")
    replace_in_line(root, A, line, "level: 2", "level: 1")
    return A, line, "level 1"


def unknown_covered_by(root):
    line = find_line(root, NOTTS_CONTACTS, 'covered_by: "notts-edt"')
    replace_in_line(root, NOTTS_CONTACTS, line, "notts-edt", "notts-edtt")
    return NOTTS_CONTACTS, line, "'notts-edtt'"


def bad_number(root):
    line = find_line(root, NOTTS_CONTACTS, 'phone: ["0300 500 80 90"]')
    replace_in_line(root, NOTTS_CONTACTS, line, "0300 500 80 90", "0300 123 40A3")
    return NOTTS_CONTACTS, line, "'0300 123 40A3' is not a valid UK telephone number"


def number_that_is_not_uk(root):
    line = find_line(root, NOTTS_CONTACTS, 'phone: ["0300 500 80 90"]')
    replace_in_line(root, NOTTS_CONTACTS, line, "0300 500 80 90", "+1 212 555 0100")
    return NOTTS_CONTACTS, line, "is not a valid UK telephone number"


def control_character(root):
    line = find_line(root, NOTTS_CONTACTS, 'name: "Emergency Duty Team (EDT)"')
    replace_in_line(root, NOTTS_CONTACTS, line, "(EDT)", "(EDT)\\e[2K\\rFAKE LINE: 0800 000 0000")
    return NOTTS_CONTACTS, line, "control character U+001B"


def control_character_in_an_indicator(root):
    replace_in_line(root, H, 7, 'text: "', 'text: "\\u202e')
    return H, 7, "control character U+202E"


def bad_web_address(root):
    line = find_line(root, NOTTS_CONTACTS, 'url: "www.nottinghamshire.gov.uk/MASH"')
    replace_in_line(root, NOTTS_CONTACTS, line, "www.nottinghamshire.gov.uk/MASH", "call the MASH")
    return NOTTS_CONTACTS, line, "is not a web address"


def front_door_without_phone(root):
    line = find_line(root, NOTTS_CONTACTS, 'phone: ["0300 500 80 90"]')
    replace_in_line(root, NOTTS_CONTACTS, line, '["0300 500 80 90"]', "[]")
    return NOTTS_CONTACTS, find_line(root, NOTTS_CONTACTS, "front_door:"), "needs a telephone number"


def front_door_with_words_for_a_phone(root):
    line = find_line(root, NOTTS_CONTACTS, 'phone: ["0300 500 80 90"]')
    replace_in_line(root, NOTTS_CONTACTS, line, "0300 500 80 90", "call the office")
    return NOTTS_CONTACTS, line, "'call the office' is not a valid UK telephone number"


def contact_id_that_is_a_list(root):
    line = find_line(root, NOTTS_CONTACTS, 'id: "notts-edt"')
    replace_in_line(root, NOTTS_CONTACTS, line, '"notts-edt"', '["notts-edt"]')
    return NOTTS_CONTACTS, line, "should be text, found a list"


def alias_bomb_in_hours(root):
    line = find_line(root, NOTTS_CONTACTS, 'mon-tue: ["08:30-17:00"]')
    replace_in_line(root, NOTTS_CONTACTS, line, '["08:30-17:00"]', "&a [*a, *a]")
    return NOTTS_CONTACTS, line, "anchors and aliases"


CASES = [
    yaml_syntax, tab_indent, missing_key, unknown_key,
    level(5, "1, 2, 3 or 4"), level(0, "1, 2, 3 or 4"),
    level('"x"', "should be a whole number"),
    duplicate_id_in_file, duplicate_id_across_files, duplicate_id_across_authorities, foreign_id_prefix,
    empty_text, domain_without_indicators, unknown_pathway, unknown_threshold, threshold_below_level_4,
    not_utf8, empty_file, folder_for_file, missing_authority_file, missing_contacts_file,
    hours("08:30-17:00", "25:00-26:00", "is not a time of day"),
    hours("08:30-17:00", "17:00-09:00", "ends before it starts"),
    hours("mon-tue:", "weekdays:", "unknown day 'weekdays'"),
    unknown_covered_by,
    authority_level_as_text, authority_source_title_misspelt, authority_level_services_misspelt,
    duplicate_threshold_id, duplicate_level,
    bad_number, number_that_is_not_uk, control_character, control_character_in_an_indicator, bad_web_address,
    front_door_without_phone, front_door_with_words_for_a_phone, contact_id_that_is_a_list, alias_bomb_in_hours,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_validate_reports_file_and_line(case, data_copy, memo_parse, capsys):
    from triage.data.validate import run_validate

    rel, line, words = case(data_copy)
    code = run_validate(str(data_copy))
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[-1].endswith(f"in {data_copy}") and "problem" in out[-1]
    where = f"{data_copy / rel}:{line}: " if line else f"{data_copy / rel}: "
    hits = [o for o in out if o.startswith(where) and words in o]
    assert hits, f"expected a line starting {where!r} holding {words!r}; got:\n" + "\n".join(out)


def test_the_shipped_tree_without_its_national_contacts_is_reported(data_copy, memo_parse, capsys, monkeypatch):
    """A council's folder without contacts/national.yaml reads the shipped one (issue 21, part 1);
    the shipped tree without it is broken, and validate says so."""
    import triage.data.store as store
    from triage.data.validate import run_validate

    rel, line, words = missing_national_contacts(data_copy)
    assert run_validate(str(data_copy)) == 0, capsys.readouterr().out  # a council's folder: the shipped one is used
    capsys.readouterr()
    monkeypatch.setattr(store, "shipped_tree", lambda: data_copy)  # the copy as the shipped tree
    code = run_validate(str(data_copy))
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[-1].endswith(f"in {data_copy}") and "problem" in out[-1]
    assert [o for o in out if o.startswith(f"{data_copy / rel}: ") and words in o], "\n".join(out)


@pytest.mark.parametrize("case", [missing_key, level(5, ""), unknown_pathway, not_utf8, folder_for_file],
                         ids=["missing_key", "level_5", "unknown_pathway", "not_utf8", "folder"])
def test_load_raises_data_error_naming_the_file(case, data_copy, memo_parse):
    from triage.data.store import load
    from triage.errors import DataError

    rel, line, _ = case(data_copy)
    with pytest.raises(DataError) as caught:
        load(data_copy)
    assert caught.value.problems
    assert any(str(p).startswith(f"{data_copy / rel}:") for p in caught.value.problems)


# ---------------------------------------------------------------------------------------
# The command line


def test_shipped_data_validates(run):
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout
    assert "3 authorities" in result.stdout
    assert result.stderr == ""


def test_validate_lists_every_problem_and_exits_1(run, data_copy):
    replace_in_line(data_copy, H, 6, "level: 4", "level: 5")
    hours_line = find_line(data_copy, NOTTS_CONTACTS, '"08:30-17:00"')
    replace_in_line(data_copy, NOTTS_CONTACTS, hours_line, "08:30-17:00", "25:00-26:00")
    _, level_line, _ = authority_level_as_text(data_copy)
    result = run("validate", data_copy)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-600:]
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert any(o.startswith(f"{data_copy / H}:6: ") for o in out), result.stdout
    assert any(o.startswith(f"{data_copy / NOTTS_CONTACTS}:{hours_line}: ") for o in out), result.stdout
    assert any(o.startswith(f"{data_copy / A}:{level_line}: ") for o in out), result.stdout
    assert out[-1] == f"3 problems in {data_copy}", "only the three problems made, no knock-on reports"


@pytest.mark.parametrize("what", ["missing", "file"])
def test_validate_a_path_that_is_not_a_folder(run, tmp_path, what):
    path = tmp_path / "nothing-here"
    if what == "file":
        path.write_text("id: x\n", encoding="utf-8")
    result = run("validate", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert str(path) in result.stderr and "not a folder" in result.stderr


def test_validate_an_empty_folder(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.returncode == 1
    assert "indicators" in result.stdout and "contacts" in result.stdout
    assert "Traceback" not in result.stderr


def test_broken_data_stops_every_command_with_one_line(data_copy):
    replace_in_line(data_copy, H, 6, "level: 4", "level: 5")
    commands = [
        ("lookup", "-a", "herts", "--json"),
        ("contacts", "-a", "notts", "--json"),
        ("assess", "-a", "herts", "-i", "herts-health-l4-01", "--json"),
    ]
    results = run_many([(args, {"TRIAGE_DATA_DIR": data_copy}) for args in commands])
    for args, result in zip(commands, results):
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, args
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert f"{data_copy / H}:6:" in result.stderr, (args, result.stderr)
        assert "the data is broken" in result.stderr
        assert result.stdout == "", args


def test_an_edited_file_is_seen_by_the_next_run(run, data_copy, private_cache, memo_parse):
    from triage.data.store import load

    load(data_copy)  # caches the parsed tree, as a first run of the command does
    assert list(private_cache.iterdir()), "the parsed data should be cached"
    env = {"TRIAGE_DATA_DIR": data_copy}
    first = run("lookup", "health", "-a", "herts", "--json", env=env)
    assert first.returncode == 0, first.stderr
    old = next(i["text"] for i in json.loads(first.stdout) if i["id"] == "herts-health-l4-03")
    line = find_line(data_copy, H, "id: herts-health-l4-03") + 2
    replace_in_line(data_copy, H, line, "accumulative risk", "cumulative risk")
    second = run("lookup", "health", "-a", "herts", "--json", env=env)
    assert second.returncode == 0, second.stderr
    new = next(i["text"] for i in json.loads(second.stdout) if i["id"] == "herts-health-l4-03")
    assert new == old.replace("accumulative risk", "cumulative risk") != old


def _stored_header(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0] + b"\n"


GARBAGE = {
    "binary": lambda path: b"\x00\xff\xfe garbage \xe9\x80",
    "truncated": lambda path: path.read_bytes()[: path.stat().st_size // 2],
    "empty": lambda path: b"",
    "header-only": lambda path: _stored_header(path),
    "right-header-garbage": lambda path: _stored_header(path) + b"\x80\x04garbage",
    "wrong-header": lambda path: b"0000" + path.read_bytes(),
    # One bit of a late byte (a letter of some text), as a failing disk flips it: still valid
    # MessagePack, so only the hash line after the header tells.
    "one-bit-flipped": lambda path: (lambda data: data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])(path.read_bytes()),
}


def _stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _corrupt_every_file(folder: Path, how: str) -> int:
    count = 0
    for path in _stored_files(folder):
        path.write_bytes(GARBAGE[how](path))
        count += 1
    return count


@pytest.mark.parametrize("how", list(GARBAGE))
def test_a_corrupt_cache_is_ignored_in_process(how, private_cache, memo_parse):
    from triage.data.store import load

    first = load(DATA)
    assert _corrupt_every_file(private_cache, how) >= 4, "an index and a store per authority"
    again = load(DATA)
    assert again == first


@pytest.mark.parametrize("value", [None, {"authorities": {}}, ["not", "a", "dataset"], {"id": "herts"}])
def test_a_cache_with_the_right_header_but_the_wrong_content_is_ignored(value, private_cache, memo_parse):
    """A readable cache file with the right header that holds something other than the model."""
    import msgspec

    from triage.data.store import load

    first = load(DATA)
    for path in _stored_files(private_cache):
        path.write_bytes(_stored_header(path) + msgspec.msgpack.encode(value))
    assert load(DATA) == first


def test_a_cache_stored_with_other_model_fields_is_not_used(private_cache, memo_parse, monkeypatch):
    """After an upgrade that changes the model, the old copy's key no longer matches."""
    import triage.data.store as store

    store.load(DATA)
    before = {p.name for p in _stored_files(private_cache)}
    monkeypatch.setattr(store, "shape", lambda: "Indicator(id,text)")
    monkeypatch.setattr(store, "_SHAPE", None)
    store.load(DATA)
    assert {p.name for p in _stored_files(private_cache)} - before, "new stores under the new key"


def test_a_corrupt_cache_is_ignored_by_the_cli(run, private_cache, memo_parse):
    from triage.data.store import load

    load(DATA)  # the cache a first run leaves
    first = run("lookup", "-a", "notts", "--json")
    assert first.returncode == 0, first.stderr
    assert _corrupt_every_file(private_cache, "binary") >= 1
    second = run("lookup", "-a", "notts", "--json")
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert second.stderr == ""


def test_an_unusable_cache_folder_is_ignored(tmp_path, monkeypatch, memo_parse):
    from triage.data.store import load

    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(not_a_folder))
    data = load(DATA)
    assert len(data.authorities["herts"].indicators) == 303
    assert not_a_folder.read_text(encoding="utf-8") == "x"


@pytest.fixture
def packaged(tmp_path, monkeypatch):
    """A data tree built as the wheel build hook builds the packaged one, and used as it."""
    import triage.data.store as store

    tree, built = copy_data(tmp_path / "tree"), tmp_path / "built"
    store.compile_tree(tree, built)
    monkeypatch.setattr(store, "PACKAGED_TREE", tree)
    monkeypatch.setattr(store, "PACKAGED_BUILT", built)
    return tree


def _no_parsing(monkeypatch):
    import triage.data.reader

    def refuse(*args):
        raise AssertionError("the YAML was parsed although a stored model matched")

    monkeypatch.setattr(triage.data.reader, "parse", refuse)


@pytest.mark.parametrize("lazily", [False, True])
def test_the_packaged_model_is_used_without_parsing_or_a_cache_folder(lazily, packaged, private_cache, monkeypatch):
    from triage.data.store import load

    private_cache.rmdir()  # no user cache at all: the packaged copy alone must do
    _no_parsing(monkeypatch)
    data = load(packaged, lazily=lazily)  # lazily: as a command loads it
    assert len(data.authorities["herts"].indicators) == 303
    assert not private_cache.exists(), "a run served by the packaged copy writes nothing"


def test_the_packaged_model_is_ignored_once_a_data_file_changes(packaged, private_cache, memo_parse):
    from triage.data.store import load

    line = find_line(packaged, H, "id: herts-health-l4-03") + 2
    replace_in_line(packaged, H, line, "accumulative risk", "cumulative risk")
    text = next(i.text for i in load(packaged).authorities["herts"].indicators if i.id == "herts-health-l4-03")
    assert "cumulative risk" in text and "accumulative" not in text


@pytest.mark.parametrize("lazily", [True, False])
def test_an_alias_moved_to_another_authority_is_found_there(packaged, private_cache, memo_parse, lazily):
    """The index named herts for an alias; after the edit herts no longer has it and notts does.
    The lookup checked herts's files, found the edit, checked the whole tree, and then answered
    from the old names: 'unknown authority', on every run for the packaged tree. (The alias is
    one no English council has: 'hertfordshire' moved to notts is now refused, as it would take
    Hertfordshire's children to Nottinghamshire.)"""
    from triage.data.store import load

    herts, notts = "indicators/herts/authority.yaml", "indicators/notts/authority.yaml"

    def edit(rel, old, new):
        text = (packaged / rel).read_text(encoding="utf-8")
        assert old in text
        (packaged / rel).write_text(text.replace(old, new), encoding="utf-8")

    edit(herts, "aliases: [hertfordshire]", "aliases: [hertfordshire, moved-alias]")
    assert load(packaged, lazily=lazily).authorities.named("moved-alias").id == "herts"  # the index names herts
    edit(herts, "aliases: [hertfordshire, moved-alias]", "aliases: [hertfordshire, herts-county]")
    edit(notts, 'aliases: ["nottinghamshire"]', 'aliases: ["nottinghamshire", "moved-alias"]')
    for _ in range(2):  # the first run after the edit, and the next
        authorities = load(packaged, lazily=lazily).authorities
        assert authorities.named("moved-alias").id == "notts"
        assert authorities.named("herts-county").id == "herts"


def test_a_broken_edit_is_reported_even_with_a_packaged_model(packaged, memo_parse):
    from triage.data.store import load
    from triage.errors import DataError

    replace_in_line(packaged, H, 6, "level: 4", "level: 5")
    with pytest.raises(DataError) as caught:
        load(packaged)
    assert f"{packaged / H}:6:" in str(caught.value)


def test_a_data_authors_edits_do_not_pile_up_in_the_cache(data_copy, private_cache, memo_parse):
    from triage.data.store import load

    line = find_line(data_copy, H, "id: herts-health-l4-03") + 2
    replace_in_line(data_copy, H, line, "accumulative risk", "edit-0")
    for n in range(1, 6):  # each edit is a new store for herts, under a new key
        replace_in_line(data_copy, H, line, f"edit-{n - 1}", f"edit-{n}")
        text = next(i.text for i in load(data_copy).authorities["herts"].indicators if i.id == "herts-health-l4-03")
        assert f"edit-{n}" in text
    stores = list((private_cache / "triage" / "authorities").iterdir())
    assert len(stores) == len(held_ids(data_copy)), "one store per authority of the one tree in use"


def test_an_edit_rebuilds_only_its_authority(data_copy, private_cache, memo_parse, monkeypatch):
    import triage.data.loader as loader
    from triage.data.store import load

    load(data_copy)
    built = []
    real = loader.build_authority
    monkeypatch.setattr(loader, "build_authority", lambda root, folder, *rest: built.append(folder) or real(root, folder, *rest))
    line = find_line(data_copy, H, "id: herts-health-l4-03") + 2
    replace_in_line(data_copy, H, line, "accumulative risk", "cumulative risk")
    data = load(data_copy)
    assert built == ["herts"]
    assert "cumulative risk" in next(i.text for i in data.authorities["herts"].indicators if i.id == "herts-health-l4-03")
    replace_in_line(data_copy, "contacts/national.yaml", 1, "national", "national")  # rewritten, same bytes
    load(data_copy)
    assert built == ["herts"], "a file rewritten with the same content rebuilds nothing"
    (data_copy / "contacts/national.yaml").write_text(
        (data_copy / "contacts/national.yaml").read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    load(data_copy)
    assert sorted(built[1:]) == held_ids(data_copy), "the national files feed every authority"


def test_a_command_reads_only_the_authority_it_uses(data_copy, private_cache, memo_parse, monkeypatch):
    import triage.data.store as store

    store.load(data_copy)
    read = []
    real = store._stored
    monkeypatch.setattr(store, "_stored", lambda key: read.append(key) or real(key))
    data = store.load(data_copy)
    assert data.authorities["notts"].name == "Nottinghamshire"
    assert read == [dict((e.id, e.key) for e in data.authorities.entries.values())["notts"]]
