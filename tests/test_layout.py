"""Layout analysis: items, block roles, rejoined lines, bylines, credits, accounting."""

from __future__ import annotations

import re

import pytest

from conftest import DATA, ROOT
from gaoxin_news.corpus import layout
from gaoxin_news.errors import AccountingError


@pytest.fixture(scope="module")
def items(seed_text):
    return layout.analyse(seed_text)


def test_seed_page_items(items):
    got = [(it.kind, it.title, it.authors) for it in items]
    assert got == [
        ("article", "打造“1+2+N”产业链党建新格局", ["王宏伟", "孙达"]),
        ("photo", None, []),
        ("brief", "4企入选全国“人工智能”创新案例", ["林露虹"]),
        ("brief", "两家新业态工会同日揭牌成立", ["代可友", "赵祎诺"]),
        ("brief", "省市秦创原“科学家+工程师”队伍共15支", ["高欣"]),
        ("photo", None, []),
        ("article", "强化楼宇党建 激活“红色引擎”", ["于秀"]),
    ]


def test_seed_page_metadata(items):
    first, suzhou, xiamen, *_, hangzhou, urumqi = items
    assert (first.column, first.kicker, first.zone, first.dateline) == ("党建在高新", "烟台高新区凝聚更强向心力", None, None)
    assert (suzhou.photo_credit, hangzhou.photo_credit) == ("苏州高新区", "杭州高新区(滨江)")
    assert (xiamen.zone, xiamen.dateline) == ("厦门火炬高新区", "本报讯")
    assert urumqi.kicker == "乌鲁木齐高新区(新市区)夯基础优服务强示范"
    assert urumqi.dateline == "本报讯" and urumqi.zone is None


def test_roles(items):
    roles = [[b.role for b in it.blocks] for it in items]
    assert roles[0][:4] == ["column", "kicker", "title", "byline"]
    assert roles[0].count("subhead") == 4
    assert roles[1] == ["credit", "caption"]  # credit stands before the caption
    assert roles[5] == ["caption", "caption", "credit"]  # credit stands after the captions
    for r in roles[2:5]:
        assert r[:3] == ["zone", "title", "dateline"] and r[-1] == "byline"
    assert roles[6][:3] == ["kicker", "title", "dateline"] and roles[6][-1] == "byline"


@pytest.mark.parametrize("joined", [
    "党委副书记田文广表示",  # a name cut in two by the layout
    "一系列政策,优化流程再造",
    "烟台高新区在烟台市率先出台",
    "实现“一次办好”目标",
    "队伍建设项目支持名单。",
    "由杭州高新区(滨江)党委宣传部",
    "开拓创新、攻坚克难,",
    "为驻楼宇企业提供",
])
def test_layout_breaks_are_rejoined(items, joined):
    blocks = [b for it in items for b in it.blocks if joined in b.text]
    assert len(blocks) == 1
    assert len(blocks[0].source_spans) == 2


def test_headings_are_not_merged_into_body(items):
    subheads = [b.text for b in items[0].blocks if b.role == "subhead"]
    assert subheads == ["党建链集聚发展合力", "服务链提升发展能力", "人才链释放发展活力", "创新链注入发展动力"]


def test_glued_bylines_are_split(items):
    for it, name in ((items[2], "林露虹"), (items[4], "高欣")):
        last, before = it.blocks[-1], it.blocks[-2]
        assert (last.role, last.text) == ("byline", name)
        assert before.text.endswith("。") and before.role == "paragraph"
        # byline and paragraph come from the same source line, split at the boundary
        assert before.source_spans[-1][1] == last.source_spans[0][0]


def test_accounting_holds_on_seed(seed_text, items):
    layout.check_accounting(seed_text, items, "seed")
    spans = [(s, e) for it in items for b in it.blocks for s, e in b.source_spans]
    covered = "".join(seed_text[s:e] for s, e in spans)
    # every non-whitespace character exactly once, in reading order (spaces inside a line stay in blocks)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", seed_text)
    positions = [i for s, e in spans for i in range(s, e)]
    assert len(positions) == len(set(positions))


def test_accounting_names_dropped_position(seed_text, items):
    broken = [layout.Item(kind=it.kind, blocks=list(it.blocks)) for it in items]
    dropped = broken[1].blocks.pop()  # lose the Suzhou caption
    with pytest.raises(AccountingError) as e:
        layout.check_accounting(seed_text, broken, "page.txt")
    assert f"character offset {dropped.source_spans[0][0]}" in str(e.value)
    assert "page.txt" in str(e.value) and "dropped" in str(e.value)


def test_accounting_detects_duplicates(seed_text, items):
    dup = [layout.Item(kind=it.kind, blocks=list(it.blocks)) for it in items]
    dup[0].blocks.insert(1, dup[0].blocks[0])
    with pytest.raises(AccountingError, match="twice"):
        layout.check_accounting(seed_text, dup, "page.txt")


def test_other_page_in_same_style():
    text = (DATA / "page_style2.txt").read_text(encoding="utf-8")
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    assert [(it.kind, it.title, it.column, it.zone, it.authors) for it in items] == [
        ("article", "科技企业孵化器数量再创新高", "园区动态", None, ["陈明", "刘芳"]),
        ("photo", None, None, None, []),
        ("brief", "光谷企业发布新一代光通信芯片", None, "武汉东湖高新区", ["黄磊", "吴丹"]),
        ("brief", "首批“数据要素”试点项目落地", None, "西安高新区", ["王磊", "张婷"]),
    ]
    assert [b.role for b in items[3].blocks][:4] == ["zone", "title", "subtitle", "dateline"]
    assert items[2].blocks[2].text == "本报讯(记者 黄磊)"
    assert any("局长周建华说" in b.text for b in items[0].blocks)


def test_credit_forms_and_photo_with_caption_cue():
    text = "\n\n某某高新区:\n\n新园区开园\n\n本报讯 近日,新园区正式开园。\n\n李明\n\n图为新园区外景。\n\n图片由某某高新区提供\n"
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    assert [it.kind for it in items] == ["brief", "photo"]
    assert items[1].photo_credit == "某某高新区"
    assert [b.role for b in items[1].blocks] == ["caption", "credit"]


def test_rules_name_no_page_content(seed_text, items):
    """The layout rules must not name this page's titles, people or zones."""
    code = (ROOT / "src" / "gaoxin_news" / "corpus" / "layout.py").read_text(encoding="utf-8")
    code = code.split('"""', 2)[2]  # skip the module docstring, which quotes examples
    names = {n for it in items for n in it.authors}
    names |= {it.title for it in items if it.title} | {it.zone for it in items if it.zone}
    names |= {it.kicker for it in items if it.kicker} | {"烟台", "苏州", "杭州", "厦门", "保定", "宝鸡", "乌鲁木齐"}
    found = sorted(n for n in names if n in code)
    assert not found, f"layout.py names page content: {found}"


def test_numbered_subheads_bullet_bylines_and_photo_inside_an_article():
    text = (DATA / "page_style3.txt").read_text(encoding="utf-8")
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    assert [(it.kind, it.title, it.authors, it.photo_credit) for it in items] == [
        ("article", "合肥高新区量子产业集群加速成长", ["孙明"], None),
        ("photo", None, [], "孙明"),
        ("brief", "举办数字经济人才招聘会", ["陈静"], None),
    ]
    roles = [b.role for b in items[0].blocks]
    assert roles == ["column", "title", "byline", "paragraph", "paragraph", "subhead", "paragraph", "subhead",
                     "paragraph"]
    assert [b.role for b in items[1].blocks] == ["caption", "credit"]


def test_titles_with_clause_punctuation_under_a_zone_label_or_kicker():
    text = (DATA / "page_style4.txt").read_text(encoding="utf-8")
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    assert [(it.kind, it.zone, it.kicker, it.title, it.authors) for it in items] == [
        ("brief", "西安高新区、咸阳高新区", None, "协同创新,共建秦创原新高地", ["张伟"]),
        ("article", None, "成都高新区聚力打造创新高地", "稳增长,高新区在行动", ["陈明"]),
    ]
    assert [b.role for b in items[1].blocks] == ["kicker", "title", "byline", "paragraph"]


def test_zone_and_title_on_one_line_and_a_credit_glued_to_its_caption():
    text = (DATA / "page_style5.txt").read_text(encoding="utf-8")
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    assert [(it.kind, it.zone, it.title, it.authors, it.photo_credit) for it in items] == [
        ("brief", "深圳高新区", "人工智能产业园开园", ["李华"], None),
        ("photo", None, None, [], "王强"),
        ("brief", "苏州高新区", "新材料产业基金设立", ["赵敏"], None),
    ]
    assert [(b.role, b.text) for b in items[0].blocks[:2]] == [("zone", "深圳高新区:"), ("title", "人工智能产业园开园")]
    assert [(b.role, b.text) for b in items[1].blocks] == [("caption", "图为开园仪式现场。"),
                                                          ("credit", "(本报记者 王强 摄)")]
