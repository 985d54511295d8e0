"""The entity label scheme: OntoNotes 5.0 types, the BIO tag list, and the coarse schemes."""

from __future__ import annotations

from collections.abc import Iterable

#: The 18 OntoNotes 5.0 named-entity types, in the order of the OntoNotes documentation.
ENTITY_TYPES: tuple[str, ...] = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)


def bio_labels(types: Iterable[str]) -> tuple[str, ...]:
    """The fixed BIO tag list for a set of types: ``O`` first, then ``B-T``, ``I-T`` for each type."""
    out = ["O"]
    for t in types:
        out += [f"B-{t}", f"I-{t}"]
    return tuple(out)


#: Tag names of ``ner_tags`` in ``sentences.jsonl``; index = ClassLabel id. Never reorder: append only.
BIO_LABELS: tuple[str, ...] = bio_labels(ENTITY_TYPES)

#: Coarse schemes that Chinese NER models are usually trained on. Each maps *every* OntoNotes type
#: to a coarse type or to None (dropped, i.e. tagged O).
SCHEMES: dict[str, dict[str, str | None]] = {
    "ontonotes": {t: t for t in ENTITY_TYPES},
    # MSRA (SIGHAN 2006): persons, locations (geo-political and physical places, facilities), organisations.
    "msra": {
        "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
        "NORP": None, "PRODUCT": None, "EVENT": None, "WORK_OF_ART": None, "LAW": None, "LANGUAGE": None,
        "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None, "QUANTITY": None, "ORDINAL": None,
        "CARDINAL": None,
    },
    # OntoNotes 4.0 Chinese as used in the NER literature: PER, ORG, GPE, LOC; all other types dropped.
    "ontonotes4": {
        "PERSON": "PER", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC",
        "FAC": None, "NORP": None, "PRODUCT": None, "EVENT": None, "WORK_OF_ART": None, "LAW": None,
        "LANGUAGE": None, "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None, "QUANTITY": None,
        "ORDINAL": None, "CARDINAL": None,
    },
}


def scheme_types(scheme: str) -> tuple[str, ...]:
    """The types of a scheme, in first-appearance order of the mapping."""
    seen: dict[str, None] = {}
    for v in SCHEMES[scheme].values():
        if v is not None:
            seen.setdefault(v, None)
    return tuple(seen)


def scheme_labels(scheme: str) -> tuple[str, ...]:
    return bio_labels(scheme_types(scheme))


def coarse_label(label: str, scheme: str) -> str | None:
    """The one mapping to a coarse scheme: an OntoNotes type becomes its type in ``scheme`` (None: the
    scheme drops it); a type of the scheme's own (e.g. ``PER`` in msra) stays as it is. Any other label
    is a ValueError."""
    try:
        mapping = SCHEMES[scheme]
    except KeyError:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}") from None
    if label in mapping:
        return mapping[label]
    if label in scheme_types(scheme):
        return label
    raise ValueError(f"label {label!r} is not a type of the {scheme} scheme")


def coarse_tags(scheme: str) -> dict[str, str]:
    """For each fine IOB2 tag of :data:`BIO_LABELS`, its tag in ``scheme`` (B-X → B-Y for X mapped to Y,
    dropped types → O). IOB2 survives this tag-by-tag mapping, since every entity starts with B- and
    entities never overlap: mapping the tags equals tagging the mapped spans."""
    out = {}
    for t in BIO_LABELS:
        lab = None if t == "O" else coarse_label(t[2:], scheme)
        out[t] = "O" if lab is None else f"{t[:2]}{lab}"
    return out
