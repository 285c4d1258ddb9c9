"""The one authorization policy.

Every view is marked either ``@public`` or ``@require(Permission.X)``; create_app() refuses to
start when a view has neither (see ``check_routes``), and a test walks ``app.url_map`` for the
same.  The rules themselves are pure functions of the acting user and the object, so they can be
unit-tested with plain objects.  Objects are loaded *through* the policy: outside the actor's
scope they answer 404 (the object's existence is not revealed), inside it 403.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import Flask, abort
from flask_login import current_user

from samenplan.accounts.models import Role

F = TypeVar("F", bound=Callable[..., Any])

POLICY_ATTR = "_samenplan_policy"
PUBLIC = "public"


class Permission(enum.StrEnum):
    #: use one's own account pages: profile, password, sessions, second factor
    USE_OWN_ACCOUNT = "use_own_account"
    #: see the list of plans one takes part in
    LIST_PLANS = "list_plans"
    #: organisations, teams and user accounts (no plan content)
    MANAGE_ACCOUNTS = "manage_accounts"


class Actor(Protocol):
    """What the policy needs to know about a user."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    role: Role


_ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.USE_OWN_ACCOUNT: frozenset(Role),
    # Admins manage accounts but see no plan content, not even a list (DESIGN.md §2).
    Permission.LIST_PLANS: frozenset(Role) - {Role.ADMIN},
    Permission.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
}


def can(actor: Any, permission: Permission, obj: object | None = None) -> bool:
    """May ``actor`` do ``permission`` (on ``obj``)? Pure: no I/O, no request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    return actor.role in _ROLE_PERMISSIONS[permission]


def authorize(actor: Any, permission: Permission, obj: object | None = None) -> None:
    """Abort with 403 unless ``can(actor, permission, obj)``."""
    if not can(actor, permission, obj):
        abort(403)


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    setattr(view, POLICY_ATTR, PUBLIC)
    return view


def require(permission: Permission) -> Callable[[F], F]:
    """Mark a view as protected: log in first, then hold ``permission``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from samenplan.extensions import login_manager

                return login_manager.unauthorized()
            authorize(current_user, permission)
            return view(*args, **kwargs)

        setattr(wrapped, POLICY_ATTR, permission)
        return wrapped  # type: ignore[return-value]

    return decorator


def route_policy(app: Flask, endpoint: str) -> str | Permission | None:
    if endpoint == "static":  # Flask's own static files: CSS, scripts, icons
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, POLICY_ATTR, None)


def unmarked_endpoints(app: Flask) -> list[str]:
    """Endpoints whose view is neither public nor protected by the policy."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if route_policy(app, rule.endpoint) is None
    )


def check_routes(app: Flask) -> None:
    """Fail fast at start-up: a route without a policy marker is a bug."""
    missing = unmarked_endpoints(app)
    if missing:
        raise RuntimeError(
            "routes without an authorization policy (mark them @public or @require): "
            + ", ".join(missing)
        )
