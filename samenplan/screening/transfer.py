"""The strengths checks' part of the plan export file, written and read back.

``reports.export`` and ``reports.importer`` coordinate the whole file; this module knows what
a screening and its life areas look like in it (docs/export-schema.json, ``screenings``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samenplan.core.transfer import read_date, read_required_time, read_time, when
from samenplan.extensions import db
from samenplan.screening import queries
from samenplan.screening.models import (
    DOMAIN_FIELDS,
    DomainScore,
    Perspective,
    Screening,
    ScreeningStatus,
)


def export_screenings(
    screenings: list[Screening],
    *,
    person_ids: dict[int, str],
    who: Callable[[int], dict[str, str] | None],
) -> list[dict[str, Any]]:
    """The plan's screenings in creation order, ids local to the file (``screening-1``)."""
    ids = {s.id: f"screening-{n}" for n, s in enumerate(screenings, 1)}
    scores = queries.scores_of(list(ids))
    return [
        {
            "id": ids[s.id],
            "person": person_ids.get(s.person_id) if s.person_id else None,
            "instrument": {"id": s.instrument_id, "version": s.instrument_version},
            "perspective": s.perspective.value,
            "moment": when(s.moment),
            "status": s.status.value,
            "completed_at": when(s.completed_at),
            "author": who(s.author_id),
            "general_picture": s.general_picture,
            "shared_with_network": s.shared_with_network,
            "view_of": ids.get(s.view_of_id) if s.view_of_id else None,
            "corrects": ids.get(s.corrects_id) if s.corrects_id else None,
            "correction_reason": s.correction_reason,
            "superseded_at": when(s.superseded_at),
            "created_at": when(s.created_at),
            "scores": [
                {"domain": d.domain_id} | {key: getattr(d, attr) for attr, key in DOMAIN_FIELDS}
                for d in scores.get(s.id, [])
            ],
        }
        for s in screenings
    ]


def import_screenings(
    rows: list[dict[str, Any]],
    *,
    plan_id: int,
    person_ids: dict[str, int],
    user_id: Callable[[dict[str, str] | None], int | None],
) -> None:
    """Recreate checked screenings (``reports.importer`` checked the file as a whole)."""
    screenings: dict[str, Screening] = {}
    for s in rows:
        created = read_required_time(s["created_at"])
        screenings[s["id"]] = screening = Screening(
            plan_id=plan_id,
            person_id=person_ids[s["person"]] if s["person"] else None,
            instrument_id=s["instrument"]["id"],
            instrument_version=s["instrument"]["version"],
            perspective=Perspective(s["perspective"]),
            moment=read_date(s["moment"]),
            status=ScreeningStatus(s["status"]),
            completed_at=read_time(s["completed_at"]),
            author_id=user_id(s["author"]),
            general_picture=s["general_picture"],
            shared_with_network=s["shared_with_network"],
            correction_reason=s["correction_reason"],
            superseded_at=read_time(s["superseded_at"]),
            created_at=created,
            updated_at=created,
        )
        db.session.add(screening)
    db.session.flush()
    for s in rows:
        screening = screenings[s["id"]]
        if s["view_of"]:
            screening.view_of_id = screenings[s["view_of"]].id
        if s["corrects"]:
            screening.corrects_id = screenings[s["corrects"]].id
        for position, d in enumerate(s["scores"]):
            db.session.add(
                DomainScore(
                    screening_id=screening.id,
                    position=position,
                    domain_id=d["domain"],
                    # a field a file of an older version lacks keeps the column's default
                    **{attr: d[key] for attr, key in DOMAIN_FIELDS if key in d},
                )
            )
