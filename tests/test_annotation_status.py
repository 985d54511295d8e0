"""Annotation status of the records, silver annotation folders, and the commands that need gold."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import GOLD, ROOT, SEED_ID, SEEDS

from gaoxin_news.build.executor import write_corpus
from gaoxin_news.cli import main
from gaoxin_news.errors import AnnotationError
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import Article, SentenceRecord


def _first(path):
    return json.loads((path).read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("status, annotator, entities, problem", [
    ("silver", None, None, "a silver annotation must name its annotator"),
    ("gold", {"model": "m", "version": "1"}, None, "only a silver annotation names an annotator"),
    ("none", None, "keep", "an item that is not annotated cannot hold entities"),
])
def test_the_status_and_its_annotator_go_together(status, annotator, entities, problem):
    art = _first(ROOT / "corpus" / "articles.jsonl")
    assert art["entities"]
    art = {**art, "annotation": status, "annotator": annotator}
    with pytest.raises(ValueError, match=problem):
        Article.model_validate(art)
    sent = next(json.loads(x) for x in (ROOT / "corpus" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
                if json.loads(x)["entities"])
    with pytest.raises(ValueError, match=problem):
        SentenceRecord.model_validate({**sent, "annotation": status, "annotator": annotator})


def test_an_unannotated_build_has_articles_only_and_evaluate_refuses_it(tmp_path, capsys):
    out = tmp_path / "corpus"
    st = write_corpus(SEEDS, out, None, progress=False)
    arts = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert arts and all(a["annotation"] == "none" and a["entities"] == [] for a in arts)
    assert (out / "sentences.jsonl").read_text(encoding="utf-8") == ""
    assert st.corpus.items_without_gold == len(arts)
    pred = tmp_path / "p.jsonl"
    pred.write_text("", encoding="utf-8")
    assert main(["evaluate", "--pred", str(pred), "--corpus", str(out)]) == 1
    assert "no gold sentence" in capsys.readouterr().err


def _silver(root, folder, model, spans="T1\tGPE 5 10\t烟台高新区\n", aid=f"{SEED_ID}-01"):
    d = root / folder
    d.mkdir(parents=True)
    (d / "model.json").write_text(json.dumps({"model": model, "version": "1.0"}), encoding="utf-8")
    (d / f"{aid}.ann").write_text(spans, encoding="utf-8")
    return d


def test_a_silver_folder_whose_model_is_another_is_refused(tmp_path):
    _silver(tmp_path / "silver", "rules", "rules+lac")
    with pytest.raises(AnnotationError, match=r"model\.json: model 'rules\+lac' does not match its folder 'rules'"):
        write_corpus(SEEDS, tmp_path / "corpus", GOLD, progress=False, silver=tmp_path / "silver")
    assert not (tmp_path / "corpus").exists()


def test_an_item_with_two_models_silver_is_refused(tmp_path):
    _silver(tmp_path / "silver", "a", "a")
    _silver(tmp_path / "silver", "b", "b")
    with pytest.raises(AnnotationError, match=f"item {SEED_ID}-01 also has silver annotation by 'a'"):
        write_corpus(SEEDS, tmp_path / "corpus", None, progress=False, silver=tmp_path / "silver")


def test_gold_wins_over_silver_and_silver_goes_to_the_silver_config(tmp_path):
    from gaoxin_news.publish import hfdata

    art = _first(ROOT / "corpus" / "articles.jsonl")
    text = art["text"]
    i = text.index("烟台高新区")
    _silver(tmp_path / "silver", "m", "m", f"T1\tGPE {i} {i + 5}\t烟台高新区\n")
    # with gold: gold wins
    out = tmp_path / "with-gold"
    write_corpus(SEEDS, out, GOLD, progress=False, silver=tmp_path / "silver")
    assert (out / "articles.jsonl").read_bytes() == (ROOT / "corpus" / "articles.jsonl").read_bytes()
    # without gold: the item is silver, the others none
    gold_less = tmp_path / "gold"
    gold_less.mkdir()
    out = tmp_path / "silver-only"
    write_corpus(SEEDS, out, gold_less, progress=False, silver=tmp_path / "silver")
    arts = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [a["annotation"] for a in arts] == ["silver"] + ["none"] * (len(arts) - 1)
    assert arts[0]["annotator"] == {"model": "m", "version": "1.0"}
    assert [(e["start"], e["end"]) for e in arts[0]["entities"]] == [(i, i + 5)]
    silver = list(hfdata.records(out, "silver"))
    assert len(silver) == len(arts[0]["sentences"]) and list(hfdata.records(out, "ner")) == []
    assert hfdata.configs_of(out)[-1] == "silver"


def test_labelstudio_config_has_every_type_with_a_colour_and_a_hotkey(capsys):
    assert main(["labelstudio", "config"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    labels = root.findall("./Labels/Label")
    assert [lab.get("value") for lab in labels] == list(ENTITY_TYPES)
    assert len({lab.get("background") for lab in labels}) == len({lab.get("hotkey") for lab in labels}) == 18
    (text,) = root.findall("./Text")
    assert text.get("granularity") == "symbol" and text.get("value") == "$text"
    assert root.find("./Labels").get("toName") == text.get("name")


def test_offsets_outside_the_basic_plane_are_converted():
    from gaoxin_news.annotate.labelstudio import from_js, to_js

    text = "𠀋高新区"  # a CJK extension B character: two UTF-16 code units
    assert [to_js(text, i) for i in range(5)] == [0, 2, 3, 4, 5]
    assert [from_js(text, j) for j in range(6)] == [0, None, 1, 2, 3, 4]
    assert len(text.encode("utf-16-le")) // 2 == to_js(text, len(text))


def test_preannotate_refuses_another_version_without_force(tmp_path, capsys):
    ann = tmp_path / "annotations"
    shutil.copytree(ROOT / "annotations", ann)
    for p in (ann / "gold").glob(f"{SEED_ID}-0[67].*"):
        p.unlink()
    args = ["preannotate", "--baseline", "rules", "--seeds", str(SEEDS), "--annotations", str(ann)]
    assert main(args) == 0
    folder = ann / "silver" / "rules"
    assert sorted(p.name for p in folder.glob("*.ann")) == [f"{SEED_ID}-06.ann", f"{SEED_ID}-07.ann"]
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    (folder / "model.json").write_text(json.dumps({**meta, "version": "old"}), encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    assert "holds version 'old'" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert json.loads((folder / "model.json").read_text(encoding="utf-8"))["version"] == meta["version"]


def test_preannotate_with_a_python_callable_records_its_name_and_version(tmp_path, monkeypatch, capsys):
    (tmp_path / "my_ner.py").write_text(
        "def recognise(text):\n"
        "    i = text.find('高新区')\n"
        "    return [] if i < 0 else [(i, i + 3, 'GPE')]\n"
        "recognise.version = '2.0'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    ann = tmp_path / "annotations"
    (ann / "gold").mkdir(parents=True)
    assert main(["preannotate", "--python", "my_ner:recognise", "--seeds", str(SEEDS), "--annotations", str(ann)]) == 0
    folder = ann / "silver" / "my_ner_recognise"
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    assert (meta["model"], meta["version"]) == ("my_ner:recognise", "2.0")
    out = tmp_path / "corpus"
    write_corpus(SEEDS, out, ann / "gold", progress=False, silver=ann / "silver")
    arts = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(a["annotation"] == "silver" and a["annotator"] == {"model": "my_ner:recognise", "version": "2.0"}
               for a in arts)
    # one span per sentence holding 高新区, at its first occurrence there
    for a in arts:
        want = []
        for s in a["sentences"]:
            i = a["text"].find("高新区", s["start"], s["end"])
            if i >= 0 and i + 3 <= s["end"]:
                want.append((i, i + 3))
        assert [(e["start"], e["end"]) for e in a["entities"]] == want


def test_silver_for_a_page_that_is_not_built_is_refused(tmp_path):
    """Like gold, silver annotation of a page the build does not have (a renamed or removed seed) is an
    error naming the file, not silently left out."""
    d = _silver(tmp_path / "silver", "m", "m", aid="gone-01")
    with pytest.raises(AnnotationError, match="gone-01.ann: annotation for page gone, which is not among the pages"):
        write_corpus(SEEDS, tmp_path / "corpus", GOLD, progress=False, silver=tmp_path / "silver")
    assert not (tmp_path / "corpus").exists() and (d / "gone-01.ann").is_file()


def test_status_counts_passes_not_made_yet_as_empty_and_needs_the_folder(tmp_path, capsys):
    ann = tmp_path / "annotations"
    (ann / "gold").mkdir(parents=True)  # no pass1/, pass2/ nor silver/ yet
    assert main(["status", "--seeds", str(SEEDS), "--annotations", str(ann), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["pass1"], row["pass2"], row["agreement"], row["adjudicated"]) == (0, 0, None, False)
    assert {i["status"] for i in row["items"]} == {"none"} and row["total"] == len(row["items"]) > 0
    assert main(["status", "--seeds", str(SEEDS), "--annotations", str(tmp_path / "missing")]) == 1
    assert "missing:-: annotation folder not found" in capsys.readouterr().err


def test_annotation_commands_take_default_paths_from_the_project_root(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no seeds/ nor annotations/ here
    assert main(["status", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    gold = sorted(p.stem for p in (ROOT / "annotations" / "gold").glob("*.ann"))
    assert row["page"] == SEED_ID and [i["id"] for i in row["items"] if i["status"] == "gold"] == gold
    out = tmp_path / "tasks.json"
    assert main(["labelstudio", "export", "--pages", SEED_ID, "--out", str(out)]) == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["item_id"] for t in tasks] == [i["id"] for i in row["items"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.json"]


def test_annotation_writers_refuse_a_corpus_folder(tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "corpus", other)
    before = sorted(p.relative_to(other) for p in other.rglob("*"))
    assert main(["labelstudio", "export", "--pages", SEED_ID, "--seeds", str(SEEDS),
                 "--out", str(other / "t.json")]) == 1
    assert f"labelstudio export would write into the corpus folder {other}" in capsys.readouterr().err
    assert main(["preannotate", "--baseline", "rules", "--seeds", str(SEEDS), "--annotations", str(other)]) == 1
    assert f"preannotate would write into the corpus folder {other}" in capsys.readouterr().err
    export = tmp_path / "export.json"
    export.write_text("[]", encoding="utf-8")
    assert main(["labelstudio", "import", str(export), "--pass", "pass1", "--seeds", str(SEEDS),
                 "--annotations", str(other)]) == 1
    assert f"labelstudio import would write into the corpus folder {other}" in capsys.readouterr().err
    assert sorted(p.relative_to(other) for p in other.rglob("*")) == before


def test_validate_checks_the_status_counts_and_counts_gold_entities_only(tmp_path):
    """A corpus with silver, gold-less and gold items is valid as built; its manifest's entity counts are
    the gold entities of the files (hand count below), and a status count that disagrees is reported."""
    from gaoxin_news.build.validate import validate_folder

    text = _first(ROOT / "corpus" / "articles.jsonl")["text"]
    i = text.index("烟台高新区")
    _silver(tmp_path / "silver", "m", "m", f"T1\tGPE {i} {i + 5}\t烟台高新区\n")
    gold = tmp_path / "gold"
    gold.mkdir()
    for p in GOLD.glob(f"{SEED_ID}-0[2-5].*"):  # items 02-05 gold, 01 silver, the others not annotated
        shutil.copy(p, gold / p.name)
    out = tmp_path / "corpus"
    write_corpus(SEEDS, out, gold, progress=False, silver=tmp_path / "silver")
    assert validate_folder(out) == []
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    n_gold = sum(1 for p in gold.glob("*.ann") for line in p.read_text(encoding="utf-8").splitlines()
                 if line.startswith("T"))
    assert (man["counts"]["entities"], man["counts"]["gold.entities"]) == (n_gold, n_gold)
    assert (man["counts"]["silver.items"], man["counts"]["silver.entities"], man["counts"]["gold.items"]) == (1, 1, 4)
    assert sum(man["entity_counts"].values()) == n_gold
    man["counts"]["silver.items"] = 2
    (out / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert validate_folder(out) == [f"{out / 'manifest.json'}: counts.silver.items is 2, the files hold 1"]
