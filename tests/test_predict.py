"""Plugging a model in: the recogniser protocol, the prediction file it produces, gaoxin-news predict."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from gaoxin_news.cli import main
from gaoxin_news.errors import GaoxinError
from gaoxin_news.ner.evaluate import evaluate, evaluate_file
from gaoxin_news.ner.predict import PredictionError, Span, as_span, load_recogniser, predict, predict_corpus
from gaoxin_news.ner.predictions import read_gold, read_predictions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def gold():
    return read_gold(CORPUS)


def zones(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "GPE") for m in re.finditer(r"\w{2}高新区", text)]


@pytest.mark.parametrize("span", [
    (0, 2, "GPE"), Span(0, 2, "GPE"), {"start": 0, "end": 2, "label": "GPE"},
    type("Obj", (), {"start": 0, "end": 2, "label": "GPE"})(),
])
def test_spans_may_be_tuples_mappings_or_objects(span):
    assert as_span(span) == Span(0, 2, "GPE")


def test_numpy_integers_are_offsets_but_floats_are_not():
    np = pytest.importorskip("numpy")
    assert as_span((np.int64(1), np.int64(3), "ORG")) == Span(1, 3, "ORG")
    with pytest.raises(TypeError):
        as_span((1.0, 3.0, "ORG"))


def test_predict_corpus_writes_a_file_that_evaluates_like_the_records(tmp_path, gold):
    out = predict_corpus(zones, CORPUS, tmp_path / "sub" / "zones.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(gold)  # one line per sentence, in corpus order
    assert [json.loads(x)["id"] for x in lines] == [s.id for s in gold]
    first = next(json.loads(x) for x in lines if json.loads(x)["entities"])
    e = first["entities"][0]
    text = next(s.text for s in gold if s.id == first["id"])
    assert text[e["start"]:e["end"]] == e["text"] and e["text"].endswith("高新区") and e["label"] == "GPE"
    in_memory = evaluate(gold, {p.id: p for p in predict(zones, gold)})
    assert evaluate_file(out, CORPUS) == in_memory
    assert 0 < in_memory["strict"]["micro"]["precision"] <= 1


def test_the_recogniser_sees_only_the_text(gold):
    seen = []

    def spy(text):
        seen.append(text)
        return []

    predict(spy, gold)
    assert seen == [s.text for s in gold]


def test_duplicate_spans_are_merged_and_order_does_not_matter(gold):
    s = gold[1]

    def rec(text):
        return [(2, 4, "ORG"), (0, 2, "GPE"), (0, 2, "GPE")]

    (pred,) = predict(rec, [s])
    assert [(e.start, e.end, e.label) for e in pred.entities] == [(0, 2, "GPE"), (2, 4, "ORG")]


@pytest.mark.parametrize("spans, needle", [
    ([(0, 3, "GPE"), (2, 4, "ORG")], "overlap"),
    ([(0, 10_000, "GPE")], "out of range"),
    ([(0, 2, "CITY")], "unknown label 'CITY'"),
    ([(3, 3, "GPE")], "end must be greater than start"),
    ([(0, 2)], "not a span"),
    ([(0, 2, "PER")], "unknown label 'PER'"),  # a coarse label, but the scheme is ontonotes
])
def test_bad_recogniser_output_names_the_sentence(gold, spans, needle):
    s = gold[1]
    with pytest.raises(PredictionError, match=re.escape(needle)) as exc:
        predict(lambda text: spans, [s])
    assert s.id in str(exc.value)


def test_coarse_labels_are_accepted_for_their_scheme(tmp_path, gold):
    def per(text):
        return [(0, 2, "PER")] if len(text) > 2 else []

    out = predict_corpus(per, CORPUS, tmp_path / "per.jsonl", scheme="msra")
    assert read_predictions(out, gold, "msra")
    with pytest.raises(GaoxinError, match="unknown label 'PER'"):
        read_predictions(out, gold, "ontonotes")


# ---------------------------------------------------------------- gaoxin-news predict

MODEL_MODULE = '''
import re

def zones(text):
    return [(m.start(), m.end(), "GPE") for m in re.finditer(r"\\w{2}高新区", text)]

class Zones:
    def __call__(self, text):
        return zones(text)
'''


@pytest.fixture
def model_module(tmp_path, monkeypatch):
    (tmp_path / "my_ner_model.py").write_text(MODEL_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "my_ner_model"
    sys.modules.pop("my_ner_model", None)


@pytest.mark.parametrize("attr", ["zones", "Zones"])
def test_predict_command_with_a_python_model(tmp_path, capsys, model_module, attr, gold):
    out = tmp_path / "p.jsonl"
    assert main(["predict", "--model", f"{model_module}:{attr}", "--out", str(out), "--corpus", str(CORPUS)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert evaluate_file(out, CORPUS) == evaluate(gold, {p.id: p for p in predict(zones, gold)})


def test_predict_command_with_a_baseline(tmp_path, capsys):
    out = tmp_path / "rules.jsonl"
    assert main(["predict", "--baseline", "rules", "--out", str(out), "--corpus", str(CORPUS)]) == 0
    assert main(["evaluate", "--pred", str(out), "--json", "--corpus", str(CORPUS)]) == 0
    rep = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert "DATE" in rep["strict"]["per_type"]
    assert rep["strict"]["per_type"]["DATE"]["f1"] > 0


@pytest.mark.parametrize("spec, needle", [
    ("no_colon", "expected MODULE:ATTRIBUTE"),
    ("no_such_module_xyz:f", "no_such_module_xyz"),
    ("json:no_such_attr", "no_such_attr"),
    ("json:__name__", "not callable"),
])
def test_bad_model_spec(spec, needle):
    with pytest.raises(GaoxinError, match=needle):
        load_recogniser(spec)


def test_bad_model_spec_on_the_command_line(tmp_path, capsys):
    assert main(["predict", "--model", "nope_xyz:f", "--out", str(tmp_path / "p"), "--corpus", str(CORPUS)]) == 1
    assert capsys.readouterr().err.startswith("gaoxin-news: error: --model 'nope_xyz:f'")


def test_prediction_errors_reach_the_command_line(tmp_path, capsys, model_module):
    bad = tmp_path / "bad_model.py"
    bad.write_text("def f(text):\n    return [(0, 2, 'GPE'), (1, 3, 'ORG')] if len(text) > 3 else []\n")
    assert main(["predict", "--model", "bad_model:f", "--out", str(tmp_path / "p"), "--corpus", str(CORPUS)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gaoxin-news: error: sentence ") and "overlap" in err
    sys.modules.pop("bad_model", None)
