"""相关文章: articles that share the zone, companies and distinctive headline terms,
scored over the whole archive. Deterministic: the same archive gives the same lists.

An article's features are the companies its text names (…有限公司, …集团) and the
terms of its headlines (title, kicker, subtitle, section headings); a feature found in
many articles says little, so it weighs log(N / df), and one found in more than
MAX_POSTINGS articles is not followed at all (it would make the scoring quadratic).
Sharing the zone adds ZONE; the zone's nearest articles are always candidates, so a
small site shows related articles too."""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict

from ..model.article import HEADING, Article
from .tokenize import tokenize

COUNT = 4
ZONE = 1.5  # sharing a (real) zone
COMPANY = 2.0  # a shared company counts this much more than a term of equal rarity
MAX_POSTINGS = 40
ZONE_WINDOW = 6  # zone neighbours (either side) always considered
MIN_SCORE = 1.0
OTHER = "其他"

_SUFFIX = "股份有限公司|有限责任公司|有限公司|集团"
_LONGEST = 18  # characters of a name before its suffix
_COMPANY = re.compile(f"([\u4e00-\u9fff]{{2,{_LONGEST}}}?)(?:{_SUFFIX})")
_SUFFIX_AT = re.compile(_SUFFIX)
_LEAD = re.compile(
    "^(?:走进|来到|位于|调研|考察|参观|走访|深入|推动|支持|帮助|引进|落户|助力|服务|包括|其中|以及|与|和|及|同|由|在|对|为|是|让|把|被|向|从|据|将|等)+"
)
_PLACE = re.compile("^(?:山西省?|[\u4e00-\u9fff]{2}[市县])")
_GENERIC = re.compile("(?:科技|新材料|材料|能源|实业|发展|股份|控股|技术|制造|电子|化工|集团)+$")


class RelatedMemo:
    """What one call leaves the next (the live preview keeps one in memory; a `build`
    command keeps one in the cache): each article's features by what they are made
    of, and the last call's layout, features and lists, so that an edit rescores only
    the articles it can move."""

    def __init__(self):
        self.features: dict[tuple, tuple[str, ...]] = {}
        self.last: list = []  # [layout, article id -> features, article id -> related ids]


def companies(article: Article) -> set[str]:
    """The distinctive part of each company name the article's text names:
    走进山西蓝科途新材料科技有限公司 -> 蓝科途. Derived where the article is extracted
    (builder/facts.py) and cached with its page."""
    found = set()
    text = " ".join([article.title, *(b.text for b in article.blocks)])
    for match in _company_matches(text):
        name = _GENERIC.sub("", _PLACE.sub("", _LEAD.sub("", match.group(1))))
        if len(name) >= 2:
            found.add(name)
    return found


def _company_matches(text: str):
    """_COMPANY.finditer(text), the same matches found faster: a match ends in a
    suffix at most _LONGEST characters after its start, so the search for the next
    one starts just that far before the next suffix (the lazy name is tried from
    every position of the text otherwise)."""
    pos = 0
    while suffix := _SUFFIX_AT.search(text, pos + 2):
        match = _COMPANY.search(text, max(pos, suffix.start() - _LONGEST))
        if match is None:
            return
        yield match
        pos = match.end()


def features(article: Article, memo: RelatedMemo | None = None) -> tuple[str, ...]:
    """The article's features, sorted: "t:" headline terms, "c:" companies."""
    facts = article.facts
    made_of = _made_of(article)
    kept = memo.features.get(made_of) if memo and facts else None
    if kept is None:
        heads = [article.title, article.kicker or "", article.subtitle or ""]
        heads += [b.text for b in article.blocks if b.type == HEADING]
        terms = {"t:" + t for t in tokenize(" ".join(heads)) if len(t) > 1}
        named = facts.companies if facts and facts.companies is not None else companies(article)
        kept = tuple(sorted(terms | {"c:" + c for c in named}))
        if memo and facts:
            memo.features[made_of] = kept
    return kept


def _made_of(article: Article) -> tuple:
    """What an article's features are made of (its blocks by digest)."""
    return (article.title, article.kicker, article.subtitle, article.facts and article.facts.blocks_digest)


def related(
    articles: list[Article],
    zone_of: dict[str, str],
    zone_lists: dict[str, list[Article]],
    memo: RelatedMemo | None = None,
) -> dict:
    """Article id -> up to COUNT related articles, best first. ``zone_of``: id -> zone
    name; ``zone_lists``: zone name -> its articles in the zone's order. ``memo``: what
    the last call left (updated)."""
    memo = memo or RelatedMemo()
    feats = {a.id: features(a, memo) for a in articles}
    by_id = {a.id: a for a in articles}
    # What the scores read besides the features: the same as last build (an edit to
    # one article, in the live preview) rescores only the articles whose lists can
    # change: the edited ones, and those sharing a feature they had or have.
    layout = (
        tuple(by_id),
        tuple((name, tuple(a.id for a in members)) for name, members in zone_lists.items()),
        tuple(zone_of.items()),
    )
    last = memo.last
    only = None
    if last and last[0] == layout:
        only = _affected(last[1], feats)
    if only is not None and not only:
        ids = last[2]
    else:
        ids = _related(articles, feats, zone_of, zone_lists, only, last[2] if only is not None else None)
    memo.last = [layout, feats, ids]
    made_of = {_made_of(a) for a in articles}
    memo.features = {k: v for k, v in memo.features.items() if k in made_of}  # what the archive holds now
    return {a: [by_id[other] for other in lst] for a, lst in ids.items()}


def _affected(before: dict, feats: dict) -> set[str]:
    """The articles whose lists an edit from ``before`` to ``feats`` (same articles) can
    change: those whose features changed, and every holder of a feature they had or
    have that is followed (held by at most MAX_POSTINGS articles) before or after."""
    changed = [i for i, f in feats.items() if before[i] != f]
    if not changed:
        return set()
    touched: set[str] = set()
    for i in changed:
        touched.update(before[i], feats[i])
    holders: dict[str, list[str]] = {f: [] for f in touched}
    for i, fs in feats.items():
        for f in fs:
            if f in holders:
                holders[f].append(i)
    out = set(changed)
    for f, ids in holders.items():
        had = len(ids) - sum(f in feats[i] for i in changed) + sum(f in before[i] for i in changed)
        if min(len(ids), had) <= MAX_POSTINGS:  # followed before or after: its holders' scores move
            out.update(ids)
    return out


def _related(
    articles: list[Article],
    feats: dict,
    zone_of: dict[str, str],
    zone_lists: dict[str, list[Article]],
    only: set[str] | None = None,
    kept: dict | None = None,
) -> dict[str, list[str]]:
    """Article id -> related ids; with ``only``, the others' lists are ``kept``."""
    postings: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        for f in feats[a.id]:
            postings[f].append(a.id)
    total = len(articles)
    weight = {
        f: math.log(total / len(ids)) * (COMPANY if f.startswith("c:") else 1.0)
        for f, ids in postings.items()
        if 1 < len(ids) <= MAX_POSTINGS
    }
    place = {a.id: (name, at) for name, members in zone_lists.items() for at, a in enumerate(members)}
    out = {}
    for a in articles:
        if only is not None and kept is not None and a.id not in only:
            out[a.id] = kept[a.id]
            continue
        # The summing order is fixed (features sorted, postings in archive order): the
        # same archive gives the same floats, in a fresh build and an incremental one.
        scores: dict[str, float] = {}
        for f in feats[a.id]:
            w = weight.get(f)
            if w:
                for other in postings[f]:
                    scores[other] = scores.get(other, 0.0) + w
        name, at = place[a.id]
        near: dict[str, int] = {}
        if name != OTHER:
            members = zone_lists[name]
            for k in range(max(0, at - ZONE_WINDOW), min(len(members), at + ZONE_WINDOW + 1)):
                near[members[k].id] = abs(k - at)
                scores.setdefault(members[k].id, 0.0)
        scores.pop(a.id, None)
        ranked = []
        for other, score in scores.items():
            if name != OTHER and zone_of.get(other) == name:
                score += ZONE
            if score >= MIN_SCORE:
                ranked.append((-score, near.get(other, ZONE_WINDOW + 1), other))
        out[a.id] = [other for _, _, other in heapq.nsmallest(COUNT, ranked)]
    return out
