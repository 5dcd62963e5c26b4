"""The shipped data: complete transcriptions, quoted word for word, with the right duties.

The counts are those of /work/shared/SOURCES.md ("Counts that a complete transcription
reaches"), copied here so the tests also run where the shared folder is absent (CI).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import DATA, SHARED, SOURCES, held_ids

# SOURCES.md: Hertfordshire, one bullet = one indicator; columns L4, L3, L2, L1.
HERTS = {
    "Health": (5, 6, 6, 6),
    "Mental / emotional health": (11, 15, 6, 6),
    "Education": (4, 6, 4, 4),
    "Abuse and neglect": (10, 7, 7, 7),
    "Sexual abuse / activity": (11, 6, 4, 2),
    "Police attention": (7, 6, 5, 4),
    "Harmful practices": (6, 7, 6, 5),
    "Extremism and radicalisation": (9, 6, 5, 4),
    "Drug / substance misuse": (4, 5, 4, 3),
    "Disability": (2, 2, 2, 2),
    "Young carer": (1, 1, 1, 1),
    "Domestic abuse": (4, 3, 3, 2),
    "Social development": (14, 12, 10, 7),
    "Extra-familial harm / contextual safeguarding": (5, 4, 4, 4),
}
NOTTS_LEVELS = {1: 35, 2: 60, 3: 65, 4: 68}
NOTTS_THRESHOLDS = {"4a": 10, "4b": 12, "4c": 10}

# The same mapping as /work/shared/tools/verbatim_check.py.
BY_AUTHORITY = {
    "herts": ["herts-continuum-of-need.txt"],
    "notts": ["notts-pathway-to-provision-v8.txt"],
    "northants": ["northants-levels-of-need.txt", "northants-report-a-concern.txt"],
}

needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"{SOURCES} is not here (the shared folder is not shipped)")


def fold(text: str) -> str:
    """Copied from /work/shared/tools/verbatim_check.py: the folding it compares after."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("&amp;", "&")
    text = text.replace("•", " ").replace("*", "")
    text = re.sub(r"\s+", " ", text)
    return text.strip().lower()


def counts_by_level(indicators) -> tuple[int, int, int, int]:
    c = Counter(i.level for i in indicators)
    return c[4], c[3], c[2], c[1]


# ---------------------------------------------------------------------------------------
# Hertfordshire


def test_herts_has_303_indicators(shipped):
    assert len(shipped.authorities["herts"].indicators) == 303 == sum(sum(v) for v in HERTS.values())


@pytest.mark.parametrize("name", list(HERTS))
def test_herts_counts_per_domain_and_level(shipped, name):
    domains = {d.name: d for d in shipped.authorities["herts"].domains}
    assert name in domains, f"no Hertfordshire domain named {name!r}: {sorted(domains)}"
    assert counts_by_level(domains[name].indicators) == HERTS[name], "(L4, L3, L2, L1)"


def test_herts_domains_are_the_14_of_the_source_in_its_order(shipped):
    assert [d.name for d in shipped.authorities["herts"].domains] == list(HERTS)


@pytest.mark.skipif(not (SHARED / "SOURCES.md").is_file(), reason="shared/SOURCES.md is not here")
def test_the_copied_herts_table_is_the_one_in_sources_md():
    text = (SHARED / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*([^|]+?)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$", text, re.M)
    assert {name: tuple(int(n) for n in counts) for name, *counts in rows} == HERTS
    flat = " ".join(text.split())
    assert "Hertfordshire: 303 indicators" in flat
    assert "35 at Level 1, 60 at Level 2, 65 at Level 3, 68 at Level 4" in flat
    assert "10 under 4a, 12 under 4b, 10 under 4c" in flat


# ---------------------------------------------------------------------------------------
# Nottinghamshire


def test_notts_level_tables(shipped):
    items = [i for i in shipped.authorities["notts"].indicators if i.threshold is None]
    assert dict(Counter(i.level for i in items)) == NOTTS_LEVELS
    assert len(items) == 228


def test_notts_social_care_thresholds(shipped):
    notts = shipped.authorities["notts"]
    items = [i for i in notts.indicators if i.threshold is not None]
    assert dict(Counter(i.threshold for i in items)) == NOTTS_THRESHOLDS
    assert all(i.level == 4 for i in items), "a threshold criterion is a Level 4 item"
    assert set(notts.thresholds) == {"4a", "4b", "4c"}


# ---------------------------------------------------------------------------------------
# Northamptonshire


def test_northants_items_describe_a_child_and_stand_alone(shipped):
    items = shipped.authorities["northants"].indicators
    # Level 1's one sentence describes the level ("in all assessments at all levels of need"):
    # it is the level's description, not an item to tick.
    assert set(i.level for i in items) == {2, 3, 4}
    for item in items:
        assert not item.text.startswith(("Features at this level", "This will", "Without intervention", "In some cases")), item.id


def _unboxed(text: str) -> str:
    """Screen text without rich's box drawing, white space folded."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


@pytest.mark.parametrize("args", [
    ["lookup", "-a", "northants"],
    ["lookup", "levels", "-a", "northants"],
    ["lookup", "-a", "northants", "--level", "4"],
    ["lookup", "-a", "northants", "--search", "harm"],
], ids=["domains", "levels", "level-4", "search"])
def test_northants_notice_is_shown_in_lookup(shipped, invoke, args):
    notice = shipped.authorities["northants"].notice
    assert notice and "not bundled" in notice
    result = invoke(*args)
    assert result.returncode == 0, result.stderr
    assert " ".join(notice.split()) in _unboxed(result.stdout)


def test_no_notice_for_herts_in_lookup(shipped, invoke):
    notice = shipped.authorities["northants"].notice
    result = invoke("lookup", "health", "-a", "herts")
    assert result.returncode == 0, result.stderr
    assert " ".join(notice.split()) not in _unboxed(result.stdout)


# ---------------------------------------------------------------------------------------
# Quoted word for word


@needs_sources
@pytest.mark.parametrize("authority", list(BY_AUTHORITY))
def test_every_item_is_quoted_from_its_source(shipped, authority):
    source = " ".join(fold((SOURCES / name).read_text(encoding="utf-8")) for name in BY_AUTHORITY[authority])
    items = shipped.authorities[authority].indicators
    assert items
    missing = [f"{i.id}: {i.text[:100]}" for i in items if fold(i.text).rstrip(".").strip() not in source]
    assert not missing, "not found in the source:\n" + "\n".join(missing)


@needs_sources
def test_every_contact_phone_number_is_in_the_sources():
    from ruamel.yaml import YAML

    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    texts.append((SHARED / "SOURCES.md").read_text(encoding="utf-8"))
    haystack = " ".join(" ".join(t.split()) for t in texts)
    yaml = YAML(typ="safe")
    numbers = []
    for path in sorted((DATA / "contacts").glob("*.yaml")):
        for contact in yaml.load(path.read_text(encoding="utf-8"))["contacts"]:
            numbers += [(path.name, contact["id"], phone) for phone in contact.get("phone") or []]
    assert len(numbers) > 40
    missing = [n for n in numbers if " ".join(n[2].split()) not in haystack]
    assert not missing, f"phone numbers printed nowhere in the sources: {missing}"


# ---------------------------------------------------------------------------------------
# Ids and duties


def test_indicator_ids_are_unique_and_name_their_authority(shipped):
    seen = Counter()
    for authority in shipped.authorities.values():
        for indicator in authority.indicators:
            assert indicator.id.startswith(authority.id + "-"), indicator.id
            assert indicator.authority == authority.id
            seen[indicator.id] += 1
    counts = {a.id: len(a.indicators) for a in shipped.authorities.values()}
    assert counts["herts"] == 303 and counts["notts"] == 228 + 32 and counts["northants"] > 0
    assert sorted(counts) == held_ids()  # and any authority a council adds
    assert sum(seen.values()) == sum(counts.values())
    assert [i for i, n in seen.items() if n > 1] == []


def _by_id(shipped, indicator_id):
    authority = shipped.authorities[indicator_id.split("-")[0]]
    return authority, next(i for i in authority.indicators if i.id == indicator_id)


@pytest.mark.parametrize("indicator_id", ["notts-health-l4-12"])
def test_fgm_items_carry_the_police_duty(shipped, indicator_id):
    authority, indicator = _by_id(shipped, indicator_id)
    assert "FGM" in indicator.text
    assert "fgm-police" in indicator.pathways
    pathway = authority.pathways["fgm-police"]
    assert "101" in authority.contacts[pathway.contact].phone


@pytest.mark.parametrize("indicator_id", ["herts-harmful-practices-l4-03", "herts-harmful-practices-l4-04"])
def test_herts_fgm_risk_items_carry_the_referral_route_not_the_police_duty(shipped, indicator_id):
    authority, indicator = _by_id(shipped, indicator_id)
    assert indicator.pathways == ("fgm-risk",)
    assert authority.pathways["fgm-risk"].contact == "herts-childrens-services"


def test_northants_allegations_are_a_duty_route_not_items(shipped):
    northants = shipped.authorities["northants"]
    assert "allegations" not in {d.id for d in northants.domains}
    assert not any("works with children" in i.text for i in northants.indicators)
    route = northants.pathways["designated-officer"]
    assert "any person who works with children" in route.action
    assert route.contact == "northants-mash" and "0300 126 7000" in route.assumption


def test_lookup_json_shows_the_duties(invoke):
    import json

    result = invoke("lookup", "-a", "herts", "--json", "--search", "Female Genital Mutilation")
    assert result.returncode == 0, result.stderr
    items = {i["id"]: i for i in json.loads(result.stdout)}
    assert items["herts-harmful-practices-l4-03"]["pathways"] == ["fgm-risk"]
