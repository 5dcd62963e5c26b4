"""Where data comes in: files read with bounds, YAML parsed with no aliases and little nesting.

A data tree or an answers file may come from anyone, so nothing here trusts a file to be
small, regular or well-meaning: only regular files are read (a FIFO or a device would hang
or never end), symbolic links only when they stay inside the tree, each file up to
MAX_FILE_BYTES and a tree up to MAX_TREE_BYTES, and YAML without anchors or aliases (the
data format needs none; an alias bomb of 1 KB expands to gigabytes) nested at most
MAX_DEPTH deep. Every refusal is one line naming the file and the limit.

YAML is parsed with ruamel.yaml's C safe loader (ruamel.yaml.clib, about eight times faster
than its pure-Python round-trip loader); the round-trip loader, which knows every node's
line, runs only on files already found to have a problem, to say where.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Problem

MAX_FILE_BYTES = 2_000_000
MAX_TREE_BYTES = 64_000_000
MAX_TREE_FILES = 10_000
MAX_DEPTH = 32  # the data format nests about 6 deep


class Refused(Exception):
    """A file that is not read (or not parsed): `where` and a one-line message."""

    def __init__(self, where: str, message: str, line: int | None = None):
        super().__init__(f"{where}:{line}: {message}" if line else f"{where}: {message}")
        self.problem = Problem(where, line, message)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


# O_NONBLOCK (POSIX): opening a FIFO returns at once instead of waiting for a writer, and the
# FIFO is then refused. O_BINARY (Windows): the bytes as they are, no newline translation.
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
READ_FLAGS = os.O_RDONLY | NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _refuse_special(where: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise Refused(where, "is a folder, not a file: a data file is a regular file")
    if not stat.S_ISREG(mode):
        raise Refused(where, "is not a regular file (a device, FIFO or socket is never read)")


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises Refused."""
    where = str(path)
    try:
        if not NONBLOCK:  # a FIFO would wait for a writer: refuse it by its name first
            _refuse_special(where, os.stat(path).st_mode)
        handle = os.open(path, READ_FLAGS)
    except OSError as error:
        raise Refused(where, f"cannot be read: {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        _refuse_special(where, info.st_mode)
        if info.st_size > limit:
            raise Refused(where, f"is {megabytes(info.st_size)}, over the limit of {megabytes(limit)} for one file")
        chunks, size = [], 0
        while size <= limit:  # the size may have grown since fstat: read no more than the limit
            chunk = os.read(handle, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Refused(where, f"is over the limit of {megabytes(limit)} for one file")
        return b"".join(chunks)
    except OSError as error:
        raise Refused(where, f"cannot be read: {error.strerror or error}") from None
    finally:
        os.close(handle)


def decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(where, "is not UTF-8 text: save it as UTF-8", data.count(b"\n", 0, error.start) + 1) from None


def parse(text: str, where: str):
    """The plain value of one YAML document (dicts, lists, scalars); raises Refused."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        _check_events(text, where)
        return _safe_yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(str(error.problem or error.context or "invalid YAML").split())
        line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        raise Refused(where, f"YAML syntax error: {what}{_hint(what, line)}", mark.line + 1 if mark else None) from None
    except (YAMLError, ValueError, TypeError, RecursionError, OverflowError) as error:
        raise Refused(where, f"YAML syntax error: {' '.join(str(error).split())[:200]}") from None


# What the parser's words most often mean in a data officer's file, and what would be right.
HINTS = (
    ("mapping values are not allowed", "a ': ' inside a value: put the whole value in double quotes"),
    ("found unexpected ':'", "a time or text holding ':' needs double quotes, e.g. [\"09:00-17:00\"]"),
    ("could not find expected ':'", "a line that is not 'key: value' (a missing ':', or text run on from the "
                                    "line before): put the whole value in double quotes on one line"),
)


def _hint(what: str, line: str) -> str:
    if "\t" in line[:len(line) - len(line.lstrip())] or ("cannot start any token" in what and "\t" in line):
        return ": the line holds a tab: indent with spaces only"
    return next((f": {hint}" for words, hint in HINTS if words in what), "")


def parse_located(text: str):
    """The same document as round-trip nodes that know their lines; only for text `parse` took."""
    from ruamel.yaml import YAML

    return YAML(typ="rt").load(text)


def read_yaml(path: str | Path):
    """A bounded YAML (or JSON) file's plain value; raises Refused. Used for --answers files."""
    return parse(decode(read_bytes(path), str(path)), str(path))


def _safe_yaml():
    global _SAFE
    if _SAFE is None:
        from ruamel.yaml import YAML

        _SAFE = YAML(typ="safe")  # the C loader when ruamel.yaml.clib is installed
    return _SAFE


_SAFE = None


def _check_events(text: str, where: str) -> None:
    """Refuse anchors, aliases and deep nesting before anything is built from the text.

    The C parser emits events without building anything, so this costs little and bounds
    what the loader (whose C composer recurses once a level) will be asked to build."""
    depth = 0
    for event in _safe_yaml().parse(text):
        kind = type(event).__name__
        if kind == "AliasEvent" or getattr(event, "anchor", None):
            raise Refused(where, "YAML anchors and aliases (& and *) are not allowed",
                          event.start_mark.line + 1)
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(where, f"is nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


# ---------------------------------------------------------------------------------------
# The files of a tree

COMMON = "indicators/common.yaml"  # the shared files: every authority is built with them
NATIONAL = "contacts/national.yaml"


def authority_in(rel: str) -> str | None:
    """The authority a file (or folder) of a tree belongs to: <id> of indicators/<id>/... and
    of contacts/<id>.yaml; None for the shared files and anything else."""
    parts = rel.split("/")
    if parts[0] == "indicators" and len(parts) > 2:
        return parts[1]
    if parts[0] == "contacts" and len(parts) == 2 and parts[1].endswith(".yaml") and rel != NATIONAL:
        return parts[1][:-len(".yaml")]
    return None


class Tree:
    """The data a command reads: a folder (`top`), and under it the shipped tree (`base`)
    when the folder is a council's own rather than the shipped tree itself.

    A council's folder adds to the shipped tree. A file it holds wins over the shipped file
    of the same path (indicators/common.yaml, contacts/national.yaml, england/...); an
    authority whose folder indicators/<id>/ or contacts/<id>.yaml it holds is wholly its own
    (the shipped authority of that id is not read at all); every other file is the shipped
    one. `tree / rel` is the real path a file is read from and named by."""

    def __init__(self, top: Path, base: Path | None = None):
        self.top = Path(top)
        self.base = base
        self._owned: dict[str, bool] = {}  # an authority's id, or a shared file's path -> the folder's?

    def __str__(self) -> str:
        return str(self.top)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tree) and (self.top, self.base) == (other.top, other.base)

    def __hash__(self) -> int:
        return hash((self.top, self.base))

    def __repr__(self) -> str:
        return f"Tree({str(self.top)!r}, base={str(self.base) if self.base else None!r})"

    def owns(self, rel: str) -> bool:
        """Whether the file (or folder) at `rel` is the council's folder's, not the shipped tree's."""
        if self.base is None:
            return True
        authority = authority_in(rel)
        key = f"/{authority}" if authority is not None else rel.rstrip("/")
        if key not in self._owned:
            if authority is None:
                self._owned[key] = os.path.lexists(self.top / rel)
            else:
                self._owned[key] = os.path.lexists(self.top / "indicators" / authority) or \
                    os.path.lexists(self.top / "contacts" / f"{authority}.yaml")
        return self._owned[key]

    def layer(self, rel: str) -> Path:
        """The folder `rel` is read from."""
        return self.top if self.base is None or self.owns(rel) else self.base

    def __truediv__(self, rel: str) -> Path:
        return self.layer(rel) / rel

    def everywhere(self, rel: str) -> list[str]:
        """`rel` in each folder (a prefix that may name files of both)."""
        return [str(self.top / rel)] + ([str(self.base / rel)] if self.base is not None else [])

    def remember(self, own: set[str], shipped: set[str], shared: set[str]) -> None:
        """What a listing of the whole tree found: the ids of the authorities the folder brings,
        those shipped, and the shared files the folder holds (what was asked before is forgotten)."""
        self._owned = {f"/{i}": i in own for i in own | shipped}
        self._owned.update({rel: rel in shared for rel in (COMMON, NATIONAL)})
        self.brought, self.shipped = own, shipped

    def replaces(self, authority: str) -> str:
        """For a problem of an authority the folder brings that the shipped tree has too: why
        the shipped one does not fill in ('' otherwise)."""
        if self.base is None or self.shipped is None or authority not in self.shipped:
            return ""
        return f" (the folder brings authority '{authority}', which replaces the shipped one whole: it needs both)"

    brought: set[str] | None = None  # after a listing: the ids the folder brings
    shipped: set[str] | None = None  # and those the shipped tree holds


def own_files(files, folder: str) -> list[str]:
    """The files an authority is built from, besides the shared ones: its folder
    indicators/<folder>/ and its contacts/<folder>.yaml."""
    prefix = f"indicators/{folder}/"
    inside = sorted(rel for rel in files if rel.startswith(prefix))
    return inside + ([f"contacts/{folder}.yaml"] if f"contacts/{folder}.yaml" in files else [])


def list_tree(root: Path | Tree) -> tuple[dict[str, os.stat_result], list[str], list[Problem]]:
    """The YAML files of a tree ({path relative to root: its stat}), its authority folders,
    and any layout problems.

    A tree holds indicators/ (common.yaml and one folder per authority) and contacts/. Only
    regular files are listed; a symbolic link is followed only when it stays in the tree.
    Listing every authority (and validating) lists the tree; a command for one authority
    lists only its part (list_part). Either stays lean: one stat a file.

    A council's folder (a Tree with a `base`) is listed over the shipped tree: its own files,
    and the shipped files it does not replace (see Tree). Its folders are in the order they
    are loaded: the shipped authorities it leaves, those it replaces (in the shipped order),
    then those it adds."""
    tree = root if isinstance(root, Tree) else Tree(Path(root))
    if tree.base is None:
        return _list_layer(tree.top, missing=True)
    files, folders, problems = _list_layer(tree.top, missing=False)
    if not problems and not files and not folders and not (tree.top / "england").is_dir():
        problems.append(Problem(str(tree.top), None, "holds no data: a council's folder holds indicators/<id>/ and "
                                "contacts/<id>.yaml for each authority it brings, laid out as data/ is (see "
                                "docs/data-format.md)"))
    shipped_files, shipped_folders, shipped_problems = _list_layer(tree.base, missing=True)
    problems += shipped_problems
    own = set(folders) | {a for a in map(authority_in, files) if a is not None}
    shared = {rel for rel in (COMMON, NATIONAL) if os.path.lexists(tree.top / rel)}
    for rel, info in shipped_files.items():
        if rel not in files and authority_in(rel) not in own:
            files[rel] = info
    ordered = [f for f in shipped_folders if f not in own] + [f for f in shipped_folders if f in folders] + \
        [f for f in folders if f not in shipped_folders]
    tree.remember(own, set(shipped_folders), shared)
    return files, ordered, problems


def _list_layer(root: Path, missing: bool) -> tuple[dict[str, os.stat_result], list[str], list[Problem]]:
    """One folder's files, as list_tree lists them; `missing`: a missing indicators/ or
    contacts/ is a problem (a council's folder need not hold both)."""
    files: dict[str, os.stat_result] = {}
    folders: list[str] = []
    problems: list[Problem] = []
    total = 0
    try:
        inside = os.path.realpath(root, strict=True)
    except (OSError, RuntimeError) as error:
        return files, folders, [Problem(str(root), None, f"cannot be read: {getattr(error, 'strerror', None) or error}")]
    for part in ("indicators", "contacts"):
        for name, path, info in _entries(os.path.join(root, part), inside, problems,
                                         f"missing folder: a data tree holds '{part}/' (see docs/data-format.md)"
                                         if missing else None):
            if part == "indicators" and stat.S_ISDIR(info.st_mode):
                folders.append(name)
                for inner, inner_path, inner_info in _entries(path, inside, problems):
                    if inner.endswith(".yaml"):
                        total += _add(files, problems, f"{part}/{name}/{inner}", inner_path, inner_info)
                    elif misnamed(inner):
                        problems.append(not_read(inner_path, inner))
            elif name.endswith(".yaml"):
                total += _add(files, problems, f"{part}/{name}", path, info)
            elif misnamed(name):
                problems.append(not_read(path, name))
            if total > MAX_TREE_BYTES or len(files) > MAX_TREE_FILES:
                problems.append(Problem(str(root), None, f"holds more than {megabytes(MAX_TREE_BYTES)} or "
                                        f"{MAX_TREE_FILES} files of data, the limit for a tree"))
                return files, folders, problems
    return files, folders, problems


def misnamed(name: str) -> bool:
    """A YAML file that is never read, its name not ending '.yaml' (family.yml, family.YAML):
    a domain saved so is half the indicators gone, with validate saying OK. Other files
    (notes, a stray store) are not data and are left alone."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot and stem) and suffix.lower() in ("yml", "yaml") and suffix != "yaml"


def not_read(path: str, name: str) -> Problem:
    return Problem(path, None, f"is ignored: only files ending '.yaml' are read: rename it {name.rpartition('.')[0]}.yaml")


def list_part(root: Path | Tree, authority: str | None = None) -> dict[str, os.stat_result] | None:
    """The files of one part of a tree, listed as list_tree lists them: the shared files, or
    with `authority` that authority's own files (see own_files). None when any is missing or
    would be refused: listing the whole tree then says what is wrong. (A council's folder:
    each file from the folder it is read from, see Tree.)"""
    tree = root if isinstance(root, Tree) else Tree(Path(root))
    real: dict[Path, str] = {}

    def inside(layer: Path) -> str:
        if layer not in real:
            real[layer] = os.path.realpath(layer, strict=True)
        return real[layer]

    found: list[tuple[str, str, os.stat_result]] = []
    problems: list[Problem] = []
    try:
        if authority is None:
            rels = [COMMON, NATIONAL]
        else:
            rels = [f"contacts/{authority}.yaml"]
            layer = tree.layer(f"indicators/{authority}/")
            folder = os.path.join(layer, "indicators", authority)
            info = _stat_inside(folder, inside(layer))
            if info is None or not stat.S_ISDIR(info.st_mode):
                return None
            entries = _entries(folder, inside(layer), problems)
            if any(misnamed(name) for name, _, _ in entries):
                return None  # a YAML file that is never read: the whole tree is listed, and says so
            found += [(f"indicators/{authority}/{name}", path, inner)
                      for name, path, inner in entries if name.endswith(".yaml")]
        for rel in rels:
            layer = tree.layer(rel)
            path = os.path.join(layer, rel)
            info = _stat_inside(path, inside(layer))
            if info is None:
                return None
            found.append((rel, path, info))
    except (OSError, RuntimeError):
        return None
    files: dict[str, os.stat_result] = {}
    for rel, path, info in found:
        _add(files, problems, rel, path, info)
    return None if problems else files


def _stat_inside(path: str, inside: str) -> os.stat_result | None:
    """A path's stat, its link followed only if it stays inside the tree; None otherwise."""
    try:
        if os.path.islink(path) and not _inside(path, inside):
            return None
        return os.stat(path)
    except OSError:
        return None


def _entries(folder: str, inside: str, problems: list[Problem], missing: str | None = None):
    """The visible entries of a folder with their stat (links followed, if inside the tree)."""
    result: list[tuple[str, str, os.stat_result]] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except FileNotFoundError:
        if missing:
            problems.append(Problem(folder, None, missing))
        return result
    except OSError as error:
        problems.append(Problem(folder, None, f"cannot be read: {error.strerror or error}"))
        return result
    if len(entries) > MAX_TREE_FILES:
        problems.append(Problem(folder, None, f"holds more than {MAX_TREE_FILES} entries, the limit for a tree"))
        return []
    for entry in entries:
        if entry.is_symlink() and not _inside(entry.path, inside):
            problems.append(Problem(entry.path, None, "is a link to somewhere outside the data tree: copy the file in instead"))
            continue
        try:
            result.append((entry.name, entry.path, entry.stat()))
        except OSError as error:
            problems.append(Problem(entry.path, None, f"cannot be read: {error.strerror or error}"))
    return result


def _inside(path: str, root: str) -> bool:
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return False
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _add(files: dict, problems: list[Problem], rel: str, path: str, info: os.stat_result) -> int:
    if stat.S_ISDIR(info.st_mode):
        problems.append(Problem(path, None, "should be a YAML file, found a folder"))
    elif not stat.S_ISREG(info.st_mode):
        problems.append(Problem(path, None, "is not a regular file (a device, FIFO or socket is never read)"))
    elif info.st_size > MAX_FILE_BYTES:
        problems.append(Problem(path, None, f"is {megabytes(info.st_size)}, over the limit of "
                                f"{megabytes(MAX_FILE_BYTES)} for one file"))
    else:
        files[rel] = info
        return info.st_size
    return 0
