"""Bootstrap intervals of `evaluate`, checked against scipy.stats.bootstrap on the same statistic and the
same resampling; the per-sentence counts against the scorers' own totals; role groups against scoring the
group's sentences alone."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from conftest import ROOT
from gaoxin_news.cli import main
from perturb import perturbed
from gaoxin_news.ner import bootstrap, counts
from gaoxin_news.ner.evaluate import MODES, evaluate
from gaoxin_news.ner.predictions import GoldSentence, read_gold
from gaoxin_news.schema.labels import scheme_types
from gaoxin_news.schema.spans import Span, to_scheme

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def gold() -> list[GoldSentence]:
    return read_gold(CORPUS)


def _f1_of_sums(hit, pred, gold):
    p = np.divide(hit, pred, out=np.zeros_like(hit, dtype=float), where=pred > 0)
    r = np.divide(hit, gold, out=np.zeros_like(hit, dtype=float), where=gold > 0)
    return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0), p, r


def _scipy_interval(cols: np.ndarray, which: int, resamples: int, seed: int) -> list[float]:
    """scipy.stats.bootstrap of one micro figure (0 precision, 1 recall, 2 F1) of per-sentence
    (hit, predicted, gold) columns, percentile method, the same batches and generator."""
    def statistic(hit, pred, gold, axis=-1):
        f, p, r = _f1_of_sums(hit.sum(axis=axis), pred.sum(axis=axis), gold.sum(axis=axis))
        return (p, r, f)[which]

    res = stats.bootstrap((cols[:, 0], cols[:, 1], cols[:, 2]), statistic, paired=True, vectorized=True,
                          n_resamples=resamples, batch=bootstrap.BATCH, method="percentile",
                          confidence_level=0.95, rng=np.random.default_rng(seed))
    return [float(res.confidence_interval.low), float(res.confidence_interval.high)]


def _strict_counts_by_hand(gold, preds, scheme) -> np.ndarray:
    rows = []
    for s in gold:
        g = {(e.start, e.end, e.label) for e in to_scheme(s.entities, scheme)}
        p = {(e.start, e.end, e.label) for e in to_scheme(preds.get(s.id, []), scheme)}
        rows.append((len(g & p), len(p), len(g)))
    return np.array(rows, dtype=float)


@pytest.mark.parametrize("scheme", ["ontonotes", "msra"])
def test_strict_interval_equals_scipy_bootstrap(gold, scheme):
    preds = perturbed(gold)
    rep = evaluate(gold, preds, scheme, bootstrap=1000, seed=7)
    cols = _strict_counts_by_hand(gold, preds, scheme)
    ci = rep["strict"]["micro"]["ci95"]
    for which, name in enumerate(("precision", "recall", "f1")):
        assert ci[name] == pytest.approx(_scipy_interval(cols, which, 1000, 7), abs=1e-12), name
    lo, hi = ci["f1"]
    assert lo < rep["strict"]["micro"]["f1"] < hi and hi - lo > 0.02


def test_every_mode_interval_equals_scipy_bootstrap_of_its_counts(gold):
    preds = perturbed(gold)
    rep = evaluate(gold, preds, "ontonotes", bootstrap=500, seed=3)
    g = [to_scheme(s.entities, "ontonotes") for s in gold]
    p = [to_scheme(preds[s.id], "ontonotes") for s in gold]
    per_sentence = counts.sentence_counts(g, p, scheme_types("ontonotes"))
    for mode in MODES:
        # the per-sentence counts add up to the figures the scorers (seqeval, nervaluate) report
        assert counts.micro(per_sentence[mode]) == pytest.approx(
            {k: rep[mode]["micro"][k] for k in ("precision", "recall", "f1")}, abs=1e-12), mode
        assert rep[mode]["micro"]["ci95"]["f1"] == pytest.approx(
            _scipy_interval(per_sentence[mode], 2, 500, 3), abs=1e-12), mode
    assert np.array_equal(per_sentence["strict"], _strict_counts_by_hand(gold, preds, "ontonotes"))
    n_gold = sum(len(x) for x in g)
    assert per_sentence["exact"][:, 2].sum() == rep["exact"]["counts"]["gold"] == n_gold


def test_a_prediction_equal_to_the_gold_scores_one_with_interval_one(gold):
    preds = {s.id: list(s.entities) for s in gold}
    rep = evaluate(gold, preds, "ontonotes", bootstrap=1000, seed=0)
    for mode in MODES:
        micro = rep[mode]["micro"]
        assert micro["f1"] == 1.0
        assert micro["ci95"] == {"precision": [1.0, 1.0], "recall": [1.0, 1.0], "f1": [1.0, 1.0]}, mode


def test_intervals_are_deterministic_for_a_seed(gold):
    preds = perturbed(gold)
    a = evaluate(gold, preds, "ontonotes", bootstrap=200, seed=11)["strict"]["micro"]["ci95"]
    b = evaluate(gold, preds, "ontonotes", bootstrap=200, seed=11)["strict"]["micro"]["ci95"]
    c = evaluate(gold, preds, "ontonotes", bootstrap=200, seed=12)["strict"]["micro"]["ci95"]
    assert a == b and a != c


@pytest.mark.parametrize("n, values", [(13, 4), (400, 2)])  # most rows distinct; few distinct rows
def test_resampled_sums_are_the_sums_of_the_drawn_sentences(n, values):
    rng = np.random.default_rng(5)
    cols = rng.integers(0, values, (n, 2, 3)).astype(float) / 2
    sums = bootstrap.resampled_sums(cols, 250, seed=9)
    idx = np.concatenate(list(bootstrap.resample_indices(n, 250, 9)))
    assert idx.shape == (250, n)
    assert np.array_equal(sums, cols[idx].sum(axis=1))
    # the indices are those numpy's generator draws as 64-bit integers, as scipy.stats.bootstrap draws them
    ref = np.random.default_rng(9)
    assert np.array_equal(idx, np.concatenate([ref.integers(0, n, (min(bootstrap.BATCH, 250 - k), n))
                                               for k in range(0, 250, bootstrap.BATCH)]))


def test_percentile_interval_of_a_hand_made_distribution():
    # 0.025 and 0.975 quantiles of 0, 1, …, 40 with linear interpolation: 1.0 and 39.0
    assert bootstrap.percentile_interval(np.arange(41.0)) == pytest.approx([1.0, 39.0], abs=1e-12)


def test_role_groups_equal_scoring_the_groups_alone(gold):
    preds = perturbed(gold)
    rep = evaluate(gold, preds, "ontonotes", bootstrap=0)
    roles = {s.role for s in gold}
    assert roles >= {"paragraph", "title"}
    for group, members in (("body", {"paragraph", "caption"}), ("headings", roles - {"paragraph", "caption"})):
        sub = [s for s in gold if s.role in members]
        alone = evaluate(sub, {s.id: preds[s.id] for s in sub}, "ontonotes", bootstrap=0)
        for mode in MODES:
            got = rep[mode]["role_groups"][group]
            assert got["sentences"] == len(sub)
            assert got["micro"] == pytest.approx(alone[mode]["micro"], abs=1e-12), (group, mode)
    assert bootstrap.role_group("subtitle") == "headings" and bootstrap.role_group("caption") == "body"
    assert bootstrap.role_group("folio") == "headings"  # page furniture of a later layout


def test_counts_module_modes_are_evaluate_modes():
    assert counts.MODES == MODES


def test_cli_json_and_text_show_the_intervals(tmp_path, capsys, gold):
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"id": k, "entities": [e.as_dict() for e in v]}, ensure_ascii=False) + "\n"
                            for k, v in perturbed(gold).items()), encoding="utf-8")
    args = ["evaluate", "--pred", str(path), "--corpus", str(CORPUS), "--seed", "4", "--bootstrap", "300"]
    assert main([*args, "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    for mode in MODES:
        assert set(rep[mode]["micro"]["ci95"]) == {"precision", "recall", "f1"}
    assert rep["strict"]["micro"]["ci95"] == evaluate(gold, perturbed(gold), "ontonotes", 300, 4)["strict"]["micro"]["ci95"]
    assert set(rep["strict"]["role_groups"]) == {"headings", "body"}
    assert main(args) == 0
    out = capsys.readouterr().out
    f1, (lo, hi) = rep["strict"]["micro"]["f1"], rep["strict"]["micro"]["ci95"]["f1"]
    assert f"F1 {100 * f1:.1f} [{100 * lo:.1f}, {100 * hi:.1f}]" in out
    assert "headings" in out and "body" in out
    assert main([*args[:-2], "--bootstrap", "-1"]) == 1
    assert "--bootstrap" in capsys.readouterr().err
