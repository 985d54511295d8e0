"""`gaoxin-news release X.Y.Z`, run on a temporary copy of the repository (never on the real tree)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from cffconvert import Citation

from conftest import ROOT
from gaoxin_news.cli import main
from gaoxin_news.project import read_version, releases

#: What a release reads and writes; the rest of the repository (tests, scripts, .venv, .git) is not copied.
PARTS = ["pyproject.toml", "README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "docs", "seeds", "annotations",
         "src", "corpus", "results"]
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".tmp-build-*", ".check-*")
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
    return dst


def _add_notes(repo: Path, notes: str = NOTES) -> None:
    """Make ``notes`` the whole Unreleased section of the copy (whatever the real one holds now)."""
    log = repo / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8")
    head, rest = text.split("## [Unreleased]\n", 1)
    log.write_text(f"{head}## [Unreleased]\n\n{notes}\n" + rest[rest.index("## ["):], encoding="utf-8")


def test_release_on_a_copy(repo, capsys):
    real = _digest(ROOT)
    _add_notes(repo)
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n<!-- bibtex:start -->\n<!-- bibtex:end -->\n",
                      encoding="utf-8")
    old = read_version(repo)

    assert main(["release", "0.2.0", "--date", "2030-01-02", "--root", str(repo)]) == 0
    out = capsys.readouterr().out

    # the single version source, the changelog, the citation
    assert read_version(repo) == "0.2.0"
    log = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [Unreleased]\n\n## [0.2.0] - 2030-01-02\n\n{NOTES}\n## [{old}] - " in log
    assert [r.version for r in releases(repo)][:2] == ["0.2.0", old]
    cff_text = (repo / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(cff_text)
    assert (cff["version"], cff["date-released"]) == ("0.2.0", "2030-01-02")
    Citation(cff_text).validate()
    assert "version = {0.2.0}" in readme.read_text(encoding="utf-8").split("<!-- bibtex:start -->")[1]

    # the rebuilt corpus: manifest, card, datasheet, Croissant
    corpus = repo / "corpus"
    assert json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    card = (corpus / "README.md").read_text(encoding="utf-8")
    assert "**Version 0.2.0**, released 2030-01-02" in card and 'revision="v0.2.0"' in card
    assert "Changes in 0.2.0:" in card and "corrected under the existing guidelines" in card
    assert "@misc{gaoxin_news_0_2_0," in card
    assert "# Datasheet: gaoxin-news 0.2.0" in (corpus / "DATASHEET.md").read_text(encoding="utf-8")
    croissant = json.loads((corpus / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == "0.2.0" and croissant["datePublished"].startswith("2030-01-02")

    # git commands are printed, never run
    assert re.search(r"^\s*git tag -a v0\.2\.0 ", out, re.M)
    assert not (repo / ".git").exists()
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
    assert main(["release", "0.1.1", "--date", "2030-01-02", "--root", str(repo)]) == 1
    assert "record the changes of 0.1.1 there first" in capsys.readouterr().err
    assert _digest(repo) == before


def test_refuses_a_date_before_the_previous_release(repo, capsys):
    _add_notes(repo)
    assert main(["release", "0.1.1", "--date", "2000-01-01", "--root", str(repo)]) == 1
    assert "before the previous release" in capsys.readouterr().err
    assert main(["release", "0.1.1", "--date", "2030-13-01", "--root", str(repo)]) == 1
    assert "not a date" in capsys.readouterr().err


def test_refuses_a_folder_that_is_not_the_repository(tmp_path, capsys):
    assert main(["release", "9.0.0", "--root", str(tmp_path)]) == 1
    assert "not the repository root" in capsys.readouterr().err
