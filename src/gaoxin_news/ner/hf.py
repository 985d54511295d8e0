"""Adapter: a Hugging Face token-classification model saved in a local folder, as a recogniser.

Needs the extra ``hf`` (transformers and CPU torch). The model is loaded with ``local_files_only=True``:
nothing is fetched from the hub. The pipeline groups B-/I- tags into entities (``aggregation_strategy``
"simple" by default) and gives character offsets into the text, which become the spans.

    rec = HFTokenClassifier("path/to/model", label_map={"PER": "PERSON", "LOC": "GPE", "MISC": None})
    predict_corpus(rec, "corpus", "model.pred.jsonl")

``label_map`` maps the model's entity labels to gaoxin-news labels (OntoNotes types, or a coarse
scheme's own types); a label mapped to None is dropped; labels not in the map are kept as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.spans import Span, resolve_overlaps


class HFTokenClassifier:
    """A ``transformers`` token-classification pipeline as a recogniser: ``rec(text)`` → spans."""

    def __init__(
        self,
        path: str | Path,
        label_map: Mapping[str, str | None] | None = None,
        aggregation_strategy: str = "simple",
    ) -> None:
        try:
            from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline
        except ImportError as e:
            raise GaoxinError(f"the Hugging Face adapter needs transformers and torch: "
                              f"pip install 'gaoxin-news[hf]' ({e})") from None
        path = Path(path)
        if not path.is_dir():
            raise GaoxinError(f"{path}: not a folder holding a saved token-classification model")
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        if not getattr(tokenizer, "is_fast", False):
            raise GaoxinError(f"{path}: the tokenizer is not a fast tokenizer; character offsets need one")
        model = AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        model.eval()
        self.label_map = dict(label_map or {})
        self._pipe = pipeline("token-classification", model=model, tokenizer=tokenizer,
                              aggregation_strategy=aggregation_strategy, device=-1)

    def _label(self, raw: str) -> str | None:
        if raw in self.label_map:
            return self.label_map[raw]
        # without aggregation the pipeline gives B-/I- tags
        return raw[2:] if raw[:2] in ("B-", "I-") else raw

    def __call__(self, text: str) -> list[Span]:
        if not text.strip():
            return []
        spans = []
        for r in self._pipe(text):
            label = self._label(r.get("entity_group") or r["entity"])
            start, end = int(r["start"]), int(r["end"])
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if label is not None and end > start:
                spans.append(Span(start, end, label))
        # the pipeline's groups do not overlap; this guards against sub-word artefacts
        return resolve_overlaps(spans)
