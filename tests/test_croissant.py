"""corpus/croissant.json: valid Croissant (mlcroissant's validator, offline), current, with the sha256
of every file it lists, and mlcroissant reads the records of every config back as in the JSONL files."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import mlcroissant as mlc
import pytest

from conftest import ROOT
from gaoxin_news import __version__
from gaoxin_news.publish import hfdata
from gaoxin_news.publish.croissant import CROISSANT, render_croissant

CORPUS = ROOT / "corpus"
PATH = CORPUS / CROISSANT


@pytest.fixture(scope="module")
def jsonld() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dataset() -> mlc.Dataset:
    return mlc.Dataset(str(PATH))


def _plain(value):
    """mlcroissant gives text as bytes and keys as '<record set>/<field>': back to JSON values."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        d = {k.rsplit("/", 1)[-1]: _plain(v) for k, v in value.items()}
        # Croissant has no null record: a null struct (the annotator of a gold record) reads back as
        # a record whose sub-fields are all null
        return None if d and all(v is None for v in d.values()) else d
    return value


def test_croissant_is_current():
    assert render_croissant(CORPUS, ROOT) == PATH.read_text(encoding="utf-8")


def test_mlcroissant_validate_cli_accepts_it():
    exe = Path(sys.executable).parent / "mlcroissant"
    proc = subprocess.run([str(exe), "validate", "--jsonld", str(PATH)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_validation_issue(dataset):
    assert dataset.metadata.issues.errors == set()
    assert dataset.metadata.issues.warnings == set()


def test_metadata(jsonld):
    assert jsonld["name"] == "gaoxin-news" and jsonld["version"] == __version__
    assert jsonld["conformsTo"].startswith("http://mlcommons.org/croissant/")
    assert "@misc{gaoxin_news_" in jsonld["citeAs"]
    names = [lic["name"] for lic in jsonld["license"]]
    assert names == ["CC BY 4.0", "Copyright of the publisher"]


def test_every_file_has_its_sha256(jsonld):
    files = jsonld["distribution"]
    listed = {f["contentUrl"] for f in files}
    assert listed == {"articles.jsonl", "sentences.jsonl", *(hfdata.data_file(c) for c in hfdata.configs_of(CORPUS))}
    for f in files:
        assert f["sha256"] == hashlib.sha256((CORPUS / f["contentUrl"]).read_bytes()).hexdigest(), f["contentUrl"]


def test_a_record_set_per_config(jsonld):
    assert [r["@id"] for r in jsonld["recordSet"]] == list(hfdata.configs_of(CORPUS))


@pytest.mark.parametrize("config", ["articles", "ner", "msra", "ontonotes4"])
def test_records_read_back_as_the_jsonl_records(dataset, config):
    names = hfdata.tag_names(config)
    got = []
    for rec in dataset.records(config):
        row = _plain(rec)
        if names is not None:
            row["ner_tags"] = [names[i] for i in row["ner_tags"]]
        got.append(row)
    assert got == list(hfdata.records(CORPUS, config))
