"""The one authorization policy: the roles, the permissions and ``can()``.

Pure: no database, no request. Permissions of a role (see the account pages, list one's
plans) are decided here; permissions inside a plan are decided by the rules of the plan's
access object (``plans.access.PlanAccess.permits``), which ``can()`` asks. The rules are
unit-tested with plain objects (tests/test_policy.py, tests/plans/test_access_rules.py).
Marking and guarding views is ``guard.py``; loading a plan through the policy is
``plans/guard.py``.
"""

from __future__ import annotations

import enum
from typing import Any, Protocol


class Role(enum.StrEnum):
    """Global roles on the user account (DESIGN.md §2)."""

    CLIENT = "client"
    NETWORK = "network"
    PROFESSIONAL = "professional"
    TEAM_LEAD = "team_lead"
    POLICY = "policy"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    #: use one's own account pages: profile, password, sessions, second factor
    USE_OWN_ACCOUNT = "use_own_account"
    #: see the list of plans one takes part in
    LIST_PLANS = "list_plans"
    #: organisations, teams and user accounts (no plan content)
    MANAGE_ACCOUNTS = "manage_accounts"
    #: start a new plan (professionals for a household, clients for their own)
    CREATE_PLAN = "create_plan"
    #: the team lead's list of their team's plans
    LIST_TEAM_PLANS = "list_team_plans"
    #: the anonymised monitor: a team lead for their team, a policy officer for their
    #: municipalities; never a plan (DESIGN.md §6)
    VIEW_MONITORING = "view_monitoring"

    # --- inside one plan (checked against a PlanAccess) ---
    VIEW_PLAN = "view_plan"
    EDIT_CONTENT = "edit_content"  # goals, actions, agenda
    ADD_PROGRESS = "add_progress"
    ADD_LOG = "add_log"
    #: how often the plan is evaluated (the coordinator)
    SET_EVALUATION_CYCLE = "set_evaluation_cycle"
    #: fix the plan as a version for agreement (the coordinator)
    ASK_AGREEMENT = "ask_agreement"
    #: answer a version of the plan (the family and professionals; the service checks who
    #: was asked)
    ANSWER_AGREEMENT = "answer_agreement"
    COMPLETE_ACTION = "complete_action"
    INVITE = "invite"
    MANAGE_HOUSEHOLD = "manage_household"
    REMOVE_PARTICIPANT = "remove_participant"
    CLOSE_PLAN = "close_plan"
    HAND_OVER = "hand_over"
    GIVE_NETWORK_CONSENT = "give_network_consent"
    #: whether new items are shared with the network unless unticked (the family)
    SET_NETWORK_DEFAULT = "set_network_default"
    PRINT_SUMMARY = "print_summary"
    EXPORT_PLAN = "export_plan"  # the whole plan as data: the family and the coordinator
    RUN_SCREENING = "run_screening"  # the professional's view of a screening
    OWN_VIEW = "own_view"  # the family's own view of the same screening moment
    #: fill in or correct a strengths check: the professional's view by a professional, an
    #: own view by the family member who started it (the check itself decides which)
    FILL_IN_SCREENING = "fill_in_screening"
    REOPEN_PLAN = "reopen_plan"
    VIEW_AUDIT = "view_audit"
    GIVE_CONSENT = "give_consent"
    #: the satisfaction survey: every participant, also after the plan is closed
    ANSWER_SURVEY = "answer_survey"


class Actor(Protocol):
    """What the policy needs to know about a user."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    role: Role


class Scope(Protocol):
    """An object that decides permissions inside it for one user (a plan's access)."""

    user_id: int

    def permits(self, permission: Permission) -> bool: ...


#: the permissions of a role, without an object
ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.USE_OWN_ACCOUNT: frozenset(Role),
    # Admins manage accounts but see no plan content, not even a list (DESIGN.md §2); policy
    # officers see only the anonymised monitor.
    Permission.LIST_PLANS: frozenset(Role) - {Role.ADMIN, Role.POLICY},
    Permission.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Permission.CREATE_PLAN: frozenset({Role.PROFESSIONAL, Role.CLIENT}),
    Permission.LIST_TEAM_PLANS: frozenset({Role.TEAM_LEAD}),
    Permission.VIEW_MONITORING: frozenset({Role.TEAM_LEAD, Role.POLICY}),
}


def can(actor: Any, permission: Permission, obj: object | None = None) -> bool:
    """May ``actor`` do ``permission`` (on ``obj``, a Scope for permissions inside a plan)?
    Pure: no I/O, no request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    roles = ROLE_PERMISSIONS.get(permission)
    if roles is not None:
        return actor.role in roles
    permits = getattr(obj, "permits", None)
    return permits is not None and getattr(obj, "user_id", None) == actor.id and permits(permission)
