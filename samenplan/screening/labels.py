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
