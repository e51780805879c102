"""Text as PDF extractors print it: the blank lines they leave between the blocks they
found (pdftotext: only at block edges; pdfminer.six: after every body line but none
inside a headline) tell a headline's parts and a heading from the body, and a page
printed with full-width punctuation keeps its paragraphs.

The pages here are typed in the shapes those tools print (tests/test_pdf.py and
benchmarks/pdf_accuracy.py read real PDFs); each case failed before blocks were read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pagegen import make_page

from zonearchive.ingest.decode import decode_page
from zonearchive.ingest.layout import full_width, paragraph_breaks
from zonearchive.ingest.page import extract_page

PUNCT = "，。、；：？！”’）》"

LEAD = (
    "要紧盯时间节点，倒排工期、压茬推进，全力加快项目建设进度，推动项目早建成、早投产、早达效。"
    "湖大特塑聚砜系列产品建设项目一期预计于二〇二五年六月投产，年产值可超十亿元。"
)
MORE = (
    "一年当中，全区上下肩负使命任务，知重负重前行、求新创新行动，推动开发区高质量发展稳健前行。"
    "这是云冈经开区上下出来的招商实践，也是一场共享机遇、互利共赢的双向奔赴。"
)


def column(text: str, width: int, indent: bool = True) -> list[str]:
    """One paragraph set in a column `width` characters wide, as a tool prints it: the
    first line two short (the indent), punctuation never opening a line (the character
    before it moves down with it)."""
    lines, at, first = [], 0, indent
    while at < len(text):
        n = width - 2 if first else width
        end = min(at + n, len(text))
        if end < len(text) and text[end] in PUNCT:
            end -= 1
        lines.append(text[at:end])
        at, first = end, False
    return lines


def article(lead: str, more: str, width: int = 14) -> list[str]:
    return column(lead, width) + column(more, width)


def spaced(lines: list[str]) -> list[str]:
    """Lines as pdfminer.six prints body text: a blank line after each."""
    return [line for raw in lines for line in (raw, "")]


def fields(text: str):
    return [(a.kicker, a.title, a.subtitle, a.byline) for a in extract_page(text, "p.txt", "p").articles]


def bodies(text: str) -> list[str]:
    return ["".join(b.text for b in a.blocks) for a in extract_page(text, "p.txt", "p").articles]


def after_an_article(head: list[str], lead: str, byline: str | None = "李红") -> str:
    """A page as pdftotext prints it: an article ending with its byline, then the next
    one's headline lines (blank lines between blocks, "" in `head`), its body and byline."""
    end = [byline] if byline else []
    return "\n".join([*article(LEAD, MORE), "王波", "", *head, "", *article(lead, LEAD), *end])


def test_a_title_wrapped_in_its_own_block_is_one_title_under_its_kicker():
    # pdftotext: the kicker, the title and the body are three blocks; the narrow
    # column wraps the kicker and the title.
    text = after_an_article(
        ["丰康高新技术产业开发", "区", "", "面对如此高的", "要求"], "丰康高新技术产业开发区：" + MORE
    )
    assert fields(text)[1] == ("丰康高新技术产业开发区", "面对如此高的要求", None, "李红")
    assert bodies(text)[1].startswith("丰康高新技术产业开发区：一年当中")


def test_a_subtitle_wrapped_before_the_blank_line_stays_whole():
    text = after_an_article(["好钢用在刀", "刃上", "———走进祥马", "经济技术开发区"], "祥马经济技术开发区：" + MORE)
    assert fields(text)[1] == (None, "好钢用在刀刃上", "走进祥马经济技术开发区", "李红")
    assert bodies(text)[1].startswith("祥马经济技术开发区：")


def test_a_title_run_into_its_subtitle_line_is_split_at_the_dashes():
    text = after_an_article(
        ["河恒高新技术产业开发区", "", "蒲坂大地万物勃", "发———走进河恒高新技", "术产业开发区"],
        "河恒高新技术产业开发区：" + MORE,
    )
    assert fields(text)[1] == ("河恒高新技术产业开发区", "蒲坂大地万物勃发", "走进河恒高新技术产业开发区", "李红")


def test_a_title_over_three_lines_of_one_block_has_no_kicker():
    text = after_an_article(
        ["锚定航向改革", "创新增活", "力凡事破则立", "———走进康祥高新", "技术产业开发区"],
        "康祥高新技术产业开发区：" + MORE,
    )
    assert fields(text)[1] == (None, "锚定航向改革创新增活力凡事破则立", "走进康祥高新技术产业开发区", "李红")


def test_a_headline_over_a_dateline_keeps_its_wrapped_title_and_byline():
    text = "\n".join(
        [
            "盛沁经济技术开发区",
            "",
            "在蓝科途近千",
            "米长的无尘",
            "车间里",
            "唐斌",
            "",
            *article("本报讯 盛沁经济技术开发区：" + LEAD, MORE),
        ]
    )
    assert fields(text) == [("盛沁经济技术开发区", "在蓝科途近千米长的无尘车间里", None, "唐斌")]


def test_a_heading_set_apart_in_a_narrow_column_is_a_heading():
    # Twelve characters a line: the heading is as wide as an indented first line.
    heading = "产能实现成倍增长"
    text = "\n".join(
        [*column(LEAD, 12), "", heading, "", *column(MORE, 12), "王波"],
    )
    [art] = extract_page(text, "p.txt", "p").articles
    blocks = art.blocks
    assert [(b.type, b.text) for b in blocks] == [("paragraph", LEAD), ("heading", heading), ("paragraph", MORE)]


def test_pdfminer_shape_keeps_a_wrapped_subtitle():
    # pdfminer.six: a blank line after every body line, none between a headline's lines.
    body = spaced(article("阳盛高新技术产业开发区：" + MORE, LEAD, 16))
    text = "\n".join(
        [
            *spaced(article(LEAD, MORE, 16)),
            "王波",
            "",
            "产业布局优",
            "化集聚成势",
            "———走进阳盛高新技术产业",
            "开发区",
            "",
            *body,
            "李红",
        ]
    )
    assert fields(text)[1] == (None, "产业布局优化集聚成势", "走进阳盛高新技术产业开发区", "李红")
    assert bodies(text)[1].startswith("阳盛高新技术产业开发区：")


def test_full_width_punctuation_does_not_break_paragraphs():
    # A print that sets “ ” 《 》 ， 。 at full width: a line full of them fills its
    # column, and a sentence ending there is no paragraph end.
    first = (
        "在推动改革方面，制定完善试行企业投资项目承诺《“承诺制”改革》《“标准地”机制》“两项”。"
        "强调，要突出创新引领，加快项目建设，强化要素保障，促进产业集群集聚发展，夯实全市经济高质量发展。"
        "这个听起来有些陌生的名字，是一种特种工程塑料，与我们的生活息息相关。"
    )
    second = "经开区全员履职履责，坚持管委会主要负责人牵头抓总的专项工作机制，分管领导具体负责推动各项工作任务完成。"
    lines = column(first, 16) + column(second, 16) + column(LEAD, 16) + column(MORE, 16)
    # The case that matters is there: a sentence ends at the end of a full line.
    assert "革》《“标准地”机制》“两项”。" in lines
    page = extract_page("\n".join([*lines, "王波"]), "p.txt", "p")
    paragraphs = [b.text for b in page.articles[0].blocks]
    assert paragraphs == [first, second, LEAD, MORE]


def test_radical_forms_and_the_horizontal_bar_are_normalised_and_logged():
    page = extract_page("本报讯 ⻝品企业―――开发区召开座谈会，会议由主任主持。\n王波\n", "p.txt", "p")
    assert page.articles[0].blocks[0].text == "食品企业———开发区召开座谈会，会议由主任主持。"
    assert sorted((r.before, r.after) for r in page.repairs) == [("―", "—")] * 3 + [("⻝", "食")]


def second_byline_page(blank: str) -> str:
    """An article whose byline is in its dateline, then one whose title reads like a
    section heading (its words open the body, as a title's do) and whose byline ends
    it; `blank` is what the tool prints between blocks ("" for pdftotext's blank line,
    None for none, as PyMuPDF)."""
    gap = [blank] if blank is not None else []
    return "\n".join(
        [
            *column("本报讯（记者 王波）" + LEAD, 14),
            *column(MORE, 14),
            *gap,
            "聚焦营商环境改善",
            *gap,
            *article("隆仁现代农业产业示范区：聚焦营商环境改善，" + MORE, LEAD),
            "李红",
        ]
    )


def test_a_second_byline_ends_a_second_article_whose_title_looked_like_a_heading():
    page = extract_page(second_byline_page(""), "p.txt", "p")
    assert [(a.title, a.byline) for a in page.articles] == [
        (page.articles[0].title, "记者 王波"),
        ("聚焦营商环境改善", "李红"),
    ]
    assert page.articles[0].title_derived
    assert "".join(b.text for b in page.articles[1].blocks).startswith("隆仁现代农业产业示范区：")
    # Decided on weak evidence, so said, with the title's line.
    [line] = [line for line, what in page.notes if "聚焦营商环境改善" in what]
    assert second_byline_page("").split("\n")[line - 1] == "聚焦营商环境改善"


def test_without_blank_lines_two_bylines_are_said_not_split():
    page = extract_page(second_byline_page(None), "p.txt", "p")
    assert len(page.articles) == 1
    assert page.articles[0].byline == "记者 王波 李红"
    assert any("李红" in what and "second byline" in what for _, what in page.notes)


def test_a_traditional_twin_in_a_simplified_page_is_simplified_and_logged():
    # pdfminer.six prints 户 as 戶 with fonts that draw both with one glyph.
    text = "本报讯 " + LEAD + "全区一千二百家企业落戶园区，每一戶都有专人服务。" + MORE + "\n王波\n"
    page = extract_page(text, "p.txt", "p")
    body = page.articles[0].blocks[0].text
    assert "落户园区，每一户都有" in body and "戶" not in body
    assert [(r.before, r.after, r.kind) for r in page.repairs] == [("戶", "户", "variant form")] * 2


def test_a_traditional_page_is_left_as_printed():
    text = "本報訊 這裡的企業落戶園區，開發區為每一戶企業提供專門服務，全區經濟發展勢頭良好。\n王波\n"
    page = extract_page(text, "p.txt", "p")
    assert "落戶園區" in page.articles[0].blocks[0].text
    assert page.repairs == []


def test_a_byline_run_into_the_headline_s_last_line_is_the_byline():
    # pdftotext puts a byline set under the headline on the title's last line.
    lead = "康宁经济技术开发区：突破技术壁垒，" + MORE
    assert fields(after_an_article(["突破技术", "壁垒徐霞"], lead, None))[1] == (None, "突破技术壁垒", None, "徐霞")
    role = fields(after_an_article(["突破技术壁垒记者 何杰"], lead, None))[1]
    assert role == (None, "突破技术壁垒", None, "记者 何杰")


def test_a_title_ending_in_a_name_the_body_does_not_back_is_kept():
    # 王平 reads as a name, but what is left without it is not words the body prints.
    lead = "康宁经济技术开发区：项目建设稳步推进，" + MORE
    assert fields(after_an_article(["稳步推进项目建设王平"], lead, None))[1] == (
        None,
        "稳步推进项目建设王平",
        None,
        None,
    )


def test_without_blank_lines_a_title_wrapped_over_three_lines_is_one_title():
    # PyMuPDF prints no blank lines: a title whose lines join into words the body prints
    # is one title, not a kicker over a title.
    lead = "本报讯 康祥高新技术产业开发区：锚定航向改革创新增活力凡事破则立，" + MORE
    text = "\n".join([*article(LEAD, MORE), "王波", "锚定航向改革", "创新增活", "力凡事破则立", *article(lead, LEAD)])
    assert fields(text)[1] == (None, "锚定航向改革创新增活力凡事破则立", None, None)


def test_a_body_line_cut_short_by_a_bracketed_term_is_no_headline():
    # The term did not fit: 「（PEEK）」 opens the next line, and the short line above it
    # (head-like: no sentence punctuation) runs on into it, set apart only as a new block.
    term = ["最终实现聚苯硫醚（PPS）、聚酰亚胺", "（PEEK）、液晶聚合物（LCP），及聚砜特种工程", "塑料生产全覆盖。"]
    text = "\n".join(["本报讯 " + LEAD[:11], *column(LEAD[11:], 20, False), "", "千川汇海阔", "", *term, "王波"])
    [art] = extract_page(text, "p.txt", "p").articles
    assert (art.title_derived, art.byline) == (True, "王波")
    assert [b.type for b in art.blocks] == ["paragraph", "heading", "paragraph"]
    assert art.blocks[2].text == "".join(term)


# Each article in its own columns: no byline, dateline or marker between two of them.
NEXT = "隆仁现代农业产业示范区：聚焦营商环境改善，" + MORE


def test_after_an_article_signed_at_its_start_a_second_byline_s_article_starts_where_the_column_changes():
    # The first article's byline is in its dateline; the second has no headline, only
    # its own (wider) column, and its byline at its end.
    first = ["本报讯（记者 王波） " + LEAD[:7], *column(LEAD[7:] + MORE, 14, False)]
    text = "\n".join([*first, *article(NEXT, LEAD, 20), "李红"])
    page = extract_page(text, "p.txt", "p")
    assert [(a.byline, a.title_derived) for a in page.articles] == [("记者 王波", True), ("李红", True)]
    assert "".join(b.text for b in page.articles[1].blocks).startswith("隆仁现代农业产业示范区：")
    [line] = [line for line, what in page.notes if "column width changes" in what]
    assert text.split("\n")[line - 1].startswith("隆仁")


def test_a_one_line_title_where_the_column_changes_opens_an_article():
    # Read alone the title is a section heading; a heading keeps its column.
    text = "\n".join([*article(LEAD, MORE), "", "聚焦营商环境改善", "", *article(NEXT, LEAD, 20)])
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.title_derived) for a in page.articles] == [
        (page.articles[0].title, True),
        ("聚焦营商环境改善", False),
    ]
    assert [b.type for b in page.articles[1].blocks] == ["paragraph", "paragraph"]
    # Decided on the widths, so said, with the title's line.
    [line] = [line for line, what in page.notes if "column changes from 14 to 20" in what]
    assert text.split("\n")[line - 1] == "聚焦营商环境改善"


def test_lines_of_many_widths_show_no_column_to_cut_at():
    # Words put into sentences after the lines were broken (here "（第一辑）"): the
    # lines around a short one after a full stop have no one width, so it opens no article.
    lines = [
        "本报讯 重点项目是推动全市经",
        "济高质量发展的“主引擎”和“",
        "硬支撑”（第一辑）。要知道，一张普通打",
        "印纸的厚度为 0.1 毫米，蓝科途",
        "生产的隔膜厚度仅有 5 微米，即",
        "0.005毫米（第一辑）。",
        "在授权赋能事项的基础",
        "上，结合项目特点，进一步优化",
        "审批流程，缩短审批时限，明确",
        "事项办理条件和工作范围，落",
        "实办理时限和跟踪服务制度（第一辑）。",
        "净水器、奶瓶等产品以聚砜为",
        "原材料（第一辑）。神池示范区立足资源",
        "禀赋和比较优势，布局发展未",
        "来产业，推动产学研对接和科",
        "创成果落地转化（第一辑）。千川汇海阔，",
        "风好正扬帆（第一辑）。电商产业激发新",
        "质效顺势而为，乘势而上，聚势",
        "而强（第一辑）。电子商务发展，人才是关",
        "键（第一辑）。 王波",
    ]
    page = extract_page("\n".join(lines), "p.txt", "p")
    [art] = page.articles
    assert art.byline == "王波" and "以聚砜为原材料" in "".join(b.text for b in art.blocks)
    assert not [what for _, what in page.notes if "column" in what]


def test_a_heading_in_its_article_s_column_stays_a_heading():
    text = "\n".join([*article(LEAD, MORE), "", "聚焦营商环境改善", "", *article(NEXT, LEAD)])
    [art] = extract_page(text, "p.txt", "p").articles
    assert [b.type for b in art.blocks] == ["paragraph", "paragraph", "heading", "paragraph", "paragraph"]


def test_an_article_going_on_in_a_wider_column_stays_whole():
    # A real page (the second seed) sets an article's later paragraphs wider: with no
    # title between them, a change of column alone is no new article, whether the
    # article is signed at its end or in its dateline.
    for dateline, end, byline in (("本报讯 ", ["李红"], "李红"), ("本报讯（记者 王波） ", [], "记者 王波")):
        text = "\n".join([dateline + LEAD[:7], *column(LEAD[7:] + MORE, 14, False), *article(NEXT, LEAD, 20), *end])
        [art] = extract_page(text, "p.txt", "p").articles
        assert art.byline == byline
        assert [b.text[:6] for b in art.blocks] == ["要紧盯时间节", "隆仁现代农业", "要紧盯时间节"]


def test_a_heading_over_a_first_line_with_digits_stays_a_heading():
    # pdftotext sets the heading apart and opens the body's block with an indented
    # first line whose digits and % print wider than they measure: that line is the
    # body's, not a title under a kicker.
    rest = "级的微孔，要把布满微孔的隔膜做得又坚韧又超薄，这本来就是一个矛盾。" + MORE
    first = ["锂电池隔膜表面30%—40%是纳米", *column(rest, 18, False)]
    text = "\n".join(
        ["本报讯 " + LEAD[:6], *column(LEAD[6:], 18, False), "", "但越薄也越难", "", *first, *column(LEAD, 18), "王波"]
    )
    [art] = extract_page(text, "p.txt", "p").articles
    assert [b.type for b in art.blocks] == ["paragraph", "heading", "paragraph", "paragraph"]
    assert art.blocks[1].text == "但越薄也越难"
    assert art.blocks[2].text.startswith("锂电池隔膜表面30%—40%是纳米级的微孔")


def test_pdfminer_shape_a_heading_over_a_first_line_with_digits_stays_a_heading():
    # Both lines are short and set apart; the page's headline shows that a
    # headline's lines are printed with no blank line between them.
    rest = "级的微孔，要把布满微孔的隔膜做得又坚韧又超薄，这本来就是一个矛盾。" + MORE
    first = ["锂电池隔膜表面30%—40%是纳米", *column(rest, 18, False)]
    lead = ["本报讯 " + LEAD[:6], *column(LEAD[6:], 18, False)]
    body = spaced([*lead, "但越薄也越难", *first, *column(LEAD, 18), "王波"])
    text = "\n".join(["产业布局优", "化集聚成势", "", *body])
    [art] = extract_page(text, "p.txt", "p").articles
    assert art.title == "产业布局优化集聚成势"
    assert [b.type for b in art.blocks] == ["paragraph", "heading", "paragraph", "paragraph"]
    assert art.blocks[2].text.startswith("锂电池隔膜表面30%—40%是纳米级的微孔")


def test_pdfminer_shape_a_name_under_the_subtitle_is_the_byline():
    text = "\n".join(
        [
            *spaced([*article(LEAD, MORE, 16), "王波"]),
            "产业布局优",
            "化集聚成势",
            "———走进阳盛高新技术产业开发区",
            "",
            "黄杰平",
            "",
            *spaced([*article("阳盛高新技术产业开发区：" + MORE, LEAD, 16)]),
        ]
    )
    assert fields(text)[1] == (None, "产业布局优化集聚成势", "走进阳盛高新技术产业开发区", "黄杰平")
    assert bodies(text)[1].startswith("阳盛高新技术产业开发区：")


def test_pdfminer_shape_a_subtitle_wrapped_over_a_body_line_without_punctuation_stays_whole():
    # The subtitle's end is printed with the headline (no blank line); the body's
    # first line, short of punctuation, stands apart.
    lead = ["孝瑞现代农业产业示范", *column("区：" + MORE, 14, False)]
    text = "\n".join(
        [
            *spaced([*article(LEAD, MORE, 14), "王波"]),
            "始终强化主",
            "动服务意识",
            "———走进孝瑞现",
            "代农业产业示范区",
            "",
            *spaced([*lead, *column(LEAD, 14), "刘强"]),
        ]
    )
    assert fields(text)[1] == (None, "始终强化主动服务意识", "走进孝瑞现代农业产业示范区", "刘强")
    assert bodies(text)[1].startswith("孝瑞现代农业产业示范区：")


def test_headlines_under_their_bodies_keep_the_byline_printed_under_them():
    # A page that sets each headline under its body, and the byline under the
    # headline: the byline is that headline's article's, not the next one's lead.
    second = "新华社太原1月2日电（记者 孙兰强） 怀安现代农业产业示范区：产业布局优化集聚成势。" + LEAD
    text = "\n".join(
        [
            *article(LEAD, MORE, 16),
            "",
            "这是云冈经开区上下",
            "记者 周玉",
            "",
            *column(second, 16, False),
            "",
            "产业布局优化集聚成势",
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.byline) for a in page.articles] == [
        ("这是云冈经开区上下", "记者 周玉"),
        ("产业布局优化集聚成势", "记者 孙兰强"),
    ]


def test_a_headline_signed_by_a_name_goes_below_a_body_signed_already():
    # The headline's words are the body above's too, but that body ends with its
    # byline: the headline with a name under it opens the article below.
    above = "源州现代农业产业示范区：一流的营商环境，既是吸引力、竞争力，更是生产力、驱动力。" + MORE
    below = "科学导报讯 丰阳经济开发区：如何将资源优势转化为产业优势？" + LEAD
    text = "\n".join([*column(above, 20), "李强", "", "一流的营商环境", "许霞", "", *column(below, 18, False)])
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.title_derived, a.byline) for a in page.articles] == [
        (page.articles[0].title, True, "李强"),
        ("一流的营商环境", False, "许霞"),
    ]


def test_a_dateline_filling_its_line_keeps_the_bracketed_byline_on_the_next():
    # pdftotext: the dateline fills its line, the bracket opens the next one.
    body = column("怀义现代农业产业示范区：神池示范区立足资源禀赋和比较优势。" + LEAD, 14, False)
    text = "\n".join(["新华社太原1月2日电", "（曾杰军） " + body[0], *body[1:]])
    [art] = extract_page(text, "p.txt", "p").articles
    assert (art.dateline, art.byline) == ("新华社太原1月2日电", "曾杰军")
    assert art.blocks[0].text.startswith("怀义现代农业产业示范区：")


def test_after_an_article_signed_at_its_start_a_kicker_and_title_open_the_second_not_its_heading():
    # Two bylines at the run's ends: the second article starts at its headline (a
    # kicker and a title, two short lines), not at the heading inside it.
    second = "远康高新技术产业开发区：相继引进了一批企业。" + MORE
    text = "\n".join(
        [
            "本报讯（记者 周娟敏） " + LEAD[:6],
            *column(LEAD[6:], 16, False),
            "",
            "远康高新技术产业开发区",
            "",
            "拼实力讲实绩",
            "",
            *column(second, 16),
            "",
            "着力提升产品质量",
            "",
            *column(LEAD, 16),
            "吴涛",
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert [(a.kicker, a.title, a.byline) for a in page.articles] == [
        (None, page.articles[0].title, "记者 周娟敏"),
        ("远康高新技术产业开发区", "拼实力讲实绩", "吴涛"),
    ]
    assert [b.type for b in page.articles[1].blocks] == ["paragraph", "heading", "paragraph"]


def test_without_blank_lines_a_name_printed_before_a_headline_is_its_byline():
    # PyMuPDF prints a byline set under a headline before the headline. The article
    # above opened with its own byline (in its dateline), so the name is the next one's.
    first = ["科学导报讯（冯平刚） " + LEAD[:8], *column(LEAD[8:] + MORE, 16, False)]
    second = column("安盛现代农业产业示范区：“聚砜”这个听起来有些陌生的名字。" + LEAD, 14)
    text = "\n".join([*first, "邓娜", "安盛现代农业产业示范区", "这个听起来有些陌生的名字", *second])
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.byline) for a in page.articles] == [
        (page.articles[0].title, "冯平刚"),
        ("这个听起来有些陌生的名字", "邓娜"),
    ]
    assert any(line == len(first) + 1 and "邓娜" in what for line, what in page.notes)


def test_without_blank_lines_a_name_before_an_unheaded_body_opens_it():
    # The same, before an article printed without a headline whose first line has no
    # punctuation: the name opens that article (never an article alone).
    first = ["本报讯（记者 宋玉霞） " + LEAD[:6], *column(LEAD[6:] + MORE, 16, False)]
    second = ["康阳高新技术产业开发", *column("区：越薄越有“锂”，但越薄也越难。" + LEAD, 12, False)]
    text = "\n".join([*first, "记者 徐华", *second])
    page = extract_page(text, "p.txt", "p")
    assert [(a.title_derived, a.byline) for a in page.articles] == [(True, "记者 宋玉霞"), (True, "记者 徐华")]
    assert "".join(b.text for b in page.articles[1].blocks).startswith("康阳高新技术产业开发区：")


def test_a_title_in_one_block_with_the_body_s_short_first_line_keeps_its_line():
    # pdftotext set the title and the body's first line in one block; that line is
    # short but runs on into the next by a word the page prints (开发 / 区).
    second = column("聚焦营商环境改善，依托省级直播电商基地，积极对接各类电商服务资源。" + MORE, 13, False)
    text = "\n".join(
        [
            "本报讯 瑞安高新技术产业开发区：" + LEAD[:10],
            *column(LEAD[10:], 28, False),
            "王波",
            "",
            "源宁高新技术产业开发区",
            "",
            "聚焦营商环境改善",
            "瑞安高新技术产业开发",
            "区：" + second[0],
            *second[1:],
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert [(a.kicker, a.title) for a in page.articles][1] == ("源宁高新技术产业开发区", "聚焦营商环境改善")
    assert "".join(b.text for b in page.articles[1].blocks).startswith("瑞安高新技术产业开发区：聚焦")


def test_a_full_line_with_digits_after_a_sentence_end_is_no_paragraph_start():
    # A browser's print (full-width punctuation; page_measure tells the habit from a
    # page's lines): digits and % print wider than half a cell, so a full line
    # holding many measures two cells short, as an indented first line would.
    lines = [
        "这时，杜跃刚笑着拿出一张锂电池隔膜电子显",
        "微镜照片。山西蓝科途新材料科技有限公司（以",
        "下简称蓝科途）是华北地区最大的锂电池隔膜生",
        "产基地。",
        "源盛经济开发区：锚定航向，向好而发。要",
        "知道，一张普通打印纸的厚度为0.1毫米，蓝科",
        "途生产的隔膜厚度仅有5微米，即0.005毫米。",
        "锂电池隔膜表面30%—40%是纳米级的微孔，",
        "要把布满微孔的隔膜做得又坚韧又超薄，这本来",
        "就是一个矛盾。",
    ]
    breaks = paragraph_breaks(lines, full_width)
    assert [i for i, b in enumerate(breaks) if b] == [3, 9]


def test_pdfminer_shape_a_title_wrapped_over_the_headline_s_last_lines_stays_whole():
    # Kicker and title wrapped over four lines, none between them; the body's first
    # line, with no punctuation, stands apart.
    lead = ["沁原高新技术产业开发", *column("区：蒲坂大地万物勃发，" + MORE, 12, False)]
    text = "\n".join(
        [
            *spaced([*article(LEAD, MORE, 12), "王波"]),
            "沁原高新技术产业",
            "开发区",
            "蒲坂大地万",
            "物勃发",
            "",
            *spaced([*lead, *column(LEAD, 12), "李红"]),
        ]
    )
    assert fields(text)[1] == ("沁原高新技术产业开发区", "蒲坂大地万物勃发", None, "李红")
    assert bodies(text)[1].startswith("沁原高新技术产业开发区：")


def test_pdfminer_shape_a_headline_over_five_lines_before_a_dateline_stays_whole():
    # A narrow column wraps kicker and title over five lines, none between them.
    body = column("新华社太原1月2日电 原嘉高新技术产业开发区：一个个招商引资项目的签约落地。" + MORE, 14, False)
    text = "\n".join(
        [
            *spaced([*article(LEAD, MORE, 14), "孙静文"]),
            "原嘉高新技术产业开发",
            "区",
            "一个个招商引",
            "资项目",
            "的签约落地",
            "",
            *spaced([*body, "李红"]),
        ]
    )
    assert fields(text)[1] == ("原嘉高新技术产业开发区", "一个个招商引资项目的签约落地", None, "李红")


def test_a_heading_just_above_does_not_hide_a_change_of_column():
    # The lines above the title hold a heading and an indented first line: the
    # column is read from the running lines that fill it.
    text = "\n".join(
        [
            *column(LEAD, 14),
            "",
            "等企业手中",
            "",
            *column(MORE, 14),
            "",
            "聚焦营商环境改善",
            "",
            *article(NEXT, LEAD, 22),
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.title_derived) for a in page.articles][1] == ("聚焦营商环境改善", False)
    assert [b.type for b in page.articles[0].blocks] == ["paragraph", "heading", "paragraph"]


@pytest.mark.parametrize(
    "ends, starts",
    [
        ("评、安评、能评等手续办理完毕。今年1-", "5月份，神池示范区固定资产投资完成"),
        # The next number did not fit: the line with the hyphen falls short of the column.
        ("评、安评、能评等手续办理完毕，2023-", "2025年，神池示范区固定资产投资完成"),
        ("评、安评、能评等手续办理完毕。投资300-", "500万元，神池示范区固定资产投资完"),
    ],
)
def test_a_hyphen_pdftotext_dropped_between_two_lines_is_put_back_and_logged(ends, starts):
    # "今年1-" ended a printed line: pdftotext joins it to the next line and drops the
    # hyphen, as for a broken English word -- one line two columns wide, "15月份"
    # (its text of a generated page, s116).
    printed = [
        "在山西智创新材料科技有限公司生产",
        "车间里，智能机械投料与制膜机器协同作",
        "业，3条生产线繁忙而有序。办公楼、化",
        "验楼、中控楼、消防楼等建筑封顶，环",
        ends,
        starts,
        "1.85亿元，增速68%。在山西智创新材料",
        "科技有限公司生产车间里，智能机械投料",
        "与制膜机器协同作业，3条生产线繁忙而",
        "有序。",
        "可是，想在‘塑料布’上打出这种小",
        "孔可不容易。可这并不是蓝科途发展上的",
        "短板。微孔就是隔膜的‘魔力’所在。",
    ]
    joined = printed[:4] + [printed[4][:-1] + printed[5]] + printed[6:]
    # pdftotext leaves a blank line only at the edges of the blocks it found.
    page = extract_page("\n".join(["本报讯 开发区项目稳步推进。", "", *joined, "", "王波"]), "p.txt", "p")
    [art] = page.articles
    assert [b.text for b in art.blocks] == ["开发区项目稳步推进。", "".join(printed[:10]), "".join(printed[10:])]
    assert [(r.line, r.kind) for r in page.repairs] == [(7, "hyphen an extractor dropped")]
    assert [line for line, what in page.notes if "hyphen" in what] == [7]  # a number split by hand looks the same
    # As printed, nothing to put back.
    plain = extract_page("\n".join(["本报讯 开发区项目稳步推进。", "", *printed, "", "王波"]), "p.txt", "p")
    assert plain.repairs == [] and [b.text for b in plain.articles[0].blocks] == [b.text for b in art.blocks]
    # Typed with a paragraph to a line, lines of every width are no joins of printed ones.
    typed = [
        "本报讯 开发区项目稳步推进。",
        "".join(printed[:10]),
        "".join(printed[10:]),
        "今年1-5月份投资2023万元。",
        "王波",
    ]
    assert extract_page("\n".join(typed), "p.txt", "p").repairs == []


def test_justified_lines_full_of_brackets_and_latin_letters_are_body_not_a_headline():
    # Brackets and capitals print wider than the half cell they measure: two justified
    # lines holding many of them measured cells short and, with no comma or full stop,
    # were read as the title of a new article, in silence. (pdftotext's text of a
    # generated page; the five articles it was made from, by their titles.)
    text = (Path(__file__).parent / "fixtures" / "tools" / "pdftotext-brackets.txt").read_text(encoding="utf-8")
    page = extract_page(text, "p.txt", "p")
    titles = [None if a.title_derived else a.title for a in page.articles]
    assert titles == [None, "公司将通过试生产进行技术验证", "微孔就是隔膜的", "微孔就是隔膜的", "神池示范区牢固树立"]
    third = "".join(b.text for b in page.articles[2].blocks)
    assert (
        "最终实现聚苯硫醚（PPS）、聚酰亚胺（PI）、聚醚醚酮（PEEK）、液晶聚合物（LCP）及聚砜（PSF）特种工程塑料" in third
    )


TOOLS = Path(__file__).parent / "fixtures" / "tools"
SEED_FIRST = (Path(__file__).parent / "fixtures" / "pages" / "000_5b8fe1ee034655b8.txt").read_text(encoding="utf-8")


def test_a_subtitle_wrapped_onto_a_line_of_the_body_s_block_stays_whole():
    # pdftotext printed the subtitle's wrapped end in one block with the body
    # ("———走进茂州现代农业" / "产业示范区" / "茂州现代农业产业示范区：项目建…"): it is the
    # subtitle's, not the body's first words. (Its text of a generated page; the six
    # articles it was made from, by headline.)
    page = extract_page((TOOLS / "pdftotext-wrapped-subtitle.txt").read_text(encoding="utf-8"), "p.txt", "p")
    assert [(a.title, a.subtitle) for a in page.articles] == [
        ("全区上下肩负使命任务", "走进原河高新技术产业开发区"),
        ("才能有大格局", None),
        ("样样离不开这块", None),
        ("建起了出圈平台", None),
        ("拼实力讲实绩", "走进茂州现代农业产业示范区"),
        ("要强化创新驱动", "走进休津经济开发区"),
    ]
    assert page.articles[4].blocks[0].text.startswith("茂州现代农业产业示范区：项目建设")


def test_a_name_under_the_headline_over_a_dateline_then_a_second_signed_article_in_other_columns():
    # 杨强 stands under the headline, over the dateline of its article; the article
    # after it (no headline, wider columns whose lines hold digits and quotes that
    # print wider than measured) signs 彭磊 at its end: two articles, the cut said.
    page = extract_page((TOOLS / "pdftotext-name-under-headline.txt").read_text(encoding="utf-8"), "p.txt", "p")
    first, second = page.articles
    assert (first.title, first.title_derived, first.byline) == ("蓝科途不断向新求质", False, "杨强")
    assert (second.title_derived, second.byline) == (True, "彭磊")
    assert page.articles[1].blocks[0].text.startswith("义嘉经济开发区：厚积薄发")
    assert [what for _, what in page.notes if "column width changes" in what], page.notes


def test_repairs_are_listed_in_the_page_s_order_whichever_step_made_them():
    # The hyphen is put back after the lines are read (and their spacing repaired):
    # a spacing repair below it is still listed after it.
    printed = [
        "在山西智创新材料科技有限公司生产",
        "车间里，智能机械投料与制膜机器协同作",
        "业，3条生产线繁忙而有序。办公楼、化",
        "验楼、中控楼、消防楼等建筑封顶，环",
        "评、安评、能评等手续办理完毕。今年1-",
        "5月份，神池示范区固定资产投资完成",
        "1.85亿元，增速68%。“ 山西”智创新材料",
        "科技有限公司生产车间里，智能机械投料",
        "与制膜机器协同作业，3条生产线繁忙而",
        "有序。",
    ]
    joined = printed[:4] + [printed[4][:-1] + printed[5]] + printed[6:]
    page = extract_page("\n".join(["本报讯 开发区项目稳步推进。", "", *joined, "", "王波"]), "p.txt", "p")
    assert [(r.line, r.kind) for r in page.repairs] == [
        (7, "hyphen an extractor dropped"),
        (8, "extractor spacing"),
    ]


def test_lines_joined_by_hand_get_no_hyphen():
    # A number a line break split without a hyphen (``12`` / ``亿``), the two lines
    # joined by an editor: as wide as pdftotext's joins, but on a page that is not
    # pdftotext's (no blank lines at block edges), nothing is put back.
    lines = SEED_FIRST.split("\n")
    at = next(k for k, line in enumerate(lines) if line.rstrip().endswith("一年可以生产 12"))
    after = next(k for k in range(at + 1, len(lines)) if lines[k].strip())
    joined = lines[:at] + [lines[at].rstrip() + lines[after].strip()] + lines[after + 1 :]
    page = extract_page("\n".join(joined), "p.txt", "p")
    assert not [r for r in page.repairs if "hyphen" in r.kind]
    assert "-" not in "".join(b.text for a in page.articles for b in a.blocks if "亿平方米" in b.text)


def test_a_heading_holding_quotes_and_brackets_is_still_a_heading():
    # The allowance for quotes and brackets printing wider is for lines that fill a
    # column; a heading's own width is as measured.
    text = "\n".join(
        [
            "本报讯 " + LEAD[:5],
            *column(LEAD[5:] + MORE, 16, False),
            "《条例》实施“满月”记",
            *article(NEXT, LEAD, 16),
            "王波",
        ]
    )
    [art] = extract_page(text, "p.txt", "p").articles
    assert [b.text for b in art.blocks if b.type == "heading"] == ["《条例》实施“满月”记"]


def test_a_subtitle_takes_no_line_of_the_article_after_it():
    # ``———走进祥源经济开发区`` over ``交安高新技术产业开发`` / ``区：…``: 区 and 交 meet
    # elsewhere on the page, but the line is the next article's first (a generated page).
    raw, _, truth = make_page(1517)
    text, _ = decode_page(raw, "g.txt")
    assert [a.subtitle for a in extract_page(text, "g.txt", "g").articles] == [t.subtitle for t in truth]


def test_on_a_page_of_headlines_under_their_bodies_a_name_under_a_headline_opens_nothing():
    # 周玉 signs the article above (its headline is over the name); the dated article
    # below signs 李红 at its end and sets its later paragraphs wider: one article.
    text = "\n".join(
        [
            *article(LEAD, MORE, 16),
            "",
            "这是云冈经开区上下",
            "周玉",
            "",
            "本报讯 " + LEAD[:7],
            *column(LEAD[7:] + MORE, 14, False),
            *article(NEXT, LEAD, 20),
            "李红",
            "",
            "产业布局优化集聚成势",
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.byline) for a in page.articles] == [
        ("这是云冈经开区上下", "周玉"),
        ("产业布局优化集聚成势", "李红"),
    ]
    assert not [what for _, what in page.notes if "column width changes" in what]


def test_quotes_and_brackets_measured_whole_get_no_more_room():
    # A page printed with full-width punctuation measures quotes and brackets as whole
    # cells already: the kicker and title over the second article stay its headline.
    text = "\n".join(
        [
            *article(LEAD, MORE, 14),
            "",
            "智慧园区建设",
            "",
            "《条例》实施“满月”",
            "",
            *article("隆仁现代农业产业示范区：" + MORE, LEAD, 14),
            "李红",
        ]
    )
    page = extract_page(text, "p.txt", "p")
    assert len(page.articles) == 2
    assert page.articles[1].blocks[0].text.startswith("隆仁现代农业产业示范区")


def test_a_title_wrapped_onto_a_word_that_reads_as_a_name_opens_no_article():
    # ``进度`` under ``全力加快项目建设`` is the title's end (进 is a surname): the article
    # signs only at its end, however its columns change.
    text = "\n".join(["全力加快项目建设", "进度", "", *column(LEAD, 14), *article(NEXT, LEAD, 20), "李红"])
    page = extract_page(text, "p.txt", "p")
    assert [(a.title, a.byline) for a in page.articles] == [("全力加快项目建设进度", "李红")]
