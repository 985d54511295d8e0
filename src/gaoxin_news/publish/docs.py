"""Generated documents of the repository: the computed sections of README.md, and DATASHEET.md (the
datasheet the build generates into the corpus, copied to the top level). Every number in them is
computed from the built corpus, and `gaoxin-news docs --check` (run by the tests) fails when one is
stale.

A generated section of README.md sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import ANNOTATION_STATUSES
from gaoxin_news.corpus.stats import CorpusStats, corpus_stats


def replace_section(text: str, name: str, content: str, where: str = "README.md") -> str:
    """``text`` with the section ``name`` replaced by ``content``."""
    pat = re.compile(rf"(<!-- {re.escape(name)}:start -->\n).*?(<!-- {re.escape(name)}:end -->)", re.S)
    if not pat.search(text):
        raise GaoxinError(f"{where}: no '<!-- {name}:start -->' … '<!-- {name}:end -->' section")
    return pat.sub(lambda m: m.group(1) + content.rstrip("\n") + "\n" + m.group(2), text, count=1)


def stats_markdown(st: CorpusStats) -> str:
    """The statistics section: size, items by kind, blocks by role, entities by type."""
    lines = [
        "| | count |", "|---|---:|",
        f"| source pages | {st.pages} |",
        f"| items (articles, briefs, photo items) | {st.articles} |",
        f"| sentences | {sum(st.by_status(k)['sentences'] for k in ANNOTATION_STATUSES)} |",
        f"| characters of the sentence records (= tokens of the NER views) | {st.tokens} |",
        f"| gold entity mentions | {st.entities} |",
        "",
        "| annotation | items | sentences | entities |", "|---|---:|---:|---:|",
        *(f"| {k} | {c['items']} | {c['sentences']} | {c['entities']} |"
          for k, c in ((k, st.by_status(k)) for k in ANNOTATION_STATUSES)),
        "",
        "Items by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(st.kinds.items())) + ".",
        "",
        "Blocks by role: " + ", ".join(f"{k} {v}" for k, v in sorted(st.roles.items())) + ".",
        "",
        "| gold entity type | mentions | share |", "|---|---:|---:|",
    ]
    for t in ENTITY_TYPES:
        n = st.entity_types.get(t, 0)
        share = f"{100 * n / st.entities:.1f}%" if st.entities else "–"
        lines.append(f"| {t} | {n} | {share} |")
    return "\n".join(lines) + "\n"


#: Generated sections of README.md: name → renderer from corpus statistics.
README_SECTIONS: dict[str, Callable[[CorpusStats], str]] = {"stats": stats_markdown}


def render_readme(readme: Path, corpus: Path) -> str:
    st = corpus_stats(corpus)
    text = readme.read_text(encoding="utf-8")
    for name, render in README_SECTIONS.items():
        text = replace_section(text, name, render(st), str(readme))
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
