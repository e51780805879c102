"""Messages in the editor's language: Chinese when the locale is Chinese (LC_ALL,
else LC_MESSAGES, else LANG starts with ``zh``), English otherwise.

Every message is written in English and marked where it is made:
``_("the date {date} in the file name is not a real date").format(date=...)``.
The English text is the key into ``locale/zh_CN/LC_MESSAGES/zonearchive.po``;
a message missing there is shown in English. Templates kept in module-level tables
are marked with ``N_()`` and translated with ``_()`` where they are used.

The language is looked up at each message, not once at import: a test or a caller
may change the environment, and a message in a worker process follows its parent's.
This module is the foundation's: it imports nothing of the package."""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "zonearchive"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CHINESE = "zh_CN"


def language(environ=None) -> str:
    """``zh_CN`` or ``en``: the first of LC_ALL, LC_MESSAGES, LANG that is set decides
    (as the C library does), so LC_ALL=C overrides LANG=zh_CN.UTF-8."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return CHINESE if value.lower().startswith("zh") else "en"
    return "en"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    # fallback: a missing or unreadable catalogue leaves the messages in English.
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the editor's language."""
    return catalogue(language()).gettext(message)


def N_(message: str) -> str:
    """Marks a message kept in a table for translation; ``_()`` translates it where used."""
    return message
