"""``corpus/README.md``: the dataset card, rendered from ``templates/dataset_card.md`` and computed facts.

The YAML header is produced with ``huggingface_hub.DatasetCardData`` for the Hub metadata; the configs
and their ``dataset_info`` (declared features, split sizes) are written as ``datasets``' own
``MetadataConfigs`` and ``DatasetInfosDict`` write them (:func:`gaoxin_news.publish.hfdata.yaml_configs`,
:func:`~gaoxin_news.publish.hfdata.yaml_dataset_info`; the tests compare them with those classes), so
that ``load_dataset`` reads back exactly what was written, without importing ``datasets``. ``LICENSE.md`` (the ``license_link`` of the card) is written beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from gaoxin_news import __version__
from gaoxin_news.schema.files import SENTENCES, read_jsonl
from gaoxin_news.publish.citation import bibtex, current_cff
from gaoxin_news.publish.datasheet import annotation_facts, kind_name
from gaoxin_news.publish.hfdata import (
    DEFAULT_CONFIG, SPLIT, coarse_schemes, dataset_info, feature_dict, kind, tag_names, yaml_configs,
    yaml_dataset_info,
)
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES, SCHEMES, coarse_label
from gaoxin_news.project import baselines, changes_of, project_root, release_of
from gaoxin_news.schema.records import ANNOTATION_STATUSES, Article, SentenceRecord
from gaoxin_news.corpus.stats import CorpusStats, choose_example, corpus_stats
from gaoxin_news.templating import render

if TYPE_CHECKING:
    from huggingface_hub import DatasetCardData

    from gaoxin_news.corpus.stats import BuildStats

CARD = "README.md"
LICENSE = "LICENSE.md"
PRETTY_NAME = "gaoxin-news"
LICENSE_NAME = "cc-by-4.0-annotations-publisher-copyright-text"

#: Descriptions of the fields whose pydantic model has none, by model.
FIELD_NOTES = {
    "Article": {
        "id": "Stable id `<source id>-<NN>`: the item's order on the page.",
        "source_id": "Id of the source page (see the seeds manifest).",
        "kind": "`article`, `brief` (news brief), `photo` (photo item) or `furniture` (page furniture: a running "
                "head, an editor line or a jump line such as 下转第6版).",
        "title": "Title, or null.",
        "kicker": "Kicker line above the title, or null.",
        "column": "Column label, or null.",
        "zone": "Zone label, or null.",
        "authors": "Names from the byline.",
        "dateline": "Dateline, or null.",
        "photo_credit": "Photo credit, or null.",
        "blocks": "Blocks of text with their role and offsets in `text`.",
        "sentences": "Sentences with their id, role and offsets in `text`.",
        "entities": "Entities with offsets in `text` (gold or silver, as `annotation` says; empty for none).",
    },
    "SentenceRecord": {
        "id": "Stable id `<article id>-<NNN>`: the sentence's order in its article.",
        "article_id": "Id of the article the sentence belongs to.",
        "role": "Role of the block the sentence is in (title, paragraph, caption, …).",
        "text": "The sentence.",
    },
}

_SIZE_CATEGORIES = [
    (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
]


def size_category(n: int) -> str:
    for bound, name in _SIZE_CATEGORIES:
        if n < bound:
            return name
    return "n>1T" if n > 10**12 else "1B<n<10B"


def feature_type(feat: dict) -> str:
    """A short human description of a feature (:func:`gaoxin_news.publish.hfdata.feature_dict` form),
    for the field tables."""
    k = kind(feat)
    if k == "Value":
        return feat["dtype"]
    if k == "ClassLabel":
        return f"ClassLabel ({len(feat['names'])} names)"
    if k == "List":
        return f"list of {feature_type(feat['feature'])}"
    if k == "struct":
        return "{" + ", ".join(f"{k}: {feature_type(v)}" for k, v in feat.items()) + "}"
    return k


def field_rows(model: type, config: str) -> list[dict]:
    feats = feature_dict(config)
    rows = []
    for name, f in model.model_fields.items():
        desc = f.description or FIELD_NOTES.get(model.__name__, {}).get(name, "")
        rows.append({"name": name, "type": feature_type(feats[name]), "description": desc})
    return rows


def example_record(folder: Path, stats: BuildStats | None = None) -> str | None:
    """A short gold sentence with entities (:func:`gaoxin_news.corpus.stats.choose_example`), as JSON
    with one field per line (None when the corpus has no gold sentence): the one the build chose while
    streaming (``stats``), else read from ``sentences.jsonl``."""
    if stats is not None:
        line = stats.example
    else:
        line, _ = choose_example((s["annotation"], len(s["entities"]), s["text"], s)
                                 for _, s in read_jsonl(folder / SENTENCES))
    if line is None:
        return None
    chosen = json.loads(line) if isinstance(line, str) else line
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in chosen.items())
    return "{\n" + body + "\n}"


def card_data(folder: Path, infos: dict[str, dict] | None = None) -> DatasetCardData:
    """The YAML header of the card (``infos``: :func:`gaoxin_news.publish.hfdata.dataset_info` of
    ``folder``)."""
    from huggingface_hub import DatasetCardData

    if infos is None:
        infos = dataset_info(folder)
    largest = max(i["num_examples"] for i in infos.values())
    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        language=["zh"],
        license="other",
        license_name=LICENSE_NAME,
        license_link=LICENSE,
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        size_categories=[size_category(largest)],
        task_categories=["token-classification"],
        task_ids=["named-entity-recognition"],
        tags=["ner", "chinese", "news", "ontonotes"],
    )
    data["configs"] = yaml_configs(infos)
    data["dataset_info"] = yaml_dataset_info(infos)
    return data


def context(folder: Path, root: Path, infos: dict[str, dict], st: CorpusStats | None = None,
            build: BuildStats | None = None) -> dict:
    """Everything the card template needs; ``st`` is the build's statistics (read from ``folder`` when
    not given), ``build`` the whole build statistics when the card is written by the build (the example
    sentence it chose while streaming)."""
    st = st if st is not None else corpus_stats(folder)
    coarse = coarse_schemes()
    # mentions per coarse type, from the OntoNotes counts (the mapping maps each entity on its own)
    coarse_counts: dict[str, dict[str, int]] = {s: {} for s in coarse}
    for s in coarse:
        for t, n in st.entity_types.items():
            lab = coarse_label(t, s)
            if lab is not None and n:
                coarse_counts[s][lab] = coarse_counts[s].get(lab, 0) + n
    configs = []
    for c in infos:
        names = tag_names(c)
        configs.append({
            "name": c, "default": c == DEFAULT_CONFIG, "rows": infos[c]["num_examples"],
            "tags": len(names) if names else None,
        })
    cff = current_cff(root)
    return {
        "version": __version__,
        "release_date": release_of(root, __version__).date,
        "changes": changes_of(root, __version__),
        "st": st,
        "statuses": ANNOTATION_STATUSES,
        "status": {k: st.by_status(k) for k in ANNOTATION_STATUSES},
        "configs": configs,
        "coarse": coarse,
        "coarse_counts": coarse_counts,
        "schemes": SCHEMES,
        "entity_types": ENTITY_TYPES,
        "bio_labels": BIO_LABELS,
        "article_fields": field_rows(Article, DEFAULT_CONFIG),
        "sentence_fields": field_rows(SentenceRecord, "ner"),
        "example": example_record(folder, build),
        "baselines": baselines(root),
        "facts": annotation_facts(root),
        "bibtex": bibtex(cff),
        "split": SPLIT,
        "kind_name": kind_name,
    }


def render_card(folder: Path, root: Path, stats: BuildStats | None = None) -> str:
    """The whole card: YAML header and body."""
    from huggingface_hub import DatasetCard

    if stats is not None and stats.dataset_bytes:  # the configs the build wrote, and their Arrow sizes
        infos = dataset_info(folder, stats.dataset_bytes, stats.dataset_bytes)
    else:
        infos = dataset_info(folder)
    body = render("dataset_card.md", **context(folder, root, infos, stats.corpus if stats is not None else None,
                                              stats))
    card = DatasetCard("---\n" + card_data(folder, infos).to_yaml() + "\n---\n" + body)
    return card.content


def render_license() -> str:
    return render(LICENSE)


def write_card(folder: Path, stats: BuildStats | None = None) -> None:
    """Build writer: ``README.md`` (the dataset card) and ``LICENSE.md``."""
    root = project_root(folder)
    (folder / LICENSE).write_text(render_license(), encoding="utf-8")
    (folder / CARD).write_text(render_card(folder, root, stats), encoding="utf-8")
