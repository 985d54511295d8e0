"""Layout analysis: a page's text → items (articles, briefs, photo items) made of role-tagged blocks.

The page text comes from PDF extraction: paragraphs and headings are separated by blank lines, but the
page layout also cuts running text across "paragraphs" (even inside a name: 田文 | 广表示). The rules
work from the form of each chunk only (punctuation, length, position, a few genre words such as 本报讯
and 图片来源); they name no titles, people or places of any page.

Stages:
1. :func:`split_chunks` — every non-blank line with its source span.
2. :func:`join_units` — rejoin the chunks the layout cut: a chunk continues into the next when it is
   running text (it has clause punctuation or is long) that does not end a sentence, carries no glued
   byline, is not a headline under a zone label or kicker, and the next chunk is not a marker (credit,
   zone label, kicker), a dateline paragraph or a byline; or when the next chunk starts with
   punctuation that cannot open a paragraph. A leading enumerator (一、 1. (二)) does not count as
   clause punctuation.
3. :func:`build_items` — group units into items and give each block a role:
   - a zone label (``某某高新区:``, alone or with the title after it on the same line) opens a brief; a kicker (ending in ——) above a headline opens an
     article; a heading above another heading or a zone label is a column label;
   - the first heading of an item is its title (under a zone label or kicker it may hold commas); a
     heading starting with —— right after it is a subtitle; a heading inside running text, followed
     by running text, is a subhead;
   - a byline is one or more short names (optionally with 本报记者 / 通讯员 / 文/图 …): after the title
     it names the authors; after the body it closes the item. A name glued to the end of a closing
     paragraph (``…发展。张三``) is split off into its own byline block;
   - 本报讯 (with an optional ``(记者 X)``) opening the first paragraph is split off as the dateline;
   - a photo credit (图片来源:… / 图片由…提供 / X 摄) closes the running text before it when that text
     has no title or reads as a caption (图为…), making a photo item whose paragraphs are captions; in a
     titled article only the trailing caption paragraphs move, with the credit, into a photo item of
     their own; a credit followed by running text opens a photo item whose captions follow; a credit
     glued to the end of a caption (``…现场。(本报记者 张三 摄)``) is split off and attached the same way.

Every block records the source character spans it was cut from, so that each non-whitespace character
of the page can be accounted for (:func:`check_accounting`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from gaoxin_news.errors import AccountingError

Role = Literal[
    "column", "kicker", "zone", "title", "subtitle", "byline", "dateline", "subhead", "paragraph", "caption",
    "credit",
]
Kind = Literal["article", "brief", "photo"]

#: Roles whose block is a heading (one sentence, never split).
HEADING_ROLES: frozenset[str] = frozenset(
    {"column", "kicker", "zone", "title", "subtitle", "byline", "dateline", "subhead", "credit"}
)

# ---------------------------------------------------------------------------------------------------
# Character classes (full-width and half-width forms, since the source mixes both)
# ---------------------------------------------------------------------------------------------------
SENTENCE_FINAL = "。!?!?…"
CLOSERS = "”’」』))"
CLAUSE_PUNCT = ",,、;;::。!?!?"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"

_CREDIT_RE = re.compile(r"^(?:图片来源|图片提供|供图|摄影|图|摄)\s*[::]")
_CREDIT_BY_RE = re.compile(r"^图片由(.{1,30})提供$")
_ZONE_RE = re.compile(rf"^[{HAN}A-Za-z0-9()()·、]{{2,30}}[::]$")
# a zone label and the title on one line: "某某高新区:某某揭牌"
_ZONE_TITLE_RE = re.compile(rf"^([{HAN}A-Za-z0-9()()·、]{{2,30}}[::])[ \u3000]*(\S.*)$")
_KICKER_RE = re.compile(r"^.{2,60}?(?:——|—{1}|--)$")
_DATELINE_RE = re.compile(r"^(本报讯|本刊讯)(?:\s*[((]([^))]{1,40})[))])?")
_NAME = rf"[{HAN}]{{2,4}}(?:·[{HAN}]{{2,6}})?"
_BULLET = r"(?:[■□●◆▲★]\s*)?"
_ENUM_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[.、.]|[((][一二三四五六七八九十\d]{1,3}[))])")
_REPORTER_PREFIX = r"(?:本报记者|本报通讯员|特约记者|记者|通讯员|文/图|图/文|文/|图/|文 )"
_BYLINE_SUFFIX = r"(?:[ \u3000]*(?:文/图|图/文|文|图|报道))?"
_BYLINE_RE = re.compile(
    rf"^{_BULLET}(?:{_REPORTER_PREFIX}\s*)?{_NAME}(?:[ \u3000]+(?:{_REPORTER_PREFIX}\s*)?{_NAME}){{0,5}}"
    rf"{_BYLINE_SUFFIX}$"
)
# a photographer's credit on its own line: "本报记者 张三 摄"
# a photographer's credit glued to the end of a caption: "…授旗仪式。(本报记者 张三 摄)"
_GLUED_CREDIT_RE = re.compile(
    rf"(?<=[。!?!?”」])[ \u3000]*([((]?(?:{_REPORTER_PREFIX}\s*)?{_NAME}(?:[ \u3000]+{_NAME}){{0,3}}[ \u3000]*摄[))]?)$"
)
_CREDIT_SHOT_RE = re.compile(
    rf"^{_BULLET}(?:{_REPORTER_PREFIX}\s*)?({_NAME}(?:[ \u3000]+(?:{_REPORTER_PREFIX}\s*)?{_NAME}){{0,3}})\s*摄$"
)
# A name glued to the end of a closing paragraph: sentence-final punctuation, then 2–3 Han characters
# (4 for compound surnames, or a transliterated name with a middle dot) and nothing else.
_GLUED_BYLINE_RE = re.compile(
    rf"[{re.escape(SENTENCE_FINAL)}][{re.escape(CLOSERS)}]*((?:{_NAME})(?:[ \u3000]+{_NAME}){{0,3}})$"
)
# A glued "name" that starts with one of these characters is a sentence fragment, not a name.
_NOT_NAME_START = set("该这此其我你他她它本各每据在对为从以将把被让使但而且如若并及与和或等之于是有无也都就")
_CAPTION_CUE_RE = re.compile(r"(?:^|[。!?!?])\s*(?:图为|上图|下图|左图|右图|图中)")


@dataclass(frozen=True)
class Chunk:
    """A non-blank line of the source, stripped, with its character span."""

    text: str
    start: int
    end: int


@dataclass
class Unit:
    """One or more chunks rejoined into a logical paragraph or heading."""

    chunks: list[Chunk]
    text: str = ""  # the chunks' texts joined

    def __post_init__(self) -> None:
        self.text = "".join(c.text for c in self.chunks)

    def append(self, chunk: Chunk) -> None:
        self.chunks.append(chunk)
        self.text += chunk.text

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(c.start, c.end) for c in self.chunks]


@dataclass
class Block:
    role: Role
    text: str
    source_spans: list[tuple[int, int]]


@dataclass
class Item:
    kind: Kind
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    kicker: str | None = None
    column: str | None = None
    zone: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    photo_credit: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


# ---------------------------------------------------------------------------------------------------
# Stage 1: chunks
# ---------------------------------------------------------------------------------------------------
_LINE_RE = re.compile(r"[^\s](?:[^\n]*[^\s])?")


def split_chunks(text: str) -> list[Chunk]:
    """Each non-blank line of the page, stripped, with its span. (How many blank lines lie between two
    chunks says nothing reliable: the page's extraction leaves wide gaps where photos sat, and running
    text can go on after one, so only the form of the text decides what joins.)"""
    return [Chunk(m.group(), m.start(), m.end()) for m in _LINE_RE.finditer(text)]


def ends_sentence(t: str) -> bool:
    """Does ``t`` end with sentence-final punctuation, possibly followed by closing quotes or brackets?"""
    return t.rstrip(CLOSERS)[-1:] in tuple(SENTENCE_FINAL)


def _unnumbered(t: str) -> str:
    """``t`` without a leading enumerator (一、 1. (二) …), whose punctuation says nothing of the form."""
    return _ENUM_RE.sub("", t, count=1)


def _is_headingish(t: str) -> bool:
    """Short, with no clause punctuation inside and no sentence-final punctuation at the end."""
    core = _unnumbered(t)
    return 0 < len(t) <= 40 and bool(core) and not any(c in CLAUSE_PUNCT for c in core) and not ends_sentence(t)


def _is_marker(t: str) -> bool:
    """A chunk that always starts something new: a credit, a zone label or a kicker."""
    return bool(
        _CREDIT_RE.match(t) or _CREDIT_BY_RE.match(t) or _CREDIT_SHOT_RE.match(t) or _ZONE_RE.match(t)
        or (_KICKER_RE.match(t) and _is_headingish(t.rstrip("—-") or t))
    )


def glued_byline(t: str) -> str | None:
    """The byline glued to the end of a paragraph (``…发展。张三`` → ``张三``), if any."""
    m = _GLUED_BYLINE_RE.search(t)
    if not m or m.start(1) < 8:
        return None
    tail = m.group(1)
    if tail[0] in _NOT_NAME_START:
        return None
    return tail


def _is_bodyish(t: str) -> bool:
    return any(c in CLAUSE_PUNCT for c in _unnumbered(t)) or len(t) > 40


def _titleish(t: str) -> bool:
    """Could ``t`` be a headline, clause punctuation and all (稳增长,高新区在行动)? Short, and not
    ending a sentence."""
    return 0 < len(t) <= 40 and not ends_sentence(t) and not _DATELINE_RE.match(t)


def _continues(cur: str, nxt: str, prev: str | None = None) -> bool:
    """Was ``cur`` cut by the page layout, with its text going on in ``nxt``? (``prev``: the unit
    before ``cur``; a zone label or kicker there makes ``cur`` a title.)"""
    if ends_sentence(cur) or _is_marker(cur) or _CREDIT_RE.match(cur):
        return False
    if _is_marker(nxt) or _DATELINE_RE.match(nxt):
        return False
    if _BYLINE_RE.match(nxt) and (not _is_bodyish(cur) or len(cur) <= 40):
        return False
    if prev is not None and (_ZONE_RE.match(prev) or _is_kicker(prev, cur)) and _titleish(cur):
        return False
    if nxt[0] in ",,、;;::。!?!?)):”’」』…":
        return True
    if not _is_bodyish(cur):
        return False
    if glued_byline(cur):
        return False
    return True


def join_units(chunks: list[Chunk]) -> list[Unit]:
    """Rejoin the chunks that the layout cut apart."""
    units: list[Unit] = []
    for ch in chunks:
        prev = units[-2].text if len(units) > 1 else None
        if units and _continues(units[-1].text, ch.text, prev):
            units[-1].append(ch)
        else:
            units.append(Unit([ch]))
    return units


# ---------------------------------------------------------------------------------------------------
# Stage 2: items
# ---------------------------------------------------------------------------------------------------
def _block(role: Role, unit: Unit, lo: int = 0, hi: int | None = None) -> Block:
    """A block from the unit's text slice [lo, hi), mapped back to source spans."""
    text = unit.text
    hi = len(text) if hi is None else hi
    spans: list[tuple[int, int]] = []
    pos = 0
    for ch in unit.chunks:
        n = ch.end - ch.start
        a, b = max(lo, pos), min(hi, pos + n)
        if a < b:
            spans.append((ch.start + a - pos, ch.start + b - pos))
        pos += n
    return Block(role, text[lo:hi], spans)


class _Builder:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.cur: Item | None = None
        self.ended = True  # the current item is closed (a final byline or credit was seen)
        self.has_body = False
        self.credit_first = False

    def new(self, kind: Kind) -> Item:
        self.cur = Item(kind=kind)
        self.items.append(self.cur)
        self.ended = False
        self.has_body = False
        self.credit_first = False
        return self.cur

    def head_only(self) -> bool:
        """The current item has only head blocks so far (column, kicker, zone)."""
        return (
            self.cur is not None
            and not self.ended
            and all(b.role in ("column", "kicker", "zone") for b in self.cur.blocks)
        )

    def add(self, block: Block) -> None:
        assert self.cur is not None
        self.cur.blocks.append(block)


def _strip_colon(t: str) -> str:
    return t.rstrip("::").strip()


def _split_names(t: str) -> list[str]:
    names = []
    for tok in re.split(r"[ \u3000]+", re.sub(rf"^{_BULLET}", "", t.strip())):
        tok = re.sub(rf"^{_REPORTER_PREFIX}", "", tok).strip()
        if tok and tok not in ("文/图", "图/文", "文", "图", "报道"):
            names.append(tok)
    return names


def _is_byline(t: str) -> bool:
    return _is_headingish(t) and bool(_BYLINE_RE.match(t))


def _is_kicker(t: str, nxt: str | None) -> bool:
    """A pre-title line ending in a dash, directly above a heading."""
    return bool(_KICKER_RE.match(t)) and _is_headingish(t.rstrip("—-")) and nxt is not None and _titleish(nxt)


def _is_credit(t: str) -> bool:
    return bool(_CREDIT_RE.match(t) or _CREDIT_BY_RE.match(t) or _CREDIT_SHOT_RE.match(t))


def _opens_item(nxt: str | None) -> bool:
    """Is ``nxt`` what follows a title: a byline, or a paragraph opening with a dateline?"""
    return nxt is not None and (_is_byline(nxt) or bool(_DATELINE_RE.match(nxt)))


def _credit_text(t: str) -> str | None:
    t = t.strip()
    if t[:1] in "((" and t[-1:] in "))":  # a credit in brackets: "(本报记者 张三 摄)"
        t = t[1:-1].strip()
    m = _CREDIT_RE.match(t)
    if m:
        return t[m.end():].strip() or None
    m = _CREDIT_BY_RE.match(t) or _CREDIT_SHOT_RE.match(t)
    return " ".join(_split_names(m.group(1))) if m else None


def build_items(units: list[Unit]) -> list[Item]:
    """Group units into items and give each block its role (see the module docstring)."""
    b = _Builder()
    for i, u in enumerate(units):
        t = u.text
        nxt = units[i + 1].text if i + 1 < len(units) else None
        cur = b.cur
        open_ = cur is not None and not b.ended

        if _is_credit(t):
            _credit(b, u, nxt)
            continue

        zt = None if _ZONE_RE.match(t) else _ZONE_TITLE_RE.match(t)
        if zt and not (_titleish(zt.group(2)) and _opens_item(nxt)):
            zt = None
        if _ZONE_RE.match(t) or zt:
            if not (b.head_only() and b.cur.zone is None and all(x.role == "column" for x in b.cur.blocks)):
                b.new("brief")
            b.cur.kind = "brief"
            if zt:
                b.cur.zone = _strip_colon(zt.group(1))
                b.cur.title = zt.group(2)
                b.add(_block("zone", u, 0, zt.end(1)))
                b.add(_block("title", u, zt.start(2)))
            else:
                b.cur.zone = _strip_colon(t)
                b.add(_block("zone", u))
            continue

        if _is_kicker(t, nxt):
            if not (b.head_only() and b.cur.kicker is None and b.cur.title is None):
                b.new("article")
            b.cur.kicker = t.rstrip("—-").strip()
            b.add(_block("kicker", u))
            continue

        if _is_byline(t) and open_ and (cur.title is not None or b.has_body) and (
            # after the title (before the body), or closing the item: a one-word "byline" after body
            # text is only taken as a name when it is short or nothing but a new item follows
            (not b.has_body and not cur.authors)
            or (b.has_body and (" " in t.strip() or len(t) <= 3 or nxt is None or not _is_bodyish(nxt)))
        ):
            cur.authors.extend(_split_names(t))
            b.add(_block("byline", u))
            if b.has_body:
                b.ended = True
            continue

        if b.head_only() and cur.title is None and any(x.role in ("zone", "kicker") for x in cur.blocks) \
                and _titleish(t):
            # under a zone label or kicker: the title, even with clause punctuation in it
            cur.title = t
            b.add(_block("title", u))
            continue

        if _is_headingish(t):
            nxt_heading = nxt is not None and _is_headingish(nxt)
            if b.head_only() and cur.title is None:
                cur.title = t
                b.add(_block("title", u))
            elif open_ and cur.title is not None and not b.has_body and t.startswith(("—", "-")):
                b.add(_block("subtitle", u))
            elif open_ and cur.kind != "photo" and (b.has_body or cur.title is not None) and nxt is not None \
                    and not _opens_item(nxt) and not _is_marker(nxt) and not nxt_heading and not _is_credit(nxt):
                b.add(_block("subhead", u))
            elif nxt is not None and (
                (nxt_heading and not _is_byline(nxt) and not nxt.startswith(("—", "-"))) or _ZONE_RE.match(nxt)
            ):
                # a heading above another heading (or a zone label) opens an item: the column label
                item = b.new("article")
                item.column = t
                b.add(_block("column", u))
            else:
                item = b.new("article")
                item.title = t
                b.add(_block("title", u))
            continue

        _body(b, u, t, nxt)
    return b.items


def _credit(b: _Builder, u: Unit, nxt: str | None, lo: int = 0) -> None:
    """Attach a photo credit (the unit's text from ``lo`` on) to its photo item. A credit can stand
    before or after the captions."""
    credit = _credit_text(u.text[lo:])
    cur = b.cur
    open_ = cur is not None and not b.ended
    followed_by_caption = nxt is not None and _is_bodyish(nxt) and not _is_marker(nxt) and not _DATELINE_RE.match(nxt)
    if open_ and cur.kind == "photo" and cur.photo_credit is None:
        # a credit-first photo whose caption is done, or a photo whose captions came first
        cur.photo_credit = credit
        b.add(_block("credit", u, lo))
        b.ended = not b.credit_first
        return
    if open_ and b.has_body and not followed_by_caption:
        blocks = cur.blocks
        # the captions: the trailing paragraphs from the last one with a caption cue (图为…)
        k = len(blocks)
        while k > 0 and blocks[k - 1].role == "paragraph" and not _CAPTION_CUE_RE.search(blocks[k - 1].text):
            k -= 1
        while k > 0 and blocks[k - 1].role == "paragraph" and _CAPTION_CUE_RE.search(blocks[k - 1].text):
            k -= 1
        has_cue = any(_CAPTION_CUE_RE.search(x.text) for x in blocks[k:] if x.role == "paragraph")
        whole = cur.title is None or (
            has_cue and not cur.authors and cur.dateline is None
            and all(x.role != "paragraph" for x in blocks[:k])
        )
        if whole or has_cue:
            if not whole:
                # a photo inside a titled article: its captions and credit make a photo item of their own
                captions = blocks[k:]
                del blocks[k:]
                cur = b.new("photo")
                cur.blocks.extend(captions)
            cur.kind = "photo"
            for blk in cur.blocks:
                if blk.role == "paragraph":
                    blk.role = "caption"
            cur.photo_credit = credit
            b.add(_block("credit", u, lo))
            b.ended = True
            return
    item = b.new("photo")
    item.photo_credit = credit
    b.add(_block("credit", u, lo))
    b.credit_first = True


def _body(b: _Builder, u: Unit, t: str, nxt: str | None) -> None:
    """A paragraph or caption, with a leading dateline and a glued closing byline split off."""
    if b.cur is None or b.ended:
        b.new("article")
    cur = b.cur
    role: Role = "caption" if cur.kind == "photo" else "paragraph"
    if cur.kind == "photo" and b.credit_first and b.has_body and any(
        _CAPTION_CUE_RE.search(x.text) for x in cur.blocks if x.role == "caption"
    ):
        # the captions of a credit-first photo are over: what follows is new running text
        cur = b.new("article")
        role = "paragraph"
    lo = 0
    m = _DATELINE_RE.match(t)
    if m and not b.has_body and role == "paragraph":
        cur.dateline = m.group(1)
        if m.group(2):
            cur.authors.extend(_split_names(m.group(2)))
        b.add(_block("dateline", u, 0, m.end()))
        lo = m.end()
        while lo < len(t) and t[lo].isspace():
            lo += 1
    hi = len(t)
    gc = _GLUED_CREDIT_RE.search(t, lo)
    if gc and (role == "caption" or _CAPTION_CUE_RE.search(t)):
        # a caption with its photographer's credit glued on: the credit goes to the photo item
        b.add(_block(role, u, lo, gc.start()))
        b.has_body = True
        _credit(b, u, nxt, gc.start(1))
        return
    tail = glued_byline(t) if role == "paragraph" else None
    if tail:
        hi = len(t) - len(tail)
    if lo < hi:
        b.add(_block(role, u, lo, hi))
    b.has_body = True
    if tail:
        cur.authors.extend(_split_names(tail))
        b.add(_block("byline", u, hi))
        b.ended = True


def analyse(text: str) -> list[Item]:
    """Page text → items. Raises nothing for any string; an empty list means no recognisable item."""
    units = join_units(split_chunks(text))
    return [it for it in build_items(units) if it.blocks]


def check_accounting(text: str, items: list[Item], source: str = "<page>") -> None:
    """Every non-whitespace character of ``text`` is in exactly one block, in reading order.

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
            if not text[k].isspace():
                raise AccountingError(source, k, f"character {text[k]!r} dropped by layout analysis")
        pos = e
    for k in range(pos, len(text)):
        if not text[k].isspace():
            raise AccountingError(source, k, f"character {text[k]!r} dropped by layout analysis")
