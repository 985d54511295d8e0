"""Layout analysis: a page's text → items (articles, briefs, photo items, page furniture) made of
role-tagged blocks.

The page text comes from PDF extraction, in any of the common styles: punctuation in full or half
width (or both); one paragraph per line with or without blank lines; or paragraphs hard-wrapped at a
column width with the first line indented (U+3000 or ASCII spaces) and with or without blank lines.
Lines end at CR, LF, CRLF, NEL, U+2028 or U+2029; a line of only whitespace and invisible characters
(ZWSP, ZWJ, BOM, soft hyphen) is blank. The rules state facts of Chinese newspaper typography and look
at a width-normalised copy of the text (``chars.norm``); the text is never changed.

Modules, each importing only those before it:

1. :mod:`.chars` — character classes (both widths), the normalised copy, line ends.
2. :mod:`.names` — is a string a Chinese personal name (surname list in ``surnames.txt``)?
3. :mod:`.forms` — the forms of page typography: furniture (running heads, editor lines, jump lines
   下转第N版), sidebar labels (相关链接, 背景 …), zone labels (某某高新区:), kickers (…——), datelines
   (本报讯, 本刊讯, 本报X地X月X日电, 新华社X地X月X日电 … with a bracketed list of reporters), bylines
   (本报记者 X 通讯员 Y, □ 本报记者 X, 记者 X, 文/X, 文/图 X, 文·图 X, X、Y, (通讯员 X), a name glued to a
   closing paragraph), photo credits (X 摄, 本报记者 X 摄, (X供图), 图片来源:X, 图:X).
4. :mod:`.lines` — lines and the units (logical paragraphs and headings) they were cut from: a unit
   starts at an indented line, after a blank line, after a line that ends a sentence (or a colon
   lead-in) short of the column width, and at every line of a form that stands alone; a line starting
   with punctuation that cannot open a paragraph (。| ” , 87|.5%) goes on with the line before. Across a
   blank line (one paragraph per line), running text that stops mid-sentence goes on.
5. :mod:`.items` — units grouped into items with block roles: furniture is an item of its own (a jump
   line right after the item it cuts; a page starting inside an article gives an untitled article);
   a sidebar label opens an article titled by it; a zone label opens a brief, a kicker an article; a
   heading above a heading is a column label; a headline (which may end in ? or !) is the title; a
   ——-led line under it the subtitle; a heading inside running text a subhead; Q&A, 编者按, list items
   and colon lead-ins are paragraphs; a byline after the title names the authors, after the body it
   closes the item; a dateline opening the first paragraph (or the one after an editor's note) is split
   off; a photo credit collects its captions (before or after it, 图为 or not) into a photo item.

Every block records the source character spans it was cut from, so that each non-whitespace character
of the page can be accounted for (:func:`check_accounting`).
"""

from __future__ import annotations

from gaoxin_news.corpus.layout import forms
from gaoxin_news.corpus.layout.chars import CLOSERS, INVISIBLE, SENTENCE_FINAL
from gaoxin_news.corpus.layout.items import HEADING_ROLES, Block, Item, Kind, Role, build_items
from gaoxin_news.corpus.layout.lines import Unit, join_units, split_lines
from gaoxin_news.errors import AccountingError

__all__ = [
    "CLOSERS", "HEADING_ROLES", "SENTENCE_FINAL", "Block", "Item", "Kind", "Role", "Unit", "analyse",
    "build_items", "check_accounting", "join_units", "split_lines",
]


def analyse(text: str) -> list[Item]:
    """Page text → items. Raises nothing for any string; an empty list means no recognisable item."""
    forms.clear_caches()
    return [it for it in build_items(join_units(split_lines(text))) if it.blocks]


def _ignorable(c: str) -> bool:
    """Whitespace and invisible characters (ZWSP, ZWJ, BOM, soft hyphen …) need no block."""
    return c.isspace() or c in INVISIBLE


def check_accounting(text: str, items: list[Item], source: str = "<page>") -> None:
    """Every character of ``text`` other than whitespace and invisible characters is in exactly one
    block, in reading order.

    Raises :class:`AccountingError` naming the first source offset that is dropped or duplicated.
    """
    covered: list[tuple[int, int]] = []
    for item in items:
        for blk in item.blocks:
            joined = "".join(text[s:e] for s, e in blk.source_spans)
            if joined != blk.text:
                off = blk.source_spans[0][0] if blk.source_spans else 0
                raise AccountingError(source, off, f"block text differs from its source spans ({blk.role})")
            covered.extend(blk.source_spans)
    pos = 0
    for s, e in covered:
        if s < pos:
            raise AccountingError(source, s, "character assigned twice or out of reading order")
        for k in range(pos, s):
            if not _ignorable(text[k]):
                raise AccountingError(source, k, f"character {text[k]!r} dropped by layout analysis")
        pos = e
    for k in range(pos, len(text)):
        if not _ignorable(text[k]):
            raise AccountingError(source, k, f"character {text[k]!r} dropped by layout analysis")
