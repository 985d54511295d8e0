"""``gaoxin-news release X.Y.Z``: cut a release of the corpus (see ``docs/VERSIONING.md``).

In the repository root, which must be a clean git checkout, it: checks that X.Y.Z is a semantic
version later than the current one and that the changelog has something under "Unreleased"; sets
``__version__`` (the single version source); dates the changelog entry; rewrites ``CITATION.cff`` and
the BibTeX block of ``README.md`` (between ``<!-- bibtex:start -->`` and ``<!-- bibtex:end -->``,
when it has one); rebuilds and validates ``corpus/`` (card, datasheet and Croissant metadata take the
new version); regenerates the documents (README sections, the top-level ``DATASHEET.md``); and prints
the git commands that commit and tag the release, listing every changed file. It runs git only to
read the state of the checkout, never to change it.

All of this happens first in a staging copy of the committed files; the root is written only when
everything there succeeded, all files or none. The rebuild runs in a fresh interpreter on the staged
source (``src/`` first on the path), because the version is read when the package is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.publish.citation import CFF, bibtex, render_cff, validate_cff
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import (CHANGELOG, UNRELEASED, is_root, read_version, releases, replace_section, version_key,
                                 write_version)

README = "README.md"
BIBTEX_SECTION = "bibtex"
CORPUS = "corpus"
#: The staging copy of a release, inside the repository root (so that the corpus built there moves
#: into place with a rename); removed when the release ends.
STAGE_PREFIX = ".tmp-release-"


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


def _git(root: Path, *args: str) -> str:
    """Output of a read-only git command in ``root`` (release never changes the repository's git state)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    except FileNotFoundError:
        raise GaoxinError("git is not installed; a release is cut from a clean git checkout") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GaoxinError(f"{root}: git {args[0]} failed: {msg[0] if msg else proc.returncode}")
    return proc.stdout.decode("utf-8", errors="surrogateescape")


def tracked_files(root: Path) -> list[str]:
    """The files of a clean git checkout, relative POSIX paths; a dirty tree (a change, an untracked
    file) or a folder that is not a checkout is an error, so that a release holds exactly what is
    committed."""
    if _git(root, "rev-parse", "--show-toplevel").strip() != str(root.resolve()):
        raise GaoxinError(f"{root}: not the top of a git checkout; a release is cut from a clean checkout")
    dirty = [line for line in _git(root, "status", "--porcelain", "--untracked-files=all").splitlines() if line]
    if dirty:
        more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
        raise GaoxinError(f"{root}: the working tree is not clean ({'; '.join(d.strip() for d in dirty[:3])}"
                          f"{more}); commit or remove the changes first")
    return [f for f in _git(root, "ls-files", "-z").split("\0") if f]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-release")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def execute(p: ReleasePlan, install_corpus: Callable[[Path, Path], None]) -> list[str]:
    """Cut the release; return the paths changed, relative to the root.

    Everything is checked before anything is written: the checkout must be clean; the new version,
    changelog, citation and README are applied to a staging copy of the committed files (in a
    temporary folder inside the root), where the corpus is built (seeds and gold checked), validated,
    and the documents (README sections, DATASHEET.md) regenerated. Only then are the changed files
    written into the root, and the new corpus switched in by ``install_corpus(built, out)`` (the
    build's atomic install); if that fails, the files already written are put back.
    """
    root = p.root
    files = tracked_files(root)
    cff = render_cff(p.new, p.date)
    validate_cff(cff)
    stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=root))
    try:
        for rel in files:
            if rel.split("/")[0] == CORPUS:
                continue  # rebuilt
            dst = stage / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, dst)
        _apply(stage, p, cff)
        _run(stage, "build", "--quiet")
        _run(stage, "validate", CORPUS)
        _run(stage, "docs")
        changed = [rel for rel in files if rel.split("/")[0] != CORPUS and
                   (stage / rel).read_bytes() != (root / rel).read_bytes()]
        originals = {rel: (root / rel).read_bytes() for rel in changed}
        written: list[str] = []
        try:
            for rel in changed:
                _write_atomic(root / rel, (stage / rel).read_bytes())
                written.append(rel)
            install_corpus(stage / CORPUS, root / CORPUS)
        except BaseException:
            for rel in written:
                _write_atomic(root / rel, originals[rel])
            raise
        return sorted([*changed, CORPUS])
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _apply(stage: Path, p: ReleasePlan, cff: str) -> None:
    """The release's own edits, in the staging copy: changelog dated, version set, citation, BibTeX."""
    log_path = stage / CHANGELOG
    log_path.write_text(dated_changelog(log_path.read_text(encoding="utf-8"), p.new, p.date, p.root / CHANGELOG),
                        encoding="utf-8")
    write_version(stage, p.new)
    (stage / CFF).write_text(cff, encoding="utf-8")
    readme = stage / README
    if readme.exists():
        new = replace_section(readme.read_text(encoding="utf-8"), BIBTEX_SECTION, readme_bibtex(cff))
        if new is not None:
            readme.write_text(new, encoding="utf-8")


def git_commands(p: ReleasePlan, changed: list[str]) -> list[str]:
    return [
        f"git add {' '.join(changed)}",
        f'git commit -m "Release {p.new}"',
        f'git tag -a v{p.new} -m "gaoxin-news {p.new}"',
    ]
