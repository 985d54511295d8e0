"""gaoxin-news evaluate: scores on the committed corpus, against counts made by hand and against seqeval
as an independent reference, bad prediction files."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from gaoxin_news.cli import main
from gaoxin_news.ner.evaluate import MODES, evaluate, evaluate_file, score
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, scheme_types
from gaoxin_news.ner.predictions import read_gold
from gaoxin_news.schema.records import PredictionLabel
from gaoxin_news.schema.spans import Span

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def gold():
    return read_gold(CORPUS)


@pytest.fixture(scope="module")
def gold_lines() -> list[dict]:
    with open(CORPUS / "sentences.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write_pred(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_rows(gold_lines, keep=lambda k: True) -> list[dict]:
    """The gold entities as prediction lines; ``keep(k)`` decides on the k-th entity of the corpus."""
    rows, k = [], 0
    for s in gold_lines:
        ents = []
        for e in s["entities"]:
            if keep(k):
                ents.append({"start": e["start"], "end": e["end"], "label": e["label"]})
            k += 1
        rows.append({"id": s["id"], "entities": ents})
    return rows


def run_json(capsys, *argv) -> dict:
    assert main(["evaluate", *argv, "--json", "--corpus", str(CORPUS)]) == 0
    return json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- the acceptance criteria

@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_gold_against_itself_is_perfect_in_every_mode(tmp_path, capsys, gold_lines, scheme):
    pred = write_pred(tmp_path / "gold.jsonl", gold_rows(gold_lines))
    rep = run_json(capsys, "--pred", str(pred), "--scheme", scheme)
    assert set(rep) == set(MODES)
    for mode in MODES:
        one = {"precision": 1.0, "recall": 1.0, "f1": 1.0}
        assert rep[mode]["macro"] == one, mode
        # the bootstrap interval of a perfect prediction is [1, 1]
        assert rep[mode]["micro"] == {**one, "ci95": {k: [1.0, 1.0] for k in one}}, mode
        assert rep[mode]["per_type"], mode
        assert all(v["f1"] == 1.0 for v in rep[mode]["per_type"].values())


def test_dropping_every_tenth_entity(tmp_path, capsys, gold_lines):
    total = sum(len(s["entities"]) for s in gold_lines)
    pred = write_pred(tmp_path / "drop.jsonl", gold_rows(gold_lines, keep=lambda k: k % 10 != 9))
    kept = total - total // 10
    rep = run_json(capsys, "--pred", str(pred))
    strict = rep["strict"]["micro"]
    assert strict["precision"] == 1.0
    assert strict["recall"] == pytest.approx(kept / total)
    assert strict["f1"] == pytest.approx(2 * (kept / total) / (1 + kept / total))
    assert rep["strict"]["counts"]["missed"] == total // 10
    assert rep["exact"]["micro"]["recall"] == pytest.approx(kept / total)


def test_a_sentence_missing_from_the_file_counts_as_empty(tmp_path, capsys, gold_lines):
    rows = gold_rows(gold_lines)
    dropped = next(r for r in rows if r["entities"])
    rows.remove(dropped)
    rep = run_json(capsys, "--pred", str(write_pred(tmp_path / "p.jsonl", rows)))
    total = sum(len(s["entities"]) for s in gold_lines)
    assert rep["strict"]["micro"]["precision"] == 1.0
    assert rep["strict"]["micro"]["recall"] == pytest.approx((total - len(dropped["entities"])) / total)
    # an empty file is a valid prediction of nothing
    rep = run_json(capsys, "--pred", str(write_pred(tmp_path / "empty.jsonl", [])))
    assert rep["strict"]["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                      "ci95": {"precision": [0.0, 0.0], "recall": [0.0, 0.0], "f1": [0.0, 0.0]}}
    assert rep["strict"]["counts"]["missed"] == total


# ---------------------------------------------------------------- agreement with seqeval on the BIO view

def perturbed_rows(gold_lines, seed: int) -> list[dict]:
    """Gold entities dropped, relabelled, shifted or kept, plus spurious ones: a realistic bad model."""
    rnd = random.Random(seed)
    rows = []
    for s in gold_lines:
        n = len(s["text"])
        ents = []
        for e in s["entities"]:
            r = rnd.random()
            if r < 0.15:
                continue
            if r < 0.3:
                e = {**e, "label": rnd.choice(ENTITY_TYPES)}
            elif r < 0.45 and e["end"] - e["start"] > 1:
                e = {**e, "end": e["end"] - 1}
            ents.append({"start": e["start"], "end": e["end"], "label": e["label"]})
        used = {i for e in ents for i in range(e["start"], e["end"])}
        for _ in range(2):
            a = rnd.randrange(n)
            b = min(n, a + rnd.randint(1, 4))
            if not used.intersection(range(a, b)):
                ents.append({"start": a, "end": b, "label": rnd.choice(ENTITY_TYPES)})
                used.update(range(a, b))
        rows.append({"id": s["id"], "entities": ents})
    return rows


def _reference_tags(n: int, entities: list[dict], scheme: str) -> list[str]:
    """IOB2 tags written here from the scheme table alone, independently of the package's span code."""
    tags = ["O"] * n
    for e in entities:
        label = SCHEMES[scheme].get(e["label"], e["label"])
        if label is not None:
            tags[e["start"]:e["end"]] = [f"B-{label}"] + [f"I-{label}"] * (e["end"] - e["start"] - 1)
    return tags


def _coarse_tag(tag: str, scheme: str) -> str:
    """A gold ``ner_tags`` tag of sentences.jsonl in a coarse scheme (B-/I- kept, dropped types O)."""
    label = None if tag == "O" else SCHEMES[scheme][tag[2:]]
    return "O" if label is None else tag[:2] + label


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("seed", [1, 2])
def test_strict_equals_seqeval_strict_iob2_on_the_bio_view(tmp_path, capsys, gold_lines, scheme, seed):
    """seqeval, a second implementation, on the gold ``ner_tags`` as published and on prediction tags
    written by this test: the strict figures of ``evaluate`` (nervaluate) equal its strict IOB2 scores."""
    rows = perturbed_rows(gold_lines, seed)
    rep = run_json(capsys, "--pred", str(write_pred(tmp_path / "p.jsonl", rows)), "--scheme", scheme)

    by_id = {r["id"]: r["entities"] for r in rows}
    y_true = [[_coarse_tag(t, scheme) for t in s["ner_tags"]] for s in gold_lines]
    y_pred = [_reference_tags(len(s["text"]), by_id[s["id"]], scheme) for s in gold_lines]
    ref = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)

    strict = rep["strict"]
    assert 0 < strict["micro"]["f1"] < 1
    for avg in ("micro", "macro"):
        for k, kk in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            assert strict[avg][k] == pytest.approx(ref[f"{avg} avg"][kk]), (avg, k)
    assert set(strict["per_type"]) == {k for k in ref if not k.endswith(" avg")}
    for t, v in strict["per_type"].items():
        assert v["f1"] == pytest.approx(ref[t]["f1-score"]), t
        assert v["support"] == ref[t]["support"]


def test_strict_on_a_small_example_counted_by_hand():
    """Two sentences scored by the conlleval rule (an entity is correct when its start, end and type all
    equal a gold entity's), counted by hand."""
    gold = [
        [Span(0, 2, "PERSON"), Span(3, 6, "ORG"), Span(8, 10, "GPE")],
        [Span(0, 4, "DATE"), Span(5, 7, "GPE")],
    ]
    pred = [
        # right; one character short; right span, wrong type; nothing there in the gold
        [Span(0, 2, "PERSON"), Span(3, 5, "ORG"), Span(8, 10, "ORG"), Span(12, 14, "DATE")],
        [Span(0, 4, "DATE"), Span(5, 7, "GPE")],
    ]
    rep = score(gold, pred, ENTITY_TYPES)["strict"]
    # 5 gold entities, 6 predicted, 3 correct
    assert rep["micro"]["precision"] == pytest.approx(3 / 6)
    assert rep["micro"]["recall"] == pytest.approx(3 / 5)
    assert rep["micro"]["f1"] == pytest.approx(2 * 3 / (6 + 5))
    assert (rep["counts"]["correct"], rep["counts"]["gold"], rep["counts"]["predicted"]) == (3, 5, 6)
    # per type: PERSON 1/1 of 1; ORG 0 of 2 predicted, 1 gold; GPE 1 of 1 predicted, 2 gold; DATE 1 of 2, 1 gold
    f1 = {t: v["f1"] for t, v in rep["per_type"].items()}
    assert f1 == pytest.approx({"PERSON": 1.0, "ORG": 0.0, "GPE": 2 / 3, "DATE": 2 / 3})
    assert {t: v["support"] for t, v in rep["per_type"].items()} == {"PERSON": 1, "ORG": 1, "GPE": 2, "DATE": 1}
    assert rep["macro"]["f1"] == pytest.approx((1 + 0 + 2 / 3 + 2 / 3) / 4)


spans_strategy = st.lists(
    st.tuples(st.integers(0, 29), st.integers(1, 4), st.sampled_from(["PERSON", "ORG", "GPE", "DATE"])),
    max_size=6,
)


def _nonoverlapping(raw, n=30):
    out, used = [], set()
    for a, w, lab in raw:
        b = min(n, a + w)
        if b > a and not used.intersection(range(a, b)):
            out.append(Span(a, b, lab))
            used.update(range(a, b))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(spans_strategy, spans_strategy), min_size=1, max_size=4))
def test_strict_is_set_matching_of_spans(docs):
    """Strict micro P/R equal |gold ∩ pred| / |pred| and / |gold| over (sentence, start, end, type)."""
    gold = [_nonoverlapping(g) for g, _ in docs]
    pred = [_nonoverlapping(p) for _, p in docs]
    rep = score(gold, pred, ["PERSON", "ORG", "GPE", "DATE"])
    gs = {(i, s.start, s.end, s.label) for i, d in enumerate(gold) for s in d}
    ps = {(i, s.start, s.end, s.label) for i, d in enumerate(pred) for s in d}
    tp = len(gs & ps)
    assert rep["strict"]["micro"]["precision"] == pytest.approx(tp / len(ps) if ps else 0.0)
    assert rep["strict"]["micro"]["recall"] == pytest.approx(tp / len(gs) if gs else 0.0)
    assert rep["strict"]["counts"]["correct"] == tp
    assert rep["strict"]["counts"]["gold"] == len(gs)
    assert rep["strict"]["counts"]["predicted"] == len(ps)


# ---------------------------------------------------------------- the nervaluate modes

def test_modes_on_boundary_and_type_errors():
    gold = [[Span(0, 5, "GPE"), Span(10, 13, "PERSON")]]
    # a shorter span of the right type, and the right span with the wrong type
    pred = [[Span(0, 4, "GPE"), Span(10, 13, "ORG")]]
    rep = score(gold, pred, ENTITY_TYPES)
    assert rep["strict"]["micro"]["f1"] == 0.0
    assert rep["exact"]["micro"]["precision"] == 0.5  # one exact span, type ignored
    assert rep["partial"]["micro"]["precision"] == 0.75  # one exact (1) + one partial (0.5), of 2
    assert rep["ent_type"]["micro"]["precision"] == 0.5  # the overlapping GPE counts
    assert rep["ent_type"]["per_type"]["GPE"]["f1"] == 1.0


def test_adjacent_spans_do_not_overlap():
    """Offsets are end-exclusive: a prediction that starts where the gold entity ends is no partial match
    (nervaluate counts inclusive ends, so the evaluator must convert)."""
    gold = [[Span(0, 5, "GPE")]]
    pred = [[Span(5, 8, "GPE")]]
    rep = score(gold, pred, ENTITY_TYPES)
    for mode in MODES:
        assert rep[mode]["micro"]["f1"] == 0.0, mode
        assert rep[mode]["counts"]["spurious"] == 1, mode
        assert rep[mode]["counts"]["missed"] == 1, mode


def test_macro_is_the_mean_over_types_present():
    gold = [[Span(0, 2, "PERSON"), Span(3, 5, "ORG")]]
    pred = [[Span(0, 2, "PERSON"), Span(6, 8, "DATE")]]
    rep = score(gold, pred, ENTITY_TYPES)
    for mode in ("strict", "exact"):
        assert set(rep[mode]["per_type"]) == {"PERSON", "ORG", "DATE"}
        assert rep[mode]["macro"]["f1"] == pytest.approx(1 / 3)
    assert rep["strict"]["micro"]["f1"] == pytest.approx(0.5)


def test_coarse_scheme_maps_gold_and_predictions(gold):
    sid = next(s for s in gold if any(e.label == "FAC" for e in s.entities))
    fac = next(e for e in sid.entities if e.label == "FAC")
    # a FAC predicted as GPE is wrong under ontonotes and right under msra (both become LOC)
    preds = {sid.id: [replace(e, label="GPE") if e is fac else e for e in sid.entities]}
    sub = [sid]
    assert evaluate(sub, preds, "ontonotes")["strict"]["micro"]["f1"] < 1.0
    assert evaluate(sub, preds, "msra")["strict"]["micro"]["f1"] == 1.0
    # ontonotes4 drops FAC: the GPE prediction is spurious
    assert evaluate(sub, preds, "ontonotes4")["strict"]["counts"]["spurious"] == 1


def test_scheme_labels_are_accepted_under_their_scheme(tmp_path, capsys, gold_lines):
    rows = [{"id": s["id"], "entities": [{**{k: e[k] for k in ("start", "end")}, "label": "PER"}
                                         for e in s["entities"] if e["label"] == "PERSON"]} for s in gold_lines]
    pred = write_pred(tmp_path / "per.jsonl", rows)
    rep = run_json(capsys, "--pred", str(pred), "--scheme", "msra")
    assert rep["strict"]["per_type"]["PER"]["f1"] == 1.0
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS)]) == 1
    assert "unknown label 'PER'" in capsys.readouterr().err


def test_prediction_labels_are_the_ontonotes_and_coarse_types():
    coarse = {t for s in SCHEMES for t in scheme_types(s)}
    assert set(PredictionLabel.__args__) == set(ENTITY_TYPES) | coarse  # type: ignore[attr-defined]


def test_text_report(tmp_path, capsys, gold_lines):
    pred = write_pred(tmp_path / "p.jsonl", gold_rows(gold_lines, keep=lambda k: k % 2 == 0))
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(CORPUS)]) == 0
    out = capsys.readouterr().out
    headings = [line.split(":")[0] for line in out.splitlines() if line and not line.startswith(" ")]
    # one table per mode, in order, right after the title; then the figures per block role group
    assert headings[1:1 + len(MODES)] == list(MODES)
    assert headings[1 + len(MODES):] == ["by block role group (headings"]
    assert "micro" in out and "macro" in out and "GPE" in out
    assert "1.0000" in out  # precision of a subset of the gold


def test_evaluate_file_equals_the_command(tmp_path, capsys, gold_lines):
    pred = write_pred(tmp_path / "p.jsonl", perturbed_rows(gold_lines, 5))
    assert evaluate_file(pred, CORPUS, "msra") == run_json(capsys, "--pred", str(pred), "--scheme", "msra")


# ---------------------------------------------------------------- bad prediction files

def _first(gold_lines) -> dict:
    return next(s for s in gold_lines if s["entities"])


BAD_CASES = {
    "malformed JSON": (lambda s: ['{"id": "x", "entities": [', None], "malformed JSON"),
    "not an object": (lambda s: ["[1, 2]"], "expected a JSON object"),
    "duplicate key": (lambda s: ['{"id": "x", "entities": [], "entities": []}'], "duplicate key 'entities'"),
    "unknown id": (lambda s: [{"id": "nope-01-001", "entities": []}], "unknown sentence id 'nope-01-001'"),
    "duplicate id": (lambda s: [{"id": s["id"], "entities": []}, {"id": s["id"], "entities": []}],
                     "duplicate sentence id"),
    "out of range": (lambda s: [{"id": s["id"], "entities": [{"start": 0, "end": len(s["text"]) + 1, "label": "GPE"}]}],
                     "out of range"),
    "unknown label": (lambda s: [{"id": s["id"], "entities": [{"start": 0, "end": 1, "label": "CITY"}]}],
                      "unknown label 'CITY'"),
    "overlap": (lambda s: [{"id": s["id"], "entities": [{"start": 0, "end": 3, "label": "GPE"},
                                                         {"start": 2, "end": 4, "label": "ORG"}]}], "overlap"),
    "empty span": (lambda s: [{"id": s["id"], "entities": [{"start": 2, "end": 2, "label": "GPE"}]}],
                   "end must be greater than start"),
    "negative": (lambda s: [{"id": s["id"], "entities": [{"start": -1, "end": 2, "label": "GPE"}]}],
                 "entities.0.start"),
    "float offset": (lambda s: [{"id": s["id"], "entities": [{"start": 0.0, "end": 2, "label": "GPE"}]}],
                     "entities.0.start"),
    "missing key": (lambda s: [{"id": s["id"]}], "entities"),
    "unknown key": (lambda s: [{"id": s["id"], "entities": [], "score": 1}], "score"),
    "wrong text": (lambda s: [{"id": s["id"], "entities": [{"start": 0, "end": 2, "label": "GPE", "text": "??"}]}],
                   "says '??'"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_prediction_file_gives_one_line_error_with_file_and_line(tmp_path, capsys, gold_lines, case):
    make, needle = BAD_CASES[case]
    s = _first(gold_lines)
    good = {"id": gold_lines[0]["id"] if gold_lines[0]["id"] != s["id"] else gold_lines[1]["id"], "entities": []}
    lines = [json.dumps(good)] + [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                  for r in make(s) if r is not None]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["evaluate", "--pred", str(path), "--corpus", str(CORPUS)])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    bad_line = len(lines)  # the offending record is the last line written
    assert err.startswith(f"gaoxin-news: error: {path}:{bad_line}: "), err
    assert needle in err, err


def test_missing_prediction_file(tmp_path, capsys):
    assert main(["evaluate", "--pred", str(tmp_path / "none.jsonl"), "--corpus", str(CORPUS)]) == 1
    assert "none.jsonl" in capsys.readouterr().err


def test_blank_lines_are_ignored(tmp_path, capsys, gold_lines):
    rows = gold_rows(gold_lines)
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).replace("\n", "\n\n", 3) + "\n\n"
    path = tmp_path / "p.jsonl"
    path.write_text(text, encoding="utf-8")
    assert run_json(capsys, "--pred", str(path))["strict"]["micro"]["f1"] == 1.0


def test_text_field_is_checked_and_optional(tmp_path, capsys, gold_lines):
    rows = [{"id": s["id"], "entities": s["entities"]} for s in gold_lines]  # with "text"
    assert run_json(capsys, "--pred", str(write_pred(tmp_path / "t.jsonl", rows)))["strict"]["micro"]["f1"] == 1.0


def test_prediction_schema_is_published():
    from gaoxin_news.schema.jsonschema import render_schemas

    path = ROOT / "schemas" / "prediction.schema.json"
    assert path.read_text(encoding="utf-8") == render_schemas()["prediction.schema.json"]
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert set(schema["required"]) == {"id", "entities"}


def test_a_file_that_is_not_utf8(tmp_path, capsys, gold_lines):
    path = tmp_path / "latin1.jsonl"
    good = json.dumps({"id": gold_lines[0]["id"], "entities": []}).encode()
    path.write_bytes(good + b"\n" + '{"id": "é"}\n'.encode("latin-1"))
    assert main(["evaluate", "--pred", str(path), "--corpus", str(CORPUS)]) == 1
    assert capsys.readouterr().err.startswith(f"gaoxin-news: error: {path}:2: not UTF-8")


@pytest.mark.parametrize("spans, needle", [
    ([{"start": 0, "end": 3, "label": "GPE"}, {"start": 1, "end": 2, "label": "ORG"}], "overlap"),
    ([{"start": 0, "end": 999, "label": "GPE"}], "out of range"),
    ([{"start": 0, "end": 2, "label": "PER"}], "unknown label 'PER'"),
])
def test_in_memory_predictions_are_checked_too(gold, spans, needle):
    s = gold[1]
    with pytest.raises(ValueError, match=needle):
        evaluate([s], {s.id: spans}, "ontonotes")
    with pytest.raises(ValueError, match="unknown sentence ids"):
        evaluate([s], {"nope": []})


LABELS = ["PERSON", "ORG", "GPE"]


def _placed(parts, n) -> list[Span]:
    """Non-overlapping spans from (gap, width, label) parts, laid out left to right within ``n``."""
    out, pos = [], 0
    for gap, width, label in parts:
        start = pos + gap
        if start + width > n:
            break
        out.append(Span(start, start + width, label))
        pos = start + width
    return out


# widths up to 250: nervaluate needs an overlap of 1% of a gold span, which one character misses beyond 100
_parts = st.lists(st.tuples(st.integers(0, 6), st.sampled_from([1, 1, 2, 3, 5, 8, 101, 150, 250]),
                            st.sampled_from(LABELS)), max_size=6)
_edits = st.lists(st.tuples(st.sampled_from(["keep", "drop", "shift", "grow", "cut", "relabel"]),
                            st.integers(-3, 3), st.sampled_from(LABELS)), min_size=6, max_size=6)


@st.composite
def sentence_pairs(draw):
    """A sentence's gold spans and predicted spans: independent ones, or the gold edited (kept, dropped,
    shifted, grown, cut, relabelled), so that every kind of match and near miss occurs."""
    n = draw(st.sampled_from([12, 40, 300, 600]))
    gold = _placed(draw(_parts), n)
    if draw(st.booleans()):
        return gold, _placed(draw(_parts), n)
    pred = []
    for g, (op, d, label) in zip(gold, draw(_edits)):
        start, end = g.start, g.end
        if op == "drop":
            continue
        if op == "shift":
            start, end = start + d, end + d
        elif op == "grow":
            start, end = start - abs(d), end + abs(d)
        elif op == "cut":
            end = max(start + 1, end - abs(d) - (100 if end - start > 101 else 0))
        start, end = max(0, start), min(n, end)
        if end > start:
            pred.append(Span(start, end, label if op == "relabel" else g.label))
    kept = []
    for p in sorted(pred):
        if not kept or p.start >= kept[-1].end:
            kept.append(p)
    return gold, kept


def _bio(n: int, spans: list[Span]) -> list[str]:
    tags = ["O"] * n
    for s in spans:
        tags[s.start:s.end] = [f"B-{s.label}"] + [f"I-{s.label}"] * (s.end - s.start - 1)
    return tags


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence_pairs(), min_size=1, max_size=5))
# ent_type: a prediction as close to two gold spans takes the first, leaving the second to the next one
@example([([Span(0, 2, "ORG"), Span(3, 5, "ORG")], [Span(1, 4, "ORG"), Span(4, 5, "ORG")])])
# a prediction over two gold spans, and a second prediction on the first of them
@example([([Span(0, 3, "GPE"), Span(4, 6, "ORG")], [Span(1, 5, "ORG"), Span(0, 1, "GPE")])])
def test_every_mode_equals_nervaluate_and_strict_equals_seqeval(docs):
    """The counts and figures of every mode, overall and per type, equal those of nervaluate's own
    Evaluator (the reference the modes are defined by); strict's also equal seqeval's strict IOB2 ones;
    the per-sentence counts add up to them."""
    import warnings

    from nervaluate import Evaluator
    from seqeval.metrics import classification_report

    from gaoxin_news.ner.counts import sentence_counts
    from gaoxin_news.schema.spans import nervaluate_form

    gold = [g for g, _ in docs]
    pred = [p for _, p in docs]
    rep = score(gold, pred, LABELS)
    used = sorted({s.label for d in gold + pred for s in d})
    if not used:
        assert all(rep[m]["counts"]["gold"] == rep[m]["counts"]["predicted"] == 0 for m in MODES)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = Evaluator([nervaluate_form(d) for d in gold], [nervaluate_form(d) for d in pred], tags=LABELS,
                        loader="dict").evaluate()
    per_sentence = sentence_counts(gold, pred)
    for mode in MODES:
        r, c = ref["overall"][mode], rep[mode]["counts"]
        assert [c[k] for k in ("correct", "incorrect", "partial", "missed", "spurious", "predicted", "gold")] == \
            [r.correct, r.incorrect, r.partial, r.missed, r.spurious, r.actual, r.possible], mode
        assert [rep[mode]["micro"][k] for k in ("precision", "recall", "f1")] == [r.precision, r.recall, r.f1], mode
        assert set(rep[mode]["per_type"]) == set(ref["entities"]) == set(used)
        for t in used:
            r, v = ref["entities"][t][mode], rep[mode]["per_type"][t]
            assert [v["precision"], v["recall"], v["f1"], v["support"]] == [r.precision, r.recall, r.f1, r.possible]
        hit, predicted, gold_n = per_sentence[mode].sum(axis=0)
        r = ref["overall"][mode]
        assert (predicted, gold_n) == (r.actual, r.possible)
        assert hit == r.correct + (0.5 * r.partial if mode in ("partial", "ent_type") else 0)
    n = 600
    y_true = [_bio(n, g) for g in gold]
    y_pred = [_bio(n, p) for p in pred]
    sq = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    for k, kk in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
        assert rep["strict"]["micro"][k] == pytest.approx(sq["micro avg"][kk], abs=1e-12)
        assert rep["strict"]["macro"][k] == pytest.approx(sq["macro avg"][kk], abs=1e-12)
    for t in used:
        assert rep["strict"]["per_type"][t]["f1"] == pytest.approx(sq[t]["f1-score"], abs=1e-12)
