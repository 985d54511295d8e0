"""Record models enforce the invariants; `validate` reports every violation with its record id;
JSON Schemas are generated from the models and kept current."""

from __future__ import annotations

import json
import shutil

import pytest
from pydantic import ValidationError

from conftest import ROOT, changed
from gaoxin_news.cli import main
from gaoxin_news.schema.records import Article, Entity, SentenceRecord
from gaoxin_news.schema.jsonschema import render_schemas, stale_schemas
from gaoxin_news.build.validate import validate_folder


@pytest.fixture(scope="module")
def article(built_corpus) -> dict:
    with open(built_corpus / "articles.jsonl", encoding="utf-8") as f:
        return json.loads(f.readline())


@pytest.fixture(scope="module")
def sentence(built_corpus) -> dict:
    with open(built_corpus / "sentences.jsonl", encoding="utf-8") as f:
        return json.loads(f.readlines()[1])


def test_built_records_fit_the_published_json_schemas(built_corpus):
    """Every record of the built corpus, checked by a second validator (jsonschema) against the JSON
    Schemas in schemas/, and a record with an unknown label refused by it."""
    from jsonschema import Draft7Validator

    for name, schema_file in (("articles.jsonl", "article"), ("sentences.jsonl", "sentence")):
        schema = json.loads((ROOT / "schemas" / f"{schema_file}.schema.json").read_text(encoding="utf-8"))
        validator = Draft7Validator(schema)
        lines = (built_corpus / name).read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            errors = [e.message for e in validator.iter_errors(json.loads(line))]
            assert errors == [], f"{name}:{n}: {errors}"
        bad = next(r for r in map(json.loads, lines) if r["entities"])
        bad["entities"] = [{**bad["entities"][0], "label": "COMPANY"}]
        assert not validator.is_valid(bad)


@pytest.mark.parametrize("changes, message", [
    ({"entities__0__text": "烟台高新X"}, "says"),
    ({"entities__0__label": "COMPANY"}, "label"),
    ({"blocks__1__start": 7}, "block 1"),
    ({"sentences__3__end": 20}, "does not tile"),
    ({"sentences__2__id": "000_af9ed2a9fbe09997-01-001"}, "not unique"),
    ({"text": "短"}, "blocks end"),
    ({"kind": "column"}, "kind"),
    ({"id": "other-01"}, "source id"),
])
def test_article_invariants(article, changes, message):
    with pytest.raises(ValidationError, match=message):
        Article.model_validate(changed(article, **changes))


def test_entity_beyond_text(article):
    n = len(article["text"])
    bad = {"start": n - 2, "end": n + 3, "label": "ORG", "text": "xxxxx"}
    with pytest.raises(ValidationError, match="beyond the text"):
        Article.model_validate(changed(article, entities=[bad]))


def test_entities_must_not_overlap_or_cross_sentences(article):
    ents = article["entities"]
    overlapping = changed(article, entities=[ents[0], {**ents[0], "start": ents[0]["start"] + 1,
                                                       "text": ents[0]["text"][1:]}])
    with pytest.raises(ValidationError, match="overlaps"):
        Article.model_validate(overlapping)
    s = article["sentences"][1]  # the kicker: a sentence boundary at its end
    crossing = {"start": s["end"] - 2, "end": s["end"] + 2, "label": "ORG",
                "text": article["text"][s["end"] - 2:s["end"] + 2]}
    with pytest.raises(ValidationError, match="crosses a sentence boundary"):
        Article.model_validate(changed(article, entities=[crossing]))


def test_sentence_invariants(sentence):
    bad_tags = dict(sentence, ner_tags=["O"] * len(sentence["tokens"]))
    with pytest.raises(ValidationError, match="the entities give B-GPE"):
        SentenceRecord.model_validate(bad_tags)
    with pytest.raises(ValidationError, match="tokens"):
        SentenceRecord.model_validate(dict(sentence, tokens=sentence["tokens"][:-1]))
    with pytest.raises(ValidationError, match="unknown tags"):
        SentenceRecord.model_validate(dict(sentence, ner_tags=["X"] * len(sentence["tokens"])))


def test_entity_shape():
    with pytest.raises(ValidationError, match="greater than start"):
        Entity(start=3, end=3, label="ORG", text="")


def test_validate_reports_every_violation(built_corpus, tmp_path, capsys):
    folder = tmp_path / "corpus"
    shutil.copytree(built_corpus, folder)
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    a0, a2 = json.loads(lines[0]), json.loads(lines[2])
    a0["entities"][0]["label"] = "COMPANY"
    a2["blocks"][0]["end"] += 1
    lines[0], lines[2] = json.dumps(a0, ensure_ascii=False), json.dumps(a2, ensure_ascii=False)
    lines.append("{not json")
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_folder(folder)
    text = "\n".join(problems)
    assert "articles.jsonl:1: 000_af9ed2a9fbe09997-01: entities.0.label:" in text
    assert "articles.jsonl:3: 000_af9ed2a9fbe09997-03:" in text
    assert "articles.jsonl:8: malformed JSON" in text
    assert "manifest.json: files.articles.jsonl: sha256" in text
    assert main(["validate", str(folder)]) == 1
    assert "violation(s)" in capsys.readouterr().err


def test_validate_passes_on_build(built_corpus):
    assert validate_folder(built_corpus) == []
    assert main(["validate", str(ROOT / "corpus")]) == 0


def test_json_schemas_are_current():
    assert stale_schemas(ROOT / "schemas") == [], "run 'gaoxin-news schemas'"
    assert {"article.schema.json", "sentence.schema.json", "manifest.schema.json", "source.schema.json"} <= set(render_schemas())


def test_json_schema_describes_records(article):
    schema = json.loads(render_schemas()["article.schema.json"])
    assert set(schema["required"]) >= {"id", "text", "blocks", "sentences", "entities"}
    assert set(article) == set(schema["properties"])


def test_validate_cross_checks_sentences(built_corpus, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(built_corpus, folder)
    lines = (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = json.loads(lines[10])["id"]
    changed = json.loads(lines[20])
    changed["role"] = "caption"
    lines[20] = json.dumps(changed, ensure_ascii=False) + "\n"
    extra = json.loads(lines[-1])
    extra["id"] = extra["id"][:-3] + "999"
    del lines[10]
    lines.append(json.dumps(extra, ensure_ascii=False) + "\n")
    (folder / "sentences.jsonl").write_text("".join(lines), encoding="utf-8")
    text = "\n".join(validate_folder(folder))
    assert f"{dropped}: sentence of articles.jsonl is missing" in text
    assert f"{changed['id']}: disagrees with articles.jsonl in role" in text
    assert f"{extra['id']}: no such sentence in articles.jsonl" in text
