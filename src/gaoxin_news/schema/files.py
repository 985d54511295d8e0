"""File names of a corpus folder, and the one reader of JSON Lines files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonlines
from pydantic import BaseModel, ValidationError

from gaoxin_news.errors import InputError
from gaoxin_news.schema.validation import validation_messages, validation_problem

ARTICLES = "articles.jsonl"
SENTENCES = "sentences.jsonl"
MANIFEST = "manifest.json"


def _line_problem(e: jsonlines.InvalidLineError) -> str:
    cause = e.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return f"not UTF-8: byte {cause.start + 1} of the line"
    if isinstance(cause, json.JSONDecodeError):
        return f"malformed JSON: {cause.msg} (character {cause.pos + 1})"
    if cause is not None:
        return f"malformed JSON: {cause}"
    return "expected a JSON object"


def read_jsonl(
    path: Path | str,
    model: type[BaseModel] | None = None,
    problems: list[str] | None = None,
    skip_blank: bool = False,
) -> Iterator[tuple[int, Any]]:
    """``(line number, record)`` for each line of a JSON Lines file, parsed by ``jsonlines`` (a UTF-8 BOM
    is allowed) and, with ``model``, validated by it; with ``skip_blank``, blank lines are passed over.

    A bad line raises :class:`InputError` (``FILE:LINE: [record id: ]problem``). When a ``problems`` list
    is given, every problem of every bad line is appended to it instead, as ``FILE:LINE: [id: ]problem``,
    and the line is skipped.
    """
    where = str(path)
    n = 0  # the number of the line jsonlines last read (it numbers only the lines it rejects)

    def lines(f: Any) -> Iterator[bytes]:
        nonlocal n
        for n, line in enumerate(f, 1):  # noqa: B007
            yield line

    with open(path, "rb") as f:
        reader = jsonlines.Reader(lines(f), loads=json.loads)
        while True:
            try:
                obj = reader.read(type=dict, skip_empty=skip_blank)
            except EOFError:
                return
            except jsonlines.InvalidLineError as e:
                if problems is None:
                    raise InputError(where, str(e.lineno), _line_problem(e)) from None
                problems.append(f"{where}:{e.lineno}: {_line_problem(e)}")
                continue
            if model is None:
                yield n, obj
                continue
            try:
                rec = model.model_validate(obj)
            except ValidationError as e:
                rid = obj.get("id")
                head = f"{rid}: " if isinstance(rid, str) else ""
                if problems is None:
                    raise InputError(where, str(n), head + validation_problem(e)) from None
                problems += [f"{where}:{n}: {head}{m}" for m in validation_messages(e)]
                continue
            yield n, rec
