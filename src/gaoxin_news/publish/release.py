"""``gaoxin-news release X.Y.Z``: cut a release of the corpus (see ``docs/VERSIONING.md``).

In the repository root it: checks that X.Y.Z is a semantic version later than the current one and
that the changelog has something under "Unreleased"; sets ``__version__`` (the single version
source); dates the changelog entry; rewrites ``CITATION.cff`` and the BibTeX block of ``README.md``
(between ``<!-- bibtex:start -->`` and ``<!-- bibtex:end -->``, when it has one); rebuilds and
validates ``corpus/`` (card, datasheet and Croissant metadata take the new version); and prints the
git commands that commit and tag the release. It never runs git.

The rebuild runs in a fresh interpreter on the repository's own source (``src/`` first on the path),
because the version is read when the package is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.publish.citation import CFF, bibtex, render_cff, validate_cff
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import (CHANGELOG, UNRELEASED, is_root, read_version, releases, replace_section, version_key,
                                 write_version)

README = "README.md"
BIBTEX_SECTION = "bibtex"


@dataclass(frozen=True)
class ReleasePlan:
    root: Path
    old: str
    new: str
    date: str


def plan(root: Path, version: str, date: str) -> ReleasePlan:
    """Check everything before anything is written."""
    if not is_root(root):
        raise GaoxinError(f"{root}: not the repository root (no seeds/ and pyproject.toml)")
    old = read_version(root)
    if version_key(version) <= version_key(old):
        raise GaoxinError(f"{version} is not later than the current version {old}")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise GaoxinError(f"{date!r} is not a date YYYY-MM-DD") from None
    known = releases(root)
    if any(r.version == version for r in known):
        raise GaoxinError(f"{root / CHANGELOG}: {version} is already released")
    if known and date < known[0].date:
        raise GaoxinError(f"release date {date} is before the previous release ({known[0].version}, {known[0].date})")
    if not unreleased_notes(root):
        raise GaoxinError(f"{root / CHANGELOG}: nothing under '{UNRELEASED}': record the changes of {version} there first")
    return ReleasePlan(root, old, version, date)


def _unreleased_span(text: str, path: Path) -> tuple[int, int]:
    start = text.find(UNRELEASED + "\n")
    if start < 0:
        raise GaoxinError(f"{path}: no '{UNRELEASED}' heading")
    body = start + len(UNRELEASED) + 1
    m = re.compile(r"^## ", re.M).search(text, body)
    return body, (m.start() if m else len(text))


def unreleased_notes(root: Path) -> str:
    path = root / CHANGELOG
    text = path.read_text(encoding="utf-8")
    a, b = _unreleased_span(text, path)
    return text[a:b].strip()


def dated_changelog(text: str, version: str, date: str, path: Path) -> str:
    """The changelog with the Unreleased notes moved under ``## [version] - date``, Unreleased left empty."""
    a, b = _unreleased_span(text, path)
    notes = text[a:b].strip()
    return text[:a] + f"\n## [{version}] - {date}\n\n{notes}\n\n" + text[b:]


def readme_bibtex(cff_text: str) -> str:
    return "```bibtex\n" + bibtex(cff_text) + "\n```\n"


def _run(root: Path, *args: str) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root / "src"), *filter(None, [env.get("PYTHONPATH")])])
    proc = subprocess.run([sys.executable, "-m", "gaoxin_news.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise GaoxinError(f"'gaoxin-news {' '.join(args)}' failed in {root}:\n{proc.stderr.strip()}")


def execute(p: ReleasePlan) -> list[str]:
    """Write the release; return the paths changed, relative to the root."""
    root = p.root
    cff = render_cff(p.new, p.date)
    validate_cff(cff)
    log_path = root / CHANGELOG
    log_path.write_text(dated_changelog(log_path.read_text(encoding="utf-8"), p.new, p.date, log_path),
                        encoding="utf-8")
    write_version(root, p.new)
    (root / CFF).write_text(cff, encoding="utf-8")
    changed = [CHANGELOG, "src/gaoxin_news/__init__.py", CFF]
    readme = root / README
    if readme.exists():
        new = replace_section(readme.read_text(encoding="utf-8"), BIBTEX_SECTION, readme_bibtex(cff))
        if new is not None:
            readme.write_text(new, encoding="utf-8")
            changed.append(README)
    _run(root, "build", "--quiet")
    _run(root, "validate", "corpus")
    changed.append("corpus")
    return changed


def git_commands(p: ReleasePlan, changed: list[str]) -> list[str]:
    return [
        f"git add {' '.join(changed)}",
        f'git commit -m "Release {p.new}"',
        f'git tag -a v{p.new} -m "gaoxin-news {p.new}"',
    ]
