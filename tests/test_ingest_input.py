"""Bad and unusual input: encodings, binary, empty, tiny and huge pages."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import REPO

from zonearchive.errors import DecodeError
from zonearchive.ingest.decode import decode_page
from zonearchive.ingest.page import extract_page
from zonearchive.ingest.repair import repair_line, tidy_spaces

PAGE = "科学导报讯 近日，平定经济技术开发区龙川化工园区内，项目有序推进。\n办公楼封顶，手续办理完毕。 王波\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected_not_guessed(encoding):
    text, used = decode_page(PAGE.encode(encoding), "page.txt")
    assert text == PAGE
    assert used == {"gbk": "gb18030"}.get(encoding, encoding)


def test_crlf_and_lf_pages_extract_the_same():
    lf = extract_page(PAGE, "a.txt", "a").articles
    crlf = extract_page(PAGE.replace("\n", "\r\n"), "a.txt", "a").articles
    assert [a.to_json() for a in lf] == [a.to_json() for a in crlf]


def test_binary_input_names_the_byte_offset():
    data = "正文".encode() + b"\x00\x01\x02binary"
    with pytest.raises(DecodeError) as info:
        decode_page(data, "seeds/bad.txt")
    assert info.value.offset == 6
    assert "seeds/bad.txt" in str(info.value) and "byte offset 6" in str(info.value)


def test_undecodable_text_names_the_first_bad_byte():
    data = "好".encode() + bytes([0xFF, 0xFE, 0xFD, 0x80]) * 5
    with pytest.raises(DecodeError) as info:
        decode_page(data, "x.txt")
    assert info.value.offset == 3


def test_empty_and_blank_pages_have_no_articles():
    assert extract_page("", "e.txt", "e").articles == []
    assert extract_page("\n\n  \r\n", "e.txt", "e").articles == []


def test_a_page_with_one_article_and_no_byline():
    text = "仲夏时节，万物并秀。在神池现代农业产业示范区内，一个个重点项目落地开工。\n项目签约、项目开工、项目投产处处彰显着高质量发展的速度。\n"
    articles = extract_page(text, "one.txt", "one").articles
    assert len(articles) == 1
    assert articles[0].byline is None and articles[0].title_derived
    assert "一个个重点项目落地开工" in articles[0].title


def test_repairs_happen_only_next_to_digits():
    log = []
    assert repair_line("可长期在 150益以上的温度", 3, log) == "可长期在 150℃以上的温度"
    assert repair_line("3伊4米", 4, log) == "3×4米"
    assert repair_line("经济效益显著，依法办事，社会主义", 5, log) == "经济效益显著，依法办事，社会主义"
    assert [(r.line, r.before, r.after) for r in log] == [(3, "益", "℃"), (4, "伊", "×")]


def test_one_spacing_rule():
    assert tidy_spaces("总投资 19 亿元，高端 TPU 薄膜") == "总投资19亿元，高端TPU薄膜"
    assert tidy_spaces("优选优引 优选优育") == "优选优引 优选优育"
    assert tidy_spaces("Hello World 项目") == "Hello World项目"


def test_a_5mb_page_extracts_in_bounded_time():
    paragraph = "开发区项目建设稳步推进，企业生产经营持续向好，各项指标保持增长。\n" * 3
    article = "科学导报讯 " + paragraph + "全年目标任务顺利完成。 王波\n"
    text = article * (5 * 1024 * 1024 // len(article.encode()))
    started = time.perf_counter()
    articles = extract_page(text, "big.txt", "big").articles
    elapsed = time.perf_counter() - started
    assert len(articles) == text.count("王波")
    assert elapsed < 120  # a bound on runaway behaviour, not a speed target (see benchmarks/)


def test_build_lists_a_failing_page_and_builds_the_others(project):
    root = project({"seeds/broken.txt": b"\x00\x01binary"}, seeds=True)
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "seeds/broken.txt" in run.stderr and "byte offset 0" in run.stderr
    assert (root / "site" / "articles" / "000_5b8fe1ee034655b8-01" / "index.html").exists()
