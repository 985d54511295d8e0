"""The Hugging Face adapter on a tiny token-classification model built here (no hub access).

The model (tests/tiny_bert.py) is a BertForTokenClassification with no encoder layer and hand-set weights,
so that its output is known: 烟 and 山 are B-GPE, 台高新区东省 are I-GPE, everything else is O. It is saved to
a temporary folder and loaded back through the adapter, exactly as a user's fine-tuned model would be.
Needs the extra ``hf`` (transformers, CPU torch), which the project's setup installs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from gaoxin_news.cli import main  # noqa: E402
from gaoxin_news.errors import GaoxinError  # noqa: E402
from gaoxin_news.ner.evaluate import evaluate_file  # noqa: E402
from gaoxin_news.ner.hf import HFTokenClassifier  # noqa: E402
from gaoxin_news.ner.predict import Span, predict_corpus  # noqa: E402
from tiny_bert import B_CHARS, I_CHARS, build_tiny_bert  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LABELS = ["O", "B-GPE", "I-GPE"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"), LABELS)


@pytest.fixture(scope="module")
def rec(tiny_model) -> HFTokenClassifier:
    return HFTokenClassifier(tiny_model)


def test_spans_have_character_offsets(rec):
    text = "烟台高新区在山东省 和abc的烟台"
    spans = rec(text)
    assert spans == [Span(0, 5, "GPE"), Span(6, 9, "GPE"), Span(15, 17, "GPE")]
    assert [text[s.start:s.end] for s in spans] == ["烟台高新区", "山东省", "烟台"]


def test_empty_and_blank_text(rec):
    assert rec("") == [] and rec("  ") == []


def test_label_map(tiny_model):
    per = HFTokenClassifier(tiny_model, label_map={"GPE": "LOC"})
    assert per("烟台在") == [Span(0, 2, "LOC")]
    dropped = HFTokenClassifier(tiny_model, label_map={"GPE": None})
    assert dropped("烟台在") == []


def test_predict_and_evaluate_a_hf_model_on_the_corpus(tmp_path, rec):
    out = predict_corpus(rec, CORPUS, tmp_path / "hf.jsonl")
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    found = [e["text"] for r in rows for e in r["entities"]]
    assert "烟台高新区" in found
    rep = evaluate_file(out, CORPUS)
    assert rep["strict"]["per_type"]["GPE"]["precision"] > 0


def test_predict_command_with_hf(tmp_path, capsys, tiny_model):
    out = tmp_path / "hf.jsonl"
    code = main(["predict", "--hf", str(tiny_model), "--label-map", '{"GPE": "LOC"}', "--out", str(out),
                 "--corpus", str(CORPUS)])
    assert code == 0
    labels = {e["label"] for line in out.read_text(encoding="utf-8").splitlines() for e in json.loads(line)["entities"]}
    assert labels == {"LOC"}


def test_not_a_model_folder(tmp_path):
    with pytest.raises(GaoxinError, match="not a folder"):
        HFTokenClassifier(tmp_path / "missing")


def test_preannotate_with_a_hf_model_records_its_folder_and_digest(tmp_path, tiny_model, capsys):
    import re
    import shutil

    ann = tmp_path / "annotations"
    (ann / "gold").mkdir(parents=True)
    model = tmp_path / "tiny-gpe"
    shutil.copytree(tiny_model, model)
    args = ["preannotate", "--hf", str(model), "--seeds", str(ROOT / "seeds"), "--annotations", str(ann)]
    assert main(args) == 0
    meta = json.loads((ann / "silver" / "tiny-gpe" / "model.json").read_text(encoding="utf-8"))
    assert meta["model"] == "tiny-gpe" and re.fullmatch(r"sha256:[0-9a-f]{16}", meta["version"])
    # the spans are the model's: runs of its B and I characters, a B character only at the start
    for ann_file in (ann / "silver" / "tiny-gpe").glob("*.ann"):
        for line in ann_file.read_text(encoding="utf-8").splitlines():
            label, surface = line.split("\t")[1].split()[0], line.split("\t")[2]
            assert label == "GPE" and surface[0] in B_CHARS + I_CHARS and all(c in I_CHARS for c in surface[1:])
    # a changed folder is another version of the model
    (model / "README.md").write_text("retrained\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    assert f"holds version {meta['version']!r}" in capsys.readouterr().err
