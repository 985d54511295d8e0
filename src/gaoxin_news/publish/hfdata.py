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

The build does not import ``datasets``: the features are plain data in the JSON form ``datasets``
stores (:func:`feature_dict`), the Arrow schema and the card's YAML are derived from them, and the
Parquet files are written by ``pyarrow`` with the options and schema metadata of ``datasets``' own
Parquet writer (:func:`open_parquet_writer`), while the JSON lines stream by (:class:`ParquetStream`).
The tests compare all of them with what ``datasets`` gives. The functions for users (:func:`features`,
:func:`load`) return ``datasets`` objects and import it when called.

``datasets`` cannot load a dataset folder given as the relative path ``"."``; pass an absolute path
(:func:`load`) or, on the Hub, the repository id.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

import jsonlines
from pydantic import BaseModel

from gaoxin_news.corpus.sources import HashingWriter
from gaoxin_news.schema.files import ARTICLES, SENTENCES
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES, SCHEMES, coarse_label, coarse_tags, scheme_labels
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
# features from the pydantic models, as plain data
#
# A feature is written in the JSON form of ``datasets.Features.to_dict()`` (what ``datasets`` stores in
# a Parquet file's "huggingface" schema metadata): ``{"dtype": "string", "_type": "Value"}``,
# ``{"feature": <feature>, "_type": "List"}``, ``{"names": [...], "_type": "ClassLabel"}``, and a
# struct as a dict of its fields. The build derives the Arrow schema, the Parquet options and the
# card's YAML from it without importing ``datasets``; :func:`features` gives the ``datasets`` object.

_SCALARS = {str: "string", int: "int32", bool: "bool", float: "float64"}


def _spec(tp: Any) -> dict:
    """The feature (JSON form) of a Python/pydantic annotation."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _spec(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"cannot map the union {tp} to a datasets feature")
        return _spec(args[0])  # Arrow columns are nullable
    if origin is Literal:
        values = typing.get_args(tp)
        if not all(isinstance(v, str) for v in values):
            raise TypeError(f"cannot map {tp}: only string literals are supported")
        return _value("string")
    if origin is list:
        return {"feature": _spec(typing.get_args(tp)[0]), "_type": "List"}
    if origin is tuple:
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        feats = [_spec(a) for a in args]
        if any(f != feats[0] for f in feats):
            raise TypeError(f"cannot map the mixed tuple {tp} to a datasets feature")
        return {"feature": feats[0], "_type": "List"}
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: _spec(f.annotation) for name, f in tp.model_fields.items()}
    if tp in _SCALARS:
        return _value(_SCALARS[tp])
    raise TypeError(f"cannot map {tp!r} to a datasets feature")


def _value(dtype: str) -> dict:
    return {"dtype": dtype, "_type": "Value"}


def feature_dict(config: str) -> dict:
    """The declared features of ``config`` in the JSON form of ``datasets.Features.to_dict()``: its
    record model, with ``ner_tags`` a list of ClassLabels over the config's tag names."""
    names = tag_names(config)
    if names is None:
        return _spec(Article)
    feats = _spec(SentenceRecord)
    feats["ner_tags"] = {"feature": {"names": list(names), "_type": "ClassLabel"}, "_type": "List"}
    return feats


def features(config: str) -> datasets.Features:
    """The declared features of ``config`` as a ``datasets.Features`` (imports ``datasets``)."""
    from datasets import Features

    return Features.from_dict(feature_dict(config))


def kind(spec: dict) -> str:
    """What a feature is: ``Value``, ``ClassLabel``, ``List`` or ``struct``."""
    return spec["_type"] if isinstance(spec.get("_type"), str) else "struct"


_ARROW_SCALARS = {"string": "string", "int32": "int32", "int64": "int64", "bool": "bool_", "float64": "float64"}


def arrow_type(spec: dict) -> Any:
    """The Arrow type of a feature, as ``datasets`` gives it (ClassLabel ids are int64)."""
    import pyarrow as pa

    k = kind(spec)
    if k == "Value":
        return getattr(pa, _ARROW_SCALARS[spec["dtype"]])()
    if k == "ClassLabel":
        return pa.int64()
    if k == "List":
        return pa.list_(arrow_type(spec["feature"]))
    return pa.struct({name: arrow_type(f) for name, f in spec.items()})


def hf_metadata(config: str) -> dict[str, str]:
    """The "huggingface" schema metadata that ``datasets`` stores with the features of ``config``."""
    return {"huggingface": json.dumps({"info": {"features": feature_dict(config)}})}


def arrow_schema(config: str) -> Any:
    """The Arrow schema of ``config``'s rows, with its "huggingface" metadata (``Features.arrow_schema``)."""
    import pyarrow as pa

    return pa.schema({name: arrow_type(f) for name, f in feature_dict(config).items()}).with_metadata(
        hf_metadata(config))


def yaml_features(spec: dict) -> list[dict]:
    """The features of a config as the card's YAML lists them (``datasets.Features._to_yaml_list``)."""
    return [{"name": name, **_yaml_feature(f)} for name, f in spec.items()]


def _yaml_feature(spec: dict) -> dict:
    k = kind(spec)
    if k == "Value":
        return {"dtype": spec["dtype"]}
    if k == "ClassLabel":
        return {"dtype": {"class_label": {"names": {str(i): n for i, n in enumerate(spec["names"])}}}}
    if k == "struct":
        return {"struct": yaml_features(spec)}
    inner = _yaml_feature(spec["feature"])
    if list(inner) == ["dtype"] and isinstance(inner["dtype"], str):
        return {"list": inner["dtype"]}
    if list(inner) == ["struct"]:
        return {"list": inner["struct"]}
    if list(inner) == ["dtype"]:  # a ClassLabel: its dtype mapping
        return {"list": inner["dtype"]}
    return {"list": inner}


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


def _parse_json(data: bytes | memoryview, schema: Any) -> Any:
    """One table of whole JSON lines, parsed by Arrow's C++ JSON reader against an explicit schema (no
    type inference: a string stays a string), in one block (no line is cut)."""
    import pyarrow as pa
    import pyarrow.json as pj

    opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    read = pj.ReadOptions(use_threads=False, block_size=len(data) + 1)
    return pj.read_json(pa.BufferReader(data), read_options=read, parse_options=opts).combine_chunks()


# Arrow arrays of constants are built from buffers: ``pyarrow.array`` and ``pyarrow.scalar`` on Python
# values import pandas (to recognise its types), which the build does not need. The arrays are those
# ``pyarrow.array`` gives (a validity bitmap only when there is a null).


def _strings(values: Sequence[str | None]) -> Any:
    """``pyarrow.array(values, pyarrow.string())``, without pandas."""
    import numpy as np
    import pyarrow as pa

    data = [v.encode("utf-8") if v is not None else b"" for v in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    valid = None
    nulls = sum(v is None for v in values)
    if nulls:
        valid = pa.py_buffer(np.packbits(np.array([v is not None for v in values]), bitorder="little").tobytes())
    return pa.Array.from_buffers(pa.string(), len(values), [valid, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))],
                                 null_count=nulls)


def _ints(values: Any, dtype: str) -> Any:
    """``pyarrow.array(values, dtype)`` for ``int32`` or ``int64`` values with no null, without pandas."""
    import numpy as np
    import pyarrow as pa

    arr = np.ascontiguousarray(values, dtype=getattr(np, dtype))
    return pa.Array.from_buffers(getattr(pa, dtype)(), len(arr), [None, pa.py_buffer(arr)], null_count=0)


def _int_values(arr: Any) -> Any:
    """The values of an Arrow integer array with no null, as a NumPy view (``to_numpy`` imports pandas)."""
    import numpy as np

    if arr.null_count:
        raise ValueError("an integer array with nulls")
    dtype = np.dtype(f"int{arr.type.bit_width}")
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize)


def _tag_ids(tags: Any, names: tuple[str, ...], to: tuple[str, ...] | None = None) -> Any:
    """A list<string> array of tag names → list<int64> of ClassLabel ids into ``names``; with ``to``,
    each fine tag is first mapped elementwise to its coarse tag (B-X → B-map(X), dropped types → O)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fine = pc.index_in(tags.flatten(), value_set=_strings(BIO_LABELS))
    if pc.any(pc.is_null(fine)).as_py():
        raise ValueError("unknown tag in ner_tags")
    if to is None:
        table = [names.index(t) for t in BIO_LABELS]
    else:
        table = [names.index(t) for t in to]
    ids = pc.take(_ints(table, "int64"), fine)
    return pa.ListArray.from_arrays(tags.offsets, ids)


def _coarse_entities(ents: Any, scheme: str) -> Any:
    """A list<struct<start,end,label,text>> array with labels mapped to ``scheme``; dropped types removed."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    flat = ents.flatten()
    fine = list(ENTITY_TYPES)
    coarse = _strings([coarse_label(t, scheme) for t in fine])
    labels = pc.take(coarse, pc.index_in(flat.field("label"), value_set=_strings(fine)))
    keep = pc.is_valid(labels)
    parents = pc.list_parent_indices(ents)
    counts = np.bincount(_int_values(pc.filter(parents, keep)), minlength=len(ents))
    offsets = _ints(np.concatenate([[0], np.cumsum(counts)]), "int32")
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

    schema = arrow_schema(config).remove_metadata()
    if tag_names(config) is None:
        return schema
    return schema.set(schema.get_field_index("ner_tags"), pa.field("ner_tags", pa.list_(pa.string())))


def _config_table(batch: Any, config: str, schema: Any) -> Any:
    """A parsed batch of the config's source file → the config's rows, as an Arrow table of ``schema``
    (:func:`arrow_schema` of ``config``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    status = config_status(config)
    if status is not None:
        batch = batch.filter(pc.equal(batch.column("annotation"), _strings([status])[0]))
    cols = {name: batch.column(name) for name in schema.names}
    names = tag_names(config)
    coarse = config in coarse_schemes()
    if names is not None:
        cols["ner_tags"] = _tag_ids(cols["ner_tags"], names, tuple(coarse_tags(config).values()) if coarse else None)
    if coarse:
        cols["entities"] = _coarse_entities(cols["entities"], config)
    return pa.Table.from_arrays([cols[n] for n in schema.names], schema=schema)


#: The options of ``datasets``' own Parquet writer (``datasets.arrow_writer.ParquetWriter`` with its
#: defaults): content-defined chunking with ``datasets.config.DEFAULT_CDC_OPTIONS`` (also stored in
#: the file's key-value metadata), a page index, snappy and dictionary encoding on every leaf column.
CDC_OPTIONS = {"min_chunk_size": 256 * 1024, "max_chunk_size": 1024 * 1024, "norm_level": 0}


def _leaf_paths(path: str, tp: Any) -> list[str]:
    """Parquet's leaf column paths of an Arrow field (``col.list.element.field``)."""
    import pyarrow as pa

    if pa.types.is_struct(tp):
        return [leaf for f in tp for leaf in _leaf_paths(f"{path}.{f.name}", f.type)]
    if pa.types.is_list(tp):
        return _leaf_paths(f"{path}.list.element", tp.value_type)
    return [path]


def parquet_options(schema: Any) -> dict:
    """The keyword arguments of ``pyarrow.parquet.ParquetWriter`` that ``datasets`` passes for a schema
    without media features (``datasets.arrow_writer.get_parquet_column_options`` and its writer)."""
    leaves = [leaf for f in schema for leaf in _leaf_paths(f.name, f.type)]
    return {"use_content_defined_chunking": CDC_OPTIONS, "write_page_index": True,
            "compression": dict.fromkeys(leaves, "snappy"), "use_dictionary": leaves, "column_encoding": {}}


def open_parquet_writer(sink: Any, schema: Any) -> Any:
    """A ``pyarrow.parquet.ParquetWriter`` on ``sink`` (a path or a binary file object) writing what
    ``datasets``' Parquet writer writes for ``schema`` (an :func:`arrow_schema`, with its metadata):
    write each row group with ``write_table(table, row_group_size=WRITER_BATCH_SIZE)``."""
    import pyarrow.parquet as pq

    writer = pq.ParquetWriter(sink, schema, **parquet_options(schema))
    writer.add_key_value_metadata({"content_defined_chunking": json.dumps(CDC_OPTIONS)})
    return writer


class ParquetStream:
    """The Parquet file of every config, written while the JSON lines of ``articles.jsonl`` and
    ``sentences.jsonl`` stream by.

    :meth:`feed` takes bytes of one source file, in file order, cut anywhere (the build feeds each
    page's lines as it writes them). The stream cuts each file into blocks of whole lines by its
    content alone: a block ends with the first line end at or past :data:`READ_BLOCK_BYTES` bytes
    (the last block: the rest of the file). Each block is parsed by Arrow against the declared schema,
    for all the configs made from that file at once (tag names become ClassLabel ids, the coarse
    configs map tags and entities column-wise), and each config's rows of the block are written in row
    groups of :data:`WRITER_BATCH_SIZE` rows. So the bytes written do not depend on how the input was
    cut, and memory stays bounded. :meth:`close` writes the last block and the footers: every config
    gets its file but ``silver``, which gets one only when it has a row (``datasets`` cannot load a
    config with no row).

    The files are those ``datasets``' own Parquet writer writes from the same rows (same options, the
    features in the "huggingface" schema metadata); each is hashed while it is written. ``write=False``
    only counts.
    """

    def __init__(self, folder: Path, write: bool = True) -> None:
        self.folder = folder
        self.write = write
        self._configs = {ARTICLES: [DEFAULT_CONFIG], SENTENCES: [c for c in config_names() if c != DEFAULT_CONFIG]}
        self._read_schemas = {src: _read_schema(group[0]) for src, group in self._configs.items()}
        self._schemas = {c: arrow_schema(c) for c in config_names()}
        self._buffer: dict[str, list[bytes]] = {src: [] for src in self._configs}
        self._buffered = dict.fromkeys(self._configs, 0)
        self.rows = dict.fromkeys(config_names(), 0)
        self.sizes = dict.fromkeys(config_names(), 0)  # Arrow bytes of the rows, as datasets counts them
        self.digests: dict[str, str] = {}  # relative path → sha256 of the written files
        self._files: dict[str, HashingWriter] = {}
        self._writers: dict[str, Any] = {}
        self._closed = False

    def feed(self, source: str, data: bytes) -> None:
        """Bytes of ``source`` (``articles.jsonl`` or ``sentences.jsonl``), following those fed before."""
        if self._closed:
            raise ValueError("the Parquet stream is closed")
        if source not in self._buffer:
            raise ValueError(f"cannot stream {source!r} to Parquet; sources are {', '.join(self._buffer)}")
        if not data:
            return
        self._buffer[source].append(bytes(data))
        self._buffered[source] += len(data)
        if self._buffered[source] > READ_BLOCK_BYTES:
            self._blocks(source, final=False)

    def _blocks(self, source: str, final: bool) -> None:
        """Parse and write the complete blocks buffered (with ``final``: the rest too)."""
        data = b"".join(self._buffer[source])
        self._buffer[source] = []  # the pieces go before the blocks are parsed
        view = memoryview(data)  # blocks are parsed from slices of it, not copies
        start = 0
        while True:
            cut = data.find(b"\n", start + READ_BLOCK_BYTES) + 1
            if not cut:
                break
            self._block(source, view[start:cut])
            start = cut
        if final:
            self._block(source, view[start:])
            start = len(data)
        rest = data[start:]
        self._buffer[source] = [rest] if rest else []
        self._buffered[source] = len(rest)

    def _block(self, source: str, data: bytes | memoryview) -> None:
        if not len(data):
            return
        for batch in _parse_json(data, self._read_schemas[source]).to_batches():
            for c in self._configs[source]:
                table = _config_table(batch, c, self._schemas[c])
                self.sizes[c] += table.nbytes
                self.rows[c] += table.num_rows
                if self.write and table.num_rows:
                    writer = self._writer(c)
                    for start in range(0, table.num_rows, WRITER_BATCH_SIZE):
                        writer.write_table(table.slice(start, WRITER_BATCH_SIZE), row_group_size=WRITER_BATCH_SIZE)

    def _writer(self, config: str) -> Any:
        if config not in self._writers:
            rel = data_file(config)
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            self._files[config] = HashingWriter(self.folder / rel)
            self._writers[config] = open_parquet_writer(self._files[config], self._schemas[config])
        return self._writers[config]

    def close(self, stats: BuildStats | None = None) -> dict[str, int]:
        """Write the last rows and the footers; returns the Arrow size in bytes of each config written
        (``num_bytes`` of its split, counted like ``datasets``' own writer counts it: the sizes of the
        tables written), also put in ``stats.dataset_bytes``, and the files' sha256 in
        ``stats.digests``."""
        if self._closed:
            raise ValueError("the Parquet stream is closed already")
        try:
            for source in self._configs:
                self._blocks(source, final=True)
            configs = [c for c in config_names() if c != SILVER_CONFIG or self.rows[c]]
            for c in configs:
                if self.write:
                    self._writer(c).close()
                    self._files[c].close()
                    self.digests[data_file(c)] = self._files[c].hexdigest()
        finally:
            self._closed = True
            self._release()
        sizes = {c: self.sizes[c] for c in configs}
        if stats is not None:
            stats.dataset_bytes.update(sizes)
            stats.digests.update(self.digests)
        return sizes

    def _release(self) -> None:
        """Close what is open (after a failure: the writers first, their files then; the build discards
        the folder)."""
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 (its file may be closed already; the error came first)
                pass
        for f in self._files.values():
            f.close()

    def __enter__(self) -> ParquetStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed = True
        self._release()


def _feed_files(stream: ParquetStream, folder: Path) -> None:
    for source in (ARTICLES, SENTENCES):
        with open(folder / source, "rb") as f:
            for block in iter(lambda: f.read(READ_BLOCK_BYTES), b""):
                stream.feed(source, block)


def arrow_sizes(folder: Path, configs: Iterable[str] | None = None) -> dict[str, int]:
    """The Arrow size in bytes of each config's rows, as :class:`ParquetStream` counts it, without
    writing anything."""
    with ParquetStream(folder, write=False) as stream:
        _feed_files(stream, folder)
        sizes = stream.close()
    return {c: sizes.get(c, 0) for c in (configs if configs is not None else sizes)}


def write_hf_data(folder: Path, stats: BuildStats | None = None) -> None:
    """Build writer: the Parquet file of every config, from the finished JSONL files (fed to a
    :class:`ParquetStream`); their Arrow sizes go to ``stats.dataset_bytes`` for the dataset card, their
    sha256 to ``stats.digests``."""
    with ParquetStream(folder) as stream:
        _feed_files(stream, folder)
        stream.close(stats)


def dataset_info(folder: Path, sizes: dict[str, int] | None = None,
                 configs: Iterable[str] | None = None) -> dict[str, dict]:
    """Per config (default: :func:`configs_of` ``folder``): declared features (:func:`feature_dict`) and
    the ``test`` split's size, measured on the written files.

    ``num_examples`` is what ``datasets`` verifies on loading (a mismatch raises
    ``NonMatchingSplitsSizesError``); ``num_bytes`` is the Arrow size of the split's rows as
    :class:`ParquetStream` counted them (``sizes``, from the build; recounted from the JSONL when not
    given), and ``download_size`` the size of the Parquet file.
    """
    import pyarrow.parquet as pq

    configs = list(configs if configs is not None else configs_of(folder))
    sizes = sizes or arrow_sizes(folder)
    infos = {}
    for config in configs:
        path = folder / data_file(config)
        infos[config] = {"features": feature_dict(config), "num_bytes": sizes[config],
                         "num_examples": pq.read_metadata(path).num_rows, "download_size": path.stat().st_size}
    return infos


def yaml_dataset_info(infos: dict[str, dict]) -> list[dict]:
    """The card's ``dataset_info`` (what ``datasets.DatasetInfosDict.to_dataset_card_data`` writes for
    several configs: one entry per config, sorted by name)."""
    if len(infos) < 2:
        raise ValueError("a corpus has at least the articles and ner configs")
    return [{"config_name": c, "features": yaml_features(i["features"]),
             "splits": [{"name": SPLIT, "num_bytes": i["num_bytes"], "num_examples": i["num_examples"]}],
             "download_size": i["download_size"], "dataset_size": i["num_bytes"]}
            for c, i in sorted(infos.items())]


def yaml_configs(configs: Iterable[str] | None = None) -> list[dict]:
    """The ``configs`` of the card's YAML header (default: every config), as ``datasets``'
    ``MetadataConfigs.to_dataset_card_data`` writes them (sorted by name)."""
    return [{"config_name": c, **({"default": True} if c == DEFAULT_CONFIG else {}),
             "data_files": [{"split": SPLIT, "path": data_file(c)}]}
            for c in sorted(configs if configs is not None else config_names())]


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
