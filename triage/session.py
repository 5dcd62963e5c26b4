"""What every command needs: the data, the authority asked for, and the moment."""
from __future__ import annotations

import difflib
import os
from datetime import datetime

from .errors import USAGE, UserError
from .model import Authority, DataSet


def load_data() -> DataSet:
    """The data, its files checked for edits as they are used (see data/store.py load)."""
    from .data.store import broken, load
    from .errors import DataError

    try:
        return load(lazily=True)
    except DataError as error:
        raise broken(error) from None


def find_authority(data: DataSet, name: str) -> Authority:
    wanted = name.strip().lower()
    # The store's index knows every name without reading any authority (see data/store.py).
    found = data.authorities.named(wanted)
    if found is not None:
        return found
    names = data.authorities.names
    close = close_ids(wanted, names, 1)
    hint = f" did you mean '{close[0]}'?" if close else ""
    raise UserError(f"unknown authority '{name}':{hint} Known: {', '.join(sorted(data.authorities))}", USAGE)


def close_ids(wanted: str, names: dict[str, str], most: int) -> list[str]:
    """The ids whose names (or ids) are near `wanted`, as a typo would be; best first."""
    close = difflib.get_close_matches(wanted, list(names), n=most, cutoff=0.5)
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
