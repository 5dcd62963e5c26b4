"""England's 153 children's services authorities: what people call them -> the one responsible.

The directory (data/england/authorities.json, made by scripts/make_england.py from GOV.UK's
Local Links Manager file) names each council, its short name, its codes, its homepage and
the districts inside it. A council whose threshold document triage holds points at that
data (`held`: herts, notts, northants); every other one becomes an authority with the
routes that hold everywhere (national.yaml, common.yaml), its own front door where a public
page confirms it (data/england/contacts/<id>.yaml), and no indicators: a level of need is
never guessed for it.

It is JSON, decoded by msgspec into typed records (about 1 ms): every command that names an
authority may need it, and YAML would cost twenty times that.
"""
from __future__ import annotations

import difflib
import os
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .errors import DataError, Problem

if TYPE_CHECKING:  # the model loads with the data, not with the directory
    from .model import Authority

HERE = Path(__file__).resolve().parent
FOLDER = "england"
DIRECTORY = "authorities.json"

_KIND = re.compile(r"\s+(?:city and district\s+|(?:metropolitan\s+)?(?:borough|district|county|city)\s+)*council$",
                   re.I)
_OF = re.compile(r"^(?:london borough of|royal borough of|borough council of|borough of|council of the|city of)\s+", re.I)


def short_name(name: str) -> str:
    """'Watford Borough Council' -> 'Watford'; 'London Borough of Camden' -> 'Camden'."""
    short = _KIND.sub("", name.strip())
    short = re.sub(r"\s+(?:corporation|metropolitan district)$", "", short, flags=re.I)
    bare = _OF.sub("", short).strip()
    return short if bare.lower() == "london" else bare  # "London" alone is 33 councils, not the City


def key(text: str) -> str:
    """A name as it is compared: lower case, '&' as 'and', no apostrophes (the directory writes
    "Kings Lynn": "King's Lynn" is the same), other punctuation as spaces."""
    text = re.sub(r"['\u2018\u2019\u02bc`\u00b4]", "", text.lower()).replace("&", " and ")
    return re.sub(r"^the ", "", " ".join(re.findall(r"[a-z0-9]+", text)))


class Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class District(Struct, frozen=True):
    name: str
    short: str
    code: str  # its GSS code, as the ONS Postcode Directory names it (laua)


class Council(Struct, frozen=True):
    id: str  # the directory's slug: "leeds", "north-northamptonshire"
    name: str  # "Leeds City Council"
    short: str  # "Leeds"
    codes: tuple[str, ...]  # GSS codes: the file's, then any of 2025 it lacks
    homepage: str
    districts: tuple[District, ...] = ()
    former: tuple[str, ...] = ()  # former district names people still use (Corby, Kettering)
    held: str | None = None  # the id of the authority whose indicators triage holds


class DirectorySource(Struct, frozen=True):
    file: str
    title: str
    publisher: str
    date: str


class Directory(Struct, frozen=True, dict=True):  # dict: room for the cached indexes below
    source: DirectorySource
    authorities: tuple[Council, ...]

    @cached_property
    def by_id(self) -> dict[str, Council]:
        return {c.id: c for c in self.authorities}

    @cached_property
    def names(self) -> dict[str, tuple[str, ...]]:
        """Every name people use -> the ids of the councils responsible (more than one: ambiguous)."""
        found: dict[str, list[str]] = {}

        def add(name: str, council: Council) -> None:
            for form in {key(name), key(short_name(name))}:
                owners = found.setdefault(form, [])
                if council.id not in owners:
                    owners.append(council.id)

        for council in self.authorities:
            for name in (council.name, council.short, council.id.replace("-", " "), *council.former):
                add(name, council)
            for district in council.districts:
                add(district.name, council)
                add(district.short, council)
        return {name: tuple(ids) for name, ids in found.items()}

    @cached_property
    def by_code(self) -> dict[str, Council]:
        """Every GSS code (a council's or a district's) -> the council responsible."""
        codes = {}
        for council in self.authorities:
            codes.update({code: council for code in council.codes})
            codes.update({d.code: council for d in council.districts})
        return codes

    def find(self, text: str) -> tuple[Council, ...]:
        """The councils a name, a place or an id may mean: one, several (ambiguous) or none."""
        for form in (key(text), key(short_name(text))):
            if form in self.names:
                return tuple(self.by_id[i] for i in self.names[form])
        return ()

    def close(self, text: str, most: int = 4) -> list[str]:
        """Real names near a mistyped one, for "did you mean": the councils and districts
        whose names contain the words typed ("yorkshire"), else the nearest spellings."""
        shown = {key(n): n for c in self.authorities for n in (c.short, *c.former)}
        shown.update({key(d.short): f"{d.short} (in {c.short})" for c in self.authorities for d in c.districts
                      if key(d.short) not in shown})
        wanted = key(text)
        if not wanted:
            return []
        words = wanted.split()
        containing = [shown[k] for k in shown if all(w in k.split() for w in words)]
        if containing:
            return sorted(containing)[:most]
        return [shown[k] for k in difflib.get_close_matches(wanted, list(shown), n=most, cutoff=0.75)]

    def where(self, council: Council, text: str) -> str | None:
        """'Watford is in Hertfordshire' when the name typed is a district's, else None."""
        wanted = key(text)
        for district in council.districts:
            if wanted in (key(district.name), key(district.short)):
                return f"{district.short} is in {council.short}"
        if any(wanted == key(f) for f in council.former):
            return f"{text.strip()} (a former district) is in {council.name}"
        return None


def folder(root: Path | str | None) -> Path:
    """The directory's folder: the data tree's own, else the one triage ships."""
    if root is not None and (Path(root) / FOLDER / DIRECTORY).is_file():
        return Path(root) / FOLDER
    return shipped_folder()


def shipped_folder() -> Path:
    packaged = HERE / "data" / "tree" / FOLDER
    return packaged if packaged.is_dir() else HERE.parent / "data" / FOLDER


def contacts_files(root: Path | str | None) -> list[Path]:
    """Every council's contacts file, by name: the tree's own (england/contacts/), and each
    shipped one it does not replace. (A tree with a directory of its own: only the shipped
    files of councils in it.)"""
    found: dict[str, Path] = {}
    own = Path(root) / FOLDER / "contacts" if root is not None else None
    shipped = shipped_folder() / "contacts"
    listed = directory(root).by_id if own is not None and folder(root) != shipped_folder() else None
    for where in (shipped, own):
        if where is not None and where.is_dir():
            found.update({p.name: p for p in where.glob("*")
                          if where == own or listed is None or (p.suffix == ".yaml" and p.stem in listed)})
    return sorted(found.values(), key=lambda p: p.name)


_LOADED: dict[Path, Directory] = {}


def directory(root: Path | str | None = None) -> Directory:
    """The directory of the tree at `root`; raises DataError when it cannot be read."""
    from .data import reader

    where = folder(root) / DIRECTORY
    if where not in _LOADED:
        try:
            _LOADED[where] = msgspec.json.decode(reader.read_bytes(where), type=Directory)
        except reader.Refused as refused:
            raise DataError([refused.problem]) from None
        except msgspec.DecodeError as error:  # ValidationError is one
            raise DataError([Problem(str(where), None, f"is not a directory of authorities: {error}")]) from None
    return _LOADED[where]


def check(root: Path | str | None, held_ids: set[str], national_ids: frozenset[str]) -> tuple[list[Problem], int]:
    """Every problem of the directory and the councils' contacts files (for `validate`), and
    how many contacts files there are."""
    try:
        found = directory(root)
    except DataError as error:
        return list(error.problems), 0
    where = str(folder(root) / DIRECTORY)
    problems = []
    ids = [c.id for c in found.authorities]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    problems += [Problem(where, None, f"authority id '{i}' is listed twice") for i in twice]
    if root is not None and folder(root) == Path(root) / FOLDER:
        # The tree's own directory must name its authorities. With the one triage ships, a tree
        # of other authorities is fine: a council whose indicators it lacks gets the routes
        # that hold everywhere.
        problems += [Problem(where, None, f"'{c.id}' is held as '{c.held}', which the data tree does not have: give "
                             f"one of {', '.join(sorted(held_ids))}") for c in found.authorities
                     if c.held and c.held not in held_ids]
    files = contacts_files(root)
    for path in files:
        if path.suffix != ".yaml":
            problems.append(Problem(str(path), None, "is not read: a council's contacts file is <id>.yaml"))
        elif path.stem not in found.by_id:
            problems.append(Problem(str(path), None, f"'{path.stem}' is not an authority in {DIRECTORY}: name the "
                                    "file after the council's id (e.g. leeds.yaml)"))
        else:
            try:
                own_contacts(found.by_id[path.stem], root, national_ids)
            except DataError as error:
                problems += error.problems
    return problems, sum(1 for p in files if p.suffix == ".yaml")


# ---------------------------------------------------------------------------------------
# An authority whose indicators triage does not hold


def front_door_file(council: Council, root: Path | str | None) -> Path:
    """The council's contacts file: the tree's own, else the one triage ships."""
    name = f"{council.id}.yaml"
    if root is not None and os.path.lexists(Path(root) / FOLDER / "contacts" / name):
        return Path(root) / FOLDER / "contacts" / name
    return shipped_folder() / "contacts" / name


def own_contacts(council: Council, root: Path | str | None, national_ids: frozenset[str]):
    """(front door id, {id: contact}) from the council's confirmed contacts, or None when
    triage holds none for it; raises DataError for a file with problems (with their lines).
    A file built before with the same content is read back from the cache."""
    from .data import reader, store

    path = front_door_file(council, root)
    base, rel = path.parent.parent, f"contacts/{council.id}.yaml"
    if not os.path.lexists(path):  # there but not a file (a folder, a FIFO): refused just below
        return None
    try:
        content = reader.read_bytes(base / rel)
    except reader.Refused as refused:
        raise DataError([refused.problem]) from None
    key = store.council_key(council.id, national_ids, content)
    found = store.stored_council(key)
    if found is None:
        found = _built_contacts(council, base, rel, content, national_ids)
        store.keep_council(key, found)
    return found


def _built_contacts(council: Council, base: Path, rel: str, content: bytes, national_ids: frozenset[str]):
    from .data.contacts import contacts, uncovered
    from .data.loader import located
    from .data.schema import Checker

    def make(nodes, problems):
        if rel not in nodes:
            return None
        check = Checker(str(base / rel), problems)
        found = contacts(check, nodes[rel], council.id, prefix=council.id, extra_ids=national_ids)
        if found is not None:
            uncovered(check, nodes[rel], found[1], found[0])
        return found

    found, problems = located(base, [rel], make, {rel: content})
    if problems or found is None:
        raise DataError(problems or [Problem(str(base / rel), None, "could not be read as a contacts file")])
    return found


def held(directory: Directory, brought: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, str]:
    """Each council in the directory whose indicators triage holds -> that authority's id:
    the directory's `held`, except that an authority a council's folder brings (`brought`:
    its id, name and aliases, in the order loaded) holds the indicators of the council whose
    id it has, else of the one council its name or an alias names (the first to claim one)."""
    found = {c.id: c.held for c in directory.authorities if c.held}
    claimed: set[str] = set()
    matched: set[str] = set()
    for by_id in (True, False):
        for authority_id, name, aliases in brought:
            if authority_id in matched:
                continue
            if by_id:
                councils = [directory.by_id[authority_id]] if authority_id in directory.by_id else []
            else:
                named = {c.id: c for n in (name, *aliases) for c in directory.find(n)}
                councils = list(named.values()) if len(named) == 1 else []
            for council in councils:
                # A council whose indicators triage ships is taken over by its id only (a folder
                # bringing `herts`), never by a name or alias ("watford"): validate reports those.
                shipped = council.held is not None and council.held != authority_id
                if council.id not in claimed and (by_id or not shipped):  # a second claim: validate
                    claimed.add(council.id)
                    matched.add(authority_id)
                    found[council.id] = authority_id
    return found


def homepage_contact(council: Council):
    """The council's website, the way to its front door when no number is confirmed."""
    from .model import Contact, OpeningHours

    return Contact(
        id=f"{council.id}-council", name=f"{council.name} (website)", purpose="safeguarding",
        for_=f"triage holds no confirmed front-door number for {council.name}: its website gives its "
             "children's services number (search it for 'worried about a child').",
        hours=OpeningHours(always=True), url=council.homepage, confirmed="2026-08",  # the directory's date
        assumption="No public page in triage's sources confirms this council's front-door number: find it on "
                   "the council's website. If a child is in immediate danger, call 999; for advice, the NSPCC "
                   "helpline 0808 800 5000.",
        source="england-local-authorities.csv (GOV.UK Local Links Manager), homepage_url")


def authority_for(council: Council, data) -> Authority:
    """The routes that hold everywhere, the council's own front door where confirmed, and no indicators."""
    from .data.common import through_front_door
    from .model import Authority

    national = dict(data.national)
    own = own_contacts(council, data.root, frozenset(national))
    contacts = {**national}
    if own is not None:
        front_door, found = own
        contacts.update(found)
    else:
        website = homepage_contact(council)
        front_door, contacts[website.id] = website.id, website
    pathways = through_front_door(dict(data.pathways), council.name, front_door)
    source = data_source(council)
    return Authority(id=council.id, name=council.name, aliases=(), source=source, levels={}, domains=(),
                     consents=(), services={}, pathways=pathways, contacts=contacts, front_door=front_door,
                     thresholds={})


def data_source(council: Council):
    from .model import Source

    return Source(file="england-local-authorities.csv", title="Local Links Manager: local authorities",
                  publisher="GOV.UK (Government Digital Service)", date="2026-08", url=council.homepage)


def clean(text: str) -> str:
    """A name the user typed, safe to show in one line."""
    from .screen import clean as clean_text

    return clean_text(text.strip(), newlines=False)[:80]
