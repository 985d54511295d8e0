"""Bad input: a clear one-line error naming file and position, a non-zero exit, no partial output,
and the previous corpus untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SEED_FILE
from gaoxin_news.cli import main
from gaoxin_news.errors import InputError
from gaoxin_news.corpus.sources import decode_page

GBK = "本报讯 近日,高新区举办活动。".encode("gbk")


@pytest.mark.parametrize("data, where, message", [
    (GBK, ":1:", "not UTF-8"),
    (b"", ":1:1", "empty file"),
    (b"  \n\n \r\n", ":1:1", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3:1", "binary file: NUL byte at byte offset 8"),
    ("第一行\n\n第二行\x07响铃".encode(), ":3:4", "control character U+0007 at char 8"),
])
def test_decode_errors(data, where, message):
    with pytest.raises(InputError) as e:
        decode_page(data, "p.txt")
    assert str(e.value).startswith("p.txt")
    assert where in str(e.value) and message in str(e.value)
    assert "\n" not in str(e.value)


def test_bom_and_crlf_are_accepted(tmp_path, seed_text):
    from gaoxin_news.corpus.pipeline import process_page

    plain = process_page("p", seed_text)
    crlf_text = decode_page(b"\xef\xbb\xbf" + seed_text.replace("\n", "\r\n").encode(), "p.txt")
    assert not crlf_text.startswith("\ufeff")
    crlf = process_page("p", crlf_text)
    strip = lambda arts: [(a["kind"], a["title"], a["text"], [b["role"] for b in a["blocks"]]) for a in arts]  # noqa: E731
    assert strip(crlf.articles) == strip(plain.articles)


def _page_dir(tmp_path, data: bytes, name: str = "bad.txt"):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_good.txt").write_bytes(SEED_FILE.read_bytes())
    (seeds / name).write_bytes(data)
    return seeds


@pytest.mark.parametrize("data, expected", [
    (GBK, "bad.txt:1:"),
    (b"", "bad.txt:1:1: empty file"),
    (b"\x00\x01\x02binary", "bad.txt:1:1: binary file"),
    (b"12345 ... !!! ---\n\nabc def\n", "bad.txt:char 0: no recognisable item"),
])
def test_cli_reports_and_keeps_previous_corpus(tmp_path, data, expected, capsys):
    seeds = _page_dir(tmp_path, data)
    out = tmp_path / "corpus"
    # a good build first
    (seeds / "bad.txt").rename(tmp_path / "bad.txt")
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "--no-annotations", "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (tmp_path / "bad.txt").rename(seeds / "bad.txt")
    capsys.readouterr()
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "--no-annotations", "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert expected in err and "Traceback" not in err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-build-")]


def test_no_partial_output_on_fresh_failure(tmp_path, capsys):
    seeds = _page_dir(tmp_path, GBK)
    out = tmp_path / "corpus"
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "-q"]) == 1
    assert not out.exists()


def test_subprocess_exit_code_and_no_traceback(tmp_path):
    seeds = _page_dir(tmp_path, GBK)
    r = subprocess.run(
        [sys.executable, "-m", "gaoxin_news.cli", "build", "--seeds", str(seeds), "--out", str(tmp_path / "c"),
         "--no-annotations"],
        capture_output=True, text=True,
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("gaoxin-news: error: ") and "bad.txt:1:" in r.stderr and "not UTF-8" in r.stderr


def test_manifest_checksum_mismatch(seeds_copy, tmp_path, capsys):
    page = seeds_copy / SEED_FILE.name
    page.write_bytes(page.read_bytes() + "补充。\n".encode())
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(tmp_path / "c"), "-q"]) == 1
    assert "differs from the manifest" in capsys.readouterr().err


def test_bad_manifest_line(seeds_copy, tmp_path, capsys):
    (seeds_copy / "manifest.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(tmp_path / "c"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "manifest.jsonl:1:" in err and "file" in err
