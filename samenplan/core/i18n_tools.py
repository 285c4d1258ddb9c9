"""Catalogue upkeep: ``python -m samenplan.core.i18n_tools fill-english FILE``.

Our message ids are English. The English catalogue still holds every text, so English copy
can be improved in the .po file without touching code; this fills new entries with the id.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def fill_english(path: str) -> int:
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string or ()):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True)
    return filled


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "fill-english":
        raise SystemExit("usage: python -m samenplan.core.i18n_tools fill-english FILE.po")
    print(f"filled {fill_english(sys.argv[2])} English entries")
