"""gaoxin-news compare: the paired bootstrap against scipy.stats.bootstrap, approximate randomisation
against hand-computed p-values and scipy.stats.permutation_test, identical files, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from conftest import ROOT
from gaoxin_news.cli import main
from gaoxin_news.ner import bootstrap
from gaoxin_news.ner.compare import compare_counts, paired_bootstrap, randomization
from gaoxin_news.ner.predictions import read_gold

CORPUS = ROOT / "corpus"


def _f1(c):
    hit, pred, gold = c[..., 0], c[..., 1], c[..., 2]
    p = np.divide(hit, pred, out=np.zeros_like(hit, dtype=float), where=pred > 0)
    r = np.divide(hit, gold, out=np.zeros_like(hit, dtype=float), where=gold > 0)
    return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)


def _systems(n=40, seed=1):
    """Two made-up systems' strict counts on n sentences: B finds a little more than A."""
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 5, n)
    pred_a, pred_b = rng.integers(0, 5, n), rng.integers(0, 5, n)
    hit_a = np.minimum(rng.integers(0, 4, n), np.minimum(gold, pred_a))
    hit_b = np.minimum(rng.integers(1, 5, n), np.minimum(gold, pred_b))
    a = np.stack([hit_a, pred_a, gold], axis=1).astype(float)
    b = np.stack([hit_b, pred_b, gold], axis=1).astype(float)
    return a, b


def test_paired_bootstrap_equals_scipy_bootstrap_of_the_delta():
    a, b = _systems()

    def delta(*cols, axis=-1):
        sa = np.stack([c.sum(axis=axis) for c in cols[:3]], axis=-1)
        sb = np.stack([c.sum(axis=axis) for c in cols[3:]], axis=-1)
        return _f1(sb) - _f1(sa)

    data = (*a.T, *b.T)
    res = stats.bootstrap(data, delta, paired=True, vectorized=True, n_resamples=1000, batch=bootstrap.BATCH,
                          method="percentile", rng=np.random.default_rng(5))
    got = compare_counts(a, b, "bootstrap", 1000, seed=5)
    assert got["ci95"] == pytest.approx([res.confidence_interval.low, res.confidence_interval.high], abs=1e-12)
    deltas, p = paired_bootstrap(a, b, 1000, 5)
    assert np.allclose(deltas, res.bootstrap_distribution, atol=1e-12)
    d = res.bootstrap_distribution
    assert p == pytest.approx(min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0))))
    assert got["delta"] == pytest.approx(float(_f1(b.sum(0)) - _f1(a.sum(0))))


def test_randomization_p_by_hand():
    # three sentences, one gold entity each; A misses every one, B finds every one. Swapping k sentences
    # gives |delta| = |3 - 2k| / 3, which reaches the observed 1 only for k = 0 and k = 3: p = 2/8.
    a = np.array([[0, 1, 1]] * 3, dtype=float)
    b = np.array([[1, 1, 1]] * 3, dtype=float)
    assert randomization(a, b, resamples=1000) == (0.25, 8)
    # one sentence where both agree and one where only B is right: every swap keeps |delta| = 0.5: p = 1
    a2 = np.array([[1, 1, 1], [0, 1, 1]], dtype=float)
    b2 = np.array([[1, 1, 1], [1, 1, 1]], dtype=float)
    assert randomization(a2, b2, resamples=1000) == (1.0, 4)


def test_exact_randomization_equals_scipy_permutation_test():
    a, b = _systems(n=9, seed=4)
    table = np.concatenate([a, b])  # row i: A's counts on sentence i; row n + i: B's

    def stat(x, y, axis=-1):
        return np.abs(_f1(table[y.astype(int)].sum(axis=-2)) - _f1(table[x.astype(int)].sum(axis=-2)))

    n = len(a)
    res = stats.permutation_test((np.arange(n), np.arange(n) + n), stat, permutation_type="samples",
                                 n_resamples=np.inf, alternative="greater", vectorized=True)
    p, shuffles = randomization(a, b, resamples=1000)
    assert shuffles == 2 ** 9
    assert p == pytest.approx(res.pvalue, abs=1e-12)


def test_monte_carlo_randomization_is_deterministic_and_near_the_exact_value():
    a, b = _systems(n=9, seed=4)
    exact, _ = randomization(a, b, resamples=1000)
    mc, shuffles = randomization(a, b, resamples=300, seed=2)
    assert shuffles == 300 and mc == randomization(a, b, resamples=300, seed=2)[0]
    assert abs(mc - exact) < 0.1


def _rows(gold, drop_every=0):
    rows, k = [], 0
    for s in gold:
        ents = []
        for e in s.entities:
            k += 1
            if drop_every and k % drop_every == 0:
                continue
            ents.append(e.as_dict())
        rows.append({"id": s.id, "entities": ents})
    return rows


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["bootstrap", "randomization"])
def test_identical_files_give_delta_zero_and_p_one(tmp_path, capsys, method):
    gold = read_gold(CORPUS)
    a = _write(tmp_path / "a.jsonl", _rows(gold, drop_every=3))
    b = _write(tmp_path / "b.jsonl", _rows(gold, drop_every=3))
    assert main(["compare", "--pred", str(a), "--pred", str(b), "--corpus", str(CORPUS), "--json",
                 "--method", method]) == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res) >= {"a", "b", "delta", "ci95", "p_value", "resamples"}
    assert res["delta"] == 0.0 and res["p_value"] == 1.0 and res["ci95"] == [0.0, 0.0]
    assert res["a"] == res["b"] and res["resamples"] == 1000


def test_a_clearly_better_file_is_significant(tmp_path, capsys):
    gold = read_gold(CORPUS)
    worse = _write(tmp_path / "worse.jsonl", _rows(gold, drop_every=2))
    better = _write(tmp_path / "gold.jsonl", _rows(gold))
    assert main(["compare", "--pred", str(worse), "--pred", str(better), "--corpus", str(CORPUS), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["b"] == 1.0 and res["delta"] > 0.2 and res["ci95"][0] > 0 and res["p_value"] < 0.05
    assert main(["compare", "--pred", str(worse), "--pred", str(better), "--corpus", str(CORPUS)]) == 0
    assert "significant at 0.05" in capsys.readouterr().out


def test_compare_needs_two_files(tmp_path, capsys):
    gold = read_gold(CORPUS)
    a = _write(tmp_path / "a.jsonl", _rows(gold))
    assert main(["compare", "--pred", str(a), "--corpus", str(CORPUS)]) == 1
    err = capsys.readouterr().err
    assert "exactly twice" in err and len(err.strip().splitlines()) == 1
    bad = _write(tmp_path / "bad.jsonl", [{"id": "nope", "entities": []}])
    assert main(["compare", "--pred", str(a), "--pred", str(bad), "--corpus", str(CORPUS)]) == 1
    assert "bad.jsonl:1:" in capsys.readouterr().err
