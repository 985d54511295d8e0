"""One colour per entity type, the same on every page, after the displaCy entity style: light
backgrounds under dark text, so that every label reads with WCAG AAA contrast (7:1 or more)."""

from __future__ import annotations

from gaoxin_news.schema.labels import ENTITY_TYPES

#: Text colour of the entity marks (and of the page).
TEXT = "#1b1b1b"

#: Background of each type (displaCy's where it gives a type its own colour, distinct ones elsewhere).
COLOURS: dict[str, str] = {
    "PERSON": "#aa9cfc",
    "NORP": "#d0a4fc",
    "FAC": "#9cc9cc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PRODUCT": "#bfeeb7",
    "EVENT": "#ffeb80",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
    "LANGUAGE": "#ffb3c7",
    "DATE": "#bfe1d9",
    "TIME": "#9fd4ff",
    "PERCENT": "#e4e7d2",
    "MONEY": "#d9f0a3",
    "QUANTITY": "#ffd6a5",
    "ORDINAL": "#e0c9a6",
    "CARDINAL": "#cfd8dc",
}
assert tuple(COLOURS) == ENTITY_TYPES
