"""Checks data/england/contacts/*.yaml as triage will read them, and shows the call at a few moments.

Run from the project root: python scripts/check_england_contacts.py [slug ...]"""
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from triage import england
from triage.clock import call_for
from triage.errors import DataError
from triage.session import find_authority, load_data

LONDON = ZoneInfo("Europe/London")
MOMENTS = ["2026-12-02 10:00", "2026-12-04 16:40", "2026-12-05 11:00", "2026-12-25 10:00", "2026-12-02 23:00"]

data = load_data()
directory = england.directory(None)
slugs = sys.argv[1:] or sorted(p.stem for p in Path("data/england/contacts").glob("*.yaml"))
failed = False
for slug in slugs:
    council = directory.by_id.get(slug)
    if council is None:
        print(f"{slug}: not a council id in authorities.json"); failed = True; continue
    try:
        england.own_contacts(council, None, frozenset(data.national))
        authority = find_authority(data, council.name)
    except DataError as error:
        failed = True
        for problem in error.problems:
            print(f"{slug}: {problem}")
        continue
    print(f"{slug}: OK, front door {authority.front_door}")
    for moment in MOMENTS:
        at = datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)
        call = call_for(authority.contacts[authority.front_door], at, authority.contacts, True)
        line = call.contact.phone[0] if call.contact and call.contact.phone else "999"
        print(f"   {moment:>16}  {line:<16} {call.contact.id if call.contact else '-'}: {call.reason}")
sys.exit(1 if failed else 0)
