"""The personal calendar feed (RFC 5545): the agenda items of all plans a user takes part in,
as that user may see them, for a phone calendar to subscribe to by a secret link.

The link is the only key (calendar apps cannot log in), so it is long and random, only its
hash is stored, and it stops at once when it is replaced or stopped, when the user is
deactivated, and, per plan, when the user is removed from the plan. The feed carries what
a calendar needs (title, time, place, a link) and never the notes: those stay behind login.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from icalendar import Calendar, Event, Timezone
from sqlalchemy import and_, false, or_, select, update

from samenplan.accounts.models import User
from samenplan.agenda.models import AgendaItem, AgendaKind, CalendarFeed
from samenplan.audit.services import AuditAction, record, record_plans_listed
from samenplan.clock import AMSTERDAM, start_of_local_day, utcnow
from samenplan.core.i18n import gettext as _
from samenplan.core.tokens import new_token, token_hash
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess, plan_access
from samenplan.plans.models import Participation, Person, Plan
from samenplan.policy import Role

#: the feed holds the last year and the next two years; a calendar app keeps what it had
PAST = dt.timedelta(days=366)
AHEAD = dt.timedelta(days=2 * 366)
#: an appointment without an end takes this long in a calendar
DEFAULT_LENGTH = dt.timedelta(hours=1)
#: how often the last use of a link is written down (every poll would be a write)
LAST_READ_EVERY = dt.timedelta(hours=1)
#: how often a calendar app should fetch again (RFC 7986 REFRESH-INTERVAL)
REFRESH = dt.timedelta(hours=1)
FEED_READERS_AUDITED = (Role.PROFESSIONAL, Role.TEAM_LEAD)


def live_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def _revoke_all(user: User) -> bool:
    result = db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def new_feed(user: User) -> str:
    """A new secret link for the user; an older one stops working. Returns the token,
    which is not kept: show it now."""
    _revoke_all(user)
    token = new_token()
    db.session.add(CalendarFeed(user_id=user.id, token_hash=token_hash(token)))
    db.session.flush()
    record(AuditAction.FEED_CREATED, actor=user, obj=user)
    return token


def stop_feed(user: User) -> None:
    if _revoke_all(user):
        record(AuditAction.FEED_STOPPED, actor=user, obj=user)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of an active user with this token, or None."""
    if len(token) > 100:
        return None
    return db.session.scalar(
        select(CalendarFeed)
        .join(User, User.id == CalendarFeed.user_id)
        .where(
            CalendarFeed.token_hash == token_hash(token),
            CalendarFeed.revoked_at.is_(None),
            User.active.is_(True),
        )
    )


def plan_accesses(user: User, today: dt.date) -> list[PlanAccess]:
    """The user's access to every plan they take part in now, in three queries."""
    rows = db.session.execute(
        select(Participation, Plan)
        .join(Plan, Plan.id == Participation.plan_id)
        .where(Participation.user_id == user.id, Participation.active)
        .order_by(Plan.id)
    ).all()
    persons: dict[int, list[Person]] = defaultdict(list)
    for person in db.session.scalars(
        select(Person)
        .where(Person.plan_id.in_([plan.id for _p, plan in rows] or [-1]))
        .order_by(Person.id)
    ):
        persons[person.plan_id].append(person)
    accesses = (
        plan_access(user, plan, part, persons[plan.id], team_lead_of_member=False, today=today)
        for part, plan in rows
    )
    return [a for a in accesses if a is not None]


def feed_items(accesses: list[PlanAccess], now: dt.datetime) -> list[AgendaItem]:
    """What each access may see of its plan's agenda within the feed's window, in one query."""
    if not accesses:
        return []
    visible = or_(
        false(),
        *(and_(AgendaItem.plan_id == a.plan.id, *a.sees_where(AgendaItem)) for a in accesses),
    )
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(visible, AgendaItem.starts_at >= now - PAST, AgendaItem.starts_at < now + AHEAD)
            .order_by(AgendaItem.starts_at, AgendaItem.id)
        )
    )


def read_feed(feed: CalendarFeed, *, host: str, base_url: str) -> bytes:
    """The feed's calendar now; staff's first read of a plan's agenda on a day is audited,
    like a list of their plans."""
    user = db.session.get(User, feed.user_id)
    assert user is not None
    now = utcnow()
    accesses = plan_accesses(user, now.astimezone(AMSTERDAM).date())
    items = feed_items(accesses, now)
    if user.role in FEED_READERS_AUDITED:
        since = start_of_local_day(now.astimezone(AMSTERDAM).date())
        record_plans_listed(user, {i.plan_id for i in items}, "calendar.feed", since=since)
    if feed.last_read_at is None or now - feed.last_read_at > LAST_READ_EVERY:
        with db.writing():  # a reading request: its one write in a short transaction
            db.session.execute(
                update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_read_at=now)
            )
    plans = {a.plan.id: a.plan for a in accesses}
    return calendar(items, plans, host=host, base_url=base_url, now=now)


def calendar(
    items: list[AgendaItem],
    plans: dict[int, Plan],
    *,
    host: str,
    base_url: str,
    now: dt.datetime,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samenplan//Agenda//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", "Samenplan")
    cal.add("x-wr-calname", "Samenplan")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    # always there, so that even an empty feed has the one component RFC 5545 asks for
    cal.add_component(
        Timezone.from_tzid(
            "Europe/Amsterdam",
            first_date=(now - PAST).astimezone(AMSTERDAM).date(),
            last_date=(now + AHEAD).date(),
        )
    )
    for item in items:
        cal.add_component(_event(item, plans[item.plan_id], host=host, base_url=base_url))
    return bytes(cal.to_ical())


def _event(item: AgendaItem, plan: Plan, *, host: str, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"agenda-{item.id}@{host}")
    event.add("dtstamp", item.updated_at)
    event.add("created", item.created_at)
    event.add("last-modified", item.updated_at)
    event.add("sequence", item.sequence)
    starts = item.starts_at.astimezone(AMSTERDAM)
    event.add("dtstart", starts)
    if item.ends_at is not None:
        event.add("dtend", item.ends_at.astimezone(AMSTERDAM))
    elif item.kind != AgendaKind.DEADLINE:
        event.add("dtend", starts + DEFAULT_LENGTH)
    title = item.title
    if item.kind == AgendaKind.EVALUATION:
        title = _("Evaluation: %(title)s", title=item.title)
    elif item.kind == AgendaKind.DEADLINE:
        title = _("Deadline: %(title)s", title=item.title)
    event.add("summary", title)
    if item.location:
        event.add("location", item.location)
    url = f"{base_url}/plans/{plan.public_id}/agenda?month={starts:%Y-%m}"
    event.add("url", url)
    event.add("description", _("Details in Samenplan: %(url)s", url=url))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    event.add("class", "PRIVATE")
    return event
