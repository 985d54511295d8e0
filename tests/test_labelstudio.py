"""The whole loop of adding a page against a real Label Studio server: a new page builds as `none`
without touching the gold configs, is pre-annotated (silver), exported as tasks with the silver
spans as predictions, annotated through the server's API by two users (two passes differing in a
few spans), exported, imported into pass1/pass2, compared (agreement), adjudicated, and built: its
items are then gold with the adjudicated spans.

The server runs from its own virtual environment (``.venv-labelstudio``, made by scripts/setup.sh:
its pinned dependencies would clash with the corpus's), on 127.0.0.1 with a temporary data folder,
and is stopped at the end.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import DATA, ROOT

from gaoxin_news.cli import main

LS_VENV = ROOT / ".venv-labelstudio"
LS_EXE = LS_VENV / "bin" / "label-studio"
LS_PY = LS_VENV / "bin" / "python"
CLIENT = Path(__file__).resolve().parent / "labelstudio_client.py"
PAGE_ID = "001_labelstudio_test"
TOKEN = "gaoxin-news-test-token-0123456789"
ANN1, ANN2 = "annotator1@example.com", "annotator2@example.com"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert LS_EXE.exists(), f"{LS_EXE} missing: run scripts/setup.sh (it installs Label Studio there)"
    data = tmp_path_factory.mktemp("labelstudio")
    port = _free_port()
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
           "LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false", "SENTRY_DSN": "",
           "FRONTEND_SENTRY_DSN": "", "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "false"}
    env.pop("PYTHONPATH", None)
    log = open(data / "server.log", "w")
    proc = subprocess.Popen(
        [str(LS_EXE), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data), "--username", "admin@example.com", "--password", "admin-pass-1",
         "--user-token", TOKEN, "--enable-legacy-api-token"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (data / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Label Studio did not start in time"
            time.sleep(1)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A scratch copy of the repository's data, with a new page in seeds/ and its manifest line."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("seeds", "annotations", "results"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("CHANGELOG.md", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    page = root / "seeds" / f"{PAGE_ID}.txt"
    shutil.copy(DATA / "page_new.txt", page)
    entry = {"id": PAGE_ID, "file": page.name, "sha256": hashlib.sha256(page.read_bytes()).hexdigest(),
             "language": "zh-Hans", "medium": "newspaper page", "extraction": "PDF text extraction",
             "publication": None, "publisher": None, "issue_date": None, "page": None, "url": None}
    with open(root / "seeds" / "manifest.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return root


def run(repo: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


GOLD_FILES = ("data/ner/test.parquet", "data/msra/test.parquet", "data/ontonotes4/test.parquet",
              "exports/ner.conll", "exports/ner.msra.conll", "exports/ner.ontonotes4.conll")


def spans_by_hand(text: str, wanted: list[tuple[str, str, int]]) -> list[list]:
    """[start, end, label] of the n-th occurrence of each surface string (found by hand, not by the code)."""
    out = []
    for surface, label, nth in wanted:
        i = -1
        for _ in range(nth):
            i = text.index(surface, i + 1)
        out.append([i, i + len(surface), label])
    return sorted(out)


# the two passes: they differ on three spans
ITEM1 = [("苏州高新区", "GPE", 1), ("李华", "PERSON", 1), ("3月18日", "DATE", 1), ("苏州高新区", "GPE", 2),
         ("二十", "CARDINAL", 1), ("二十", "CARDINAL", 2)]
ITEM2 = [("绵阳高新区", "GPE", 1), ("绵阳高新区", "GPE", 2), ("西南科技大学", "ORG", 1),
         ("绵阳高新区管委会", "ORG", 1), ("12", "CARDINAL", 1)]
ONLY1 = {1: [("超过15亿元", "MONEY", 1), ("张明", "PERSON", 1)], 2: []}
ONLY2 = {1: [("15亿元", "MONEY", 1)], 2: [("近日", "DATE", 1)]}
# adjudication: 15亿元 (pass2) and 张明 (pass1) accepted; 超过15亿元 and 近日 rejected
ACCEPT = {("15亿元", "MONEY"), ("张明", "PERSON")}


@pytest.fixture(scope="module")
def loop(repo, server, tmp_path_factory):
    """Runs the loop once; the tests below check each step's outcome."""
    out: dict = {}
    work = tmp_path_factory.mktemp("work")
    assert run(repo, "build", "-q") == 0
    assert run(repo, "validate", "corpus") == 0
    out["none_articles"] = jsonl(repo / "corpus" / "articles.jsonl")
    out["none_sentences"] = jsonl(repo / "corpus" / "sentences.jsonl")
    out["none_files"] = {f: (repo / "corpus" / f).read_bytes() for f in GOLD_FILES}
    assert run(repo, "preannotate", "--baseline", "rules", "--pages", PAGE_ID) == 0
    assert run(repo, "build", "-q") == 0
    assert run(repo, "validate", "corpus") == 0
    out["silver_articles"] = jsonl(repo / "corpus" / "articles.jsonl")
    out["silver_files"] = {f: (repo / "corpus" / f).read_bytes() for f in GOLD_FILES}
    out["silver_parquet"] = (repo / "corpus" / "data" / "silver" / "test.parquet").exists()

    config = work / "config.xml"
    tasks = work / "tasks.json"
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["labelstudio", "config"]) == 0
        config.write_text(buf.getvalue(), encoding="utf-8")
    finally:
        os.chdir(cwd)
    assert run(repo, "labelstudio", "export", "--out", str(tasks), "--pages", PAGE_ID, "--with-silver") == 0
    out["tasks"] = json.loads(tasks.read_text(encoding="utf-8"))

    texts = {t["data"]["item_id"]: t["data"]["text"] for t in out["tasks"]}
    ids = sorted(texts)
    base = {ids[0]: ITEM1, ids[1]: ITEM2}
    plan_spans = {}
    for who, only in ((ANN1, ONLY1), (ANN2, ONLY2)):
        plan_spans[who] = {aid: spans_by_hand(texts[aid], base[aid] + only[k])
                           for k, aid in enumerate(ids, 1)}
    out["plan"] = plan_spans
    out["texts"] = texts
    plan = {"config": config.read_text(encoding="utf-8"), "tasks": out["tasks"],
            "annotators": [{"email": w, "password": "pass-word-1", "spans": plan_spans[w]} for w in (ANN1, ANN2)]}
    (work / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    export = work / "export.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(LS_PY), str(CLIENT), server, TOKEN, str(work / "plan.json"), str(export),
                           str(work / "users.json")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out["export"] = export
    out["users"] = users = {k: str(v) for k, v in json.loads((work / "users.json").read_text()).items()}
    # a task with two annotators' work and no annotator chosen is refused
    assert run(repo, "labelstudio", "import", str(export), "--pass", "pass1") == 1
    assert not (repo / "annotations" / "pass1" / f"{PAGE_ID}-01.ann").exists()
    assert run(repo, "labelstudio", "import", str(export), "--pass", "pass1", "--annotator", users[ANN1]) == 0
    assert run(repo, "labelstudio", "import", str(export), "--pass", "pass2", "--annotator", users[ANN2]) == 0
    return out


def test_a_new_page_builds_as_not_annotated_and_leaves_the_gold_configs_alone(loop):
    new = [a for a in loop["none_articles"] if a["source_id"] == PAGE_ID]
    assert len(new) == 2 and all(a["annotation"] == "none" and a["entities"] == [] for a in new)
    assert not any(s["article_id"].startswith(PAGE_ID) for s in loop["none_sentences"])
    for f in GOLD_FILES:
        assert loop["none_files"][f] == (ROOT / "corpus" / f).read_bytes(), f


def test_preannotation_is_silver_and_still_leaves_the_gold_configs_alone(loop, repo):
    meta = json.loads((repo / "annotations" / "silver" / "rules" / "model.json").read_text(encoding="utf-8"))
    assert meta["model"] == "rules" and meta["version"].startswith("gaoxin-news ")
    new = [a for a in loop["silver_articles"] if a["source_id"] == PAGE_ID]
    assert all(a["annotation"] == "silver" and a["annotator"] == {"model": "rules", "version": meta["version"]}
               for a in new)
    assert any(a["entities"] for a in new)  # the rules find 3月18日, 12, …
    assert loop["silver_parquet"]
    for f in GOLD_FILES:
        assert loop["silver_files"][f] == (ROOT / "corpus" / f).read_bytes(), f


def test_tasks_carry_the_silver_spans_as_predictions(loop, repo):
    assert [t["data"]["item_id"] for t in loop["tasks"]] == [f"{PAGE_ID}-01", f"{PAGE_ID}-02"]
    for t in loop["tasks"]:
        (pred,) = t["predictions"]
        assert pred["model_version"].startswith("rules gaoxin-news ")
        ann = (repo / "annotations" / "silver" / "rules" / f"{t['data']['item_id']}.ann").read_text(encoding="utf-8")
        want = sorted((int(x.split("\t")[1].split()[1]), int(x.split("\t")[1].split()[2]), x.split("\t")[1].split()[0])
                      for x in ann.splitlines())
        got = sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in pred["result"])
        assert got == want


def _pass(repo: Path, name: str, aid: str) -> list[list]:
    lines = (repo / "annotations" / name / f"{aid}.ann").read_text(encoding="utf-8").splitlines()
    return sorted([int(f[1]), int(f[2]), f[0]] for f in (line.split("\t")[1].split() for line in lines))


def test_the_passes_are_each_annotators_spans_with_provenance(loop, repo):
    for name, who in (("pass1", ANN1), ("pass2", ANN2)):
        for aid, spans in loop["plan"][who].items():
            assert _pass(repo, name, aid) == spans
            assert (repo / "annotations" / name / f"{aid}.txt").read_text(encoding="utf-8") == loop["texts"][aid]
        with open(repo / "annotations" / name / "provenance.tsv", encoding="utf-8") as f:
            rows = {r["item_id"]: r for r in csv.DictReader(f, delimiter="\t")}
        for aid in loop["plan"][who]:
            assert rows[aid]["annotator"] == loop["users"][who] and rows[aid]["annotated_at"][:4].isdigit()
            assert rows[aid]["suggestions"] == loop["tasks"][0]["predictions"][0]["model_version"]


def test_agreement_adjudication_and_build_make_the_page_gold(loop, repo, capsys):
    capsys.readouterr()
    assert run(repo, "agreement", "--json") == 0
    overall = json.loads(capsys.readouterr().out)["overall"]
    # the seed page's passes plus the new page's: 4 spans only in pass1, 2 only in pass2 on the new page
    n1 = sum(len(v) for v in loop["plan"][ANN1].values())
    n2 = sum(len(v) for v in loop["plan"][ANN2].values())
    common = sum(len({tuple(s) for s in loop["plan"][ANN1][a]} & {tuple(s) for s in loop["plan"][ANN2][a]})
                 for a in loop["plan"][ANN1])
    assert (n1, n2, common) == (13, 13, 11)
    # strict F1 over every pass file, counted by hand: 2 * matched / (spans of pass1 + spans of pass2)
    sets = {}
    for name in ("pass1", "pass2"):
        sets[name] = {(p.stem, *line.split("\t")[1].split()) for p in (repo / "annotations" / name).glob("*.ann")
                      for line in p.read_text(encoding="utf-8").splitlines()}
    matched = len(sets["pass1"] & sets["pass2"])
    assert (overall["pass1"], overall["pass2"], overall["matched"]) == (len(sets["pass1"]), len(sets["pass2"]), matched)
    assert overall["f1"] == pytest.approx(2 * matched / (len(sets["pass1"]) + len(sets["pass2"])))

    # the disagreements of the new page, decided in adjudication.tsv
    assert run(repo, "adjudicate") != 0  # undecided disagreements: refused
    rows = []
    for aid, text in loop["texts"].items():
        a = {tuple(s) for s in loop["plan"][ANN1][aid]}
        b = {tuple(s) for s in loop["plan"][ANN2][aid]}
        for s, e, lab in sorted(a ^ b):
            rows.append([aid, s, e, lab, text[s:e], "yes" if (s, e, lab) in a else "no",
                         "yes" if (s, e, lab) in b else "no",
                         "accept" if (text[s:e], lab) in ACCEPT else "reject", "test decision"])
    assert len(rows) == 4
    with open(repo / "annotations" / "adjudication.tsv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter="\t", lineterminator="\n").writerows(rows)
    assert run(repo, "adjudicate") == 0
    assert run(repo, "build", "-q") == 0
    arts = {a["id"]: a for a in jsonl(repo / "corpus" / "articles.jsonl")}
    for aid, text in loop["texts"].items():
        a = {tuple(s) for s in loop["plan"][ANN1][aid]}
        b = {tuple(s) for s in loop["plan"][ANN2][aid]}
        want = sorted((a & b) | {s for s in a ^ b if (text[s[0]:s[1]], s[2]) in ACCEPT})
        art = arts[aid]
        assert art["annotation"] == "gold" and art["annotator"] is None
        assert sorted((e["start"], e["end"], e["label"]) for e in art["entities"]) == want
    sents = [s for s in jsonl(repo / "corpus" / "sentences.jsonl") if s["article_id"].startswith(PAGE_ID)]
    assert sents and all(s["annotation"] == "gold" for s in sents)
    # gold wins over the silver that is still there: no silver config any more
    assert (repo / "annotations" / "silver" / "rules").is_dir()
    assert not (repo / "corpus" / "data" / "silver" / "test.parquet").exists()
    assert run(repo, "validate", "corpus") == 0


# ---------------------------------------------------------------------------------------------------
# bad input, on copies of the server's real export


def _export_copy(loop, tmp_path, change) -> Path:
    tasks = json.loads(loop["export"].read_text(encoding="utf-8"))
    change(tasks)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes() for p in (repo / "annotations").rglob("*") if p.is_file()}


def _refused(repo, loop, tmp_path, capsys, change, *extra) -> str:
    path = _export_copy(loop, tmp_path, change)
    before = _snapshot(repo)
    capsys.readouterr()
    assert run(repo, "labelstudio", "import", str(path), "--pass", "pass1", "--annotator",
               loop["users"][ANN1], "--force", *extra) == 1
    assert _snapshot(repo) == before  # nothing written
    return capsys.readouterr().err


def _set(i, key, value):
    def change(tasks):
        tasks[i]["data"][key] = value
    return change


def test_an_export_of_another_project_is_refused(repo, loop, tmp_path, capsys):
    err = _refused(repo, loop, tmp_path, capsys, _set(0, "item_id", "other_project-01"))
    tid = json.loads(loop["export"].read_text(encoding="utf-8"))[0]["id"]
    assert f"task {tid} (item other_project-01): no item other_project-01 in the current build" in err


def test_a_task_whose_text_changed_since_the_export_is_refused(repo, loop, tmp_path, capsys):
    text = loop["texts"][f"{PAGE_ID}-02"]
    changed = text.replace("首批", "首次")
    err = _refused(repo, loop, tmp_path, capsys, _set(1, "text", changed))
    tid = json.loads(loop["export"].read_text(encoding="utf-8"))[1]["id"]
    assert (f"task {tid} (item {PAGE_ID}-02): the task's text differs from the current text of item "
            f"{PAGE_ID}-02 (from character {text.index('首批') + 1} on)") in err


def test_an_item_whose_page_changed_since_the_export_is_refused(repo, loop, tmp_path, capsys):
    """The source page corrected after the export: the task's text is no longer the item's."""
    copy = tmp_path / "repo"
    for name in ("seeds", "annotations"):
        shutil.copytree(repo / name, copy / name)
    shutil.copy(repo / "pyproject.toml", copy / "pyproject.toml")  # a project root: defaults resolve here
    page = copy / "seeds" / f"{PAGE_ID}.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("首批引进项目12个", "首批引进项目15个"), encoding="utf-8")
    lines = (copy / "seeds" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    entry["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
    (copy / "seeds" / "manifest.jsonl").write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n", encoding="utf-8")
    before = _snapshot(copy)
    assert run(copy, "labelstudio", "import", str(loop["export"]), "--pass", "pass1", "--annotator",
               loop["users"][ANN1], "--force") == 1
    err = capsys.readouterr().err
    tid = json.loads(loop["export"].read_text(encoding="utf-8"))[1]["id"]
    at = loop["texts"][f"{PAGE_ID}-02"].index("12个") + 1
    assert (f"task {tid} (item {PAGE_ID}-02): the task's text differs from the current text of item "
            f"{PAGE_ID}-02 (from character {at} on)") in err
    assert _snapshot(copy) == before


def test_a_pass_with_missing_items_is_refused(repo, loop, tmp_path, capsys):
    err = _refused(repo, loop, tmp_path, capsys, lambda tasks: tasks.pop(1))
    assert f"page {PAGE_ID}: no annotation for item {PAGE_ID}-02: a pass covers whole pages" in err
    # and agreement refuses passes that do not hold the same items
    moved = repo / "annotations" / "pass2" / f"{PAGE_ID}-02.ann"
    keep = moved.read_bytes()
    moved.unlink()
    try:
        assert run(repo, "agreement") == 1
        assert f"pass2: no annotation of item {PAGE_ID}-02, which pass1 holds" in capsys.readouterr().err
    finally:
        moved.write_bytes(keep)


def _add_result(result):
    def change(tasks):
        for ann in tasks[0]["annotations"]:
            ann["result"].append(result)
    return change


@pytest.mark.parametrize("result, message", [
    ({"id": "rel", "type": "relation", "from_id": "r0", "to_id": "r1", "direction": "right"},
     "result rel: a relation: only entity spans are annotated"),
    ({"id": "ch", "from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["x"]}},
     "result ch: a choice: only entity spans are annotated"),
    ({"id": "lab", "from_name": "label", "to_name": "text", "type": "labels",
      "value": {"start": 0, "end": 2, "text": "高新", "labels": ["COMPANY"]}},
     "result lab: unknown label 'COMPANY'"),
    ({"id": "ov", "from_name": "label", "to_name": "text", "type": "labels",
      "value": {"start": 7, "end": 12, "text": "高新区加快", "labels": ["ORG"]}},
     "result ov: ORG 7-12 '高新区加快': overlaps GPE 5-10 '苏州高新区'"),
    ({"id": "cross", "from_name": "label", "to_name": "text", "type": "labels",
      "value": {"start": 2, "end": 7, "text": "动态\n苏州", "labels": ["ORG"]}},
     "result cross: ORG 2-7 '动态\\n苏州': crosses a sentence boundary"),
    ({"id": "off", "from_name": "label", "to_name": "text", "type": "labels",
      "value": {"start": 0, "end": 2, "text": "苏州", "labels": ["GPE"]}},
     "result off: GPE 0-2 says '苏州' but the item text has '高新'"),
])
def test_results_outside_the_scheme_are_refused_with_their_location(repo, loop, tmp_path, capsys, result, message):
    err = _refused(repo, loop, tmp_path, capsys, _add_result(result))
    tid = json.loads(loop["export"].read_text(encoding="utf-8"))[0]["id"]
    assert f"task {tid} (item {PAGE_ID}-01), annotation " in err and message in err


def test_an_existing_pass_is_not_overwritten_without_force(repo, loop, capsys):
    before = _snapshot(repo)
    assert run(repo, "labelstudio", "import", str(loop["export"]), "--pass", "pass1",
               "--annotator", loop["users"][ANN1]) == 1
    err = capsys.readouterr().err
    assert f"pass1/{PAGE_ID}-01.ann: exists" in err and "--force" in err
    assert _snapshot(repo) == before


def test_status_shows_each_page(repo, loop, capsys):
    capsys.readouterr()
    assert run(repo, "status", "--json") == 0
    rows = {r["page"]: r for r in json.loads(capsys.readouterr().out)}
    new = rows[PAGE_ID]
    assert (new["total"], new["pass1"], new["pass2"]) == (2, 2, 2)
    assert new["agreement"] is not None and new["agreement"] < 1
    assert new["adjudicated"] and [i["status"] for i in new["items"]] == ["gold", "gold"]
    seed = rows["000_af9ed2a9fbe09997"]
    assert seed["agreement"] is not None and seed["adjudicated"] and seed["total"] == 7
