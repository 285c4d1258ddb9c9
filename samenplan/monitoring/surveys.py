"""The satisfaction surveys (``surveys.yaml``): who gets which questions, when a survey is
offered, and saving an answer. Offered, never forced: one response per participant per
occasion, at an evaluation moment or when the plan closes."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import yaml
from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.agenda import queries as agenda_queries
from samenplan.audit.services import AuditAction, record
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import ValidationFailed
from samenplan.extensions import db
from samenplan.monitoring.models import SurveyAnswer, SurveyGroup, SurveyResponse
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import PlanRole

#: how long after an evaluation moment its survey is offered
OFFER_AFTER_EVALUATION = dt.timedelta(days=42)
CLOSURE = "closure"
REMARK_MAX = 1000


@dataclass(frozen=True)
class Choice:
    value: int
    nl: str
    en: str

    def label(self, locale: str) -> str:
        return self.en if locale == "en" else self.nl


@dataclass(frozen=True)
class Question:
    id: str
    scale: str
    choices: tuple[Choice, ...]
    nl: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.nl

    @property
    def values(self) -> frozenset[int]:
        return frozenset(c.value for c in self.choices)


@dataclass(frozen=True)
class Surveys:
    version: str
    groups: dict[SurveyGroup, tuple[Question, ...]]


@functools.cache
def surveys() -> Surveys:
    raw = yaml.safe_load(
        resources.files("samenplan.monitoring").joinpath("surveys.yaml").read_text("utf-8")
    )
    scales = {
        name: tuple(Choice(int(c["value"]), str(c["nl"]), str(c["en"])) for c in choices)
        for name, choices in raw["scales"].items()
    }
    groups = {
        SurveyGroup(group): tuple(
            Question(q["id"], q["scale"], scales[q["scale"]], q["nl"], q["en"]) for q in questions
        )
        for group, questions in raw["groups"].items()
    }
    return Surveys(str(raw["version"]), groups)


def group_of(access: PlanAccess) -> SurveyGroup | None:
    """Which survey this participant gets; None for a reader who takes no part."""
    return {
        PlanRole.CLIENT: SurveyGroup.FAMILY,
        PlanRole.NETWORK: SurveyGroup.NETWORK,
        PlanRole.PROFESSIONAL: SurveyGroup.PROFESSIONAL,
    }.get(access.role)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Offer:
    occasion: str
    #: the evaluation moment's start, or None when the plan closed
    moment: dt.datetime | None
    answered: bool


def current_offer(access: PlanAccess, *, now: dt.datetime) -> Offer | None:
    """The survey open to this participant now: after the plan closed, or for a recent
    evaluation moment. ``answered`` when they have already given their answers."""
    if group_of(access) is None:
        return None
    if not access.open:
        occasion, moment = CLOSURE, None
    else:
        item = agenda_queries.latest_evaluation(access, now=now, within=OFFER_AFTER_EVALUATION)
        if item is None:
            return None
        occasion, moment = f"evaluation-{item.id}", item.starts_at
    return Offer(occasion, moment, _answered(access, occasion))


def _answered(access: PlanAccess, occasion: str) -> bool:
    found = db.session.scalar(
        select(SurveyResponse.id).where(
            SurveyResponse.plan_id == access.plan.id,
            SurveyResponse.user_id == access.user_id,
            SurveyResponse.occasion == occasion,
        )
    )
    return found is not None


def answer_survey(
    access: PlanAccess,
    actor: User,
    *,
    occasion: str,
    answers: dict[str, int | None],
    remark: str = "",
) -> SurveyResponse | None:
    """Save one participant's answers for one occasion. Any question may be left open, but
    not all of them. A second submit (back button, double tap) keeps the first answers and
    returns None."""
    group = group_of(access)
    if group is None:
        raise ValidationFailed(str(_l("Only people who take part in the plan answer this.")))
    questions = {q.id: q for q in surveys().groups[group]}
    given = {k: v for k, v in answers.items() if v is not None}
    for key, value in given.items():
        if key not in questions or value not in questions[key].values:
            raise ValidationFailed(str(_l("Choose one of the answers.")), field=key)
    remark = remark.strip()
    if len(remark) > REMARK_MAX:
        raise ValidationFailed(
            str(_l("Write at most %(num)d characters.", num=REMARK_MAX)), field="remark"
        )
    if not given and not remark:
        raise ValidationFailed(str(_l("Answer at least one question, or skip the survey.")))
    if _answered(access, occasion):
        return None  # answered already: a double submit, or another tab
    # two submits at the very same moment: the unique constraint lets one through and shows
    # the other the conflict page (core/errors.py)
    response = SurveyResponse(
        plan_id=access.plan.id,
        user_id=actor.id,
        group=group,
        occasion=occasion,
        survey_version=surveys().version,
        remark=remark,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        SurveyAnswer(response_id=response.id, question_id=k, value=v) for k, v in given.items()
    )
    db.session.flush()
    # the audit trail says that someone answered, never what
    record(AuditAction.SURVEY_ANSWERED, actor=actor, plan_id=access.plan.id, obj=response)
    return response
