"""``corpus/croissant.json``: Croissant metadata (MLCommons) for the corpus, built with ``mlcroissant``.

The distribution lists the JSON Lines data and the Parquet file of every ``datasets`` config, each
with its sha256; there is one record set per config, read from its Parquet file, with fields (and
sub-fields for lists of structs) derived from the config's declared features.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaoxin_news import __version__
from gaoxin_news.schema.files import ARTICLES, SENTENCES
from gaoxin_news.corpus.sources import sha256_file
from gaoxin_news.publish.citation import bibtex, current_cff
from gaoxin_news.publish.hfdata import SPLIT, configs_of, data_file, features, tag_names
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.project import project_root, release_of

if TYPE_CHECKING:
    import mlcroissant as mlc

    from gaoxin_news.corpus.stats import BuildStats

CROISSANT = "croissant.json"
DESCRIPTION = (
    "Chinese newspaper pages about high-tech zones (高新区), cut into articles, news briefs and photo items, "
    f"segmented into sentences, with gold named entities of the {len(ENTITY_TYPES)} OntoNotes 5.0 types (also "
    "mapped to the "
"MSRA and OntoNotes 4.0 schemes). Annotations: CC BY 4.0; the newspaper text remains under its "
    "publisher's copyright and is shared for research (see LICENSE.md)."
)
JSONL_FILES = {ARTICLES: "articles.jsonl: one article per line (config 'articles').",
               SENTENCES: "sentences.jsonl: one sentence per line (config 'ner')."}


def _file_id(rel: str) -> str:
    return rel.replace("/", "-")


def _file_object(folder: Path, rel: str, fmt: str, description: str) -> mlc.FileObject:
    import mlcroissant as mlc

    path = folder / rel
    return mlc.FileObject(
        id=_file_id(rel), name=_file_id(rel), description=description, content_url=rel,
        encoding_formats=[fmt], sha256=sha256_file(path), content_size=f"{path.stat().st_size} B",
    )


def _data_type(feat: Any) -> list:
    import mlcroissant as mlc
    from datasets import ClassLabel, Value

    if isinstance(feat, ClassLabel):
        return [mlc.DataType.INTEGER]
    if isinstance(feat, Value):
        if feat.dtype == "string":
            return [mlc.DataType.TEXT]
        if feat.dtype.startswith("int"):
            return [mlc.DataType.INTEGER]
        if feat.dtype == "bool":
            return [mlc.DataType.BOOL]
        if feat.dtype.startswith("float"):
            return [mlc.DataType.FLOAT]
    raise TypeError(f"no Croissant data type for {feat!r}")


def _fields(feat: Any, fid: str, name: str, file_id: str, json_path: str | None, config: str) -> mlc.Field:
    """A Croissant field for a datasets feature: lists become arrays, structs get sub-fields.

    Top-level fields read a Parquet column; sub-fields read the parent's column and pick their key
    from each element with a ``jsonPath`` transform.
    """
    import mlcroissant as mlc
    from datasets import ClassLabel, List

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
        desc = f"ClassLabel ids; the tag names, by id: {', '.join(tag_names(config) or ())}."
    if isinstance(inner, dict):
        subs = [_fields(v, f"{fid}/{k}", k, file_id, column, config) for k, v in inner.items()]
        return mlc.Field(id=fid, name=name, is_array=shape is not None, array_shape=shape, sub_fields=subs)
    return mlc.Field(id=fid, name=name, description=desc, data_types=_data_type(inner), source=source,
                     is_array=shape is not None or None, array_shape=shape)


def record_set(config: str) -> mlc.RecordSet:
    import mlcroissant as mlc

    file_id = _file_id(data_file(config))
    fields = [_fields(f, f"{config}/{k}", k, file_id, None, config) for k, f in features(config).items()]
    what = "article" if tag_names(config) is None else "sentence"
    return mlc.RecordSet(id=config, name=config, description=f"Config '{config}': one record per {what}.",
                         fields=fields)


def metadata(folder: Path, root: Path) -> mlc.Metadata:
    import mlcroissant as mlc

    distribution = [_file_object(folder, rel, "application/jsonlines", desc) for rel, desc in JSONL_FILES.items()]
    distribution += [
        _file_object(folder, data_file(c), "application/x-parquet",
                     f"Parquet file of the config '{c}': its one split, '{SPLIT}'.")
        for c in configs_of(folder)
    ]
    return mlc.Metadata(
        name="gaoxin-news",
        description=DESCRIPTION,
        version=__version__,
        date_published=release_of(root, __version__).date,
        cite_as=bibtex(current_cff(root)),
        license=[
            mlc.CreativeWork(name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/",
                             description="The annotations: entities, segmentation and all metadata."),
            mlc.CreativeWork(name="Copyright of the publisher",
                             description="The newspaper text: not openly licensed; shared for research, the "
                                         "publisher's rights retained; taken down on request (see LICENSE.md)."),
        ],
        in_language=["zh"],
        keywords=["Chinese", "named-entity recognition", "NER", "OntoNotes", "newspaper"],
        creators=[mlc.Organization(name="gaoxin-news maintainers")],
        distribution=distribution,
        record_sets=[record_set(c) for c in configs_of(folder)],
    )


def render_croissant(folder: Path, root: Path) -> str:
    return json.dumps(metadata(folder, root).to_json(), ensure_ascii=False, indent=2) + "\n"


def write_croissant(folder: Path, stats: BuildStats | None = None) -> None:
    """Build writer: ``croissant.json``, after the Parquet files it describes."""
    (folder / CROISSANT).write_text(render_croissant(folder, project_root(folder)), encoding="utf-8")
