"""`gaoxin-news release X.Y.Z`, run on a temporary copy of the repository (never on the real tree)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from cffconvert import Citation

from conftest import ROOT
from gaoxin_news.cli import main
from gaoxin_news.project import read_version, releases
from packaging.version import Version

#: What a release reads and writes; the rest of the repository (tests, scripts, .venv, .git) is not copied.
PARTS = ["pyproject.toml", "README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "docs", "seeds", "annotations",
         "src", "corpus", "results", "DATASHEET.md", ".gitignore"]
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".tmp-build-*", ".check-*")
#: the next minor and patch versions after the package's own (the release under test)
_V = Version(read_version(ROOT))
MINOR = f"{_V.major}.{_V.minor + 1}.0"
PATCH = f"{_V.major}.{_V.minor}.{_V.micro + 1}"
NOTES = "### Fixed\n\n- The span of an entity, corrected under the existing guidelines.\n"


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for name in ("CHANGELOG.md", "CITATION.cff", "src/gaoxin_news/__init__.py", "corpus/manifest.json",
                         "corpus/README.md")
            for p in [root / name]}


@pytest.fixture
def repo(tmp_path) -> Path:
    dst = tmp_path / "repo"
    dst.mkdir()
    for name in PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=IGNORE)
        elif src.is_file():
            shutil.copy2(src, dst / name)
    # the copy starts with nothing under Unreleased, whatever the real tree has pending
    log = dst / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8")
    log.write_text(re.sub(r"^## \[Unreleased\]\n.*?(?=^## \[)", "## [Unreleased]\n\n", text, count=1,
                          flags=re.S | re.M), encoding="utf-8")
    _git(dst, "init", "-q")
    _commit(dst)
    return dst


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           *args], check=True, capture_output=True, text=True).stdout


def _commit(repo: Path) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "state")


def _add_notes(repo: Path, notes: str = NOTES) -> None:
    """Put ``notes`` under the Unreleased heading of the copy (which the fixture leaves empty)."""
    log = repo / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n{notes}", 1), encoding="utf-8")
    _commit(repo)


def test_release_on_a_copy(repo, capsys):
    real = _digest(ROOT)
    _add_notes(repo)
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n<!-- bibtex:start -->\n<!-- bibtex:end -->\n",
                      encoding="utf-8")
    _commit(repo)
    old = read_version(repo)

    assert main(["release", MINOR, "--date", "2030-01-02", "--root", str(repo)]) == 0
    out = capsys.readouterr().out

    # the single version source, the changelog, the citation
    assert read_version(repo) == MINOR
    log = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [Unreleased]\n\n## [{MINOR}] - 2030-01-02\n\n{NOTES}\n## [{old}] - " in log
    assert [r.version for r in releases(repo)][:2] == [MINOR, old]
    cff_text = (repo / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(cff_text)
    assert (cff["version"], cff["date-released"]) == (MINOR, "2030-01-02")
    Citation(cff_text).validate()
    assert f"version = {{{MINOR}}}" in readme.read_text(encoding="utf-8").split("<!-- bibtex:start -->")[1]

    # the rebuilt corpus: manifest, card, datasheet, Croissant
    corpus = repo / "corpus"
    assert json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["version"] == MINOR
    card = (corpus / "README.md").read_text(encoding="utf-8")
    assert f"**Version {MINOR}**, released 2030-01-02" in card and f'revision="v{MINOR}"' in card
    assert f"Changes in {MINOR}:" in card and "corrected under the existing guidelines" in card
    assert "@misc{gaoxin_news_" + MINOR.replace(".", "_") + "," in card
    assert f"# Datasheet: gaoxin-news {MINOR}" in (corpus / "DATASHEET.md").read_text(encoding="utf-8")
    croissant = json.loads((corpus / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == MINOR and croissant["datePublished"].startswith("2030-01-02")

    # the top-level datasheet is regenerated
    assert (repo / "DATASHEET.md").read_text(encoding="utf-8") == (corpus / "DATASHEET.md").read_text(encoding="utf-8")

    # git commands are printed, never run; 'git add' names every changed file (as git itself sees them)
    assert re.search(rf"^\s*git tag -a v{re.escape(MINOR)} ", out, re.M)
    assert _git(repo, "log", "--format=%s") == "state\nstate\nstate\n"
    added = re.search(r"^\s*git add (.*)$", out, re.M)[1].split()
    status = {line[3:].split("/")[0] if line[3:].startswith("corpus/") else line[3:]
              for line in _git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()}
    assert set(added) == status and {"DATASHEET.md", "corpus", "CITATION.cff", "README.md"} <= status
    assert not list(repo.glob(".tmp-*"))
    assert _digest(ROOT) == real, "the real tree was changed"


@pytest.mark.parametrize("version,message", [
    ("0.1.0", "not later than"),
    ("0.0.9", "not later than"),
    ("1.0", "not a semantic version"),
    ("v1.0.0", "not a semantic version"),
    ("01.0.0", "not a semantic version"),
    ("1.0.0rc1", "not a semantic version"),
    ("1.0.0+local", "not a semantic version"),
    ("1!1.0.0", "not a semantic version"),
    ("1.0.0.0", "not a semantic version"),
])
def test_refuses_a_version_that_is_not_a_later_semver(repo, capsys, version, message):
    _add_notes(repo)
    before = _digest(repo)
    assert main(["release", version, "--root", str(repo)]) == 1
    assert message in capsys.readouterr().err
    assert _digest(repo) == before


def test_refuses_a_release_without_changelog_notes(repo, capsys):
    _add_notes(repo, "")  # an empty Unreleased section
    before = _digest(repo)
    assert main(["release", PATCH, "--date", "2030-01-02", "--root", str(repo)]) == 1
    assert f"record the changes of {PATCH} there first" in capsys.readouterr().err
    assert _digest(repo) == before


def test_refuses_a_date_before_the_previous_release(repo, capsys):
    _add_notes(repo)
    assert main(["release", PATCH, "--date", "2000-01-01", "--root", str(repo)]) == 1
    assert "before the previous release" in capsys.readouterr().err
    assert main(["release", PATCH, "--date", "2030-13-01", "--root", str(repo)]) == 1
    assert "not a date" in capsys.readouterr().err


def test_refuses_a_folder_that_is_not_the_repository(tmp_path, capsys):
    assert main(["release", "9.0.0", "--root", str(tmp_path)]) == 1
    assert "not the repository root" in capsys.readouterr().err


def _tree(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(repo).parts}


def test_refuses_a_dirty_tree(repo, capsys):
    _add_notes(repo)
    shutil.copy(repo / "seeds" / "000_af9ed2a9fbe09997.txt", repo / "seeds" / "001_untracked.txt")
    before = _tree(repo)
    assert main(["release", MINOR, "--date", "2030-01-02", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "the working tree is not clean (?? seeds/001_untracked.txt)" in err and err.count("\n") == 1
    assert _tree(repo) == before


def test_refuses_a_folder_that_is_not_a_checkout(repo, capsys):
    _add_notes(repo)
    shutil.rmtree(repo / ".git")
    assert main(["release", MINOR, "--date", "2030-01-02", "--root", str(repo)]) == 1
    assert "git" in capsys.readouterr().err


def test_a_failing_build_writes_nothing_and_the_retry_works(repo, capsys):
    """Gold that no longer matches the text: the staged build fails; no file of the root changes (the
    version is not bumped, the changelog not dated), so the release can be retried after the fix."""
    _add_notes(repo)
    ann = repo / "annotations" / "gold" / "000_af9ed2a9fbe09997-02.ann"
    good = ann.read_text(encoding="utf-8")
    ann.write_text("T1\tGPE 0 2\t不是\n", encoding="utf-8")
    _commit(repo)
    before = _tree(repo)
    assert main(["release", MINOR, "--date", "2030-01-02", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "'gaoxin-news build --quiet' failed" in err and "000_af9ed2a9fbe09997-02.ann:1: T1: GPE 0-2" in err
    assert _tree(repo) == before
    assert not list(repo.glob(".tmp-*"))
    ann.write_text(good, encoding="utf-8")
    _commit(repo)
    assert main(["release", MINOR, "--date", "2030-01-02", "--root", str(repo)]) == 0
    assert read_version(repo) == MINOR
