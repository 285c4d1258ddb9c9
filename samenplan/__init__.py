"""Samenplan: one family, one plan, one coordinator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: load configuration, bind extensions, register blueprints. Wiring only."""
    from samenplan import cli, guard, tasks
    from samenplan.accounts import auth
    from samenplan.accounts.admin_views import bp as admin_bp
    from samenplan.accounts.forms import ROLE_LABELS
    from samenplan.accounts.views import bp as accounts_bp
    from samenplan.agenda import panel as _agenda_panel  # noqa: F401  (registers its overview section)
    from samenplan.agenda.feed_views import bp as calendar_bp
    from samenplan.agenda.views import bp as agenda_bp
    from samenplan.agreements import panel as _agreement_panel  # noqa: F401  (its overview section)
    from samenplan.agreements.forms import ANSWER_LABELS
    from samenplan.agreements.views import bp as agreements_bp
    from samenplan.audit.labels import audit_label
    from samenplan.config import instance_secret_key, load_config, validate_config
    from samenplan.core import errors, i18n, inputs, security, templating, transactions
    from samenplan.core.views import bp as core_bp
    from samenplan.evaluations import panel as _evaluation_panel  # noqa: F401  (its overview section)
    from samenplan.evaluations.views import bp as evaluations_bp
    from samenplan.extensions import csrf, db
    from samenplan.monitoring import panel as _survey_panel  # noqa: F401  (its overview section)
    from samenplan.monitoring.views import bp as monitoring_bp
    from samenplan.municipalities import name_of as municipality_name
    from samenplan.plans.forms import (
        GOAL_END_REASON_LABELS,
        GOAL_STATUS_LABELS,
        PLAN_CLOSURE_LABELS,
        PLAN_ROLE_LABELS,
        RELATION_LABELS,
    )
    from samenplan.plans.invitation_views import bp as invitations_bp
    from samenplan.plans.rules import age_on
    from samenplan.plans.views import bp as plans_bp
    from samenplan.reminders import panel as _reminders_panel  # noqa: F401  (a line in My plans)
    from samenplan.reminders.views import bp as reminders_bp
    from samenplan.reports import jobs as print_jobs
    from samenplan.reports.views import bp as reports_bp
    from samenplan.reports.views import team_bp as print_runs_bp
    from samenplan.screening import panel as _screening_panel  # noqa: F401  (its overview section)
    from samenplan.screening.instruments import load_registry
    from samenplan.screening.labels import BOTH_SIGNALS, BOTH_SIGNALS_LABEL, SIGNAL_LABELS
    from samenplan.screening.steps import bp as screening_steps_bp
    from samenplan.screening.views import bp as screening_bp

    app = Flask(__name__, instance_relative_config=False)
    # Odd path values (ids beyond the database's integers, control characters) are a 404.
    app.url_map.converters["int"] = inputs.BoundedIntConverter
    app.url_map.converters["default"] = inputs.TextConverter
    app.url_map.converters["string"] = inputs.TextConverter
    app.config.update(load_config())
    if config:
        app.config.update(config)
    validate_config(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.config["INSTANCE_DIR"])
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    app.extensions["samenplan_instruments"] = load_registry(
        app.config["SCREENING_INSTRUMENTS_DIRS"]
    )
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    templating.add_globals(
        app,
        age_of=age_on,
        role_labels=ROLE_LABELS,
        plan_role_labels=PLAN_ROLE_LABELS,
        goal_status_labels=GOAL_STATUS_LABELS,
        goal_end_reason_labels=GOAL_END_REASON_LABELS,
        plan_closure_labels=PLAN_CLOSURE_LABELS,
        municipality_name=municipality_name,
        relation_labels=RELATION_LABELS,
        signal_labels=SIGNAL_LABELS,
        both_signals=BOTH_SIGNALS,
        both_signals_label=BOTH_SIGNALS_LABEL,
        audit_label=audit_label,
        answer_labels=ANSWER_LABELS,
    )
    transactions.init_app(app)  # last: its hooks run first and commit first

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(agenda_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(screening_bp)
    app.register_blueprint(screening_steps_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(print_runs_bp)
    app.register_blueprint(monitoring_bp)

    cli.init_app(app)
    app.extensions[print_jobs.ENQUEUE_KEY] = tasks.enqueue_print_run
    guard.check_routes(app)
    return app
