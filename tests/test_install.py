"""The output folder is replaced whole or not at all: kill -9 at the switch, two builds at once, Ctrl-C,
a tampered manifest, stale temporary folders of killed builds, and folders that are not the build's
to replace. Nothing outside the output folder, nor inside the previous corpus, changes on failure."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GOLD, ROOT, SEED_FILE, SEEDS
from gaoxin_news.build.executor import MARKER, OLD, TMP_PREFIX, clean_stale_builds, write_corpus
from gaoxin_news.build.exports import finish_exports
from gaoxin_news.build.validate import validate_folder
from gaoxin_news.cli import main


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


#: The install does not depend on which files the writers add: the brat configuration stands for them
#: (the Parquet, card and Croissant writers take seconds).
FAST = [finish_exports]


def _build_cmd(seeds: Path, out: Path, go: Path | None = None) -> list[str]:
    """A build in a process of its own, through the build's public entry point; with ``go``, it starts
    building (imports done) only once that file exists."""
    code = ("import sys, time; from pathlib import Path\n"
            "from gaoxin_news.build.executor import write_corpus\n"
            "from gaoxin_news.build.exports import finish_exports\n"
            "from gaoxin_news.errors import GaoxinError\n"
            f"if {str(go)!r} != 'None':\n"
            "    print('ready', flush=True)\n"
            f"while {str(go)!r} != 'None' and not Path({str(go)!r}).exists():\n"
            "    time.sleep(0.001)\n"
            "try:\n"
            "    write_corpus(Path(sys.argv[1]), Path(sys.argv[2]), None, progress=False, writers=[finish_exports])\n"
            "except GaoxinError as e:\n"
            "    print(e, file=sys.stderr); sys.exit(1)\n")
    return [sys.executable, "-c", code, str(seeds), str(out)]


def _two_pages(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / "p1.txt")
    shutil.copy(SEED_FILE, seeds / "p2.txt")
    return seeds


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def previous(tmp_path) -> tuple[Path, Path]:
    """A seeds folder and a corpus built from its first page only (so a rebuild of two pages differs)."""
    seeds = _two_pages(tmp_path)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(seeds / "p1.txt", one / "p1.txt")
    out = tmp_path / "corpus"
    write_corpus(one, out, None, progress=False, writers=FAST)
    return seeds, out


def test_kill_9_the_moment_the_output_changes(previous, tmp_path):
    seeds, out = previous
    old = _tree(out)
    ino = out.stat().st_ino
    proc = subprocess.Popen(_build_cmd(seeds, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None:
            try:
                if out.stat().st_ino != ino:
                    break
            except FileNotFoundError:  # between two renames, where renameat2 is missing
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    # at every instant --out is the complete old corpus or the complete new one
    if not out.exists():
        assert clean_stale_builds(tmp_path)  # the next build puts the old one back first
    assert validate_folder(out) == []
    now = _tree(out)
    assert now == old or json.loads(now["manifest.json"])["counts"]["pages"] == 2
    # the killed build's temporary folder is removed by the next build, which succeeds
    write_corpus(seeds, out, None, progress=False, writers=FAST)
    assert not list(tmp_path.glob(TMP_PREFIX + "*"))
    assert validate_folder(out) == [] and json.loads((out / "manifest.json").read_text())["counts"]["pages"] == 2


def test_kill_9_while_building_leaves_the_previous_corpus(previous, tmp_path):
    seeds, out = previous
    old = _tree(out)
    proc = subprocess.Popen(_build_cmd(seeds, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            tmps = list(tmp_path.glob(TMP_PREFIX + "*/new/articles.jsonl"))
            if tmps:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    stale = list(tmp_path.glob(TMP_PREFIX + "*"))
    if stale:  # killed before the switch
        assert _tree(out) == old
        assert (stale[0] / MARKER).is_file()
    assert validate_folder(out) == []
    assert clean_stale_builds(tmp_path) == stale
    assert not list(tmp_path.glob(TMP_PREFIX + "*"))


def test_stale_folders_removed_only_with_the_marker_and_a_dead_owner(tmp_path):
    out = tmp_path / "corpus"
    dead, alive, foreign, other_tool = (tmp_path / f"{TMP_PREFIX}{n}" for n in ("dead", "alive", "foreign", "x"))
    for d in (dead, alive, foreign, other_tool):
        (d / "new").mkdir(parents=True)
        (d / "new" / "big.bin").write_bytes(b"0" * 100)
    (dead / MARKER).write_text(json.dumps({"pid": _dead_pid(), "start": None, "out": "corpus"}))
    (alive / MARKER).write_text(json.dumps({"pid": os.getpid(), "start": None, "out": "corpus"}))
    (other_tool / MARKER).write_text("not json")
    empty = tmp_path / f"{TMP_PREFIX}empty"  # killed between making the folder and marking it
    empty.mkdir()
    # a build killed between its two renames: the previous corpus waits in old/, --out is gone
    (dead / OLD).mkdir()
    (dead / OLD / "manifest.json").write_text('{"name": "gaoxin-news"}')
    assert clean_stale_builds(tmp_path) == [dead, empty]
    assert not dead.exists() and not empty.exists() and alive.exists() and foreign.exists() and other_tool.exists()
    assert (out / "manifest.json").read_text() == '{"name": "gaoxin-news"}'


def test_two_builds_into_one_folder(previous, tmp_path):
    """The second build starts the moment the first one has made its temporary folder: it is refused
    at once, the first one installs."""
    seeds, out = previous
    for n in range(3, 21):
        shutil.copy(SEED_FILE, seeds / f"p{n}.txt")
    go = tmp_path / "go"
    second = subprocess.Popen(_build_cmd(seeds, out, go), env=_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert second.stdout.readline() == "ready\n"  # imports done: it starts the moment it is told
    first = subprocess.Popen(_build_cmd(seeds, out), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while first.poll() is None and not list(tmp_path.glob(TMP_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.001)
    go.touch()
    _, err2 = second.communicate()
    first_running = first.poll() is None
    first.communicate()
    assert first.returncode == 0
    assert first_running, "the first build ended before the second one started: no overlap tested"
    assert second.returncode == 1
    assert err2.count("\n") == 1 and "Traceback" not in err2
    assert "another gaoxin-news build is writing into" in err2
    assert validate_folder(out) == []
    assert json.loads((out / "manifest.json").read_text())["counts"]["pages"] == 20
    assert not list(tmp_path.glob(TMP_PREFIX + "*"))


def test_a_second_build_is_refused_while_one_holds_the_lock(previous, tmp_path, capsys):
    seeds, out = previous
    old = _tree(out)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(tmp_path)!r}, os.O_RDONLY)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["build", "--seeds", str(seeds), "--out", str(out), "--no-annotations", "-q"]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"{out}: another gaoxin-news build is writing into {tmp_path} now" in err
    assert _tree(out) == old


def test_interrupted_build_changes_nothing(previous, tmp_path):
    seeds, out = previous
    before = _tree(tmp_path)

    def interrupt(folder, stats):
        assert (folder / "articles.jsonl").exists()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_corpus(seeds, out, None, progress=False, writers=[*FAST, interrupt])
    assert _tree(tmp_path) == before


def test_tampered_manifest_paths_are_never_acted_on(previous, tmp_path):
    seeds, out = previous
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine", encoding="utf-8")
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    info = man["files"]["articles.jsonl"]
    man["files"]["../victim/keep.txt"] = info
    man["files"][str(victim / "keep.txt")] = info
    man["folders"]["../victim"] = info
    man["folders"][str(victim)] = info
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    write_corpus(seeds, out, None, progress=False, writers=FAST)
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert validate_folder(out) == []


def test_a_broken_previous_corpus_is_replaced_whole(previous, tmp_path):
    """A folder in place of sentences.jsonl, stale exports: the new corpus is switched in whole."""
    seeds, out = previous
    (out / "sentences.jsonl").unlink()
    (out / "sentences.jsonl").mkdir()
    (out / "exports" / "brat" / "gone.txt").write_text("x", encoding="utf-8")
    (out / ".gitattributes").write_text("*.parquet binary\n", encoding="utf-8")
    write_corpus(seeds, out, None, progress=False, writers=FAST)
    assert validate_folder(out) == []
    assert not (out / "exports" / "brat" / "gone.txt").exists()
    assert (out / ".gitattributes").read_text(encoding="utf-8") == "*.parquet binary\n"  # not the build's: kept


def test_failed_build_changes_nothing_anywhere(previous, tmp_path, capsys):
    seeds, out = previous
    (seeds / "p3.txt").write_bytes("本报讯".encode("gbk"))
    before = _tree(tmp_path)
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "--no-annotations", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "p3.txt:1:" in err
    assert _tree(tmp_path) == before
    assert not list(tmp_path.glob(".*"))


# ---------------------------------------------------------------------------------------------------
# folders that are not the build's to replace
# ---------------------------------------------------------------------------------------------------
@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "README.md").write_text("# the project\n", encoding="utf-8")
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(GOLD, root / "annotations" / "gold")
    return root


@pytest.mark.parametrize("target, message", [
    (".", "is the repository root"),
    ("seeds", "must not be, hold or lie inside the seeds folder"),
    ("seeds/corpus", "must not be, hold or lie inside the seeds folder"),
    ("annotations/gold", "must not be, hold or lie inside the annotations folder"),
    ("annotations", "must not be, hold or lie inside the annotations folder"),
    ("docs", "neither empty nor a corpus folder made by gaoxin-news build"),
    ("README.md", "exists and is not a folder"),
])
def test_out_must_be_absent_empty_or_a_corpus(repo, target, message, capsys):
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text("notes\n", encoding="utf-8")
    before = _tree(repo.parent)
    args = ["build", "--seeds", str(repo / "seeds"), "--annotations", str(repo / "annotations" / "gold"),
            "--out", str(repo / target), "-q"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _tree(repo.parent) == before


def test_out_may_be_an_empty_folder_but_not_a_symlink(repo, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    args = ["build", "--seeds", str(repo / "seeds"), "--annotations", str(repo / "annotations" / "gold"), "-q"]
    assert main([*args, "--out", str(empty)]) == 0
    assert validate_folder(empty) == []
    link = tmp_path / "link"
    link.symlink_to(empty)
    assert main([*args, "--out", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err


def test_writers_refuse_a_corpus_folder(built_corpus, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(built_corpus, corpus)
    before = _tree(corpus)
    for args in (["predict", "--baseline", "rules", "--corpus", str(corpus), "--out", str(corpus / "sentences.jsonl")],
                 ["predict", "--baseline", "rules", "--corpus", str(corpus), "--out", str(corpus / "x" / "p.jsonl")],
                 ["schemas", "--out", str(corpus / "schemas")],
                 ["baselines", "--corpus", str(corpus), "--out", str(corpus), "--readme", str(tmp_path / "R.md")]):
        assert main(args) == 1, args
        err = capsys.readouterr().err
        assert "only 'gaoxin-news build' writes there" in err and err.count("\n") == 1
    assert _tree(corpus) == before
    assert main(["predict", "--baseline", "rules", "--corpus", str(corpus), "--out", str(tmp_path / "p.jsonl")]) == 0


def test_a_failed_build_leaves_no_parent_folder_it_made(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "p.txt").write_bytes("本报讯".encode("gbk"))
    out = tmp_path / "a" / "b" / "corpus"
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "--no-annotations", "-q"]) == 1
    assert "p.txt:1:1: not UTF-8" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]


def test_switch_without_renameat2(previous, monkeypatch):
    """Where renameat2 is missing, the two renames give the same result."""
    import gaoxin_news.build.executor as executor

    seeds, out = previous
    monkeypatch.setattr(executor, "_exchange", lambda a, b: False)
    write_corpus(seeds, out, None, progress=False, writers=FAST)
    assert validate_folder(out) == []
    assert json.loads((out / "manifest.json").read_text())["counts"]["pages"] == 2
    assert not list(out.parent.glob(TMP_PREFIX + "*"))


def test_renameat2_exchanges_two_folders(tmp_path):
    from gaoxin_news.build.executor import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from_a").touch()
    if not _exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available on this system")
    assert [p.name for p in b.iterdir()] == ["from_a"] and list(a.iterdir()) == []
