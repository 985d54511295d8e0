"""A rule-based recogniser for numeric and temporal expressions in Chinese text.

The patterns follow general conventions of written Chinese (as in news text), not this corpus's gold
annotation: Arabic and Chinese numerals, multipliers (万, 亿), approximators (约, 近, 余, 多, 以上),
ranges (3至5), currencies, units of measurement, measure words (量词), calendar dates, relative dates,
durations, clock times, percentages and ordinals (第N, 首). Types, following OntoNotes 5.0:

- DATE: calendar dates, years, months, relative dates (今年, 近日), periods and durations of a day or
  more (3年, 两个月), with a trailing 以来/来;
- TIME: clock times and durations shorter than a day (3小时);
- PERCENT: 80%, 百分之三十, 3个百分点;
- MONEY: an amount with a currency (85亿元, 100美元);
- QUANTITY: an amount with a physical unit (684平方米, 1000亩, 5吨);
- ORDINAL: 第一, 第135届, 首次;
- CARDINAL: a count with a measure word (12家, 3.74万人, 两支), a fraction, or a bare Arabic number.

Matches of different patterns may overlap; the longest wins, then the type listed first in
:data:`PRIORITY`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gaoxin_news.schema.spans import Span, resolve_overlaps

# ---------------------------------------------------------------- numbers
_CN_DIGITS = "零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖"
_CN_UNITS = "十百千万亿拾佰仟"
_CN = f"[{_CN_DIGITS}{_CN_UNITS}]"
#: an Arabic number: digits (ASCII or full-width), thousands separators, decimals
_ARABIC = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
#: a Chinese numeral (十二, 一百二十三, 两万); 几 only next to a unit (十几, 几十)
_CHINESE = rf"(?:{_CN}+几|几[十百千万]{_CN}*|{_CN}+)"
_APPROX_SUFFIX = r"(?:余|多|来)"
#: a number: Arabic with optional Chinese multipliers (8000余万, 3.74万, 1.2万亿), or a Chinese numeral
_NUM = rf"(?:{_ARABIC}{_APPROX_SUFFIX}?[十百千万亿]*{_APPROX_SUFFIX}?|{_CHINESE}{_APPROX_SUFFIX}?)"
#: a range: 3至5, 3-5, 10～20
_RANGE = rf"{_NUM}(?:\s*(?:至|到|-|~|～|—|－)\s*{_NUM})?"
#: approximators before and after a number
_PRE = r"(?:大约|约|将近|近|逾|超过|超|不足|不到|至少|最多|高达|多达)?"
_POST = r"(?:左右|以上|以下|上下|之多|开外)?"
#: not part of a code, a formula or a longer number
_NOT_BEFORE = r"(?<![A-Za-z0-9０-９.．+/_\-])"
_NOT_AFTER = r"(?![A-Za-z0-9０-９+/_])"

# ---------------------------------------------------------------- units
_CURRENCY = r"(?:元人民币|元|块钱|美元|欧元|英镑|日元|港元|港币|澳元|韩元|卢布|法郎|新台币)"
_UNIT = (
    r"(?:平方公里|平方千米|平方米|平米|立方米|公顷|亩|千米|公里|米|厘米|毫米|微米|纳米|英里|英尺|英寸|海里|"
    r"千克|公斤|克|毫克|吨|斤|公升|升|毫升|千瓦时|千瓦|兆瓦|吉瓦|瓦|度电|伏|千伏|赫兹|兆赫|"
    r"摄氏度|℃|标准箱|TEU|GB|TB|MB|km|kg|m²|㎡)"
)
#: measure words (量词) that count things or people
_MEASURE = (
    r"(?:个|位|名|人次|人|家|所|座|栋|幢|间|套|台|部|辆|架|艘|件|项|条|种|类|批|户|次|场|期|届|支|只|头|匹|张|"
    r"把|本|篇|份|块|片|处|棵|株|颗|根|层|道|门|组|队|对|双|笔|宗|起|例|轮|款|枚|封|首|幅|册|集|大|点)"
)

# ---------------------------------------------------------------- dates and times
_YEAR = r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
_DAYNUM = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY = rf"{_DAYNUM}[日号]"
_REL_YEAR = r"(?:今|去|明|前|后|当|同|本|上|次)年"
_QUARTER = r"(?:前[一二三四1-4]季度|第[一二三四1-4]季度|[一二三四1-4]季度)"
_YEAR_TAIL = rf"(?:度|初|底|末|内|年初|年底|年末|上半年|下半年|{_QUARTER}|[春夏秋冬]季|[春夏秋冬]天)"
_PART_YEAR = rf"(?:上半年|下半年|年初|年底|年末|{_QUARTER})"
_MONTH_TAIL = r"(?:上旬|中旬|下旬|初|底|末)"
_HOLIDAY = r"(?:春节|元旦|元宵节|清明节|劳动节|端午节|中秋节|国庆节|除夕|重阳节|七夕节)"
_WEEKDAY = r"(?:周|星期|礼拜)[一二三四五六日天]"
_REL_DAY = (
    r"(?:今天|昨天|明天|前天|后天|今日|昨日|明日|当天|当日|同日|同天|次日|翌日|近日|日前|连日|近期|"
    r"本月|上月|下月|当月|同月|上个月|下个月|本周|上周|下周|近年|多年|连年|历年|往年)"
)
_SINCE = r"(?:以来|来)?"
#: after a date, only 以来: a bare 来 there is mostly the verb (4月来访)
_SINCE_DATE = r"(?:以来)?"
_DUR_PRE = r"(?:过去|未来|最近|今后)?"
_DUR_POST = r"(?:以来|来|以前|以后|之前|之后|以内|之内|前|后|内|间)?"
_PERIOD = r"(?:凌晨|清晨|早晨|早上|上午|中午|下午|傍晚|晚上|晚间|夜里|夜间|深夜)"
_CLOCK = r"(?:[01]?[0-9]|2[0-4])[:：][0-5][0-9](?:[:：][0-5][0-9])?"

_DATE_PATTERNS = [
    # absolute: 2024年4月15日, 2024年度, 2024年底, 4月15日, 4月底, 15日, 2024-04-15
    rf"{_YEAR}(?:{_MONTH}(?:{_DAY}|{_MONTH_TAIL})?|{_YEAR_TAIL})?{_SINCE_DATE}",
    rf"{_MONTH}(?:{_DAY}|{_MONTH_TAIL})?{_SINCE_DATE}",
    rf"(?<![0-9.]){_DAYNUM}日",
    r"[0-9]{4}[-/.][01]?[0-9][-/.][0-3]?[0-9](?![0-9])",
    # relative: 今年, 去年上半年, 今年4月, 今年以来, 近日, 上半年
    rf"{_REL_YEAR}(?:{_MONTH}(?:{_DAY}|{_MONTH_TAIL})?|{_YEAR_TAIL})?{_SINCE_DATE}",
    rf"{_REL_DAY}{_SINCE}",
    rf"{_PART_YEAR}{_SINCE_DATE}",
    _HOLIDAY,
    _WEEKDAY,
    # decades and centuries: 20世纪90年代, 90年代
    r"(?:[0-9]{1,2}|[一二]?十[一二三四五六七八九]?)世纪(?:[0-9]{2}年代)?|[0-9]{2,4}年代",
    # durations: 3年, 两个月, 10天, 半年, 近3年, 过去五年, 3年来, 两年前
    rf"{_DUR_PRE}{_PRE}(?:{_RANGE}|半)(?:年|个月|个?星期|周|天|日)(?:半|多)?{_POST}{_DUR_POST}",
]
_TIME_PATTERNS = [
    rf"{_PERIOD}?{_CLOCK}",
    rf"{_PERIOD}?(?:[01]?[0-9]|2[0-4])(?:点|时)(?:[0-5]?[0-9]分|半|整)?",
    rf"{_PERIOD}(?:十[一二]?|[一二三四五六七八九])(?:点|时)(?:半|整|[一二三四五]?十?[一二三四五六七八九]?分)?",
    rf"{_PRE}{_RANGE}个?(?:小时|钟头|分钟|秒钟|秒)多?{_POST}",
]
_PERCENT_PATTERNS = [
    rf"{_PRE}{_NUM}(?:\s*[%％‰](?:\s*(?:至|到|-|~|～|—)\s*{_NUM}\s*[%％‰])?|个百分点){_POST}",
    rf"{_PRE}百分之{_NUM}{_POST}",
]
_MONEY_PATTERNS = [
    rf"{_PRE}(?:人民币|美元|港币)?{_RANGE}{_CURRENCY}{_POST}",
    rf"{_PRE}[¥￥$€£]\s*{_RANGE}{_POST}",
]
_QUANTITY_PATTERNS = [rf"{_PRE}{_RANGE}{_UNIT}{_POST}"]
_ORDINAL_PATTERNS = [
    rf"第(?:{_ARABIC}|{_CHINESE}){_MEASURE}?",
    r"首(?:届|次|位|批|个|家|款|台|部|座|条|项|例|轮|期|场)",
]
_CARDINAL_PATTERNS = [
    rf"{_PRE}{_RANGE}(?:多|余)?{_MEASURE}{_POST}",
    rf"{_ARABIC}\s*/\s*{_ARABIC}",
    rf"{_CHINESE}分之{_CHINESE}",
    rf"{_PRE}{_ARABIC}(?:余|多)?[万亿]*{_POST}",
]

#: resolution order on ties (equal length)
PRIORITY: tuple[str, ...] = ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")

PATTERNS: dict[str, list[re.Pattern[str]]] = {
    label: [re.compile(_NOT_BEFORE + f"(?:{p})" + _NOT_AFTER) for p in pats]
    for label, pats in (
        ("DATE", _DATE_PATTERNS), ("TIME", _TIME_PATTERNS), ("PERCENT", _PERCENT_PATTERNS),
        ("MONEY", _MONEY_PATTERNS), ("QUANTITY", _QUANTITY_PATTERNS), ("ORDINAL", _ORDINAL_PATTERNS),
        ("CARDINAL", _CARDINAL_PATTERNS),
    )
}

#: A Chinese numeral that alone makes no count: 一 before a measure word or unit is mostly the
#: indefinite article (一个, 一批, 一方面), and a bare multiplier is mostly part of a word (万家, 百姓).
_LONE_ONE = re.compile(r"^一$")
_BARE_MULTIPLIER = re.compile(r"^[十百千万亿]+$")
_LEADING_NUMERAL = re.compile(rf"^{_PRE}({_CN}+)")


def _plausible(label: str, text: str) -> bool:
    m = _LEADING_NUMERAL.match(text)
    if not m or label not in ("CARDINAL", "QUANTITY", "MONEY"):
        return True
    num = m.group(1)
    if _BARE_MULTIPLIER.match(num):
        return False
    return not (label in ("CARDINAL", "QUANTITY") and _LONE_ONE.match(num))


def candidates(text: str) -> Iterator[Span]:
    """Every match of every pattern (overlapping), trailing spaces trimmed."""
    for label, pats in PATTERNS.items():
        for pat in pats:
            for m in pat.finditer(text):
                s, e = m.span()
                while e > s and text[e - 1].isspace():
                    e -= 1
                while s < e and text[s].isspace():
                    s += 1
                if e > s and _plausible(label, text[s:e]):
                    yield Span(s, e, label)


def resolve(spans: list[Span], priority: tuple[str, ...] = PRIORITY) -> list[Span]:
    """Non-overlapping spans: longest first, then by ``priority``, then leftmost; in text order."""
    rank = {t: i for i, t in enumerate(priority)}
    return resolve_overlaps(spans, rank=lambda s: rank.get(s.label, len(rank)))


class RuleRecogniser:
    """The rule-based recogniser: ``RuleRecogniser()(text)`` → spans."""

    types = PRIORITY

    def __call__(self, text: str) -> list[Span]:
        return resolve(list(candidates(text)))
