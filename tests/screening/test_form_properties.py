"""Property-based tests of the screening form: whatever is posted, no 500, never shares that
do not add up to 100 in the database, and what was typed comes back on the page."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from samenplan.core.inputs import clean_text
from samenplan.extensions import db
from samenplan.screening.models import DomainScore
from tests.scenario import Scenario, make_screening

DOMAINS = ["household_finances", "housing", "relations_at_home"]
numbers = st.one_of(
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.sampled_from(
        ["", " ", "50.5", "1e3", "abc", "\u0661\u0660\u0660", "99999999999999999999", "0x10"]
    ),
)
scores = st.one_of(
    st.sampled_from(["", "1", "2", "3", "4", "5", "0", "6", "x", "-1"]), st.text(max_size=5)
)
texts = st.text(max_size=60)


@st.composite
def domain_input(draw: st.DrawFn, domain: str) -> dict[str, str]:
    data = {f"d-{domain}-score": draw(scores)}
    for part in ("own", "network", "professional"):
        data[f"d-{domain}-{part}"] = draw(numbers)
    if draw(st.booleans()):
        data[f"d-{domain}-not_applicable"] = draw(st.sampled_from(["y", "on", "", "nee"]))
    data[f"d-{domain}-situation"] = draw(texts)
    return data


@st.composite
def form_input(draw: st.DrawFn) -> dict[str, str]:
    data: dict[str, str] = {"finish": draw(st.sampled_from(["draft", "complete", "", "other"]))}
    for domain in DOMAINS:
        data.update(draw(domain_input(domain)))
    data["general_picture"] = draw(texts)
    if draw(st.booleans()):
        data["preset"] = draw(
            st.sampled_from(["housing:own", "housing:nonsense", "nope:own", ":", ""])
        )
    return data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_input())
def test_any_input_is_handled_safely(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient], data: dict[str, str]
) -> None:
    # each example gets a draft of its own
    draft = make_screening(
        scenario.a.plan,
        None,
        scenario.users["coordinator"],
        days_ago=0,
        values=None,
        instrument="zrm-huishouden",
    )
    db.session.commit()
    url = f"/plans/{scenario.a.plan.public_id}/screenings/{draft.id}/edit"
    response = as_persona("coordinator").post(url, data=data)
    assert response.status_code in (200, 303), response.status_code
    for score in db.session.scalars(
        select(DomainScore).where(DomainScore.screening_id == draft.id)
    ):
        shares = (score.own_share, score.network_share, score.professional_share)
        assert shares == (None, None, None) or sum(shares) == 100, shares  # type: ignore[arg-type]
        assert score.score is None or 1 <= score.score <= 5
    if response.status_code == 200:
        # browsers treat CR, LF and CRLF alike in a textarea; compare with line ends unified
        body = response.get_data(as_text=True).replace("\r\n", "\n").replace("\r", "\n")
        for key, typed in data.items():
            value = clean_text(typed)  # control characters are taken out of every form
            if key.endswith(("-situation", "general_picture")) and value.strip():
                assert (
                    str(escape(value.replace("\r\n", "\n").replace("\r", "\n"))).strip() in body
                ), key
