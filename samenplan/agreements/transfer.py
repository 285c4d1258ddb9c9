"""The agreed versions' part of the plan export file, written and read back.

``reports.export`` and ``reports.importer`` coordinate the whole file; this module knows what
a version, its fixed goals and actions and its answers look like in it
(docs/export-schema.json, ``versions``). Database ids inside a version's content become the
file's own ids (``goal-2``, ``person-1``) and back."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from samenplan.agreements.models import Agreement, Answer, PlanVersion
from samenplan.agreements.services import Standing
from samenplan.core.transfer import read_required_time, when
from samenplan.extensions import db

Who = dict[str, str] | None


def _swap(content: dict[str, Any], ids: dict[str, dict[Any, Any]]) -> dict[str, Any]:
    """The content with its references translated by ``ids`` (per kind: goal, action,
    person); a reference the table lacks is kept as it was."""

    def ref(kind: str, value: Any) -> Any:
        return ids[kind].get(value, value) if value is not None else None

    return {
        "goals": [
            g | {"id": ref("goal", g["id"]), "person_id": ref("person", g["person_id"])}
            for g in content["goals"]
        ],
        "actions": [
            a | {"id": ref("action", a["id"]), "goal_id": ref("goal", a["goal_id"])}
            for a in content["actions"]
        ],
    }


def people_in(standings: list[Standing]) -> set[int]:
    """Everyone the versions name: who fixed them, who was asked, who answered."""
    found = set()
    for s in standings:
        found |= {*s.asked, *s.answers}
        if s.version.created_by_id:
            found.add(s.version.created_by_id)
    return found


def export_versions(
    standings: list[Standing], *, ids: dict[str, dict[int, str]], who: Callable[[int], Who]
) -> list[dict[str, Any]]:
    """The plan's versions (``services.history``), oldest first, in the file's ids."""
    return [
        {
            "number": s.version.number,
            "created_at": when(s.version.created_at),
            "created_by": who(s.version.created_by_id) if s.version.created_by_id else None,
            "asked": [who(u) for u in s.asked],
            "content": _swap(json.loads(s.version.content), ids),
            "answers": [
                {
                    "by": who(a.user_id),
                    "answer": a.answer.value,
                    "remark": a.remark,
                    "answered_at": when(a.answered_at),
                }
                for a in sorted(s.answers.values(), key=lambda a: (a.answered_at, a.id))
            ],
        }
        for s in reversed(standings)
    ]


def version_problems(rows: list[dict[str, Any]], known: dict[str, set[str]]) -> list[str]:
    """References in the versions to goals, actions and persons the file does not hold."""
    problems = []
    for v in rows:
        content = v["content"]
        refs = [("goals", g["id"]) for g in content["goals"]]
        refs += [("persons", g["person_id"]) for g in content["goals"] if g["person_id"]]
        refs += [("actions", a["id"]) for a in content["actions"]]
        refs += [("goals", a["goal_id"]) for a in content["actions"]]
        problems += [
            f"version {v['number']}: {value} is not in the file"
            for part, value in refs
            if value not in known[part]
        ]
    return problems


def import_versions(
    rows: list[dict[str, Any]],
    *,
    plan_id: int,
    ids: dict[str, dict[str, int]],
    user_id: Callable[[Who], int | None],
) -> None:
    """Recreate checked versions and their answers (``reports.importer`` checked the file)."""
    for v in rows:
        version = PlanVersion(
            plan_id=plan_id,
            number=v["number"],
            created_at=read_required_time(v["created_at"]),
            created_by_id=user_id(v["created_by"]),
            content=json.dumps(_swap(v["content"], ids)),
            asked=",".join(str(user_id(who)) for who in v["asked"]),
        )
        db.session.add(version)
        db.session.flush()
        for a in v["answers"]:
            db.session.add(
                Agreement(
                    version_id=version.id,
                    user_id=user_id(a["by"]),
                    answer=Answer(a["answer"]),
                    remark=a["remark"],
                    answered_at=read_required_time(a["answered_at"]),
                )
            )
