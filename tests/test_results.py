"""The published baseline table: current for the corpus, rendered from its JSON, embedded in the README."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from gaoxin_news.ner.baselines import BASELINES
from gaoxin_news.ner.evaluate import MODES
from gaoxin_news.ner.predictions import read_gold
from gaoxin_news.ner.results import (
    END, FASTEST, JSON_NAME, MD_NAME, SCHEME_ORDER, START, compute_results, render_markdown, score_baseline,
    stale_files, update_readme, write_results,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RESULTS = ROOT / "results"


@pytest.fixture(scope="module")
def published() -> dict:
    return json.loads((RESULTS / JSON_NAME).read_text(encoding="utf-8"))


def test_results_are_for_the_current_corpus(published):
    sha = hashlib.sha256((CORPUS / "sentences.jsonl").read_bytes()).hexdigest()
    assert published["corpus"]["sha256"] == sha, "corpus changed: run 'gaoxin-news baselines'"


def test_the_fastest_baseline_recomputes_to_the_published_figures(published):
    fresh = score_baseline(FASTEST, read_gold(CORPUS))
    assert fresh == published["baselines"][FASTEST]["schemes"], "stale: run 'gaoxin-news baselines'"


def test_every_baseline_is_published_under_every_scheme_and_mode(published):
    assert list(published["baselines"]) == list(BASELINES)
    for name, b in published["baselines"].items():
        assert list(b["schemes"]) == list(SCHEME_ORDER), name
        for scheme, rep in b["schemes"].items():
            assert list(rep) == list(MODES)
            for mode in MODES:
                assert set(rep[mode]["micro"]) == {"precision", "recall", "f1", "ci95"}
                for k, (lo, hi) in rep[mode]["micro"]["ci95"].items():
                    assert 0 <= lo <= hi <= 1, (name, scheme, mode, k)
                assert set(rep[mode]["macro"]) == {"precision", "recall", "f1"}
    versions = published["versions"]
    assert versions["nervaluate"] == "1.2.1"


def test_markdown_is_rendered_from_the_json(published):
    md = (RESULTS / MD_NAME).read_text(encoding="utf-8")
    assert md == render_markdown(published)
    for name in BASELINES:
        assert f"| `{name}` |" in md


def test_readme_embeds_the_table(published):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(START) == 1 and readme.count(END) == 1
    inside = readme[readme.index(START) + len(START):readme.index(END)]
    assert inside == "\n" + render_markdown(published)
    assert "### Benchmark your own model" in inside


def _tables(md: str) -> list[list[list[str]]]:
    """Every markdown table of ``md``: its rows (header first, separator left out) as lists of cells."""
    tables, current = [], None
    for line in md.splitlines():
        if line.startswith("|"):
            cells = [c.strip().strip("*`") for c in line.strip("|").split("|")]
            if current is None:
                current = []
                tables.append(current)
            if not set("".join(cells)) <= set("-:"):
                current.append(cells)
        else:
            current = None
    return tables


def _points(x: float) -> str:
    return f"{100 * x:.1f}"


def test_every_figure_of_the_published_tables_is_the_json_figure(published):
    """The markdown read back, cell by cell, against the JSON it was made from."""
    bl = published["baselines"]
    main, pairs, modes, *per_scheme = _tables((RESULTS / MD_NAME).read_text(encoding="utf-8"))
    assert [r[0] for r in main[1:]] == list(bl) == [r[0] for r in modes[1:]]
    for row in main[1:]:
        s = bl[row[0]]["schemes"]
        o = s["ontonotes"]["strict"]
        lo, hi = o["micro"]["ci95"]["f1"]
        assert row[2:] == [_points(o["micro"]["precision"]), _points(o["micro"]["recall"]), _points(o["micro"]["f1"]),
                           f"[{_points(lo)}, {_points(hi)}]", _points(o["macro"]["f1"]),
                           _points(s["msra"]["strict"]["micro"]["f1"]), _points(s["ontonotes4"]["strict"]["micro"]["f1"])]
    comp = published["comparisons"]["pairs"]
    assert [r[:2] for r in pairs[1:]] == [[r["a_name"], r["b_name"]] for r in comp]
    for row, r in zip(pairs[1:], comp):
        lo, hi = r["ci95"]
        p = f"< {1 / r['resamples']:.3f}" if r["p_value"] == 0 else f"{r['p_value']:.3f}"
        assert row[2:] == [_points(r["a"]), _points(r["b"]), f"{100 * r['delta']:+.1f}",
                           f"[{100 * lo:+.1f}, {100 * hi:+.1f}]", p, "yes" if r["significant"] else "no"]
    assert modes[0][1:] == list(MODES)
    for row in modes[1:]:
        assert row[1:] == [_points(bl[row[0]]["schemes"]["ontonotes"][m]["micro"]["f1"]) for m in MODES]
    assert len(per_scheme) == len(SCHEME_ORDER)
    for scheme, table in zip(SCHEME_ORDER, per_scheme):
        assert table[0][2:] == list(bl)
        for row in table[1:]:
            t, gold, cells = row[0], int(row[1]), row[2:]
            for name, cell in zip(bl, cells):
                pt = bl[name]["schemes"][scheme]["strict"]["per_type"].get(t)
                assert cell == (_points(pt["f1"]) if pt else "–"), (scheme, t, name)
                if pt:
                    assert pt["support"] == gold


# ---------------------------------------------------------------- README section

README = "# Title\n\nSome text.\n\n## Baseline results\n\n{start}\nold table\n{end}\n\n## After\n\nMore.\n"


def test_update_replaces_only_what_is_between_the_markers():
    text = README.format(start=START, end=END)
    new = update_readme(text, "new table\n")
    assert new == text.replace("old table\n", "new table\n")
    assert update_readme(new, "new table\n") == new  # idempotent


def test_update_appends_a_section_when_the_markers_are_missing():
    text = "# Title\n\nSome text.\n"
    new = update_readme(text, "table\n")
    assert new.startswith(text)
    assert new[len(text):] == f"\n## Baseline results\n\n{START}\ntable\n{END}\n"
    assert update_readme(new, "table\n") == new
    assert update_readme(None, "t\n") == f"## Baseline results\n\n{START}\nt\n{END}\n"


# ---------------------------------------------------------------- writing and checking

def test_write_then_check(tmp_path):
    results = compute_results(CORPUS, names=[FASTEST])
    out, readme = tmp_path / "results", tmp_path / "README.md"
    readme.write_text("# Project\n", encoding="utf-8")
    assert stale_files(results, out, readme) == [out / JSON_NAME, out / MD_NAME, readme]
    written = write_results(results, out, readme)
    assert set(written) == {out / JSON_NAME, out / MD_NAME, readme}
    assert stale_files(results, out, readme) == []
    assert readme.read_text(encoding="utf-8").startswith("# Project\n\n## Baseline results\n")
    (out / MD_NAME).write_text("edited\n", encoding="utf-8")
    assert stale_files(results, out, readme) == [out / MD_NAME]
    assert write_results(results, out, readme) == [out / JSON_NAME, out / MD_NAME]  # README unchanged


@pytest.mark.skipif(not all(b.available() for b in BASELINES.values()),
                    reason="the extra 'baselines' is not installed")
def test_check_command_flags_stale_results(tmp_path, capsys):
    from gaoxin_news.cli import main

    out = tmp_path / "results"
    out.mkdir()
    (out / JSON_NAME).write_text("{}\n", encoding="utf-8")
    code = main(["baselines", "--check", "--corpus", str(CORPUS), "--out", str(out),
                 "--readme", str(tmp_path / "README.md")])
    assert code == 1
    assert "stale baseline results" in capsys.readouterr().err


# ---------------------------------------------------------------- the "benchmark your own model" snippet

def test_the_published_snippet_runs(tmp_path, monkeypatch, capsys):
    md = (RESULTS / MD_NAME).read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", md, re.S).group(1)
    assert 5 <= len(code.strip().splitlines()) <= 14
    (tmp_path / "corpus").symlink_to(CORPUS)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "snippet", "exec"), {})
    printed = capsys.readouterr().out
    scores = eval(printed.strip())  # a dict literal: {'precision': …, 'recall': …, 'f1': …}
    assert set(scores) == {"precision", "recall", "f1", "ci95"} and scores["precision"] > 0
    lines = (tmp_path / "my_model.pred.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(read_gold(CORPUS))


def test_every_pair_of_baselines_is_compared(published):
    """The pairwise table: each pair once, its F1 the baselines' published strict F1 (nervaluate's, while the
    comparison adds per-sentence counts), and significant exactly when p < 0.05."""
    comp = published["comparisons"]
    names = list(published["baselines"])
    pairs = comp["pairs"]
    assert [(r["a_name"], r["b_name"]) for r in pairs] == [
        (a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    f1 = {n: published["baselines"][n]["schemes"]["ontonotes"]["strict"]["micro"]["f1"] for n in names}
    for r in pairs:
        assert (r["a"], r["b"]) == (f1[r["a_name"]], f1[r["b_name"]])
        assert r["delta"] == pytest.approx(r["b"] - r["a"], abs=2e-4)
        assert r["significant"] == (r["p_value"] < comp["alpha"])
    md = (RESULTS / MD_NAME).read_text(encoding="utf-8")
    assert f"{sum(r['significant'] for r in pairs)} of {len(pairs)} differences are significant" in md
