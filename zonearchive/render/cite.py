"""How an article is cited: the GB/T 7714-2015 reference Chinese researchers use for a
newspaper (作者. 题名[N]. 报纸名, 出版日期(版次).), the citation_* meta tags reference
managers read (Zotero and others; static/cite.js makes the page's RIS record from
them). Nothing is made up: an unknown author is left out, an unknown date is not given."""

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
