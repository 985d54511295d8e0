"""Regression snapshots of the records built from the seed page. A change to layout, segmentation or
annotation shows up here as a diff to review; regenerate on purpose with --force-regen."""

from __future__ import annotations

import json


def _load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_articles_snapshot(built_corpus, data_regression):
    arts = _load(built_corpus / "articles.jsonl")
    view = []
    for a in arts:
        view.append({
            **{k: a[k] for k in ("id", "kind", "title", "kicker", "column", "zone", "authors", "dateline",
                                 "photo_credit")},
            "blocks": [f"{b['role']} {b['start']}-{b['end']} {b['source_spans']} {a['text'][b['start']:b['end']]}"
                       for b in a["blocks"]],
            "entities": [f"{e['label']} {e['start']}-{e['end']} {e['text']}" for e in a["entities"]],
        })
    data_regression.check(view)


def test_sentences_snapshot(built_corpus, data_regression):
    sents = _load(built_corpus / "sentences.jsonl")
    data_regression.check([
        {"id": s["id"], "role": s["role"], "text": s["text"],
         "entities": [f"{e['label']} {e['start']}-{e['end']} {e['text']}" for e in s["entities"]]}
        for s in sents
    ])
