"""The ``gaoxin-news`` command: a thin layer over the pipeline modules.

Each command lives with the stage it drives; this module only wires them up. A command module exposes
``add_parser(subparsers)``, which registers its sub-command with ``func`` set to a callable taking the
parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from . import __version__
from .errors import GaoxinError

#: Modules that add sub-commands of their own (see their ``add_parser``).
COMMAND_MODULES: list[str] = [
    "gaoxin_news.docs",
    "gaoxin_news.evaluate",
    "gaoxin_news.predict",
    "gaoxin_news.results",
    "gaoxin_news.release",
    "gaoxin_news.publish",
]

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("corpus")
DEFAULT_ANNOTATIONS = Path("annotations/gold")


def _build(args: argparse.Namespace) -> int:
    from .build import check_corpus, write_corpus

    ann = None if args.no_annotations else args.annotations
    if args.check:
        stale = check_corpus(args.seeds, args.out, ann, jobs=args.jobs)
        if stale:
            for s in stale:
                print(f"{args.out}/{s}", file=sys.stderr)
            print(f"gaoxin-news: {args.out} is stale: {len(stale)} file(s) differ; run 'gaoxin-news build'",
                  file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    st = write_corpus(args.seeds, args.out, ann, jobs=args.jobs, progress=None if not args.quiet else False)
    print(f"built {args.out}: {st.pages} pages, {st.articles} articles, {st.sentences} sentences, "
          f"{st.entities} entities")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_folder

    problems = validate_folder(args.folder)
    for p in problems:
        print(p)
    if problems:
        print(f"gaoxin-news: {args.folder}: {len(problems)} violation(s)", file=sys.stderr)
        return 1
    print(f"{args.folder}: valid")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from .stats import corpus_stats, format_stats

    st = corpus_stats(args.folder)
    print(json.dumps(st.as_dict(), ensure_ascii=False, indent=2) if args.json else format_stats(st))
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from .schemas import stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.out)
        if stale:
            print(f"gaoxin-news: stale JSON Schemas in {args.out}: {', '.join(stale)}", file=sys.stderr)
            return 1
        return 0
    for p in write_schemas(args.out):
        print(p)
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from .agreement import agreement, disagreements
    from .annotations import load_annotation_dir, raise_if

    p1, e1 = load_annotation_dir(args.annotations / "pass1")
    p2, e2 = load_annotation_dir(args.annotations / "pass2")
    raise_if(e1 + e2)
    if not p1 or not p2:
        raise GaoxinError(f"{args.annotations}: pass1/ and pass2/ must both hold .ann files")
    res = agreement(p1, p2)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"{'type':<12} {'pass1':>6} {'pass2':>6} {'match':>6} {'F1':>7}")
    for t, r in [*res["per_type"].items(), ("overall", res["overall"])]:
        print(f"{t:<12} {r['pass1']:>6} {r['pass2']:>6} {r['matched']:>6} {r['f1']:>7.4f}")
    print(f"{len(disagreements(p1, p2))} disagreement(s) before adjudication")
    return 0


def _adjudicate(args: argparse.Namespace) -> int:
    from .agreement import adjudicated, write_gold

    gold, undecided = adjudicated(args.annotations)
    if undecided:
        for u in undecided:
            print(f"undecided: {u}", file=sys.stderr)
        raise GaoxinError(f"{len(undecided)} disagreement(s) have no decision in "
                          f"{args.annotations / 'adjudication.tsv'}")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (args.annotations / "pass1").glob("*.txt")}
    write_gold(gold, texts, args.annotations / "gold")
    print(f"wrote {sum(map(len, gold.values()))} gold spans for {len(gold)} articles")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gaoxin-news", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"gaoxin-news {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build corpus/ from seeds/ and the gold annotation")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of source pages (default: seeds)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: corpus)")
    p.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS,
                   help="folder of gold brat .ann files (default: annotations/gold)")
    p.add_argument("--no-annotations", action="store_true", help="build without gold entities")
    p.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default: 1)")
    p.add_argument("--check", action="store_true", help="exit 1 if the output folder is stale; write nothing")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=_build)

    p = sub.add_parser("validate", help="check a corpus folder against the schemas")
    p.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT)
    p.set_defaults(func=_validate)

    p = sub.add_parser("stats", help="print corpus statistics")
    p.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_stats)

    p = sub.add_parser("schemas", help="write the JSON Schemas of the records")
    p.add_argument("--out", type=Path, default=Path("schemas"))
    p.add_argument("--check", action="store_true", help="exit 1 if the schema files are stale")
    p.set_defaults(func=_schemas)

    p = sub.add_parser("agreement", help="inter-annotator agreement of pass1 and pass2 (strict F1)")
    p.add_argument("--annotations", type=Path, default=Path("annotations"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_agreement)

    p = sub.add_parser("adjudicate", help="derive annotations/gold from the two passes and the decisions")
    p.add_argument("--annotations", type=Path, default=Path("annotations"))
    p.set_defaults(func=_adjudicate)

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except GaoxinError as e:
        print(f"gaoxin-news: error: {e}", file=sys.stderr)
        return 1
    except (OSError, UnicodeError) as e:
        print(f"gaoxin-news: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
