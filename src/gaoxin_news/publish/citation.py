"""Citation metadata: ``CITATION.cff`` (Citation File Format 1.2.0) and the BibTeX entry derived from it.

``CITATION.cff`` is rendered from ``templates/CITATION.cff`` with the current version and its release
date from the changelog; :func:`bibtex` formats the same metadata, so the card, the README and the
CFF file cite the same thing. The file is validated with ``cffconvert``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from gaoxin_news import __version__
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import release_of
from gaoxin_news.templating import render

CFF = "CITATION.cff"


def render_cff(version: str, date: str) -> str:
    return render(CFF, version=version, date=date)


def current_cff(root: Path, version: str = __version__) -> str:
    """The CFF text for ``version`` (default: this package's) and its release date in the changelog."""
    return render_cff(version, release_of(root, version).date)


def validate_cff(text: str) -> None:
    """Raise :class:`GaoxinError` unless ``text`` is valid CFF, according to cffconvert."""
    try:
        from cffconvert import Citation
    except ImportError:
        raise GaoxinError("validating CITATION.cff needs cffconvert: pip install 'gaoxin-news[publish]'") from None
    try:
        Citation(text).validate()
    except Exception as e:  # cffconvert raises jsonschema/pykwalify errors of several kinds
        raise GaoxinError(f"{CFF}: not valid Citation File Format: {e}") from None


def bibtex_key(version: str) -> str:
    return "gaoxin_news_" + version.replace(".", "_")


def _braced(s: str) -> str:
    return s.replace("{", r"\{").replace("}", r"\}")


def bibtex(cff_text: str) -> str:
    """A ``@misc`` BibTeX entry for the dataset described by ``cff_text``.

    (cffconvert's own BibTeX output uses the placeholder key ``YourReferenceHere`` and drops the
    version, which a citation of a versioned dataset needs.) Authors that are entities (``name``)
    are double-braced so that BibTeX does not split them into first and last names.
    """
    cff = yaml.safe_load(cff_text)
    version, date = str(cff["version"]), str(cff["date-released"])
    authors = []
    for a in cff["authors"]:
        if "name" in a:
            authors.append("{" + _braced(a["name"]) + "}")
        else:
            authors.append(_braced(" ".join(x for x in (a.get("given-names"), a.get("family-names")) if x)))
    fields = [
        ("title", _braced(cff["title"])),
        ("author", " and ".join(authors)),
        ("year", date[:4]),
        ("version", version),
        ("note", f"Dataset, version {version}, released {date}"),
    ]
    url = cff.get("url") or cff.get("repository-code")
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{bibtex_key(version)},\n{body}\n}}"
