"""The built data: one store per authority and an index per tree, in MessagePack.

Parsing and checking YAML costs more than starting Python, so what is built from a valid tree
is kept: each authority in its own file, named by the hash of every file it was built from
(its folder, its contacts file and the two shared files), and an index of the tree (each
authority's id, name, aliases and store, and every file's size, times and hash: the shared
files', and each authority's own in its entry, decoded only when it is used). A command
reads the index and only the authorities it uses. An edited file is seen at once: a file
whose size or times differ is hashed again, and only the authorities built from a changed
file are rebuilt; a tree with problems is never kept.

What is checked for edits: `validate` and anything listing every authority check every file
of the tree; a command for one authority checks the shared files and that authority's own
(its folder listed again, so an added or removed file counts as an edit). Any difference
there, or a name the index does not know, and the whole tree is checked, as validate does.

Stores are read with msgspec into the model's typed records (a value of the wrong type is
refused), never unpickled: nothing read here can run code. The wheel ships the packaged
tree built (triage/data/built/, written by hatch_build.py); other trees are kept in triage's
cache folder (see cache.py).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec.structs import replace

from .. import cache
from ..cache import blake2b
from ..errors import DATA, DataError, Problem, UserError
from ..model import Authority, Contact, HaveReady, Pathway, Record, shape
from . import reader
from .schema import ID

FORMAT = 11  # bump when the stored form, or what is checked before storing, changes
HERE = Path(__file__).resolve().parent
PACKAGED_TREE = HERE / "tree"  # the data shipped in the wheel
PACKAGED_BUILT = HERE / "built"  # and what the build hook built from it
INDEX = "index.msgpack"
KEEP_TREES = 8
KEEP_COUNCILS = 200  # councils' contacts files built (England's 153, and edits of them)
RACY_NS = 2_000_000_000  # indexes kept in the cache: the trees in use, not every tree ever seen


class Stamp(Record, frozen=True):
    """A data file as it was when last read: a file whose size and times match is unchanged
    (an edit always changes its change time); any other is hashed again."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str


class Entry(Record, frozen=True):
    id: Annotated[str, msgspec.Meta(pattern=ID.pattern)]  # a folder's name, as the data's ids are
    name: str
    aliases: tuple[str, ...]
    key: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$")]  # its store: the hash of every file it is built from
    indicators: int
    contacts: tuple[str, ...]
    # The stamps of its own files (reader.own_files: those a command for it checks), kept
    # encoded (a MessagePack dict[str, Stamp]) and decoded only for a command that uses it:
    # with 150 authorities, decoding every file's stamp took 1.5 ms of each command.
    files: msgspec.Raw


class Index(Record, frozen=True):
    shared: dict[str, Stamp]  # the files no authority owns: indicators/common.yaml, contacts/national.yaml
    authorities: tuple[Entry, ...]
    have_ready: HaveReady
    # What those shared files hold, for an authority whose indicators triage does not hold
    # (england.py builds it from them and the directory, without reading any other authority).
    pathways: dict[str, Pathway] = {}
    national: dict[str, Contact] = {}


def default_root() -> Path:
    """The data tree in use: $TRIAGE_DATA_DIR (a council's folder, read over the shipped
    tree: see layered), else the shipped tree."""
    override = cache.env_folder("TRIAGE_DATA_DIR")
    if override:
        return override
    return shipped_tree()


def shipped_tree() -> Path:
    """The tree triage ships: the packaged copy, else the source checkout's data/."""
    if PACKAGED_TREE.is_dir():
        return PACKAGED_TREE
    return HERE.parent.parent / "data"


def layered(root: Path | str | reader.Tree) -> reader.Tree:
    """The tree a folder names: the shipped tree itself, or a council's folder over it (its
    files win; an authority it brings replaces the shipped one of that id, see reader.Tree).
    A full copy of the shipped tree is a folder whose every file wins."""
    if isinstance(root, reader.Tree):
        return root
    root = Path(root)
    shipped = shipped_tree()
    if root == shipped:  # the common case, with no file system call
        return reader.Tree(root)
    try:
        if root.resolve() == shipped.resolve() or not shipped.is_dir():
            return reader.Tree(root)
    except (OSError, RuntimeError):  # unreadable: listing it says why
        pass
    return reader.Tree(root, shipped)


def load(root: Path | str | reader.Tree | None = None, lazily: bool = False) -> DataSet:
    """The validated data tree, its authorities read when first used; raises DataError listing
    every problem found.

    `lazily` is for a command: only the shared files are checked for edits now, each authority's
    own files when it is first asked for, and the whole tree when every authority is (see
    Authorities); a problem found then is raised as the command's one-line error, broken()."""
    root = layered(root if root else default_root())
    if lazily:
        listed = reader.list_part(root)
        for index in _known_indexes(root):
            shared = {rel: index.shared[rel] for rel in (reader.COMMON, reader.NATIONAL) if rel in index.shared}
            if _unchanged(root, listed, shared):
                return _data_set(root, index, checked=False)
    return _data_set(root, check_tree(root), checked=True)


def _data_set(root: reader.Tree, index: Index, checked: bool) -> DataSet:
    return DataSet(authorities=Authorities(root, index, checked=checked), have_ready=index.have_ready,
                   pathways=index.pathways, national=index.national, root=str(root.top), tree=root)


def broken(error: DataError) -> UserError:
    """The one line a command shows for a data tree with problems: what to do for a child now
    first (a long problem may be cut at the end of the line), then what is wrong."""
    more = len(error.problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''}: run `triage validate` for all)" if more else \
        " (run `triage validate` to check the data tree)"
    return UserError(f"{NO_ADVICE}; the data is broken: {error.problems[0]}{tail}", DATA)


# What every command that cannot read its data says first.
NO_ADVICE = ("triage cannot advise: if a child is in immediate danger, call 999; for advice, the NSPCC helpline "
             "0808 800 5000")


def check_tree(root: reader.Tree) -> Index:
    """The index of the tree as it is now, every file checked; raises DataError."""
    files, folders, problems = reader.list_tree(root)
    if problems:
        raise DataError(problems)
    return current_index(root, files, folders)


def current_index(root: reader.Tree, files: dict[str, os.stat_result], folders: list[str]) -> Index:
    cached = _cached_index(root)
    cached_stamps = every_stamp(cached) if cached else None
    if cached_stamps is None:  # none, or damaged
        cached = None
    stamps = stamp(root, files, cached_stamps or {})
    shipped = _shipped_index(root)
    if shipped is not None and _describes(shipped, every_stamp(shipped), stamps, folders):
        return shipped
    if cached is not None and _describes(cached, cached_stamps, stamps, folders):
        if stamps != cached_stamps and root.top != PACKAGED_TREE:
            _write_index(root, with_stamps(cached, stamps))  # touched, not changed: remember the new times
        return cached
    return rebuild(root, files, folders, stamps, cached or shipped)


def _describes(index: Index, built_from: dict[str, Stamp] | None, stamps: dict[str, Stamp], folders: list[str]) -> bool:
    """Whether the index was built from files with the contents these stamps say, for these authorities."""
    return built_from is not None and _digests(stamps) == _digests(built_from) and \
        [e.id for e in index.authorities] == folders


def every_stamp(index: Index) -> dict[str, Stamp] | None:
    """The stamps of every file of the index's tree; None if any authority's are damaged."""
    stamps = dict(index.shared)
    for entry in index.authorities:
        own = own_stamps(entry)
        if own is None:
            return None
        stamps.update(own)
    return stamps


def own_stamps(entry: Entry) -> dict[str, Stamp] | None:
    """The stamps of an authority's own files; None if they are damaged."""
    return _decode(entry.files, dict[str, Stamp])


def with_stamps(index: Index, stamps: dict[str, Stamp]) -> Index:
    """The index with these stamps, each authority's own kept in its entry (see Entry.files)."""
    encoder = msgspec.msgpack.Encoder()
    owned: set[str] = set()
    entries = []
    for entry in index.authorities:
        rels = reader.own_files(stamps, entry.id)
        owned.update(rels)
        entries.append(replace(entry, files=msgspec.Raw(encoder.encode({rel: stamps[rel] for rel in rels}))))
    shared = {rel: s for rel, s in stamps.items() if rel not in owned}
    return Index(shared=shared, authorities=tuple(entries), have_ready=index.have_ready, pathways=index.pathways,
                 national=index.national)


def _known_indexes(root: reader.Tree):
    """The indexes that may describe the tree, each read only if the one before did not do:
    for the packaged tree, the one shipped with it (read with no cache folder, and so without
    platformdirs, about 2 ms of a command); then the one kept in the cache (for the packaged
    tree, only after an edit to its files)."""
    shipped = _shipped_index(root)
    if shipped is not None:
        yield shipped
    cached = _cached_index(root)
    if cached is not None:
        yield cached


def _shipped_index(root: reader.Tree) -> Index | None:
    """The index the wheel ships for the packaged tree (None for any other tree)."""
    if root.top != PACKAGED_TREE or root.base is not None:
        return None
    shipped = _decode(cache.load(PACKAGED_BUILT / INDEX, _header("index")), Index)
    stamps = every_stamp(shipped) if shipped is not None else None
    if stamps is None:
        return None
    # Installed stamps mean nothing here: every file used is hashed (a few hundred KB).
    return with_stamps(shipped, {rel: Stamp(-1, -1, -1, -1, s.digest) for rel, s in stamps.items()})


def _cached_index(root: reader.Tree) -> Index | None:
    """The index last built for this tree and kept in the cache."""
    return _decode(cache.read(_index_name(root), _header("index")), Index)


def _unchanged(root: reader.Tree, files: dict[str, os.stat_result] | None, known: dict[str, Stamp] | None) -> bool:
    """Whether `files` (a part of the tree as listed now; None if it could not be) are the
    files `known` to the index (None: damaged), each with the content it had."""
    if files is None or known is None or sorted(files) != sorted(known):
        return False
    try:
        stamps = stamp(root, files, known)
    except DataError:  # unreadable now: checking the whole tree will say so
        return False
    return all(stamps[rel].digest == known[rel].digest for rel in files)


def stamp(root: reader.Tree, files: dict[str, os.stat_result], previous: dict[str, Stamp]) -> dict[str, Stamp]:
    """Each file's stamp, hashing only those whose size or times changed."""
    import time

    now = time.time_ns()
    stamps = {}
    for rel, info in files.items():
        old = previous.get(rel)
        sig = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        if now - info.st_ctime_ns < RACY_NS or now - info.st_mtime_ns < RACY_NS:
            # Changed just now: a second edit within the file system's clock tick could keep
            # these times, so this file is hashed again until it has aged (as git does).
            sig = (-1, -1, -1, -1)
        if old is not None and (old.size, old.mtime_ns, old.ctime_ns, old.inode) == sig and sig[0] >= 0:
            stamps[rel] = old
            continue
        try:
            digest = blake2b(reader.read_bytes(root / rel), digest_size=16).hexdigest()
        except reader.Refused as refused:
            raise DataError([refused.problem]) from None
        stamps[rel] = Stamp(*sig, digest)
    return stamps


def rebuild(root: reader.Tree, files, folders: list[str], stamps: dict[str, Stamp], previous: Index | None,
            out: Path | None = None) -> Index:
    """Build the authorities whose files changed (the others are kept), check the tree, and
    store the result in the cache (or in the folder `out`); raises DataError with every problem."""
    from .loader import build_authority, build_shared, tree_problems
    from .reader import COMMON, NATIONAL, own_files

    shared = build_shared(root, files, read_to_build(root, [COMMON, NATIONAL], stamps))
    problems = list(shared.problems)
    shared_digests = [stamps[rel].digest for rel in (COMMON, NATIONAL) if rel in stamps]
    kept = {e.id: e for e in previous.authorities} if previous else {}
    entries: list[Entry] = []
    built: dict[str, tuple[str, Authority]] = {}

    def elsewhere(folder: str):
        def owner(indicator_id: str) -> str | None:
            for other in folders:
                if other != folder and indicator_id.startswith(other + "-"):
                    found = built[other][1] if other in built else \
                        _stored(_key(other, own_files(files, other), stamps, shared_digests))
                    if found is not None and any(i.id == indicator_id for d in found.domains for i in d.indicators):
                        return other
            return None
        return owner

    for folder in folders:
        key = _key(folder, own_files(files, folder), stamps, shared_digests)
        if out is None and folder in kept and kept[folder].key == key and _exists(key):
            entries.append(kept[folder])
            continue
        # Built before, perhaps for another tree with the same files (the build hook builds all).
        authority = _stored(key) if out is None else None
        if authority is None and not shared.problems:
            contents = read_to_build(root, own_files(files, folder), stamps)
            key = _key(folder, own_files(files, folder), stamps, shared_digests)  # of what is read now
            authority, found = build_authority(root, folder, files, shared, elsewhere(folder), contents)
            problems += found
            if authority is not None:
                built[folder] = (key, authority)
        if authority is not None:
            entries.append(Entry(authority.id, authority.name, authority.aliases, key, len(authority.indicators),
                                 tuple(authority.contacts), msgspec.Raw(b"")))  # its stamps: with_stamps below
    problems += tree_problems(root, folders, files, {e.id: (e.name, e.aliases) for e in entries})
    if problems or shared.have_ready is None:
        raise DataError(list(dict.fromkeys(problems)))
    encoder = msgspec.msgpack.Encoder()
    index = with_stamps(Index(shared={}, authorities=tuple(entries), have_ready=shared.have_ready,
                              pathways=shared.pathways, national=shared.national[1] if shared.national else {}),
                        stamps)
    for key, authority in built.values():
        if out is None:
            cache.write(_store_name(key), _header("authority", key), encoder.encode(authority))
        else:
            cache.store(out / f"{key}.msgpack", _header("authority", key), encoder.encode(authority))
    if out is None:
        _write_index(root, index)
    else:
        cache.store(out / INDEX, _header("index"), encoder.encode(index))
    return index


def read_to_build(root: reader.Tree, rels: list[str], stamps: dict[str, Stamp]) -> dict[str, bytes]:
    """The bytes of the files about to be built from, each read once and handed to the loader,
    so that what is parsed is what is hashed: a file saved again between its stamp and its
    parse was built from its new text under its old key, so a wrong number could be kept. A
    file that changed since its stamp takes the digest of what was read (and is hashed again
    next time); one that cannot be read is left to the loader, which says why."""
    contents = {}
    for rel in rels:
        try:
            contents[rel] = reader.read_bytes(root / rel)
        except reader.Refused:
            continue
        digest = blake2b(contents[rel], digest_size=16).hexdigest()
        if rel not in stamps or stamps[rel].digest != digest:
            stamps[rel] = Stamp(-1, -1, -1, -1, digest)
    return contents


class DataSet(msgspec.Struct, frozen=True):
    """A tree's data as the commands use it: the authorities, each read when first asked for,
    and the records every authority shares. (Built, never stored.)"""

    authorities: Authorities
    have_ready: HaveReady
    pathways: dict[str, Pathway] = {}  # the national duties and routes (common.yaml)
    national: dict[str, Contact] = {}  # the lines that hold everywhere (national.yaml)
    root: str | None = None  # the data tree's folder (a council's: its own, see reader.Tree)
    tree: reader.Tree | None = None  # the files read: the folder, over the shipped tree for a council's


class Authorities(Mapping):
    """The authorities of a tree by id, each read from its store when first asked for.

    Unless the whole tree was checked (`checked`), an authority's own files are checked when it
    is first asked for, and every file when all authorities are listed (iterating, len); an
    edit found makes it check the whole tree, which rebuilds what changed. A problem found
    then is raised as a command's one-line error (broken())."""

    def __init__(self, root: reader.Tree, index: Index, checked: bool):
        self.root = root
        self._use(index)
        self.whole_tree_checked = checked
        self.checked = set(self.entries) if checked else set()  # ids whose files match the index
        self.loaded: dict[str, Authority] = {}  # by store key

    def _use(self, index: Index) -> None:
        self.index = index
        self.entries = {entry.id: entry for entry in index.authorities}

    def check_all(self) -> None:
        if self.whole_tree_checked:
            return
        try:
            self._use(check_tree(self.root))
        except DataError as error:
            raise broken(error) from None
        self.whole_tree_checked = True
        self.checked = set(self.entries)

    @property
    def names(self) -> dict[str, str]:
        """Every id and alias -> the authority's id, from the index (see named())."""
        return {name: e.id for e in self.entries.values() for name in (e.id, *e.aliases)}

    def named(self, name: str) -> Authority | None:
        """The authority with this id or alias (in lower case), or None. The index says which
        one, and only its files are checked; if the index does not know the name, or the
        authority no longer has it, the whole tree is checked and asked again."""
        while True:
            current = self.whole_tree_checked  # the index is the tree's as it is now
            authority_id = self.names.get(name)
            # Asking for it checks its files: an edit found there checks the whole tree and
            # changes the index, whose names are then asked again.
            found = self.get(authority_id) if authority_id is not None else None
            if found is not None and name in (found.id, *found.aliases):
                return found
            if current:
                return None
            self.check_all()

    def __getitem__(self, authority_id: str) -> Authority:
        if authority_id not in self.checked and not self._unchanged(authority_id):
            self.check_all()
        entry = self.entries[authority_id]
        self.checked.add(authority_id)
        if entry.key not in self.loaded:
            found = _stored(entry.key)
            if found is None or found.id != entry.id:  # pruned, damaged, or not the one the index names
                found = self._rebuild(entry)  # its files are unchanged: build it again
            self.loaded[entry.key] = found
        return self.loaded[entry.key]

    def _unchanged(self, authority_id: str) -> bool:
        entry = self.entries.get(authority_id)
        return entry is not None and _unchanged(self.root, reader.list_part(self.root, authority_id), own_stamps(entry))

    def _rebuild(self, entry: Entry) -> Authority:
        from .loader import build_authority, build_shared

        files, _, problems = reader.list_tree(self.root)
        stamps = {**self.index.shared, **(own_stamps(entry) or {})}
        indexed = _digests(stamps)
        shared = build_shared(self.root, files, read_to_build(self.root, [reader.COMMON, reader.NATIONAL], stamps))
        contents = read_to_build(self.root, reader.own_files(files, entry.id), stamps)
        if _digests(stamps) != indexed:  # saved again since it was checked: never keep it under the old key
            problems.append(Problem(str(self.root), None,
                                    f"the files of '{entry.id}' changed while they were read: run the command again"))
        authority, found = build_authority(self.root, entry.id, files, shared, lambda indicator_id: None, contents)
        problems += list(shared.problems) + found
        if problems or authority is None:
            raise broken(DataError(problems or [Problem(str(self.root), None, f"authority '{entry.id}' could not be built")]))
        cache.write(_store_name(entry.key), _header("authority", entry.key), msgspec.msgpack.encode(authority))
        return authority

    def __iter__(self):
        self.check_all()
        return iter(self.entries)

    def __len__(self) -> int:
        self.check_all()
        return len(self.entries)


# ---------------------------------------------------------------------------------------
# A council's own contacts file (England's directory): built once per content, then read back
# with msgspec, so a command for Leeds imports neither ruamel.yaml nor phonenumbers (40 ms).


def council_key(council_id: str, national_ids: frozenset[str], content: bytes) -> str:
    digest = blake2b(f"{FORMAT}\0{_shape_digest()}\0{council_id}\0{','.join(sorted(national_ids))}\0".encode(),
                     digest_size=16)
    digest.update(content)
    return digest.hexdigest()


def stored_council(key: str) -> tuple[str, dict[str, Contact]] | None:
    """The council's (front door id, contacts) built before from the same file, or None."""
    found = _decode(cache.read(f"councils/{key}.msgpack", _header("council", key)), tuple[str, dict[str, Contact]])
    return found if found is not None and found[0] in found[1] else None


def keep_council(key: str, built: tuple[str, dict[str, Contact]]) -> None:
    cache.write(f"councils/{key}.msgpack", _header("council", key), msgspec.msgpack.encode(built))
    _keep_newest("councils", KEEP_COUNCILS)


def _keep_newest(subfolder: str, most: int) -> None:
    try:
        entries = sorted((e for e in os.scandir(cache.own_folder() / subfolder) if cache.NAME.match(e.name)),
                         key=lambda e: e.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    if len(entries) > most:
        cache.prune(subfolder, {e.name for e in entries[:most]})


# validate's warnings (data/comments.py) of a tree whose files are as they were: reading every
# file again to look for them took 50 ms of each `validate` with 150 authorities.
KEEP_WARNINGS = 20


def warnings_key(tree: reader.Tree, index: Index) -> str:
    """The tree's files as the index knows them: each authority's store key (the hash of its
    files) and the shared files' hashes, with the tree's folders (the warnings name paths)."""
    digest = blake2b(f"{FORMAT}\0{tree!r}\0".encode(), digest_size=16)
    for entry in index.authorities:
        digest.update(f"{entry.id}:{entry.key}\0".encode())
    for rel, found in sorted(index.shared.items()):
        digest.update(f"{rel}:{found.digest}\0".encode())
    return digest.hexdigest()


def stored_warnings(key: str) -> list[Problem] | None:
    found = _decode(cache.read(f"warnings/{key}.msgpack", _header("warnings", key)), list[tuple[str, int | None, str]])
    return None if found is None else [Problem(*warning) for warning in found]


def keep_warnings(key: str, warnings: list[Problem]) -> None:
    cache.write(f"warnings/{key}.msgpack", _header("warnings", key), msgspec.msgpack.encode([tuple(w) for w in warnings]))
    _keep_newest("warnings", KEEP_WARNINGS)


# ---------------------------------------------------------------------------------------
# Names, keys and headers


def _header(kind: str, key: str = "") -> bytes:
    return cache.header(kind, f"{FORMAT}.{_shape_digest()}.{key}")


def _shape_digest() -> str:
    """The model's fields, so a store written by a version of triage with others is never read."""
    global _SHAPE
    if _SHAPE is None:
        _SHAPE = blake2b(shape().encode(), digest_size=8).hexdigest()
    return _SHAPE


_SHAPE: str | None = None


def _key(folder: str, rels: list[str], stamps: dict[str, Stamp], shared_digests: list[str]) -> str:
    digest = blake2b(f"{FORMAT}\0{_shape_digest()}\0{folder}\0".encode(), digest_size=16)
    for rel in rels:
        digest.update(f"{rel}\0{stamps[rel].digest}\0".encode())
    digest.update("\0".join(shared_digests).encode())
    return digest.hexdigest()


def _store_name(key: str) -> str:
    return f"authorities/{key}.msgpack"


def _index_name(root: reader.Tree) -> str:
    try:
        where = str(root.top.resolve())
    except (OSError, RuntimeError):
        where = str(root.top)
    if root.base is not None:  # a council's folder: over this shipped tree
        where += f"\0{root.base}"
    return f"trees/{blake2b(where.encode(), digest_size=16).hexdigest()}.msgpack"


def _exists(key: str) -> bool:
    return _stored(key) is not None


def _stored(key: str) -> Authority | None:
    """The authority built under `key`: the wheel's copy first (no cache folder needed), else the cache's."""
    data = cache.load(PACKAGED_BUILT / f"{key}.msgpack", _header("authority", key))
    if data is None:
        data = cache.read(_store_name(key), _header("authority", key))
    found = _decode(data, Authority)
    return found if found is not None and isinstance(found.id, str) else None


def _decode(data: bytes | None, kind):
    if data is None:
        return None
    try:
        return msgspec.msgpack.decode(data, type=kind)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, RecursionError):
        return None


def _digests(stamps: dict[str, Stamp]) -> dict[str, str]:
    return {rel: s.digest for rel, s in stamps.items()}


def _write_index(root: reader.Tree, index: Index) -> None:
    cache.write(_index_name(root), _header("index"), msgspec.msgpack.encode(index))
    _prune()


def _prune() -> None:
    """Keep the newest indexes and the stores they name; remove only files triage wrote."""
    try:
        folder = cache.own_folder() / "trees"
        indexes = sorted((e for e in os.scandir(folder) if cache.NAME.match(e.name) and e.is_file(follow_symlinks=False)),
                         key=lambda e: e.stat().st_mtime_ns, reverse=True)[:KEEP_TREES]
    except OSError:
        return
    cache.prune("trees", {e.name for e in indexes})
    keep: set[str] = set()
    for entry in indexes:
        index = _decode(cache.read(f"trees/{entry.name}", _header("index")), Index)
        if index is None:
            return  # unreadable now (being replaced?): keep every store rather than guess
        keep.update(f"{e.key}.msgpack" for e in index.authorities)
    cache.prune("authorities", keep)


def compile_tree(root: Path, out: Path) -> None:
    """Build a tree into the folder `out` (the wheel build hook): its index and every store."""
    tree = reader.Tree(root)  # the tree shipped: nothing under it
    files, folders, problems = reader.list_tree(tree)
    if problems:
        raise DataError(problems)
    rebuild(tree, files, folders, stamp(tree, files, {}), None, out=out)
