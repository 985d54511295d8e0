"""The Hugging Face ``datasets`` view of the corpus: configs, their features, and their Parquet files.

Configs:

* ``articles`` (default): one row per article, exactly the records of ``articles.jsonl`` (every item,
  whatever its annotation status);
* ``ner``: one row per gold sentence, exactly the records of ``sentences.jsonl`` whose ``annotation`` is
  ``gold``, with ``ner_tags`` a list of :class:`datasets.ClassLabel` over
  :data:`gaoxin_news.labels.BIO_LABELS`;
* one config per coarse scheme of :data:`gaoxin_news.labels.SCHEMES` (``msra``, ``ontonotes4``): the
  ``ner`` rows with the entities mapped to that scheme (dropped types removed) and ``ner_tags`` over
  its own tag list;
* ``silver``: the sentences with machine annotation (``annotation`` is ``silver``), tagged like ``ner``.

Features are derived from the pydantic models in :mod:`gaoxin_news.records`, the single definition
of the records. Every config is published as Parquet written with those features: the JSON loader of
``datasets`` infers column types before it casts them, and turns a string that looks like an ISO date
(a title "2024-04-15", say) into "2024-04-15 00:00:00"; Parquet stores the declared types, so a loaded
row is the JSONL record, field by field.

``datasets`` cannot load a dataset folder given as the relative path ``"."``; pass an absolute path
(:func:`load`) or, on the Hub, the repository id.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

import jsonlines
from pydantic import BaseModel

from gaoxin_news.schema.files import ARTICLES, SENTENCES
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES, SCHEMES, coarse_label, scheme_labels
from gaoxin_news.schema.records import Article, Entity, SentenceRecord
from gaoxin_news.schema.spans import bio_tags, to_scheme

if TYPE_CHECKING:
    import datasets

    from gaoxin_news.corpus.stats import BuildStats

#: The one split of every config. The corpus exists to evaluate models, so it is published as `test`
#: (the Hub convention: a `train` split invites training on it).
SPLIT = "test"
DEFAULT_CONFIG = "articles"
SILVER_CONFIG = "silver"
WRITER_BATCH_SIZE = 1000
READ_BLOCK_BYTES = 1 << 22


def coarse_schemes() -> tuple[str, ...]:
    """Schemes that change the labels (every scheme but the identity mapping), in SCHEMES order."""
    return tuple(s for s, m in SCHEMES.items() if any(k != v for k, v in m.items()))


def config_names() -> tuple[str, ...]:
    return (DEFAULT_CONFIG, "ner", *coarse_schemes(), SILVER_CONFIG)


def configs_of(folder: Path) -> tuple[str, ...]:
    """The configs a corpus folder publishes: every config, but ``silver`` only when the corpus has a
    silver sentence (``datasets`` cannot load a config with no row)."""
    return tuple(c for c in config_names() if c != SILVER_CONFIG or has_silver(folder))


def has_silver(folder: Path) -> bool:
    return any(rec["annotation"] == "silver" for rec in _jsonl(folder / SENTENCES))


def config_status(config: str) -> str | None:
    """The annotation status of the sentences a sentence config holds (None: every article)."""
    if config == DEFAULT_CONFIG:
        return None
    return "silver" if config == SILVER_CONFIG else "gold"


def tag_names(config: str) -> tuple[str, ...] | None:
    """The ClassLabel names of ``ner_tags`` in ``config`` (None for ``articles``)."""
    if config == DEFAULT_CONFIG:
        return None
    if config in ("ner", SILVER_CONFIG):
        return BIO_LABELS
    if config in coarse_schemes():
        return scheme_labels(config)
    raise KeyError(f"no config {config!r}; configs are {', '.join(config_names())}")


def data_file(config: str) -> str:
    """Path of the config's Parquet file inside the corpus folder."""
    tag_names(config)  # unknown configs fail here
    return f"data/{config}/{SPLIT}.parquet"


def source_file(config: str) -> str:
    """The JSONL file the config's rows come from."""
    return ARTICLES if config == DEFAULT_CONFIG else SENTENCES


# ---------------------------------------------------------------------------------------------------
# features from the pydantic models


def _feature(tp: Any) -> Any:
    """A datasets feature for a Python/pydantic annotation."""
    from datasets import List, Value

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _feature(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"cannot map the union {tp} to a datasets feature")
        return _feature(args[0])  # Arrow columns are nullable
    if origin is Literal:
        values = typing.get_args(tp)
        if not all(isinstance(v, str) for v in values):
            raise TypeError(f"cannot map {tp}: only string literals are supported")
        return Value("string")
    if origin is list:
        return List(_feature(typing.get_args(tp)[0]))
    if origin is tuple:
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        feats = {repr(_feature(a)) for a in args}
        if len(feats) != 1:
            raise TypeError(f"cannot map the mixed tuple {tp} to a datasets feature")
        return List(_feature(args[0]))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: _feature(f.annotation) for name, f in tp.model_fields.items()}
    scalars = {str: "string", int: "int32", bool: "bool", float: "float64"}
    if tp in scalars:
        return Value(scalars[tp])
    raise TypeError(f"cannot map {tp!r} to a datasets feature")


def features(config: str) -> datasets.Features:
    """The declared features of ``config``: its record model, with ``ner_tags`` as ClassLabels."""
    from datasets import ClassLabel, Features, List

    names = tag_names(config)
    if names is None:
        return Features(_feature(Article))
    feats = _feature(SentenceRecord)
    feats["ner_tags"] = List(ClassLabel(names=list(names)))
    return Features(feats)


# ---------------------------------------------------------------------------------------------------
# rows


def _jsonl(path: Path) -> Iterator[dict]:
    with jsonlines.open(path) as reader:
        yield from reader


def coarse_record(sentence: dict, scheme: str) -> dict:
    """A sentence record in a coarse scheme: mapped entities (dropped types removed), their BIO tags."""
    ents = to_scheme([Entity.model_validate(e).to_span() for e in sentence["entities"]], scheme)
    return {**sentence, "ner_tags": bio_tags(len(sentence["tokens"]), ents), "entities": [e.as_dict() for e in ents]}


def records(folder: Path, config: str) -> Iterator[dict]:
    """The rows of ``config`` as JSON records (tags as names), read from the JSONL files of ``folder``."""
    tag_names(config)
    status = config_status(config)
    for rec in _jsonl(folder / source_file(config)):
        if status is not None and rec["annotation"] != status:
            continue
        yield coarse_record(rec, config) if config in coarse_schemes() else rec


# ---------------------------------------------------------------------------------------------------
# Parquet files and the card's metadata


def _json_batches(path: Path, schema: Any) -> Iterator[Any]:
    """Tables of a JSONL file, parsed by Arrow's C++ JSON reader against an explicit schema (no type
    inference: a string stays a string). The file is fed to the reader in chunks of whole lines, so
    memory stays bounded whatever the size of the file."""
    import pyarrow as pa
    import pyarrow.json as pj

    opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    with open(path, "rb") as f:
        while True:
            chunk = f.read(READ_BLOCK_BYTES)
            if not chunk:
                break
            chunk += f.readline()  # complete the last line
            read = pj.ReadOptions(use_threads=False, block_size=len(chunk) + 1)  # one block: no line is cut
            table = pj.read_json(pa.BufferReader(chunk), read_options=read, parse_options=opts)
            yield from table.combine_chunks().to_batches()


def _tag_ids(tags: Any, names: tuple[str, ...], to: tuple[str, ...] | None = None) -> Any:
    """A list<string> array of tag names → list<int64> of ClassLabel ids into ``names``; with ``to``,
    each fine tag is first mapped elementwise to its coarse tag (B-X → B-map(X), dropped types → O)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fine = pc.index_in(tags.flatten(), value_set=pa.array(BIO_LABELS))
    if pc.any(pc.is_null(fine)).as_py():
        raise ValueError("unknown tag in ner_tags")
    if to is None:
        table = [names.index(t) for t in BIO_LABELS]
    else:
        table = [names.index(t) for t in to]
    ids = pc.take(pa.array(table, pa.int64()), fine)
    return pa.ListArray.from_arrays(tags.offsets, ids)


def _coarse_tag_table(scheme: str) -> tuple[str, ...]:
    """For each fine BIO tag, its tag in ``scheme`` (IOB2 survives the elementwise mapping: adjacent
    entities never share a tag sequence, since each starts with B-)."""
    out = []
    for t in BIO_LABELS:
        lab = None if t == "O" else coarse_label(t[2:], scheme)
        out.append("O" if lab is None else f"{t[:2]}{lab}")
    return tuple(out)


def _coarse_entities(ents: Any, scheme: str) -> Any:
    """A list<struct<start,end,label,text>> array with labels mapped to ``scheme``; dropped types removed."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    flat = ents.flatten()
    fine = list(ENTITY_TYPES)
    coarse = pa.array([coarse_label(t, scheme) for t in fine], pa.string())
    labels = pc.take(coarse, pc.index_in(flat.field("label"), value_set=pa.array(fine)))
    keep = pc.is_valid(labels)
    parents = pc.list_parent_indices(ents)
    counts = np.bincount(pc.filter(parents, keep).to_numpy(), minlength=len(ents))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
    kept = pa.StructArray.from_arrays(
        [pc.filter(flat.field("start"), keep), pc.filter(flat.field("end"), keep), pc.filter(labels, keep),
         pc.filter(flat.field("text"), keep)],
        fields=list(flat.type),
    )
    return pa.ListArray.from_arrays(offsets, kept)


def _read_schema(config: str) -> Any:
    """The Arrow schema a config's source JSONL is parsed with: its features' schema, with tag names
    (strings) in ``ner_tags``."""
    import pyarrow as pa

    schema = features(config).arrow_schema.remove_metadata()
    if tag_names(config) is None:
        return schema
    return schema.set(schema.get_field_index("ner_tags"), pa.field("ner_tags", pa.list_(pa.string())))


def _config_table(batch: Any, config: str) -> Any:
    """A parsed batch of the config's source file → the config's rows, as an Arrow table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    schema = features(config).arrow_schema
    status = config_status(config)
    if status is not None:
        batch = batch.filter(pc.equal(batch.column("annotation"), status))
    cols = {name: batch.column(name) for name in schema.names}
    names = tag_names(config)
    coarse = config in coarse_schemes()
    if names is not None:
        cols["ner_tags"] = _tag_ids(cols["ner_tags"], names, _coarse_tag_table(config) if coarse else None)
    if coarse:
        cols["entities"] = _coarse_entities(cols["entities"], config)
    return pa.Table.from_arrays([cols[n] for n in schema.names], schema=schema)


def _split_tables(folder: Path, configs: Iterable[str]) -> Iterator[tuple[str, Any]]:
    """(config, table) for every chunk of every config's rows, each source JSONL parsed once."""
    by_source: dict[str, list[str]] = {}
    for c in configs:
        by_source.setdefault(source_file(c), []).append(c)
    for source, group in by_source.items():
        # the source's columns as parsed: tag names as strings
        for batch in _json_batches(folder / source, _read_schema(group[0])):
            for c in group:
                yield c, _config_table(batch, c)


def arrow_sizes(folder: Path, configs: Iterable[str] | None = None) -> dict[str, int]:
    """The Arrow size in bytes of each config's rows, as :func:`write_parquet_files` counts it, without
    writing anything."""
    sizes = dict.fromkeys(configs or configs_of(folder), 0)
    for c, table in _split_tables(folder, sizes):
        sizes[c] += table.nbytes
    return sizes


def write_parquet_files(folder: Path, configs: Iterable[str]) -> dict[str, int]:
    """Stream the rows of ``configs`` into their Parquet files with ``datasets``' own Parquet writer
    (the features are stored in the file's schema metadata). Each source JSONL is parsed once, by Arrow
    against the declared schema, for all the configs made from it; tag names become ClassLabel ids,
    and the coarse configs map tags and entities column-wise. Deterministic: the same rows give the
    same bytes. Returns the Arrow size in bytes of each config's rows (``num_bytes`` of its split,
    counted like ``datasets``' own writer counts it: the sizes of the tables written).
    """
    from datasets.arrow_writer import ParquetWriter

    configs = list(configs)
    sizes = dict.fromkeys(configs, 0)
    with ExitStack() as stack:
        writers = {}
        for c in configs:
            out = folder / data_file(c)
            out.parent.mkdir(parents=True, exist_ok=True)
            writers[c] = stack.enter_context(
                ParquetWriter(path=str(out), features=features(c), writer_batch_size=WRITER_BATCH_SIZE))
        for c, table in _split_tables(folder, configs):
            sizes[c] += table.nbytes
            for start in range(0, table.num_rows, WRITER_BATCH_SIZE):
                writers[c].write_table(table.slice(start, WRITER_BATCH_SIZE))
        for writer in writers.values():
            writer.finalize()
    return sizes


def write_hf_data(folder: Path, stats: BuildStats | None = None) -> None:
    """Build writer: the Parquet file of every config; their Arrow sizes go to ``stats.dataset_bytes``
    for the dataset card."""
    sizes = write_parquet_files(folder, configs_of(folder))
    if stats is not None:
        stats.dataset_bytes.update(sizes)


def dataset_infos(folder: Path, sizes: dict[str, int] | None = None) -> datasets.DatasetInfosDict:
    """Per config: declared features and the ``test`` split's size, measured on the written files.

    ``num_examples`` is what ``datasets`` verifies on loading (a mismatch raises
    ``NonMatchingSplitsSizesError``); ``num_bytes`` is the Arrow size of the split's rows as
    :func:`write_parquet_files` counted them (``sizes``, from the build; recounted from the JSONL when
    not given), and ``download_size`` the size of the Parquet file.
    """
    import pyarrow.parquet as pq
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict

    sizes = sizes or arrow_sizes(folder)
    infos = {}
    for config in configs_of(folder):
        path = folder / data_file(config)
        pf = pq.ParquetFile(path)
        nbytes = sizes[config]
        split = SplitInfo(name=SPLIT, num_bytes=nbytes, num_examples=pf.metadata.num_rows)
        infos[config] = DatasetInfo(
            features=features(config),
            splits=SplitDict({SPLIT: split}),
            download_size=path.stat().st_size,
            dataset_size=nbytes,
            config_name=config,
        )
    return DatasetInfosDict(infos)


def metadata_configs(configs: Iterable[str] | None = None) -> datasets.utils.metadata.MetadataConfigs:
    """The ``configs`` of the card's YAML header (default: every config)."""
    from datasets.utils.metadata import MetadataConfigs

    return MetadataConfigs({
        c: {**({"default": True} if c == DEFAULT_CONFIG else {}),
            "data_files": [{"split": SPLIT, "path": data_file(c)}]}
        for c in (configs if configs is not None else config_names())
    })


# ---------------------------------------------------------------------------------------------------
# loading


def load(corpus: str | Path, config: str = DEFAULT_CONFIG, split: str | None = SPLIT, **kwargs: Any) -> Any:
    """``datasets.load_dataset`` on a local corpus folder, with the path made absolute.

    (``load_dataset(".", name)`` fails in current ``datasets``: a dataset folder must be given by an
    absolute path.) Extra keyword arguments go to ``load_dataset`` (``cache_dir``, …).
    """
    from datasets import load_dataset

    return load_dataset(str(Path(corpus).resolve()), config, split=split, **kwargs)


def to_record(row: dict, config: str) -> dict:
    """A loaded row back in the JSONL form: ClassLabel ids turned into tag names."""
    names = tag_names(config)
    if names is None:
        return dict(row)
    return {**row, "ner_tags": [names[i] for i in row["ner_tags"]]}
