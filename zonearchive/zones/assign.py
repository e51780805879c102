"""Development zones: find them by the shape of their names, normalise short and
full names to one zone, and give every article one primary zone.

A zone name is a place (or place + descriptor) followed by a suffix such as
经济技术开发区 or 高新区. Where the place starts is decided by evidence from the
whole archive: the prefixes that occur right after punctuation or a function word,
the gazetteer's names, and aliases the articles declare (以下简称…).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..errors import ZoneArchiveError
from ..i18n import _
from ..model.article import Article, blocks_digest
from ..sources.gazetteer import GazetteerZone
from ..urls import OTHER_ZONE_SLUG
from .mentions import (
    ALIAS,
    CITY,
    FAMILY_SLUG,
    SUFFIXES,
    Mention,
    alias_texts,
    article_mentions,
    article_texts,
    family_of,
    find_mentions,
)

OTHER_ZONE = "其他"


@dataclass
class Zone:
    name: str
    slug: str
    key: tuple[str, str]
    names: set[str] = field(default_factory=set)
    city: str | None = None
    description: str | None = None
    articles: list[Article] = field(default_factory=list)
    # What lists show of ``articles``: a page that shows the count alone does not depend
    # on (and is not rendered again for) every article of the zone.
    count: int = 0


class ZoneIndex:
    """What the archive knows about zone names: built from all articles at once."""

    def __init__(self, articles: list[Article], gazetteer: list[GazetteerZone]):
        self.gazetteer = gazetteer
        self.prefix_votes: Counter[str] = Counter()
        self.aliases: dict[str, str] = {}  # declared short name -> full name text
        self.by_key: dict[tuple[str, str], GazetteerZone] = {}
        self.canonical: dict[tuple[str, str], tuple[str, str]] = {}  # alias key -> entry key
        self.city_prefix: dict[str, str] = {}
        for entry in gazetteer:
            main = None
            for name in [entry.name, *entry.aliases]:
                for m in find_mentions(name):
                    if m.prefix and m.text == name:
                        key = (m.prefix, family_of(m.suffix))
                        main = main or key
                        self.by_key[key] = entry
                        self.canonical[key] = main
                        self.prefix_votes[m.prefix] += 100
            if entry.city:
                for city in re.split("[市县区]", entry.city):
                    if len(city) >= 2:
                        self.city_prefix.setdefault(city, entry.name)
        self._prefix: dict[Mention, str | None] = {}
        self._resolved: dict[Mention, tuple[str, str] | None] = {}
        self._ordered: dict[str, list[str]] = {}  # family -> its full forms' prefixes, sorted (_longer)
        # Each distinct mention once, with how often the articles make it (counted in C).
        mentions = Counter(m for a in articles for _, m in article_mentions(a))
        for m, times in mentions.items():
            # A short form after a function word (和优化经开区) is no evidence of a place.
            full = SUFFIXES[m.suffix][1]
            if len(m.prefix) >= 2 and (m.by_punctuation or (full and m.bounded)):
                self.prefix_votes[m.prefix] += times
        self.full_keys: dict[str, set[str]] = defaultdict(set)  # family -> prefixes of full forms
        for m in mentions:
            prefix = self.prefix_of(m)
            if prefix and SUFFIXES[m.suffix][1]:
                self.full_keys[family_of(m.suffix)].add(prefix)
        for prefix, family in self.by_key:
            self.full_keys[family].add(prefix)
        # Names the articles declare: 云冈经济技术开发区（以下简称“云冈经开区”）.
        for text in (t for a in articles for t in alias_texts(a)):
            for alias in ALIAS.finditer(text):
                fulls = [
                    m for m in find_mentions(text[max(0, alias.start() - 30) : alias.start()]) if len(m.prefix) >= 2
                ]
                if fulls and fulls[-1].text != alias.group(1):
                    self.aliases[alias.group(1)] = fulls[-1].text

    def prefix_of(self, m: Mention) -> str | None:
        """Where the place name starts: the best-attested tail of the walked-back text."""
        if m not in self._prefix:
            self._prefix[m] = self._prefix_of(m)
        return self._prefix[m]

    def _prefix_of(self, m: Mention) -> str | None:
        tails = [m.prefix[k:] for k in range(len(m.prefix) - 1)]
        voted = [(self.prefix_votes[t], len(t), t) for t in tails if self.prefix_votes[t] > 0]
        if voted:
            return max(voted)[2]
        if SUFFIXES[m.suffix][1] and len(m.prefix) >= 2:
            return m.prefix if len(m.prefix) <= 4 else m.prefix[-2:]
        return None  # a short form (经开区, 开发区) needs an attested place

    def resolve(self, m: Mention) -> tuple[str, str] | None:
        """Mention -> zone key (prefix, family), or None for a generic mention."""
        if m not in self._resolved:
            self._resolved[m] = self._resolve(m)
        return self._resolved[m]

    def _resolve(self, m: Mention) -> tuple[str, str] | None:
        declared = self.aliases.get(m.text)
        if declared:
            full = find_mentions(declared)[-1]
            return self.resolve(full) if full.text != m.text else None
        prefix = self.prefix_of(m)
        if not prefix:
            return None
        family = family_of(m.suffix)
        if family == "开发区" or (family == "示范" and (prefix, "示范") not in self.by_key):
            # 永济开发区, 神池示范区: the zone of that place in whichever family it has.
            for fam in ("经开", "高新", "示范", "综改", "农高", "园区"):
                longer = self._longer(fam, prefix)
                if prefix in self.full_keys.get(fam, ()) or len(longer) == 1:
                    key = (prefix if prefix in self.full_keys.get(fam, ()) else longer[0], fam)
                    return self.canonical.get(key, key)
            if family == "开发区":
                return None
        key = (prefix, family)
        if key not in self.by_key and prefix not in self.full_keys.get(family, ()):
            longer = self._longer(family, prefix)
            if len(longer) == 1:
                key = (longer[0], family)
        return self.canonical.get(key, key)

    def _longer(self, family: str, prefix: str) -> list[str]:
        """The prefixes of the family's full forms that start with ``prefix``, in order:
        a range of the sorted prefixes (scanning them all for each mention grew with
        the square of the zone-like names an archive has)."""
        ordered = self._ordered.get(family)
        if ordered is None:
            ordered = self._ordered[family] = sorted(self.full_keys.get(family, ()))
        start = end = bisect_left(ordered, prefix)
        while end < len(ordered) and ordered[end].startswith(prefix):
            end += 1
        return ordered[start:end]

    def override(self, name: str) -> tuple[str, str] | None:
        """The zone an editor names in front matter: the same zone as its detected
        forms when the name has a zone's shape, else a zone of that exact name."""
        name = name.strip()
        if not name or name == OTHER_ZONE:
            return None
        found = [m for m in find_mentions(name) if m.text == name]
        key = self.resolve(found[-1]) if found else None
        return key or (name, "named")

    def zone_for_city(self, article: Article) -> tuple[str, str] | None:
        """An article naming only its city and "开发区": that city's zone."""
        text = " ".join(article_texts(article))
        if "开发区" not in text and "园区" not in text:
            return None
        for match in CITY.finditer(text):
            city = match.group(1)
            for tail in (city, city[-2:]):
                if tail in self.city_prefix:
                    entry = self.city_prefix[tail]
                    return self.resolve(find_mentions(entry)[-1])
                for fam, prefixes in self.full_keys.items():
                    if tail in prefixes:
                        return self.canonical.get((tail, fam), (tail, fam))
        return None


class ZoneMemo:
    """What the live preview keeps of zone assignment between builds: the index, while
    the archive's evidence (every mention, every declared name, the gazetteer) is the
    same, and each article's verdict under it."""

    def __init__(self):
        self.evidence = None
        self.index: ZoneIndex | None = None
        self.verdicts: dict = {}
        self.slugs: dict[str, str] = {}  # see assign_zones


def _verdict(index: ZoneIndex, article: Article):
    """(primary zone key, other zone keys in order, (zone key, form seen) pairs)."""
    scores: Counter = Counter()
    first: dict = {}
    forms = []
    order = 0
    for weight, m in article_mentions(article):
        key = index.resolve(m)
        if key is None:
            continue
        scores[key] += weight
        first.setdefault(key, order)
        order += 1
        forms.append((key, (index.prefix_of(m) or "") + m.suffix))
    if article.zone_override and article.zone_override.strip():
        best = index.override(article.zone_override)  # an editor's zone = … wins (an empty one is no choice)
    elif scores:
        best = max(scores, key=lambda k: (scores[k], -first[k]))
    else:
        best = index.zone_for_city(article)
    if best is not None and article.zone_override:
        forms.append((best, article.zone_override))
    return best, sorted((k for k in scores if k != best), key=lambda k: first[k]), forms


def _still_valid(memo: ZoneMemo, evidence: tuple, index: ZoneIndex) -> dict:
    """The memo's verdicts that the new ``index`` would give again (an edit to one
    article's zone names, in the live preview, moves a vote or two). A verdict reads
    the index through its mentions' prefixes and zones; with the same gazetteer,
    declared names and full forms, a zone changes only with its mention's prefix,
    which can change only when the prefix ends in one whose votes moved. The city
    rule, an editor's zone and declared names read more: their verdicts are made
    again."""
    old = memo.index
    if old is None or memo.evidence is None or memo.evidence[0] != evidence[0] or memo.evidence[2] != evidence[2]:
        return {}
    if old.aliases != index.aliases or dict(old.full_keys) != dict(index.full_keys):
        return {}
    votes, new_votes = old.prefix_votes, index.prefix_votes
    moved = tuple(p for p in votes.keys() | new_votes.keys() if votes[p] != new_votes[p])
    aliases = index.aliases
    differs: dict[Mention, bool] = {}

    def moves(m: Mention) -> bool:
        if m not in differs:
            differs[m] = True  # until known (a declared name is resolved through another)
            own = bool(moved) and m.prefix.endswith(moved) and old.prefix_of(m) != index.prefix_of(m)
            declared = aliases.get(m.text)
            if declared and not own:  # resolved as the full name it was declared for (ZoneIndex._resolve)
                full = find_mentions(declared)[-1]
                own = full.text != m.text and moves(full)
            differs[m] = own
        return differs[m]

    # Each distinct (weight, mention) asked once; then a verdict is kept when none of
    # its mentions moves (set operations in C: 10,000 verdicts hold ~100,000 mentions).
    asked = set().union(*(ask[0] for ask in memo.verdicts))
    moving = {pair for pair in asked if moves(pair[1])}
    return {
        ask: verdict
        for ask, verdict in memo.verdicts.items()
        if not ask[1] and verdict[2] and moving.isdisjoint(ask[0])
    }


def assign_zones(
    articles: list[Article],
    gazetteer: list[GazetteerZone],
    memo: ZoneMemo | None = None,
    slugs: dict[str, str] | None = None,
) -> list[Zone]:
    """Set each article's zone and mentions; return the zones, "其他" last. ``slugs``:
    the URL slugs made for zones the gazetteer gives none, by prefix and family, added
    to as new ones are made (the build keeps them: pinyin takes 0.6 s to load)."""
    slugs = slugs if slugs is not None else (memo.slugs if memo is not None else {})
    evidence = (tuple(gazetteer), tuple(map(article_mentions, articles)), tuple(map(alias_texts, articles)))
    if memo is not None and memo.evidence == evidence and memo.index is not None:
        index, verdicts = memo.index, memo.verdicts
    else:
        index = ZoneIndex(articles, gazetteer)
        verdicts = _still_valid(memo, evidence, index) if memo is not None else {}
    seen_forms: dict[tuple[str, str], Counter] = defaultdict(Counter)
    primary: dict[str, tuple[str, str] | None] = {}
    mention_keys: dict[str, list[tuple[str, str]]] = {}
    kept = {}
    for article in articles:
        # Everything a verdict reads from the article (the city rule reads its texts).
        ask = (
            article_mentions(article),
            article.zone_override,
            article.kicker,
            article.subtitle,
            None if article.title_derived else article.title,
            blocks_digest(article),
        )
        verdict = verdicts.get(ask) or _verdict(index, article)
        kept[ask] = verdict
        primary[article.id], mention_keys[article.id] = verdict[0], verdict[1]
        for key, form in verdict[2]:
            seen_forms[key][form] += 1
    if memo is not None:
        memo.evidence, memo.index, memo.verdicts = evidence, index, kept
    zones: dict[tuple[str, str], Zone] = {}
    for key in sorted({k for k in primary.values() if k} | {k for ks in mention_keys.values() for k in ks}):
        zones[key] = _make_zone(key, index, seen_forms[key], slugs)
    _check_slugs(zones.values())
    other = Zone(OTHER_ZONE, OTHER_ZONE_SLUG, ("", ""))
    for article in articles:
        key = primary[article.id]
        zone = zones[key] if key else other
        article.zone = None if key is None else zone.name
        article.mentions = [zones[k].name for k in mention_keys[article.id]]
        zone.articles.append(article)
        if (
            article.title_derived
            and article.source_kind == "raw"
            and key
            and not any(n in article.title for n in zone.names)
        ):
            prefixed = f"{zone.name}：{article.title}"
            if len(prefixed) <= 30:
                article.title = prefixed
    result = sorted((z for z in zones.values() if z.articles), key=lambda z: (-len(z.articles), z.slug))
    for zone in [*result, other]:
        zone.count = len(zone.articles)
    return result + ([other] if other.articles else [])


def _make_zone(key, index: ZoneIndex, forms: Counter, slugs: dict[str, str]) -> Zone:
    prefix, family = key
    entry = index.by_key.get(key)
    if entry:
        return Zone(
            entry.name,
            entry.slug or _slug(prefix, family, slugs),
            key,
            {entry.name, *entry.aliases, *forms},
            entry.city,
            entry.description,
        )
    full = [f for f in forms if any(f.endswith(s) and SUFFIXES[s][1] for s in SUFFIXES)]
    name = max(full or forms or [prefix + family], key=lambda f: (forms[f] > 0, len(f), f))
    return Zone(name, _slug(prefix, family, slugs), key, set(forms) | {name})


def _slug(prefix: str, family: str, slugs: dict[str, str]) -> str:
    known = slugs.get(f"{prefix}\t{family}")
    if known is not None:
        return known
    from pypinyin import lazy_pinyin  # 0.6 s to load: only for a zone no slug is known for

    syllables = "".join(lazy_pinyin(prefix, errors="ignore"))
    syllables = re.sub(r"[^a-z0-9]", "", syllables.lower()) or "zone"
    slug = slugs[f"{prefix}\t{family}"] = f"{syllables}-{FAMILY_SLUG[family]}"
    return slug


def _check_slugs(zones) -> None:
    taken: dict[str, Zone] = {}
    for zone in zones:
        if zone.slug in taken or zone.slug == OTHER_ZONE_SLUG:
            other = taken.get(zone.slug)
            raise ZoneArchiveError(
                "seeds/zones.toml",
                _("zones {one} and {other} both get the URL slug {slug!r}; give one a slug in the gazetteer").format(
                    one=other.name if other else OTHER_ZONE, other=zone.name, slug=zone.slug
                ),
            )
        taken[zone.slug] = zone
