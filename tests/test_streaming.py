"""The streaming readers of `evaluate`: the direct checks of a line accept only what the record models
accept (and read the same content), and a prediction file read in step or through its index gives the
figures, or the error, of the reader that holds the whole file (``read_predictions``), whatever the order
of its lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin_news.errors import InputError
from gaoxin_news.ner.evaluate import evaluate, evaluate_stream
from gaoxin_news.ner.predictions import (
    _fast_prediction, _fast_sentence, gold_lines, read_gold, read_predictions,
)
from gaoxin_news.schema.files import loads_unique
from gaoxin_news.schema.records import Prediction, SentenceRecord

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LINES = (CORPUS / "sentences.jsonl").read_bytes().splitlines(keepends=True)
GOLD = read_gold(CORPUS)


def _model(raw: bytes, model):
    """What the model's reader makes of a line: the record, or None when it refuses it."""
    try:
        obj = loads_unique(raw.decode("utf-8"))
        return model.model_validate(obj) if isinstance(obj, dict) else None
    except Exception:
        return None


def test_every_corpus_line_takes_the_direct_checks_and_reads_as_the_model_reads_it():
    for raw in LINES:
        fast = _fast_sentence(raw)
        rec = SentenceRecord.model_validate_json(raw)
        assert fast is not None, raw[:80]
        if rec.annotation != "gold":
            assert fast is False
            continue
        assert (fast.id, fast.text, fast.role) == (rec.id, rec.text, rec.role)
        assert fast.spans == [(e.start, e.end, e.label) for e in rec.entities]


_values = st.one_of(st.none(), st.booleans(), st.integers(-2, 40), st.floats(0, 5), st.sampled_from(
    ["", "GPE", "PER", "gold", "silver", "paragraph", "x", "高新区", 'a"b', "a\\b", "a\nb", "1", "B-GPE", "O"]),
    st.lists(st.sampled_from(["O", "B-GPE", "I-GPE", "高"]), max_size=3), st.just({}),
    st.just({"model": "m", "version": "1"}))


@st.composite
def sentence_lines(draw) -> bytes:
    """A corpus line with one change: a value replaced, an entity field replaced, a key dropped, doubled
    or moved, the text changed (tokens and tags following it or not), spaces added."""
    rec = json.loads(draw(st.sampled_from([ln for ln in LINES if b'"entities":[{' in ln])))
    op = draw(st.sampled_from(["value", "entity", "drop", "double", "move", "text", "spaces"]))
    key = draw(st.sampled_from(sorted(rec)))
    if op == "value":
        rec[key] = draw(_values)
    elif op == "entity":
        e = rec["entities"][draw(st.integers(0, len(rec["entities"]) - 1))]
        e[draw(st.sampled_from(["start", "end", "label", "text", "extra"]))] = draw(_values)
    elif op == "drop":
        del rec[key]
    elif op == "move":
        rec[key] = rec.pop(key)
    elif op == "text":
        text = draw(st.sampled_from(['高"新', "高\\新", "高\t新", "高\u2028新", "\ud800x", "abc"]))
        rec.update(text=text, entities=[])
        if draw(st.booleans()):
            rec.update(tokens=list(text), ner_tags=["O"] * len(text))
    line = json.dumps(rec, ensure_ascii=False, separators=(", ", ": ") if op == "spaces" else (",", ":"))
    if op == "double":
        line = line[:-1] + "," + json.dumps(key) + ":" + json.dumps(rec.get(key)) + "}"
    return line.encode("utf-8", "surrogatepass") + b"\n"


@settings(max_examples=400, deadline=None)
@given(sentence_lines())
def test_a_line_the_direct_checks_accept_is_one_the_model_accepts(raw):
    fast = _fast_sentence(raw)
    if fast is None:
        return  # read by the model (tested with the messages elsewhere)
    rec = _model(raw, SentenceRecord)
    assert rec is not None, raw
    assert (fast is False) == (rec.annotation != "gold")
    if fast:
        assert (fast.id, fast.text, fast.role, fast.spans) == (
            rec.id, rec.text, rec.role, [(e.start, e.end, e.label) for e in rec.entities])


_entity = st.dictionaries(st.sampled_from(["start", "end", "label", "text", "score"]), _values, max_size=5)


@st.composite
def prediction_lines(draw) -> bytes:
    ents = draw(st.lists(st.one_of(
        st.builds(lambda a, w, lab: {"start": a, "end": a + w, "label": lab},
                  st.integers(0, 20), st.integers(1, 4), st.sampled_from(["GPE", "ORG", "PER", "CITY"])),
        _entity), max_size=4))
    obj = {"id": draw(st.sampled_from([GOLD[1].id, 7, None])), "entities": ents}
    if draw(st.booleans()):
        obj = {k: obj[k] for k in reversed(list(obj))}
    line = json.dumps(obj, ensure_ascii=False)
    if draw(st.integers(0, 5)) == 0:
        line = line[:-1] + ', "entities": []}'
    return line.encode() + b"\n"


@settings(max_examples=400, deadline=None)
@given(prediction_lines())
def test_a_prediction_line_the_direct_checks_accept_is_one_the_model_accepts(raw):
    fast = _fast_prediction(raw)
    rec = _model(raw, Prediction)
    if fast is not None:
        assert rec is not None, raw
        assert fast == (rec.id, rec.spans())
    elif rec is not None:  # a valid line the direct checks pass to the model: none of the usual shape
        assert b", " in raw or b": " in raw


# ---------------------------------------------------------------- files in any order, good or bad

def _good(i: int, k: int = 0) -> str:
    s = GOLD[i]
    ents = [{"start": e.start, "end": e.end, "label": e.label} for e in s.entities][k:]
    return json.dumps({"id": s.id, "entities": ents}, ensure_ascii=False)


def _bad(kind: str, i: int) -> str:
    s = GOLD[i]
    return {
        "unknown": json.dumps({"id": "nope-" + s.id, "entities": []}),
        "json": '{"id": "x", "entities": [',
        "range": json.dumps({"id": s.id, "entities": [{"start": 0, "end": len(s.text) + 1, "label": "GPE"}]}),
        "label": json.dumps({"id": s.id, "entities": [{"start": 0, "end": 1, "label": "PER"}]}),
        "model": json.dumps({"id": s.id, "entities": [{"start": "0", "end": 1, "label": "GPE"}]}),
        "blank": "",
    }[kind]


@st.composite
def prediction_files(draw) -> list[str]:
    """Lines for some gold sentences (in order, shuffled, or with one repeated), with bad lines put in."""
    n = len(GOLD)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=0, max_size=n))
    if draw(st.booleans()):
        picked.sort()
    lines = [_good(i, draw(st.integers(0, 2))) for i in picked]
    for kind in draw(st.lists(st.sampled_from(["unknown", "json", "range", "label", "model", "blank", "dup"]),
                              max_size=2)):
        at = draw(st.integers(0, len(lines)))
        i = draw(st.integers(0, n - 1))
        lines.insert(at, _good(picked[0] if picked else i) if kind == "dup" else _bad(kind, i))
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prediction_files(), st.sampled_from(["ontonotes", "msra"]))
def test_streaming_equals_the_whole_file_reader(tmp_path, lines, scheme):
    path = tmp_path / "p.jsonl"
    path.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    try:
        want = evaluate(GOLD, read_predictions(path, GOLD, scheme), scheme, bootstrap=0)
    except InputError as e:
        with pytest.raises(InputError) as got:
            evaluate_stream(path, CORPUS, scheme, bootstrap=0)
        assert str(got.value) == str(e)
        return
    report, info = evaluate_stream(path, CORPUS, scheme, bootstrap=0)
    assert report == want
    assert info["records"] == len(read_predictions(path, GOLD, scheme))
    assert info["sentences"] == len(GOLD)


def test_gold_lines_refuse_a_corpus_line_with_the_models_message(tmp_path):
    rec = json.loads(LINES[3])
    rec["ner_tags"][0] = "B-CITY"
    (tmp_path / "sentences.jsonl").write_bytes(LINES[0] + (json.dumps(rec, ensure_ascii=False) + "\n").encode())
    with pytest.raises(InputError) as e:
        list(gold_lines(tmp_path))
    assert str(e.value).startswith(f"{tmp_path / 'sentences.jsonl'}:2: {rec['id']}: ")
    assert "unknown tags ['B-CITY']" in str(e.value)
