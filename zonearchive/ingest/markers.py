"""The fixed furniture of a news article: datelines, bylines, continuation markers."""

from __future__ import annotations

import re

from .layout import width
from .repair import CJK

_C = f"[{CJK}]"
CONT_FROM = re.compile(r"[（(]\s*上接\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")
CONT_TO = re.compile(r"[（(]\s*下转\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")

# 科学导报讯 / 本报讯 / 本报太原1月2日讯 / 新华社太原1月2日电, optionally (记者 某某).
DATELINE = re.compile(
    rf"^((?:本报[^，。]{{0,16}}?讯|{_C}{{2,8}}?(?:报|网|台)讯|(?:新华社|中新社|中新网)[^，。]{{0,20}}?电)"
    r"(?:\s*[（(](?:本报)?(?:记者|通讯员)[^）)]{1,20}[）)])?)\s*"
)

NAME = rf"(?:(?:本报)?(?:记者|通讯员)\s*)?(?:佚名|{_C}{{2,3}})(?:[ \u3000](?:佚名|{_C}{{2,3}})){{0,3}}"
# "…。 周明飞": a byline after a space at the end of the body's last line.
INLINE_BYLINE = re.compile(rf"^(.*[。！？!?”’）…])[ \u3000]+({NAME})$")
STANDALONE_BYLINE = re.compile(rf"^({NAME})$")

SUBTITLE = re.compile(r"^[—－\-]{2,}\s*")
# A headline line has no sentence punctuation (、 is common in kickers: 市委副书记、市长).
_NOT_HEADLINE = re.compile(r"[，。；！？：,;!?:]")


def is_headline_like(text: str) -> bool:
    """A line that can belong to a headline block: short, without sentence punctuation."""
    bare = SUBTITLE.sub("", text)
    return bool(bare) and not _NOT_HEADLINE.search(bare) and width(bare) <= 32


def continuation(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return re.sub(r"\s+", "", match.group(1)).upper() if match else None


# The commonest Chinese surnames (about 85% of people): a 2-3 character line after
# a finished sentence that starts with one of these is read as a byline.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


def looks_like_name(text: str) -> bool:
    name = re.sub(r"^(?:本报)?(?:记者|通讯员)\s*", "", text).split()[0] if text.strip() else ""
    return name == "佚名" or (2 <= len(name) <= 3 and name[0] in _SURNAMES)
