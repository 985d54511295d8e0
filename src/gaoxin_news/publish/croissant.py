"""``corpus/croissant.json``: Croissant metadata (MLCommons) for the corpus.

The distribution lists the JSON Lines data and the Parquet file of every ``datasets`` config, each
with its sha256; there is one record set per config, read from its Parquet file, with fields (and
sub-fields for lists of structs) derived from the config's declared features.

The JSON-LD is written from plain data, the way ``mlcroissant`` writes it (``Metadata.to_json``: its
``@context``, keys sorted as it sorts them, a one-element list written as its element), without
importing ``mlcroissant`` (nor pandas) in the build; the tests read the file with ``mlcroissant`` and
compare it with the metadata built by ``mlcroissant`` itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaoxin_news import __version__
from gaoxin_news.corpus.sources import sha256_file
from gaoxin_news.publish.citation import bibtex, current_cff
from gaoxin_news.publish.hfdata import SPLIT, configs_of, data_file, feature_dict, kind, tag_names
from gaoxin_news.project import project_root, release_of
from gaoxin_news.schema.files import ARTICLES, SENTENCES
from gaoxin_news.schema.labels import ENTITY_TYPES

if TYPE_CHECKING:
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


#: The ``@context`` that ``mlcroissant`` writes for Croissant 1.0.
CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty", "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5",
    "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator",
    "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
}
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"


def _one(values: list) -> Any:
    """A list as ``mlcroissant`` writes a property that may have several values: one value alone."""
    return values[0] if len(values) == 1 else values


def _file_object(rel: str, fmt: str, description: str, sha256: str, size: int) -> dict:
    return {"@type": "cr:FileObject", "@id": _file_id(rel), "name": _file_id(rel), "description": description,
            "contentSize": f"{size} B", "contentUrl": rel, "encodingFormat": fmt, "sha256": sha256}


_DATA_TYPES = {"string": "sc:Text", "bool": "sc:Boolean"}


def _data_type(feat: dict) -> str:
    k = kind(feat)
    if k == "ClassLabel":
        return "sc:Integer"
    if k == "Value":
        dtype = feat["dtype"]
        if dtype in _DATA_TYPES:
            return _DATA_TYPES[dtype]
        if dtype.startswith("int"):
            return "sc:Integer"
        if dtype.startswith("float"):
            return "sc:Float"
    raise TypeError(f"no Croissant data type for {feat!r}")


def _field(feat: dict, fid: str, name: str, file_id: str, json_path: str | None, config: str) -> dict:
    """A Croissant field for a feature: lists become arrays, structs get sub-fields.

    Top-level fields read a Parquet column; sub-fields read the parent's column and pick their key
    from each element with a ``jsonPath`` transform.
    """
    column = name if json_path is None else json_path
    shape = None
    inner = feat
    while kind(inner) == "List":
        shape = "-1" if shape is None else shape + ",-1"
        inner = inner["feature"]
    out: dict[str, Any] = {"@type": "cr:Field", "@id": fid, "name": name}
    if kind(inner) == "ClassLabel":
        out["description"] = f"ClassLabel ids; the tag names, by id: {', '.join(tag_names(config) or ())}."
    if shape is not None:
        out["cr:arrayShape"] = shape
    if kind(inner) == "struct":
        out["cr:isArray"] = shape is not None
        out["subField"] = _one([_field(v, f"{fid}/{k}", k, file_id, column, config) for k, v in inner.items()])
        return out
    if shape is not None:
        out["cr:isArray"] = True
    out["dataType"] = _data_type(inner)
    source: dict[str, Any] = {"fileObject": {"@id": file_id}, "extract": {"column": column}}
    if json_path is not None:
        source["transform"] = {"jsonPath": name}
    out["source"] = source
    return out


def record_set(config: str) -> dict:
    file_id = _file_id(data_file(config))
    fields = [_field(f, f"{config}/{k}", k, file_id, None, config) for k, f in feature_dict(config).items()]
    what = "article" if tag_names(config) is None else "sentence"
    return {"@type": "cr:RecordSet", "@id": config, "name": config,
            "description": f"Config '{config}': one record per {what}.", "field": fields}


def metadata(folder: Path, root: Path, digests: dict[str, str] | None = None,
             configs: list[str] | None = None) -> dict:
    """The JSON-LD of the corpus in ``folder``: ``digests`` (relative path → sha256) are the files'
    digests recorded while they were written; a file without one is hashed here and its digest added
    to ``digests`` (for the manifest). ``configs``: the configs published (default:
    :func:`configs_of` ``folder``)."""
    digests = digests if digests is not None else {}
    configs = configs if configs is not None else list(configs_of(folder))

    def file_object(rel: str, fmt: str, description: str) -> dict:
        path = folder / rel
        if rel not in digests:
            digests[rel] = sha256_file(path)
        return _file_object(rel, fmt, description, digests[rel], path.stat().st_size)

    distribution = [file_object(rel, "application/jsonlines", desc) for rel, desc in JSONL_FILES.items()]
    distribution += [file_object(data_file(c), "application/x-parquet",
                                 f"Parquet file of the config '{c}': its one split, '{SPLIT}'.")
                     for c in configs]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "gaoxin-news",
        "description": DESCRIPTION,
        "conformsTo": CONFORMS_TO,
        "citeAs": bibtex(current_cff(root)),
        "creator": {"@type": "sc:Organization", "name": "gaoxin-news maintainers"},
        "datePublished": release_of(root, __version__).date,
        "inLanguage": "zh",
        "keywords": ["Chinese", "named-entity recognition", "NER", "OntoNotes", "newspaper"],
        "license": [
            {"@type": "sc:CreativeWork", "name": "CC BY 4.0",
             "description": "The annotations: entities, segmentation and all metadata.",
             "url": "https://creativecommons.org/licenses/by/4.0/"},
            {"@type": "sc:CreativeWork", "name": "Copyright of the publisher",
             "description": "The newspaper text: not openly licensed; shared for research, the publisher's "
                            "rights retained; taken down on request (see LICENSE.md)."},
        ],
        "version": __version__,
        "distribution": distribution,
        "recordSet": [record_set(c) for c in configs],
    }


def render_croissant(folder: Path, root: Path, stats: BuildStats | None = None) -> str:
    """``croissant.json``; with the build's ``stats``, the digests recorded while writing (the files it
    hashes itself are added to ``stats.digests``) and the configs written."""
    digests = stats.digests if stats is not None else None
    configs = list(stats.dataset_bytes) if stats is not None and stats.dataset_bytes else None
    return json.dumps(metadata(folder, root, digests, configs), ensure_ascii=False, indent=2) + "\n"


def write_croissant(folder: Path, stats: BuildStats | None = None) -> None:
    """Build writer: ``croissant.json``, after the Parquet files it describes."""
    (folder / CROISSANT).write_text(render_croissant(folder, project_root(folder), stats), encoding="utf-8")
