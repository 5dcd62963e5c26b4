"""A council's own folder (issue 21, part 1): TRIAGE_DATA_DIR and `validate PATH` name a folder
laid over the shipped tree. Its files win over the shipped files of the same path; an
authority it brings (indicators/<id>/ and contacts/<id>.yaml) replaces the shipped one of that
id whole; every other shipped authority stays available.

The council here is Rutland (an English council in the directory, whose indicators triage
does not ship): a renamed copy of the shipped Northamptonshire files.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, copy_data, held_ids, invoke_triage

HERTS_ITEM = "herts-health-l4-01"
WEEKDAY_10 = "2026-12-02T10:00"  # a Wednesday morning: the MASH is open (a test at 17:05 met its out-of-hours team)
HERTS_TEXT = "Child has complex health problems which are attributable to the lack of access to health services."
CHANGED = "Child has complex health problems, as the council's own copy words it."


def renamed(text: str, old: str = "northants", new: str = "rutland", name: str = "Rutland") -> str:
    return text.replace(old, new).replace("Northamptonshire", name).replace("northamptonshire", name.lower())


def council_folder(root: Path, authority: str = "rutland", name: str = "Rutland", indicators: bool = True,
                   contacts: bool = True) -> Path:
    """A council's folder holding one authority, copied from the shipped northants: its
    authority.yaml and one domain file, and its contacts file."""
    if indicators:
        folder = root / "indicators" / authority
        folder.mkdir(parents=True)
        for file in ("authority.yaml", "levels.yaml"):
            source = (DATA / "indicators" / "northants" / file).read_text(encoding="utf-8")
            (folder / file).write_text(renamed(source, new=authority, name=name), encoding="utf-8")
    if contacts:
        (root / "contacts").mkdir(parents=True, exist_ok=True)
        source = (DATA / "contacts" / "northants.yaml").read_text(encoding="utf-8")
        (root / "contacts" / f"{authority}.yaml").write_text(renamed(source, new=authority, name=name), encoding="utf-8")
    return root


@pytest.fixture
def council(tmp_path) -> Path:
    return council_folder(tmp_path / "rutland-council")


def herts_copy(root: Path, text: str = CHANGED) -> Path:
    """A council's folder replacing herts: a copy of the shipped herts with one indicator's text changed."""
    shutil.copytree(DATA / "indicators" / "herts", root / "indicators" / "herts")
    (root / "contacts").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "contacts" / "herts.yaml", root / "contacts" / "herts.yaml")
    health = root / "indicators" / "herts" / "health.yaml"
    before = health.read_text(encoding="utf-8")
    assert HERTS_TEXT in before
    health.write_text(before.replace(HERTS_TEXT, text, 1), encoding="utf-8")
    return root


def validate(root: Path):
    result = invoke_triage("validate", str(root))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def using(root: Path, *args: str):
    result = invoke_triage(*args, env={"TRIAGE_DATA_DIR": str(root)})
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    return result


def json_of(root: Path, *args: str):
    result = using(root, *args, "--json")
    assert result.returncode == 0, result.stderr[-800:]
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------
# A folder holding one authority


def test_validate_on_a_council_folder_exits_0_and_names_what_it_brings(council):
    result = validate(council)
    assert result.returncode == 0, result.stdout
    out = result.stdout.splitlines()
    assert f"{council}: brings authority 'rutland' (England's Rutland County Council)" in out, result.stdout
    assert out[-1].startswith(f"{council}: OK: {len(held_ids()) + 1} authorities"), result.stdout  # the shipped, and Rutland
    assert "replaces" not in result.stdout  # it replaces nothing shipped
    assert result.stderr == ""


@pytest.mark.parametrize("authority", ["rutland", "herts"])
def test_lookup_contacts_and_assess_work_for_the_council_s_authority_and_for_herts(council, authority):
    domains = using(council, "lookup", "-a", authority)
    assert domains.returncode == 0, domains.stderr
    shown = json_of(council, "contacts", "-a", authority)
    assert shown["authority"] == authority
    assessed = json_of(council, "assess", "-a", authority, "--nothing-applies")
    assert assessed["authority"] == authority and assessed["status"] == "level" and assessed["level"] == 1
    item = "rutland-levels-l4-01" if authority == "rutland" else HERTS_ITEM
    assessed = json_of(council, "assess", "-a", authority, "--indicator", item)
    assert assessed["level"] == 4, assessed


def test_a_council_in_england_s_directory_is_held_by_the_folder_s_authority_of_its_id_or_name(tmp_path):
    """By its id (rutland), or else by its name: a folder authority 'rutland-cc' named 'Rutland'
    holds Rutland County Council's indicators, so its name and its districts find it."""
    by_id = council_folder(tmp_path / "by-id")
    by_name = council_folder(tmp_path / "by-name", authority="rutland-cc", name="Rutland")
    for folder, authority in ((by_id, "rutland"), (by_name, "rutland-cc")):
        assessed = json_of(folder, "assess", "-a", "Rutland County Council", "--nothing-applies")
        assert assessed["authority"] == authority and assessed["status"] == "level", assessed
        assert f"brings authority '{authority}' (England's Rutland County Council)" in validate(folder).stdout
    # Without the folder, Rutland is a council whose indicators triage does not hold.
    assessed = json.loads(invoke_triage("assess", "-a", "Rutland County Council", "--nothing-applies", "--json").stdout)
    assert assessed["authority"] == "rutland" and assessed["status"] != "level"


# ---------------------------------------------------------------------------------------
# A folder replacing a shipped authority


def test_a_folder_replacing_herts_is_used_instead_of_the_shipped_herts(tmp_path):
    folder = herts_copy(tmp_path / "herts-council")
    result = validate(folder)
    assert result.returncode == 0, result.stdout
    assert f"{folder}: brings authority 'herts' (England's Hertfordshire County Council): replaces the shipped " \
           "authority 'herts'" in result.stdout.splitlines()
    assert f"OK: {len(held_ids())} authorities" in result.stdout  # herts replaced, not added
    items = {i["id"]: i["text"] for i in json_of(folder, "lookup", "health", "-a", "herts")}
    assert items[HERTS_ITEM].startswith(CHANGED)
    assert json_of(folder, "contacts", "-a", "notts")["authority"] == "notts"  # the others stay
    # Without the folder, the shipped text.
    shipped = json.loads(invoke_triage("lookup", "health", "-a", "herts", "--json").stdout)
    assert {i["id"]: i["text"] for i in shipped}[HERTS_ITEM].startswith(HERTS_TEXT)


def test_a_problem_in_the_council_s_copy_is_named_by_its_real_path(tmp_path):
    folder = herts_copy(tmp_path / "herts-council")
    health = folder / "indicators" / "herts" / "health.yaml"
    health.write_text(health.read_text(encoding="utf-8").replace("level: 4", "level: 5", 1), encoding="utf-8")
    result = validate(folder)
    assert result.returncode == 1
    assert any(line.startswith(f"{health}:") and "level" in line for line in result.stdout.splitlines()), result.stdout
    assert str(DATA) not in result.stdout  # nothing shipped is blamed
    error = using(folder, "lookup", "-a", "notts")  # a listing command sees it too; one line
    assert error.returncode in (0, 2) and len(error.stderr.splitlines()) <= 1


@pytest.mark.parametrize("half", ["indicators", "contacts"])
def test_a_folder_with_half_an_authority_is_a_problem_naming_what_is_missing(tmp_path, half):
    folder = council_folder(tmp_path / "half", indicators=half == "indicators", contacts=half == "contacts")
    result = validate(folder)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    if half == "indicators":
        assert out[0] == f"{folder / 'contacts' / 'rutland.yaml'}: missing file: authority 'rutland' needs its contacts"
    else:
        assert out[0] == f"{folder / 'contacts' / 'rutland.yaml'}: no authority folder 'indicators/rutland/' for " \
                         "these contacts"
    assert out[-1] == f"1 problem in {folder}", result.stdout
    error = using(folder, "contacts", "-a", "herts")
    assert error.returncode == 0 or (error.returncode == 2 and len(error.stderr.splitlines()) == 1)


@pytest.mark.parametrize("half", ["indicators", "contacts"])
def test_half_of_a_shipped_authority_replaces_it_and_is_a_problem(tmp_path, half):
    folder = tmp_path / "half-herts"
    if half == "contacts":
        (folder / "contacts").mkdir(parents=True)
        shutil.copy(DATA / "contacts" / "herts.yaml", folder / "contacts" / "herts.yaml")
        expected = f"{folder / 'contacts' / 'herts.yaml'}: no authority folder 'indicators/herts/' for these contacts"
    else:
        shutil.copytree(DATA / "indicators" / "herts", folder / "indicators" / "herts")
        expected = f"{folder / 'contacts' / 'herts.yaml'}: missing file: authority 'herts' needs its contacts"
    result = validate(folder)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == f"{expected} (the folder brings authority 'herts', which replaces the " \
                                            "shipped one whole: it needs both)", result.stdout
    assert result.stdout.splitlines()[-1] == f"1 problem in {folder}"
    error = using(folder, "lookup", "-a", "herts")  # the shipped herts is not used in its place
    assert error.returncode == 2 and len(error.stderr.splitlines()) == 1 and "herts" in error.stderr


@pytest.mark.parametrize(("kind", "line", "field", "value"), [
    ("name", 2, "name", "Hertfordshire"),
    ("alias", 3, "aliases", '["hertfordshire"]'),
])
def test_a_clash_with_a_shipped_authority_is_reported_against_the_council_s_file(tmp_path, kind, line, field, value):
    """bedford sorts before herts, but it is loaded after the shipped authorities: the clash is its."""
    folder = council_folder(tmp_path / "clash", authority="bedford", name="Bedford")
    authority = folder / "indicators" / "bedford" / "authority.yaml"
    lines = authority.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[line - 1].startswith(f"{field}: ")
    lines[line - 1] = f"{field}: {value}\n"
    authority.write_text("".join(lines), encoding="utf-8")
    result = validate(folder)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    what = "the name 'Hertfordshire' is also the name" if kind == "name" else \
        "alias 'hertfordshire' is also the alias"
    assert out[0].startswith(f"{authority}:{line}: {what} of authority 'herts' (the shipped "
                             f"{DATA / 'indicators' / 'herts' / 'authority.yaml'})"), result.stdout
    assert out[-1] == f"1 problem in {folder}", result.stdout


# ---------------------------------------------------------------------------------------
# The cache


def test_an_edit_to_the_council_s_file_is_seen_on_the_next_run(council):
    contacts = council / "contacts" / "rutland.yaml"
    assert json_of(council, "contacts", "-a", "rutland", "--at", WEEKDAY_10)["call_now"]["name"] == "Multi-Agency Safeguarding Hub (MASH)"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace('"Multi-Agency Safeguarding Hub (MASH)"', '"Rutland Front Door"', 1),
                        encoding="utf-8")
    assert json_of(council, "contacts", "-a", "rutland", "--at", WEEKDAY_10)["call_now"]["name"] == "Rutland Front Door"
    assert json_of(council, "contacts", "-a", "herts")["authority"] == "herts"


def test_removing_the_council_s_copy_of_herts_brings_the_shipped_one_back(tmp_path):
    folder = council_folder(herts_copy(tmp_path / "council"))
    assert {i["id"]: i["text"] for i in json_of(folder, "lookup", "health", "-a", "herts")}[HERTS_ITEM].startswith(CHANGED)
    shutil.rmtree(folder / "indicators" / "herts")
    (folder / "contacts" / "herts.yaml").unlink()
    items = {i["id"]: i["text"] for i in json_of(folder, "lookup", "health", "-a", "herts")}
    assert items[HERTS_ITEM].startswith(HERTS_TEXT)
    assert "replaces" not in validate(folder).stdout


def test_an_edit_to_a_shipped_shared_file_is_seen_with_a_council_folder_in_use(council, tmp_path, monkeypatch):
    """The shipped tree here is a copy (as if triage were upgraded in place): an edit to its
    national.yaml rebuilds the council's authority and the shipped ones it feeds."""
    import triage.data.store as store

    shipped = copy_data(tmp_path / "shipped")
    monkeypatch.setattr(store, "shipped_tree", lambda: shipped)
    assert validate(council).returncode == 0

    def childline(authority: str) -> str:
        found = using(council, "contacts", "-a", authority, "--json")
        assert found.returncode == 0, found.stderr
        return found.stdout

    assert '"Childline"' in childline("rutland")
    national = shipped / "contacts" / "national.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace('name: "Childline"', 'name: "Childline (edited)"', 1),
                        encoding="utf-8")
    assert '"Childline (edited)"' in childline("rutland")
    assert '"Childline (edited)"' in childline("herts")
    # The council's own national.yaml wins over the shipped one.
    (council / "contacts" / "national.yaml").write_text(
        national.read_text(encoding="utf-8").replace("Childline (edited)", "Childline (the council's)"), encoding="utf-8")
    assert '"Childline (the council\'s)"' in childline("rutland")
    assert '"Childline (the council\'s)"' in childline("notts")
    assert "brings contacts/national.yaml: replaces the shipped one" in validate(council).stdout


# ---------------------------------------------------------------------------------------
# Hostile folders are refused as a whole tree's files are


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("what", ["link", "fifo"])
def test_a_hostile_council_folder_is_refused_in_one_line(council, tmp_path, what):
    target = council / "indicators" / "rutland" / "levels.yaml"
    target.unlink()
    if what == "link":
        outside = tmp_path / "outside.yaml"
        outside.write_text("id: levels\n", encoding="utf-8")
        target.symlink_to(outside)
    else:
        os.mkfifo(target)
    result = validate(council)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"{target}: "), result.stdout
    assert result.stdout.splitlines()[-1] == f"1 problem in {council}", result.stdout
    error = using(council, "contacts", "-a", "rutland")
    assert error.returncode == 2 and len(error.stderr.splitlines()) == 1 and str(target) in error.stderr
    target.unlink()  # the file copied in instead: the folder is clean
    target.write_text(renamed((DATA / "indicators" / "northants" / "levels.yaml").read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert validate(council).returncode == 0
    assert using(council, "contacts", "-a", "rutland").returncode == 0


def test_an_empty_folder_brings_nothing_and_is_a_problem(tmp_path):
    result = validate(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path}: holds no data: a council's folder holds indicators/<id>/ and contacts/<id>.yaml for each "
        "authority it brings, laid out as data/ is (see docs/data-format.md)", f"1 problem in {tmp_path}"]


def test_two_authorities_claiming_one_council_is_a_problem(tmp_path):
    """Two authorities of a folder whose names find one council: the second was silently unused."""
    folder = council_folder(tmp_path / "two", authority="rutland-a", name="Rutland")
    council_folder(folder, authority="rutland-b", name="Rutland County Council")
    result = invoke_triage("validate", str(folder))
    assert result.returncode == 1
    assert (f"{folder}/indicators/rutland-b/authority.yaml:2: the name 'Rutland County Council' names Rutland County "
            "Council in England's directory, which this authority does not hold: --authority 'Rutland County Council' "
            "would find 'rutland-b' for that council's children: give it a name of its own") in result.stdout


# ---------------------------------------------------------------------------------------
# Found by a red team as a data officer (each passed validate before)


@pytest.mark.parametrize("field, value, council", [("aliases", '["watford"]', "Hertfordshire County Council"),
                                                    ("aliases", '["leeds"]', "Leeds City Council"),
                                                    ("name", '"Hertfordshire County Council"', "Hertfordshire County Council")])
def test_a_name_or_alias_of_another_english_council_is_a_problem(tmp_path, field, value, council):
    """`aliases: [watford]` in Rutland's folder took Watford's children to Rutland's MASH."""
    folder = council_folder(tmp_path / "takeover")
    authority = folder / "indicators" / "rutland" / "authority.yaml"
    text = authority.read_text(encoding="utf-8")
    text = text.replace('aliases: ["rutland"]', f"{field}: {value}") if field == "aliases" else \
        text.replace("name: Rutland", f"name: {value}")
    authority.write_text(text, encoding="utf-8")
    result = validate(folder)
    assert result.returncode == 1
    assert f"names {council} in England's directory, which this authority does not hold" in result.stdout
    taken = using(folder, "contacts", "-a", value.strip('["]'))
    assert taken.returncode == 2 and "Rutland" not in taken.stdout


def test_with_a_broken_folder_every_command_says_999_first(tmp_path):
    folder = council_folder(tmp_path / "broken")
    levels = folder / "indicators" / "rutland" / "levels.yaml"
    levels.write_text(levels.read_text(encoding="utf-8") + "  - text: Note: a colon\n", encoding="utf-8")
    result = using(folder, "contacts", "-a", "herts")
    assert result.returncode == 2
    assert result.stderr.startswith("triage: error: triage cannot advise: if a child is in immediate danger, call 999;")
    assert "the data is broken: " in result.stderr and "put the whole value in double quotes" in result.stderr


def test_an_allegation_in_a_council_without_a_lado_line_goes_to_its_front_door(council):
    authority = council / "indicators" / "rutland" / "authority.yaml"
    text = authority.read_text(encoding="utf-8")
    authority.write_text(text[:text.index("pathways:")], encoding="utf-8")  # no pathways of its own: the national LADO route
    assert validate(council).returncode == 0
    document = json_of(council, "assess", "-a", "rutland", "--allegation", "--at", "2026-12-02T10:00")
    officer = next(u for u in document["urgent"] if u["id"] == "designated-officer")
    assert officer["phone"] == "0300 126 7000"
    assert "triage holds no designated officer line for Rutland: ask its children's services front door" in \
        officer["assumption"]


@pytest.mark.parametrize("alias, council", [("King's Lynn", "Norfolk County Council"),
                                            ("Watford Borough", "Hertfordshire County Council"),
                                            ("Hull City", "Hull City Council")])
def test_a_town_written_another_way_is_still_another_councils(tmp_path, alias, council):
    """Red team, second pass: "King's Lynn" (the directory writes Kings Lynn), "Watford Borough"
    and "Hull City" passed, and took those towns' children to the folder's numbers."""
    folder = council_folder(tmp_path / "near")
    authority = folder / "indicators" / "rutland" / "authority.yaml"
    authority.write_text(authority.read_text(encoding="utf-8").replace('aliases: ["rutland"]', f'aliases: ["{alias}"]'),
                         encoding="utf-8")
    result = validate(folder)
    assert result.returncode == 1
    assert f"{authority}:" in result.stdout and f"names {council} in England's directory" in result.stdout


def test_an_alias_of_a_shipped_councils_town_is_reported_against_the_folder(tmp_path):
    """Red team, second pass: `aliases: [watford]` on an authority of no English council was
    reported against the shipped Hertfordshire file, which the officer cannot mend."""
    folder = council_folder(tmp_path / "elsewhere", authority="example", name="Example Council")
    authority = folder / "indicators" / "example" / "authority.yaml"
    authority.write_text(authority.read_text(encoding="utf-8").replace('aliases: ["example council"]',
                                                                       'aliases: ["watford"]'), encoding="utf-8")
    assert 'aliases: ["watford"]' in authority.read_text(encoding="utf-8")
    result = validate(folder)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{authority}:") and "'watford' names Hertfordshire County Council" in result.stdout
    assert "indicators/herts/authority.yaml" not in result.stdout


def test_a_folders_aliases_find_its_council_in_the_question(council):
    authority = council / "indicators" / "rutland" / "authority.yaml"
    authority.write_text(authority.read_text(encoding="utf-8").replace('aliases: ["rutland"]', "aliases: [oakham]"),
                         encoding="utf-8")
    from conftest import run_triage

    result = run_triage("assess", "--plain", "--at", "2026-12-02T10:00", input="n\noakham\n",
                        env={"TRIAGE_DATA_DIR": council})
    assert "Answer: Rutland (Rutland County Council - indicators held)" in result.stdout
