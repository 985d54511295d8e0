"""File names of a corpus folder, how to tell a corpus folder, and the one reader of JSON Lines files."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonlines
from pydantic import BaseModel, ValidationError

from gaoxin_news.errors import GaoxinError, InputError, shorten
from gaoxin_news.schema.validation import validation_messages, validation_problem

ARTICLES = "articles.jsonl"
SENTENCES = "sentences.jsonl"
MANIFEST = "manifest.json"
CORPUS_NAME = "gaoxin-news"


def is_corpus_folder(folder: Path) -> bool:
    """True when ``folder`` holds a ``manifest.json`` naming gaoxin-news: a folder that a build made."""
    try:
        with open(folder / MANIFEST, "rb") as f:
            data = f.read(1 << 22)
        man = json.loads(data)
    except (OSError, ValueError):
        return False
    return isinstance(man, dict) and man.get("name") == CORPUS_NAME


def corpus_folder_of(path: Path) -> Path | None:
    """The corpus folder that ``path`` is, or lies inside, if any."""
    p = path.resolve()
    for d in (p, *p.parents):
        if d.is_dir() and is_corpus_folder(d):
            return d
    return None


def refuse_overlap(out: Path, inputs: Mapping[str, Path]) -> None:
    """Refuse an output folder (replaced whole by the command writing it) that is, holds or lies inside
    one of the ``inputs`` (name → folder: the corpus, the seeds, the annotations): it would delete data."""
    target = out.resolve()
    for what, folder in inputs.items():
        src = folder.resolve()
        if target == src or target in src.parents or src in target.parents:
            raise GaoxinError(f"{out}: --out must not be, hold or lie inside the {what} folder {folder}; "
                              "choose another folder")


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An ``object_pairs_hook`` for :func:`json.loads` that rejects a key given twice."""
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {shorten(k, 60)!r}")
        out[k] = v
    return out


def loads_unique(text: str | bytes) -> Any:
    """:func:`json.loads` that rejects duplicate keys and reports nesting too deep as a ValueError."""
    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def utf8_problem(raw: bytes, e: UnicodeDecodeError, line_offset: int) -> str:
    """Where the bytes of a line (starting at ``line_offset`` in its file) stop being UTF-8."""
    return (f"not UTF-8: byte 0x{raw[e.start]:02x} at byte offset {line_offset + e.start} "
            f"(byte {e.start + 1} of the line): {e.reason}")


def _line_problem(e: jsonlines.InvalidLineError, line_offset: int) -> str:
    cause = e.__cause__
    raw = e.line.encode("utf-8") if isinstance(e.line, str) else e.line
    if isinstance(cause, UnicodeDecodeError):
        return utf8_problem(raw, cause, line_offset)
    if not raw.strip():
        return "blank line"
    if isinstance(cause, json.JSONDecodeError):
        return f"malformed JSON: {cause.msg} (character {cause.pos + 1})"
    if cause is not None:
        return f"malformed JSON: {shorten(str(cause), 120)}"
    return "expected a JSON object"


def read_jsonl(
    path: Path | str,
    model: type[BaseModel] | None = None,
    problems: list[str] | None = None,
    skip_blank: bool = False,
    strict: bool = False,
    max_line_bytes: int | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(line number, record)`` for each line of a JSON Lines file, parsed by ``jsonlines`` (a UTF-8 BOM
    is allowed, a key given twice is not) and, with ``model``, validated by it; with ``skip_blank``, blank
    lines are passed over (otherwise each is a problem).

    With ``strict``, the model validates in pydantic's strict mode on the JSON text (no coercion: ``"6"``
    or ``6.0`` is not an integer) and a last line without its newline is a problem (a truncated file).
    With ``max_line_bytes``, a longer line is refused (:class:`InputError`) before it is held whole.

    A bad line raises :class:`InputError` (``FILE:LINE: [record id: ]problem``; bytes that are not UTF-8
    are located by byte offset in the file and in the line). When a ``problems`` list is given, every
    problem of every bad line is appended to it instead, as ``FILE:LINE: [id: ]problem``, and the line
    is skipped.
    """
    where = str(path)
    n = 0  # the number of the line jsonlines last read (it numbers only the lines it rejects)
    start = 0  # the byte offset of that line in the file
    last = b""
    text = ""  # the text of that line, as decoded by jsonlines

    def lines(f: Any) -> Iterator[bytes]:
        nonlocal n, start, last
        offset = 0
        while True:
            raw = f.readline() if max_line_bytes is None else f.readline(max_line_bytes + 1)
            if not raw:
                return
            n, start, last = n + 1, offset, raw
            offset += len(raw)
            if max_line_bytes is not None and len(raw) > max_line_bytes:
                raise InputError(where, str(n), f"line longer than {max_line_bytes} bytes")
            yield raw

    def loads(s: str) -> Any:
        nonlocal text
        text = s
        return loads_unique(s)

    def problem(line: int, message: str) -> None:
        if problems is None:
            raise InputError(where, str(line), message)
        problems.append(f"{where}:{line}: {message}")

    with open(path, "rb") as f:
        reader = jsonlines.Reader(lines(f), loads=loads)
        while True:
            try:
                obj = reader.read(type=dict, skip_empty=skip_blank)
            except EOFError:
                break
            except jsonlines.InvalidLineError as e:
                problem(e.lineno, _line_problem(e, start))
                continue
            if model is None:
                yield n, obj
                continue
            try:
                rec = model.model_validate_json(text, strict=True) if strict else model.model_validate(obj)
            except ValidationError as e:
                rid = obj.get("id")
                head = f"{shorten(rid, 80)}: " if isinstance(rid, str) else ""
                if problems is None:
                    raise InputError(where, str(n), head + validation_problem(e)) from None
                problems += [f"{where}:{n}: {head}{m}" for m in validation_messages(e)]
                continue
            yield n, rec
    if strict and last and not last.endswith(b"\n"):
        problem(n, "the last line does not end with a newline (truncated file?)")
