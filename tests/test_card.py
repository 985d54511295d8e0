"""The dataset card corpus/README.md: generated, current, deterministic, with the Hub metadata and the
sections the issue asks for; baseline results embedded when results/baselines.md exists."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import ROOT
from gaoxin_news import __version__
from gaoxin_news.publish.card import CARD, LICENSE, render_card, size_category
from gaoxin_news.publish.citation import bibtex, current_cff
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import project_root, release_of
from gaoxin_news.corpus.stats import corpus_stats

CORPUS = ROOT / "corpus"
GENERATED = ["README.md", "DATASHEET.md", "LICENSE.md", "croissant.json"]


def _split(card: str) -> tuple[dict, str]:
    m = re.match(r"---\n(.*?)\n---\n(.*)", card, re.S)
    assert m, "no YAML header"
    return yaml.safe_load(m[1]), m[2]


@pytest.fixture(scope="module")
def card() -> str:
    return (CORPUS / CARD).read_text(encoding="utf-8")


def test_card_is_current(card):
    assert render_card(CORPUS, ROOT) == card, "corpus/README.md is stale: run 'gaoxin-news build'"


def test_hub_metadata(card):
    meta, _ = _split(card)
    assert meta["language"] == ["zh"]
    assert meta["task_categories"] == ["token-classification"]
    assert meta["task_ids"] == ["named-entity-recognition"]
    assert meta["pretty_name"] == "gaoxin-news"
    assert meta["license"] == "other" and meta["license_name"] and meta["license_link"] == LICENSE
    assert (CORPUS / meta["license_link"]).is_file()
    st = corpus_stats(CORPUS)
    assert meta["size_categories"] == [size_category(max(st.sentences, st.articles))]


def test_body_has_the_sections_in_order(card):
    _, body = _split(card)
    heads = re.findall(r"^## (.+)$", body, re.M)
    want = ["Loading", "Structure", "Label scheme", "Statistics", "Baseline results", "Limitations",
            "Licence", "Versioning", "Citation"]
    assert [h for h in heads if h in want] == want


def test_numbers_come_from_the_corpus(card):
    st = corpus_stats(CORPUS)
    assert f"{st.articles} items (" in card
    gold = st.by_status("gold")
    assert (f"of which {gold['items']} are gold-annotated: {gold['sentences']} gold sentences and "
            f"{st.entities} gold entities") in card
    for status in ("gold", "silver", "none"):
        c = st.by_status(status)
        assert f"| {status} | {c['items']} | {c['sentences']} | {c['entities']} |" in card
    for t, n in st.entity_types.items():
        assert re.search(rf"^\| {t} \| {n} \|", card, re.M), t
    assert f"**Version {__version__}**, released {release_of(ROOT, __version__).date}" in card


def test_loading_instructions_use_an_absolute_path_and_the_version_tag(card):
    assert f'revision="v{__version__}"' in card
    assert 'load_dataset(str(Path("corpus").resolve()), "ner"' in card


def test_licence_separates_annotations_from_the_publishers_text(card):
    _, body = _split(card)
    lic = body.split("## Licence", 1)[1].split("\n## ", 1)[0]
    assert "CC BY 4.0" in lic and "copyright of its publisher" in lic
    assert "research" in lic and "removed" in lic
    assert lic.split("The same terms")[0].strip() in (CORPUS / LICENSE).read_text(encoding="utf-8")


def test_card_cites_the_release_with_the_bibtex_of_citation_cff(card):
    entry = bibtex(current_cff(ROOT))
    assert f"```bibtex\n{entry}\n```" in card
    assert f"version = {{{__version__}}}" in entry


def test_baselines_are_embedded_when_they_exist(root_copy):
    shutil.rmtree(root_copy / "results", ignore_errors=True)
    without = render_card(CORPUS, root_copy)
    assert "No baselines yet." in without
    (root_copy / "results").mkdir()
    table = "| system | F1 |\n|---|---|\n| rules | 0.123 |"
    (root_copy / "results" / "baselines.md").write_text(table + "\n", encoding="utf-8")
    with_ = render_card(CORPUS, root_copy)
    section = with_.split("## Baseline results", 1)[1].split("\n## ", 1)[0]
    assert table in section and "No baselines yet." not in with_


def test_generated_files_hold_no_absolute_path():
    for name in GENERATED:
        text = (CORPUS / name).read_text(encoding="utf-8")
        assert str(ROOT) not in text and "/tmp" not in text, name


def test_a_build_elsewhere_gives_the_same_files(built_corpus):
    for name in [*GENERATED, "data/ner/test.parquet", "data/articles/test.parquet"]:
        assert (built_corpus / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_project_root(tmp_path, root_copy):
    inside = root_copy / ".tmp-build-x"
    inside.mkdir()
    assert project_root(inside) == root_copy.resolve()
    assert project_root(tmp_path / "elsewhere") == ROOT  # outside any repository: this source tree


def test_a_version_missing_from_the_changelog_is_an_error(root_copy):
    (root_copy / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    with pytest.raises(GaoxinError, match="no heading"):
        render_card(CORPUS, root_copy)


@pytest.mark.parametrize("n,cat", [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (123_456, "100K<n<1M")])
def test_size_category(n, cat):
    assert size_category(n) == cat


def test_the_example_chosen_while_streaming_is_the_one_read_from_the_file(built_corpus):
    import json

    from gaoxin_news.build.exports import finish_exports
    from gaoxin_news.build.executor import write_corpus
    from gaoxin_news.publish.card import example_record
    from conftest import GOLD, SEEDS

    out = built_corpus.parent / "example-check"
    stats = write_corpus(SEEDS, out, GOLD, progress=False, writers=[finish_exports])
    streamed = example_record(out, stats)
    assert streamed is not None and streamed == example_record(out)
    # by hand: a gold sentence of at most 40 characters with two entities or more, the first such
    rec = json.loads(streamed)
    assert rec["annotation"] == "gold" and len(rec["entities"]) >= 2 and len(rec["text"]) <= 40
    lines = [json.loads(ln) for ln in (out / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    earlier = lines[:[r["id"] for r in lines].index(rec["id"])]
    assert not any(r["annotation"] == "gold" and len(r["entities"]) >= 2 and len(r["text"]) <= 40 for r in earlier)


def test_the_streamed_example_falls_back_to_the_first_gold_sentence_across_pages():
    from gaoxin_news.corpus.stats import BuildStats

    # pages of (annotation, entities, text) sentences; the choice over all of them, made by hand
    pages = [
        [("silver", 3, "短句"), ("none", 0, "x")],
        [("gold", 1, "第一句"), ("gold", 5, "长" * 41)],
        [("gold", 0, "第三句")],
        [("silver", 2, "短"), ("gold", 2, "好例子")],
        [("gold", 2, "后来的好例子")],
    ]
    for upto, want in [(1, None), (2, "第一句"), (3, "第一句"), (4, "好例子"), (5, "好例子")]:
        st = BuildStats()
        for page in pages[:upto]:
            gold = [t for a, _, t in page if a == "gold"]
            good = [t for a, n, t in page if a == "gold" and n >= 2 and len(t) <= 40]
            st.offer_example(gold[0] if gold else None, good[0] if good else None)
        assert st.example == want, upto
