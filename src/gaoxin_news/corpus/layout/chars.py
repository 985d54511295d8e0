"""Character classes, the width-normalised copy used for classification, and line ends.

Every class holds the full-width and the half-width form of its punctuation. Rules classify a
*normalised copy* of the text (:func:`norm`: NFKC restricted to the width forms, one character for one,
so offsets stay valid); the text itself is never changed.
"""

from __future__ import annotations

import re
import unicodedata

#: Sentence-final punctuation (both widths); a run of ``…`` ends a sentence too.
SENTENCE_FINAL = "。！？!?…⋯"
#: Closing quotes and brackets that stay with the sentence or clause before them.
CLOSERS = "”’」』）)》〉】〕］]"
#: Punctuation inside running text (clauses and sentences), both widths.
CLAUSE_PUNCT = "，,、；;：:。！？!?"
#: Characters that cannot open a paragraph: a line starting with one continues the line before it.
NO_OPEN = "，,、；;：:。！？!?）)”’」』》〉】〕…⋯%％．."
#: Semicolons, which end a list item.
LIST_ITEM_ENDS = "；;"
#: Colons (a line ending with one is a lead-in: the paragraph ends there).
COLONS = "：:"
#: Dashes that end a kicker or open a subtitle.
DASHES = "—－-"
#: Han characters (CJK unified ideographs and extension A).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
#: Characters that take no space and print nothing: a line holding only these (and whitespace) is blank.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: Characters of indentation at a line start: the ideographic space and the ASCII space (and tab).
INDENT = "\u3000 \t"

#: Line ends for layout: CRLF, CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
LINE_END_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _width_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xFF01, 0xFFEF)) + [0x3000]:
        n = unicodedata.normalize("NFKC", chr(cp))
        if len(n) == 1 and n != chr(cp):
            table[cp] = n
    return table


_WIDTH = _width_table()
_WIDE_RE = re.compile("[" + "".join(map(chr, sorted(_WIDTH))) + "]")
_WIDTH_STR = {chr(cp): n for cp, n in _WIDTH.items()}
# a text with more distinct wide characters than this is translated character by character; one with
# fewer has each of them replaced at once (faster: a replacement runs at C speed over the whole text)
_REPLACE_MAX = 40


def norm(text: str) -> str:
    """The width-normalised copy of ``text`` (，→, （→( ３→3 U+3000→space …), of the same length."""
    wide = set(_WIDE_RE.findall(text))
    if len(wide) > _REPLACE_MAX:
        return text.translate(_WIDTH)
    for c in wide:  # (no normalised character is itself wide: the order does not matter)
        text = text.replace(c, _WIDTH_STR[c])
    return text


def is_blank(text: str) -> bool:
    """Only whitespace and invisible characters?"""
    return all(c.isspace() or c in INVISIBLE for c in text)


def ends_sentence(t: str) -> bool:
    """Does ``t`` end with sentence-final punctuation, possibly followed by closing quotes or brackets?"""
    core = t.rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_FINAL


def has_clause_punct(t: str) -> bool:
    return any(c in CLAUSE_PUNCT for c in t)
