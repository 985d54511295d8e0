"""Gold annotation: every span matches its text, no overlaps, scheme labels, coarse mappings,
counts snapshot, agreement, adjudication, and shifted annotations failing the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonlines
import pytest

from conftest import GOLD, ROOT, SEEDS
from gaoxin_news.corpus.agreement import adjudicated, agreement, disagreements, read_decisions
from gaoxin_news.publish.writers import WRITERS
from gaoxin_news.corpus.annotations import check_spans, format_brat, load_annotation_dir, parse_brat
from gaoxin_news.build.executor import write_corpus
from gaoxin_news.cli import main
from gaoxin_news.errors import AnnotationError
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES, SCHEMES, scheme_labels
from gaoxin_news.schema.spans import Span

ANN = ROOT / "annotations"


@pytest.fixture(scope="module")
def gold():
    spans, problems = load_annotation_dir(GOLD)
    assert problems == []
    return spans


@pytest.fixture(scope="module")
def articles(built_corpus):
    with jsonlines.open(built_corpus / "articles.jsonl") as r:
        return {a["id"]: a for a in r}


def test_every_article_is_annotated(gold, articles):
    assert set(gold) == set(articles)
    assert sum(map(len, gold.values())) >= 200


def test_every_span_matches_its_text(gold, articles):
    for aid, spans in gold.items():
        text = articles[aid]["text"]
        assert (GOLD / f"{aid}.txt").read_text(encoding="utf-8") == text
        for s in spans:
            assert text[s.start:s.end] == s.text, s
            assert s.text == s.text.strip() and "\n" not in s.text


def test_no_spans_overlap(gold):
    for spans in gold.values():
        ordered = sorted(spans, key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:]))


def test_types_in_scheme(gold):
    assert {s.label for spans in gold.values() for s in spans} <= set(ENTITY_TYPES)


def test_merged_into_corpus(gold, articles):
    for aid, spans in gold.items():
        got = [(e["start"], e["end"], e["label"], e["text"]) for e in articles[aid]["entities"]]
        assert got == sorted((s.start, s.end, s.label, s.text) for s in spans)


def test_coarse_mappings_are_total():
    for scheme, mapping in SCHEMES.items():
        assert set(mapping) == set(ENTITY_TYPES), scheme
        assert scheme_labels(scheme)[0] == "O"
    assert set(SCHEMES["msra"].values()) - {None} == {"PER", "LOC", "ORG"}
    assert set(SCHEMES["ontonotes4"].values()) - {None} == {"PER", "ORG", "GPE", "LOC"}


def test_bio_label_list_is_fixed():
    assert BIO_LABELS[0] == "O" and len(BIO_LABELS) == 37
    assert BIO_LABELS[1:3] == ("B-PERSON", "I-PERSON") and BIO_LABELS[-1] == "I-CARDINAL"


def test_counts_per_type(articles, data_regression):
    counts = {t: 0 for t in ENTITY_TYPES}
    for a in articles.values():
        for e in a["entities"]:
            counts[e["label"]] += 1
    data_regression.check(counts)


def _shifted(tmp_path: Path) -> Path:
    ann = tmp_path / "gold"
    shutil.copytree(GOLD, ann)
    path = ann / "000_af9ed2a9fbe09997-03.ann"
    spans, _ = parse_brat(path.read_text(encoding="utf-8"))
    moved = [Span(s.start + 1, s.end + 1, s.label, s.text) if i == 4 else s for i, s in enumerate(spans)]
    path.write_text(format_brat(moved), encoding="utf-8")
    return ann


def test_shifted_annotation_fails_the_build(tmp_path, capsys):
    ann = _shifted(tmp_path)
    out = tmp_path / "corpus"
    with pytest.raises(AnnotationError) as e:
        write_corpus(SEEDS, out, ann, progress=False, writers=WRITERS)
    assert all("000_af9ed2a9fbe09997-03.ann:" in p for p in e.value.problems)
    msg = e.value.problems[0]
    assert "000_af9ed2a9fbe09997-03.ann:5: T5" in msg and "the text there is now" in msg
    assert not out.exists()
    assert main(["build", "--seeds", str(SEEDS), "--out", str(out), "--annotations", str(ann), "-q"]) == 1
    err = capsys.readouterr().err
    assert "annotation problem(s)" in err and "-03.ann:5" in err


def test_every_bad_span_is_listed():
    text = "烟台高新区位于山东省。今年。"
    spans = [
        Span(0, 5, "GPE", "烟台高新区", "a.ann:1: T1"),
        Span(7, 10, "GPE", "山东", "a.ann:2: T2"),  # wrong surface
        Span(7, 12, "GPE", "山东省。今", "a.ann:3: T3"),  # crosses a sentence, overlaps T2
        Span(11, 13, "TIMEX", "今年", "a.ann:4: T4"),  # unknown type
        Span(12, 40, "DATE", "x", "a.ann:5: T5"),  # out of range
    ]
    problems = check_spans(text, spans, [(0, 11), (11, 14)])
    joined = "\n".join(problems)
    for where in ("a.ann:2", "a.ann:3", "a.ann:4", "a.ann:5"):
        assert where in joined
    assert "a.ann:1" not in joined
    assert any("crosses a sentence boundary" in p for p in problems)
    assert any("unknown label 'TIMEX'" in p for p in problems)


def test_each_annotation_pass_is_checked_against_its_brat_document(tmp_path):
    """The passes (silver, before adjudication) go through the same span checker as the gold."""
    folder = tmp_path / "pass1"
    folder.mkdir()
    (folder / "a-01.txt").write_text("烟台高新区位于山东省。", encoding="utf-8")
    (folder / "a-01.ann").write_text("T1\tGPE 0 5\t烟台高新区\nT2\tGPE 7 9\t山东省\nT3\tGPE 4 6\t区位\n",
                                     encoding="utf-8")
    spans, problems = load_annotation_dir(folder)
    assert len(spans["a-01"]) == 3
    assert len(problems) == 2
    assert problems[0].startswith(f"{folder / 'a-01.ann'}:2: T2: GPE 7-9 '山东省': says '山东省'")
    assert "a-01.ann:3: T3" in problems[1] and "overlaps GPE 0-5" in problems[1]


def test_brat_parse_errors():
    spans, problems = parse_brat("T1\tGPE 0 5\t烟台高新区\nR1\tRel Arg1:T1 Arg2:T2\nT2\tORG 0 3;4 5\tabc d\nT3 bad\n", "x.ann")
    assert [s.text for s in spans] == ["烟台高新区"]
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4"]


def test_agreement_before_adjudication():
    p1, _ = load_annotation_dir(ANN / "pass1")
    p2, _ = load_annotation_dir(ANN / "pass2")
    res = agreement(p1, p2)
    n1, n2 = sum(map(len, p1.values())), sum(map(len, p2.values()))
    matched = sum(len({(s.start, s.end, s.label) for s in p1[a]} & {(s.start, s.end, s.label) for s in p2[a]}) for a in p1)
    assert res["overall"]["matched"] == matched
    assert res["overall"]["f1"] == pytest.approx(2 * matched / (n1 + n2))
    assert set(res["per_type"]) <= set(ENTITY_TYPES)


def test_adjudication_covers_every_disagreement_and_gives_gold(gold):
    p1, _ = load_annotation_dir(ANN / "pass1")
    p2, _ = load_annotation_dir(ANN / "pass2")
    decisions = read_decisions(ANN / "adjudication.tsv")
    diffs = disagreements(p1, p2)
    assert {(d.article_id, d.span.start, d.span.end, d.span.label) for d in diffs} == set(decisions)
    assert all(r.strip() for _, r in decisions.values())
    derived, undecided = adjudicated(ANN)
    assert undecided == []
    key = lambda spans: sorted((s.start, s.end, s.label, s.text) for s in spans)  # noqa: E731
    assert {a: key(s) for a, s in derived.items()} == {a: key(s) for a, s in gold.items()}


def test_agreement_cli(capsys):
    assert main(["agreement", "--annotations", str(ANN)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["type", "pass1", "pass2", "match", "F1"]
    assert "overall" in out and "disagreement(s) before adjudication" in out
