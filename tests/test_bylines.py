"""Bylines as papers print them (issue #16, item 1 and the byline part of item 4).

Every form is tried where it stands in print -- at the end of the last line after a
space, alone on its line, in brackets, inside the dateline, under the headline -- on
a frozen copy of the seed pages and on generated pages of 2-8 articles. The page
must keep its articles (no merge, no split), the byline field must hold the names,
the body must not. The expected normal forms are the ones byline.py documents.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from pagegen import DATELINES, make_article, typeset_article

from zonearchive.ingest.byline import parse_byline
from zonearchive.ingest.markers import is_headline_like
from zonearchive.ingest.page import extract_page

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
FIRST = (FIXTURES / "000_5b8fe1ee034655b8.txt").read_text(encoding="utf-8")
SECOND = (FIXTURES / "001_e20a2f8db6f05151.txt").read_text(encoding="utf-8")
# The first article of the first page ends "…池的高质量发展。 周明飞" (its line 285).
FIRST_END = "池的高质量发展。 周明飞"

# (as printed, the byline field's normal form, the names it must hold)
FORMS = [
    ("周明飞", "周明飞", ["周明飞"]),
    ("王波", "王波", ["王波"]),
    ("欧阳明飞", "欧阳明飞", ["欧阳明飞"]),
    ("阿依古丽·买买提", "阿依古丽·买买提", ["阿依古丽", "买买提"]),
    ("阿依古丽・买买提", "阿依古丽·买买提", ["阿依古丽", "买买提"]),  # U+30FB
    ("阿依古丽•买买提", "阿依古丽·买买提", ["阿依古丽", "买买提"]),  # U+2022
    ("周明飞 摄", "周明飞 摄", ["周明飞"]),
    ("周明飞/摄", "周明飞 摄", ["周明飞"]),
    ("文/图 周明飞", "文/图 周明飞", ["周明飞"]),
    ("图/文 周明飞", "图/文 周明飞", ["周明飞"]),
    ("文/周明飞", "文/周明飞", ["周明飞"]),
    ("记者 周明飞", "记者 周明飞", ["周明飞"]),
    ("本报记者 周明飞", "本报记者 周明飞", ["周明飞"]),
    ("本报记者周明飞", "本报记者 周明飞", ["周明飞"]),
    ("特约记者 周明飞", "特约记者 周明飞", ["周明飞"]),
    ("实习生 周明飞", "实习生 周明飞", ["周明飞"]),
    ("通讯员 李红", "通讯员 李红", ["李红"]),
    ("通讯员 李红 记者 王波", "通讯员 李红 记者 王波", ["李红", "王波"]),
    ("记者 王波 通讯员 李红", "记者 王波 通讯员 李红", ["王波", "李红"]),
    ("王波 李红", "王波 李红", ["王波", "李红"]),
    ("王波、李红", "王波 李红", ["王波", "李红"]),
    ("（记者 周明飞）", "记者 周明飞", ["周明飞"]),
    ("(记者 周明飞)", "记者 周明飞", ["周明飞"]),
    ("（记者 王波 通讯员 李红）", "记者 王波 通讯员 李红", ["王波", "李红"]),
    ("（周明飞）", "周明飞", ["周明飞"]),
    ("佚名", "佚名", ["佚名"]),
]
FORM_IDS = [f[0] for f in FORMS]
# Forms whose role word says "byline" wherever it stands (under a headline too).
ROLE_FORMS = [f for f in FORMS if re.search(r"记者|通讯员|实习生|摄|文/|图/", f[0])]


def _body(article) -> str:
    return "".join(b.text for b in article.blocks)


def _baseline(text):
    return extract_page(text, "p.txt", "p").articles


# --- the parser on its own ----------------------------------------------------------


@pytest.mark.parametrize("printed,normal,names", FORMS, ids=FORM_IDS)
def test_each_form_reads_into_its_normal_form(printed, normal, names):
    byline = parse_byline(printed)
    assert byline is not None and byline.text == normal
    for name in names:
        assert name in byline.text


@pytest.mark.parametrize(
    "text",
    [
        "记者",
        "摄",
        "文/图",
        "开发区将继续",
        "（下转 A2 版）",
        "（上接 A1 版）",
        "（完）",
        "记者 王波 记者",
        "周明飞，李红",
        "科学导报讯",
    ],
)
def test_what_is_not_a_byline_does_not_parse(text):
    assert parse_byline(text) is None


# --- on the frozen seed page ----------------------------------------------------------


def _first_with(replacement: str) -> str:
    assert FIRST.count(FIRST_END) == 1
    return FIRST.replace(FIRST_END, replacement)


def _assert_first_page_keeps_its_articles(text, normal, names):
    original = _baseline(FIRST)
    got = _baseline(text)
    assert len(got) == len(original) == 3, [a.title for a in got]
    assert [(a.title, a.title_derived) for a in got] == [(a.title, a.title_derived) for a in original]
    assert got[0].byline == normal
    for name in names:
        assert name in got[0].byline
        assert name not in _body(got[0])
    assert _body(got[0]).endswith("实现新能源电池的高质量发展。")
    # the other articles are untouched
    for a, b in zip(got[1:], original[1:]):
        assert (a.byline, _body(a)) == (b.byline, _body(b))


@pytest.mark.parametrize("printed,normal,names", FORMS, ids=FORM_IDS)
def test_seed_page_byline_at_the_end_of_the_last_line(printed, normal, names):
    _assert_first_page_keeps_its_articles(_first_with("池的高质量发展。 " + printed), normal, names)


@pytest.mark.parametrize("printed,normal,names", FORMS, ids=FORM_IDS)
def test_seed_page_byline_alone_on_its_line(printed, normal, names):
    for gap in ("\n\n", "\n", "\r\n\r\n"):
        text = _first_with("池的高质量发展。" + gap + printed)
        _assert_first_page_keeps_its_articles(text, normal, names)


@pytest.mark.parametrize(
    "printed,normal,names", [f for f in FORMS if f[0][0] in "（("], ids=[f[0] for f in FORMS if f[0][0] in "（("]
)
def test_seed_page_bracketed_byline_right_after_the_full_stop(printed, normal, names):
    _assert_first_page_keeps_its_articles(_first_with("池的高质量发展。" + printed), normal, names)


# --- inside the dateline ---------------------------------------------------------------

# The second page opens "科学导报讯 近日，平定经" and its first article ends "…张艳丽说。 王波".
SECOND_OPEN = " 科学导报讯 近日，平定经"
SECOND_END = "新材料科技有限公司总工程师张艳丽说。 王波"


@pytest.mark.parametrize(
    "opening,dateline,byline",
    [
        ("科学导报讯（记者 王波）近日，平定经", "科学导报讯", "记者 王波"),
        ("科学导报讯 （记者 王波） 近日，平定经", "科学导报讯", "记者 王波"),
        ("科学导报讯(记者 王波)近日，平定经", "科学导报讯", "记者 王波"),
        ("本报讯（记者 王波 通讯员 李红）近日，平定经", "本报讯", "记者 王波 通讯员 李红"),
        ("本报讯（通讯员 李红 记者 王波）近日，平定经", "本报讯", "通讯员 李红 记者 王波"),
    ],
)
@pytest.mark.parametrize("keep_end_byline", [False, True])
def test_byline_inside_the_dateline(opening, dateline, byline, keep_end_byline):
    assert SECOND.startswith(SECOND_OPEN) and SECOND.count(SECOND_END) == 1
    text = opening + SECOND[len(SECOND_OPEN) :]
    if not keep_end_byline:
        text = text.replace(SECOND_END, SECOND_END[:-3])
    original = _baseline(SECOND)
    got = _baseline(text)
    assert len(got) == len(original)
    assert [a.title for a in got[1:]] == [a.title for a in original[1:]]
    first = got[0]
    assert first.dateline == dateline
    # The end byline names 王波 again: one person is named once.
    assert first.byline == byline
    body = _body(first)
    assert body.startswith("近日，平定经济技术开发区")
    assert "记者" not in body and "李红" not in body and "王波" not in body
    assert body == _body(original[0])


def test_a_bracket_after_the_dateline_that_is_no_byline_stays_in_the_body():
    text = "本报讯（2024年1月2日）近日，开发区项目建设稳步推进，各项指标保持增长。 王波\n"
    [article] = _baseline(text)
    assert article.dateline == "本报讯"
    assert article.byline == "王波"
    assert _body(article).startswith("（2024年1月2日）近日")


# --- a space inside a sentence is no byline ---------------------------------------------


def _spaced_variants(text):
    """Every sentence end or closing quote followed by Chinese text inside a line, with
    a space put after it (as extraction tools do in stretched lines)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for m in re.finditer(r"[。！？”](?=[\u4e00-\u9fff“])", line):
            if is_headline_like(line.strip()):
                continue  # a headline line: a space in it is another matter (issue #16, item 2)
            spaced = lines[:i] + [line[: m.end()] + " " + line[m.end() :]] + lines[i + 1 :]
            yield i + 1, "\n".join(spaced)


@pytest.mark.parametrize("page", [FIRST, SECOND], ids=["first", "second"])
def test_a_space_after_a_sentence_or_quote_inside_a_paragraph_makes_no_article(page):
    original = _baseline(page)
    tried = 0
    for line_no, text in _spaced_variants(page):
        got = _baseline(text)
        tried += 1
        assert len(got) == len(original), line_no
        assert [a.title for a in got] == [a.title for a in original], line_no
        assert [a.byline for a in got] == [a.byline for a in original], line_no
    assert tried > 50


def test_quoted_term_with_extraction_spaces_is_not_a_byline():
    # The second page's line 327 reads "…提质。“小升规”培育"; a tool printed it spaced.
    line = "于优化产业结构，促进经济稳进提质。“小升规”培育"
    assert SECOND.count(line) == 1
    for spaced in (
        "于优化产业结构，促进经济稳进提质。“ 小升规” 培育",
        "于优化产业结构，促进经济稳进提质。“小升规” 培育",
    ):
        got = _baseline(SECOND.replace(line, spaced))
        original = _baseline(SECOND)
        assert len(got) == len(original)
        assert [a.byline for a in got] == [a.byline for a in original]


@pytest.mark.parametrize(
    "text,joined",
    [
        (
            (
                "科学导报讯 近日，某开发区项目建设稳步推进，各项指标保持增长。 开发区将继续\n"
                "加大招商引资力度，推动项目早日投产达效。 王波\n"
            ),
            "开发区将继续加大招商引资力度",
        ),
        (
            (
                "科学导报讯 近日，某开发区精准发力强服务助力企业“ 小升规” 培育入\n"
                "库工作取得实效，全年新增规上企业十二家。 王波\n"
            ),
            "培育入库工作取得实效",
        ),
        (
            (
                "科学导报讯 近日，某开发区精准发力强服务，助力企业成长。 培育入\n"
                "库工作取得实效，全年新增规上企业十二家。 王波\n"
            ),
            "培育入库工作取得实效",
        ),
    ],
)
def test_ordinary_text_after_a_space_stays_in_the_paragraph(text, joined):
    [article] = _baseline(text)
    assert article.byline == "王波"
    assert joined in _body(article)


# --- weak evidence is said, with file and line --------------------------------------------


def test_a_byline_taken_on_weak_evidence_is_noted():
    # A name after a finished sentence, then ordinary body text: read as a byline
    # (a new article starts), and the page says so.
    text = (
        "科学导报讯 近日，开发区项目建设稳步推进，各项指标保持增长。\n"
        "全年目标任务顺利完成，企业生产经营持续向好。 王波\n"
        "近日，另一个开发区召开项目推进会，研究部署下一步工作。\n"
        "会议要求各部门加强协作，确保项目按期投产。 李红\n"
    )
    page = extract_page(text, "seeds/p.txt", "p")
    assert [a.byline for a in page.articles] == ["王波", "李红"]
    assert any(line == 2 and "王波" in what for line, what in page.notes)


def test_a_byline_that_is_no_common_name_before_a_dateline_is_read_and_noted():
    text = (
        "科学导报讯 近日，开发区项目建设稳步推进，各项指标保持增长。 栗岚\n"
        "科学导报讯 近日，另一个开发区召开项目推进会，研究部署下一步工作。 王波\n"
    )
    page = extract_page(text, "p.txt", "p")
    assert [a.byline for a in page.articles] == ["栗岚", "王波"]
    assert any(line == 1 and "栗岚" in what for line, what in page.notes)


def test_a_headline_between_two_articles_that_nothing_places_is_noted_and_one_the_page_places_is_not():
    # Under one signed article, over another's dateline, sharing no words with either:
    # it may close the first or open the second. Either way the page says so.
    between = (
        "科学导报讯 安宁开发区的隔膜项目今年投产，一年可以生产十二亿平方米隔膜。 王波\n"
        "秋季招聘会举行\n"
        "科学导报讯 河津开发区十个项目集中开工，总投资五十亿元，涵盖新材料。 李红\n"
    )
    page = extract_page(between, "p.txt", "p")
    assert len(page.articles) == 2 and "秋季招聘会举行" in [a.title for a in page.articles]
    noted = [(line, what) for line, what in page.notes if "秋季招聘会举行" in what]
    assert len(noted) == 1 and noted[0][0] == 2, page.notes
    # The same page with a headline at its top: headlines open their articles here.
    placed = extract_page("隔膜项目投产\n" + between, "p.txt", "p")
    assert [a.title for a in placed.articles] == ["隔膜项目投产", "秋季招聘会举行"]
    assert not [what for _, what in placed.notes if "秋季招聘会举行" in what], placed.notes


def test_a_second_byline_after_one_a_tool_ran_into_the_headline_is_never_merged_in_silence():
    # pdftotext prints a byline set beside a headline's last line as part of it (鼓谢英桂).
    # The next article, in wider columns, has no headline and signs at its end: the
    # two are read as one article, and the page says so where the second byline is.
    text = (
        "交阳经济开发区\n\n一个个项目是\n催人奋进的战\n鼓谢英桂\n\n"
        "交阳经济开发区：湖大特塑\n聚砜系列产品建设项目一期预计\n于2025年6月投产，年产值可超\n"
        "10亿元。一个个项目是催人奋\n进的战鼓，一排排厂房是动能转\n换的引擎。项目签约、项目开\n"
        "工、项目投产……处处彰显着高\n质量发展的“速度”和“热\n度”。\n"
        "泰隆经济开发区：但由于锂电池隔膜科技含量高，制造过程\n涉及多个学科，几年前国内的生产工艺、产品性能、产业链完整\n"
        "度都很低，隔膜等关键材料长期被外资垄断。持续浇灌电商发展\n沃土，扶持电商产业茁壮成长。\n"
        "何静涛\n"
    )
    page = extract_page(text, "p.txt", "p")
    merged = [a for a in page.articles if a.byline and "谢英桂" in a.byline and "何静涛" in a.byline]
    if merged:  # read as one article: said, at the second byline's line
        assert [(line, "何静涛" in what) for line, what in page.notes if "byline" in what] == [(20, True)], page.notes
    else:
        assert len(page.articles) == 2


# An article whose byline is printed under its headline, or in its dateline's brackets
# on the line after the dateline, then an article with no headline in wider columns
# that signs at its end (pdftotext's text of generated pages s44 and s144).
NARROW_BODY = (
    "隆瑞经济技术开发区：\n但由于锂电池隔膜科技含量\n高，制造过程涉及多个学\n"
    "科，几年前国内的生产工\n艺、产品性能、产业链完整\n度都很低，隔膜等关键材料\n"
    "长期被外资垄断。仲夏时\n节，蒲坂大地万物勃发，处\n处涌动着蓬勃向上的活力。\n"
    "在蓝科途近千米长的无尘车\n间里，一卷卷厚度只有5微\n米的锂电池隔膜陆续走下生\n"
    "产线。电商产业激发新质效\n顺势而为，乘势而上，聚势\n而强。\n"
)
WIDE_SIGNED = (
    "昌祥经济开发区：锂电池产业发展，隔膜等高端材料无法\n"
    "回避。要积极开展以商招商，带动更多产业链上下游企业落户\n"
    "永济，持续做大做强产业集群。厚积薄发招大引强壮实力开发\n"
    "区是投资兴业、产业集聚的高地。微孔就是隔膜的魔力所在\n"
    "在。因为要满足管状网状结构，要求原材料不能有杂质，否则\n"
    "会让血液透析膜结构破裂。供水供电等要素保障方面，唐槐电\n"
    "子与装备制造园区服务中心的工作人员多次主动入企服务，给\n"
    "我们提供了极大支持。\n"
    "郑华\n"
)


@pytest.mark.parametrize(
    "opening",
    [
        "但由于锂电\n池隔膜科技\n含量高\n———走进隆瑞\n经济技术开发区\n\n林超敏\n",
        "但由于锂电池隔膜\n科技含量高\n\n新华社太原1月2日电\n（林超敏） ",
        "但由于锂电\n池隔膜科技\n含量高林超敏\n\n",
    ],
    ids=["name under the headline", "dateline brackets on the next line", "name run into the headline"],
)
def test_an_article_signed_at_its_start_then_an_unheaded_one_signed_at_its_end_are_two(opening):
    page = extract_page(opening + NARROW_BODY + WIDE_SIGNED, "p.txt", "p")
    assert [a.byline for a in page.articles] == ["林超敏", "郑华"], page.articles
    assert page.articles[0].title == "但由于锂电池隔膜科技含量高"
    assert page.articles[1].blocks[0].text.startswith("昌祥经济开发区：锂电池")
    cut = opening.count("\n") + NARROW_BODY.count("\n") + 1
    assert [line for line, what in page.notes if "column width changes" in what] == [cut], page.notes


def test_a_name_under_a_headline_set_under_its_body_opens_no_article_below_it():
    # Headlines under their bodies: the name under the headline signs the body above,
    # so the article below, which signs at its end, is one article, however its
    # columns change -- said, not cut.
    page_text = (
        "奶瓶等产品以聚砜\n为原材料\n冯斌\n"
        + NARROW_BODY
        + "\n发展新机遇\n\n"
        + NARROW_BODY.replace("隆瑞经济技术开发区：\n", "")
        + "赵斌华\n"
    )
    page = extract_page(page_text, "p.txt", "p")
    assert len(page.articles) == 1, [a.title for a in page.articles]
    assert any("赵斌华" in what for _, what in page.notes), page.notes


def test_the_seed_pages_need_no_notes():
    assert extract_page(FIRST, "a", "a").notes == []
    assert extract_page(SECOND, "b", "b").notes == []


# --- generated pages ------------------------------------------------------------------


def _generated_page(seed: int, n: int, forms, where: str):
    """A page of n articles, each signed with a printed byline form: where is "end"
    (after the last sentence, on its line or after a space) or "lead" (on its own
    line under the headline, which then has a subtitle). Returns the page text and
    (true article with its byline in normal form, names) per article."""
    rng = random.Random(seed)
    headline_after = where == "end" and rng.random() < 0.5
    inline = rng.random() < 0.5
    truths, lines = [], []
    for k in range(n):
        printed, normal, names = forms[(seed + k) % len(forms)]
        article = make_article(rng, where == "lead" or rng.random() < 0.8, False, rng.random() < 0.6)
        if where == "end":
            article.byline = printed
            lines.extend(typeset_article(article, rng, headline_after, inline))
        else:
            article.subtitle = article.subtitle or "走进" + article.blocks[0][1].split("：")[0]
            typeset = typeset_article(article, rng, False, inline)
            heads = next(i for i, line in enumerate(typeset) if line.startswith("———")) + 1
            lines.extend(typeset[:heads] + [printed] + typeset[heads:])
        article.byline = normal
        truths.append((article, normal, names))
    return "\n\n".join(lines) + "\n", truths


@pytest.mark.parametrize("printed,normal,names", FORMS, ids=FORM_IDS)
def test_generated_pages_keep_their_articles_with_every_form(printed, normal, names):
    forms = [(printed, normal, names)]
    for n in range(2, 9):
        for seed in range(3):
            text, truths = _generated_page(seed * 10 + n, n, forms, "end")
            got = extract_page(text, "g.txt", "g").articles
            assert len(got) == n, (n, seed, [a.title for a in got])
            for article, (truth, want, want_names) in zip(got, truths):
                if truth.title:
                    assert (article.title, article.title_derived) == (truth.title, False)
                assert article.byline == want
                assert article.dateline == truth.dateline
                assert _body(article) == "".join(t for _, t in truth.blocks)
                for name in want_names:
                    assert name not in _body(article)


def test_generated_pages_mixing_forms():
    for seed in range(40):
        n = 2 + seed % 7
        text, truths = _generated_page(seed, n, FORMS, "end")
        got = extract_page(text, "g.txt", "g").articles
        assert len(got) == n, seed
        assert [a.byline for a in got] == [t[1] for t in truths]


@pytest.mark.parametrize("printed,normal,names", ROLE_FORMS, ids=[f[0] for f in ROLE_FORMS])
def test_generated_pages_with_the_byline_under_the_headline(printed, normal, names):
    for n in (2, 4, 8):
        text, truths = _generated_page(n, n, [(printed, normal, names)], "lead")
        got = extract_page(text, "g.txt", "g").articles
        assert len(got) == n, [a.title for a in got]
        for article, (truth, want, _) in zip(got, truths):
            assert article.title == truth.title
            assert article.byline == want
            assert _body(article) == "".join(t for _, t in truth.blocks)


@pytest.mark.parametrize(
    "inside,normal",
    [
        ("（记者 王波）", "记者 王波"),
        ("（记者 王波 通讯员 李红）", "记者 王波 通讯员 李红"),
        ("(通讯员 李红 记者 王波)", "通讯员 李红 记者 王波"),
    ],
)
def test_generated_pages_with_the_byline_inside_the_dateline(inside, normal):
    for n in range(2, 9):
        rng = random.Random(n)
        lines, truths = [], []
        for _ in range(n):
            article = make_article(rng, rng.random() < 0.8, False, True)
            agency = rng.choice(DATELINES)
            article.dateline = agency + inside  # as printed
            lines.extend(typeset_article(article, rng, n % 2 == 0, True))
            truths.append((article, agency))
        got = extract_page("\n".join(lines) + "\n", "g.txt", "g").articles
        assert len(got) == n
        for article, (truth, agency) in zip(got, truths):
            assert article.dateline == agency
            assert article.byline == normal
            assert _body(article) == "".join(t for _, t in truth.blocks)


def test_a_role_and_name_inside_a_running_sentence_is_no_leading_byline():
    # Line 3 could be a one-line headline over a byline -- or a sentence running on
    # ("…据 / 本报记者王波 / 了解，…"): it fills the column and no subtitle or
    # dateline says "headline", so the page keeps one article and says why.
    text = (
        "科学导报讯 近日，开发区项目建设稳步\n"
        "推进，各项指标保持增长态势良好。\n"
        "各部门加强协作推动项目建设据\n"
        "本报记者王波\n"
        "了解，全年目标任务顺利完成，企\n"
        "业生产经营持续向好，各项指标均\n"
        "保持增长。 李红\n"
    )
    page = extract_page(text, "p.txt", "p")
    [article] = page.articles
    assert article.byline == "李红"
    assert "推动项目建设据本报记者王波了解" in _body(article)
    assert any(line == 4 and "本报记者 王波" in what for line, what in page.notes)


def test_a_byline_under_a_plain_headline_opens_its_article():
    text = (
        "科学导报讯 近日，开发区项目建设稳步\n"
        "推进，各项指标保持增长，全年目\n"
        "标任务顺利完成。 李红\n"
        "项目建设提速\n"
        "本报记者 王波\n"
        "近日，另一个开发区召开项目推进\n"
        "会，研究部署下一步重点工作。\n"
    )
    page = extract_page(text, "p.txt", "p")
    assert [a.byline for a in page.articles] == ["李红", "本报记者 王波"]
    # The headline shares words with both bodies; the byline under it says whose it is.
    assert page.articles[0].title_derived is True
    assert (page.articles[1].title, page.articles[1].title_derived) == ("项目建设提速", False)
    assert "王波" not in _body(page.articles[1])
