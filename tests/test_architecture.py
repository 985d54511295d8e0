"""The package's shape: imports only go down the stages, no import cycle at any level (module top,
function bodies and TYPE_CHECKING blocks alike), and only the command line parses arguments."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PKG = ROOT / "src" / "gaoxin_news"

#: Each layer may import itself and the layers listed after it (the shared bottom modules always).
LAYERS: dict[str, set[str]] = {
    "cli": {"schema", "corpus", "build", "publish", "ner", "view", "annotate"},
    "annotate": {"schema", "corpus", "build", "ner"},
    # gaoxin_news.metrics: a top-level alias of ner.metrics for `from gaoxin_news.metrics import …`
    "metrics": {"ner"},
    "view": {"schema", "corpus", "ner"},
    "publish": {"schema", "corpus", "build"},
    "build": {"schema", "corpus"},
    "corpus": {"schema"},
    "ner": {"schema"},
    "schema": set(),
}
BOTTOM = {"gaoxin_news", "gaoxin_news.errors", "gaoxin_news.project", "gaoxin_news.templating"}


def _modules() -> dict[str, Path]:
    mods = {}
    for p in PKG.rglob("*.py"):
        name = ".".join(p.relative_to(PKG.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = p
    return mods


MODS = _modules()


def _imports(name: str) -> set[str]:
    """Every package module that ``name`` imports, wherever the import statement stands."""
    path = MODS[name]
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            cands = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = pkg.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            cands = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODS else base for a in node.names]
        else:
            continue
        out |= {c for c in cands if c in MODS and c != name}
    return out


GRAPH = {m: _imports(m) for m in MODS}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), ignoring a package's
    ``__init__`` that only re-exports its own modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if sum(1 for m in comp if MODS[m].name != "__init__.py") > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle():
    """The checker itself: a made-up graph with a cycle through three modules is reported."""
    fake = {"gaoxin_news.a": {"gaoxin_news.b"}, "gaoxin_news.b": {"gaoxin_news.c"},
            "gaoxin_news.c": {"gaoxin_news.a"}, "gaoxin_news.d": {"gaoxin_news.a"}}
    saved = dict(MODS)
    try:
        for m in fake:
            MODS[m] = Path(m + ".py")
        assert _cycles(fake) == [["gaoxin_news.a", "gaoxin_news.b", "gaoxin_news.c"]]
    finally:
        MODS.clear()
        MODS.update(saved)


def test_no_import_cycle():
    assert _cycles(GRAPH) == []


def _layer(mod: str) -> str | None:
    parts = mod.split(".")
    if mod in BOTTOM:
        return None
    return "cli" if parts[1] == "cli" else parts[1]


@pytest.mark.parametrize("mod", sorted(m for m in MODS if _layer(m) is not None))
def test_imports_only_go_down(mod):
    layer = _layer(mod)
    assert layer in LAYERS, f"{mod}: module outside the stage subpackages"
    bad = sorted(t for t in GRAPH[mod] if _layer(t) not in (None, layer, *LAYERS[layer]))
    assert not bad, f"{mod} ({layer}) imports {bad}, which are not below it"


def test_only_the_cli_parses_arguments():
    users = sorted(m for m, p in MODS.items() if m != "gaoxin_news.cli"
                   and any(isinstance(n, (ast.Import, ast.ImportFrom)) and "argparse" in
                           [a.name for a in n.names] + [getattr(n, "module", None)]
                           for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert users == []


def test_stages_are_subpackages():
    assert {p.name for p in PKG.iterdir() if (p / "__init__.py").exists()} >= {"schema", "corpus", "build",
                                                                                "publish", "ner", "annotate"}


def test_top_level_metrics_is_only_an_alias():
    """gaoxin_news.metrics holds no code of its own: it re-exports ner.metrics."""
    tree = ast.parse(MODS["gaoxin_news.metrics"].read_text(encoding="utf-8"))
    kinds = {type(n).__name__ for n in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign"}, kinds
    assert GRAPH["gaoxin_news.metrics"] == {"gaoxin_news.ner.metrics"}
