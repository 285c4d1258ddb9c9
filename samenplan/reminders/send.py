"""Sending reminders: one mail per person with what is due by their choice per kind
(immediately, a daily digest in the morning, a weekly one on Monday, or off).

A mail says only how many things of which kind are new "in your plan", never a goal, a
name or a message: the content is behind login. Never twice: a person's reminders are
marked as sent and committed before the mail goes out; when the mail fails they are
unmarked again. A run that dies between the two loses that one mail, it never repeats it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from flask import Flask, current_app, render_template, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from samenplan.accounts.models import User
from samenplan.clock import AMSTERDAM
from samenplan.core.i18n import gettext as _
from samenplan.extensions import db
from samenplan.mail import send_mail
from samenplan.reminders.collect import collect
from samenplan.reminders.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Reminder,
    ReminderKind,
    ReminderSetting,
)

#: digests go out at the first run from this hour (Dutch time)
DIGEST_HOUR = 7
SALT = "reminder-settings"


def settings_of(user_id: int) -> dict[ReminderKind, Frequency]:
    chosen: dict[ReminderKind, Frequency] = {
        kind: frequency
        for kind, frequency in db.session.execute(
            select(ReminderSetting.kind, ReminderSetting.frequency).where(
                ReminderSetting.user_id == user_id
            )
        )
    }
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY) for kind in ReminderKind}


def _last_digest(user_id: int, kinds: set[ReminderKind]) -> dt.datetime | None:
    return db.session.scalar(
        select(Reminder.sent_at)
        .where(
            Reminder.user_id == user_id,
            Reminder.kind.in_(kinds or {ReminderKind.ACTIONS}),
            Reminder.skipped.is_(False),
            Reminder.sent_at.is_not(None),
        )
        .order_by(Reminder.sent_at.desc())
        .limit(1)
    )


def _due(frequency: Frequency, last: dt.datetime | None, now: dt.datetime) -> bool:
    """Is a mail of this frequency due now, the last one having gone out at ``last``?"""
    local = now.astimezone(AMSTERDAM)
    if frequency == Frequency.IMMEDIATE:
        return True
    if local.hour < DIGEST_HOUR:
        return False
    last_local = last.astimezone(AMSTERDAM) if last else None
    if frequency == Frequency.DAILY:
        return last_local is None or last_local.date() < local.date()
    if frequency == Frequency.WEEKLY:
        week = local.date() - dt.timedelta(days=local.weekday())
        return local.weekday() == 0 and (last_local is None or last_local.date() < week)
    return False


def _passed(reminder: Reminder, now: dt.datetime) -> bool:
    """An appointment or evaluation whose day has gone by is not worth a mail any more (a
    weekly digest would otherwise announce last week's "tomorrow")."""
    if reminder.kind not in (ReminderKind.APPOINTMENTS, ReminderKind.EVALUATIONS):
        return False
    day = reminder.subject.rsplit(":", 1)[-1]
    return day < now.astimezone(AMSTERDAM).date().isoformat()


def settings_token(user: User) -> str:
    return URLSafeSerializer(current_app.secret_key, salt=SALT).dumps(user.id)  # type: ignore[arg-type]


def user_of_token(token: str) -> User | None:
    try:
        user_id = URLSafeSerializer(current_app.secret_key, salt=SALT).loads(token)  # type: ignore[arg-type]
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def _mail(user: User, counts: Counter[ReminderKind]) -> None:
    with force_locale(user.locale or "nl"):
        body = render_template(
            "reminders/mail.txt",
            user=user,
            counts=counts,
            kinds=ReminderKind,
            plans_url=url_for("plans.index", _external=True),
            settings_url=url_for("reminders.one_click", token=settings_token(user), _external=True),
        )
        subject = _("Something new in your plan in Samenplan")
    send_mail(user.email, subject, body)


def send_due(now: dt.datetime) -> int:
    """Mail every person whose reminders are due now; returns the number of mails. Needs a
    request context for the links (``run`` makes one on PUBLIC_URL)."""
    waiting: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in db.session.scalars(
        select(Reminder).where(Reminder.sent_at.is_(None)).order_by(Reminder.id)
    ):
        waiting[reminder.user_id].append(reminder)
    mails = 0
    for user_id, reminders in waiting.items():
        user = db.session.get(User, user_id)
        chosen = settings_of(user_id)
        off = [r.id for r in reminders if chosen[r.kind] == Frequency.OFF or _passed(r, now)]
        if off or user is None or not user.active:
            ids = [r.id for r in reminders] if user is None or not user.active else off
            db.session.execute(
                update(Reminder).where(Reminder.id.in_(ids)).values(sent_at=now, skipped=True)
            )
            db.session.commit()
            if user is None or not user.active:
                continue
        by_frequency: dict[Frequency, list[Reminder]] = defaultdict(list)
        for r in reminders:
            if r.id not in off:
                by_frequency[chosen[r.kind]].append(r)
        ready: list[Reminder] = []
        for frequency, items in by_frequency.items():
            kinds = {k for k, f in chosen.items() if f == frequency}
            if _due(frequency, _last_digest(user_id, kinds), now):
                ready += items
        if not ready:
            continue
        ids = [r.id for r in ready]
        claimed = db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids), Reminder.sent_at.is_(None))
            .values(sent_at=now)
        )
        db.session.commit()
        if claimed.rowcount != len(ids):  # type: ignore[attr-defined]
            # another run took some of them at the same moment: mail only what is ours
            mine = set(
                db.session.scalars(
                    select(Reminder.id).where(Reminder.id.in_(ids), Reminder.sent_at == now)
                )
            )
            ready, ids = [r for r in ready if r.id in mine], [i for i in ids if i in mine]
        if not ready:
            continue
        try:
            _mail(user, Counter(r.kind for r in ready))
        except Exception:
            db.session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(sent_at=None))
            db.session.commit()
            current_app.logger.exception("reminder mail to user %s failed", user_id)
            continue
        mails += 1
    return mails


def run(app: Flask, now: dt.datetime) -> tuple[int, int]:
    """One round: find what is new, then mail what is due. (new reminders, mails sent)"""
    base_url = str(app.config["PUBLIC_URL"]).rstrip("/")
    if not base_url:
        raise RuntimeError("set PUBLIC_URL: the reminder mails link to it")
    with app.app_context(), app.test_request_context(base_url=base_url):
        found = collect(now)
        return found, send_due(now)
