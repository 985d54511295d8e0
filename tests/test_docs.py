"""README numbers are computed from the data; the committed corpus is what the build gives; the Quick
start holds exactly two commands, and CI runs the second."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from gaoxin_news.publish.docs import render_readme, rendered, with_section
from gaoxin_news.publish.writers import WRITERS
from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.labels import ENTITY_TYPES


def test_generated_documents_are_current():
    for path, text in rendered(ROOT / "README.md", ROOT / "corpus").items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run 'gaoxin-news docs'"
    assert (ROOT / "DATASHEET.md").read_text(encoding="utf-8").startswith("# Datasheet: gaoxin-news ")


def test_docs_check_fails_when_stale(tmp_path, capsys):
    from gaoxin_news.cli import main

    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copy(ROOT / "DATASHEET.md", tmp_path / "DATASHEET.md")
    args = ["docs", "--readme", str(tmp_path / "README.md"), "--corpus", str(ROOT / "corpus")]
    assert main([*args, "--check"]) == 0
    (tmp_path / "DATASHEET.md").write_text("old", encoding="utf-8")
    assert main([*args, "--check"]) == 1
    assert "DATASHEET.md" in capsys.readouterr().err
    assert main(args) == 0 and main([*args, "--check"]) == 0


def _count(folder) -> dict:
    """The README's figures, counted here from the JSON Lines files with nothing of the package."""
    import json
    from collections import Counter

    arts = [json.loads(x) for x in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    sents = [json.loads(x) for x in (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [a for a in arts if a["annotation"] == "gold"]
    return {"pages": len({a["source_id"] for a in arts}), "items": len(arts),
            "sentences": sum(len(a["sentences"]) for a in arts),
            "characters": sum(len(s["text"]) for s in sents),
            "types": Counter(e["label"] for a in gold for e in a["entities"]),
            "kinds": Counter(a["kind"] for a in arts),
            "status": {k: (len(g := [a for a in arts if a["annotation"] == k]),
                           sum(len(a["sentences"]) for a in g), sum(len(a["entities"]) for a in g))
                       for k in ("gold", "silver", "none")}}


def test_readme_statistics_come_from_the_data(built_corpus, tmp_path):
    n = _count(built_corpus)
    text = render_readme(ROOT / "README.md", built_corpus)
    section = text.split("<!-- stats:start -->")[1].split("<!-- stats:end -->")[0]
    total = sum(n["types"].values())
    for label, value in (("source pages", n["pages"]), ("items (articles, briefs, photo items)", n["items"]),
                         ("sentences", n["sentences"]),
                         ("characters of the sentence records (= tokens of the NER views)", n["characters"]),
                         ("gold entity mentions", total)):
        assert f"| {label} | {value} |" in section
    for status, (items, sentences, entities) in n["status"].items():
        assert f"| {status} | {items} | {sentences} | {entities} |" in section
    assert n["status"]["gold"][0] == n["items"]  # every item of the committed corpus is gold
    assert "Items by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(n["kinds"].items())) + "." in section
    for t in ENTITY_TYPES:
        assert f"| {t} | {n['types'][t]} | {100 * n['types'][t] / total:.1f}% |" in section, t
    # a corpus with one entity fewer gives a different README
    lines = (built_corpus / "articles.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "c").mkdir()
    shutil.copy(built_corpus / "sentences.jsonl", tmp_path / "c" / "sentences.jsonl")
    import json
    a = json.loads(lines[0])
    a["entities"] = a["entities"][1:]
    lines[0] = json.dumps(a, ensure_ascii=False) + "\n"
    (tmp_path / "c" / "articles.jsonl").write_text("".join(lines), encoding="utf-8")
    assert f"| gold entity mentions | {total - 1} |" in render_readme(ROOT / "README.md", tmp_path / "c")


def test_missing_section_is_an_error():
    with pytest.raises(GaoxinError, match="no '<!-- stats:start -->'"):
        with_section("no markers here", "stats", "x")


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"^## Quick start\s*$", text, flags=re.M)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_commands_and_ci_runs_the_test_command():
    cmds = _quick_start()
    assert len(cmds) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert cmds[1] in ci and cmds[0] in ci


def test_committed_corpus_matches_the_setup_build():
    """Setup rebuilds corpus/; in a git checkout, that rebuild must not change a committed byte."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        from gaoxin_news.build.executor import check_corpus

        assert check_corpus(ROOT / "seeds", ROOT / "corpus", ROOT / "annotations" / "gold", writers=WRITERS) == []
        return
    out = subprocess.run(["git", "status", "--porcelain", "--", "corpus", "schemas"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out == "", f"corpus/ or schemas/ differ from the committed files:\n{out}"


def test_readme_layout_table_names_every_module():
    """The README's layout table follows the tree: each subpackage's row names all its modules, and the
    shared modules at the top have a row."""
    pkg = ROOT / "src" / "gaoxin_news"
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `src/gaoxin_news/([^`]*)`(.*)$", (ROOT / "README.md").read_text(
        encoding="utf-8"), re.M)}
    subpackages = sorted(p.name for p in pkg.iterdir() if (p / "__init__.py").is_file())
    assert sorted(k.rstrip("/") for k in rows if k.endswith("/") and k != "templates/") == subpackages
    for sub in subpackages:
        named = set(re.findall(r"`(\w+)/?`", rows[sub + "/"]))
        modules = {p.stem for p in (pkg / sub).iterdir() if p.suffix == ".py" and p.stem != "__init__"}
        modules |= {p.name for p in (pkg / sub).iterdir() if (p / "__init__.py").is_file()}
        assert modules <= named, (sub, sorted(modules - named))
    top = {p.name for p in pkg.glob("*.py")} - {"__init__.py"}
    listed = {n for k, v in rows.items() for n in [k, *re.findall(r"`(\w+\.py)`", k + v)] if n.endswith(".py")}
    assert top <= listed, sorted(top - listed)
