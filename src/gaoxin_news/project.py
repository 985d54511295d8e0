"""Facts about the project that the published files need: where the repository root is, the release
history in ``CHANGELOG.md``, the version, the baseline results in ``results/baselines.md``, and the
marked sections of generated documents.

Generated files must not depend on the machine they are built on, so nothing here returns a date of
today or an absolute path: release dates are read from the changelog, where ``gaoxin-news release``
stored them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from gaoxin_news.errors import GaoxinError

CHANGELOG = "CHANGELOG.md"
BASELINES = Path("results") / "baselines.md"
UNRELEASED = "## [Unreleased]"

_RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})[ \t]*$", re.M)


def is_root(path: Path) -> bool:
    """A repository root holds the seed pages and the project file."""
    return (path / "seeds").is_dir() and (path / "pyproject.toml").is_file()


def project_root(start: Path) -> Path:
    """The repository root for a build whose output (or temporary build folder) is ``start``.

    The build writes beside the output, so the root is the nearest ancestor of ``start`` holding
    ``seeds/`` and ``pyproject.toml``. A build into a folder outside any repository (a scratch folder
    in a test, say) falls back to the source tree this package runs from, when that is a repository.
    """
    start = start.resolve()
    for p in (start, *start.parents):
        if is_root(p):
            return p
    here = Path(__file__).resolve().parents[2]
    if is_root(here):
        return here
    raise GaoxinError(f"{start}: no repository root (a folder holding seeds/ and pyproject.toml) above it")


@dataclass(frozen=True)
class Release:
    version: str
    date: str  # ISO 8601, as stored in the changelog


def releases(root: Path) -> list[Release]:
    """Every ``## [X.Y.Z] - YYYY-MM-DD`` heading of the changelog, newest first (file order)."""
    path = root / CHANGELOG
    if not path.is_file():
        raise GaoxinError(f"{path}: missing; it records the version and date of every release")
    text = path.read_text(encoding="utf-8")
    return [Release(m["version"], m["date"]) for m in _RELEASE_HEADING.finditer(text)]


def release_of(root: Path, version: str) -> Release:
    """The changelog's entry for ``version``; an error names the fix when there is none."""
    for r in releases(root):
        if r.version == version:
            return r
    raise GaoxinError(
        f"{root / CHANGELOG}: no heading '## [{version}] - YYYY-MM-DD' for the current version {version}; "
        "versions are bumped with 'gaoxin-news release', which writes it"
    )


def changes_of(root: Path, version: str) -> str:
    """The changelog text under the heading of ``version`` (without the heading), stripped."""
    text = (root / CHANGELOG).read_text(encoding="utf-8")
    heads = list(re.finditer(r"^## .*$", text, re.M))
    for i, m in enumerate(heads):
        if m.group(0).startswith(f"## [{version}] "):
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            return text[m.end():end].strip()
    return ""


def baselines(root: Path) -> str | None:
    """The markdown of ``results/baselines.md`` (stripped), or None when there are no baselines yet."""
    path = root / BASELINES
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    return text or None


INIT = Path("src") / "gaoxin_news" / "__init__.py"
_VERSION_LINE = re.compile(r'^__version__ = "([^"]*)"$', re.M)


def read_version(root: Path) -> str:
    """``__version__`` as written in the repository's source (the single version source)."""
    path = root / INIT
    m = _VERSION_LINE.search(path.read_text(encoding="utf-8"))
    if not m:
        raise GaoxinError(f"{path}: no line '__version__ = \"X.Y.Z\"'")
    return m[1]


def write_version(root: Path, version: str) -> None:
    path = root / INIT
    text = path.read_text(encoding="utf-8")
    new, n = _VERSION_LINE.subn(f'__version__ = "{version}"', text)
    if n != 1:
        raise GaoxinError(f"{path}: expected exactly one line '__version__ = \"X.Y.Z\"', found {n}")
    path.write_text(new, encoding="utf-8")


def version_key(version: str) -> Version:
    """``version`` parsed by ``packaging``, for comparison; only a plain X.Y.Z release is accepted."""
    try:
        v = Version(version)
    except InvalidVersion:
        v = None
    # the release numbers alone give the string back: no epoch, suffix, leading zero or 'v'
    if v is None or len(v.release) != 3 or ".".join(map(str, v.release)) != version:
        raise GaoxinError(f"{version!r} is not a semantic version X.Y.Z (no leading zeros, no suffix)")
    return v


def section_markers(name: str) -> tuple[str, str]:
    """The comments that open and close the generated section ``name`` of a document."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def marked_section(name: str, content: str) -> str:
    """The section ``name`` holding ``content`` (ending with one newline), with its markers."""
    start, end = section_markers(name)
    return f"{start}\n{content.rstrip(chr(10))}\n{end}"


def replace_section(text: str, name: str, content: str) -> str | None:
    """``text`` with its marked section ``name`` (the markers and what lies between them) holding
    ``content`` instead; nothing else changes. None when ``text`` has no such section."""
    start, end = section_markers(name)
    i = text.find(start)
    j = text.find(end, i + len(start)) if i >= 0 else -1
    if j < 0:
        return None
    return text[:i] + marked_section(name, content) + text[j + len(end):]
