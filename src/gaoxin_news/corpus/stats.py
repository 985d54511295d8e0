"""Statistics computed from a built corpus folder: the one place every published number comes from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.files import ARTICLES, SENTENCES, read_jsonl
from gaoxin_news.schema.records import ANNOTATION_STATUSES, Article, SentenceRecord

_T = TypeVar("_T")


@dataclass
class CorpusStats:
    """Counts of a corpus. ``entities``, ``entity_types`` and ``entity_chars`` count gold entities;
    ``sentences`` and ``tokens`` the sentence records (gold and silver items); ``status`` the items,
    sentences and entities of each annotation status (gold, silver, none)."""

    pages: int = 0
    articles: int = 0
    sentences: int = 0
    characters: int = 0
    entities: int = 0
    kinds: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    entity_types: Counter = field(default_factory=Counter)
    sentence_roles: Counter = field(default_factory=Counter)
    tokens: int = 0
    entity_chars: int = 0
    status: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in ANNOTATION_STATUSES})

    def add(self, other: CorpusStats) -> None:
        """Add another part's counts (pages are counted by the caller)."""
        for f in ("articles", "sentences", "characters", "entities", "tokens", "entity_chars"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.kinds.update(other.kinds)
        self.roles.update(other.roles)
        self.entity_types.update(other.entity_types)
        self.sentence_roles.update(other.sentence_roles)
        for k in ANNOTATION_STATUSES:
            self.status[k].update(other.status[k])

    def by_status(self, status: str) -> dict[str, int]:
        """Items, sentences and entities of one annotation status."""
        c = self.status[status]
        return {"items": c["items"], "sentences": c["sentences"], "entities": c["entities"]}

    @property
    def items_without_gold(self) -> int:
        return self.articles - self.status["gold"]["items"]

    def as_dict(self) -> dict:
        return {
            "pages": self.pages, "articles": self.articles, "sentences": self.sentences,
            "characters": self.characters, "tokens": self.tokens, "entities": self.entities,
            "kinds": dict(sorted(self.kinds.items())), "block_roles": dict(sorted(self.roles.items())),
            "entity_types": {t: self.entity_types.get(t, 0) for t in ENTITY_TYPES},
            "annotation": {k: self.by_status(k) for k in ANNOTATION_STATUSES},
        }


@dataclass
class BuildStats:
    """What a build counted while streaming: the corpus statistics (the same figures that
    :func:`corpus_stats` reads back from the files), the source ids in order, and
    how many articles had gold annotation."""

    corpus: CorpusStats = field(default_factory=CorpusStats)
    sources: list[str] = field(default_factory=list)
    annotated_articles: int = 0
    dataset_bytes: dict[str, int] = field(default_factory=dict)  # per config, set by the Parquet writer
    #: sha256 (hex) of the files written, by path relative to the corpus folder, recorded by whoever
    #: writes a file as it writes it; the Croissant metadata and the manifest use them (a file with no
    #: digest here is hashed by the manifest)
    digests: dict[str, str] = field(default_factory=dict)
    previous_entities: int | None = None  # entity count of the corpus this build replaced, if any
    #: the dataset card's example sentence, chosen while the pages stream (:func:`choose_example`):
    #: its JSON line, and whether it is a good example (later pages cannot replace it)
    example: str | None = None
    example_good: bool = False

    def offer_example(self, first: str | None, good: str | None) -> None:
        """Take a page's candidates for the card's example (its first gold sentence and its first good
        example, as JSON lines), in page order: the result is what :func:`choose_example` picks over
        every sentence of the corpus."""
        if self.example_good:
            return
        if good is not None:
            self.example, self.example_good = good, True
        elif self.example is None:
            self.example = first

    def __getattr__(self, name: str):  # pages, articles, entities, kinds, … of the corpus statistics
        if name == "corpus":
            raise AttributeError(name)
        return getattr(self.corpus, name)


#: The dataset card shows a gold sentence with at least two entities and at most this many characters
#: (else the first gold sentence).
EXAMPLE_MAX_CHARS = 40


def good_example(text: str, entities: int) -> bool:
    return entities >= 2 and len(text) <= EXAMPLE_MAX_CHARS


def choose_example(sentences: Iterable[tuple[str, int, str, _T]]) -> tuple[_T | None, bool]:
    """The card's example among ``(annotation, entity count, text, item)`` tuples in corpus order: the
    first good gold example (:func:`good_example`), else the first gold sentence (None: no gold
    sentence); and whether it is a good one."""
    chosen = None
    for status, n, text, item in sentences:
        if status != "gold":
            continue
        if good_example(text, n):
            return item, True
        if chosen is None:
            chosen = item
    return chosen, False


def page_stats(articles: list[Mapping[str, Any]], sentences: list[Mapping[str, Any]]) -> CorpusStats:
    """The counts of one page's records (in their JSON form, as the pipeline makes them). Entity types
    count gold entities; the annotation status counts come from the articles (a sentence of an item
    without annotation has no sentence record)."""
    st = CorpusStats(pages=1, articles=len(articles), sentences=len(sentences))
    for a in articles:
        ents = a["entities"]
        st.kinds[a["kind"]] += 1
        st.characters += len(a["text"])
        st.roles.update(b["role"] for b in a["blocks"])
        st.status[a["annotation"]].update(items=1, sentences=len(a["sentences"]), entities=len(ents))
        if a["annotation"] == "gold":
            st.entity_types.update(e["label"] for e in ents)
            st.entity_chars += sum(e["end"] - e["start"] for e in ents)
    for s in sentences:
        st.tokens += len(s["tokens"])
        st.sentence_roles[s["role"]] += 1
    st.entities = sum(st.entity_types.values())
    return st


def corpus_stats(folder: Path) -> CorpusStats:
    """The statistics of a built corpus folder, read back from its files (validated record by record)
    and counted by :func:`page_stats`, like the build counts them."""
    st = CorpusStats()
    sources = set()
    for _, a in read_jsonl(folder / ARTICLES, Article):
        sources.add(a.source_id)
        st.add(page_stats([a.model_dump()], []))
    for _, s in read_jsonl(folder / SENTENCES, SentenceRecord):
        st.add(page_stats([], [s.model_dump()]))
    st.pages = len(sources)
    return st


def format_stats(st: CorpusStats) -> str:
    lines = [
        f"pages      {st.pages}", f"articles   {st.articles}", f"sentences  {st.sentences}",
        f"characters {st.characters}", f"entities   {st.entities} (gold)", "",
        "annotation: " + "; ".join(
            f"{k} {c['items']} items, {c['sentences']} sentences, {c['entities']} entities"
            for k, c in ((k, st.by_status(k)) for k in ANNOTATION_STATUSES)),
        "kinds:  " + ", ".join(f"{k} {v}" for k, v in sorted(st.kinds.items())),
        "blocks: " + ", ".join(f"{k} {v}" for k, v in sorted(st.roles.items())), "", "entity types:",
    ]
    for t in ENTITY_TYPES:
        lines.append(f"  {t:<12} {st.entity_types.get(t, 0)}")
    return "\n".join(lines)
