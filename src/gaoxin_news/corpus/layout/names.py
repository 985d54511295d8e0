"""Is a short string a Chinese personal name? Used where nothing but the name itself marks a byline
(a name glued to the end of a closing paragraph, a byline line without 记者 / 通讯员).

A personal name is a surname from the documented data file ``surnames.txt`` (the 百家姓 and surnames
common today) followed by a given name of one or two characters (the usual lengths), none of which
is a function word character (a particle, pronoun or preposition never used in given names).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from gaoxin_news.corpus.layout.chars import HAN

#: Given-name lengths (characters after the surname): one or two.
GIVEN_NAME_MIN, GIVEN_NAME_MAX = 1, 2
#: Function-word characters (particles, pronouns, prepositions, copulas, speech verbs) that a given
#: name never holds: a "name" with one of them is the tail of a sentence.
NOT_IN_GIVEN_NAME = frozenset("的了着过说是在和与及或等也都就将把被对为从向以而但之其这那个们吗呢吧啊么啦很")
_HAN_RE = re.compile(rf"[{HAN}]+")


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) from ``surnames.txt``."""
    text = resources.files(__package__).joinpath("surnames.txt").read_text(encoding="utf-8")
    tokens = [t for line in text.splitlines() if not line.startswith("#") for t in line.split()]
    return frozenset(t for t in tokens if len(t) == 1), frozenset(t for t in tokens if len(t) == 2)


def is_personal_name(t: str) -> bool:
    """A surname and a one- or two-character given name, all Han characters."""
    if not _HAN_RE.fullmatch(t):
        return False
    single, compound = surnames()
    for sur, table in ((t[:2], compound), (t[:1], single)):  # a compound surname first
        if sur in table:
            given = t[len(sur):]
            if GIVEN_NAME_MIN <= len(given) <= GIVEN_NAME_MAX and NOT_IN_GIVEN_NAME.isdisjoint(given):
                return True
    return False
