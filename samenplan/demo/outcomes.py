"""What the synthetic region adds for the monitor: municipality codes, and satisfaction
answers after evaluation moments and at closure."""

from __future__ import annotations

import datetime as dt
import functools

from samenplan.demo.households import Household, survey_answers
from samenplan.demo.region import at, insert_rows
from samenplan.monitoring.models import SurveyAnswer, SurveyGroup, SurveyResponse
from samenplan.monitoring.surveys import surveys
from samenplan.municipalities import municipalities

#: how often each group answers when a survey is offered
ANSWER_RATE = {SurveyGroup.FAMILY: 0.45, SurveyGroup.NETWORK: 0.3, SurveyGroup.PROFESSIONAL: 0.6}


@functools.cache
def _codes() -> dict[str, str]:
    return {m.name: m.code for m in municipalities().values()}


def municipality_code(name: str) -> str:
    return _codes()[name]


def write_surveys(homes: list[Household], plans: list[int], today: dt.date) -> dict[str, int]:
    """Responses of the family, the network and the coordinator after each evaluation moment
    but the first (the occasion is the moment, as the app offers it) and at closure."""
    version = surveys().version
    rows, answer_sets = [], []
    for h, plan in zip(homes, plans, strict=True):
        occasions = [(f"evaluation-synth-{i}", day) for i, day in enumerate(h.moments[1:], 1)]
        if h.closed_on is not None:
            occasions.append(("closure", h.closed_on))
        people = [
            (SurveyGroup.FAMILY, h.client_id),
            (SurveyGroup.NETWORK, h.network_id),
            (SurveyGroup.PROFESSIONAL, h.coordinator),
        ]
        for occasion, day in occasions:
            for group, user in people:
                if user is None or h.rng.random() >= ANSWER_RATE[group]:
                    continue
                when = at(min(today, day + dt.timedelta(days=h.rng.randint(0, 6))), 19)
                rows.append(
                    {
                        "plan_id": plan,
                        "user_id": user,
                        "group": group,
                        "occasion": occasion,
                        "survey_version": version,
                        "remark": "",
                        "created_at": when,
                        "updated_at": when,
                    }
                )
                answer_sets.append(survey_answers(h, group.value, h.rng))
    ids = insert_rows(SurveyResponse, rows, ids=True)
    answers = [
        {"response_id": rid, "question_id": q, "value": v}
        for rid, given in zip(ids, answer_sets, strict=True)
        for q, v in given.items()
    ]
    insert_rows(SurveyAnswer, answers)
    return {"survey responses": len(ids)}
