"""Krachtenwijzer bars as server-rendered SVG, so screen and PDF show the same picture.

A bar's length is the score (out of 5); its three segments are the own / network /
professional shares. Colour-blind safe colours (Okabe–Ito) plus patterns, so the segments
stay apart in grey print too; every bar carries a sentence for screen readers."""

from __future__ import annotations

import itertools

from flask_babel import format_decimal
from markupsafe import Markup, escape

from samenplan.core.i18n import gettext as _
from samenplan.screening.rules import Entry

WIDTH, HEIGHT = 300, 30
COLOURS = {"own": "#0072B2", "network": "#E69F00", "professional": "#CC79A7"}
TEXT_ON = {"own": "#ffffff", "network": "#000000", "professional": "#000000"}
_ids = itertools.count(1)


def share_names() -> dict[str, str]:
    return {
        "own": _("own strength"),
        "network": _("network"),
        "professional": _("professional help"),
    }


def sentence(label: str, entry: Entry | None) -> str:
    """The bar in words: "Financiën: 3 of 5; 40% own strength, 20% network, 40% professional"."""
    if entry is None or entry.blank:
        return str(_("%(domain)s: not filled in", domain=label))
    if entry.not_applicable:
        return str(_("%(domain)s: not applicable", domain=label))
    if entry.dont_know:
        return str(_("%(domain)s: does not know", domain=label))
    own, network, professional = entry.shares or (0, 0, 0)
    names = share_names()
    return str(
        _(
            "%(domain)s: %(score)d of 5; %(own)d%% %(own_name)s, %(network)d%% %(network_name)s, "
            "%(professional)d%% %(professional_name)s",
            domain=label,
            score=entry.score or 0,
            own=own,
            own_name=names["own"],
            network=network,
            network_name=names["network"],
            professional=professional,
            professional_name=names["professional"],
        )
    )


def _pattern(uid: str, part: str) -> str:
    if part == "network":
        return (
            f'<pattern id="{uid}-network" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="{COLOURS["network"]}"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="1.5" stroke-opacity="0.55"/></pattern>'
        )
    if part == "professional":
        return (
            f'<pattern id="{uid}-professional" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{COLOURS["professional"]}"/>'
            '<circle cx="3" cy="3" r="1.3" fill="#000000" fill-opacity="0.6"/></pattern>'
        )
    return ""  # own strength is a plain colour


def _defs(uid: str, parts: list[str]) -> str:
    """The patterns of the segments shown, and no others: the summary PDF holds dozens of bars
    and WeasyPrint pays for every SVG element. Each SVG keeps its own (WeasyPrint draws every
    inline SVG as a separate picture, so one shared set of patterns would not be found)."""
    patterns = "".join(_pattern(uid, part) for part in parts)
    return f"<defs>{patterns}</defs>" if patterns else ""


def _fill(uid: str, part: str) -> str:
    return COLOURS["own"] if part == "own" else f"url(#{uid}-{part})"


_TICKS = "".join(f"M{WIDTH * tick // 5} 0V{HEIGHT}" for tick in range(1, 5))  # one path


def bar(label: str, entry: Entry | None, *, average: float | None = None) -> Markup:
    """One domain as an SVG bar with a sentence for screen readers. With ``average`` (the
    monitor's mean score over households) the bar is that long and says it with a decimal;
    ``entry`` then holds the rounded figures for the sentence."""
    uid = f"bar{next(_ids)}"
    text = sentence(label, entry)
    score: float | None = entry.score if entry is not None else None
    if average is not None and score is not None:
        score = average
    shares = entry.shares if entry is not None else None
    segments: list[tuple[str, int, float]] = []  # part, share, width of each visible segment
    if score is not None and shares is not None:
        length = WIDTH * score / 5
        for part, share in zip(("own", "network", "professional"), shares, strict=True):
            if length * share > 0:
                segments.append((part, share, length * share / 100))
    parts = [
        f'<svg class="sp-bar" viewBox="0 0 {WIDTH + 50} {HEIGHT}" width="{WIDTH + 50}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(text)}" xmlns="http://www.w3.org/2000/svg">',
        _defs(uid, [part for part, _share, _width in segments]),
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="#ffffff" stroke="#6f777b"/>',
        f'<path d="{_TICKS}" stroke="#b1b4b6" stroke-dasharray="2 2"/>',
    ]
    if score is not None and shares is not None:
        x = 0.0
        for part, share, width in segments:
            parts.append(
                f'<rect x="{x:.1f}" y="3" width="{width:.1f}" height="{HEIGHT - 6}" fill="{_fill(uid, part)}" '
                'stroke="#ffffff" stroke-width="1"/>'
            )
            if width >= 34:
                parts.append(
                    f'<rect x="{x + width / 2 - 15:.1f}" y="8" width="30" height="14" rx="2" fill="#ffffff" '
                    'fill-opacity="0.85"/>'
                    f'<text x="{x + width / 2:.1f}" y="19" text-anchor="middle" font-size="11" '
                    f'font-weight="bold" fill="#0b0c0c">{share}%</text>'
                )
            x += width
        parts.append(
            f'<text x="{WIDTH + 6}" y="20" font-size="13" font-weight="bold" fill="#0b0c0c">'
            f"{_score_text(score, average is not None)}/5</text>"
        )
    else:
        empty = (
            _("not applicable")
            if entry is not None and entry.not_applicable
            else _("does not know")
            if entry is not None and entry.dont_know
            else _("not filled in")
        )
        parts.append(f'<text x="8" y="20" font-size="12" fill="#505a5f">{escape(empty)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # built here; texts escaped


def split_picture(shares: tuple[int, int, int]) -> Markup:
    """A small picture of a split for the family's choices: the three parts side by side in
    the bars' colours and patterns (the words beside it say the same)."""
    uid = f"split{next(_ids)}"
    parts = [
        p for p, share in zip(("own", "network", "professional"), shares, strict=True) if share
    ]
    rects, x = [], 0.0
    for part, share in zip(("own", "network", "professional"), shares, strict=True):
        if share:
            width = 64 * share / 100
            rects.append(
                f'<rect x="{x:.1f}" y="0.5" width="{width:.1f}" height="15" fill="{_fill(uid, part)}" '
                'stroke="#0b0c0c"/>'
            )
            x += width
    return Markup(  # noqa: S704  # nosec B704  # numbers only
        f'<svg class="sp-split" width="65" height="16" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">{_defs(uid, parts)}{"".join(rects)}</svg>'
    )


def _score_text(score: float, average: bool) -> str:
    if not average:
        return str(int(score))
    return str(format_decimal(score, format="0.0"))


def legend() -> Markup:
    """A legend whose swatches carry the same colours and patterns as the bars."""
    names = share_names()
    items = []
    for part in ("own", "network", "professional"):
        uid = f"legend{next(_ids)}"  # pattern ids per swatch: ids stay unique
        items.append(
            f'<li class="sp-legend__item"><svg width="28" height="16" aria-hidden="true" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg">{_defs(uid, [part])}'
            f'<rect x="0.5" y="0.5" width="27" height="15" fill="{_fill(uid, part)}" stroke="#0b0c0c"/></svg> '
            f"{escape(names[part])}</li>"
        )
    return Markup(f'<ul class="sp-legend">{"".join(items)}</ul>')  # noqa: S704  # nosec B704
