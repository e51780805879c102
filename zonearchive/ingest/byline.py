"""Bylines as papers print them, read into one normal form.

Forms read (alone on a line, at the end of the last line, or inside the dateline's
brackets): a name of 2-4 Chinese characters or a dotted transliterated name
(``阿依古丽·买买提``; the dot may be U+00B7, U+30FB, U+2022, U+2027 or U+FF0E), a role
word before it (``记者``, ``本报记者``, ``特约记者``, ``通讯员``, ``实习生``, ``文/图``,
``图/文``, ``文/``, ...) or after it (``摄``, ``/摄``, ``报道``), several people
(``通讯员 李红 记者 王波``, ``王波 李红``, ``王波、李红``), the whole in brackets
(``（记者 王波）``, half-width too), or ``佚名``.

The normal form -- what the ``byline`` field holds and a page shows -- is the
people in printed order, tokens separated by one space, brackets dropped:

* a role word before a name stands before it: ``记者 王波 通讯员 李红``,
  ``文/图 周明飞``; a role ending in a slash sticks to the name: ``文/周明飞``;
* a role word after a name follows it: ``周明飞 摄``;
* a bare name is just the name: ``周明飞``; several: ``王波 李红``; ``佚名`` as is;
* a dotted name keeps its dot, written as U+00B7 (the Chinese 间隔号).

Only the spacing, the brackets and the dot's code point change: every Chinese
character of the printed byline is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markers import SUBTITLE
from .repair import CJK

_C = f"[{CJK}]"
DOTS = "\u00b7\u30fb\u2022\u2027\uff0e"

# Longest first: 本报记者 before 记者.
ROLES_BEFORE = sorted(
    [
        "本报特约记者",
        "本报记者",
        "特约记者",
        "见习记者",
        "实习记者",
        "摄影记者",
        "首席记者",
        "记者",
        "本报通讯员",
        "特约通讯员",
        "通讯员",
        "实习生",
        "摄影",
        "撰文",
        "文/图",
        "图/文",
        "文/",
        "图/",
        "摄/",
    ],
    key=len,
    reverse=True,
)
ROLES_AFTER = ["/摄", "摄", "报道", "整理"]

# Compound surnames: a four-character name starting with one reads as a name.
COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "闻人",
    "轩辕",
    "呼延",
    "申屠",
    "太史",
    "澹台",
}
# The commonest Chinese surnames (about 85% of people).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝进"
)
# Characters of running text that a given name almost never holds.
_FUNCTION = set("的了是在着过们这那个说将把被就都也而并或其之与及等为对从向于所以让使已还再又很更最")

_ROLE_BEFORE_RE = "|".join(re.escape(r) for r in ROLES_BEFORE)
_ROLE_AFTER_RE = "|".join(re.escape(r) for r in ROLES_AFTER)
_DOTTED = rf"{_C}{{1,8}}(?:[{DOTS}]{_C}{{1,8}}){{1,3}}"
_TOKEN = re.compile(
    rf"^(?P<before>{_ROLE_BEFORE_RE})?(?P<name>佚名|{_DOTTED}|{_C}{{2,4}})?(?P<after>{_ROLE_AFTER_RE})?$"
)
_OPEN, _CLOSE = "（(", "）)"
# What a byline can be made of at all: a quick no for the lines of running text.
_SHAPE = re.compile(rf"^\s*[（(]?[{CJK}{DOTS}/／ 、\u3000]{{2,40}}[）)]?\s*$")


_SLASH_SPACES = re.compile(r" *(/) *")
_SEPARATORS = re.compile(r"[ 、]+")
_ANY_DOT = re.compile(f"[{DOTS}]")


@dataclass(frozen=True)
class Byline:
    text: str  # the normal form (see the module docstring)
    names: tuple[str, ...]
    roles: bool  # a role word was printed
    bracketed: bool
    dotted: bool

    @property
    def strong(self) -> bool:
        """Its form alone says byline: a role word, or a dotted name."""
        return self.roles or self.dotted

    @property
    def name_like(self) -> bool:
        """Every name reads as a Chinese person's name (or is 佚名 / dotted)."""
        return all(_name_like(n) for n in self.names)


def _name_like(name: str) -> bool:
    if name == "佚名" or any(d in name for d in DOTS):
        return True
    if any(c in _FUNCTION for c in name[1:]):
        return False
    if len(name) == 4:
        return name[:2] in COMPOUND_SURNAMES
    return name[0] in SURNAMES


def parse_byline(text: str) -> Byline | None:
    """The byline ``text`` reads as, or None when it is not one."""
    if not _SHAPE.match(text):
        return None
    text = text.strip().replace("\u3000", " ").replace("／", "/")
    bracketed = False
    if len(text) >= 2 and text[0] in _OPEN and text[-1] in _CLOSE:
        text, bracketed = text[1:-1].strip(), True
    if not text or len(text) > 40:
        return None
    text = _SLASH_SPACES.sub("/", text) if "/" in text else text
    tokens = [t for t in _SEPARATORS.split(text) if t]
    out: list[str] = []
    names: list[str] = []
    roles = dotted = False
    pending_role = False  # a role word waiting for its name
    for token in tokens:
        m = _TOKEN.match(token)
        if not m or not m.group(0):
            return None
        before, name, after = m.group("before"), m.group("name"), m.group("after")
        if name and (name in ROLES_BEFORE or name in ROLES_AFTER):
            return None
        if before:
            if pending_role and not name:
                return None
            roles = True
            if name:
                out.append(before + name if before.endswith("/") else f"{before} {name}")
            else:
                out.append(before)
                pending_role = True
        elif name:
            out.append(name)
        if name:
            pending_role = False
            names.append(name)
            dotted |= any(d in name for d in DOTS)
        if after:
            if not names or pending_role:
                return None  # 摄 with no one before it
            roles = True
            out.append(after.lstrip("/") if after != "/摄" else "摄")
    if not names or pending_role or len(names) > 4:
        return None
    normal = " ".join(out)
    for d in DOTS[1:]:
        normal = normal.replace(d, DOTS[0])
    names = [_ANY_DOT.sub(DOTS[0], n) for n in names] if dotted else names
    return Byline(normal, tuple(names), roles, bracketed, dotted)


_ROLE_AT = re.compile("(?:" + "|".join(re.escape(r) for r in ROLES_BEFORE) + r") ?[^ ]{2,4}$")


def glued_byline(lines: list[str], body_text: str) -> tuple[int, Byline] | None:
    """(how many characters end the headline's last lines as a byline, the byline)
    when a tool ran the byline into them: a role word and a name (``在授权赋能事项的
    基础上记者 何杰``), or a name right after words the body uses that the whole
    title is not (``突破技术壁垒徐霞``; titles are the body's words, a name is not)."""
    text = "".join(lines)
    if SUBTITLE.match(lines[-1]) or len(text) < 6:
        return None
    role = _ROLE_AT.search(text)
    if role and role.start() >= 2:
        byline = parse_byline(role.group(0))
        if byline and byline.roles:
            return len(role.group(0)), byline
    if text in body_text:
        return None
    for size in (2, 3):  # the shorter name first: its title is the longer run of body words
        name = parse_byline(text[-size:])
        if name and name.name_like and not name.roles and len(text) - size >= 4 and text[:-size] in body_text:
            return size, name
    return None
