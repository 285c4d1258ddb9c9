"""Property-based tests of the screening form: whatever is posted, no 500, never shares that
do not add up to 100 in the database, what was typed comes back on the page, and a value with
a control character is refused with a message and not stored."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from samenplan.core.inputs import clean_text, has_control
from samenplan.extensions import db
from samenplan.screening.models import DomainScore, Screening, ScreeningStatus
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
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["a\x00b", "\x1b[31m", "regel\r\nregel\ttab", "x\x7f", "\x85"]),
)
CONTROL_MESSAGE = "Er stond een onzichtbaar teken in deze tekst dat niet mag."


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
    db.session.expire_all()
    stored = list(
        db.session.scalars(select(DomainScore).where(DomainScore.screening_id == draft.id))
    )
    for score in stored:
        shares = (score.own_share, score.network_share, score.professional_share)
        assert shares == (None, None, None) or sum(shares) == 100, shares  # type: ignore[arg-type]
        assert score.score is None or 1 <= score.score <= 5
    # "finish" and "preset" are read by the view itself, not fields of a form
    refused = [k for k, v in data.items() if k not in ("finish", "preset") and has_control(v)]
    if refused:
        assert response.status_code == 200, refused
        assert CONTROL_MESSAGE in response.get_data(as_text=True), refused
        screening = db.session.get(Screening, draft.id)
        assert screening is not None and screening.status == ScreeningStatus.DRAFT
        assert screening.general_picture == ""
        assert all(s.situation == "" and s.score is None for s in stored)
    if response.status_code == 200:
        # browsers treat CR, LF and CRLF alike in a textarea; compare with line ends unified
        body = response.get_data(as_text=True).replace("\r\n", "\n").replace("\r", "\n")
        for key, typed in data.items():
            value = clean_text(typed)  # shown again without the refused control characters
            if key.endswith(("-situation", "general_picture")) and value.strip():
                assert (
                    str(escape(value.replace("\r\n", "\n").replace("\r", "\n"))).strip() in body
                ), key
