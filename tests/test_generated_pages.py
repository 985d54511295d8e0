"""Generated pages (hypothesis): invented pages built from the usual parts of a Chinese newspaper page
(running head, column label, kicker, headline, subtitle, bylines, datelines, subheads, Q&A and list
paragraphs, zone briefs, photos credited before or after their captions, sidebars, jump and editor
lines), with their structure known by construction. Each page, set in every style (either punctuation
width, hard-wrapped at 12/17/23/31 characters with U+3000 indentation or with blank lines, one
paragraph per line), must give exactly that structure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from page_styles import STYLES, TO_FULL, TO_HALF, analysed, differences, render, width_free
from gaoxin_news.corpus.segment import sentence_spans

# invented content: places, people and figures are made up
SENTENCES = [
    "园区新增科技型企业120家。", "项目总投资约35亿元，预计明年投产。", "企业负责人表示，将继续加大研发投入。",
    "这一做法值得推广吗？", "现场气氛十分热烈！", "“我们有信心把产品做得更好。”", "截至目前，已建成孵化器12个、众创空间30个。",
    "下一步，该区将持续优化营商环境，推动产业集群发展。", "从样品到订单……团队每一步都走得扎实。",
    "今年一季度，全区实现营收456.7亿元，同比增长12.5%。", "“以前想都不敢想！”一位工程师笑着说。",
    "据介绍，平台已服务企业326家次。", "问题当场提、当场解，效率高了好几倍。",
]
LISTS = ["一是强化平台支撑；", "二是优化人才服务；", "（一）完善政策体系；", "1.企业在线提交申请；", "■每月一次对接会；", "●服务精准。"]
QA = ["记者：下一步有哪些打算？", "问：哪些企业可以申报？", "答：符合条件的企业均可申报。"]
LEADIN = "主要做法如下："
TITLES = ["新材料产业园开园", "科技企业孵化器数量再创新高", "“专精特新”企业加速成长", "数字经济人才招聘会举行",
          "青年创新社区迎来首批团队", "储能电池项目开工建设"]
QUESTION_TITLES = ["小企业为何扎堆这里？", "算力券怎么领？"]
SUBTITLES = ["——首批8家企业签约入驻", "——全区规上企业数字化改造覆盖率达87.5%"]
KICKERS = ["青川高新区聚力打造创新高地——", "明湖高新区做强产业链——"]
COLUMNS = ["园区动态", "创新前沿", "高新观察"]
SUBHEADS = ["链主引领强协同", "平台赋能促转化", "二、优化人才服务"]
ZONES = ["青川高新区", "明湖高新区", "云岭高新区", "东川高新区、西川高新区"]
NAMES = ["张明远", "李思琪", "王海涛", "陈静怡", "刘一鸣", "赵子涵", "周雨桐", "吴家豪"]
BODIES = ["明湖高新区", "云岭高新区管委会"]
SIDEBARS = ["相关链接", "背景", "延伸阅读", "记者手记"]
HEADS = ["高新周刊  2024年5月8日 星期三  第3版", "第6版·园区快讯 2024年6月12日 星期三"]


def _names(draw, k: int) -> list[str]:
    return draw(st.lists(st.sampled_from(NAMES), min_size=k, max_size=k, unique=True))


def _paragraph(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3)))


def _block(role: str, text: str) -> dict:
    return {"role": role, "text": text, "sentences": [text[s:e] for s, e in sentence_spans(text, role)]}


def _item(kind: str, blocks: list[dict], **meta) -> dict:
    base = {"kind": kind, "title": None, "kicker": None, "column": None, "zone": None, "authors": [],
            "dateline": None, "photo_credit": None}
    return {**base, **meta, "blocks": blocks}


def _body(draw, blocks: list[dict], cut: bool = False) -> None:
    """Paragraphs, with subheads, Q&A, a lead-in and a list among them; the last one cut mid-sentence
    when ``cut`` (a jump line follows)."""
    for _ in range(draw(st.integers(1, 3))):
        form = draw(st.sampled_from(["p", "p", "subhead", "qa", "list"]))
        if form == "subhead" and blocks and blocks[-1]["role"] == "paragraph":
            blocks.append(_block("subhead", draw(st.sampled_from(SUBHEADS))))
            blocks.append(_block("paragraph", _paragraph(draw)))
        elif form == "qa":
            blocks += [_block("paragraph", q) for q in draw(st.lists(st.sampled_from(QA), min_size=1, max_size=3))]
        elif form == "list":
            blocks.append(_block("paragraph", LEADIN))
            blocks += [_block("paragraph", x) for x in draw(st.lists(st.sampled_from(LISTS), min_size=1, max_size=3,
                                                                     unique=True))]
        else:
            blocks.append(_block("paragraph", _paragraph(draw)))
    if blocks[-1]["role"] != "paragraph" or blocks[-1]["text"] == LEADIN:
        blocks.append(_block("paragraph", _paragraph(draw)))
    if cut:
        blocks[-1] = _block("paragraph", blocks[-1]["text"] + "下一步，该区将围绕产业链继续")


@st.composite
def articles(draw) -> list[dict]:
    blocks, meta = [], {}
    if draw(st.booleans()):
        meta["column"] = draw(st.sampled_from(COLUMNS))
        blocks.append(_block("column", meta["column"]))
    if draw(st.booleans()):
        k = draw(st.sampled_from(KICKERS))
        meta["kicker"] = k.rstrip("—")
        blocks.append(_block("kicker", k))
    meta["title"] = draw(st.sampled_from(TITLES + (QUESTION_TITLES if "kicker" not in meta else [])))
    blocks.append(_block("title", meta["title"]))
    if draw(st.booleans()):
        blocks.append(_block("subtitle", draw(st.sampled_from(SUBTITLES))))
    names = _names(draw, draw(st.integers(1, 2)))
    # a question headline then bare names reads as a question paragraph closed by a byline: a question
    # headline is set with a reporter's byline
    bare = meta["title"] not in QUESTION_TITLES
    form = draw(st.sampled_from(["本报记者 {0}", "记者 {0}", "文/{0}", "文/图 {0}", "□ 本报记者 {0}"] + ["{0}"] * bare))
    byline = form.format(names[0]) if len(names) == 1 else draw(st.sampled_from(
        [f"本报记者 {names[0]} 通讯员 {names[1]}"] + [f"{names[0]} {names[1]}", f"{names[0]}、{names[1]}"] * bare))
    blocks.append(_block("byline", byline))
    meta["authors"] = list(names)
    jump = draw(st.booleans())
    _body(draw, blocks, cut=jump)
    if not jump and draw(st.booleans()):
        closer = _names(draw, 1)[0]
        if closer not in names:
            blocks.append(_block("byline", f"（通讯员 {closer}）"))
            meta["authors"].append(closer)
    out = [_item("article", blocks, **meta)]
    if jump:
        out.append(_item("furniture", [_block("furniture", draw(st.sampled_from(["下转第6版", "（下转第8版）", "转第2版"])))]))
    return out


@st.composite
def briefs(draw) -> list[dict]:
    zone = draw(st.sampled_from(ZONES))
    title = draw(st.sampled_from(TITLES))
    blocks = [_block("zone", zone + draw(st.sampled_from(["：", ":"]))), _block("title", title)]
    names = _names(draw, draw(st.integers(1, 2)))
    place = draw(st.sampled_from(["本报讯", "本刊讯", "新华社青川5月3日电", "本报明湖6月1日电", "中新网云岭7月2日电"]))
    bracket = draw(st.booleans())
    authors: list[str] = []
    if bracket:
        inner = f"记者 {names[0]}" + (f" 通讯员 {names[1]}" if len(names) > 1 else "")
        blocks.append(_block("dateline", f"{place}（{inner}）"))
        authors = list(names)
    else:
        blocks.append(_block("dateline", place))
    _body(draw, blocks)
    if not bracket:
        blocks.append(_block("byline", names[0]))
        authors = [names[0]]
    return [_item("brief", blocks, title=title, zone=zone, authors=authors, dateline=place)]


@st.composite
def photos(draw) -> list[dict]:
    name, body = _names(draw, 1)[0], draw(st.sampled_from(BODIES))
    caption = _paragraph(draw)
    if draw(st.booleans()):  # credit first
        credit, who = draw(st.sampled_from([(f"图片来源：{body}", body), (f"{body}供图", body), (f"图：{body}", body)]))
        blocks = [_block("credit", credit), _block("caption", caption)]
    else:
        credit, who = draw(st.sampled_from([(f"本报记者 {name} 摄", name), (f"{name} 摄", name),
                                            (f"（{body}供图）", body), (f"记者 {name} 摄", name)]))
        blocks = [_block("caption", "图为" + caption), _block("credit", credit)]
    return [_item("photo", blocks, photo_credit=who)]


@st.composite
def sidebars(draw) -> list[dict]:
    label = draw(st.sampled_from(SIDEBARS))
    return [_item("article", [_block("title", label), _block("paragraph", _paragraph(draw))], title=label)]


@st.composite
def pages(draw) -> list[dict]:
    items: list[dict] = []
    if draw(st.booleans()):
        items.append(_item("furniture", [_block("furniture", draw(st.sampled_from(HEADS)))]))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["article", "brief", "photo", "sidebar"]))
        if kind == "photo" and items and items[-1]["kind"] == "photo":
            kind = "article"
        parts = {"article": articles, "brief": briefs, "photo": photos, "sidebar": sidebars}[kind]
        items += draw(parts())
    if draw(st.booleans()):
        items.append(_item("furniture", [_block("furniture", "责任编辑：" + _names(draw, 1)[0] + "　校对：" + _names(draw, 1)[0])]))
    return items


@settings(max_examples=100, deadline=None)
@given(pages(), st.sampled_from(["full", "half", "as is"]))
def test_generated_pages_in_every_style(page, width):
    if width != "as is":
        table = TO_FULL if width == "full" else TO_HALF
        # the texts in one width (metadata is compared up to width)
        page = [{**it, "blocks": [_block(b["role"], b["text"].translate(table)) for b in it["blocks"]]}
                for it in page]
    for style, w in STYLES:
        got = analysed(render(page, style, w))
        diffs = differences(width_free(page), width_free(got))
        assert not diffs, f"as {style} {w}:\n" + "\n".join(diffs) + "\n" + render(page, style, w)
