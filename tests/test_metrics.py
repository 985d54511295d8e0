"""gaoxin_news.metrics.compute_metrics (the Trainer metric) equals `evaluate` on the same model's predictions.

Nothing is trained: the tiny model of tests/tiny_bert.py, with the `ner` config's label list, is run over
the `ner` config's rows (loaded with `datasets`, labels aligned to the first sub-word, -100 elsewhere) and its
logits go to compute_metrics as an EvalPrediction. The same model's prediction file, written by the
Hugging Face adapter (`gaoxin-news predict --hf`), is scored by `evaluate`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from conftest import ROOT  # noqa: E402
from gaoxin_news.metrics import compute_metrics  # noqa: E402
from gaoxin_news.ner.evaluate import evaluate_file  # noqa: E402
from gaoxin_news.ner.hf import HFTokenClassifier  # noqa: E402
from gaoxin_news.ner.metrics import IGNORE, tags_to_spans  # noqa: E402
from gaoxin_news.ner.predict import predict_corpus  # noqa: E402
from gaoxin_news.schema.labels import BIO_LABELS  # noqa: E402
from gaoxin_news.schema.spans import Span  # noqa: E402
from tiny_bert import build_tiny_bert  # noqa: E402

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-ner-bert"), BIO_LABELS)


def _eval_prediction(model_dir: Path, cache: Path):
    import datasets
    from transformers import AutoModelForTokenClassification, AutoTokenizer, EvalPrediction

    clone = cache / "corpus"
    shutil.copytree(CORPUS, clone, ignore=shutil.ignore_patterns(".*", "exports"))
    ds = datasets.load_dataset(str(clone), "ner", split="test", cache_dir=str(cache / "hf"))
    assert ds.features["ner_tags"].feature.names == list(BIO_LABELS)
    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForTokenClassification.from_pretrained(model_dir, local_files_only=True).eval()
    rows = ds.to_list()
    enc = tok([r["tokens"] for r in rows], is_split_into_words=True, padding=True, return_tensors="pt")
    labels = np.full(enc["input_ids"].shape, IGNORE)
    for row, tags in enumerate(r["ner_tags"] for r in rows):
        seen = set()
        for pos, word in enumerate(enc.word_ids(row)):
            if word is not None and word not in seen:
                labels[row, pos] = tags[word]
                seen.add(word)
    with torch.no_grad():
        logits = model(**enc).logits.numpy()
    return EvalPrediction(predictions=logits, label_ids=labels)


def test_compute_metrics_equals_evaluate_on_the_same_model(model_dir, tmp_path):
    metrics = compute_metrics(_eval_prediction(model_dir, tmp_path))
    pred_file = predict_corpus(HFTokenClassifier(model_dir), CORPUS, tmp_path / "tiny.pred.jsonl")
    strict = evaluate_file(pred_file, CORPUS)["strict"]
    assert strict["counts"]["predicted"] > 0 and 0 < strict["micro"]["precision"] < 1
    for k in ("precision", "recall", "f1"):
        assert metrics[k] == pytest.approx(strict["micro"][k], abs=1e-12), k
    per_type = {k.removeprefix("f1_"): v for k, v in metrics.items() if k.startswith("f1_")}
    assert per_type == pytest.approx({t: v["f1"] for t, v in strict["per_type"].items()}, abs=1e-12)
    assert per_type["GPE"] > 0 and all(isinstance(v, float) for v in metrics.values())


def test_ignored_positions_and_label_ids_instead_of_logits():
    o, b, i = (BIO_LABELS.index(x) for x in ("O", "B-GPE", "I-GPE"))
    # gold: [GPE GPE] O [GPE]; prediction: the same first entity, then an I- after O (an entity of its own)
    gold = np.array([[IGNORE, b, i, o, b, IGNORE, IGNORE]])
    pred = np.array([[b, b, i, o, i, i, o]])  # the -100 positions say B-GPE and I-GPE: ignored
    m = compute_metrics((pred, gold))
    assert m["precision"] == 1.0 and m["recall"] == 1.0 and m["f1_GPE"] == 1.0
    logits = np.eye(len(BIO_LABELS))[pred]
    assert compute_metrics((logits, gold)) == m
    assert tags_to_spans(["O", "I-GPE", "I-GPE", "B-ORG"]) == [Span(1, 3, "GPE"), Span(3, 4, "ORG")]
