"""Units → items (articles, briefs, photo items, page furniture) made of role-tagged blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from gaoxin_news.corpus.layout import forms
from gaoxin_news.corpus.layout.chars import COLONS, DASHES, norm
from gaoxin_news.corpus.layout.lines import Unit
from gaoxin_news.schema.records import Kind, Role  # the record's kinds and roles are the layout's

#: Roles whose block is a heading (one sentence, never split).
HEADING_ROLES: frozenset[str] = frozenset(
    {"column", "kicker", "zone", "title", "subtitle", "byline", "dateline", "subhead", "credit", "furniture"}
)

_HEAD_ROLES = frozenset({"column", "kicker", "zone"})
# longer than any form of its own (or a zone label with its headline on one line): running text
_RUNNING_TEXT_MIN = forms.LINE_FORM_MAX_CHARS + forms.HEADING_MAX_CHARS
#: Most paragraphs of an untitled run of text that a photo credit after it turns into captions.
CAPTION_MAX_PARAGRAPHS = 3


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


def _skip_space(t: str, i: int) -> int:
    while i < len(t) and t[i].isspace():
        i += 1
    return i


def _rskip_space(t: str, i: int) -> int:
    while i > 0 and t[i - 1].isspace():
        i -= 1
    return i


class _Builder:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.cur: Item | None = None
        self.open = False  # there is a current item, not closed (by a final byline, credit or furniture)
        self.has_body = False
        self.credit_first = False
        self.only_heads = False  # the current item has only head blocks (column, kicker, zone)

    def new(self, kind: Kind) -> Item:
        self.cur = Item(kind=kind)
        self.items.append(self.cur)
        self.open = True
        self.has_body = False
        self.credit_first = False
        self.only_heads = True
        return self.cur

    def head_only(self) -> bool:
        """The current item has only head blocks so far (column, kicker, zone)."""
        return self.only_heads and self.open

    def add(self, role: Role, unit: Unit, lo: int = 0, hi: int | None = None) -> None:
        """A block of the current item from the unit's text slice [lo, hi), mapped back to source spans."""
        cur = self.cur
        assert cur is not None
        text = unit.text
        if hi is None:
            hi = len(text)
        chunks = unit.chunks
        if len(chunks) == 1:  # the usual case: a unit of one line
            start = chunks[0].start
            spans = [(start + lo, start + hi)] if lo < hi else []
        else:
            spans = []
            pos = 0
            for ch in chunks:
                n = ch.end - ch.start
                a, b = max(lo, pos), min(hi, pos + n)
                if a < b:
                    spans.append((ch.start + a - pos, ch.start + b - pos))
                pos += n
        cur.blocks.append(Block(role, text[lo:hi], spans))
        if role not in _HEAD_ROLES:
            self.only_heads = False

    def add_blocks(self, blocks: list[Block]) -> None:
        """Blocks already made (captions moved to a photo item of their own)."""
        assert self.cur is not None
        for block in blocks:
            self.cur.blocks.append(block)
            if block.role not in _HEAD_ROLES:
                self.only_heads = False


def _opens_item(n: str | None, strict: bool = False) -> bool:
    """Is ``n`` what follows a headline: a subtitle, a byline, an editor's note or a dateline paragraph?
    (``strict``: a byline only with a reporter word, as a bare or bracketed name also closes items.)"""
    if n is None:
        return False
    f = forms.forms_of(n)
    return (f.byline if not strict else forms.is_byline(n, bare=False)) \
        or f.dateline or f.editors_note \
        or (f.subtitle and forms.is_headingish(n.lstrip(DASHES) or n))


def _can_title(i: int, units: list[Unit], ns: list[str], fs: list[forms.Forms], in_body: bool = False) -> bool:
    """Can unit ``i`` be a headline: a heading, or an unindented question headline followed by what
    opens an item (after running text: no bare name, which may close the item before)?"""
    f = fs[i]
    return f.headingish or (
        not units[i].indented and f.question_title and not f.dateline
        and _opens_item(ns[i + 1] if i + 1 < len(ns) else None, strict=in_body)
    )


def _is_kicker(i: int, fs: list[forms.Forms]) -> bool:
    return fs[i].kicker and i + 1 < len(fs) and fs[i + 1].titleish


def _is_zone(i: int, fs: list[forms.Forms]) -> bool:
    return fs[i].zone is not None and i + 1 < len(fs) and fs[i + 1].titleish and not fs[i + 1].furniture


def build_items(units: list[Unit]) -> list[Item]:
    """Group units into items and give each block its role."""
    b = _Builder()
    ns = [u.norm for u in units]
    fs = [u.forms for u in units]
    for i, u in enumerate(units):
        t = ns[i]
        nxt = ns[i + 1] if i + 1 < len(ns) else None
        cur = b.cur
        f = fs[i]

        if len(t) > _RUNNING_TEXT_MIN:
            _body(b, u, t, f, nxt)  # too long for a heading or a form of its own: running text
            continue

        if f.furniture:
            b.new("furniture")
            b.add("furniture", u)
            b.open = False
            continue

        if f.credit is not None:
            _credit(b, u, nxt, nxt_title=nxt is not None and _can_title(i + 1, units, ns, fs))
            continue

        if f.sidebar:
            item = b.new("article")
            item.title = u.text
            b.add("title", u)
            continue

        zt = None if f.zone else forms.zone_and_title(t)
        if zt and not (forms.titleish(t[zt[1]:]) and _opens_item(nxt)):
            zt = None
        if _is_zone(i, fs) or zt:
            if not (b.head_only() and cur.zone is None and all(x.role == "column" for x in cur.blocks)):
                b.new("brief")
            cur = b.cur
            cur.kind = "brief"
            if zt:
                cur.zone = _zone_text(u.text[: zt[0]])
                cur.title = u.text[zt[1]:]
                b.add("zone", u, 0, zt[0])
                b.add("title", u, zt[1])
            else:
                cur.zone = _zone_text(u.text)
                b.add("zone", u)
            continue

        if _is_kicker(i, fs):
            if not (b.head_only() and cur.kicker is None and cur.title is None):
                b.new("article")
            b.cur.kicker = u.text.rstrip("—－-").strip()
            b.add("kicker", u)
            continue

        names = list(f.byline_names) if f.byline else None  # forms.byline_names(t), tested once
        if names is not None and b.open and (cur.title is not None or b.has_body) and (
            b.has_body or not cur.authors
        ):
            cur.authors.extend(names)
            b.add("byline", u)
            if b.has_body:
                b.open = False
            continue

        if b.head_only() and cur.title is None and any(x.role in ("zone", "kicker") for x in cur.blocks) \
                and f.titleish:
            # under a zone label or kicker: the title, even with clause punctuation in it
            cur.title = u.text
            b.add("title", u)
            continue

        if b.open and cur.title is not None and not b.has_body and f.subtitle \
                and b.cur.blocks[-1].role in ("title", "subtitle"):
            b.add("subtitle", u)
            continue

        in_body = b.open and not b.head_only()
        if _can_title(i, units, ns, fs, in_body):
            nxt_title = nxt is not None and _can_title(i + 1, units, ns, fs, in_body)
            if b.head_only() and cur.title is None:
                cur.title = u.text
                b.add("title", u)
            elif b.open and cur.kind != "photo" and (b.has_body or cur.title is not None) and nxt is not None \
                    and f.headingish and not _opens_item(nxt) and not nxt_title \
                    and not _starts_new(i + 1, fs):
                b.add("subhead", u)
            elif nxt is not None and f.headingish and (
                (nxt_title and not fs[i + 1].byline and not fs[i + 1].subtitle)
                or _is_zone(i + 1, fs)
            ):
                # a heading above another heading (or a zone label) opens an item: the column label
                item = b.new("article")
                item.column = u.text
                b.add("column", u)
            else:
                item = b.new("article")
                item.title = u.text
                b.add("title", u)
            continue

        _body(b, u, t, f, nxt)
    return b.items


def _starts_new(j: int, fs: list[forms.Forms]) -> bool:
    """Does unit ``j`` start something of its own (furniture, a credit, a sidebar, a zone label, a kicker)?"""
    f = fs[j]
    return f.furniture or f.credit is not None or f.sidebar or _is_zone(j, fs) or _is_kicker(j, fs)


def _zone_text(label: str) -> str:
    return label.strip().rstrip("".join(COLONS)).strip()


def _credit(b: _Builder, u: Unit, nxt: str | None, lo: int = 0, nxt_title: bool = False) -> None:
    """Attach a photo credit (the unit's text from ``lo`` on) to its photo item. A credit can stand
    before or after the captions. (``nxt_title``: the next unit is a headline.)"""
    credit = forms.credit(u.norm[lo:])
    cur = b.cur
    nf = None if nxt is None else forms.forms_of(nxt)
    # (_starts_new(-1, [nf]): the next unit read as its own successor, so a zone label or kicker there
    # counts when it is itself title-like, as it always has)
    followed_by_caption = nf is not None and not nxt_title and nf.bodyish and not _starts_new(-1, [nf]) \
        and not nf.dateline and not nf.byline
    if b.open and cur.kind == "photo" and cur.photo_credit is None:
        # a credit-first photo whose caption is done, or a photo whose captions came first
        cur.photo_credit = credit
        b.add("credit", u, lo)
        b.open = b.credit_first
        return
    if b.open and b.has_body and not followed_by_caption and cur.blocks[-1].role == "paragraph":
        blocks = cur.blocks
        # the captions: the trailing paragraphs from the last run with a caption cue (图为…); with no cue,
        # the last paragraph
        k = len(blocks)
        while k > 0 and blocks[k - 1].role == "paragraph" and not forms.has_caption_cue(blocks[k - 1].text):
            k -= 1
        while k > 0 and blocks[k - 1].role == "paragraph" and forms.has_caption_cue(blocks[k - 1].text):
            k -= 1
        has_cue = any(forms.has_caption_cue(x.text) for x in blocks[k:] if x.role == "paragraph")
        if not has_cue:
            k = len(blocks) - 1
        whole = cur.title is None and cur.kind == "article" and not cur.authors and cur.dateline is None \
            and len(blocks) <= CAPTION_MAX_PARAGRAPHS and all(x.role == "paragraph" for x in blocks)
        if not whole and k > 0:
            # a photo inside an item: its captions and credit make a photo item of their own
            captions = blocks[k:]
            del blocks[k:]
            cur = b.new("photo")
            b.add_blocks(captions)
        cur.kind = "photo"
        for blk in cur.blocks:
            if blk.role == "paragraph":
                blk.role = "caption"
        cur.photo_credit = credit
        b.add("credit", u, lo)
        b.open = False
        return
    item = b.new("photo")
    item.photo_credit = credit
    b.add("credit", u, lo)
    b.credit_first = True


def _body(b: _Builder, u: Unit, t: str, f: forms.Forms, nxt: str | None) -> None:
    """A paragraph or caption, with a leading dateline and a glued closing byline or credit split off.
    (``t``: the unit's normalised text; ``f``: its forms.)"""
    if not b.open:
        b.new("article")
    cur = b.cur
    role: Role = "caption" if cur.kind == "photo" else "paragraph"
    if cur.kind == "photo" and b.credit_first and b.has_body and any(
        forms.has_caption_cue(x.text) for x in cur.blocks if x.role == "caption"
    ):
        # the captions of a credit-first photo are over: what follows is new running text
        cur = b.new("article")
        role = "paragraph"
    lo = 0
    d = forms.dateline(t) if f.dateline else None
    if d and role == "paragraph" and cur.dateline is None and (
        not b.has_body or all(forms.is_editors_note(norm(x.text)) for x in cur.blocks if x.role == "paragraph")
    ):
        end, cur.dateline, names = d
        cur.dateline = u.text[: len(cur.dateline)]
        cur.authors.extend(names)
        b.add("dateline", u, 0, end)
        lo = _skip_space(t, end)
    if lo >= len(t):
        return
    gc = forms.glued_credit(t[lo:])
    if gc is not None and (role == "caption" or forms.has_caption_cue(t[lo:])):
        # a caption with its credit glued on: the credit goes to the photo item
        b.add(role, u, lo, _rskip_space(t, lo + gc))
        b.has_body = True
        _credit(b, u, nxt, lo + gc)
        return
    g = forms.glued_byline(t[lo:]) if role == "paragraph" else None
    hi = _rskip_space(t, lo + g[0]) if g else len(t)
    if lo < hi:
        b.add(role, u, lo, hi)
    b.has_body = True
    if g:
        cur.authors.extend(g[1])
        b.add("byline", u, lo + g[0])
        b.open = False
