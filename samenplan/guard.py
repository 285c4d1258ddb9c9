"""Marking and guarding views: every view is ``@public`` or ``@require(Permission.X)``
(or ``plans.guard.plan_route``); create_app() refuses to start when one is neither
(``check_routes``), and a test walks ``app.url_map`` for the same."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort
from flask_login import current_user

from samenplan.extensions import login_manager
from samenplan.policy import Permission, can

F = TypeVar("F", bound=Callable[..., Any])

POLICY_ATTR = "_samenplan_policy"
PLAN_ROUTE_ATTR = "_samenplan_plan_route"
PUBLIC = "public"


def authorize(actor: Any, permission: Permission, obj: object | None = None) -> None:
    """Abort with 403 unless ``can(actor, permission, obj)``."""
    if not can(actor, permission, obj):
        abort(403)


def is_plan_route(app: Flask, endpoint: str) -> bool:
    return bool(getattr(app.view_functions.get(endpoint), PLAN_ROUTE_ATTR, False))


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
