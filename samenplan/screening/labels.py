"""Signals in words (GLOSSARY.md), with a one-line explanation each."""

from __future__ import annotations

from samenplan.core.i18n import lazy_gettext as _l
from samenplan.screening.rules import Signal

SIGNAL_LABELS = {
    Signal.HIDDEN_DEPENDENCY: (
        _l("watch out: relies on others"),
        _l("It looks fine, but it rests mostly on others. It can fall back if that support stops."),
    ),
    Signal.SCALE_DOWN: (
        _l("less help may be possible"),
        _l(
            "It goes as well or better with less professional help, or it goes well with a lot "
            "of it. Talk about scaling down."
        ),
    ),
    Signal.SCALE_UP: (
        _l("more help needed"),
        _l("It went down since the last check, or the situation is acute."),
    ),
}

#: "relies on others" and "less help may be possible" on one life area read as a
#: contradiction; together they get one explanation
BOTH_SIGNALS = (Signal.HIDDEN_DEPENDENCY, Signal.SCALE_DOWN)
BOTH_SIGNALS_LABEL = (
    _l("goes well with a lot of help"),
    _l(
        "It goes well, but mostly because others help. Less professional help can work, step "
        "by step, as the person or the network takes over. Talk about who can take over what."
    ),
)

#: the family's splits (rules.FAMILY_SPLITS) in words
SPLIT_LABELS = {
    "alone": _l("Without help from others"),
    "mostly_own": _l("Mostly without help; family or friends help now and then"),
    "together": _l("Together with family, friends or neighbours"),
    "mostly_network": _l("Mostly family, friends or neighbours"),
    "with_professional": _l("Together with a care worker"),
    "everyone": _l("Family or friends and a care worker all help"),
    "mostly_professional": _l("Mostly a care worker"),
}
