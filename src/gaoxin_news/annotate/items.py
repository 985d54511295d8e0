"""The items of the source pages as the build cuts them now (text, sentences), without annotation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.corpus.pipeline import process_page
from gaoxin_news.corpus.sources import load_page, page_files, read_manifest
from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.records import Article


@dataclass(frozen=True)
class PageItems:
    source_id: str
    path: Path
    items: list[Article]


def current_pages(seeds: Path, pages: list[str] | None = None) -> list[PageItems]:
    """Every page of ``seeds`` (or only the source ids in ``pages``, each of which must exist) with its
    items as the build cuts them now; items carry no entities."""
    manifest = read_manifest(seeds)
    loaded = [load_page(path, manifest.get(path.name)) for path in page_files(seeds)]
    if pages is not None:
        known = {p.id for p in loaded}
        missing = [p for p in pages if p not in known]
        if missing:
            raise GaoxinError(f"{seeds}: no page {', '.join(map(repr, missing))}; the pages are "
                              f"{', '.join(sorted(known)) or 'none'}")
    return [PageItems(page.id, page.path, process_page(page.id, page.text, None, str(page.path)).article_models())
            for page in loaded if pages is None or page.id in pages]


def items_by_id(pages: list[PageItems]) -> dict[str, Article]:
    return {a.id: a for p in pages for a in p.items}
