"""The one formatter of pydantic validation errors: each error as a located one-line message."""

from __future__ import annotations

from pydantic import ValidationError

from gaoxin_news.errors import shorten


def validation_messages(e: ValidationError) -> list[str]:
    """Every error of a record that does not fit its model, one line each: ``loc.of.field: message``
    (quoted values cut, see :func:`gaoxin_news.errors.shorten`)."""
    out = []
    for x in e.errors():
        loc = ".".join(str(p) for p in x["loc"])
        if x["type"] == "literal_error" and x["loc"] and x["loc"][-1] == "label":
            msg = f"unknown label {shorten(repr(x['input']), 80)}"
        else:
            msg = shorten(x["msg"].removeprefix("Value error, "))
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


def validation_problem(e: ValidationError) -> str:
    """One line for a record that does not fit its model: the first error, and how many more there are."""
    msgs = validation_messages(e)
    return msgs[0] + (f" (and {len(msgs) - 1} more)" if len(msgs) > 1 else "")
