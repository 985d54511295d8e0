"""Lines → units: the page's lines with their indentation and width, and the logical paragraphs and
headings (units) that the layout cut into lines.

Evidence used is what typesetting leaves, never the content: indentation, blank lines, line widths
against the column width, punctuation at line ends and starts, and the forms of :mod:`forms` that are
always a line of their own (furniture, credits, bylines, zone labels, kickers, sidebar labels).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import chain, repeat

from gaoxin_news.corpus.layout import forms
from gaoxin_news.corpus.layout.chars import (
    COLONS, DASHES, INVISIBLE, LINE_END_RE, LIST_ITEM_ENDS, NO_OPEN, ends_sentence, norm,
)

#: Narrowest and widest column (characters per line) that hard wrapping is looked for in.
COLUMN_MIN_WIDTH, COLUMN_MAX_WIDTH = 8, 48
#: Lines of exactly one width needed before that width is taken as a column width.
COLUMN_MIN_LINES = 3
#: A line ending mid-sentence this many characters off the column width still fills it (a typesetter
#: keeps a non-opening mark with the line before, or drops a space at the line end).
FULL_SLACK = 1
#: A page on which at least this share of the lines that end a paragraph (a sentence end on a line
#: shorter than the one above, or a form of its own: a byline, a credit …) are followed by a blank line
#: separates its paragraphs by blank lines: there, lines with no blank line between belong together.
BLANK_SEPARATED_SHARE = 0.5
#: Across a blank line, running text goes on only when its last line ends in one of these or in no
#: punctuation at all (a cut mid-word or mid-clause); any other mark ends the paragraph.
CUT_ENDS = "，,、"


class Line:
    """A non-blank line: its stripped text (and the normalised copy), span, indentation, width (the
    indentation plus the text, in characters), how many blank lines stand before it, its run (the
    lines with no blank line between them), and its forms (:func:`forms.forms_of`), tested once, with
    what the rules below ask of it."""

    __slots__ = ("text", "norm", "start", "end", "indent", "width", "gap", "run", "forms", "sentence_end",
                 "ends_unit", "alone", "whole", "alone_unless_cut", "list_start")

    def __init__(self, text: str, n: str, start: int, indent: int, gap: int, run: int) -> None:
        self.text = text
        self.norm = n
        self.start = start
        self.end = start + len(text)
        self.indent = indent
        self.width = indent + len(text)
        self.gap = gap
        self.run = run
        self.forms = f = forms.forms_of(n)
        short = len(n) <= forms.LINE_FORM_MAX_CHARS  # a longer line is no form of its own
        self.whole = whole = short and _whole_line_form(f)  # :func:`whole_line_form`
        self.sentence_end = se = ends_sentence(n)
        self.ends_unit = se or n.rstrip()[-1:] in COLONS  # :func:`_ends_unit`: a sentence end or a colon
        self.alone = short and _always_alone(f)  # :func:`always_alone`
        self.alone_unless_cut = whole or n[:1] in DASHES or f.dateline  # :func:`alone_unless_cut`
        self.list_start = f.list_start  # opens with a bullet or an enumerator


_ENDS = "\r\n\x85\u2028\u2029"
# the text of a non-blank line: from its first to its last character that is neither whitespace nor
# invisible, with no line end between
_CONTENT_RE = re.compile(f"[^\\s{INVISIBLE}](?:[^{_ENDS}]*[^\\s{INVISIBLE}])?")


def split_lines(text: str) -> list[Line]:
    """Every non-blank line (a line of only whitespace and invisible characters is blank): the text
    between two line ends, stripped (from its first to its last character that is neither whitespace
    nor invisible)."""
    if not ("\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text):
        # the usual case: LF alone ends lines
        raws, end_lens = text.split("\n"), repeat(1)
    else:
        raws, end_lens = LINE_END_RE.split(text), chain(map(len, LINE_END_RE.findall(text)), (0,))
    ntext = norm(text)
    out: list[Line] = []
    append = out.append
    run = 0
    pos = 0  # where the line starts
    ends = 0  # line ends since the last non-blank line
    for raw, end_len in zip(raws, end_lens):
        if not raw:  # an empty line (the usual blank line)
            pos += end_len
            ends += 1
            continue
        s = raw.strip()
        if s:
            if s[0] in INVISIBLE or s[-1] in INVISIBLE:
                m = _CONTENT_RE.search(raw)  # invisible characters at an end: the pattern says where it is
                s = m.group() if m else ""
                a = pos + m.start() if m else pos
            else:
                a = pos + len(raw) - len(raw.lstrip())
        if s:
            gap = ends - 1 if out else 0
            if gap:
                run += 1
            lead = text[pos:a]
            indent = lead.count("\u3000") + lead.count(" ") + lead.count("\t") if lead else 0  # in INDENT
            append(Line(s, ntext[a:a + len(s)], a, indent, gap, run))
            ends = 0
        pos += len(raw) + end_len
        ends += 1
    return out


def column_width(widths: list[int]) -> int | None:
    """The column width of hard-wrapped lines: the most frequent width (of at least
    :data:`COLUMN_MIN_LINES` lines, between the bounds) when no more lines are wider than it."""
    counts = Counter(w for w in widths if COLUMN_MIN_WIDTH <= w <= COLUMN_MAX_WIDTH)
    if not counts:
        return None
    w, c = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if c >= COLUMN_MIN_LINES and c >= sum(1 for x in widths if x > w):
        return w
    return None


def column_widths(lines: list[Line]) -> list[int | None]:
    """Each line's column width: its run's own, else the page's. Only lines that may have been cut are
    evidence: followed at once by an unindented line that is not a form of its own nor a list item,
    ending neither a sentence, a lead-in nor a list item, and not a form of their own."""
    cuts = [ln for ln, nx in zip(lines, lines[1:]) if nx.gap == 0 and nx.indent == 0 and not ln.ends_unit
            and not ln.alone and not ln.whole and ln.norm[-1] not in LIST_ITEM_ENDS
            and not nx.alone and not nx.alone_unless_cut and not nx.list_start]
    page = column_width([ln.width for ln in cuts])
    by_run: dict[int, list[int]] = {}
    for ln in cuts:
        by_run.setdefault(ln.run, []).append(ln.width)
    # a run of fewer cut lines than a column width needs has none of its own (no need to count them)
    run_w = {r: column_width(ws) for r, ws in by_run.items() if len(ws) >= COLUMN_MIN_LINES}
    return [w if (w := run_w.get(ln.run)) is not None else page for ln in lines]


class Unit:
    """One or more lines rejoined into a logical paragraph or heading."""

    __slots__ = ("chunks", "indented", "text", "norm", "wrap_width", "whole", "sidebar", "_forms")

    def __init__(self, ln: Line) -> None:
        """The unit that starts with line ``ln``."""
        self.chunks: list[Line] = [ln]  # its lines (each with its text and source span)
        self.indented = ln.indent > 0  # its first line is indented: running text, never a heading
        self.text = ln.text
        self.norm = ln.norm  # the normalised copy of the text
        self.wrap_width = 0  # the widest of its lines but the last: the column it was wrapped in (0: one line)
        self.whole = ln.whole  # the text so far is a form of its own (:func:`whole_line_form`)
        self.sidebar = ln.whole and ln.forms.sidebar  # the text so far is a sidebar label
        self._forms: forms.Forms | None = ln.forms  # the forms of the text so far, once asked

    @property
    def forms(self) -> forms.Forms:
        """The forms of the text so far (:func:`forms.forms_of`, tested once per page)."""
        if self._forms is None:
            self._forms = forms.forms_of(self.norm)
        return self._forms

    def append(self, ln: Line, before: Line) -> None:
        """Line ``ln`` goes on with the unit (``before``: its last line so far)."""
        self.chunks.append(ln)
        self.text += ln.text
        n = self.norm = self.norm + ln.norm
        if before.width > self.wrap_width:
            self.wrap_width = before.width
        if len(n) <= forms.LINE_FORM_MAX_CHARS:  # a longer text is no form of its own
            f = self._forms = forms.forms_of(n)
            self.whole = whole = _whole_line_form(f)
            self.sidebar = whole and f.sidebar
        else:
            self._forms = None
            self.whole = self.sidebar = False


def always_alone(n: str) -> bool:
    """A line that is never part of a paragraph: page furniture or a photo credit."""
    return _always_alone(forms.forms_of(n))


def _always_alone(f: forms.Forms) -> bool:
    return f.furniture or f.credit is not None


def alone_unless_cut(n: str) -> bool:
    """A line that stands alone unless the line before it was cut mid-sentence at the column width:
    a byline, a zone label, a kicker, a sidebar label, a subtitle, or a paragraph opened by a dateline."""
    f = forms.forms_of(n)
    return _whole_line_form(f) or n[:1] in DASHES or f.dateline


def whole_line_form(n: str) -> bool:
    """A line that is a form of its own from end to end: a byline, a zone label, a kicker or a sidebar
    label (such a line is never cut running text)."""
    return _whole_line_form(forms.forms_of(n))


def _whole_line_form(f: forms.Forms) -> bool:
    return f.byline or f.zone is not None or f.kicker or f.sidebar


def _ends_unit(n: str) -> bool:
    """Does the text end where a paragraph may end: a sentence end or a colon (a lead-in)?"""
    return ends_sentence(n) or n.rstrip()[-1:] in COLONS


#: How many heading-like lines in a row (column label, kicker, headline …) are followed to find the
#: line that shows they are headings.
HEADING_STACK_MAX = 4


def _heads_a_paragraph(lines: list[Line], j: int, depth: int = HEADING_STACK_MAX, questions: bool = True) -> bool:
    """Is line ``j`` (unindented, after a finished sentence) a heading: heading-like (a paragraph's last
    line ends with punctuation), and followed at once by an indented line, a byline, subtitle, zone
    label, kicker, sidebar label or dateline, or another heading?"""
    if j + 1 >= len(lines) or depth == 0:
        return False
    b, c = lines[j], lines[j + 1]
    if c.gap:
        return False
    bf, cf = b.forms, c.forms
    if questions and bf.question_title and not bf.dateline:
        # a question headline: followed by a subtitle, a reporter's byline, a dateline or an editor's note
        cn = c.norm
        return cn[:1] in DASHES or forms.is_byline(cn, bare=False) or cf.dateline or cf.editors_note
    if not bf.headingish:
        return False
    return c.indent > 0 or c.alone_unless_cut or (
        not c.alone and (cf.headingish or cf.question_title) and _heads_a_paragraph(lines, j + 1, depth - 1)
    )


def blank_separated(lines: list[Line]) -> bool:
    """Does the page separate its paragraphs by blank lines (see :data:`BLANK_SEPARATED_SHARE`)?"""
    ends = [nx.gap > 0 for pv, ln, nx in zip([None, *lines], lines, lines[1:])
            if ln.alone or ln.whole
            or (ln.sentence_end and (pv is None or ln.gap or ln.width < pv.width))]
    return bool(ends) and sum(ends) >= BLANK_SEPARATED_SHARE * len(ends)


def continues(unit: Unit, lines: list[Line], j: int, width: int | None, prev: Unit | None,
              blanks: bool = False) -> bool:
    """Does line ``j`` (b) go on with the unit whose last line is line ``j - 1`` (a)? (``width``: the
    column width at a; ``prev``: the unit before, whose zone label or kicker makes ``unit`` a headline;
    ``blanks``: the page separates paragraphs by blank lines.)

    In order: furniture, credits and sidebar labels stand alone, and an indented b starts a paragraph;
    a (in a column) is *cut* when it ends mid-sentence at the column width; unless a is cut, a list item
    or a form of its own (byline, zone label, kicker, subtitle, dateline) starts anew, and even after a
    cut a line wider than the column, a byline, zone label, sidebar label, dateline or a subtitle under
    a heading does; b going on with a mark that cannot open a paragraph (。| ” , 87|.5%) goes on; a
    heading before a paragraph start does not; a cut goes on; in a column, a line that fills it goes
    on; a sentence end short of the lines above ends the paragraph; on a page of blank-separated or
    indented paragraphs, b goes on. Otherwise (one paragraph per line, or across a blank line), running
    text left unfinished mid-word or mid-clause goes on."""
    a, b = lines[j - 1], lines[j]
    an, bn = a.norm, b.norm
    if a.alone or b.alone or unit.sidebar:
        return False
    if b.indent > 0:
        return False
    cut = False  # a was cut mid-sentence at the column width
    if b.gap == 0 and width is not None:
        # a list item ended by a semicolon before an enumerated line is not a cut: the next item starts
        # (the same lines are never taken as evidence of the column width, see column_widths)
        cut = not a.ends_unit and abs(a.width - width) <= FULL_SLACK and not a.whole \
            and not (an[-1] in LIST_ITEM_ENDS and b.list_start)
    if unit.whole or (not cut and (b.list_start or b.alone_unless_cut)):
        return False
    bf = b.forms
    if cut and (b.width > width + FULL_SLACK or bf.byline or bf.zone or bf.sidebar or bf.dateline
                or (bn[:1] in DASHES and not unit.forms.bodyish)):
        # a line wider than the column, a form never found inside running text, or a dash under a
        # heading (a subtitle) starts anew
        return False
    if bn[0] in NO_OPEN:
        return True
    if b.gap == 0:  # (a is cut only when b follows at once)
        if _heads_a_paragraph(lines, j, questions=unicodedata.category(an[-1])[0] not in "LN"):
            # a heading-like line before a paragraph start (a paragraph's last line ends with punctuation)
            return False
        if cut:
            return True
        if width is not None:
            # in a wrapped column: a line that fills the column goes on (a new sentence at a line start)
            return a.width == width
        if unit.wrap_width and a.ends_unit and a.width < unit.wrap_width - FULL_SLACK:
            # the lines above show the column: this one ends a sentence short of it
            return False
        if blanks or unit.indented:
            # paragraphs are separated by blank lines or opened by indentation: an unindented line with no
            # blank line before it goes on
            return True
    # one paragraph per line (blank lines between, or none): a cut leaves running text unfinished
    last = unit.norm[-1]
    if not (last in CUT_ENDS or unicodedata.category(last)[0] in "LN"):
        return False
    uf = unit.forms
    if not (uf.bodyish or unit.indented):
        return False
    if prev is not None and uf.titleish and ((pf := prev.forms).zone or pf.kicker):
        return False
    if forms.glued_byline(unit.norm):
        return False
    return True


def join_units(lines: list[Line]) -> list[Unit]:
    """Rejoin the lines that the layout cut apart into units."""
    widths = column_widths(lines)
    blanks = blank_separated(lines)
    units: list[Unit] = []
    unit = prev = None  # the last unit and the one before it
    for i, ln in enumerate(lines):
        if unit is not None and continues(unit, lines, i, widths[i - 1], prev, blanks):
            unit.append(ln, lines[i - 1])
        else:
            prev = unit
            unit = Unit(ln)
            units.append(unit)
    return units
