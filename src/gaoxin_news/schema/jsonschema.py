"""JSON Schemas generated from the record models (``schemas/*.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from gaoxin_news.schema.records import SCHEMA_MODELS


def render_schemas() -> dict[str, str]:
    """File name → JSON Schema text, for every published model."""
    out = {}
    for name, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json", **schema}
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fname, text in render_schemas().items():
        (folder / fname).write_text(text, encoding="utf-8")
        written.append(folder / fname)
    return written


def stale_schemas(folder: Path) -> list[str]:
    return [
        fname for fname, text in render_schemas().items()
        if not (folder / fname).exists() or (folder / fname).read_text(encoding="utf-8") != text
    ]
