"""The plan overview and goal pages run a fixed number of queries, whatever the plan's size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from samenplan.accounts.models import Role
from samenplan.extensions import db
from tests.plans.factories import LARGE, grow_plan
from tests.scenario import build_plan, new_user


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def _count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def test_overview_and_goal_page_query_counts_do_not_grow(
    client_as: Callable[..., FlaskClient], capsys: object
) -> None:
    counts: dict[str, list[int]] = {"overview": [], "goal": [], "my plans": []}
    for size in ("small", "large"):
        client = new_user(f"ouder-{size}@example.test", Role.CLIENT)
        pro = new_user(f"regie-{size}@example.test", Role.PROFESSIONAL)
        network = new_user(f"oma-{size}@example.test", Role.NETWORK)
        db.session.flush()
        objs = build_plan(f"Plan {size}", client, pro, network=network)
        if size == "large":
            grow_plan(objs.plan, list(objs.participations.values()), client.id, **LARGE)
        db.session.commit()
        for persona in (client, pro, network):
            c = client_as(persona)
            c.get("/plans/")  # the session's first request may touch last_seen; keep it out
            for name, url in (
                ("overview", f"/plans/{objs.plan.public_id}/"),
                ("goal", f"/plans/{objs.plan.public_id}/goals/{objs.goal.id}"),
                ("my plans", "/plans/"),
            ):
                with count_queries() as statements:
                    assert c.get(url).status_code == 200
                counts[name].append(len(statements))
    # per page: [small client, small pro, small network, large client, large pro, large network]
    for name, values in counts.items():
        assert values[:3] == values[3:], (name, values)
    print(
        "\nquery counts (client, professional, network):",
        {name: values[:3] for name, values in counts.items()},
    )
