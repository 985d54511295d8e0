"""evaluate --errors: every class on a hand-made sentence, the counts against nervaluate's on the corpus,
the JSON lines, and the summary."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from gaoxin_news.cli import main
from perturb import perturbed
from gaoxin_news.ner.errors import CLASSES, errors, sentence_errors, summary
from gaoxin_news.ner.evaluate import evaluate
from gaoxin_news.ner.predictions import read_gold
from gaoxin_news.schema.spans import Span, to_scheme

CORPUS = ROOT / "corpus"


def S(start, end, label):
    return Span(start, end, label)


def test_every_class_on_a_hand_made_sentence():
    text = "烟台高新区管委会与山东大学在2023年签约，张三出席。"
    gold = [S(0, 8, "ORG"), S(9, 13, "ORG"), S(14, 19, "DATE"), S(21, 23, "PERSON")]
    pred = [
        S(0, 5, "GPE"),      # inside 烟台高新区管委会 (ORG), other type and offsets
        S(9, 13, "GPE"),     # 山东大学 with the wrong type
        S(14, 18, "DATE"),   # 2023 without 年
        S(24, 26, "ORG"),    # 出席: nothing there
    ]                        # 张三 missed
    got = sentence_errors("s1", text, gold, pred, role="paragraph")
    assert [(e["class"], e["type"]) for e in got] == [
        ("wrong type and boundary", "ORG"), ("wrong type", "ORG"), ("wrong boundary", "DATE"),
        ("missed", "PERSON"), ("spurious", "ORG")]
    assert got[0]["gold"] == {"start": 0, "end": 8, "label": "ORG", "text": "烟台高新区管委会"}
    assert got[0]["pred"]["text"] == "烟台高新区"
    assert got[3]["pred"] is None and got[4]["gold"] is None
    assert all(e["sentence"] == "s1" and e["role"] == "paragraph" for e in got)
    assert sentence_errors("s1", text, gold, gold) == []


def _merged(gold, preds):
    """``preds`` with, in every third sentence of two or more gold entities, the first two joined into one
    prediction (one span over two gold entities: nervaluate pairs it with the first)."""
    out = dict(preds)
    for i, s in enumerate(g for g in gold if len(g.entities) >= 2):
        if i % 3 == 0:
            a, b = s.entities[0], s.entities[1]
            out[s.id] = [Span(a.start, b.end, a.label)] + [p for p in preds[s.id] if p.start >= b.end]
    return out


@pytest.mark.parametrize("merge", [False, True])
def test_counts_agree_with_nervaluate_on_the_corpus(merge):
    gold = read_gold(CORPUS)
    preds = perturbed(gold, spurious=merge)
    if merge:
        preds = _merged(gold, preds)
    rep = evaluate(gold, preds, "ontonotes")
    g = [to_scheme(s.entities, "ontonotes") for s in gold]
    p = [to_scheme(preds[s.id], "ontonotes") for s in gold]
    errs = errors([(s.id, s.text, s.role) for s in gold], g, p)
    table = summary(errs)["total"]
    strict, exact = rep["strict"]["counts"], rep["exact"]["counts"]
    assert table["missed"] == strict["missed"]
    assert table["spurious"] == strict["spurious"]
    assert table["wrong type"] + table["wrong boundary"] + table["wrong type and boundary"] == strict["incorrect"]
    # every prediction that is not strictly correct is exactly one error
    assert sum(table[c] for c in CLASSES if c != "missed") == strict["predicted"] - strict["correct"]
    # a right span with the wrong type is correct for nervaluate's exact mode only
    assert table["wrong type"] == exact["correct"] - strict["correct"]
    for e in errs:
        text = next(s.text for s in gold if s.id == e["sentence"])
        for side in ("gold", "pred"):
            if e[side]:
                assert text[e[side]["start"]:e[side]["end"]] == e[side]["text"]


def test_cli_writes_every_error_as_a_json_line(tmp_path, capsys):
    gold = read_gold(CORPUS)
    preds = perturbed(gold, spurious=False)
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps({"id": k, "entities": [e.as_dict() for e in v]}) + "\n" for k, v in preds.items()), encoding="utf-8")
    out = tmp_path / "sub" / "errors.jsonl"
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS), "--errors", str(out),
                 "--bootstrap", "0"]) == 0
    text = capsys.readouterr().out
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines and {x["class"] for x in lines} <= set(CLASSES)
    assert {x["role"] for x in lines} <= {s.role for s in gold}
    assert set(lines[0]) == {"sentence", "role", "class", "type", "gold", "pred"}
    assert "errors by type and class:" in text and f"{len(lines)} errors written" in text
    total = next(line for line in text.splitlines() if line.strip().startswith("total"))
    assert total.split()[-1] == str(len(lines))


def test_errors_into_a_folder_is_refused_and_leaves_nothing(tmp_path, capsys):
    gold = read_gold(CORPUS)
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps({"id": s.id, "entities": []}) + "\n" for s in gold), encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS), "--errors", str(folder)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.jsonl"]


@pytest.mark.parametrize("scheme", ["msra"])
def test_errors_follow_the_scheme(tmp_path, capsys, scheme):
    gold = read_gold(CORPUS)
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps({"id": s.id, "entities": []}) + "\n" for s in gold), encoding="utf-8")
    out = tmp_path / "e.jsonl"
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS), "--errors", str(out),
                 "--scheme", scheme, "--bootstrap", "0", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {x["class"] for x in lines} == {"missed"} and {x["type"] for x in lines} <= {"PER", "LOC", "ORG"}
    assert len(lines) == rep["strict"]["counts"]["gold"] == rep["errors"]["by_type"]["total"]["missed"]


def test_the_record_model_checks_the_class_against_the_spans():
    from pydantic import ValidationError

    from gaoxin_news.schema.records import ErrorRecord

    g = {"start": 0, "end": 2, "label": "GPE", "text": "烟台"}
    p = {"start": 0, "end": 2, "label": "ORG", "text": "烟台"}
    ok = {"sentence": "s", "role": "title", "class": "wrong type", "type": "GPE", "gold": g, "pred": p}
    assert ErrorRecord.model_validate(ok).model_dump(by_alias=True)["class"] == "wrong type"
    for bad in ({**ok, "class": "wrong boundary"}, {**ok, "class": "missed"}, {**ok, "type": "ORG"},
                {**ok, "class": "spurious", "gold": None, "type": "ORG", "pred": {**p, "text": "烟"}}):
        with pytest.raises(ValidationError):
            ErrorRecord.model_validate(bad)


def test_the_view_counts_what_evaluate_errors_counts(tmp_path, capsys):
    """On a perturbed prediction of the committed corpus, each page's statuses in the view equal the
    classes of ``evaluate --errors`` on that page's sentences (through the one mapping), and the site's
    correct, missed and spurious equal nervaluate's strict counts in ``evaluate``'s report."""
    from gaoxin_news.ner.classify import STATUS
    from gaoxin_news.ner.predictions import read_predictions
    from gaoxin_news.view.data import read_articles, read_sources, site_view
    from conftest import SEEDS

    gold = read_gold(CORPUS)
    preds = _merged(gold, perturbed(gold))
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps({"id": k, "entities": [e.as_dict() for e in v]}) + "\n"
                            for k, v in preds.items()), encoding="utf-8")
    out = tmp_path / "errors.jsonl"
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS), "--errors", str(out),
                 "--bootstrap", "0", "--json"]) == 0
    strict = json.loads(capsys.readouterr().out)["strict"]["counts"]
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["class"] for r in records} == set(CLASSES)  # every class occurs

    arts = read_articles(CORPUS)
    site = site_view("0", arts, read_sources(SEEDS, {a.source_id for a in arts}), read_predictions(pred, gold))
    page_of = {s.id: a.source_id for a in arts for s in a.sentences}
    by_page: dict[str, dict[str, int]] = {}
    for r in records:
        counts = by_page.setdefault(page_of[r["sentence"]], {})
        counts[STATUS[r["class"]]] = counts.get(STATUS[r["class"]], 0) + 1
    assert len(site.pages) == len({a.source_id for a in arts}) and set(by_page) <= {p.id for p in site.pages}
    for page in site.pages:
        want = by_page.get(page.id, {})
        got = page.statuses
        assert got["gold"]["missed"] == want.get("missed", 0)
        assert got["pred"]["spurious"] == want.get("spurious", 0)
        for st in ("wrong-type", "wrong-span"):
            assert got["pred"][st] == got["gold"][st] == want.get(st, 0)
    total = site.statuses
    assert total["pred"]["correct"] == total["gold"]["correct"] == strict["correct"]
    assert total["gold"]["missed"] == strict["missed"] and total["pred"]["spurious"] == strict["spurious"]
    assert site.predicted == strict["predicted"] == sum(total["pred"].values())
