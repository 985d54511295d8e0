"""The forms of Chinese newspaper typography, recognised on the width-normalised text of one line or
paragraph: page furniture (running heads, editor lines, jump lines), sidebar labels, zone labels,
kickers, datelines, bylines and photo credits.

Every form is a fact of newspaper typography (the words 本报讯, 记者, 摄, 供图, 责任编辑, 下转第N版 …);
none names a title, person or place of any page. Functions take normalised text (:func:`chars.norm`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from gaoxin_news.corpus.layout.chars import CLAUSE_PUNCT, CLOSERS, DASHES, HAN, SENTENCE_FINAL, ends_sentence
from gaoxin_news.corpus.layout.names import is_personal_name

_CACHED: list = []
#: Results remembered per page, by the tests asked again about the same text: :func:`forms_of` (a line's
#: or unit's forms, asked by the lines and units around it), :func:`is_furniture` and
#: :func:`has_caption_cue` (asked of every caption block as each credit looks back). The other tests are
#: asked once per text (by :func:`forms_of`), where remembering costs more than it saves.
PAGE_CACHE_SIZE = 4096


def _page_cache(f):
    """Remember ``f``'s results for the page being analysed (:func:`clear_caches` between pages)."""
    g = lru_cache(maxsize=PAGE_CACHE_SIZE)(f)
    _CACHED.append(g)
    return g


def clear_caches() -> None:
    """Forget remembered results: each page is analysed on its own."""
    for g in _CACHED:
        g.cache_clear()

#: Longest heading (title, subhead, column label, kicker) in characters; longer text is running text.
HEADING_MAX_CHARS = 40
#: Longest subtitle (a ——-led line under a title) in characters.
SUBTITLE_MAX_CHARS = 60
#: Longest line of page furniture (a running head or an editor line) in characters.
FURNITURE_MAX_CHARS = 60
#: Longest line that is a form of its own (furniture, credit, byline, zone label, kicker, sidebar
#: label): a longer line is running text or a heading.
LINE_FORM_MAX_CHARS = 60
#: Most names in one byline.
BYLINE_MAX_NAMES = 6
#: Longest byline or credit glued to the end of a paragraph or caption, with its brackets and spaces.
GLUED_TAIL_MAX_CHARS = 44
#: Longest place name before its suffix (区, 市 …) in a zone label, and longest bracketed note after it.
PLACE_MAX_CHARS, PLACE_NOTE_MAX_CHARS = 20, 10
#: Most zones one zone label names (西安高新区、咸阳高新区:).
ZONE_MAX_PLACES = 5
#: Longest agency and place before the date of a dateline (新华社合肥4月2日电).
DATELINE_SOURCE_MAX_CHARS = 16
#: Longest credited body of a photo credit (图:X, X供图), in characters.
CREDIT_MAX_CHARS = 30

_NUM = "0-9一二三四五六七八九十〇零"
#: Bullets that open a list item (or a byline).
BULLETS = "■□●◆▲★▶►·•"
_BULLET_RE = re.compile(rf"^[{BULLETS}][ ]*")
_ENUM_RE = re.compile(
    rf"^(?:[一二三四五六七八九十]{{1,3}}[、.]|\d{{1,2}}[.、](?!\d)|\([一二三四五六七八九十\d]{{1,3}}\)|[{_NUM}]{{1,3}}是)"
)
#: a bullet or an enumerator at the start: the two patterns in one
_LIST_START_RE = re.compile(f"{_BULLET_RE.pattern}|{_ENUM_RE.pattern}")

# --- page furniture -------------------------------------------------------------------------------
_JUMP_RE = re.compile(rf"^\(?(?:下转|上接|接上|转至|转|接|续|紧接|续接)第?[{_NUM}]{{1,3}}(?:版|页)\)?$")
#: The roles named on an editor line (责任编辑 X, 美编 X …), each may follow 本版.
EDITOR_ROLES = ("责任编辑", "责编", "编辑", "美术编辑", "美编", "校对", "版式设计", "版式", "设计", "制图", "排版", "审读",
                "审校", "终审", "组版", "图片编辑", "照排")
_EDITOR_ROLE = rf"(?:本版)?(?:{'|'.join(EDITOR_ROLES)})"
#: the characters an editor line can start with (a cheap exact test before the pattern)
_EDITOR_FIRST = frozenset("本" + "".join(r[0] for r in EDITOR_ROLES))
_EDITOR_RE = re.compile(
    rf"^(?:{_EDITOR_ROLE}[ ]*:?[ ]*[{HAN}·]{{1,6}}(?:[、 ]+[{HAN}·]{{1,6}})*[ ]*)+$"
)
_DATE_RE = re.compile(rf"[{_NUM}]{{4}}年[{_NUM}]{{1,2}}月[{_NUM}]{{1,3}}日")
_PAGE_MARK_RE = re.compile(rf"星期[一二三四五六日天]|周[一二三四五六日]|第[{_NUM}]{{1,3}}版|(?:^|[ ·])\d{{1,2}}(?:[ ·]|$)")


def is_jump_line(n: str) -> bool:
    """下转第6版, (上接第1版), 转第8版 …"""
    return ("版" in n or "页" in n) and bool(_JUMP_RE.match(n))  # (the pattern needs one of them)


@_page_cache
def is_furniture(n: str) -> bool:
    """A running head (a date with a weekday or page number, no sentence), an editor line or a jump line."""
    if len(n) > FURNITURE_MAX_CHARS:
        return False
    if is_jump_line(n):
        return True
    if n[:1] in _EDITOR_FIRST and _EDITOR_RE.match(n):
        return True
    if "年" in n and _DATE_RE.search(n) and _PAGE_MARK_RE.search(_DATE_RE.sub(" ", n)) and not any(
        c in n for c in "。,;!?、"
    ):
        return True
    return False


# --- sidebars -------------------------------------------------------------------------------------
#: Sidebar labels: the usual headings of boxed matter beside an article.
SIDEBAR_LABELS = ("相关链接", "新闻链接", "背景链接", "知识链接", "链接", "背景", "新闻背景", "延伸阅读", "相关阅读",
                  "相关新闻", "记者手记", "记者观察", "采访手记", "编后", "编后语", "短评", "小贴士", "名词解释", "数说",
                  "数读")
_SIDEBAR_RE = re.compile(rf"^[【\[]?(?:{'|'.join(SIDEBAR_LABELS)})[】\]]?$")
_SIDEBAR_MAX = max(map(len, SIDEBAR_LABELS)) + 2


def is_sidebar_label(n: str) -> bool:
    """The label of a sidebar (相关链接, 背景, 延伸阅读, 记者手记 …) on a line of its own."""
    return len(n) <= _SIDEBAR_MAX and bool(_SIDEBAR_RE.match(n))


# --- headings -------------------------------------------------------------------------------------
def is_list_start(n: str) -> bool:
    """Does ``n`` open with a bullet or an enumerator (■ ● 一、 1. (二) 一是)?"""
    return _LIST_START_RE.match(n) is not None


def unnumbered(n: str) -> str:
    """``n`` without a leading bullet or enumerator (一、 1. (二) 一是), whose punctuation says nothing."""
    return _ENUM_RE.sub("", _BULLET_RE.sub("", n), count=1)


_CLAUSE_PUNCT_RE = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]")


def _has_clause_punct(core: str) -> bool:
    return _CLAUSE_PUNCT_RE.search(core) is not None


def is_headingish(n: str) -> bool:
    """Short, with no clause punctuation inside and no sentence-final punctuation at the end."""
    if not 0 < len(n) <= HEADING_MAX_CHARS:
        return False
    core = unnumbered(n)
    return _headingish(n, core, _has_clause_punct(core), ends_sentence(n))


def _headingish(n: str, core: str, punct: bool, ends: bool) -> bool:
    # core: unnumbered(n); punct: _has_clause_punct(core); ends: ends_sentence(n)
    return 0 < len(n) <= HEADING_MAX_CHARS and bool(core) and not punct and not ends


def is_question_title(n: str) -> bool:
    """A short headline ending in a question or exclamation mark (哪些企业能申领?), with no other
    sentence end and no colon inside."""
    core = n.rstrip(CLOSERS)
    return 0 < len(n) <= HEADING_MAX_CHARS and core[-1:] in "?!" and not any(
        c in SENTENCE_FINAL or c in ":;" for c in core.rstrip("?!")
    )


def is_bodyish(n: str) -> bool:
    """Running text: clause punctuation (after any enumerator), longer than a heading, or opened by a
    dateline."""
    return len(n) > HEADING_MAX_CHARS or _bodyish(n, _has_clause_punct(unnumbered(n)), is_dateline(n))


def _bodyish(n: str, punct: bool, dateline: bool) -> bool:
    # punct: _has_clause_punct(unnumbered(n)); dateline: is_dateline(n)
    return len(n) > HEADING_MAX_CHARS or punct or dateline


def titleish(n: str) -> bool:
    """Could ``n`` be a headline, clause punctuation and all (稳增长,高新区在行动)? Short, not ending a
    sentence, not a dateline paragraph."""
    return 0 < len(n) <= HEADING_MAX_CHARS and _titleish(n, ends_sentence(n), is_dateline(n))


def _titleish(n: str, ends: bool, dateline: bool) -> bool:
    # ends: ends_sentence(n); dateline: is_dateline(n)
    return 0 < len(n) <= HEADING_MAX_CHARS and not ends and not dateline


def is_subtitle(n: str) -> bool:
    return n[:1] in DASHES and _subtitle(n, ends_sentence(n), is_furniture(n))


def _subtitle(n: str, ends: bool, furniture: bool) -> bool:
    # ends: ends_sentence(n); furniture: is_furniture(n)
    return n[:1] in DASHES and len(n) <= SUBTITLE_MAX_CHARS and not ends and not furniture


# --- zone labels and kickers ----------------------------------------------------------------------
_PLACE = (
    rf"[{HAN}A-Za-z0-9·]{{1,{PLACE_MAX_CHARS}}}?(?:区|县|市|省|州|盟|旗|镇|乡|街道|园|城|港|岛|谷)"
    rf"(?:\([{HAN}A-Za-z0-9·]{{1,{PLACE_NOTE_MAX_CHARS}}}\))?"
)
_PLACES = rf"{_PLACE}(?:、{_PLACE}){{0,{ZONE_MAX_PLACES - 1}}}"
_ZONE_RE = re.compile(rf"^({_PLACES})[ ]*:$")
_ZONE_TITLE_RE = re.compile(rf"^({_PLACES}[ ]*:)[ ]*(\S.*)$")
_KICKER_RE = re.compile(rf"^(.{{2,{LINE_FORM_MAX_CHARS}}}?)(?:——|—|--)$")


def zone_label(n: str) -> str | None:
    """The zone named by a zone label (苏州高新区: → 苏州高新区): place names ending in an
    administrative or zone suffix (区 县 市 园 …), then a colon."""
    if n[-1:] != ":" or len(n) > LINE_FORM_MAX_CHARS:
        return None
    m = _ZONE_RE.match(n)
    return m.group(1) if m else None


def zone_and_title(n: str) -> tuple[int, int] | None:
    """A zone label with the headline after it on one line: (end of the label, start of the title)."""
    if ":" not in n:
        return None
    m = _ZONE_TITLE_RE.match(n)
    return (m.end(1), m.start(2)) if m and m.end(1) <= LINE_FORM_MAX_CHARS else None


def is_kicker_shape(n: str) -> bool:
    """A pre-title line ending in a dash (苏州高新区以"智改数转"赋能制造业——)."""
    if n[-1:] not in DASHES or len(n) > LINE_FORM_MAX_CHARS:
        return False
    m = _KICKER_RE.match(n)
    return bool(m) and is_headingish(m.group(1).rstrip(DASHES) or n)


# --- datelines ------------------------------------------------------------------------------------
_DATELINE_RE = re.compile(
    rf"^(本报讯|本刊讯|[{HAN}]{{2,{DATELINE_SOURCE_MAX_CHARS}}}?[{_NUM}]{{1,2}}月[{_NUM}]{{1,3}}日(?:电|讯))"
    rf"(?:[ ]*\(([^()]{{1,{HEADING_MAX_CHARS}}})\))?"
)


def is_dateline(n: str) -> bool:
    """Does ``n`` open with a dateline (:func:`dateline`)?"""
    return _dateline(n) is not None


def dateline(n: str) -> tuple[int, str, list[str]] | None:
    d = _dateline(n)
    return None if d is None else (d[0], d[1], list(d[2]))


def _dateline(n: str) -> tuple[int, str, tuple[str, ...]] | None:
    """A dateline opening a paragraph: (its end, the dateline without the bracket, the names in the
    bracket). 本报讯, 本刊讯, 本报北京3月5日电, 新华社合肥4月2日电 (and any agency), with or without
    a bracketed list of reporters."""
    m = _DATELINE_RE.match(n)
    if not m:
        return None
    if m.group(2) is not None:
        names = byline_names(m.group(2), prefixed=True)
        if names is not None:
            return m.end(), m.group(1), tuple(names)
    return m.end(1), m.group(1), ()


# --- bylines --------------------------------------------------------------------------------------
_PREFIX = (
    r"(?:(?:本报|本刊)?(?:特约|见习|实习)?(?:记者|通讯员|实习生|撰稿人|撰稿)|文[ ]*[/·・][ ]*图|图[ ]*[/·・][ ]*文"
    r"|文[ ]*[/·・:]|图[ ]*[/·・]|撰文|口述)"
)
_PREFIX_RE = re.compile(rf"^{_PREFIX}[ ]*")
_SUFFIXES = frozenset({"文/图", "图/文", "文·图", "图·文", "文", "图", "报道", "整理"})
#: a character that no byline holds (one holds names, reporter words, their marks / · : and brackets,
#: separators, a bullet and surrounding whitespace)
_NOT_IN_BYLINE_RE = re.compile(rf"[^{HAN}·・/: 、()■□●◆▲★▶►•\s]")
_NAME_RE = re.compile(rf"^(?:[{HAN}]{{2,4}}|[{HAN}]{{2,6}}·[{HAN}]{{2,6}})$")


def is_byline(n: str, bare: bool = True) -> bool:
    """Is ``n`` a byline (:func:`byline_names`)?"""
    return _byline_names(n, False, bare) is not None


def byline_names(n: str, prefixed: bool = False, bare: bool = True) -> list[str] | None:
    names = _byline_names(n, prefixed, bare)
    return None if names is None else list(names)


def _byline_names(n: str, prefixed: bool, bare: bool) -> tuple[str, ...] | None:
    """The names of a byline (本报记者 X 通讯员 Y, □ 本报记者 X, 记者 X, 文/X, 文/图 X, X、Y, (通讯员 X)),
    in order, or None when ``n`` is not a byline. A name with no reporter word before it in the line
    must be a personal name (:func:`names.is_personal_name`); ``prefixed``: the context already says
    these are reporters (a dateline bracket); ``bare``: also a line of bare or bracketed names."""
    if len(n) > HEADING_MAX_CHARS + 2 or _NOT_IN_BYLINE_RE.search(n):
        return None
    t = n.strip()
    if t[:1] in BULLETS:
        t = _BULLET_RE.sub("", t)
    if t[:1] == "(" and t[-1:] == ")":
        if not bare:
            return None
        t = t[1:-1].strip()
    if not t or len(t) > HEADING_MAX_CHARS:
        return None
    names: list[str] = []
    for tok in t.replace("、", " ").split(" "):  # the names and words between runs of spaces and 、
        if not tok:
            continue
        if tok in _SUFFIXES:
            if names:
                continue
            prefixed = True  # 文 / 文/图 before the names
            continue
        m = _PREFIX_RE.match(tok)
        glued = False  # a reporter word written together with the name (记者张三), not 文/张三
        while m and m.end() > 0:
            prefixed = True
            glued = tok[m.end() - 1] not in "/·・:"
            tok = tok[m.end():]
            m = _PREFIX_RE.match(tok)
        if not tok:
            continue
        if not _NAME_RE.match(tok) or not ((prefixed and not glued) or is_personal_name(tok)):
            return None
        names.append(tok)
    if not names or len(names) > BYLINE_MAX_NAMES or not (bare or prefixed):
        return None
    return tuple(names)


_GLUED_TAIL_RE = re.compile(
    rf"(?<=[{re.escape(SENTENCE_FINAL)}{re.escape(CLOSERS)}])[ ]*"
    rf"(\([^()]{{2,{GLUED_TAIL_MAX_CHARS - 2}}}\)|[{HAN}·]{{2,8}}(?:[ 、]+[{HAN}·]{{2,8}}){{0,{BYLINE_MAX_NAMES - 1}}})$"
)


_GLUED_TAIL_END_RE = re.compile(rf"[){HAN}·]")


def glued_byline(n: str) -> tuple[int, list[str]] | None:
    """A byline glued to the end of a closing paragraph (…发展。张三, …发展。(通讯员 张三)):
    (where it starts, its names). What stands before it must end a sentence, and it must be a byline
    whose bare names are personal names."""
    last = n[-1:]
    if last == "\n":
        last = n[-2:-1]  # where the pattern ends ($ also matches before a final LF)
    if not _GLUED_TAIL_END_RE.match(last):
        return None  # it ends with a bracket or a name
    m = _GLUED_TAIL_RE.search(n, max(0, len(n) - GLUED_TAIL_MAX_CHARS))
    if not m or not ends_sentence(n[: m.start()].rstrip()) or m.start(1) == 0:
        return None
    names = byline_names(m.group(1))
    return (m.start(1), names) if names else None


# --- photo credits --------------------------------------------------------------------------------
_CREDIT_LABEL_RE = re.compile(r"^(?:图片来源|图片提供|图片|供图|摄影|图|摄)[ ]*:[ ]*")
_CREDIT_BY_RE = re.compile(rf"^图片由(.{{1,{CREDIT_MAX_CHARS}}})提供$")
_CREDIT_SUPPLIED_RE = re.compile(rf"^(.{{2,{CREDIT_MAX_CHARS}}}?)[ ]*供图$")
_CREDIT_SHOT_RE = re.compile(rf"^(.{{2,{HEADING_MAX_CHARS}}}?)[ ]*摄$")


def _credited_body(t: str) -> str | None:
    t = t.strip()
    if not t or len(t) > CREDIT_MAX_CHARS or any(c in "。,;!?:" for c in t):
        return None
    return t


def credit(n: str) -> str | None:
    """The person or body credited by a photo credit (图片来源:X, 图:X, X供图, (X供图), 图片由X提供,
    X 摄, 本报记者 X 摄, (记者 X 摄)), or None."""
    if len(n) > 2 * CREDIT_MAX_CHARS or ("图" not in n and "摄" not in n):
        return None
    t = n.strip()
    if t[:1] == "(" and t[-1:] == ")":
        t = t[1:-1].strip()
    m = _CREDIT_LABEL_RE.match(t)
    if m:
        return _credited_body(t[m.end():])
    for rx in (_CREDIT_BY_RE, _CREDIT_SUPPLIED_RE):
        m = rx.match(t)
        if m:
            return _credited_body(m.group(1))
    m = _CREDIT_SHOT_RE.match(t)
    if m:
        names = byline_names(m.group(1))
        return " ".join(names) if names else None
    return None


_GLUED_CREDIT_ENDS = frozenset(")摄图")  # the last character of a glued credit (…), …摄, …供图
_GLUED_CREDIT_RE = re.compile(
    rf"(?<=[{re.escape(SENTENCE_FINAL)}{re.escape(CLOSERS)}])[ ]*"
    rf"(\([^()]{{2,{GLUED_TAIL_MAX_CHARS - 2}}}\)|[^。!?()]{{2,{GLUED_TAIL_MAX_CHARS - 2}}}(?:摄|供图))$"
)


def glued_credit(n: str) -> int | None:
    """Where a photo credit glued to the end of a caption starts (…现场。(本报记者 张三 摄)), or None."""
    last = n[-1:]
    if last == "\n":
        last = n[-2:-1]  # where the pattern ends ($ also matches before a final LF)
    if last not in _GLUED_CREDIT_ENDS:
        return None  # it ends with a bracket, 摄 or 供图
    m = _GLUED_CREDIT_RE.search(n, max(0, len(n) - GLUED_TAIL_MAX_CHARS))
    if not m or not ends_sentence(n[: m.start()].rstrip()) or credit(m.group(1)) is None:
        return None
    return m.start(1)


_CAPTION_CUE_RE = re.compile(r"(?:^|[。!?])[ ]*(?:图为|上图|下图|左图|右图|图中|图[0-9一二三四五六七八九十]+[ :为])")


@_page_cache
def has_caption_cue(n: str) -> bool:
    """Does the text read as a caption (图为…, 上图…)?"""
    return "图" in n and bool(_CAPTION_CUE_RE.search(n))  # every cue has 图


_NOTE_RE = re.compile(r"^(?:编者按|编者的话|编前|编者)[ ]*:")


def is_editors_note(n: str) -> bool:
    return _NOTE_RE.match(n) is not None


# --- all forms of one line or paragraph -----------------------------------------------------------
#: Longest text that any form of its own, heading or subtitle can be (each test above says so first):
#: a longer line or paragraph is running text, and only its opening forms are tested.
FORM_MAX_CHARS = max(FURNITURE_MAX_CHARS, 2 * CREDIT_MAX_CHARS, _SIDEBAR_MAX, HEADING_MAX_CHARS + 2,
                     LINE_FORM_MAX_CHARS, SUBTITLE_MAX_CHARS)


class Forms:
    """The forms of one line or paragraph (its normalised text), each tested once: the tests that
    :mod:`.lines` and :mod:`.items` ask of every line and unit (:func:`forms_of`). (A class with slots:
    its fields are read many times for every line of every page.)"""

    __slots__ = ("furniture", "credit", "sidebar", "byline", "byline_names", "zone", "kicker", "dateline",
                 "list_start", "headingish", "question_title", "bodyish", "titleish", "subtitle", "editors_note")

    def __init__(self, furniture: bool, credit: str | None, sidebar: bool, byline: bool,
                 byline_names: tuple[str, ...] | None, zone: str | None, kicker: bool, dateline: bool,
                 list_start: bool, headingish: bool, question_title: bool, bodyish: bool, titleish: bool,
                 subtitle: bool, editors_note: bool) -> None:
        self.furniture = furniture  # is_furniture
        self.credit = credit  # credit
        self.sidebar = sidebar  # is_sidebar_label
        self.byline = byline  # is_byline (bare or bracketed names too)
        self.byline_names = byline_names  # byline_names: its names, when a byline
        self.zone = zone  # zone_label
        self.kicker = kicker  # is_kicker_shape
        self.dateline = dateline  # is_dateline
        self.list_start = list_start  # is_list_start
        self.headingish = headingish  # is_headingish
        self.question_title = question_title  # is_question_title
        self.bodyish = bodyish  # is_bodyish
        self.titleish = titleish  # titleish
        self.subtitle = subtitle  # is_subtitle
        self.editors_note = editors_note  # is_editors_note

    def __repr__(self) -> str:
        return "Forms(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


#: the forms of running text (longer than any form of its own), by its opening forms (dateline, list
#: start, editor's note): no form of its own, no heading, no subtitle (the tests' own length bounds);
#: shared (forms are never changed once made)
_RUNNING_FORMS = {
    (dl, ls, en): Forms(False, None, False, False, None, None, False, dl, ls, False, False, True, False, False, en)
    for dl in (False, True) for ls in (False, True) for en in (False, True)
}


@_page_cache
def forms_of(n: str) -> Forms:
    """Every test of :class:`Forms` on ``n``, once per page."""
    # the opening forms (a running paragraph may have them): the patterns themselves, as the tests ask them
    dl, ls, en = _DATELINE_RE.match(n) is not None, _LIST_START_RE.match(n) is not None, _NOTE_RE.match(n) is not None
    if len(n) > FORM_MAX_CHARS:
        return _RUNNING_FORMS[dl, ls, en]
    # what several tests ask, asked once: the text without its enumerator (itself when it has none), its
    # clause punctuation (looked for only in text short enough for a heading: longer text is bodyish and
    # no heading whatever it holds), its sentence end, whether it is furniture
    core = unnumbered(n) if ls else n
    punct = len(n) <= HEADING_MAX_CHARS and _has_clause_punct(core)
    ends = ends_sentence(n)
    fur = is_furniture(n)
    names = _byline_names(n, False, True)
    last = n[-1:]
    # a test is not asked when what it asks first fails (a credit's 图 or 摄, a sidebar label's length, a
    # zone label's colon, a kicker's dash)
    return Forms(
        fur, credit(n) if "图" in n or "摄" in n else None, len(n) <= _SIDEBAR_MAX and is_sidebar_label(n),
        names is not None, names, zone_label(n) if last == ":" else None, last in DASHES and is_kicker_shape(n),
        dl, ls, _headingish(n, core, punct, ends), is_question_title(n), _bodyish(n, punct, dl),
        _titleish(n, ends, dl), _subtitle(n, ends, fur), en,
    )
