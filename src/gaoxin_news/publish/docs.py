"""Generated documents of the repository: the computed sections of README.md, and DATASHEET.md (the
datasheet the build generates into the corpus, copied to the top level). Every number in them is
computed from the built corpus, and `gaoxin-news docs --check` (run by the tests) fails when one is
stale.

A generated section of README.md sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import replace_section, section_markers
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import ANNOTATION_STATUSES
from gaoxin_news.corpus.stats import CorpusStats, corpus_stats
from gaoxin_news.templating import render


def with_section(text: str, name: str, content: str, where: str = "README.md") -> str:
    """``text`` with the section ``name`` replaced by ``content``; an error when it has no such section."""
    new = replace_section(text, name, content)
    if new is None:
        start, end = section_markers(name)
        raise GaoxinError(f"{where}: no '{start}' … '{end}' section")
    return new


def stats_markdown(st: CorpusStats) -> str:
    """The statistics section: size, items, sentences and entities by annotation status, items by kind,
    blocks by role, gold entities by type."""
    statuses = [{"status": k, **st.by_status(k)} for k in ANNOTATION_STATUSES]
    return render("readme_stats.md", st=st, statuses=statuses, entity_types=ENTITY_TYPES)


#: Generated sections of README.md: name → renderer from corpus statistics.
README_SECTIONS: dict[str, Callable[[CorpusStats], str]] = {"stats": stats_markdown}


def render_readme(readme: Path, corpus: Path) -> str:
    st = corpus_stats(corpus)
    text = readme.read_text(encoding="utf-8")
    for name, render in README_SECTIONS.items():
        text = with_section(text, name, render(st), str(readme))
    return text


#: Top-level copies of generated corpus files: repository path → path in the corpus folder.
COPIES = {"DATASHEET.md": "DATASHEET.md"}


def rendered(readme: Path, corpus: Path) -> dict[Path, str]:
    """Every generated document of the repository (next to ``readme``) and its current content."""
    root = readme.parent
    out = {readme: render_readme(readme, corpus)}
    for dst, src in COPIES.items():
        out[root / dst] = (corpus / src).read_text(encoding="utf-8")
    return out
