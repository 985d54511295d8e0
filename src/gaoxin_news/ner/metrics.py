"""A ``compute_metrics`` for ``transformers.Trainer``: the strict figures of ``gaoxin-news evaluate``.

For a token-classification model whose label ids are the ``ner`` config's tags (``ner_tags``: the
ClassLabel ids of ``schema.labels.BIO_LABELS``)::

    from gaoxin_news.metrics import compute_metrics
    trainer = Trainer(model=model, args=args, eval_dataset=ds, compute_metrics=compute_metrics)

It takes an ``EvalPrediction`` (logits ``(batch, length, labels)`` or label ids ``(batch, length)``, and
``label_ids`` with ``-100`` at the positions that carry no label: special tokens, continuation sub-words,
padding), drops the ``-100`` positions, turns each row's tags into entity spans and scores them as
``evaluate`` does (:func:`gaoxin_news.ner.evaluate.score`). The tags are read into spans by seqeval's
``get_entities`` (a ``B-`` tag, or an ``I-`` tag after another type or ``O``, starts an entity), which is
how the Hugging Face token-classification pipeline (``aggregation_strategy="simple"``) of
``gaoxin-news predict --hf`` groups them, so the figures equal ``evaluate`` on that command's prediction
file. Returns ``{"precision", "recall", "f1"}`` (strict, micro) and ``"f1_<TYPE>"`` for each type in the
gold or the predictions; the Trainer logs them as ``eval_f1`` and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaoxin_news.ner.evaluate import score
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES
from gaoxin_news.schema.spans import Span

IGNORE = -100


def tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans (``end`` exclusive) of one tag sequence, read by seqeval."""
    from seqeval.metrics.sequence_labeling import get_entities

    return [Span(s, e + 1, t) for t, s, e in get_entities(list(tags))]


def rows_to_tags(predictions: Any, label_ids: Any, labels: Sequence[str] = BIO_LABELS
                 ) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted tag sequences of each row, keeping only the positions whose label is not -100."""
    if isinstance(predictions, tuple):
        predictions = predictions[0]  # (logits, *other model outputs)
    pred = np.asarray(predictions)
    gold = np.asarray(label_ids)
    if pred.ndim == gold.ndim + 1:
        pred = pred.argmax(axis=-1)
    if pred.shape != gold.shape:
        raise ValueError(f"predictions {pred.shape} and label_ids {gold.shape} do not align")
    keep = gold != IGNORE
    g_tags, p_tags = [], []
    for row_g, row_p, row_k in zip(gold, pred, keep):
        g_tags.append([labels[i] for i in row_g[row_k]])
        p_tags.append([labels[i] if 0 <= i < len(labels) else "O" for i in row_p[row_k]])
    return g_tags, p_tags


def metrics_of_tags(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]],
                    types: Sequence[str] = ENTITY_TYPES) -> dict[str, float]:
    """Strict micro P/R/F1 and per-type F1 of aligned tag sequences."""
    g = [tags_to_spans(t) for t in gold_tags]
    p = [tags_to_spans(t) for t in pred_tags]
    strict = score(g, p, types)["strict"]
    out = {k: float(strict["micro"][k]) for k in ("precision", "recall", "f1")}
    out.update({f"f1_{t}": float(v["f1"]) for t, v in strict["per_type"].items()})
    return out


def compute_metrics(eval_pred: Any, labels: Sequence[str] = BIO_LABELS) -> dict[str, float]:
    """``Trainer(compute_metrics=compute_metrics)``: strict micro P/R/F1 and ``f1_<TYPE>`` per type."""
    predictions, label_ids = (eval_pred.predictions, eval_pred.label_ids) if hasattr(eval_pred, "label_ids") \
        else eval_pred
    gold_tags, pred_tags = rows_to_tags(predictions, label_ids, labels)
    types = list(dict.fromkeys(lab[2:] for lab in labels if lab[:2] in ("B-", "I-")))
    return metrics_of_tags(gold_tags, pred_tags, types)
