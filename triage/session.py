"""What every command needs: the data, the authority asked for, and the moment."""
from __future__ import annotations

import difflib
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import USAGE, UserError
from .model import Authority

if TYPE_CHECKING:  # the store loads only when the data is
    from .data.store import DataSet


def load_data() -> DataSet:
    """The data, its files checked for edits as they are used (see data/store.py load)."""
    from .data.store import broken, load
    from .errors import DataError

    try:
        return load(lazily=True)
    except DataError as error:
        raise broken(error) from None


def find_authority(data: DataSet, name: str) -> Authority:
    """The authority responsible for what the user called it: a held authority's id, name or
    alias; any English council's name, short name or slug; a district or former district."""
    from . import england

    wanted = name.strip().lower()
    # The store's index knows every name without reading any authority (see data/store.py).
    found = data.authorities.named(wanted)
    if found is not None:
        return found
    councils = directory_of(data).find(name)
    if len(councils) > 1:
        listed = "; ".join(f"{c.name} ('{c.id}')" for c in councils)
        raise UserError(f"'{name}' may mean {listed}: give one of them", USAGE)
    if councils:
        return authority_of(data, councils[0])
    # A typo of a held id ("hert"), then real names; the held authorities' aliases are
    # council names already in the directory.
    ids = {i: i for i in data.authorities.names.values()}
    close = list(dict.fromkeys([*close_ids(wanted, ids, 1), *directory_of(data).close(name)]))
    hint = f" did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UserError(f"unknown authority '{england.clean(name)}':{hint} Give an English council's name, a town or "
                    "district in it, or --postcode; outside England, call 999 in an emergency or the NSPCC helpline "
                    "0808 800 5000", USAGE)


def council_at(data: DataSet, postcode: str):
    """The English council responsible for a child's home postcode. The postcode is looked
    up and dropped: it is never stored. UserError (exit 2) outside England, or for a postcode
    that is malformed or not in the directory."""
    from . import postcodes

    place = postcodes.find(postcode)
    if not place.in_england:
        raise UserError(f"{place.postcode} is in {place.nation}: triage covers England only. In an emergency call "
                        "999; the NSPCC helpline 0808 800 5000 answers for the whole UK", USAGE)
    council = directory_of(data).by_code.get(place.code)
    if council is None:
        raise UserError(f"{place.postcode} is in council area {place.code}, which triage's directory does not "
                        "have: give the council's name with --authority", USAGE)
    return council


def authority_name(data: DataSet, authority: str | None, postcode: str | None) -> str | None:
    """What --authority and --postcode name (one of them), as a name find_authority takes;
    the postcode's council and the data's attribution go to stderr, the postcode nowhere."""
    if postcode is None:
        return authority
    if authority:
        raise UserError("give --authority or --postcode, not both", USAGE)
    from .postcodes import ATTRIBUTION

    council = council_at(data, postcode)
    sys.stderr.write(f"The postcode is in {council.name}'s area. {ATTRIBUTION}.\n")
    return council.id


def directory_of(data: DataSet):
    from . import england
    from .data.store import broken
    from .errors import DataError

    try:
        return england.directory(data.root)
    except DataError as error:
        raise broken(error) from None


def authority_of(data: DataSet, council) -> Authority:
    """The held authority a council points at, else one with the routes that hold everywhere."""
    from . import england
    from .data.store import broken
    from .errors import DataError

    held = held_by(data).get(council.id)
    if held and held in data.authorities.names:
        return data.authorities[data.authorities.names[held]]
    try:
        return england.authority_for(council, data)
    except DataError as error:
        raise broken(error) from None


def held_by(data: DataSet) -> dict[str, str]:
    """Each English council whose indicators the data holds -> the authority's id: the
    directory's `held`, and any council an authority of a council's folder is (see
    england.held). With no council's folder in use, the directory's alone (no work)."""
    from . import england

    directory = directory_of(data)
    tree = data.tree
    if tree is None or tree.base is None:
        return {c.id: c.held for c in directory.authorities if c.held}
    return england.held(directory, brought_by(data))


def brought_by(data: DataSet) -> list[tuple[str, str, tuple[str, ...]]]:
    """The id, name and aliases of each authority a council's folder brings, in the order loaded."""
    tree = data.tree
    entries = data.authorities.entries.values()
    return [(e.id, e.name, e.aliases) for e in entries if tree is not None and tree.owns(f"indicators/{e.id}/")]


def close_ids(wanted: str, names: dict[str, str], most: int) -> list[str]:
    """The ids whose names (or ids) are near `wanted`, as a typo would be; best first."""
    close = difflib.get_close_matches(wanted, list(names), n=most, cutoff=0.75)
    return list(dict.fromkeys(names[c] for c in close))


def chosen_authorities(data: DataSet, name: str | None) -> list[Authority]:
    """The authority named (by option or TRIAGE_AUTHORITY), else every authority."""
    name = name or os.environ.get("TRIAGE_AUTHORITY") or None
    if name:
        return [find_authority(data, name)]
    return list(data.authorities.values())


def moment(at: str | None) -> datetime:
    from .clock import now, parse_at

    if at is None:
        return now()
    try:
        return parse_at(at)
    except ValueError as error:
        raise UserError(f"bad --at: {error}", USAGE) from None
