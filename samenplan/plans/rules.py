"""Pure rules about people in a plan: ages, who decides for a youth, who may see what.

No database, no request: plain values in, answers out (DESIGN.md §2, "Youths and parents").
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

#: ages at which rights change
AGE_OWN_SAY = 12  # from 12 the youth is a client too and decides about the network
AGE_DECIDES = 16  # from 16 the youth decides; parents see their part only with consent
AGE_ADULT = 18


class Stage(enum.StrEnum):
    CHILD = "child"  # under 12: the parents decide
    YOUTH = "youth"  # 12–15: youth and parents are both clients
    DECIDES = "decides"  # 16–17: the youth decides
    ADULT = "adult"


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Age in whole years; a birthday counts from its first day (29 February: 1 March)."""
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def stage_on(date_of_birth: dt.date | None, today: dt.date) -> Stage:
    if date_of_birth is None:
        return Stage.ADULT
    age = age_on(date_of_birth, today)
    if age < AGE_OWN_SAY:
        return Stage.CHILD
    if age < AGE_DECIDES:
        return Stage.YOUTH
    if age < AGE_ADULT:
        return Stage.DECIDES
    return Stage.ADULT


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about a household member."""

    id: int
    is_child: bool
    date_of_birth: dt.date | None
    user_id: int | None
    parents_consent: bool
    network_consent_by_id: int | None


def network_consent_holder_ids(
    person: PersonFacts, parent_user_ids: frozenset[int], today: dt.date
) -> frozenset[int]:
    """Who may agree to share items about ``person`` with the network, today."""
    if not person.is_child:
        return frozenset()
    stage = stage_on(person.date_of_birth, today)
    if stage == Stage.ADULT:
        return frozenset()
    if stage == Stage.CHILD:
        return parent_user_ids
    return frozenset({person.user_id}) if person.user_id is not None else frozenset()


def network_may_see_person(
    person: PersonFacts, parent_user_ids: frozenset[int], today: dt.date
) -> bool:
    """Items about a minor reach the network only with consent from whoever has the say
    today; consent a parent gave ends on the child's 12th birthday."""
    if not person.is_child or stage_on(person.date_of_birth, today) == Stage.ADULT:
        return True
    return person.network_consent_by_id in network_consent_holder_ids(
        person, parent_user_ids, today
    )


def hidden_from_parent(person: PersonFacts, viewer_user_id: int, today: dt.date) -> bool:
    """From 16 a youth's part of the plan is hidden from other clients (the parents) unless
    the youth consents."""
    return (
        person.is_child
        and person.user_id != viewer_user_id
        and stage_on(person.date_of_birth, today) == Stage.DECIDES
        and not person.parents_consent
    )


def youth_may_take_part(person: PersonFacts, today: dt.date) -> bool:
    """Under 12 the parents decide; a child's own login does not open the plan yet."""
    return not person.is_child or stage_on(person.date_of_birth, today) != Stage.CHILD
