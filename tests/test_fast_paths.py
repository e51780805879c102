"""The reading phase's fast paths give exactly what their plain definitions give:
the same lines, repairs, column widths, token counts (in the same order) and names."""

from __future__ import annotations

import re
import statistics

from hypothesis import example, given
from hypothesis import strategies as st

from zonearchive.ingest.layout import SENTENCE_END, column_widths, ends_sentence, width
from zonearchive.ingest.markers import _NOT_HEADLINE, SUBTITLE, is_headline_like
from zonearchive.ingest.page import _read_each_line, read_lines
from zonearchive.ingest.repair import join_lines, tidy_spaces
from zonearchive.ingest.toolspace import split_form_feeds
from zonearchive.render.related import _COMPANY, _company_matches

# What a page can hold that a step of reading looks for: spaces of every kind, the
# Founder glyphs (益 毅 伊 ...), ASCII punctuation, letter-spaced runs, markers.
PIECES = [
    *"锂电池隔膜开发区，。“”（）",
    " ", "  ", "\u3000", "\t", "\u2003", "\u00a0", "\n", "\n\n", "\r\n", "\f",
    "150益", "360毅", "3伊4", "5 益m", ",", ";", "(", ")", "科 学 导 报 讯 ", "“ 小升规” ",
    "TPU", "19 亿元", "（上接 A1 版）", "周明飞",
]  # fmt: skip
HOSTILE = ["\x0b", "\x85", "\u202e", "\x00", "⽇", "⻅", "\uf900", "𠀋", "\ufffe"]


@given(st.lists(st.sampled_from(PIECES), max_size=60), st.lists(st.sampled_from(HOSTILE), max_size=2))
@example(["锂", ",", "电", "\n", "(", "隔"], [])  # punctuation to repair, and no glyph
def test_a_page_read_by_its_cues_gives_what_reading_every_line_gives(pieces, hostile):
    for text in ("".join(pieces), "".join(pieces + hostile)):
        fast: list = []
        slow: list = []
        lines = read_lines(text, fast)
        assert lines == _read_each_line(split_form_feeds(text.replace("\r\n", "\n").replace("\r", "\n")), slow)
        assert fast == slow


@given(st.lists(st.sampled_from([0.5, 1.0, 3.0, 12.5, 13.0, 13.5, 14.0, 14.5, 20.0]), max_size=90), st.integers(0, 6))
def test_column_width_is_the_median_of_the_upper_half_of_each_window(widths, radius):
    expected = []
    for i in range(len(widths)):
        window = sorted(widths[max(0, i - radius) : i + radius + 1])
        expected.append(statistics.median(window[len(window) // 2 :]))
    assert column_widths(widths, radius) == expected


@given(st.text(alphabet=st.sampled_from("。！？!?…”’」』）) \t\n\u3000a中"), max_size=8))
def test_a_sentence_ends_where_the_pattern_says(text):
    assert ends_sentence(text) == bool(SENTENCE_END.search(text.rstrip()))


@given(st.text(alphabet=st.sampled_from("—－-，。 a1中文科技发展新闻标题"), max_size=70))
def test_a_headline_like_line_is_short_and_unpunctuated(text):
    bare = SUBTITLE.sub("", text)
    assert is_headline_like(text) == (bool(bare) and not _NOT_HEADLINE.search(bare) and width(bare) <= 32)


@given(st.lists(st.text(alphabet=st.sampled_from("ab1 中，\t\u00a0\u3000"), max_size=6), max_size=6))
def test_joined_lines_keep_one_space_between_latin_words_only(lines):
    out = ""
    for piece in map(str.strip, lines):
        if out and piece and out[-1].isascii() and out[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            out += " "
        out += piece
    assert join_lines(lines) == tidy_spaces(out)
    text = "".join(lines)
    assert tidy_spaces(text) == tidy_spaces(re.sub(r"[ \t\u00a0]+", " ", text))


@given(
    st.lists(
        st.sampled_from([*"股份有限责任公司集团山西蓝科途新材料，a ", "有限公司", "集团", "股份有限公司"]), max_size=40
    )
)
def test_company_names_are_found_as_the_pattern_finds_them(pieces):
    text = "".join(pieces)
    spans = [(m.span(), m.group(1)) for m in _COMPANY.finditer(text)]
    assert [(m.span(), m.group(1)) for m in _company_matches(text)] == spans
