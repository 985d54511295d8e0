"""CoNLL and brat exports."""

from __future__ import annotations

import json

from gaoxin_news.corpus.annotations import parse_brat
from gaoxin_news.schema.labels import scheme_labels


def _sentences(folder):
    with open(folder / "sentences.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _conll(path):
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    assert blocks[-1] == ""
    return [[line.split("\t") for line in b.split("\n")] for b in blocks[:-1]]


def test_conll_matches_sentences(built_corpus):
    sents = _sentences(built_corpus)
    rows = _conll(built_corpus / "exports" / "ner.conll")
    assert len(rows) == len(sents)
    for s, r in zip(sents, rows):
        assert [c for c, _ in r] == s["tokens"]
        assert [t for _, t in r] == s["ner_tags"]


def test_coarse_conll(built_corpus):
    for scheme in ("msra", "ontonotes4"):
        rows = _conll(built_corpus / "exports" / f"ner.{scheme}.conll")
        tags = {t for r in rows for _, t in r}
        assert tags <= set(scheme_labels(scheme)) and "B-ORG" in tags
    msra = _conll(built_corpus / "exports" / "ner.msra.conll")
    assert "B-DATE" not in {t for r in msra for _, t in r}


def test_brat_export_round_trip(built_corpus):
    folder = built_corpus / "exports" / "brat"
    with open(built_corpus / "articles.jsonl", encoding="utf-8") as f:
        arts = [json.loads(line) for line in f]
    text = (folder / "000_af9ed2a9fbe09997.txt").read_text(encoding="utf-8")
    assert text == "\n\n".join(a["text"] for a in arts) + "\n"
    spans, problems = parse_brat((folder / "000_af9ed2a9fbe09997.ann").read_text(encoding="utf-8"))
    assert problems == []
    assert [(s.label, s.text) for s in spans] == [(e["label"], e["text"]) for a in arts for e in a["entities"]]
    assert all(text[s.start:s.end] == s.text for s in spans)
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert conf.startswith("[entities]\nPERSON\n")
