"""How an article is cited: the GB/T 7714-2015 reference Chinese researchers use for a
newspaper (作者. 题名[N]. 报纸名, 出版日期(版次).), the citation_* meta tags reference
managers read (Zotero and others), and a RIS record. Nothing is made up: an unknown
author is left out, an unknown date is not given."""

from __future__ import annotations

import re

from ..model.article import Article

# Words a byline carries that are roles, not names.
_ROLES = {"佚名", "本报记者", "记者", "通讯员", "本报通讯员", "特约记者", "实习生", "本报"}


def authors(article: Article) -> list[str]:
    """The names in a byline (王波 李明 / 王波、李明), roles left out."""
    names = [part for part in re.split(r"[\s、，,/]+", article.byline or "") if part]
    return [name for name in names if name not in _ROLES]


def paper_name(publisher: str, title: str) -> str:
    return publisher or title


def gbt7714(article: Article, paper: str) -> str:
    """周明飞. 向新求质 小隔膜做成大产业[N]. 科学导报, 2024-07-02(B2)."""
    names = authors(article)
    who = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    where = paper
    if article.date:
        where += f", {article.date}"
        if article.page:
            where += f"({article.page})"
    return (f"{who}. " if who else "") + f"{article.title}[N]. {where}."


def meta_tags(article: Article, paper: str, language: str) -> list[tuple[str, str]]:
    """(name, content) of the citation_* meta tags (Google Scholar's names, which
    Zotero and other reference managers read)."""
    tags = [("citation_title", article.title)]
    tags += [("citation_author", name) for name in authors(article)]
    if article.date:
        tags.append(("citation_publication_date", article.date.replace("-", "/")))
    tags.append(("citation_journal_title", paper))
    if article.page:
        tags.append(("citation_firstpage", article.page))
    tags.append(("citation_language", language))
    return tags


def ris(article: Article, paper: str, url: str, language: str) -> str:
    """A RIS record (TY NEWS), CRLF line ends as the format asks."""
    lines = [("TY", "NEWS")]
    lines += [("AU", name) for name in authors(article)]
    lines.append(("TI", article.title))
    lines.append(("T2", paper))
    if article.date:
        lines.append(("PY", article.date[:4]))
        lines.append(("DA", article.date.replace("-", "/") + "/"))
    if article.page:
        lines.append(("SP", article.page))
    lines += [("LA", language), ("UR", url), ("ER", "")]
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def _one_line(value: str) -> str:
    return " ".join(value.split())
