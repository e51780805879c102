"""Which body each headline run belongs to: the one whose words it shares, with the
page's layout habit (headlines above or below bodies) as evidence."""

from __future__ import annotations

import re

from ..i18n import _
from .byline import parse_byline
from .lines import Line
from .markers import (
    DATELINE,
)
from .repair import CJK

_CJK_RUN = re.compile(f"[{CJK}]+")


def _bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            grams.add(run)
    return grams


def _overlap(head: list[Line], body_text: str) -> float:
    grams = _bigrams(" ".join(line.text for line in head))
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in body_text) / len(grams)


def _signed(head: list[Line]) -> bool:
    """Does the headline block end with a byline (read as one, or a name on a line of
    its own under the title)?"""
    if head[-1].leads or head[0].leads:
        return True
    name = parse_byline(head[-1].text) if len(head) > 1 else None
    return name is not None and name.name_like


HABIT = 0.15  # what breaking the page's layout habit costs a headline (overlap is 0..1)
WEAK = 0.1  # the two habits' totals closer than this: a headline they place differently is noted


def assign_headlines(items, note=None) -> list[tuple[list[Line] | None, list[Line]]]:
    """Give each headline block to its left or right body, at most one per body,
    maximising how much of the headline each chosen body uses. ``note(line, what)``
    hears of each headline the evidence does not clearly place."""
    bodies = [lines for kind, lines in items if kind == "B"]
    heads = []  # (lines, left body index or None, right body index or None)
    b = -1
    for kind, lines in items:
        if kind == "B":
            b += 1
        else:
            heads.append((lines, b if b >= 0 else None, b + 1 if b + 1 < len(bodies) else None))
    # The page's edges are the plainest evidence of the paper's habit.
    edge = sum(1 for _, left, right in heads if right is None and left is not None) - sum(
        1 for _, left, right in heads if left is None and right is not None
    )
    prior = 0.3 if edge > 0 else -0.3 if edge < 0 else 0.0
    body_texts = ["".join(line.text for line in body) for body in bodies]

    def score(head, body_index, side):
        if body_index is None:
            return None
        body = bodies[body_index]
        s = _overlap(head, body_texts[body_index]) + (prior if side == "L" else -prior)
        # Weak local habit, for ties: a headline follows its byline (after-layout) or
        # precedes its dateline (before-layout).
        if side == "L" and body and body[-1].byline and not body[-1].leads:
            s += 0.05
        if side == "R" and body and DATELINE.match(body[0].text):
            s += 0.05
        if side == "R" and body and body[0].leads:
            s += 0.5  # a byline printed right under the headline: plain evidence
        if side == "L" and _signed(head) and body and body[-1].byline and not body[-1].leads:
            s -= 1.0  # the headline carries a byline and the body above is signed already: one article has one
        return s

    # Each head's score on either side, worked out once for both habits.
    scores = [(score(lines, left, "L"), score(lines, right, "R")) for lines, left, right in heads]

    def assign(habit: str):
        """DP over heads in order (state: did the last head take its right body); a
        head that breaks the page's habit pays a little: a page keeps one layout."""
        best: dict[bool, tuple[float, list]] = {False: (0.0, [])}
        for (_lines, left, right), (left_score, right_score) in zip(heads, scores):
            nxt: dict[bool, tuple[float, list]] = {}
            for took_right, (total, choice) in best.items():
                for side, body_index, s in (("L", left, left_score), ("R", right, right_score)):
                    if s is None:
                        continue
                    if side == "L" and took_right and choice and choice[-1] == ("R", left):
                        s -= 10  # that body has the previous head already: a last resort
                    if side != habit:
                        s -= HABIT
                    state = side == "R"
                    candidate = (total + s, choice + [(side, body_index)])
                    if state not in nxt or candidate[0] > nxt[state][0]:
                        nxt[state] = candidate
                if left is None and right is None:
                    nxt[took_right] = (total, choice + [("N", None)])
            best = nxt
        return max(best.values(), key=lambda c: c[0])

    plans = sorted((assign("L"), assign("R")), key=lambda c: -c[0]) if heads else [(0.0, []), (0.0, [])]
    (total, choices), (other_total, other) = plans
    if note is not None and total - other_total < WEAK:
        # The other habit nearly as good: a headline the two read differently could
        # close the article above it as well as open the one below.
        for (lines, _left, _right), (side, _b), (other_side, _o) in zip(heads, choices, other):
            if side != other_side and {side, other_side} == {"L", "R"}:
                note(
                    lines[0].no,
                    _(
                        "headline '{title}' given to the article {where}: it could as well "
                        "belong to the one {other} (the page has no clear habit of headlines "
                        "above or below their articles)"
                    ).format(
                        title=" ".join(line.text for line in lines)[:40],
                        where=_("above it") if side == "L" else _("below it"),
                        other=_("below it") if side == "L" else _("above it"),
                    ),
                )

    owned: dict[int, list[Line]] = {}
    orphans = []
    for (lines, _left, _right), (_side, body_index) in zip(heads, choices):
        if body_index is None or body_index in owned:
            orphans.append(lines)
        else:
            owned[body_index] = lines
    pairs = [(owned.get(i), body) for i, body in enumerate(bodies)]
    # A headline with no body of its own still is an article: nothing is dropped.
    for lines in orphans:
        pairs.append((lines, []))
    if not bodies and not orphans and heads:
        pairs = [(heads[0][0], [])]
    return pairs


# --- one article -------------------------------------------------------------------
