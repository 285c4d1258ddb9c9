"""``flask synth``: a synthetic region whose strengths checks shift the way real ones do,
written with bulk inserts, the same for the same seed, never in production."""

from __future__ import annotations

import dataclasses

from flask import Flask
from flask.testing import FlaskClient
from pytest import MonkeyPatch
from sqlalchemy import func, select

from samenplan.accounts.models import Role, User
from samenplan.clock import local_today
from samenplan.demo.households import MUNICIPALITIES, draw_household
from samenplan.demo.region import Region
from samenplan.extensions import db
from samenplan.plans.models import Participation, Plan, PlanStatus
from samenplan.screening.models import DomainScore, Screening


def _synth(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["synth", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_region_with_plans_checks_and_realistic_shifts(app: Flask) -> None:
    output = _synth(app, "--households", "120", "--seed", "7")
    assert "120 households" in output
    plans = db.session.scalars(select(Plan).where(Plan.title.like("Plan % %"))).all()
    assert len(plans) == 120
    closed = [p for p in plans if p.status == PlanStatus.CLOSED]
    assert 0 < len(closed) < 60  # some stop early or finish, most go on
    # every check is complete and every split adds up to 100 (the database checks it too)
    scores = db.session.scalars(select(DomainScore).where(DomainScore.not_applicable.is_(False)))
    scored = list(scores)
    assert scored and all(
        s.own_share + s.network_share + s.professional_share == 100 and 1 <= s.score <= 5
        for s in scored
    )
    # from the first to the latest check of a household, own strength grows on average and
    # professional help shrinks, but not in every household
    by_plan: dict[int, list[tuple[object, float, float]]] = {}
    for moment, plan_id, own, professional in db.session.execute(
        select(
            Screening.moment,
            Screening.plan_id,
            func.avg(DomainScore.own_share),
            func.avg(DomainScore.professional_share),
        )
        .join(DomainScore, DomainScore.screening_id == Screening.id)
        .where(DomainScore.not_applicable.is_(False))
        .group_by(Screening.id, Screening.moment, Screening.plan_id)
    ):
        by_plan.setdefault(plan_id, []).append((moment, float(own), float(professional)))
    shifts = [
        (max(checks)[1] - min(checks)[1], max(checks)[2] - min(checks)[2])
        for checks in by_plan.values()
        if len(checks) > 1
    ]
    assert len(shifts) > 30
    assert sum(own for own, _ in shifts) / len(shifts) > 2
    assert sum(prof for _, prof in shifts) / len(shifts) < -2
    assert any(own < 0 for own, _ in shifts)  # some households get worse


def test_synthetic_accounts_cannot_log_in_or_receive_mail(app: Flask, client: FlaskClient) -> None:
    _synth(app, "--households", "5", "--seed", "8")
    users = db.session.scalars(select(User).where(User.email.like("synth-8-%"))).all()
    assert users and all(u.awaiting_invitation and u.email.endswith(".invalid") for u in users)
    assert {u.role for u in users} >= {Role.CLIENT, Role.PROFESSIONAL, Role.TEAM_LEAD}
    response = client.post("/login", data={"email": users[0].email, "password": "x" * 12})
    assert response.status_code != 303
    coordinator = db.session.scalar(select(func.count()).where(Participation.is_coordinator))
    assert coordinator is not None and coordinator >= 5


def test_the_same_seed_draws_the_same_households() -> None:
    region = Region(professionals={name: [1, 2, 3] for name in MUNICIPALITIES})
    today = local_today()

    def drawn(n: int) -> dict[str, object]:
        fields = dataclasses.asdict(draw_household(n, 3, region, today))
        fields.pop("rng")
        return fields

    assert [drawn(n) for n in range(50)] == [drawn(n) for n in range(50)]
    assert drawn(1) != drawn(2)


def test_a_seed_is_used_once_and_never_in_production(app: Flask, monkeypatch: MonkeyPatch) -> None:
    _synth(app, "--households", "2", "--seed", "9")
    again = app.test_cli_runner().invoke(args=["synth", "--households", "2", "--seed", "9"])
    assert again.exit_code != 0 and "already here" in again.output
    monkeypatch.setitem(app.config, "SAMENPLAN_ENV", "production")
    refused = app.test_cli_runner().invoke(args=["synth", "--households", "2", "--seed", "10"])
    assert refused.exit_code != 0 and "not for production" in refused.output
