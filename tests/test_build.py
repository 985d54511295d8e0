"""The build: determinism, --check, atomic writes, many pages, --jobs, manifest."""

from __future__ import annotations

import hashlib
import json
import shutil

import jsonlines
import pytest

from conftest import GOLD, ROOT, SEED_FILE, SEEDS
from gaoxin_news import __version__
from gaoxin_news.publish.writers import WRITERS
from gaoxin_news.build.executor import check_corpus, write_corpus
from gaoxin_news.cli import main
from gaoxin_news.build.validate import validate_folder


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_rebuild_is_byte_identical(built_corpus, tmp_path):
    again = tmp_path / "corpus"
    write_corpus(SEEDS, again, GOLD, progress=False, writers=WRITERS)
    assert _files(again) == _files(built_corpus)


def test_committed_corpus_is_current():
    """corpus/ in the repository is exactly what a build of seeds/ and annotations/ gives."""
    assert check_corpus(SEEDS, ROOT / "corpus", GOLD, writers=WRITERS) == []


def test_check_detects_stale(built_corpus, tmp_path, capsys):
    out = tmp_path / "corpus"
    shutil.copytree(built_corpus, out)
    args = ["build", "--check", "--seeds", str(SEEDS), "--out", str(out), "--annotations", str(GOLD)]
    assert main(args) == 0
    with open(out / "sentences.jsonl", "a", encoding="utf-8") as f:
        f.write("\n")
    before = _files(out)
    assert main(args) == 1
    assert "sentences.jsonl: differs" in capsys.readouterr().err
    assert _files(out) == before  # --check writes nothing


def test_manifest(built_corpus):
    man = json.loads((built_corpus / "manifest.json").read_text(encoding="utf-8"))
    assert man["version"] == __version__
    assert man["sources"] == ["000_af9ed2a9fbe09997"]
    for rel, info in man["files"].items():
        data = (built_corpus / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"] and len(data) == info["bytes"]
    with jsonlines.open(built_corpus / "articles.jsonl") as r:
        arts = list(r)
    assert man["counts"]["articles"] == len(arts) == man["files"]["articles.jsonl"]["records"]
    assert man["counts"]["entities"] == sum(len(a["entities"]) for a in arts)
    assert man["label_scheme"][0] == "O"


def test_ids_are_stable_and_ordered(built_corpus):
    with jsonlines.open(built_corpus / "articles.jsonl") as r:
        ids = [a["id"] for a in r]
    assert ids == [f"000_af9ed2a9fbe09997-{n:02d}" for n in range(1, 8)]


def test_page_without_gold_in_a_folder_without_manifest(tmp_path):
    """Without seeds/manifest.jsonl, pages are identified by their file names; a page without gold
    gets no entities, the others keep theirs."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / "page_b.txt")
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    out = tmp_path / "corpus"
    write_corpus(seeds, out, GOLD, progress=False, writers=WRITERS)
    with jsonlines.open(out / "articles.jsonl") as r:
        arts = list(r)
    b = [a for a in arts if a["source_id"] == "page_b"]
    assert len(b) == 7 and b[0]["id"] == "page_b-01"
    assert all(a["entities"] == [] for a in b)
    assert all(a["entities"] for a in arts if a["source_id"] != "page_b" and a["kind"] != "photo")
    assert validate_folder(out) == []


def test_jobs_give_the_same_output(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(12):
        shutil.copy(SEED_FILE, seeds / f"p{n:03d}.txt")
    one, two = tmp_path / "one", tmp_path / "two"
    write_corpus(seeds, one, None, jobs=1, progress=False, writers=WRITERS)
    write_corpus(seeds, two, None, jobs=2, progress=False, writers=WRITERS)
    assert _files(one) == _files(two)
    man = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    assert man["counts"]["pages"] == 12 and man["counts"]["articles"] == 84


def test_files_no_longer_built_are_removed(built_corpus, tmp_path):
    out = tmp_path / "corpus"
    shutil.copytree(built_corpus, out)
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    man["files"]["exports/old.conll"] = man["files"]["exports/ner.conll"]
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    (out / "exports" / "old.conll").write_text("x", encoding="utf-8")
    (out / ".gitattributes").write_text("*.jsonl text\n", encoding="utf-8")
    write_corpus(SEEDS, out, GOLD, progress=False, writers=WRITERS)
    assert not (out / "exports" / "old.conll").exists()
    assert (out / ".gitattributes").exists()


def test_empty_seeds_folder(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    assert main(["build", "--seeds", str(tmp_path / "seeds"), "--out", str(tmp_path / "c"), "-q"]) == 1
    assert "no page" in capsys.readouterr().err


def test_records_are_compact_utf8_json(built_corpus):
    for name in ("articles.jsonl", "sentences.jsonl"):
        for line in (built_corpus / name).read_text(encoding="utf-8").splitlines():
            assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))


def test_annotation_for_an_article_the_build_does_not_produce(tmp_path):
    from gaoxin_news.errors import AnnotationError

    ann = tmp_path / "gold"
    shutil.copytree(GOLD, ann)
    shutil.copy(ann / "000_af9ed2a9fbe09997-07.ann", ann / "000_af9ed2a9fbe09997-08.ann")
    with pytest.raises(AnnotationError) as e:
        write_corpus(SEEDS, tmp_path / "corpus", ann, progress=False, writers=WRITERS)
    assert any("annotation for article 000_af9ed2a9fbe09997-08" in p for p in e.value.problems)


def test_manifest_lists_files_in_path_order_from_plain_names(tmp_path):
    """The manifest walks the folder with os.walk and sorts plain strings; the order and the files are
    those of pathlib (rglob, sorted as paths), also where '.' or '-' sorts before '/'."""
    from gaoxin_news.build.manifest import _files

    for rel in ("a/b", "a.b", "a-b/c", "a/b.c/d", "A", "data/ner/test.parquet", "data/ner-x", "exports/brat/x.txt",
                "exports/ner.conll", "z"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert _files(tmp_path) == expected
    assert expected.index("a/b") < expected.index("a.b")  # not the order of the strings
