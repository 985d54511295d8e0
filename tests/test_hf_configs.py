"""The corpus as a Hugging Face dataset: every config loads with `datasets` from a copy of corpus/,
with the declared features, and every loaded row is its JSONL record, field by field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import datasets  # noqa: E402
import yaml  # noqa: E402

from conftest import ROOT  # noqa: E402
from gaoxin_news.publish import hfdata  # noqa: E402
from gaoxin_news.publish.card import card_data  # noqa: E402
from gaoxin_news.schema.labels import BIO_LABELS, scheme_labels  # noqa: E402
from gaoxin_news.schema.spans import Span, bio_tags, to_scheme  # noqa: E402
from gaoxin_news.schema.records import Article, SentenceRecord  # noqa: E402

CORPUS = ROOT / "corpus"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """corpus/ copied elsewhere, as a fresh clone or a download from the Hub would have it."""
    dst = tmp_path_factory.mktemp("clone") / "corpus"
    shutil.copytree(CORPUS, dst, ignore=shutil.ignore_patterns(".*"))
    return dst


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hf-cache")


@pytest.fixture(scope="module")
def loaded(clone, cache) -> dict[str, datasets.Dataset]:
    return {c: datasets.load_dataset(str(clone), c, split="test", cache_dir=str(cache))
            for c in hfdata.configs_of(clone)}


def test_configs_are_articles_ner_one_per_coarse_scheme_and_silver():
    assert hfdata.config_names() == ("articles", "ner", "msra", "ontonotes4", "silver")
    assert hfdata.coarse_schemes() == ("msra", "ontonotes4")
    # the committed corpus is all gold: no silver config (datasets cannot load a config with no row)
    assert hfdata.configs_of(ROOT / "corpus") == ("articles", "ner", "msra", "ontonotes4")


def test_every_config_loads_with_the_declared_features(loaded):
    for config, ds in loaded.items():
        assert ds.features == hfdata.features(config), config


def test_ner_tags_are_classlabels_with_the_tag_names(loaded):
    assert loaded["ner"].features["ner_tags"].feature.names == list(BIO_LABELS)
    for scheme in hfdata.coarse_schemes():
        assert loaded[scheme].features["ner_tags"].feature.names == list(scheme_labels(scheme))
    assert "ner_tags" not in loaded["articles"].features


def test_articles_rows_equal_articles_jsonl_field_by_field(loaded, clone):
    expected = _jsonl(clone / "articles.jsonl")
    rows = loaded["articles"].to_list()
    assert len(rows) == len(expected) > 0
    for row, rec in zip(rows, expected):
        assert list(row) == list(rec)
        for key in rec:
            assert row[key] == rec[key], (rec["id"], key)


def test_ner_rows_equal_sentences_jsonl_field_by_field(loaded, clone):
    expected = _jsonl(clone / "sentences.jsonl")
    ds = loaded["ner"]
    names = ds.features["ner_tags"].feature.names
    assert len(ds) == len(expected) > 0
    for row, rec in zip(ds.to_list(), expected):
        assert list(row) == list(rec)
        for key in rec:
            got = [names[i] for i in row[key]] if key == "ner_tags" else row[key]
            assert got == rec[key], (rec["id"], key)


@pytest.mark.parametrize("scheme", ["msra", "ontonotes4"])
def test_coarse_rows_are_the_sentences_mapped_to_the_scheme(loaded, clone, scheme):
    expected = _jsonl(clone / "sentences.jsonl")
    ds = loaded[scheme]
    names = ds.features["ner_tags"].feature.names
    assert len(ds) == len(expected)
    n_entities = 0
    for row, rec in zip(ds.to_list(), expected):
        for key in ("id", "article_id", "role", "text", "tokens"):
            assert row[key] == rec[key], (rec["id"], key)
        ents = to_scheme([Span(**e) for e in rec["entities"]], scheme)
        assert row["entities"] == [e.as_dict() for e in ents]
        assert [names[i] for i in row["ner_tags"]] == bio_tags(len(rec["tokens"]), ents)
        n_entities += len(ents)
    assert n_entities > 0


def test_the_default_config_is_articles(clone, cache):
    ds = datasets.load_dataset(str(clone), split="test", cache_dir=str(cache))
    assert ds.features == hfdata.features("articles")


def test_load_helper_accepts_a_relative_path(clone, cache, monkeypatch):
    monkeypatch.chdir(clone)
    ds = hfdata.load(".", "ner", cache_dir=str(cache))
    assert len(ds) == len(_jsonl(clone / "sentences.jsonl"))


def test_a_count_mismatch_in_the_card_fails_loudly(clone, tmp_path):
    bad = tmp_path / "corpus"
    shutil.copytree(clone, bad)
    card = (bad / "README.md").read_text(encoding="utf-8")
    n = len(_jsonl(clone / "sentences.jsonl"))
    assert card.count(f"num_examples: {n}\n") == 3  # ner and the two coarse configs
    (bad / "README.md").write_text(card.replace(f"num_examples: {n}\n", f"num_examples: {n + 1}\n"),
                                   encoding="utf-8")
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        datasets.load_dataset(str(bad), "ner", split="test", cache_dir=str(tmp_path / "cache"))


def test_features_follow_the_record_models():
    assert list(hfdata.features("articles")) == list(Article.model_fields)
    for config in ("ner", "msra", "ontonotes4"):
        assert list(hfdata.features(config)) == list(SentenceRecord.model_fields)
    blocks = hfdata.features("articles")["blocks"]
    assert isinstance(blocks, datasets.List) and set(blocks.feature) == {"role", "start", "end", "source_spans"}


def test_no_file_of_the_corpus_is_ignored_by_git():
    """A fresh clone has every file the configs need: nothing in corpus/ is git-ignored."""
    out = subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "corpus"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
    for config in hfdata.configs_of(CORPUS):
        assert (CORPUS / hfdata.data_file(config)).is_file()


def test_values_that_the_json_loader_would_rewrite_survive(tmp_path, clone):
    """ISO-date-like strings, nulls and empty lists come back exactly as written."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    arts = _jsonl(clone / "articles.jsonl")[:2]
    arts[0] = {**arts[0], "title": "2024-04-15", "dateline": "2024-04-15T08:30:00", "kicker": None,
               "authors": [], "entities": []}
    sents = _jsonl(clone / "sentences.jsonl")[:2]
    text = "2024-04-15"
    sents[0] = {**sents[0], "text": text, "tokens": list(text), "ner_tags": ["B-DATE"] + ["I-DATE"] * 9,
                "entities": [{"start": 0, "end": 10, "label": "DATE", "text": text}]}
    sents[1] = {**sents[1], "entities": [], "ner_tags": ["O"] * len(sents[1]["tokens"])}
    for name, recs in (("articles.jsonl", arts), ("sentences.jsonl", sents)):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                                   encoding="utf-8")
    hfdata.write_hf_data(folder)
    (folder / "README.md").write_text("---\n" + card_data(folder).to_yaml() + "\n---\n", encoding="utf-8")
    cache = str(tmp_path / "cache")
    a = datasets.load_dataset(str(folder), "articles", split="test", cache_dir=cache).to_list()
    assert a == arts
    s = datasets.load_dataset(str(folder), "ner", split="test", cache_dir=cache)
    assert [hfdata.to_record(r, "ner") for r in s] == sents


def test_card_yaml_declares_every_config_with_sizes_of_the_files(clone):
    meta = yaml.safe_load((clone / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == set(hfdata.configs_of(clone))
    assert [c for c, v in configs.items() if v.get("default")] == ["articles"]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    counts = {"articles": len(_jsonl(clone / "articles.jsonl"))}
    gold = [s for s in _jsonl(clone / "sentences.jsonl") if s["annotation"] == "gold"]
    counts.update({c: len(gold) for c in ("ner", "msra", "ontonotes4")})
    for config, info in infos.items():
        assert configs[config]["data_files"] == [{"split": "test", "path": hfdata.data_file(config)}]
        assert datasets.Features._from_yaml_list(info["features"]) == hfdata.features(config)
        (split,) = info["splits"]
        assert split["name"] == "test" and split["num_examples"] == counts[config]
        assert split["num_bytes"] > 0 and info["download_size"] == (clone / hfdata.data_file(config)).stat().st_size
    entities = next(f for f in infos["ner"]["features"] if f["name"] == "entities")
    assert isinstance(entities["list"], list)  # a list of structs is written with `list:`


def test_the_one_split_is_test_and_train_is_not_offered(clone, cache):
    """The corpus is evaluation data: `split="test"` loads every sentence, `split="train"` does not exist."""
    ner = datasets.load_dataset(str(clone), "ner", split="test", cache_dir=str(cache))
    assert len(ner) == len(_jsonl(clone / "sentences.jsonl"))
    assert set(datasets.load_dataset(str(clone), "ner", cache_dir=str(cache))) == {"test"}
    with pytest.raises(ValueError, match="train"):
        datasets.load_dataset(str(clone), "ner", split="train", cache_dir=str(cache))


def test_the_documented_examples_load_the_test_split(clone):
    """README, card and datasheet tell users to load `split="test"` (and the card's Parquet paths say so)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    card = (clone / "README.md").read_text(encoding="utf-8")
    for text in (readme, card):
        assert 'load_dataset(str(Path("corpus").resolve()), "ner", split="test")' in text
    assert 'split="train")' not in card and "data/ner/test.parquet" in card
    assert "single `test` split" in (clone / "DATASHEET.md").read_text(encoding="utf-8")
    croissant = json.loads((clone / "croissant.json").read_text(encoding="utf-8"))
    urls = {d.get("contentUrl") for d in croissant["distribution"]}
    assert {hfdata.data_file(c) for c in hfdata.configs_of(clone)} <= urls
    assert all(u.endswith("/test.parquet") for u in urls if u and u.endswith(".parquet"))
