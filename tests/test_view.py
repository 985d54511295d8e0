"""gaoxin-news view without a browser: the statuses of gold against predictions (checked against
nervaluate), the runs and source spans (every character once), the colours (distinct, readable), and
the command's handling of its output folder and of bad input. The rendered pages are checked in a
real browser in test_view_browser.py."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from nervaluate import Evaluator

from gaoxin_news.cli import main
from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import Article
from gaoxin_news.view.colours import COLOURS, TEXT
from gaoxin_news.schema.spans import Span
from gaoxin_news.view.data import Mention, match, read_articles, read_sources, runs, site_view, source_runs
from gaoxin_news.schema.files import refuse_overlap
from gaoxin_news.view.site import MARKER, render_site, write_site

from conftest import ROOT, SEED_ID, SEEDS

CORPUS = ROOT / "corpus"


def _articles() -> list[dict]:
    with open(CORPUS / "articles.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# ---------------------------------------------------------------------------------------------------
# statuses
# ---------------------------------------------------------------------------------------------------
def test_match_by_hand():
    gold = [Span(0, 3, "GPE"), Span(5, 8, "ORG"), Span(10, 12, "DATE"), Span(20, 24, "PERSON")]
    pred = [Span(0, 3, "GPE"), Span(5, 8, "GPE"), Span(10, 13, "DATE"), Span(15, 17, "CARDINAL")]
    g, p = match(gold, pred)
    assert [s for s, _ in g] == ["correct", "wrong-type", "wrong-span", "missed"]
    assert [s for s, _ in p] == ["correct", "wrong-type", "wrong-span", "spurious"]
    assert g[1][1] == "GPE" and p[1][1] == "ORG"  # the other layer's type
    assert g[2][1] == "DATE 10-13" and p[2][1] == "DATE 10-12"


def _random_spans(rng: random.Random, length: int) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    while True:
        pos += rng.randint(0, 4)
        end = pos + rng.randint(1, 4)
        if end > length:
            return out
        out.append((pos, end, rng.choice(["GPE", "ORG", "DATE"])))
        pos = end


def test_a_prediction_over_two_gold_entities_is_paired_with_the_first():
    """nervaluate's strict pairing: the second gold entity is missed, a second prediction on a paired gold
    entity spurious."""
    gold = [Span(0, 2, "GPE"), Span(2, 5, "ORG"), Span(8, 12, "ORG")]
    pred = [Span(0, 5, "ORG"), Span(8, 10, "ORG"), Span(10, 12, "ORG")]
    g, p = match(gold, pred)
    assert g == [("wrong-span", "ORG 0-5"), ("missed", None), ("wrong-span", "ORG 8-10")]
    assert p == [("wrong-span", "GPE 0-2"), ("wrong-span", "ORG 8-12"), ("spurious", None)]


def test_statuses_agree_with_nervaluate():
    """Over random sentences (spans overlapping two of the other layer included), the counts of correct,
    missed and spurious equal nervaluate's strict correct, missed and spurious, wrong-type its exact
    correct less strict correct, and wrong-type + wrong-span its strict incorrect, on both layers."""
    rng = random.Random(13)
    pairs = [(_random_spans(rng, 30), _random_spans(rng, 30)) for _ in range(3000)]
    gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
    ours = {"correct": 0, "missed": 0, "spurious": 0, "wrong-type": 0, "wrong-span": 0}
    gold_side = dict(ours)
    for g, p in zip(gold, pred):
        gs, ps = match([Span(*x) for x in g], [Span(*x) for x in p])
        for s, _ in gs:
            gold_side[s] += 1
        for s, _ in ps:
            ours[s] += 1
    ours["missed"] = gold_side["missed"]
    incl = lambda docs: [[{"label": t, "start": a, "end": z - 1} for a, z, t in d] for d in docs]  # noqa: E731
    res = Evaluator(incl(gold), incl(pred), tags=["GPE", "ORG", "DATE"], loader="dict").evaluate()
    strict, exact = res["overall"]["strict"], res["overall"]["exact"]
    assert ours["correct"] == strict.correct
    assert ours["missed"] == strict.missed
    assert ours["spurious"] == strict.spurious
    # exact mode: same offsets, any type, is correct; so wrong-type = exact correct - strict correct
    assert ours["wrong-type"] == exact.correct - strict.correct
    assert ours["wrong-type"] + ours["wrong-span"] == strict.incorrect
    assert all(gold_side[k] == ours[k] for k in ("correct", "wrong-type", "wrong-span"))


# ---------------------------------------------------------------------------------------------------
# runs and source spans
# ---------------------------------------------------------------------------------------------------
def test_runs_keep_every_character():
    text = "烟台高新区凝聚更强向心力——"
    ms = [Mention(0, 5, "GPE", "烟台高新区", "gold"), Mention(7, 9, "CARDINAL", "更强", "gold")]
    rs = runs(text, 0, len(text), ms)
    assert "".join(r.text for r in rs) == text
    assert [r.text for r in rs if r.mention] == ["烟台高新区", "更强"]
    with pytest.raises(ValueError):
        runs(text, 0, len(text), [Mention(0, 5, "GPE", "", "gold"), Mention(4, 6, "ORG", "", "gold")])


def test_site_view_of_the_corpus():
    arts = read_articles(CORPUS)
    pages = read_sources(SEEDS, {a.source_id for a in arts})
    site = site_view("0.0.0", arts, pages)
    raw = _articles()
    page = site.pages[0]
    seed = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    # the source text is shown whole, once, and each block's spans are its characters
    assert "".join(r.text for r in page.source) == seed
    for item, rec in zip(page.items, raw):
        assert item.id == rec["id"] and item.entities == len(rec["entities"])
        for b, rb in zip(item.blocks, rec["blocks"], strict=True):
            shown = "".join(r.text for r in page.source if r.anchor == b.anchor)
            assert "".join(shown.split()) == "".join(rec["text"][rb["start"]:rb["end"]].split())
            line = "".join(r.text for s in b.sentences for r in s.gold)
            assert line == rec["text"][rb["start"]:rb["end"]]
        drawn = {(r.mention.start, r.mention.end, r.mention.label)
                 for b in item.blocks for s in b.sentences for r in s.gold if r.mention}
        assert drawn == {(e["start"], e["end"], e["label"]) for e in rec["entities"]}
    assert site.types == {t: sum(e["label"] == t for r in raw for e in r["entities"]) for t in ENTITY_TYPES}


def test_source_spans_must_not_overlap():
    assert "".join(r.text for r in source_runs("abcdef", [(1, 3, "x"), (4, 5, "y")])) == "abcdef"
    with pytest.raises(ValueError):
        source_runs("abcdef", [(1, 3, "x"), (2, 5, "y")])


def test_a_changed_source_page_is_refused(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    (seeds / f"{SEED_ID}.txt").write_text(text.replace("烟台", "青岛", 1), encoding="utf-8")  # no manifest
    arts = read_articles(CORPUS)
    with pytest.raises(GaoxinError, match="does not match its source spans"):
        site_view("0.0.0", arts, read_sources(seeds, {a.source_id for a in arts}))


def test_annotation_status_of_every_item_is_shown():
    recs = _articles()
    # the committed corpus is all gold; make the second item silver and the third not annotated
    recs[1] = {**recs[1], "annotation": "silver", "annotator": {"model": "rules+lac", "version": "1"}}
    recs[2] = {**recs[2], "annotation": "none", "annotator": None, "entities": []}
    arts = [Article.model_validate(r) for r in recs]
    site = site_view("0.0.0", arts, read_sources(SEEDS, {SEED_ID}))
    files = render_site(site)
    assert [i.annotation for i in site.pages[0].items] == [r["annotation"] for r in recs]
    index = files["index.html"]
    assert "<th>annotation</th>" in index
    for r in recs:
        row = index.split(f'<tr data-item="{r["id"]}">')[1].split("</tr>")[0]
        assert f"<td>{r['annotation']}</td>" in row, r["id"]
    page = next(v for k, v in files.items() if k.startswith("pages/"))
    for status in ("gold", "silver", "none"):
        assert f'annotation: <span class="annotation">{status}</span>' in page


def test_only_gold_items_are_scored():
    """A silver item is not scored (as evaluate skips its sentences): its entities get no status and no
    predicted line, and the counts are those of the gold items alone (nothing of it counted missed)."""
    from gaoxin_news.ner.predictions import read_gold
    from gaoxin_news.schema.records import Prediction
    from perturb import perturbed

    recs = _articles()
    recs[1] = {**recs[1], "annotation": "silver", "annotator": {"model": "rules+lac", "version": "1"}}
    assert recs[1]["entities"]
    arts = [Article.model_validate(r) for r in recs]
    silver = {s["id"] for s in recs[1]["sentences"]}
    gold = [g for g in read_gold(CORPUS) if g.id not in silver]
    preds = {k: Prediction.model_validate({"id": k, "entities": [e.as_dict() for e in v]})
             for k, v in perturbed(gold).items()}
    site = site_view("0.0.0", arts, read_sources(SEEDS, {SEED_ID}), preds)
    items = site.pages[0].items
    assert items[1].statuses == {"gold": dict.fromkeys(items[1].statuses["gold"], 0),
                                 "pred": dict.fromkeys(items[1].statuses["pred"], 0)}
    assert items[1].predicted == 0
    for b in items[1].blocks:
        assert not b.has_pred_line and all(s.pred is None or not any(r.mention for r in s.pred) for s in b.sentences)
        assert all(r.mention.status is None for s in b.sentences for r in s.gold if r.mention)
    assert sum(site.statuses["gold"].values()) == sum(len(g.entities) for g in gold)
    assert sum(site.statuses["pred"].values()) == sum(len(p.entities) for p in preds.values())


# ---------------------------------------------------------------------------------------------------
# colours
# ---------------------------------------------------------------------------------------------------
def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("label", ENTITY_TYPES)
def test_each_type_has_a_readable_colour_of_its_own(label):
    hi, lo = sorted([_luminance(COLOURS[label]), _luminance(TEXT)], reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 7.0  # WCAG 2 AAA contrast for normal text
    assert list(COLOURS.values()).count(COLOURS[label]) == 1


# ---------------------------------------------------------------------------------------------------
# the output folder
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["corpus", "seeds", "annotations", "corpus/view", "."])
def test_out_may_not_be_a_data_folder(tmp_path, which):
    protected = {n: tmp_path / n for n in ("corpus", "seeds", "annotations")}
    with pytest.raises(GaoxinError, match="choose another folder"):
        refuse_overlap(tmp_path / which, protected)
    refuse_overlap(tmp_path / "view", protected)


def test_cli_refuses_the_corpus_folder(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    assert main(["view", "--corpus", str(corpus), "--out", str(corpus)]) == 1
    assert "corpus folder" in capsys.readouterr().err
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


def test_cli_refuses_a_folder_inside_another_corpus_folder(tmp_path, capsys):
    """--out inside a corpus folder other than --corpus (a copy, say) is refused like the other writers'
    targets, and so is an --errors file of evaluate."""
    other = tmp_path / "other"
    shutil.copytree(CORPUS, other)
    before = sorted(p.relative_to(other) for p in other.rglob("*"))
    assert main(["view", "--corpus", str(CORPUS), "--out", str(other / "view")]) == 1
    assert f"view would write into the corpus folder {other}" in capsys.readouterr().err
    pred = tmp_path / "p.jsonl"
    pred.write_text("", encoding="utf-8")
    assert main(["evaluate", "--corpus", str(CORPUS), "--pred", str(pred), "--bootstrap", "0",
                 "--errors", str(other / "errors.jsonl")]) == 1
    assert "evaluate --errors would write into the corpus folder" in capsys.readouterr().err
    assert sorted(p.relative_to(other) for p in other.rglob("*")) == before


def test_a_foreign_folder_is_not_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GaoxinError, match="refusing to replace"):
        write_site({"index.html": "x"}, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_previous_view_is_replaced_whole_or_not_at_all(tmp_path):
    out = tmp_path / "view"
    write_site({"index.html": "one", "pages/a.html": "a", MARKER: "{}"}, out)
    write_site({"index.html": "two", "pages/b.html": "b", MARKER: "{}"}, out)
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == [MARKER, "index.html", "pages/b.html"]
    with pytest.raises(UnicodeEncodeError):  # a file that cannot be written, after others were
        write_site({"index.html": "three", "pages/c.html": "\ud800", MARKER: "{}"}, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view"]  # no temporary folder left


def test_bad_input_leaves_no_output(tmp_path, capsys):
    out = tmp_path / "view"
    assert main(["view", "--corpus", str(tmp_path / "nope"), "--out", str(out)]) == 1
    assert "articles.jsonl:-: missing" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["view", "--corpus", str(CORPUS), "--seeds", str(tmp_path / "empty"), "--out", str(out)]) == 1
    assert f"no source page for {SEED_ID}" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "no-such-sentence", "entities": []}\n', encoding="utf-8")
    assert main(["view", "--corpus", str(CORPUS), "--seeds", str(SEEDS), "--pred", str(bad), "--out", str(out)]) == 1
    assert f"{bad}:1: unknown sentence id" in capsys.readouterr().err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "empty"]
