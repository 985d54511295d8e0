"""CITATION.cff: valid CFF 1.2.0 (checked with cffconvert), type dataset, the current version and its
stored release date; the BibTeX entry derived from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cffconvert import Citation

from conftest import ROOT
from gaoxin_news import __version__
from gaoxin_news.publish.citation import CFF, bibtex, current_cff, render_cff, validate_cff
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import release_of

CFF_PATH = ROOT / CFF


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load(CFF_PATH.read_text(encoding="utf-8"))


def test_citation_cff_is_current():
    assert CFF_PATH.read_text(encoding="utf-8") == current_cff(ROOT), "run 'gaoxin-news release' or fix the template"


def test_fields(cff):
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["version"] == __version__
    assert cff["date-released"] == release_of(ROOT, __version__).date
    assert cff["authors"] and cff["title"]


def test_no_invented_repository_url(cff):
    """No public URL is known: the file names none rather than a placeholder."""
    for key in ("url", "repository-code", "repository", "repository-artifact"):
        assert cff.get(key) is None, key


def test_valid_according_to_cffconvert_api():
    Citation(CFF_PATH.read_text(encoding="utf-8")).validate()


def test_valid_according_to_cffconvert_cli():
    exe = Path(sys.executable).parent / "cffconvert"
    proc = subprocess.run([str(exe), "--validate", "-i", str(CFF_PATH)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_invalid_cff_is_rejected():
    text = render_cff("1.2.3", "2030-01-02").replace("type: dataset", "type: spreadsheet")
    with pytest.raises(GaoxinError, match="not valid Citation File Format"):
        validate_cff(text)


def test_release_date_is_stored_not_today():
    a = render_cff("9.9.9", "2001-02-03")
    assert 'date-released: "2001-02-03"' in a and 'version: "9.9.9"' in a
    assert render_cff("9.9.9", "2001-02-03") == a


def test_bibtex_entry():
    entry = bibtex(render_cff("1.2.3", "2030-01-02"))
    assert entry.startswith("@misc{gaoxin_news_1_2_3,\n")
    assert "  year = {2030}" in entry and "  version = {1.2.3}" in entry
    assert "  author = {{gaoxin-news maintainers}}" in entry  # an entity, not first/last names
    assert entry.count("{") == entry.count("}")
    assert "YourReferenceHere" not in entry
