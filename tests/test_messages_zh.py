"""Messages in the editor's language: Chinese when the locale is Chinese (LC_ALL, else
LC_MESSAGES, else LANG starts with zh), English otherwise; and no message the code
makes can be left out of the Chinese catalogue."""

from __future__ import annotations

import ast
import gettext
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project

from zonearchive import i18n

PACKAGE = REPO / "zonearchive"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "zonearchive.po"
MO = PO.with_suffix(".mo")

PAGE = "科学导报讯 近日，平定经济技术开发区龙川化工园区内，项目有序推进。\n办公楼封顶，手续办理完毕。 王波\n"
# Line 3 opens a quote it never closes.
BROKEN_SIDECAR = '# 版面信息\ndate = 2024-07-01\npage = "A3\n'


def run(root, locale: str, *args, timeout=120):
    """build.py in a process whose locale is ``locale`` (LANG only: LC_ALL and
    LC_MESSAGES, which would win over it, removed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env["LANG"] = locale
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("messages") / "project",
        {
            "seeds/page.txt": PAGE,
            "seeds/page.toml": BROKEN_SIDECAR,
            "seeds/scan.docx": b"PK\x03\x04",
            "mine/notes.txt": "an editor's own notes",
        },
    )


# What each locale says; the Chinese is the catalogue's, the English the code's.
EXPECTED = {
    "zh_CN.UTF-8": {
        "toml": '错误：seeds/page.toml 第3行：引号没有闭合（请补上后面的 "）',
        "unused": "警告：seeds/scan.docx：未使用：.docx 文件不会被读取（构建只读取 .txt 和 .pdf 版面、.md 文章和 .toml 附属文件）",
        "failed": "1 个文件出错；其余的已正常构建",
        "summary": "从 1 个版面构建了",
        "refused": "错误：mine：不能用作输出文件夹：里面有不是 zonearchive 生成的文件（notes.txt），"
        "也没有 .zonearchive-output 标记；请换一个空的或新的文件夹；没有写入任何文件",
        "busy": "错误：端口 {port} 被别的程序占用（另一个预览？）；请用 --port {next} 换一个端口",
    },
    "C": {
        "toml": 'error: seeds/page.toml:3: a quoted value is not closed (add the closing ")',
        "unused": "warning: seeds/scan.docx: not used: a .docx file is not read "
        "(the build reads .txt and .pdf pages, .md articles and .toml sidecars)",
        "failed": "1 page(s) failed; the other pages were built",
        "summary": "built 1 articles in",
        "refused": "error: mine: refused as output folder: it holds files zonearchive did not make (notes.txt) "
        "and no .zonearchive-output marker; choose an empty or new folder; nothing was written",
        "busy": "error: port {port} is in use by another program (another preview?); choose another with --port {next}",
    },
}


@pytest.mark.parametrize("locale", list(EXPECTED))
def test_a_build_speaks_the_locale_naming_file_and_line(root, locale):
    said = EXPECTED[locale]
    result = run(root, locale, "build")
    assert result.returncode == 1  # the broken sidecar is an error; the page is built all the same
    errors, out = result.stderr.splitlines(), result.stdout.splitlines()
    assert said["toml"] in errors
    assert said["failed"] in errors
    assert said["unused"] in out
    assert any(line.startswith(said["summary"]) for line in out)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("locale", list(EXPECTED))
def test_an_output_folder_refusal_speaks_the_locale(root, locale):
    result = run(root, locale, "build", "--out", "mine")
    assert result.returncode == 1
    assert result.stderr.strip() == EXPECTED[locale]["refused"]
    assert (root / "mine" / "notes.txt").read_text() == "an editor's own notes"
    assert sorted(p.name for p in (root / "mine").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("locale", list(EXPECTED))
def test_a_busy_port_speaks_the_locale(root, locale):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(root, locale, "serve", "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == EXPECTED[locale]["busy"].format(port=port, next=port + 1)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "environ, language",
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),  # the only Chinese catalogue there is
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins, as in the C library
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.GB18030"}, "zh_CN"),  # empty is unset
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_comes_from_lc_all_lc_messages_lang(environ, language):
    assert i18n.language(environ) == language


# -- the catalogue: every message the code makes has its translation ------------------


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the header left out)."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    field = None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("msgid "):
            if msgid:
                entries[msgid] = msgstr or ""
            msgid, msgstr, field = ast.literal_eval(line[6:]), "", "msgid"
        elif line.startswith("msgstr "):
            msgstr, field = ast.literal_eval(line[7:]), "msgstr"
        elif line.startswith('"') and field == "msgid":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and field == "msgstr":
            msgstr = (msgstr or "") + ast.literal_eval(line)
    if msgid:
        entries[msgid] = msgstr or ""
    return entries


def marked_messages() -> dict[str, str]:
    """Every string the package marks with _() or N_(), and the file of one of them;
    a marked f-string or expression is a failure (its msgid could never match)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
                (arg,) = node.args
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, where)
                elif node.func.id == "N_" or isinstance(arg, ast.JoinedStr):
                    pytest.fail(f"{where}: mark a plain string literal, not {ast.unparse(arg)}")
    return found


def placeholders(message: str) -> list[str]:
    return sorted(re.findall(r"\{[A-Za-z_]\w*(?:![rsa])?(?::[^{}]*)?\}", message))


def test_every_marked_message_has_a_chinese_translation():
    catalogue = parse_po(PO.read_text(encoding="utf-8"))
    marked = marked_messages()
    assert len(marked) > 100  # the walk found the package's messages
    missing = [f"{where}: {message!r}" for message, where in marked.items() if not catalogue.get(message)]
    assert missing == [], "add these to zonearchive.po (and compile the .mo):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_and_drop_nothing():
    catalogue = parse_po(PO.read_text(encoding="utf-8"))
    for msgid, msgstr in catalogue.items():
        assert placeholders(msgstr) == placeholders(msgid), msgid
    unused = sorted(set(catalogue) - set(marked_messages()))
    assert unused == [], "messages the code no longer makes; remove them from zonearchive.po"


def test_the_compiled_catalogue_is_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalogue = parse_po(PO.read_text(encoding="utf-8"))
    stale = [msgid for msgid, msgstr in catalogue.items() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "the .mo is stale: run msgfmt (see the head of zonearchive.po)"


MESSAGE_ARGUMENT = {"ZoneArchiveError": 1, "SourceWarning": 1, "DecodeError": 1, "ScanProblem": 1, "PortBusy": 0}


def test_no_error_or_warning_is_made_from_an_unmarked_string():
    unmarked = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_ARGUMENT:
                index = MESSAGE_ARGUMENT[node.func.id]
                arg = node.args[index] if len(node.args) > index else None
                if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    unmarked.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert unmarked == [], "write the message as _('...').format(...)"
