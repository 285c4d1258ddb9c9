"""One-time form tokens: a create form that is sent twice makes one thing.

A create form (``forms.OnceForm``) carries a random token in a hidden field, issued when
the page with the form is shown; showing a page stores nothing. The post that goes
through stores the token (``claim``) in the same transaction as what it makes, with
where it led (``done``). A second post with the same token (a double click, the
browser's "send again", the back button and send) makes nothing: ``claim`` sends it to
what the first post made, with a message.

Two posts at the same moment: the token's unique constraint holds the second ``claim``
until the first commits (PostgreSQL waits on the row; SQLite lets one writer in at a
time), then the second sees the first's row. When the first post is refused (a broken
rule undoes the request), its row goes with it and the token can be used again.

A post without a readable token (a page opened before this existed, a test) gets a new
token and goes through as before.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, url_for
from sqlalchemy import delete, select, update
from werkzeug.wrappers import Response

from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.models import FormToken
from samenplan.extensions import db

if TYPE_CHECKING:
    from samenplan.core.forms import OnceForm

#: the name of the hidden field (with the form's prefix, if it has one)
FIELD = "form_token"
#: tokens are kept this long; a form left open longer than this may be sent twice
KEEP_DAYS = 30

_READABLE = re.compile(r"[A-Za-z0-9_-]{22,64}")
REPEAT_MESSAGE = _l("You had already sent this. It is saved once: here it is.")


def new_token() -> str:
    """A random token for one rendering of a create form (128 bits)."""
    return secrets.token_urlsafe(16)


def readable(token: object) -> bool:
    return isinstance(token, str) and _READABLE.fullmatch(token) is not None


def claim(form: OnceForm) -> Response | None:
    """Take the form's token for this post: None when it is the first post with it (go on
    and make the thing; the claim is undone with the request when a rule refuses it), else
    a redirect to what the earlier post made."""
    token = form.token
    now = utcnow()
    inserted = db.session.scalar(  # the row's id, or None when it was there (rowcount is not
        db.insert(FormToken)  # reliable for ON CONFLICT with every driver)
        .values(token=token, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["token"])
        .returning(FormToken.id)
    )
    if inserted is not None:
        return None
    made = db.session.scalar(select(FormToken.made_url).where(FormToken.token == token))
    if made is None:  # the earlier post stored its claim but made nothing: make it now
        return None
    flash(str(REPEAT_MESSAGE), "info")
    return redirect(made, code=303)


def made(form: OnceForm, url: str) -> None:
    """Note where the post with the form's token led: a repeat is sent there."""
    db.session.execute(
        update(FormToken)
        .where(FormToken.token == form.token)
        .values(made_url=url[:2000], updated_at=utcnow())
    )


def done(form: OnceForm, message: object, endpoint: str, **values: Any) -> Response:
    """``core.web.done`` for a create form: note where it led, say so, go there (303)."""
    url = url_for(endpoint, **values)
    made(form, url)
    flash(str(message), "success")
    return redirect(url, code=303)


def forget_before(cutoff: dt.datetime) -> int:
    """Delete the tokens stored before ``cutoff``; how many there were."""
    result = db.session.execute(delete(FormToken).where(FormToken.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_old(now: dt.datetime) -> int:
    return forget_before(now - dt.timedelta(days=KEEP_DAYS))
