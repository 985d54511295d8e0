"""The build publishes without importing ``datasets``, ``mlcroissant`` or pandas, and writes what they
write: features, Arrow schema and card YAML as ``datasets`` gives them, Parquet bytes as ``datasets``'
own ParquetWriter writes them (whatever the chunking of the streamed JSONL), Croissant JSON-LD as
``mlcroissant`` writes it; each file is hashed once, while it is written.

The references are the libraries themselves: ``datasets`` features built from the pydantic models with
``datasets``' classes, ``datasets.arrow_writer.ParquetWriter``, ``DatasetInfosDict`` and
``MetadataConfigs``, and Croissant metadata built with ``mlcroissant``'s classes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

import mlcroissant as mlc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import ClassLabel, Features, List, Value
from datasets.arrow_writer import ArrowWriter, ParquetWriter
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from conftest import GOLD, ROOT, SEEDS
from gaoxin_news.build.manifest import write_manifest
from gaoxin_news.corpus.sources import HashingWriter, sha256_file
from gaoxin_news.corpus.stats import BuildStats
from gaoxin_news.publish import hfdata
from gaoxin_news.publish.card import card_data
from gaoxin_news.publish.croissant import CROISSANT, DESCRIPTION, JSONL_FILES, render_croissant
from gaoxin_news.publish.citation import bibtex, current_cff
from gaoxin_news.project import release_of
from gaoxin_news.schema.files import ARTICLES, SENTENCES
from gaoxin_news.schema.records import Article, SentenceRecord
from gaoxin_news import __version__

CORPUS = ROOT / "corpus"


# ---------------------------------------------------------------------------------------------------
# the reference features: datasets' own classes, from the pydantic models


def _ref_feature(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _ref_feature(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        (arg,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _ref_feature(arg)
    if origin is Literal:
        return Value("string")
    if origin in (list, tuple):
        return List(_ref_feature(typing.get_args(tp)[0]))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: _ref_feature(f.annotation) for name, f in tp.model_fields.items()}
    return Value({str: "string", int: "int32", bool: "bool", float: "float64"}[tp])


def ref_features(config: str) -> Features:
    names = hfdata.tag_names(config)
    if names is None:
        return Features(_ref_feature(Article))
    feats = _ref_feature(SentenceRecord)
    feats["ner_tags"] = List(ClassLabel(names=list(names)))
    return Features(feats)


@pytest.mark.parametrize("config", hfdata.config_names())
def test_features_json_and_arrow_schema_are_datasets_own(config):
    ref = ref_features(config)
    assert hfdata.feature_dict(config) == ref.to_dict()
    assert hfdata.features(config) == ref
    schema = hfdata.arrow_schema(config)
    assert schema.equals(ref.arrow_schema, check_metadata=True)
    assert schema.metadata == ref.arrow_schema.metadata
    # the "huggingface" metadata datasets' writer stores in a file
    assert hfdata.hf_metadata(config) == ArrowWriter._build_metadata(DatasetInfo(features=ref))
    assert hfdata.yaml_features(hfdata.feature_dict(config)) == ref._to_yaml_list()


def test_the_committed_parquet_files_hold_the_features_declared():
    for config in hfdata.configs_of(CORPUS):
        stored = pq.read_schema(CORPUS / hfdata.data_file(config))
        assert Features.from_arrow_schema(stored) == ref_features(config)


# ---------------------------------------------------------------------------------------------------
# Parquet: the bytes datasets' own writer writes


def _old_blocks(path: Path, block: int) -> list[bytes]:
    """The blocks of whole lines the previous writer read: ``block`` bytes and the rest of the line."""
    out = []
    with open(path, "rb") as f:
        while chunk := f.read(block):
            out.append(chunk + f.readline())
    return out


def _reference_files(folder: Path, out: Path, block: int) -> dict[str, int]:
    """Every config written by datasets' ParquetWriter from the rows of each block, in slices of
    WRITER_BATCH_SIZE rows (the previous writer); returns the Arrow sizes of the block tables."""
    sizes: dict[str, int] = {}
    rows: dict[str, int] = {}
    writers = {}
    for config in hfdata.config_names():
        path = out / hfdata.data_file(config)
        path.parent.mkdir(parents=True, exist_ok=True)
        writers[config] = ParquetWriter(path=str(path), features=ref_features(config),
                                        writer_batch_size=hfdata.WRITER_BATCH_SIZE)
        sizes[config] = rows[config] = 0
    for source in (ARTICLES, SENTENCES):
        group = [c for c in hfdata.config_names() if hfdata.source_file(c) == source]
        for data in _old_blocks(folder / source, block):
            schema = ref_features(group[0]).arrow_schema.remove_metadata()
            if "ner_tags" in schema.names:
                schema = schema.set(schema.get_field_index("ner_tags"), pa.field("ner_tags", pa.list_(pa.string())))
            table = hfdata._parse_json(data, schema)
            for batch in table.to_batches():
                for c in group:
                    t = hfdata._config_table(batch, c, ref_features(c).arrow_schema)
                    sizes[c] += t.nbytes
                    rows[c] += t.num_rows
                    for start in range(0, t.num_rows, hfdata.WRITER_BATCH_SIZE):
                        writers[c].write_table(t.slice(start, hfdata.WRITER_BATCH_SIZE))
    for c, w in writers.items():
        w.finalize()
    if not rows[hfdata.SILVER_CONFIG]:
        (out / hfdata.data_file(hfdata.SILVER_CONFIG)).unlink()
        del sizes[hfdata.SILVER_CONFIG]
    return sizes


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "data").rglob("*.parquet"))}


def _copy_jsonl(src: Path, dst: Path, silver_every: int = 0) -> Path:
    """The two JSONL files of ``src`` in ``dst``; with ``silver_every``, every n-th sentence made silver."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / ARTICLES, dst / ARTICLES)
    if not silver_every:
        shutil.copy(src / SENTENCES, dst / SENTENCES)
        return dst
    lines = []
    for i, line in enumerate((src / SENTENCES).read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        if i % silver_every == 0:
            rec["annotation"] = "silver"
            rec["annotator"] = {"model": "m", "version": "1"}
        lines.append(json.dumps(rec, ensure_ascii=False) + "\n")
    (dst / SENTENCES).write_text("".join(lines), encoding="utf-8")
    return dst


def test_the_committed_parquet_files_are_what_datasets_writes(tmp_path):
    ref = tmp_path / "ref"
    sizes = _reference_files(CORPUS, ref, hfdata.READ_BLOCK_BYTES)
    new = _copy_jsonl(CORPUS, tmp_path / "new")
    stats = BuildStats()
    hfdata.write_hf_data(new, stats)
    assert _files(new) == _files(ref) == _files(CORPUS)
    assert stats.dataset_bytes == sizes
    assert list(stats.dataset_bytes) == list(hfdata.configs_of(CORPUS))


@pytest.mark.parametrize("silver_every", [1, 3])
def test_small_blocks_and_row_groups_and_silver_are_what_datasets_writes(tmp_path, monkeypatch, silver_every):
    """Several blocks and several row groups per config (small sizes), a silver config and (every
    sentence silver) gold configs with no row: still datasets' bytes, an empty file for the gold
    configs, a file for silver."""
    monkeypatch.setattr(hfdata, "READ_BLOCK_BYTES", 20_000)
    monkeypatch.setattr(hfdata, "WRITER_BATCH_SIZE", 16)
    src = _copy_jsonl(CORPUS, tmp_path / "src", silver_every)
    ref = tmp_path / "ref"
    shutil.copytree(src, ref)
    sizes = _reference_files(src, ref, 20_000)
    stats = BuildStats()
    hfdata.write_hf_data(src, stats)
    assert _files(src) == _files(ref)
    assert stats.dataset_bytes == sizes
    assert hfdata.SILVER_CONFIG in sizes
    meta = pq.read_metadata(src / hfdata.data_file("ner"))
    assert meta.num_rows == (0 if silver_every == 1 else 95 - len(range(0, 95, silver_every)))
    groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert all(n <= 16 for n in groups) and sum(groups) == meta.num_rows


def test_the_writer_options_are_datasets_own_on_many_row_groups(tmp_path):
    """One table of 2,300 rows (three row groups), written by datasets and by open_parquet_writer."""
    config = "ner"
    table = pq.read_table(CORPUS / hfdata.data_file(config))
    big = pa.concat_tables([table] * 25).combine_chunks()
    ref = tmp_path / "ref.parquet"
    with ParquetWriter(path=str(ref), features=ref_features(config), writer_batch_size=1000) as w:
        w.write_table(big)
        w.finalize()
    sink = io.BytesIO()
    writer = hfdata.open_parquet_writer(sink, hfdata.arrow_schema(config))
    writer.write_table(big, row_group_size=hfdata.WRITER_BATCH_SIZE)
    writer.close()
    assert sink.getvalue() == ref.read_bytes()
    assert pq.read_metadata(ref).num_row_groups == 3


_LINES = {s: (CORPUS / s).read_bytes() for s in (ARTICLES, SENTENCES)}


@st.composite
def _feeds(draw) -> list[tuple[str, bytes]]:
    """The two files cut at random byte offsets (inside lines and characters too), the pieces of the
    two files interleaved at random, each file's in order."""
    pieces = {}
    for source, data in _LINES.items():
        cuts = sorted(draw(st.sets(st.integers(1, len(data) - 1), max_size=12)))
        bounds = [0, *cuts, len(data)]
        pieces[source] = [data[a:b] for a, b in zip(bounds, bounds[1:])]
    order = draw(st.permutations([s for s, p in pieces.items() for _ in p]))
    it = {s: iter(p) for s, p in pieces.items()}
    return [(s, next(it[s])) for s in order]


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, int], dict[str, str]]:
    """Files, sizes and digests with the whole files fed at once (blocks of 30,000 bytes, row groups
    of 16 rows)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(hfdata, "READ_BLOCK_BYTES", 30_000)
    mp.setattr(hfdata, "WRITER_BATCH_SIZE", 16)
    try:
        folder = tmp_path_factory.mktemp("whole")
        stats = BuildStats()
        with hfdata.ParquetStream(folder) as stream:
            for source, data in _LINES.items():
                stream.feed(source, data)
            stream.close(stats)
    finally:
        mp.undo()
    return _files(folder), stats.dataset_bytes, stats.digests


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feeds=_feeds())
def test_any_chunking_of_the_fed_lines_gives_the_same_files(tmp_path_factory, whole, feeds, monkeypatch):
    monkeypatch.setattr(hfdata, "READ_BLOCK_BYTES", 30_000)
    monkeypatch.setattr(hfdata, "WRITER_BATCH_SIZE", 16)
    folder = tmp_path_factory.mktemp("fed")
    stats = BuildStats()
    with hfdata.ParquetStream(folder) as stream:
        for source, data in feeds:
            stream.feed(source, data)
        stream.close(stats)
    files, sizes, digests = whole
    assert _files(folder) == files
    assert stats.dataset_bytes == sizes
    assert stats.digests == digests == {rel: hashlib.sha256(b).hexdigest() for rel, b in files.items()}
    for rel in files:  # row groups of 16 rows within each block of whole lines, whatever the feeding
        meta = pq.read_metadata(folder / rel)
        assert all(meta.row_group(i).num_rows <= 16 for i in range(meta.num_row_groups))


def test_the_stream_refuses_another_source_and_a_second_close(tmp_path):
    stream = hfdata.ParquetStream(tmp_path)
    with pytest.raises(ValueError, match="cannot stream 'manifest.json'"):
        stream.feed("manifest.json", b"{}\n")
    stream.close()
    with pytest.raises(ValueError, match="closed"):
        stream.feed(ARTICLES, b"{}\n")
    with pytest.raises(ValueError, match="closed"):
        stream.close()


def test_arrow_sizes_count_without_writing(tmp_path):
    folder = _copy_jsonl(CORPUS, tmp_path / "c")
    sizes = hfdata.arrow_sizes(folder)
    assert not (folder / "data").exists()
    ref = _reference_files(CORPUS, tmp_path / "ref", hfdata.READ_BLOCK_BYTES)
    assert sizes == ref


# ---------------------------------------------------------------------------------------------------
# the card's YAML: what DatasetInfosDict and MetadataConfigs write


def _ref_card_yaml(folder: Path, sizes: dict[str, int]) -> str:
    from huggingface_hub import DatasetCardData

    infos = {}
    for config in hfdata.configs_of(folder):
        path = folder / hfdata.data_file(config)
        split = SplitInfo(name="test", num_bytes=sizes[config], num_examples=pq.read_metadata(path).num_rows)
        infos[config] = DatasetInfo(features=ref_features(config), splits=SplitDict({"test": split}),
                                    download_size=path.stat().st_size, dataset_size=sizes[config],
                                    config_name=config)
    infos = DatasetInfosDict(infos)
    data = card_data(folder)  # the Hub metadata; its configs and dataset_info are replaced below
    ref = DatasetCardData(**{k: v for k, v in data.to_dict().items() if k not in ("configs", "dataset_info")})
    MetadataConfigs({
        c: {**({"default": True} if c == "articles" else {}),
            "data_files": [{"split": "test", "path": hfdata.data_file(c)}]}
        for c in infos
    }).to_dataset_card_data(ref)
    infos.to_dataset_card_data(ref)
    return ref.to_yaml()


def test_card_yaml_is_what_datasets_writes(tmp_path):
    sizes = hfdata.arrow_sizes(CORPUS)
    assert card_data(CORPUS).to_yaml() == _ref_card_yaml(CORPUS, sizes)
    header = (CORPUS / "README.md").read_text(encoding="utf-8").split("---\n")[1]
    assert header == card_data(CORPUS).to_yaml() + "\n"


def test_card_yaml_with_silver_is_what_datasets_writes(tmp_path):
    folder = _copy_jsonl(CORPUS, tmp_path / "c", silver_every=2)
    hfdata.write_hf_data(folder)
    assert hfdata.configs_of(folder)[-1] == "silver"
    assert card_data(folder).to_yaml() == _ref_card_yaml(folder, hfdata.arrow_sizes(folder))


# ---------------------------------------------------------------------------------------------------
# Croissant: what mlcroissant writes


def _ref_metadata(folder: Path) -> mlc.Metadata:
    """The Croissant metadata built with mlcroissant's classes from datasets' features."""

    def file_object(rel: str, fmt: str, description: str) -> mlc.FileObject:
        fid = rel.replace("/", "-")
        return mlc.FileObject(id=fid, name=fid, description=description, content_url=rel, encoding_formats=[fmt],
                              sha256=sha256_file(folder / rel), content_size=f"{(folder / rel).stat().st_size} B")

    def data_type(feat: Any) -> list:
        if isinstance(feat, ClassLabel):
            return [mlc.DataType.INTEGER]
        return [{"string": mlc.DataType.TEXT, "int32": mlc.DataType.INTEGER, "bool": mlc.DataType.BOOL,
                 "float64": mlc.DataType.FLOAT}[feat.dtype]]

    def field(feat: Any, fid: str, name: str, file_id: str, json_path: str | None, config: str) -> mlc.Field:
        column = name if json_path is None else json_path
        transforms = [] if json_path is None else [mlc.Transform(json_path=name)]
        source = mlc.Source(file_object=file_id, extract=mlc.Extract(column=column), transforms=transforms)
        shape = None
        inner = feat
        while isinstance(inner, List):
            shape = "-1" if shape is None else shape + ",-1"
            inner = inner.feature
        desc = None
        if isinstance(inner, ClassLabel):
            desc = f"ClassLabel ids; the tag names, by id: {', '.join(hfdata.tag_names(config) or ())}."
        if isinstance(inner, dict):
            subs = [field(v, f"{fid}/{k}", k, file_id, column, config) for k, v in inner.items()]
            return mlc.Field(id=fid, name=name, is_array=shape is not None, array_shape=shape, sub_fields=subs)
        return mlc.Field(id=fid, name=name, description=desc, data_types=data_type(inner), source=source,
                         is_array=shape is not None or None, array_shape=shape)

    def record_set(config: str) -> mlc.RecordSet:
        file_id = hfdata.data_file(config).replace("/", "-")
        fields = [field(f, f"{config}/{k}", k, file_id, None, config) for k, f in ref_features(config).items()]
        what = "article" if hfdata.tag_names(config) is None else "sentence"
        return mlc.RecordSet(id=config, name=config, description=f"Config '{config}': one record per {what}.",
                             fields=fields)

    configs = hfdata.configs_of(folder)
    distribution = [file_object(rel, "application/jsonlines", d) for rel, d in JSONL_FILES.items()]
    distribution += [file_object(hfdata.data_file(c), "application/x-parquet",
                                 f"Parquet file of the config '{c}': its one split, 'test'.") for c in configs]
    return mlc.Metadata(
        name="gaoxin-news", description=DESCRIPTION, version=__version__,
        date_published=release_of(ROOT, __version__).date, cite_as=bibtex(current_cff(ROOT)),
        license=[
            mlc.CreativeWork(name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/",
                             description="The annotations: entities, segmentation and all metadata."),
            mlc.CreativeWork(name="Copyright of the publisher",
                             description="The newspaper text: not openly licensed; shared for research, the "
                                         "publisher's rights retained; taken down on request (see LICENSE.md)."),
        ],
        in_language=["zh"], keywords=["Chinese", "named-entity recognition", "NER", "OntoNotes", "newspaper"],
        creators=[mlc.Organization(name="gaoxin-news maintainers")],
        distribution=distribution, record_sets=[record_set(c) for c in configs],
    )


def _ref_croissant(folder: Path) -> str:
    return json.dumps(_ref_metadata(folder).to_json(), ensure_ascii=False, indent=2) + "\n"


def test_croissant_is_what_mlcroissant_writes():
    assert render_croissant(CORPUS, ROOT) == _ref_croissant(CORPUS) == (CORPUS / CROISSANT).read_text(encoding="utf-8")


def test_croissant_with_silver_is_what_mlcroissant_writes_and_reads_back(tmp_path):
    folder = _copy_jsonl(CORPUS, tmp_path / "c", silver_every=2)
    hfdata.write_hf_data(folder)
    text = render_croissant(folder, ROOT)
    assert text == _ref_croissant(folder)
    (folder / CROISSANT).write_text(text, encoding="utf-8")
    ds = mlc.Dataset(jsonld=str(folder / CROISSANT))
    silver = list(ds.records("silver"))
    assert len(silver) == len(list(hfdata.records(folder, "silver"))) == 48
    first = next(hfdata.records(folder, "silver"))
    assert silver[0]["silver/id"].decode() == first["id"]
    assert [hfdata.BIO_LABELS[i] for i in silver[0]["silver/ner_tags"]] == first["ner_tags"]


def test_croissant_takes_the_digests_recorded_while_writing(tmp_path):
    """The digests in stats are used as they are (not recomputed); a file without one is hashed."""
    stats = BuildStats(dataset_bytes=dict.fromkeys(hfdata.configs_of(CORPUS), 1),
                       digests={ARTICLES: "a" * 64})
    listed = {f["contentUrl"]: f["sha256"] for f in json.loads(render_croissant(CORPUS, ROOT, stats))["distribution"]}
    assert listed[ARTICLES] == "a" * 64
    assert listed[SENTENCES] == sha256_file(CORPUS / SENTENCES)
    # what it hashed is recorded for the manifest
    assert stats.digests[SENTENCES] == listed[SENTENCES]
    assert stats.digests[hfdata.data_file("ner")] == hashlib.sha256((CORPUS / hfdata.data_file("ner")).read_bytes()).hexdigest()


def test_manifest_takes_the_digests_recorded_while_writing(tmp_path):
    folder = _copy_jsonl(CORPUS, tmp_path / "c")
    (folder / "exports" / "brat").mkdir(parents=True)
    (folder / "exports" / "brat" / "x.txt").write_text("x", encoding="utf-8")
    stats = BuildStats()
    hfdata.write_hf_data(folder, stats)
    assert set(stats.digests) == {hfdata.data_file(c) for c in hfdata.configs_of(folder)}
    write_manifest(folder, stats)
    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    for rel in [ARTICLES, SENTENCES, *stats.digests]:
        assert files[rel]["sha256"] == sha256_file(folder / rel)
    stats.digests[ARTICLES] = "b" * 64
    write_manifest(folder, stats)
    man = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert man["files"][ARTICLES]["sha256"] == "b" * 64


def test_hashing_writer_gives_the_sha256_of_the_file(tmp_path):
    path = tmp_path / "f.jsonl"
    raw = HashingWriter(path)
    with io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=True) as f:
        for i in range(1000):
            f.write(f'{{"i": {i}, "t": "高新区"}}\n')
    assert raw.closed
    assert raw.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw.size == path.stat().st_size


# ---------------------------------------------------------------------------------------------------
# the build imports none of them


def test_a_build_imports_neither_datasets_nor_mlcroissant_nor_pandas(tmp_path):
    out = tmp_path / "corpus"
    code = (
        "import sys\n"
        "from gaoxin_news.cli import main\n"
        f"rc = main(['build', '--seeds', {str(SEEDS)!r}, '--out', {str(out)!r}, '--annotations', {str(GOLD)!r}, '-q'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'datasets', 'mlcroissant', 'pandas'}), rc)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert res.stdout.strip().splitlines()[-1] == "[] 0"
    for rel in ("croissant.json", "README.md", "manifest.json", "DATASHEET.md", *_files(CORPUS)):
        assert (out / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel
