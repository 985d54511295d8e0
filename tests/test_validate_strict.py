"""`validate` is as strict as the published schemas: no type coercion, no duplicate keys, every decode
error located by file, line and byte; the manifest's files and folders checked and unlisted files
reported; `build --check` reports extra files; `stats` of an invalid corpus reports, never a traceback.
A property test corrupts corpus files at random and checks that `validate` reports and never crashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOLD, SEEDS
from gaoxin_news.build.validate import validate_folder
from gaoxin_news.cli import main
from gaoxin_news.schema.records import Article


@pytest.fixture
def corpus(built_corpus, tmp_path) -> Path:
    out = tmp_path / "corpus"
    shutil.copytree(built_corpus, out)
    return out


def _edit_line(path: Path, n: int, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[n - 1] = edit(lines[n - 1])
    path.write_text("".join(lines), encoding="utf-8")


def _set_first_entity(field: str, value):
    def edit(line: str) -> str:
        obj = json.loads(line)
        obj["entities"][0][field] = value
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
    return edit


@pytest.mark.parametrize("field, make", [
    ("start", lambda v: str(v)),      # "start": "6"
    ("end", lambda v: float(v)),      # "end": 11.0
])
def test_types_are_not_coerced(corpus, field, make):
    path = corpus / "articles.jsonl"
    obj = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    original = obj["entities"][0][field]
    _edit_line(path, 1, _set_first_entity(field, make(original)))
    line = path.read_text(encoding="utf-8").splitlines()[0]
    assert Article.model_validate_json(line).entities[0].model_dump()[field] == original  # what coercion would accept
    problems = validate_folder(corpus)
    assert any(p.startswith(f"{path}:1: ") and f"entities.0.{field}" in p for p in problems), problems


def test_the_published_schema_rejects_what_validate_rejects():
    """The generated schema says 'integer' for offsets: a string or a float is not one."""
    schema = json.loads((SEEDS.parent / "schemas" / "article.schema.json").read_text(encoding="utf-8"))
    entity = schema["$defs"]["Entity"]["properties"]
    assert entity["start"]["type"] == entity["end"]["type"] == "integer"


def test_duplicate_keys(corpus):
    path = corpus / "sentences.jsonl"
    _edit_line(path, 2, lambda line: line.replace('{"id":', '{"role":"title","id":', 1))
    problems = validate_folder(corpus)
    assert any(p.startswith(f"{path}:2: ") and "duplicate key 'role'" in p for p in problems), problems


def test_truncated_inside_a_utf8_character(corpus):
    path = corpus / "articles.jsonl"
    data = path.read_bytes()
    cut = data.index("高".encode()) + 1  # the first byte of a three-byte character stays
    path.write_bytes(data[:cut])
    problems = validate_folder(corpus)
    line = data.count(b"\n", 0, cut) + 1
    assert any(p.startswith(f"{path}:{line}: not UTF-8") and f"at byte offset {cut - 1} " in p for p in problems), problems


def test_non_utf8_bytes_and_manifest(corpus):
    path = corpus / "sentences.jsonl"
    data = bytearray(path.read_bytes())
    second = data.index(b"\n") + 1
    data[second + 20] = 0xFF
    path.write_bytes(bytes(data))
    man = corpus / "manifest.json"
    mdata = man.read_bytes()
    man.write_bytes(mdata.replace(b'"gaoxin-news"', b'"gaoxin\xc0news"', 1))
    problems = validate_folder(corpus)
    assert f"{path}:2: not UTF-8: byte 0xff at byte offset {second + 20} (byte 21 of the line): invalid start byte" \
        in problems
    assert any(p.startswith(f"{man}:2: not UTF-8: byte 0xc0") for p in problems), problems


def test_utf16_manifest_is_reported_as_not_utf8(corpus):
    man = corpus / "manifest.json"
    man.write_bytes(man.read_text(encoding="utf-8").encode("utf-16"))
    problems = validate_folder(corpus)
    assert any(p.startswith(f"{man}:1: not UTF-8: byte 0xff at byte offset 0") for p in problems), problems


def test_manifest_paths_outside_the_folder_are_violations_never_opened(corpus, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    man = corpus / "manifest.json"
    m = json.loads(man.read_text(encoding="utf-8"))
    info = m["files"]["articles.jsonl"]
    m["files"]["../outside.txt"] = info
    m["files"][str(outside)] = info
    m["folders"]["../"] = info
    man.write_text(json.dumps(m), encoding="utf-8")
    problems = validate_folder(corpus)
    for rel in ("files.../outside.txt", f"files.{outside}", "folders.../"):
        assert f"{man}: {rel}: not a path inside the corpus folder" in problems
    assert outside.read_text(encoding="utf-8") == "x"


def test_exports_and_folders_listed_in_the_manifest_are_checked(corpus):
    brat = corpus / "exports" / "brat"
    page = next(brat.glob("*.ann"))
    page.write_text(page.read_text(encoding="utf-8") + "T999\tGPE 0 1\tx\n", encoding="utf-8")
    conll = corpus / "exports" / "ner.conll"
    conll.write_bytes(conll.read_bytes()[:-2])
    (corpus / "data" / "bogus").mkdir()
    (corpus / "data" / "bogus" / "train.parquet").write_bytes(b"PAR1")
    problems = validate_folder(corpus)
    man = corpus / "manifest.json"
    assert f"{man}: folders.exports/brat: digest or file count differs from the folder" in problems
    assert any(p.startswith(f"{man}: files.exports/ner.conll: sha256 ") for p in problems)
    assert f"{corpus}/data/bogus/train.parquet: not listed in manifest.json (a stale or foreign file)" in problems


def test_build_check_reports_extra_files(corpus, capsys):
    (corpus / "data" / "bogus").mkdir()
    (corpus / "data" / "bogus" / "x.parquet").write_bytes(b"PAR1")
    (corpus / "exports" / "brat" / "old_page.txt").write_text("旧\n", encoding="utf-8")
    (corpus / ".gitattributes").write_text("*.parquet binary\n", encoding="utf-8")  # hidden: not the corpus's
    args = ["build", "--check", "--seeds", str(SEEDS), "--out", str(corpus), "--annotations", str(GOLD)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "data/bogus/x.parquet: extra" in err and "exports/brat/old_page.txt: extra" in err
    assert ".gitattributes" not in err and "2 file(s) differ" in err


def test_stats_of_an_invalid_corpus_reports_the_violations(corpus, capsys):
    _edit_line(corpus / "articles.jsonl", 1, _set_first_entity("start", "6"))
    assert main(["stats", str(corpus)]) == 1
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and cap.out == ""
    assert "articles.jsonl:1: " in cap.err and "violation(s)" in cap.err.splitlines()[-1]


def test_validate_and_stats_of_a_missing_folder(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nothing")]) == 1
    assert main(["stats", str(tmp_path / "nothing")]) == 1
    assert "not a folder" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------------
# corruption at random: validate reports, never crashes
# ---------------------------------------------------------------------------------------------------
TARGETS = ["articles.jsonl", "sentences.jsonl", "manifest.json", "exports/ner.conll"]


def _json_values():
    return st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=True),
                     st.text(max_size=5), st.lists(st.integers(0, 3), max_size=3), st.just({"x": 1}))


def _retype(obj, path: list, value):
    """Replace the value at a path of keys/indices chosen by ``path`` (wrapping indices)."""
    cur = obj
    for i, step in enumerate(path):
        if isinstance(cur, dict) and cur:
            key = sorted(cur)[step % len(cur)]
            if i == len(path) - 1 or not isinstance(cur[key], (dict, list)) or not cur[key]:
                cur[key] = value
                return obj
            cur = cur[key]
        elif isinstance(cur, list) and cur:
            k = step % len(cur)
            if i == len(path) - 1 or not isinstance(cur[k], (dict, list)) or not cur[k]:
                cur[k] = value
                return obj
            cur = cur[k]
        else:
            return value
    return obj


corruption = st.one_of(
    st.tuples(st.just("truncate"), st.sampled_from(TARGETS), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.sampled_from(TARGETS), st.lists(st.tuples(st.floats(0, 0.999), st.integers(1, 255)),
                                                                 min_size=1, max_size=4)),
    st.tuples(st.just("retype"), st.sampled_from(TARGETS[:3]),
              st.tuples(st.integers(0, 200), st.lists(st.integers(0, 50), min_size=1, max_size=5), _json_values())),
    st.tuples(st.just("drop"), st.sampled_from(TARGETS), st.lists(st.integers(0, 10**6), min_size=1, max_size=3)),
    st.tuples(st.just("duplicate"), st.sampled_from(TARGETS[:2]), st.integers(0, 10**6)),
)


def _corrupt(folder: Path, how) -> None:
    kind, name, arg = how
    path = folder / name
    data = path.read_bytes()
    if not data:  # an earlier corruption emptied it
        return
    if kind == "truncate":
        path.write_bytes(data[: int(len(data) * arg)])
    elif kind == "flip":
        buf = bytearray(data)
        for where, mask in arg:
            buf[int(where * len(buf))] ^= mask
        path.write_bytes(bytes(buf))
    elif kind == "retype":
        line_no, keys, value = arg
        try:
            docs = [json.loads(data)] if name == "manifest.json" else [json.loads(x) for x in data.splitlines()]
        except ValueError:  # an earlier corruption left no JSON to retype
            return
        if name == "manifest.json":
            obj = _retype(json.loads(data), keys, value)
            path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        else:
            lines = data.decode().splitlines(keepends=True)
            k = line_no % len(lines)
            lines[k] = json.dumps(_retype(json.loads(lines[k]), keys, value), ensure_ascii=False) + "\n"
            path.write_text("".join(lines), encoding="utf-8")
    elif kind in ("drop", "duplicate"):
        lines = data.splitlines(keepends=True)
        for k in sorted({i % len(lines) for i in (arg if kind == "drop" else [arg])}, reverse=True):
            if kind == "drop":
                del lines[k]
            else:
                lines.insert(k, lines[k])
        path.write_bytes(b"".join(lines))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hows=st.lists(corruption, min_size=1, max_size=2))
def test_validate_reports_corruption_and_never_crashes(built_corpus, tmp_path_factory, hows):
    folder = tmp_path_factory.mktemp("corrupt") / "corpus"
    shutil.copytree(built_corpus, folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for how in hows:
        _corrupt(folder, how)
    changed = any(p.read_bytes() != b for p, b in before.items() if p.name != "manifest.json")
    man = folder / "manifest.json"
    try:  # the manifest hashes the other files, not itself: what counts is its content
        changed = changed or json.loads(man.read_bytes()) != json.loads(before[man])
    except ValueError:
        changed = True
    problems = validate_folder(folder)  # must not raise
    assert all(isinstance(p, str) and "\n" not in p and len(p) < 2000 for p in problems)
    if changed:  # the manifest hashes every file: any change of their bytes is a violation
        assert problems
    else:
        assert problems == []
