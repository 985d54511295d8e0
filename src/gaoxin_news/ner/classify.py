"""The one classifier of predicted against gold entities, used by ``evaluate --errors`` and by the view.

Spans are compared within one sentence. **Pairing** (nervaluate's strict mode, whose counts it
therefore reproduces): the predictions are taken in text order; each is paired with the first gold span
(in text order) not yet paired that has the same offsets and label, else with the first gold span not yet
paired that overlaps it, else with none. Each gold span is in at most one pair; a gold span in none is
missed. A second prediction on a gold span already paired is therefore spurious, and a prediction over
two gold spans is paired with the first, the second being missed unless another prediction takes it.

**Classes** (:data:`CLASSES`), one per prediction and one per unpaired gold span:

- ``correct``: paired, same offsets and label;
- ``wrong type``: paired, same offsets, another label;
- ``wrong boundary``: paired, overlapping, same label, other offsets;
- ``wrong type and boundary``: paired, overlapping, other label and offsets;
- ``spurious``: a prediction paired with no gold span;
- ``missed``: a gold span paired with no prediction.

So ``correct``, ``missed`` and ``spurious`` are nervaluate's strict correct, missed and spurious; the
three ``wrong`` classes together are its strict incorrect, and ``wrong type`` is its exact-mode correct
less its strict correct. Every class but ``correct`` is an error (:data:`ERROR_CLASSES`).

**View statuses** (:data:`STATUS`, the one place where the classes map onto the ``data-status`` values
of ``gaoxin-news view``): ``correct``, ``missed``, ``spurious`` and ``wrong-type`` are the classes of those
names; ``wrong-span`` is ``wrong boundary`` or ``wrong type and boundary``. Both spans of a pair get the
pair's status, so the gold and the predicted layer have equal ``correct``, ``wrong-type`` and
``wrong-span`` counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gaoxin_news.schema.spans import Span, overlaps, pair_class

CORRECT, MISSED, SPURIOUS = "correct", "missed", "spurious"
#: Every class, ``correct`` first.
CLASSES: tuple[str, ...] = (CORRECT, MISSED, SPURIOUS, "wrong type", "wrong boundary", "wrong type and boundary")
#: The classes that are errors (the ``class`` of an ``evaluate --errors`` record).
ERROR_CLASSES: tuple[str, ...] = CLASSES[1:]

#: The view's status (its ``data-status`` attribute) of each class.
STATUS: dict[str, str] = {
    CORRECT: "correct",
    MISSED: "missed",
    SPURIOUS: "spurious",
    "wrong type": "wrong-type",
    "wrong boundary": "wrong-span",
    "wrong type and boundary": "wrong-span",
}
#: The view's statuses, in the order the view lists them.
STATUSES: tuple[str, ...] = ("correct", "missed", "spurious", "wrong-type", "wrong-span")


@dataclass(frozen=True)
class Pair:
    """One outcome: a prediction with the gold span it is paired with (``gold`` None: spurious), or a gold
    span no prediction is paired with (``pred`` None: missed). ``gold_index`` and ``pred_index`` are the
    positions in the sequences given to :func:`classify`."""

    cls: str
    gold: Span | None
    pred: Span | None
    gold_index: int | None
    pred_index: int | None

    @property
    def status(self) -> str:
        """The view's status of both spans of the pair."""
        return STATUS[self.cls]


def classify(gold: Sequence[Span], pred: Sequence[Span]) -> list[Pair]:
    """Every prediction and every unpaired gold span of one sentence as a :class:`Pair` (see the module
    docstring), in text order (by the pair's first span)."""
    gold_order = sorted(range(len(gold)), key=lambda i: gold[i])
    paired: set[int] = set()
    out: list[Pair] = []
    for j in sorted(range(len(pred)), key=lambda j: pred[j]):
        p, hit = pred[j], None
        for i in gold_order:
            if i in paired:
                continue
            if gold[i] == p:
                hit = i
                break
            if hit is None and overlaps(gold[i], p):
                hit = i
        if hit is None:
            out.append(Pair(SPURIOUS, None, p, None, j))
        else:
            paired.add(hit)
            cls = pair_class(gold[hit], p)
            assert cls is not None  # the pair overlaps
            out.append(Pair(cls, gold[hit], p, hit, j))
    out += [Pair(MISSED, gold[i], None, i, None) for i in gold_order if i not in paired]
    out.sort(key=lambda x: min((s.start, s.end) for s in (x.gold, x.pred) if s is not None))
    return out
