"""The municipalities a policy officer may monitor (by CBS code), set by an administrator."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select

from samenplan.accounts.models import Role, User, UserMunicipality
from samenplan.accounts.services import require_admin
from samenplan.audit.services import AuditAction, record
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import ValidationFailed
from samenplan.extensions import db
from samenplan.municipalities import municipalities


def monitored_codes(user: User) -> list[str]:
    """The codes of the municipalities the account may monitor, in code order."""
    return list(
        db.session.scalars(
            select(UserMunicipality.code)
            .where(UserMunicipality.user_id == user.id)
            .order_by(UserMunicipality.code)
        )
    )


def set_monitored(actor: User | None, user: User, codes: Iterable[str]) -> None:
    """Replace the municipalities a policy officer may monitor; audit-logged when it changes."""
    require_admin(actor)
    wanted = sorted(set(codes))
    if wanted and user.role != Role.POLICY:
        raise ValidationFailed(
            str(_l("Only a policy officer monitors municipalities.")), field="codes"
        )
    unknown = [code for code in wanted if code not in municipalities()]
    if unknown:
        raise ValidationFailed(str(_l("Choose municipalities from the list.")), field="codes")
    old = monitored_codes(user)
    if old == wanted:
        return
    db.session.execute(delete(UserMunicipality).where(UserMunicipality.user_id == user.id))
    db.session.add_all(UserMunicipality(user_id=user.id, code=code) for code in wanted)
    db.session.flush()
    record(
        AuditAction.USER_MUNICIPALITIES_SET,
        actor=actor,
        obj=user,
        details={"codes": [old, wanted]},
    )
