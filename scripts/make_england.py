"""Writes data/england/authorities.json, England's 153 children's services authorities, from
GOV.UK's Local Links Manager file (../shared/sources/england-local-authorities.csv).

Run from the project root, with triage installed: python scripts/make_england.py [CSV]. The JSON is committed;
this script is how it was made, so a new copy of the file is a new run, never a hand edit.
What the file lacks (SOURCES.md, "England: every children's services authority") is added
here, each with its reason: the 2025 codes of four councils, the former Northamptonshire
districts, and the three authorities whose indicators triage holds.
"""
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT.parent / "shared" / "sources" / "england-local-authorities.csv"
OUT = ROOT / "data" / "england" / "authorities.json"
sys.path.insert(0, str(ROOT))
from triage.england import short_name  # noqa: E402 - the same names the tool matches

# The ONS codes of 2025 that the file does not have, each the same council as a row of it.
CODES_2025 = {"north-yorkshire": ["E06000065"], "somerset": ["E06000066"],
              "barnsley": ["E08000038"], "sheffield": ["E08000039"]}
# Northamptonshire's former districts (abolished 1 April 2021), names people still use.
FORMER = {"north-northamptonshire": ["Corby", "East Northamptonshire", "Kettering", "Wellingborough"],
          "west-northamptonshire": ["Daventry", "Northampton", "South Northamptonshire"]}
# The authorities whose threshold documents triage holds: their data ids.
HELD = {"hertfordshire": "herts", "nottinghamshire": "notts",
        "north-northamptonshire": "northants", "west-northamptonshire": "northants"}

def main(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    england = [r for r in rows if r["country_name"] == "England"]
    authorities = [r for r in england if r["tier_id"] in ("1", "3")]
    districts = [r for r in england if r["tier_id"] == "2"]
    by_row = {r["id"]: r for r in authorities}
    out = []
    for row in sorted(authorities, key=lambda r: r["slug"]):
        inside = sorted((d for d in districts if d["parent_local_authority_id"] == row["id"]), key=lambda d: d["slug"])
        out.append({
            "id": row["slug"], "name": row["name"], "short": short_name(row["name"]),
            "codes": [row["gss"], *CODES_2025.get(row["slug"], [])],
            "homepage": row["homepage_url"],
            "districts": [{"name": d["name"], "short": short_name(d["name"]), "code": d["gss"]} for d in inside],
            "former": FORMER.get(row["slug"], []),
            "held": HELD.get(row["slug"]),
        })
    orphans = [d["slug"] for d in districts if d["parent_local_authority_id"] not in by_row]
    if orphans or len(out) != 153:
        raise SystemExit(f"unexpected file: {len(out)} authorities, districts without a parent: {orphans}")
    document = {
        "source": {"file": path.name, "title": "Local Links Manager: local authorities (data/local-authorities.csv)",
                   "publisher": "GOV.UK (Government Digital Service), MIT licence, Crown copyright",
                   "date": "2026-08-06"},
        "authorities": out,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(out)} authorities, {sum(len(a['districts']) for a in out)} districts")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CSV)
