"""No gold is lost without a word, and bad input of every kind gets a located one-line error instead of
a traceback: the seeds manifest must match the pages, annotation files must name built articles,
defaults do not depend on the working directory, and sizes are bounded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLD, ROOT, SEED_FILE, SEED_ID, SEEDS
from gaoxin_news.build.executor import write_corpus
from gaoxin_news.build.exports import ExportError, page_conll, write_brat_page
from gaoxin_news.cli import main
from gaoxin_news.corpus.annotations import load_annotation_dir
from gaoxin_news.errors import GaoxinError, InputError
from gaoxin_news.schema.records import Article, SentenceRecord


def _build(seeds: Path, out: Path, ann: Path | None = GOLD, *extra: str) -> list[str]:
    args = ["build", "--seeds", str(seeds), "--out", str(out), "-q", *extra]
    return [*args, "--annotations", str(ann)] if ann else [*args, "--no-annotations"]


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("gaoxin-news: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------------------------------------------
# the seeds manifest matches the pages one to one
# ---------------------------------------------------------------------------------------------------
def test_renamed_seed_without_manifest_update(seeds_copy, tmp_path, capsys):
    (seeds_copy / SEED_FILE.name).rename(seeds_copy / "renamed.txt")
    assert main(_build(seeds_copy, tmp_path / "c")) == 1
    err = _one_line_error(capsys)
    assert f"manifest.jsonl:1: lists '{SEED_FILE.name}', which is not in {seeds_copy}" in err
    assert not (tmp_path / "c").exists()


def test_seed_without_manifest_line(seeds_copy, tmp_path, capsys):
    shutil.copy(SEED_FILE, seeds_copy / "new_page.txt")
    assert main(_build(seeds_copy, tmp_path / "c")) == 1
    assert f"{seeds_copy / 'new_page.txt'}:-: no line in {seeds_copy / 'manifest.jsonl'}" in _one_line_error(capsys)


def test_two_manifest_lines_for_one_file(seeds_copy, tmp_path, capsys):
    man = seeds_copy / "manifest.jsonl"
    line = man.read_text(encoding="utf-8").splitlines()[0]
    other = json.loads(line)
    other["id"] = "another_id"
    man.write_text(line + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    assert main(_build(seeds_copy, tmp_path / "c")) == 1
    assert f"manifest.jsonl:2: second line for '{SEED_FILE.name}' (first on line 1)" in _one_line_error(capsys)


@pytest.mark.parametrize("content, expected", [
    (b'{"id": "x", "id": "y"}\n', "manifest.jsonl:1: malformed JSON: duplicate key 'id'"),
    ("{\"id\": \"高\"}\n".encode("gbk"), "manifest.jsonl:1: not UTF-8: byte 0xb8 at byte offset 8 (byte 9 of the line)"),
])
def test_bad_manifest_bytes(seeds_copy, tmp_path, capsys, content, expected):
    (seeds_copy / "manifest.jsonl").write_bytes(content)
    assert main(_build(seeds_copy, tmp_path / "c")) == 1
    err = _one_line_error(capsys)
    assert expected in err
    if b'"id", "id"' in content.replace(b'"x", ', b""):
        assert "duplicate key" in err


def test_page_name_that_is_not_an_id(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / "page one.txt")
    assert main(_build(seeds, tmp_path / "c", None)) == 1
    assert "page one.txt:-: file name 'page one' is not a page id" in _one_line_error(capsys)


# ---------------------------------------------------------------------------------------------------
# annotation files
# ---------------------------------------------------------------------------------------------------
def test_missing_annotation_folder(tmp_path, capsys):
    assert main(_build(SEEDS, tmp_path / "c", tmp_path / "no_such_folder")) == 1
    assert "no_such_folder:-: annotation folder not found" in _one_line_error(capsys)
    assert not (tmp_path / "c").exists()


def test_the_folder_above_the_annotation(tmp_path, capsys):
    """--annotations naming the folder that holds the passes and gold/ (not one annotation) would
    build with no gold at all: an error naming the subfolders instead."""
    ann = tmp_path / "annotations"
    shutil.copytree(GOLD, ann / "gold")
    assert main(_build(SEEDS, tmp_path / "c", ann)) == 1
    err = _one_line_error(capsys)
    assert "annotations:-: holds no .ann file itself, but its subfolders gold do" in err
    assert not (tmp_path / "c").exists()


@pytest.fixture
def gold_copy(tmp_path) -> Path:
    dst = tmp_path / "gold"
    shutil.copytree(GOLD, dst)
    return dst


@pytest.mark.parametrize("name, problem", [
    ("other_page-01.ann", "annotation for page other_page, which is not among the pages of this build"),
    (f"{SEED_ID}-1.ann", "file name is not '<source id>-<NN>.ann'"),
    ("notes.ann", "file name is not '<source id>-<NN>.ann'"),
    (f"{SEED_ID} 01.ann", "file name is not '<source id>-<NN>.ann'"),
])
def test_annotation_files_the_build_cannot_place(gold_copy, tmp_path, capsys, name, problem):
    shutil.copy(gold_copy / f"{SEED_ID}-01.ann", gold_copy / name)
    assert main(_build(SEEDS, tmp_path / "c", gold_copy)) == 1
    err = capsys.readouterr().err
    assert f"{gold_copy / name}: {problem}" in err and "Traceback" not in err


@pytest.mark.parametrize("field, shown", [("GPE 1² 5", "GPE 1² 5"), ("GPE 0 x", "GPE 0 x"), ("GPE -1 3", "GPE -1 3")])
def test_bad_offset_fields(gold_copy, field, shown):
    ann = gold_copy / f"{SEED_ID}-02.ann"
    ann.write_text(f"T1\t{field}\t烟台高新区\n", encoding="utf-8")
    _, problems = load_annotation_dir(gold_copy)
    assert problems == [f"{ann}:1: T1: bad type/offset field {shown!r} (expected '<TYPE> <start> <end>', "
                        "offsets in ASCII digits)"]


def test_non_utf8_annotation(gold_copy):
    ann = gold_copy / f"{SEED_ID}-02.ann"
    data = ann.read_bytes()
    nl = data.index(b"\n")
    ann.write_bytes(data[:nl + 1] + "烟台".encode("gbk") + data[nl + 1:])
    _, problems = load_annotation_dir(gold_copy)
    assert problems == [f"{ann}:2: not UTF-8: byte 0xd1 at byte offset {nl + 1}"]


def test_emptied_annotation_file_is_reported_as_a_drop(built_corpus, gold_copy, tmp_path, capsys):
    out = tmp_path / "corpus"
    shutil.copytree(built_corpus, out)
    ann = gold_copy / f"{SEED_ID}-01.ann"
    n = sum(1 for line in ann.read_text(encoding="utf-8").splitlines() if line.startswith("T"))
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["entities"]
    ann.write_text("", encoding="utf-8")
    assert main(_build(SEEDS, out, gold_copy)) == 0
    assert (f"warning: the gold entity count dropped from {before} to {before - n} ({n} fewer) against "
            "the previous corpus") in capsys.readouterr().out
    assert main(_build(SEEDS, out, GOLD)) == 0
    assert f"gold entities: {before}, {n} more than the previous corpus ({before - n})" in capsys.readouterr().out


@pytest.mark.parametrize("content, expected", [
    ("article_id\tstart\tend\tlabel\ttext\tpass1\tpass2\tdecision\trationale\n"
     f"{SEED_ID}-01\t1²\t3\tGPE\tx\t-\tGPE\taccept\twhy\n", "adjudication.tsv:2: start and end must be numbers"),
    ("article_id\tstart\tend\n", "adjudication.tsv:1: header lacks the column(s) label, text"),
    ("article_id\tstart\tend\tlabel\ttext\tpass1\tpass2\tdecision\trationale\n"
     f"{SEED_ID}-01\t1\t3\tGPE\n", "adjudication.tsv:2: expected 9 TAB-separated fields"),
    ("article_id\tstart\tend\tlabel\ttext\tpass1\tpass2\tdecision\trationale\n"
     f"{SEED_ID}-01\t1\t3\tGPE\tx\t-\tGPE\tmaybe\twhy\n", "adjudication.tsv:2: decision must be accept or reject"),
])
def test_malformed_adjudication_file(tmp_path, capsys, content, expected):
    root = tmp_path / "annotations"
    shutil.copytree(ROOT / "annotations", root)
    (root / "adjudication.tsv").write_text(content, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (root / "gold").iterdir()}
    assert main(["adjudicate", "--annotations", str(root)]) == 1
    assert expected in _one_line_error(capsys)
    assert {p.name: p.read_bytes() for p in (root / "gold").iterdir()} == before


# ---------------------------------------------------------------------------------------------------
# defaults resolve against the project root
# ---------------------------------------------------------------------------------------------------
def test_defaults_do_not_depend_on_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--check"]) == 0  # the committed corpus, gold included, against root seeds/ and gold
    assert capsys.readouterr().out.strip() == f"{ROOT / 'corpus'} is up to date"
    assert main(["validate"]) == 0
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------------
# bounded resources, cut messages
# ---------------------------------------------------------------------------------------------------
def test_page_size_limit(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / "p.txt")
    size = SEED_FILE.stat().st_size
    assert main(_build(seeds, tmp_path / "c", None, "--max-page-bytes", str(size - 1))) == 1
    assert f"p.txt:-: {size} bytes, more than the limit of {size - 1} bytes for one page" in _one_line_error(capsys)
    write_corpus(seeds, tmp_path / "c", None, progress=False, max_page_bytes=size)


def test_prediction_line_limit_and_cut_ids(built_corpus, tmp_path, capsys):
    pred = tmp_path / "p.jsonl"
    with open(pred, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "x" * 3000, "entities": []}) + "\n")
    assert main(["evaluate", "--corpus", str(built_corpus), "--pred", str(pred)]) == 1
    err = _one_line_error(capsys)
    assert "unknown sentence id 'xxx" in err and "(2920 more characters)" in err and len(err) < 400
    assert main(["evaluate", "--corpus", str(built_corpus), "--pred", str(pred), "--max-line-bytes", "1000"]) == 1
    assert f"{pred}:1: line longer than 1000 bytes" in _one_line_error(capsys)


def test_a_huge_line_is_not_read_whole(built_corpus, tmp_path):
    """64 MB on one line: refused after the first MiB (Python's peak allocation, traced, stays far below)."""
    pred = tmp_path / "p.jsonl"
    with open(pred, "wb") as f:
        f.write(b'{"id": "')
        for _ in range(64):
            f.write(b"x" * (1 << 20))
        f.write(b'"}\n')
    code = ("import tracemalloc\n"
            "from gaoxin_news.cli import main\n"
            "tracemalloc.start()\n"
            f"rc = main(['evaluate', '--corpus', {str(built_corpus)!r}, '--pred', {str(pred)!r}])\n"
            "print(rc, tracemalloc.get_traced_memory()[1])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    rc, peak = r.stdout.split()
    assert rc == "1" and "line longer than 1048576 bytes" in r.stderr
    assert int(peak) < 20 << 20, "the whole line was read"


def test_error_lines_are_cut(tmp_path, capsys):
    seeds = tmp_path / ("s" * 3000)
    assert main(["validate", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert all(len(line) <= 1100 for line in err.splitlines())


# ---------------------------------------------------------------------------------------------------
# exports write "\n" only and escape nothing silently
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"])
def test_exports_refuse_a_line_break_inside_a_sentence(tmp_path, char):
    text = f"高新区{char}发展"
    sent = SentenceRecord(id="p-01-001", article_id="p-01", role="paragraph", text=text, tokens=list(text),
                          ner_tags=["O"] * len(text), entities=[], annotation="gold", annotator=None)
    with pytest.raises(ExportError) as e:
        page_conll([sent.model_dump()])
    assert str(e.value).startswith(f"sentence p-01-001: character 3 is U+{ord(char):04X} (")
    art = Article(id="p-01", source_id="p", kind="brief", title=None, kicker=None, column=None, zone=None,
                  authors=[], dateline=None, photo_credit=None, text=text,
                  blocks=[{"role": "paragraph", "start": 0, "end": len(text), "source_spans": [(0, len(text))]}],
                  sentences=[{"id": "p-01-001", "start": 0, "end": len(text), "role": "paragraph"}], entities=[],
                  annotation="gold", annotator=None)
    with pytest.raises(ExportError):
        write_brat_page(tmp_path, "p", [art.model_dump()])
    assert not list(tmp_path.rglob("*.txt"))
    assert isinstance(e.value, GaoxinError) and not isinstance(e.value, InputError)


def test_exports_hold_only_newline_line_ends(built_corpus):
    for p in (built_corpus / "exports").rglob("*"):
        if p.is_file():
            data = p.read_bytes().decode("utf-8")
            assert data.splitlines() == data.split("\n")[: len(data.splitlines())], p
            assert "\r" not in data


def test_a_parallel_build_reports_a_worker_error(tmp_path):
    """An error raised in a worker process crosses back to the command (it pickles) instead of
    hanging the pool."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / "a.txt")
    (seeds / "b.txt").write_bytes("本报讯".encode("gbk"))
    r = subprocess.run([sys.executable, "-m", "gaoxin_news.cli", "build", "--seeds", str(seeds), "--out",
                        str(tmp_path / "c"), "--no-annotations", "-q", "-j", "2"],
                       capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"gaoxin-news: error: {seeds / 'b.txt'}:1:1: not UTF-8")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("data, expected", [
    ("本报讯 高新区 2024\n".encode("utf-16"), "p.txt:1:1: UTF-16 text (byte order mark FF FE), not UTF-8"),
    ("本报讯 高新区 2024\n".encode("utf-32"), "p.txt:1:1: UTF-32 text (byte order mark FF FE 00 00), not UTF-8"),
    ("Gaoxin news 2024 高新区\n".encode("utf-16-le"), "p.txt:1:1: UTF-16 text without a byte order mark"),
])
def test_utf16_page_is_named_as_such(data, expected):
    from gaoxin_news.corpus.sources import decode_page

    with pytest.raises(InputError) as e:
        decode_page(data, "p.txt")
    assert str(e.value).startswith(expected) and "NUL" not in str(e.value).split("(")[0]


def test_evaluate_on_a_corpus_with_bytes_that_are_not_utf8(built_corpus, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(built_corpus, corpus)
    path = corpus / "sentences.jsonl"
    data = path.read_bytes()
    second = data.index(b"\n") + 1
    path.write_bytes(data[:second + 3] + b"\xff" + data[second + 4:])
    pred = tmp_path / "p.jsonl"
    pred.write_text("", encoding="utf-8")
    assert main(["evaluate", "--corpus", str(corpus), "--pred", str(pred)]) == 1
    assert f"{path}:2: not UTF-8: byte 0xff at byte offset {second + 3} (byte 4 of the line)" in _one_line_error(capsys)
