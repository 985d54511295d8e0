"""gaoxin-news view in a real browser: headless Chromium (Debian's ``chromium``, driven by Playwright;
nothing is downloaded) loads every page the command wrote, from file://, and the rendered DOM is
checked against counts computed here straight from the JSONL files.

The corpus is built from the seed page (gold annotated) and the test pages of tests/data (not
annotated), so the site has several pages. A prediction file is made from the gold entities by
dropping, relabelling and shortening known ones and adding known spurious ones.

Needs ``/usr/bin/chromium`` (or GAOXIN_CHROMIUM) and a CJK font (Debian ``fonts-noto-cjk``);
``scripts/setup.sh`` installs both where it can. A screenshot of one page is saved under pytest's
temporary folder and its path printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from gaoxin_news.cli import main
from gaoxin_news.schema.labels import ENTITY_TYPES

from conftest import DATA, SEEDS

CHROMIUM = Path(os.environ.get("GAOXIN_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


# ---------------------------------------------------------------------------------------------------
# the corpus, the prediction file and the sites
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("view-corpus")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    lines = []
    for p in sorted(DATA.glob("page_style*.txt")):
        shutil.copy(p, seeds / p.name)
        # the seeds manifest lists every page exactly once
        lines.append(json.dumps({"id": p.stem, "file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                                 "language": "zh-Hans", "medium": None, "extraction": None, "publication": None,
                                 "publisher": None, "issue_date": None, "page": None, "url": None}))
    with open(seeds / "manifest.jsonl", "a", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    assert main(["build", "--seeds", str(seeds), "--out", str(root / "corpus"), "--quiet"]) == 0
    return root / "corpus", seeds


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def articles(corpus) -> list[dict]:
    return _jsonl(corpus[0] / "articles.jsonl")


def _gold(articles: list[dict]) -> set[tuple[str, int, int, str]]:
    return {(a["id"], e["start"], e["end"], e["label"]) for a in articles for e in a["entities"]}


@pytest.fixture(scope="module")
def predictions(corpus, articles, tmp_path_factory) -> tuple[Path, dict[str, set]]:
    """A prediction file made from the gold, and what it should show, in item offsets: gold entities
    dropped (missed), relabelled (wrong-type), cut one character short (wrong-span), and spurious
    entities added in sentences without gold ones."""
    starts = {s["id"]: (a["id"], s["start"]) for a in articles for s in a["sentences"]}
    expect: dict[str, set] = {"missed": set(), "wrong-type": set(), "wrong-type-pred": set(),
                              "wrong-span": set(), "spurious": set()}
    lines = []
    k = 0
    empty = 0
    for sent in _jsonl(corpus[0] / "sentences.jsonl"):
        item, off = starts[sent["id"]]
        ents = []
        for e in sent["entities"]:
            k += 1
            where = (item, e["start"] + off, e["end"] + off)
            if k % 5 == 0:
                expect["missed"].add((*where, e["label"]))
                continue
            if k % 7 == 0:
                other = ENTITY_TYPES[(ENTITY_TYPES.index(e["label"]) + 1) % len(ENTITY_TYPES)]
                expect["wrong-type"].add((*where, e["label"]))
                expect["wrong-type-pred"].add((*where, other))
                ents.append({**e, "label": other, "text": None})
                continue
            if k % 11 == 0 and e["end"] - e["start"] > 1:
                expect["wrong-span"].add((*where, e["label"]))
                ents.append({"start": e["start"], "end": e["end"] - 1, "label": e["label"]})
                continue
            ents.append({"start": e["start"], "end": e["end"], "label": e["label"]})
        if not sent["entities"] and len(sent["text"]) >= 2:
            empty += 1
            if empty % 4 == 1:
                expect["spurious"].add((item, off, off + 2, "ORG"))
                ents.append({"start": 0, "end": 2, "label": "ORG"})
        ents = [{k2: v for k2, v in e.items() if k2 != "text"} for e in ents]
        lines.append(json.dumps({"id": sent["id"], "entities": ents}, ensure_ascii=False))
    assert all(expect.values()), "every status must occur in the test"
    path = tmp_path_factory.mktemp("pred") / "made.pred.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, expect


def _view(corpus, out: Path, *extra: str) -> Path:
    c, seeds = corpus
    assert main(["view", "--corpus", str(c), "--seeds", str(seeds), "--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory) -> Path:
    return _view(corpus, tmp_path_factory.mktemp("site") / "view")


@pytest.fixture(scope="module")
def pred_site(corpus, predictions, tmp_path_factory) -> Path:
    return _view(corpus, tmp_path_factory.mktemp("pred-site") / "view", "--pred", str(predictions[0]))


# ---------------------------------------------------------------------------------------------------
# the browser
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM}: no Chromium; run scripts/setup.sh (as root it runs "
                    "'apt-get install -y chromium fonts-noto-cjk') or set GAOXIN_CHROMIUM")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000})
        yield ctx
        ctx.close()


class Loaded:
    """A page opened in the browser, with what it logged and requested."""

    def __init__(self, ctx, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def each(self, selector: str, expr: str) -> list:
        """``expr`` (JavaScript, of ``e``) for every element matching ``selector``, in document order."""
        return self.page.evaluate(f"() => [...document.querySelectorAll({json.dumps(selector)})].map(e => {expr})")

    def close(self) -> None:
        self.page.close()


ENTITIES_JS = """() => [...document.querySelectorAll('[data-label]')].map(e => ({
    item: e.closest('[data-item]').dataset.item, start: +e.dataset.start, end: +e.dataset.end,
    label: e.dataset.label, layer: e.dataset.layer, status: e.dataset.status || null, text: e.textContent,
    colour: getComputedStyle(e).backgroundColor}))"""


def _html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def _check_loaded_cleanly(loaded: Loaded) -> None:
    assert loaded.errors == []
    assert all(u.startswith(("file:", "data:")) for u in loaded.requests), loaded.requests  # no network
    ids = loaded.each("[id]", "e.id")
    assert len(ids) == len(set(ids)), "duplicate element ids"
    broken = loaded.js("""() => [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                                 .filter(id => !document.getElementById(id))""")
    assert broken == [], f"links to no element: {broken[:5]}"


def test_the_site_has_an_index_and_a_page_per_source(site, articles):
    sources = {a["source_id"] for a in articles}
    assert {p.relative_to(site).as_posix() for p in _html_files(site)} == {"index.html"} | {
        f"pages/{s}.html" for s in sources}
    assert len(sources) == 5


def test_every_page_in_the_browser(browser, site, articles, corpus):
    """Every page: no console error, no network; each source page draws exactly its gold entities
    (count, offsets, labels, text), its sentences with their text, its blocks with their roles in
    reading order, a legend entry for every type drawn, one colour per type across all pages."""
    texts = {a["id"]: a["text"] for a in articles}
    # every item's sentences, those of items without annotation too (sentences.jsonl has only the
    # sentences of annotated items; where it has one, it agrees)
    sentences = {r["id"]: a["text"][r["start"]:r["end"]] for a in articles for r in a["sentences"]}
    assert all(sentences[s["id"]] == s["text"] for s in _jsonl(corpus[0] / "sentences.jsonl"))
    colours: dict[str, set[str]] = {}
    seen_pages = 0
    for path in _html_files(site):
        loaded = Loaded(browser, path)
        try:
            _check_loaded_cleanly(loaded)
            if path.name == "index.html":
                continue
            seen_pages += 1
            source = path.stem
            arts = [a for a in articles if a["source_id"] == source]
            gold = _gold(arts)
            drawn = loaded.js(ENTITIES_JS)
            assert len(drawn) == sum(len(a["entities"]) for a in arts)  # the hand count of the JSONL
            assert {(d["item"], d["start"], d["end"], d["label"]) for d in drawn} == gold
            assert all(d["text"] == texts[d["item"]][d["start"]:d["end"]] for d in drawn)
            assert all(d["layer"] == "gold" and d["status"] is None for d in drawn)
            for d in drawn:
                colours.setdefault(d["label"], set()).add(d["colour"])
            legend = set(loaded.each("[data-legend]", "e.dataset.legend"))
            assert {d["label"] for d in drawn} <= legend
            shown = loaded.each("[data-sentence]", "[e.dataset.sentence, e.textContent]")
            assert len(shown) == sum(len(a["sentences"]) for a in arts)
            assert all(sentences[sid] == text for sid, text in shown)
            roles = loaded.each(".block", "[e.closest('[data-item]').dataset.item, "
                                          "e.querySelector('.role').textContent]")
            assert roles == [[a["id"], b["role"]] for a in arts for b in a["blocks"]]
        finally:
            loaded.close()
    assert seen_pages == 5
    assert all(len(c) == 1 for c in colours.values()), colours  # the same colour on every page
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # a colour per type


def test_index_counts_and_chart(browser, site, corpus, articles):
    manifest = json.loads((corpus[0] / "manifest.json").read_text(encoding="utf-8"))
    counts = Counter(e["label"] for a in articles for e in a["entities"])
    loaded = Loaded(browser, site / "index.html")
    try:
        _check_loaded_cleanly(loaded)
        assert loaded.js("() => document.querySelector('[data-version]').textContent") == manifest["version"]
        bars = dict(loaded.each("svg.chart .bar", "[e.dataset.type, +e.dataset.count]"))
        assert bars == {t: counts[t] for t in ENTITY_TYPES}
        widths = dict(loaded.each("svg.chart .bar", "[e.dataset.type, e.querySelector('rect').getBBox().width]"))
        top = max(counts, key=counts.get)
        assert all(abs(widths[t] / widths[top] - counts[t] / counts[top]) < 0.01 for t in ENTITY_TYPES)
        rows = loaded.each("tr[data-item]", "[e.dataset.item, +e.querySelector('[data-entities]').textContent]")
        assert rows == [[a["id"], len(a["entities"])] for a in articles]
        assert set(loaded.each("[data-legend]", "e.dataset.legend")) == set(ENTITY_TYPES)
        links = loaded.each("section.page-entry h2 a", "e.getAttribute('href')")
        pages = [p.relative_to(site).as_posix() for p in _html_files(site) if p.name != "index.html"]
        assert sorted(links) == sorted(pages)
    finally:
        loaded.close()


def test_a_block_links_to_its_source_span(browser, site, articles):
    """Following a block's role link highlights its characters in the page's source text."""
    arts = [a for a in articles if a["source_id"] == articles[0]["source_id"]]
    loaded = Loaded(browser, site / "pages" / f"{arts[0]['source_id']}.html")
    try:
        links = loaded.page.locator(".block > a.role")
        blocks = [(a, b) for a in arts for b in a["blocks"]]
        assert links.count() == len(blocks)
        for i, (a, b) in enumerate(blocks):
            links.nth(i).click()
            lit = loaded.js("() => [...document.querySelectorAll('a.src.hl')].map(e => e.textContent).join('')")
            assert "".join(lit.split()) == "".join(a["text"][b["start"]:b["end"]].split())
            assert loaded.js("() => document.querySelectorAll('.block.hl').length") == 1
            visible = loaded.js("""() => { const s = document.querySelector('a.src.hl').getBoundingClientRect();
                                           const p = document.querySelector('aside.source').getBoundingClientRect();
                                           return s.top >= p.top - 1 && s.top < p.bottom; }""")
            assert visible, f"block {i}: its source span is scrolled out of view"
        _check_loaded_cleanly(loaded)
    finally:
        loaded.close()


def test_hover_shows_type_and_offsets(browser, site, articles):
    a = articles[0]
    e = a["entities"][0]
    loaded = Loaded(browser, site / "pages" / f"{a['source_id']}.html")
    try:
        mark = loaded.page.locator(f'[data-item="{a["id"]}"] mark[data-start="{e["start"]}"]').first
        mark.hover()
        tip = mark.evaluate("el => getComputedStyle(el, '::before').content")
        assert e["label"] in tip and f'{e["start"]}' in tip and f'{e["end"]}' in tip
        assert mark.get_attribute("title").startswith(f'{e["label"]} {e["start"]}–{e["end"]}')
    finally:
        loaded.close()


def test_gold_against_predictions(browser, pred_site, predictions, articles):
    """Every page of the --pred site: data-status marks exactly the entities changed in the
    prediction file, and the per-page summary counts what is drawn."""
    _, expect = predictions
    gold_all = _gold(articles)
    got: dict[tuple[str, str], set] = {}
    for path in _html_files(pred_site):
        loaded = Loaded(browser, path)
        try:
            _check_loaded_cleanly(loaded)
            if path.name == "index.html":
                continue
            drawn = loaded.js(ENTITIES_JS)
            for d in drawn:
                got.setdefault((d["layer"], d["status"]), set()).add((d["item"], d["start"], d["end"], d["label"]))
            summary = dict(loaded.each("[data-count-status]",
                                       "[e.dataset.countLayer + ' ' + e.dataset.countStatus, +e.textContent]"))
            per = Counter(f'{d["layer"]} {d["status"]}' for d in drawn)
            assert summary == {**{k: per[k] for k in summary if not k.endswith(" all")},
                               "gold all": per.total() - sum(v for k, v in per.items() if k.startswith("pred")),
                               "pred all": sum(v for k, v in per.items() if k.startswith("pred"))}
            legend = set(loaded.each("[data-legend]", "e.dataset.legend"))
            assert {d["label"] for d in drawn} <= legend
            assert len(loaded.each("[data-status-legend]", "e.dataset.statusLegend")) == 5
        finally:
            loaded.close()
    assert got[("gold", "missed")] == expect["missed"]
    assert got[("gold", "wrong-type")] == expect["wrong-type"]
    assert got[("pred", "wrong-type")] == expect["wrong-type-pred"]
    assert got[("gold", "wrong-span")] == expect["wrong-span"]
    assert got[("pred", "spurious")] == expect["spurious"]
    changed = expect["missed"] | expect["wrong-type"] | expect["wrong-span"]
    assert got[("gold", "correct")] == gold_all - changed
    assert got[("pred", "correct")] == gold_all - changed
    assert sum(len(v) for (layer, _), v in got.items() if layer == "gold") == len(gold_all)
    assert set(got) == {("gold", "correct"), ("gold", "missed"), ("gold", "wrong-type"), ("gold", "wrong-span"),
                        ("pred", "correct"), ("pred", "spurious"), ("pred", "wrong-type"), ("pred", "wrong-span")}


def test_statuses_are_drawn_distinctly(browser, pred_site, articles):
    loaded = Loaded(browser, pred_site / "pages" / f"{articles[0]['source_id']}.html")
    try:
        style = dict(loaded.js("""() => ['correct', 'missed', 'spurious', 'wrong-type', 'wrong-span'].map(s => {
            const e = document.querySelector(`mark[data-status="${s}"]`); const c = getComputedStyle(e);
            return [s, [c.borderTopStyle, c.borderTopColor, c.borderBottomStyle, c.borderBottomColor].join(' ')];
        })"""))
        assert len(set(style.values())) == 5, style
        assert style["missed"].startswith("dashed")
        assert style["spurious"].startswith("solid rgb(213, 0, 0)")
    finally:
        loaded.close()


def test_screenshot_with_a_cjk_font(browser, site, articles, tmp_path_factory):
    loaded = Loaded(browser, site / "pages" / f"{articles[0]['source_id']}.html")
    try:
        # the fonts Chromium actually drew the first item's title with (DevTools protocol)
        cdp = browser.new_cdp_session(loaded.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".role-title .line.gold"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert any("CJK" in f["familyName"] and f["glyphCount"] > 0 for f in fonts), \
            f"no CJK font drew the title ({fonts}): install Debian's fonts-noto-cjk"
        shot = tmp_path_factory.mktemp("screenshots") / "view-page.png"
        loaded.page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
        print(f"screenshot: {shot}")
    finally:
        loaded.close()
