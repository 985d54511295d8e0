"""The ``gaoxin-news`` command: the only place that wires the stages together.

Every sub-command parses its arguments here and calls the functions of the stage it drives; no other
module imports argparse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from gaoxin_news import __version__
from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.labels import SCHEMES


class RootPath:
    """A default path, relative to the project root (never to the working directory): resolved by
    :func:`main` against :func:`gaoxin_news.project.project_root` of the working directory (the nearest
    folder above it holding seeds/ and pyproject.toml, else the source tree of this package)."""

    def __init__(self, rel: str) -> None:
        self.rel = rel

    def __repr__(self) -> str:
        return self.rel


DEFAULT_SEEDS = RootPath("seeds")
DEFAULT_OUT = RootPath("corpus")
DEFAULT_ANNOTATIONS = RootPath("annotations/gold")
DEFAULT_SILVER = RootPath("annotations/silver")


def _resolve_defaults(args: argparse.Namespace) -> None:
    from gaoxin_news.project import project_root

    root: Path | None = None
    for key, value in vars(args).items():
        if isinstance(value, RootPath):
            root = root or project_root(Path.cwd())
            setattr(args, key, root / value.rel)


def refuse_corpus_target(path: Path, what: str) -> None:
    """Refuse to write ``path`` when it is, or lies inside, a corpus folder (only the build writes there)."""
    from gaoxin_news.schema.files import corpus_folder_of

    folder = corpus_folder_of(path)
    if folder is not None:
        raise GaoxinError(f"{path}: {what} would write into the corpus folder {folder}; only "
                          "'gaoxin-news build' writes there. Choose another path")


# ---------------------------------------------------------------------------------------------------
# corpus: build, validate, stats, schemas, agreement, adjudicate
# ---------------------------------------------------------------------------------------------------
def _build(args: argparse.Namespace) -> int:
    from gaoxin_news.build.executor import check_corpus, write_corpus
    from gaoxin_news.publish.writers import WRITERS

    ann = None if args.no_annotations else args.annotations
    silver = None if args.no_annotations else args.silver
    if args.check:
        stale = check_corpus(args.seeds, args.out, ann, jobs=args.jobs, writers=WRITERS, silver=silver)
        if stale:
            for s in stale:
                print(f"{args.out}/{s}", file=sys.stderr)
            print(f"gaoxin-news: {args.out} is stale: {len(stale)} file(s) differ; run 'gaoxin-news build'",
                  file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    st = write_corpus(args.seeds, args.out, ann, jobs=args.jobs, progress=None if not args.quiet else False,
                      writers=WRITERS, max_page_bytes=args.max_page_bytes, silver=silver)
    gold, sil = st.corpus.by_status("gold"), st.corpus.by_status("silver")
    print(f"built {args.out}: {st.pages} pages, {st.articles} items, {gold['sentences']} gold sentences, "
          f"{st.entities} gold entities; {st.corpus.items_without_gold} item(s) without gold "
          f"({sil['items']} silver, {st.corpus.by_status('none')['items']} not annotated)")
    print(entity_change(st.entities, st.previous_entities))
    return 0


def entity_change(now: int, before: int | None) -> str:
    """One line saying how the gold entity count compares with the corpus the build replaced."""
    if before is None:
        return "gold entities: no previous corpus to compare with"
    if now < before:
        return (f"warning: the gold entity count dropped from {before} to {now} ({before - now} fewer) "
                "against the previous corpus; check that no gold annotation was lost")
    if now > before:
        return f"gold entities: {now}, {now - before} more than the previous corpus ({before})"
    return f"gold entities: {now}, unchanged against the previous corpus"


def _validate(args: argparse.Namespace) -> int:
    from gaoxin_news.build.validate import validate_folder

    problems = validate_folder(args.folder)
    for p in problems:
        print(p)
    if problems:
        print(f"gaoxin-news: {args.folder}: {len(problems)} violation(s)", file=sys.stderr)
        return 1
    print(f"{args.folder}: valid")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from gaoxin_news.build.validate import validate_folder
    from gaoxin_news.corpus.stats import corpus_stats, format_stats

    problems = validate_folder(args.folder)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        raise GaoxinError(f"{args.folder}: {len(problems)} violation(s); statistics are computed only of a "
                          "valid corpus")
    st = corpus_stats(args.folder)
    print(json.dumps(st.as_dict(), ensure_ascii=False, indent=2) if args.json else format_stats(st))
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from gaoxin_news.schema.jsonschema import stale_schemas, write_schemas

    refuse_corpus_target(args.out, "schemas")

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
    from gaoxin_news.corpus.agreement import agreement, check_same_items, disagreements
    from gaoxin_news.corpus.annotations import load_annotation_dir, raise_if

    p1, e1 = load_annotation_dir(args.annotations / "pass1")
    p2, e2 = load_annotation_dir(args.annotations / "pass2")
    raise_if(e1 + e2)
    if not p1 or not p2:
        raise GaoxinError(f"{args.annotations}: pass1/ and pass2/ must both hold .ann files")
    check_same_items(p1, p2, args.annotations)
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
    from gaoxin_news.corpus.agreement import adjudicated, write_gold

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


# ---------------------------------------------------------------------------------------------------
# NER evaluation: evaluate, predict, baselines
# ---------------------------------------------------------------------------------------------------
def _evaluate(args: argparse.Namespace) -> int:
    from gaoxin_news.ner.bootstrap import format_role_groups
    from gaoxin_news.ner.errors import format_summary, sentence_errors, summary, write_errors
    from gaoxin_news.ner.evaluate import evaluate_stream, format_report
    from gaoxin_news.schema.labels import scheme_types

    if args.bootstrap < 0:
        raise GaoxinError(f"--bootstrap: the number of resamples must be 0 or more, got {args.bootstrap}")
    if args.errors is not None:
        refuse_corpus_target(args.errors, "evaluate --errors")
    errs: list[dict] | None = None
    on_sentence = restart = None
    if args.errors is not None:
        errs = []

        def on_sentence(s, g, p):  # type: ignore[no-untyped-def]
            errs.extend(sentence_errors(s.id, s.text, g, p, s.role))

        restart = errs.clear
    report, info = evaluate_stream(args.pred, args.corpus, args.scheme, bootstrap=args.bootstrap, seed=args.seed,
                                   max_line_bytes=args.max_line_bytes, on_sentence=on_sentence, restart=restart)
    if errs is not None:
        write_errors(args.errors, errs)
    if args.json:
        if errs is not None:
            report["errors"] = {"file": str(args.errors), "by_type": summary(errs)}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        title = (f"{args.pred} against {Path(args.corpus) / 'sentences.jsonl'}, scheme {args.scheme}: "
                 f"{info['sentences']} sentences ({info['records']} with a prediction line), {info['gold']} gold "
                 f"entities, {report['strict']['counts']['predicted']} predicted")
        sys.stdout.write(format_report(report, title))
        groups = format_role_groups(report)
        if groups:
            sys.stdout.write("\n" + groups)
        if errs is not None:
            sys.stdout.write("\n" + format_summary(summary(errs), scheme_types(args.scheme)))
            print(f"{len(errs)} errors written to {args.errors}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from gaoxin_news.ner.compare import compare_files, format_comparison

    if len(args.pred) != 2:
        raise GaoxinError(f"compare: give --pred exactly twice (A, then B), got {len(args.pred)}")
    if args.resamples < 1:
        raise GaoxinError(f"--resamples: must be positive, got {args.resamples}")
    a, b = args.pred
    res = compare_files(a, b, args.corpus, args.scheme, args.method, args.resamples, args.seed)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(f"A = {a}\nB = {b}\nscheme {args.scheme}\n" + format_comparison(res))
    return 0


def _label_map(arg: str | None) -> dict[str, str | None] | None:
    if arg is None:
        return None
    try:
        path = Path(arg)
        text = path.read_text(encoding="utf-8") if path.exists() else arg
        m = json.loads(text)
    except ValueError as e:
        raise GaoxinError(f"--label-map: not a JSON object or a file holding one: {e}") from None
    if not isinstance(m, dict):
        raise GaoxinError("--label-map: expected a JSON object mapping model labels to gaoxin-news labels")
    return m


def _predict(args: argparse.Namespace) -> int:
    from gaoxin_news.ner.predict import load_recogniser, predict_corpus

    refuse_corpus_target(args.out, "predict")

    if args.baseline:
        from gaoxin_news.ner.baselines import load_baseline

        rec = load_baseline(args.baseline)
    elif args.hf:
        from gaoxin_news.ner.hf import HFTokenClassifier

        rec = HFTokenClassifier(args.hf, label_map=_label_map(args.label_map))
    else:
        rec = load_recogniser(args.model)
    print(predict_corpus(rec, args.corpus, args.out, args.scheme))
    return 0


def _baselines(args: argparse.Namespace) -> int:
    from gaoxin_news.ner.results import SCHEME_ORDER, compute_results, stale_files, write_results

    if not args.check:
        refuse_corpus_target(args.out, "baselines")
        refuse_corpus_target(args.readme, "baselines")
    results = compute_results(args.corpus)
    if args.check:
        stale = stale_files(results, args.out, args.readme)
        if stale:
            print(f"gaoxin-news: stale baseline results: {', '.join(map(str, stale))}; run 'gaoxin-news baselines'",
                  file=sys.stderr)
            return 1
        print("baseline results are up to date")
        return 0
    for p in write_results(results, args.out, args.readme):
        print(p)
    for n, r in results["baselines"].items():
        f1 = {s: r["schemes"][s]["strict"]["micro"]["f1"] for s in SCHEME_ORDER}
        print(f"  {n:<12} " + "  ".join(f"{s} F1 {100 * f1[s]:.1f}" for s in SCHEME_ORDER))
    return 0


# ---------------------------------------------------------------------------------------------------
# growing the corpus: preannotate, labelstudio, status
# ---------------------------------------------------------------------------------------------------
def _recogniser_and_id(args: argparse.Namespace):
    from gaoxin_news import __version__ as pkg_version
    from gaoxin_news.annotate.preannotate import ModelId, folder_version

    if args.baseline:
        from importlib import metadata

        from gaoxin_news.ner.baselines import BASELINES, load_baseline

        rec = load_baseline(args.baseline)
        deps = [f"{d} {metadata.version(d)}" for d in BASELINES[args.baseline].requires]
        return rec, ModelId(args.baseline, ", ".join([f"gaoxin-news {pkg_version}", *deps]))
    if args.hf:
        from gaoxin_news.ner.hf import HFTokenClassifier

        label_map = _label_map(args.label_map)
        rec = HFTokenClassifier(args.hf, label_map=label_map)
        extra = json.dumps(label_map, sort_keys=True) if label_map else ""
        return rec, ModelId(Path(args.hf).resolve().name, folder_version(Path(args.hf), extra))
    import importlib
    from importlib import metadata

    from gaoxin_news.ner.predict import load_recogniser

    rec = load_recogniser(args.python)
    mod = importlib.import_module(args.python.partition(":")[0])
    version = getattr(rec, "version", None) or getattr(rec, "__version__", None) or getattr(mod, "__version__", None)
    if version is None:
        try:
            version = metadata.version(mod.__name__.split(".")[0])
        except metadata.PackageNotFoundError:
            src = getattr(mod, "__file__", None)
            if src is None:
                raise GaoxinError(f"--python {args.python}: no version: give the callable a 'version' "
                                  "attribute") from None
            import hashlib

            version = "sha256:" + hashlib.sha256(Path(src).read_bytes()).hexdigest()[:16]
    return rec, ModelId(args.python, str(version))


def _preannotate(args: argparse.Namespace) -> int:
    from gaoxin_news.annotate.items import current_pages
    from gaoxin_news.annotate.preannotate import preannotate

    refuse_corpus_target(args.annotations / "silver", "preannotate")
    pages = current_pages(args.seeds, args.pages)
    rec, model = _recogniser_and_id(args)
    res = preannotate(rec, model, pages, args.annotations, force=args.force)
    print(f"wrote silver annotation of {model.name} ({model.version}) for {len(res.items)} item(s), "
          f"{res.spans} span(s), to {res.folder}")
    return 0


def _ls_config(args: argparse.Namespace) -> int:
    from gaoxin_news.annotate.labelstudio import label_config

    sys.stdout.write(label_config())
    return 0


def _ls_export(args: argparse.Namespace) -> int:
    from gaoxin_news.annotate.items import current_pages
    from gaoxin_news.annotate.labelstudio import export_tasks
    from gaoxin_news.corpus.annotations import load_annotation_dir, load_silver, raise_if

    refuse_corpus_target(args.out, "labelstudio export")
    pages = current_pages(args.seeds, args.pages)
    gold, problems = load_annotation_dir(args.annotations / "gold")
    raise_if(problems)
    items = [a for p in pages for a in p.items if args.pages or a.id not in gold]
    if not items:
        raise GaoxinError("every item has gold annotation: name the pages to export with --pages")
    silver = None
    if args.with_silver:
        silver, problems = load_silver(args.annotations / "silver")
        raise_if(problems)
    tasks = export_tasks(items, silver)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    n_pred = sum(1 for t in tasks if t.get("predictions"))
    print(f"wrote {len(tasks)} task(s) of {len({a.source_id for a in items})} page(s) to {args.out}"
          + (f", {n_pred} with silver predictions" if args.with_silver else ""))
    return 0


def _ls_import(args: argparse.Namespace) -> int:
    from gaoxin_news.annotate.items import current_pages, items_by_id
    from gaoxin_news.annotate.labelstudio import check_pages_complete, read_export, write_pass

    refuse_corpus_target(args.annotations / args.pass_name, "labelstudio import")
    pages = current_pages(args.seeds)
    items = items_by_id(pages)
    imported = read_export(args.export, items, args.annotator)
    check_pages_complete(args.export, imported, pages)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    write_pass(imported, items, args.annotations / args.pass_name, args.export.name, now, force=args.force)
    who = sorted({i.annotator for i in imported})
    print(f"imported {len(imported)} item(s), {sum(len(i.spans) for i in imported)} span(s) by "
          f"{', '.join(who)} into {args.annotations / args.pass_name}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from gaoxin_news.annotate.items import current_pages
    from gaoxin_news.annotate.status import format_status, page_status

    rows = page_status(current_pages(args.seeds, args.pages), args.annotations)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(format_status(rows))
    return 0


# ---------------------------------------------------------------------------------------------------
# publishing: docs, release, publish
# ---------------------------------------------------------------------------------------------------
def _docs(args: argparse.Namespace) -> int:
    from gaoxin_news.publish.docs import rendered

    stale = []
    if not args.check:
        refuse_corpus_target(args.readme, "docs")
    for path, new in rendered(args.readme, args.corpus).items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if new != old:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(f"gaoxin-news: stale: {', '.join(map(str, stale))}; run 'gaoxin-news docs'", file=sys.stderr)
        return 1
    print("documents up to date" if not stale else f"updated {', '.join(map(str, stale))}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from gaoxin_news.build.executor import install_folder
    from gaoxin_news.publish.release import execute, git_commands, plan

    p = plan(args.root.resolve(), args.version, args.date or dt.date.today().isoformat())
    changed = execute(p, install_folder)
    print(f"released {p.new} (was {p.old}), dated {p.date}: {', '.join(changed)} updated")
    print("review the changes, then commit and tag:")
    for cmd in git_commands(p, changed):
        print(f"  {cmd}")
    print("then publish: gaoxin-news publish --repo-id OWNER/NAME --push")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from gaoxin_news.publish.hub import TOKEN_ENV, check_corpus_folder, check_repo_id, push, upload_files

    check_repo_id(args.repo_id)
    folder: Path = args.folder
    version = check_corpus_folder(folder)
    files = upload_files(folder)
    if not args.push:
        print(f"dry run: would upload {len(files)} files of {folder} to the dataset {args.repo_id} "
              f"and tag it v{version}")
        for f in files:
            print(f"{f.sha256}  {f.bytes:>10}  {f.path}")
        print("add --push (with HF_TOKEN set) to upload")
        return 0
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise GaoxinError(f"{TOKEN_ENV} is not set: the token is read only from the environment")
    tag = push(folder, args.repo_id, version, token, args.private)
    print(f"published {len(files)} files to https://huggingface.co/datasets/{args.repo_id}, tagged {tag}")
    print(f'load it with: load_dataset("{args.repo_id}", "ner", revision="{tag}")')
    return 0


# ---------------------------------------------------------------------------------------------------
# viewing: view
# ---------------------------------------------------------------------------------------------------
def _view(args: argparse.Namespace) -> int:
    from gaoxin_news.ner.predictions import read_gold, read_predictions
    from gaoxin_news.view.data import read_articles, read_sources, read_version, site_view
    from gaoxin_news.schema.files import refuse_overlap
    from gaoxin_news.view.site import render_site, write_site

    refuse_overlap(args.out, {"corpus": args.corpus, "seeds": args.seeds, "annotations": args.annotations})
    refuse_corpus_target(args.out, "view")
    articles = read_articles(args.corpus)
    version = read_version(args.corpus)
    pages = read_sources(args.seeds, {a.source_id for a in articles})
    preds = read_predictions(args.pred, read_gold(args.corpus)) if args.pred else None
    site = site_view(version, articles, pages, preds, args.pred.name if args.pred else None)
    write_site(render_site(site), args.out)
    what = f", gold against {args.pred}" if args.pred else ""
    print(f"wrote {args.out}: index.html and {len(site.pages)} page(s), {sum(len(p.items) for p in site.pages)} "
          f"items, {site.entities} gold entities{what}; open {args.out / 'index.html'}")
    return 0


# ---------------------------------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------------------------------
def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=RootPath("corpus"), help="corpus folder (default: corpus)")


def _check_arg(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--check", action="store_true", help=f"exit 1 if {what} stale; write nothing")


def _readme_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--readme", type=Path, default=RootPath("README.md"), help="README to update (default: README.md)")


def _pages_args(p: argparse.ArgumentParser) -> None:
    """The source pages and the annotation folder (with its passes, gold and silver) of a command that works
    on annotation."""
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of source pages (default: seeds)")
    p.add_argument("--annotations", type=Path, default=RootPath("annotations"),
                   help="annotation folder (default: annotations)")


def _scheme_arg(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--scheme", choices=list(SCHEMES), default="ontonotes", help=f"{what} (default: ontonotes)")


def _recogniser_args(p: argparse.ArgumentParser, python_flag: str, python_metavar: str) -> None:
    """The model to run, exactly one: a baseline, a local Hugging Face model (with its label map) or a
    Python recogniser (``python_flag``)."""
    from gaoxin_news.ner.baselines import BASELINES

    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--baseline", choices=list(BASELINES), help="one of the offline baselines")
    which.add_argument("--hf", metavar="DIR",
                       help="a Hugging Face token-classification model saved in a local folder (extra 'hf')")
    which.add_argument(python_flag, metavar=python_metavar,
                       help="a Python recogniser: a callable text -> spans (a class is instantiated)")
    p.add_argument("--label-map", metavar="JSON",
                   help="with --hf: JSON object (or file) mapping model labels to gaoxin-news labels; null drops")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gaoxin-news", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"gaoxin-news {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    from gaoxin_news.ner.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED

    p = sub.add_parser("build", help="build corpus/ from seeds/ and the gold annotation")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of source pages (default: seeds)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: corpus)")
    p.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS,
                   help="folder of gold brat .ann files (default: annotations/gold)")
    p.add_argument("--silver", type=Path, default=DEFAULT_SILVER,
                   help="folder of silver annotation, one folder per model (default: annotations/silver)")
    p.add_argument("--no-annotations", action="store_true", help="build without gold or silver entities")
    p.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default: 1)")
    _check_arg(p, "the output folder is")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--max-page-bytes", type=int, default=None, metavar="N",
                   help="refuse a page file larger than N bytes (default: 4 MiB)")
    p.set_defaults(func=_build)

    p = sub.add_parser("validate", help="check a corpus folder against the schemas")
    p.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT)
    p.set_defaults(func=_validate)

    p = sub.add_parser("stats", help="print corpus statistics")
    p.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_stats)

    p = sub.add_parser("schemas", help="write the JSON Schemas of the records")
    p.add_argument("--out", type=Path, default=RootPath("schemas"))
    _check_arg(p, "the schema files are")
    p.set_defaults(func=_schemas)

    p = sub.add_parser("agreement", help="inter-annotator agreement of pass1 and pass2 (strict F1)")
    p.add_argument("--annotations", type=Path, default=RootPath("annotations"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_agreement)

    p = sub.add_parser("adjudicate", help="derive annotations/gold from the two passes and the decisions")
    p.add_argument("--annotations", type=Path, default=RootPath("annotations"))
    p.set_defaults(func=_adjudicate)

    p = sub.add_parser("docs", help="regenerate README.md's computed sections and DATASHEET.md from corpus/")
    _readme_arg(p)
    _corpus_arg(p)
    _check_arg(p, "a document is")
    p.set_defaults(func=_docs)

    p = sub.add_parser(
        "evaluate", help="score a prediction file against the gold entities",
        description="Score a prediction file (JSON Lines: {\"id\", \"entities\": [{\"start\", \"end\", \"label\"}]}) "
                    "against corpus/sentences.jsonl: strict span-and-type matching (equal to seqeval strict IOB2) and "
                    "nervaluate's strict, exact, partial and ent_type modes, per type, micro and macro; "
                    "bootstrap 95% intervals of the micro figures; the figures of heading and body sentences; "
                    "with --errors, every error as a JSON line.",
    )
    p.add_argument("--pred", type=Path, required=True, help="prediction file (JSON Lines)")
    _scheme_arg(p, "map gold and predictions to this scheme before scoring")
    p.add_argument("--json", action="store_true", help="print the figures as a JSON object")
    _corpus_arg(p)
    p.add_argument("--max-line-bytes", type=int, default=1 << 20, metavar="N",
                   help="refuse a prediction line longer than N bytes (default: 1 MiB)")
    p.add_argument("--bootstrap", type=int, default=DEFAULT_RESAMPLES, metavar="N",
                   help=f"bootstrap resamples of the sentences for the 95%% intervals (default: {DEFAULT_RESAMPLES}; "
                        "0: no intervals)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                   help=f"random seed of the resampling (default: {DEFAULT_SEED}); a seed gives the same intervals")
    p.add_argument("--errors", type=Path, metavar="FILE",
                   help="write every error (missed, spurious, wrong type, wrong boundary, wrong type and "
                        "boundary) as a JSON line to FILE")
    p.set_defaults(func=_evaluate)

    p = sub.add_parser(
        "compare", help="paired significance test of two prediction files (strict micro F1)",
        description="Compare two prediction files on the same sentences: strict micro F1 of A and B, their "
                    "difference B - A with its 95% paired bootstrap interval, and a p-value (paired bootstrap, "
                    "Koehn 2004, or approximate randomisation).",
    )
    p.add_argument("--pred", type=Path, action="append", required=True, metavar="FILE",
                   help="a prediction file; give it twice: A, then B")
    _scheme_arg(p, "map gold and predictions to this scheme before scoring")
    p.add_argument("--method", choices=["bootstrap", "randomization"], default="bootstrap",
                   help="the test giving the p-value (default: bootstrap)")
    p.add_argument("--resamples", type=int, default=DEFAULT_RESAMPLES, metavar="N",
                   help=f"resamples or shuffles (default: {DEFAULT_RESAMPLES})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"random seed (default: {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")
    _corpus_arg(p)
    p.set_defaults(func=_compare)

    p = sub.add_parser(
        "predict", help="run a model over the corpus sentences and write a prediction file",
        description="Run a recogniser over corpus/sentences.jsonl and write its predictions as JSON Lines "
                    "(the input of 'gaoxin-news evaluate').",
    )
    _recogniser_args(p, "--model", "MODULE:ATTR")
    p.add_argument("--out", type=Path, required=True, help="prediction file to write")
    _scheme_arg(p, "the scheme whose own labels the model may use besides OntoNotes")
    _corpus_arg(p)
    p.set_defaults(func=_predict)

    p = sub.add_parser(
        "baselines", help="run every offline baseline and publish the results table",
        description="Run every baseline over the corpus, score it under every scheme and write "
                    "results/baselines.json, results/baselines.md and the baselines section of README.md.",
    )
    _corpus_arg(p)
    p.add_argument("--out", type=Path, default=RootPath("results"), help="results folder (default: results)")
    _readme_arg(p)
    _check_arg(p, "any results file is")
    p.set_defaults(func=_baselines)

    p = sub.add_parser(
        "preannotate", help="write a model's spans as silver annotation for the items without gold",
        description="Run a recogniser over the items without gold (of every page, or of the pages named) and "
                    "write its spans as silver annotation: brat files in annotations/silver/<model>/ with "
                    "model.json recording the model's name and version. Gold always wins over silver.",
    )
    _recogniser_args(p, "--python", "MODULE:FUNCTION")
    p.add_argument("--pages", nargs="+", metavar="SOURCE_ID", help="only these pages (default: every page)")
    _pages_args(p)
    p.add_argument("--force", action="store_true", help="replace a folder holding another version of the model")
    p.set_defaults(func=_preannotate)

    p = sub.add_parser("labelstudio", help="Label Studio: labeling config, tasks out, annotations back in")
    lsub = p.add_subparsers(dest="ls_command", required=True)
    q = lsub.add_parser("config", help="print the labeling config (XML)")
    q.set_defaults(func=_ls_config)
    q = lsub.add_parser("export", help="write one Label Studio task per item (JSON)")
    q.add_argument("--out", type=Path, required=True, help="tasks file to write")
    q.add_argument("--pages", nargs="+", metavar="SOURCE_ID",
                   help="every item of these pages (default: every item without gold)")
    q.add_argument("--with-silver", action="store_true", help="add each item's silver spans as predictions")
    _pages_args(q)
    q.set_defaults(func=_ls_export)
    q = lsub.add_parser("import", help="turn a Label Studio JSON export into one pass's brat files")
    q.add_argument("export", type=Path, help="the JSON export of the Label Studio project")
    q.add_argument("--pass", dest="pass_name", choices=["pass1", "pass2"], required=True)
    q.add_argument("--annotator", help="take the annotations of this Label Studio user (the id of 'completed_by' in the "
                   "export) when tasks hold several annotators' work")
    q.add_argument("--force", action="store_true", help="replace existing pass files of these items")
    _pages_args(q)
    q.set_defaults(func=_ls_import)

    p = sub.add_parser("status", help="per page: items, passes, agreement, adjudication, annotation status")
    p.add_argument("--pages", nargs="+", metavar="SOURCE_ID", help="only these pages")
    _pages_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_status)

    p = sub.add_parser(
        "view", help="write a static HTML view of the corpus (pages, items, entities; gold against predictions)",
        description="Write a static site (index.html, one page per source page) that opens from file:// with no "
                    "network: items in reading order, block roles, sentence boundaries, entities coloured by "
                    "type, each block linked to its characters in the source page; with --pred, every gold "
                    "and predicted entity marked correct, missed, spurious, wrong-type or wrong-span.",
    )
    _corpus_arg(p)
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                   help="the source pages the corpus was built from (default: seeds)")
    p.add_argument("--annotations", type=Path, default=RootPath("annotations"),
                   help="the annotation folder, which --out may not be, hold or lie inside (default: annotations)")
    p.add_argument("--pred", type=Path, help="a prediction file (JSON Lines, as for 'evaluate') to show against gold")
    p.add_argument("--out", type=Path, required=True,
                   help="output folder, replaced whole (a new or empty folder, or a previous view)")
    p.set_defaults(func=_view)

    p = sub.add_parser("release", help="cut a release: bump the version, date the changelog, rebuild")
    p.add_argument("version", help="the new version, X.Y.Z (see docs/VERSIONING.md)")
    p.add_argument("--date", help="release date YYYY-MM-DD, stored in the changelog (default: today)")
    p.add_argument("--root", type=Path, default=RootPath("."), help="repository root (default: .)")
    p.set_defaults(func=_release)

    p = sub.add_parser("publish", help="upload corpus/ to the Hugging Face Hub (dry run without --push)")
    p.add_argument("--repo-id", required=True, help="the dataset repository, OWNER/NAME")
    p.add_argument("--folder", type=Path, default=RootPath("corpus"), help="the corpus folder (default: corpus)")
    p.add_argument("--push", action="store_true", help="upload (otherwise list the files and their sha256)")
    p.add_argument("--private", action="store_true", help="create the repository as private if it is missing")
    p.set_defaults(func=_publish)
    return parser


#: The longest line of an error message; a longer one (a huge id, a whole line of input) is cut.
MAX_ERROR_LINE = 1000


def _report(e: BaseException) -> None:
    from gaoxin_news.errors import shorten

    lines = str(e).splitlines() or [type(e).__name__]
    print("\n".join(shorten(f"gaoxin-news: error: {lines[0]}", MAX_ERROR_LINE) if i == 0 else
                    shorten(line, MAX_ERROR_LINE) for i, line in enumerate(lines)), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        _resolve_defaults(args)
        return int(args.func(args) or 0)
    except (GaoxinError, OSError, UnicodeError) as e:
        _report(e)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
