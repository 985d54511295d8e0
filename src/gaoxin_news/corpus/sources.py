"""Reading source pages and the seeds manifest. Bad input fails with the file and the position."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import InputError, shorten
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


class HashingWriter(io.RawIOBase):
    """A binary file open for writing that computes its sha256 (and counts its bytes) as it is written,
    so that a file is hashed once, while it is written, not read back. Wrap it in
    ``io.TextIOWrapper`` for text; pyarrow writes to it as to any Python file object."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = open(path, "wb")  # noqa: SIM115 (closed by close())
        self._sha = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        n = self._file.write(data)  # a buffered file writes everything
        self._sha.update(data)
        self.size += n
        return n

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        if not self.closed:
            self._file.flush()

    def close(self) -> None:
        super().close()  # flushes first
        self._file.close()

    def hexdigest(self) -> str:
        """The sha256 of the bytes written so far."""
        return self._sha.hexdigest()


#: Byte order marks of the Unicode encodings other than UTF-8 (UTF-32 first: its LE mark starts with UTF-16's).
_OTHER_BOMS = [(b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
               (b"\xfe\xff", "UTF-16")]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufff0-\uffff]")


def _line_col(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def _looks_utf16(data: bytes) -> bool:
    """Most bytes at even (or odd) offsets are NUL, as in UTF-16 text of mostly ASCII characters."""
    head = data[:4096]
    half = max(1, len(head) // 2)
    return max(head[0::2].count(0), head[1::2].count(0)) > half * 0.4 and min(
        head[0::2].count(0), head[1::2].count(0)) < half * 0.05


def decode_page(data: bytes, path: str) -> str:
    """Decode a page's bytes, or raise :class:`InputError` saying what is wrong and where."""
    if not data.strip():
        raise InputError(path, "1:1", "empty file: no text to build from")
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(path, "1:1", f"{name} text (byte order mark {bom.hex(' ').upper()}), not UTF-8: "
                             "convert the file to UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0 and _looks_utf16(data):
        raise InputError(path, "1:1", "UTF-16 text without a byte order mark (a NUL byte beside every ASCII "
                         "character), not UTF-8: convert the file to UTF-8")
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


def read_manifest(seeds: Path, pages: list[Path] | None = None) -> dict[str, SourceEntry]:
    """Entries of ``seeds/manifest.jsonl`` by file name; a missing manifest gives an empty dict (the
    pages are then identified by their file names, without metadata).

    With ``pages`` (the page files of the folder) the manifest must match them one to one: a line for
    a file that is not there (a renamed seed), a page with no line, two lines for one file or one id
    are errors naming the file and the line.
    """
    path = seeds / MANIFEST_NAME
    if not path.exists():
        return {}
    out: dict[str, SourceEntry] = {}
    lines: dict[str, int] = {}
    ids: dict[str, int] = {}
    where = str(path)
    for n, entry in read_jsonl(path, SourceEntry, skip_blank=True, strict=True):
        if entry.file in lines:
            raise InputError(where, str(n), f"second line for {shorten(entry.file, 80)!r} (first on line "
                             f"{lines[entry.file]})")
        if entry.id in ids:
            raise InputError(where, str(n), f"second line for the id {shorten(entry.id, 80)!r} (first on line "
                             f"{ids[entry.id]})")
        if Path(entry.file).name != entry.file or not entry.file.endswith(".txt"):
            raise InputError(where, str(n), f"file {shorten(entry.file, 80)!r} is not the name of a page "
                             "(*.txt) in this folder")
        lines[entry.file], ids[entry.id] = n, n
        out[entry.file] = entry
    if pages is not None:
        names = {p.name for p in pages}
        for name, n in lines.items():
            if name not in names:
                raise InputError(where, str(n), f"lists {shorten(name, 80)!r}, which is not in {seeds} "
                                 "(renamed or removed? update the manifest)")
        for p in pages:
            if p.name not in out:
                raise InputError(str(p), "-", f"no line in {path} (add one with its id and sha256)")
    return out


#: The largest page a build reads, in bytes (configurable: ``gaoxin-news build --max-page-bytes``). A
#: newspaper page holds some ten thousand characters; the limit keeps a stray huge file from taking
#: the machine's memory.
MAX_PAGE_BYTES = 4 * 1024 * 1024

#: What a page id (the file name without .txt, when the manifest gives none) may be made of.
PAGE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def page_id(path: Path) -> str:
    """The id of a page that the manifest does not name: its file name without ``.txt``."""
    if not PAGE_ID.match(path.stem):
        raise InputError(str(path), "-", f"file name {shorten(path.stem, 80)!r} is not a page id (letters, digits, "
                         "'_', '.', '-'); rename it or give it an id in the manifest")
    return path.stem


def check_page_size(path: Path, limit: int = MAX_PAGE_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise InputError(str(path), "-", f"{size} bytes, more than the limit of {limit} bytes for one page "
                         "(raise it with --max-page-bytes if this is really one page)")


def page_files(seeds: Path) -> list[Path]:
    """The page files of a seeds folder, in a fixed order (sorted by name)."""
    if not seeds.is_dir():
        raise InputError(str(seeds), "-", "not a directory")
    return sorted(p for p in seeds.iterdir() if p.suffix == ".txt" and p.is_file())


def load_page(path: Path, meta: SourceEntry | None, limit: int = MAX_PAGE_BYTES) -> Page:
    check_page_size(path, limit)
    data = path.read_bytes()
    text = decode_page(data, str(path))
    if meta is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != meta.sha256:
            raise InputError(str(path), "-", f"sha256 {digest} differs from the manifest's {meta.sha256}")
    return Page(id=meta.id if meta else page_id(path), path=path, text=text, meta=meta)
