"""corpus/DATASHEET.md: the Gebru et al. sections, answered with numbers computed from the data; the
file is current, its template holds no hand-written number, and a change in the data changes it."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT
from gaoxin_news.corpus.agreement import agreement
from gaoxin_news.corpus.annotations import load_annotation_dir
from gaoxin_news.publish.datasheet import DATASHEET, annotation_facts, render_datasheet
from gaoxin_news.corpus.stats import corpus_stats

CORPUS = ROOT / "corpus"
TEMPLATE = ROOT / "src" / "gaoxin_news" / "templates" / "DATASHEET.md"
SECTIONS = ["Motivation", "Composition", "Collection process", "Preprocessing, cleaning, labeling", "Uses",
            "Distribution", "Maintenance"]

#: Names that contain digits; every other number in the template would be hand-written.
NAMED = [r"OntoNotes [45]\.0", r"CC BY 4\.0", r"UTF-8", r"sha256", r"IOB2", r"(?i)pass ?[12]\b", r"F1",
         r"vX\.Y\.Z", r"\bv\{\{"]


@pytest.fixture(scope="module")
def sheet() -> str:
    return (CORPUS / DATASHEET).read_text(encoding="utf-8")


def test_datasheet_is_current(sheet):
    assert render_datasheet(CORPUS, ROOT) == sheet, "corpus/DATASHEET.md is stale: run 'gaoxin-news build'"


def test_gebru_sections_in_order(sheet):
    assert re.findall(r"^## (.+)$", sheet, re.M) == SECTIONS


def test_template_writes_no_number_by_hand():
    text = TEMPLATE.read_text(encoding="utf-8")
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
    for pat in NAMED:
        text = re.sub(pat, " ", text)
    assert re.findall(r"\d+", text) == []


def test_agreement_is_computed_from_the_two_passes(sheet):
    p1, _ = load_annotation_dir(ROOT / "annotations" / "pass1")
    p2, _ = load_annotation_dir(ROOT / "annotations" / "pass2")
    f1 = agreement(p1, p2)["overall"]["f1"]
    assert 0 < f1 <= 1
    assert f"**F1 {f1:.3f}**" in sheet


def test_states_the_facts_of_the_collection_and_annotation(sheet):
    st = corpus_stats(CORPUS)
    facts = annotation_facts(ROOT)
    assert f"{st.pages} source page" in sheet and f"{st.entities} entities" in sheet
    # unknown source facts are said to be unknown
    assert "Unknown for every page: the publication (name of the newspaper), the publisher, issue date" in sheet
    assert "Layout analysis by hand-written rules" in sheet
    assert "two independent full passes" in sheet and "no access to\neach other's pass" in sheet
    assert "no NER model" in sheet and "`annotations/GUIDELINES.md`" in sheet
    assert "`annotations/adjudication.tsv`" in sheet
    assert f"disagreed on {facts.disagreements} entit" in sheet
    assert "examples drawn from this same page" in sheet and "optimistic" in sheet


def test_does_not_talk_about_how_the_project_is_developed(sheet):
    for word in ("assistant", "session", "AI ", "LLM", "Claude", "GPT", "prompt"):
        assert word not in sheet


def test_a_change_in_the_annotation_changes_the_datasheet(root_copy):
    before = render_datasheet(CORPUS, root_copy)
    assert before == render_datasheet(CORPUS, ROOT)
    ann = sorted((root_copy / "annotations" / "pass2").glob("*.ann"))[0]
    lines = ann.read_text(encoding="utf-8").splitlines(keepends=True)
    ann.write_text("".join(lines[1:]), encoding="utf-8")  # pass 2 loses one entity
    after = render_datasheet(CORPUS, root_copy)
    assert after != before
    facts = annotation_facts(root_copy)
    assert f"Pass 1 holds {facts.pass1_entities} entities" in after
    assert f"pass 2 holds {facts.pass2_entities} in" in after


def test_baselines_change_the_uses_answer(root_copy):
    shutil.rmtree(root_copy / "results", ignore_errors=True)
    assert "Not yet: no baseline results" in render_datasheet(CORPUS, root_copy)
    (root_copy / "results").mkdir()
    (root_copy / "results" / "baselines.md").write_text("| system | F1 |\n", encoding="utf-8")
    assert "Baseline NER results are\nreported in the dataset card." in render_datasheet(CORPUS, root_copy)
