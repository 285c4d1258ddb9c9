"""A team lead prints several plans of the team as one PDF, made in the background."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.reports.test_summary_pdf import pdf_text
from tests.scenario import Scenario, build_plan, new_user


def test_three_plans_arrive_as_one_pdf_with_a_cover(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    from samenplan.accounts.models import Role
    from samenplan.extensions import db

    plans = [scenario.a.plan]
    for n in (2, 3):
        client = new_user(f"gezin{n}@example.test", Role.CLIENT)
        db.session.flush()
        plans.append(
            build_plan(f"Plan {n} van het team", client, scenario.users["coordinator"]).plan
        )
    db.session.commit()
    lead = as_persona("team_lead")
    choose = lead.get("/plans/team/print")
    assert choose.status_code == 200
    response = lead.post(
        "/plans/team/print", data={"plan": [str(p.id) for p in plans] + [str(scenario.b.plan.id)]}
    )
    assert response.status_code == 303
    status_url = response.headers["Location"]
    status = lead.get(status_url + "/status.json").json
    assert (
        status["status"] == "done" and status["total"] == 3 and status["done"] == 3
    )  # plan B is not theirs
    page = lead.get(status_url).get_data(as_text=True)
    assert "Klaar: 3 plannen in één PDF." in page
    pdf = lead.get(status["download"])
    text = pdf_text(pdf.data)
    assert "Planoverzichten" in text
    for title in ("Plan A", "Plan 2 van het team", "Plan 3 van het team"):
        assert text.count(title) >= 2, title  # on the cover and as a heading
    assert "Plan B" not in text
    # a cover page, then each plan from a new page (its title in the running header)
    pages = text.split("\f")
    assert "Planoverzichten" in pages[0] and "Gedeeld doel" not in pages[0]
    for title in ("Plan 2 van het team", "Plan 3 van het team"):
        first = next(i for i, page in enumerate(pages) if i > 0 and title in page)
        assert pages[first].lstrip().startswith(title), title
        assert title not in pages[first - 1] or first - 1 == 0


def test_a_print_run_belongs_to_whoever_asked(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    lead = as_persona("team_lead")
    location = lead.post("/plans/team/print", data={"plan": [str(scenario.a.plan.id)]}).headers[
        "Location"
    ]
    assert as_persona("other_team_lead").get(location).status_code == 404
    assert as_persona("other_team_lead").get(location + "/download").status_code == 404
    assert as_persona("client").get("/plans/team/print").status_code == 403
    nothing = lead.post("/plans/team/print", data={"plan": [str(scenario.b.plan.id)]})
    assert nothing.status_code == 303 and nothing.headers["Location"] == "/plans/team/print"
