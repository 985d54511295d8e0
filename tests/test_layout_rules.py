"""The layout's rules one by one: line ends, invisible characters, widths, and every named threshold
at its boundary (each threshold is exercised on both sides)."""

from __future__ import annotations

import pytest

from conftest import DATA
from gaoxin_news.corpus import layout
from gaoxin_news.corpus.layout import forms, lines, names
from gaoxin_news.corpus.layout import items as items_mod
from gaoxin_news.corpus.layout.chars import norm
from gaoxin_news.errors import AccountingError
from page_styles import analysed

PAGE = (DATA / "pages" / "fw_wrap20_noblank.txt").read_text(encoding="utf-8")
BLANK_PAGE = (DATA / "pages" / "hw_oneline_blank_cut.txt").read_text(encoding="utf-8")


# --- line ends and invisible characters ------------------------------------------------------------
@pytest.mark.parametrize("end", ["\r\n", "\r", "\x85", "\u2028", "\u2029"])
def test_every_line_end_gives_the_same_items(end):
    text = PAGE.replace("\n", end)
    assert analysed(text) == analysed(PAGE)
    assert analysed(BLANK_PAGE.replace("\n", end)) == analysed(BLANK_PAGE)


def test_lines_of_invisible_characters_are_blank_and_accounted_for():
    text = BLANK_PAGE.replace("\n\n", "\n\u200b\n", 3).replace("\n\n", "\n \ufeff\u200d\n", 3) \
        .replace("\n\n", "\n\u00ad\n", 3)
    assert text.count("\u200b") == 3 and text.count("\u00ad") == 3
    got = analysed(text)  # check_accounting runs inside
    assert got == analysed(BLANK_PAGE)
    assert not any(c in b["text"] for it in got for b in it["blocks"] for c in "\u200b\ufeff\u200d\u00ad")


def test_accounting_treats_invisible_characters_like_whitespace_and_nothing_else():
    text = "标题\n\u200b\n正文第一句。\n"
    items = layout.analyse(text)
    layout.check_accounting(text, items)  # the ZWSP line needs no block
    with pytest.raises(AccountingError, match="dropped"):
        layout.check_accounting(text + "X", items)


def test_characters_inside_a_line_stay_as_they_are():
    text = "园区动态\n\n新园区开园\n\n本报讯 近日,新园区\u200b正式开园。\n"
    blocks = [b for it in layout.analyse(text) for b in it.blocks]
    assert any("\u200b" in b.text for b in blocks)


# --- the normalised copy ---------------------------------------------------------------------------
def test_normalised_copy_has_the_same_length_and_only_changes_width():
    s = "２０２４年，（记者　张三）：？！ＡＢ…“”——。、"
    n = norm(s)
    assert len(n) == len(s)
    assert n == "2024年,(记者 张三):?!AB…“”——。、"


# --- names -----------------------------------------------------------------------------------------
def test_personal_names():
    assert names.is_personal_name("张三") and names.is_personal_name("欧阳明月")
    assert names.GIVEN_NAME_MIN == 1 and names.GIVEN_NAME_MAX == 2
    assert not names.is_personal_name("张")  # no given name
    assert not names.is_personal_name("张三丰年")  # a given name of three characters
    assert not names.is_personal_name("张说")  # a function character is no given name
    assert "说" in names.NOT_IN_GIVEN_NAME
    assert not names.is_personal_name("前列")  # 前 is no surname
    single, compound = names.surnames()
    assert len(single) > 400 and "欧阳" in compound


# --- forms and their thresholds --------------------------------------------------------------------
def test_heading_max_chars():
    n = forms.HEADING_MAX_CHARS
    assert forms.is_headingish("高" * n) and not forms.is_bodyish("高" * n)
    assert not forms.is_headingish("高" * (n + 1)) and forms.is_bodyish("高" * (n + 1))


def test_subtitle_max_chars():
    n = forms.SUBTITLE_MAX_CHARS
    assert forms.is_subtitle("——" + "高" * (n - 2))
    assert not forms.is_subtitle("——" + "高" * (n - 1))


def test_furniture_max_chars():
    head = "高新周刊 2024年5月8日 星期三 第3版"
    assert forms.is_furniture(head)
    assert forms.is_furniture(head + "新" * (forms.FURNITURE_MAX_CHARS - len(head)))
    assert not forms.is_furniture(head + "新" * (forms.FURNITURE_MAX_CHARS - len(head) + 1))


@pytest.mark.parametrize("line, expected", [
    ("下转第6版", True), ("(上接第1版)", True), ("转第8版", True), ("责任编辑 冯雅 校对 蒋文", True),
    ("本版编辑:石岩", True), ("2024年5月8日 星期三", True), ("截至2024年5月8日,全区新增企业3家。", False),
    ("转型升级", False),
])
def test_furniture_forms(line, expected):
    assert forms.is_furniture(line) is expected


def test_byline_max_names():
    six = " ".join(["张明", "李华", "王强", "赵敏", "陈静", "刘洋"])
    assert forms.byline_names("记者 " + six) == six.split()
    assert forms.BYLINE_MAX_NAMES == 6
    assert forms.byline_names("记者 " + six + " 孙丽") is None


@pytest.mark.parametrize("line, expected", [
    ("本报记者 沈慧 通讯员 顾东", ["沈慧", "顾东"]), ("□ 本报记者 乔瑶", ["乔瑶"]), ("记者 龙婧", ["龙婧"]),
    ("文/谭婷", ["谭婷"]), ("文/图 梅涵", ["梅涵"]), ("文·图 季彤", ["季彤"]), ("李娜、周强", ["李娜", "周强"]),
    ("(通讯员 向楠)", ["向楠"]), ("王伟 孙达", ["王伟", "孙达"]), ("前列", None), ("记者手记", None),
    ("相关链接", None),
])
def test_byline_forms(line, expected):
    assert forms.byline_names(line) == expected


@pytest.mark.parametrize("text, names_", [
    ("…等多个领域。姚晨", ["姚晨"]), ("…下降了22%。葛雪", ["葛雪"]), ("…能闯能创”。(通讯员 向楠)", ["向楠"]),
    ("…都很激动。下一步", None), ("…都很激动。前列", None), ("…张三说", None),
])
def test_glued_bylines(text, names_):
    got = forms.glued_byline(text)
    assert (got[1] if got else None) == names_


def test_credit_max_chars():
    n = forms.CREDIT_MAX_CHARS
    assert forms.credit("图:" + "高" * n) == "高" * n
    assert forms.credit("图:" + "高" * (n + 1)) is None


@pytest.mark.parametrize("line, who", [
    ("陈立 摄", "陈立"), ("本报记者 沈慧 摄", "沈慧"), ("记者 覃源 摄", "覃源"), ("(合肥高新区供图)", "合肥高新区"),
    ("株洲高新区供图", "株洲高新区"), ("图片来源:绵阳高新区", "绵阳高新区"), ("图:宜昌高新区", "宜昌高新区"),
    ("图片由某某高新区提供", "某某高新区"), ("他们正在拍摄", None),
])
def test_credit_forms(line, who):
    assert forms.credit(line) == who


@pytest.mark.parametrize("line, dateline, authors", [
    ("本报讯 近日", "本报讯", []), ("本刊讯(记者 邹凯 通讯员 易远)6月5日", "本刊讯", ["邹凯", "易远"]),
    ("本报北京3月5日电(记者 齐远)中关村", "本报北京3月5日电", ["齐远"]),
    ("新华社合肥4月2日电(记者 任姝)合肥", "新华社合肥4月2日电", ["任姝"]),
    ("中新网成都6月8日电 记者8日从", "中新网成都6月8日电", []), ("近日,新园区正式开园。", None, None),
])
def test_datelines(line, dateline, authors):
    d = forms.dateline(line)
    assert (d[1] if d else None) == dateline and (d[2] if d else None) == authors


# --- column widths and cuts ------------------------------------------------------------------------
def test_column_width_bounds_and_evidence():
    w = 20
    assert lines.column_width([w] * lines.COLUMN_MIN_LINES) == w
    assert lines.column_width([w] * (lines.COLUMN_MIN_LINES - 1)) is None
    assert lines.column_width([lines.COLUMN_MIN_WIDTH - 1] * 5) is None
    assert lines.column_width([lines.COLUMN_MAX_WIDTH + 1] * 5) is None
    assert lines.column_width([lines.COLUMN_MAX_WIDTH] * 5) == lines.COLUMN_MAX_WIDTH
    assert lines.column_width([w] * 3 + [w + 1, w + 2, w + 3, w + 4]) is None  # more lines are wider


def _wrapped(last: str) -> str:
    # three full lines of a 12-wide column, then a line ``last``, then an indented paragraph
    return "　　一二三四五六七八九十\n一二三四五六七八九十一二\n一二三四五六七八九十一二\n" + last + "\n　　另一段。\n"


def test_full_slack():
    w = 12
    assert lines.FULL_SLACK == 1
    short_by_one = "高" * (w - lines.FULL_SLACK)
    short_by_two = "高" * (w - lines.FULL_SLACK - 1)
    for cut, expected in ((short_by_one, 1), (short_by_two, 2)):
        text = _wrapped(cut) .replace("\n　　另一段", "\n接着写完。\n　　另一段")
        units = lines.join_units(lines.split_lines(text))
        assert len(units) == expected + 1, [u.text for u in units]


def test_cut_ends_across_blank_lines():
    assert "，" in lines.CUT_ENDS and "；" not in lines.CUT_ENDS
    for end, joined in (("，", True), ("；", False), ("区", True), ("。", False)):
        text = f"园区动态\n\n今年以来，全区新增企业和项目{end}\n\n其中科技型企业占六成。\n"
        units = lines.join_units(lines.split_lines(text))
        assert (len(units) == 2) is joined, (end, [u.text for u in units])


def test_blank_separated_share():
    assert lines.BLANK_SEPARATED_SHARE == 0.5
    half = "标题\n\n本报记者 张三\n\n第一句写完。\n第二句也写完了。\n"  # byline: blank after; 。: none
    assert lines.blank_separated(lines.split_lines(half))
    none = "标题\n本报记者 张三\n第一句写完。\n第二句也写完了。\n"
    assert not lines.blank_separated(lines.split_lines(none))


def test_heading_stack_max():
    def page(k: int) -> str:
        heads = "\n".join(f"第{'一二三四五六七八'[i]}行标题" for i in range(k))
        return "　　正文一二三四五六七八写完。\n" + heads + "\n　　正文第二段写完了。\n"
    k = lines.HEADING_STACK_MAX
    ok = lines.join_units(lines.split_lines(page(k)))
    assert [u.text for u in ok][1] == "第一行标题"
    deep = lines.join_units(lines.split_lines(page(k + 1)))
    assert deep[0].text.endswith("第一行标题")  # too deep a stack: the first heading-like line goes on


def test_caption_max_paragraphs():
    n = items_mod.CAPTION_MAX_PARAGRAPHS

    def page(k: int) -> str:
        return "".join(f"第{i}段说明文字,在此写完。\n\n" for i in range(k)) + "张三 摄\n"
    photo = layout.analyse(page(n))
    assert [it.kind for it in photo] == ["photo"] and len(photo[0].blocks) == n + 1
    longer = layout.analyse(page(n + 1))
    assert [it.kind for it in longer] == ["article", "photo"]
    assert [b.role for b in longer[1].blocks] == ["caption", "credit"]


def test_line_form_max_chars_bounds_every_form():
    n = forms.LINE_FORM_MAX_CHARS
    assert n >= forms.FURNITURE_MAX_CHARS and n >= forms.HEADING_MAX_CHARS + 2 and n >= 2 * forms.CREDIT_MAX_CHARS
    head = "高新周刊 2024年5月8日 星期三 第3版"
    exact = head + "新" * (n - len(head))
    assert lines.split_lines(exact)[0].alone  # furniture of the longest form length
    longer = lines.split_lines(exact + "新")[0]
    assert not longer.alone and not longer.whole


def test_glued_tail_max_chars():
    n = forms.GLUED_TAIL_MAX_CHARS
    assert forms.glued_credit("图为会场。" + "(本报记者 张明 摄)") is not None
    assert forms.glued_byline("会议召开。" + " " * (n - len("(通讯员 向楠)")) + "(通讯员 向楠)")[1] == ["向楠"]
    assert forms.glued_byline("会议召开。" + " " * (n + 1 - len("(通讯员 向楠)")) + "(通讯员 向楠)") is None


def test_page_cache_forgets_between_pages():
    first = analysed(PAGE)
    info = forms.is_furniture.cache_info()
    assert 0 < info.currsize <= forms.PAGE_CACHE_SIZE
    layout.analyse("标题\n")
    assert forms.is_furniture.cache_info().currsize < info.currsize  # a new page starts afresh
    assert analysed(PAGE) == first


def test_zone_label_bounds():
    place = forms.PLACE_MAX_CHARS
    assert forms.zone_label("高" * place + "区:") == "高" * place + "区"
    assert forms.zone_label("高" * (place + 1) + "区:") is None
    note = forms.PLACE_NOTE_MAX_CHARS
    assert forms.zone_label("杭州高新区(" + "滨" * note + "):") is not None
    assert forms.zone_label("杭州高新区(" + "滨" * (note + 1) + "):") is None
    k = forms.ZONE_MAX_PLACES
    assert forms.zone_label("、".join(["某高新区"] * k) + ":") is not None
    assert forms.zone_label("、".join(["某高新区"] * (k + 1)) + ":") is None
    assert forms.zone_label("主要做法如下:") is None  # a lead-in names no place


def test_dateline_source_max_chars():
    n = forms.DATELINE_SOURCE_MAX_CHARS
    assert forms.dateline("新" * n + "4月2日电 正文")[1] == "新" * n + "4月2日电"
    assert forms.dateline("新" * (n + 1) + "4月2日电 正文") is None


def test_sidebar_labels():
    for label in forms.SIDEBAR_LABELS:
        assert forms.is_sidebar_label(label) and forms.is_sidebar_label(f"【{label}】")
    assert not forms.is_sidebar_label("背景资料显示")


# A page set one paragraph per line with no blank lines, whose short lines can look like a narrow
# column: a list item ended by a semicolon, then an enumerated heading, must not be read as one
# paragraph cut at the column width (found by the generated-page test).
_LIST_PAGE = """新材料产业园开园
本报记者 张明远
园区新增科技型企业120家。
二、优化人才服务
园区新增科技型企业120家。
新材料产业园开园
本报记者 张明远
主要做法如下：
一是强化平台支撑；
二、优化人才服务
园区新增科技型企业120家。
"""


@pytest.mark.parametrize("page", [_LIST_PAGE, _LIST_PAGE.replace("：", ":").replace("；", ";")])
def test_a_semicolon_list_item_before_an_enumerated_heading_is_not_a_cut(page):
    second = layout.analyse(page)[1]
    roles = [(b.role, b.text.rstrip(";；")) for b in second.blocks]
    assert roles[3:5] == [("paragraph", "一是强化平台支撑"), ("subhead", "二、优化人才服务")]
