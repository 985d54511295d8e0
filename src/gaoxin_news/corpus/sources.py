"""Reading source pages and the seeds manifest. Bad input fails with the file and the position."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import InputError
from gaoxin_news.schema.files import read_jsonl
from gaoxin_news.schema.records import SourceEntry

MANIFEST_NAME = "manifest.jsonl"


@dataclass(frozen=True)
class Page:
    id: str
    path: Path
    text: str  # decoded text; a UTF-8 BOM is removed, CR characters are kept (they are whitespace)
    meta: SourceEntry | None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufff0-\uffff]")


def _line_col(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def decode_page(data: bytes, path: str) -> str:
    """Decode a page's bytes, or raise :class:`InputError` saying what is wrong and where."""
    if not data.strip():
        raise InputError(path, "1:1", "empty file: no text to build from")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, _line_col(data, nul), f"binary file: NUL byte at byte offset {nul}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            path, _line_col(data, e.start),
            f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start} cannot be decoded "
            "(GBK or another legacy encoding? convert the file to UTF-8)",
        ) from None
    m = _CONTROL_RE.search(text)
    if m:
        i, c = m.start(), m.group()
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        raise InputError(path, f"{line}:{col}", f"binary or control character U+{ord(c):04X} at char {i}")
    return text


def read_manifest(seeds: Path) -> dict[str, SourceEntry]:
    """Entries of ``seeds/manifest.jsonl`` by file name; a missing manifest gives an empty dict."""
    path = seeds / MANIFEST_NAME
    if not path.exists():
        return {}
    return {entry.file: entry for _, entry in read_jsonl(path, SourceEntry)}


def page_files(seeds: Path) -> list[Path]:
    """The page files of a seeds folder, in a fixed order (sorted by name)."""
    if not seeds.is_dir():
        raise InputError(str(seeds), "-", "not a directory")
    return sorted(p for p in seeds.iterdir() if p.suffix == ".txt" and p.is_file())


def load_page(path: Path, meta: SourceEntry | None) -> Page:
    data = path.read_bytes()
    text = decode_page(data, str(path))
    if meta is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != meta.sha256:
            raise InputError(str(path), "-", f"sha256 {digest} differs from the manifest's {meta.sha256}")
    return Page(id=meta.id if meta else path.stem, path=path, text=text, meta=meta)
