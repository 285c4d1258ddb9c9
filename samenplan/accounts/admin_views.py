"""Administration: organisations, teams and user accounts. No plan content here."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from samenplan.accounts import queries, services
from samenplan.accounts.forms import (
    MonitoredForm,
    OrganisationForm,
    PasswordResetForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
)
from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.accounts.monitored import monitored_codes, set_monitored
from samenplan.core import inputs, once
from samenplan.core.forms import options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import saving
from samenplan.extensions import db
from samenplan.guard import require
from samenplan.policy import Permission

bp = Blueprint("admin", __name__, url_prefix="/admin")

admin_only = require(Permission.MANAGE_ACCOUNTS)


@bp.get("/")
@admin_only
def index() -> str:
    counts = {
        "organisations": db.session.scalar(select(func.count(Organisation.id))),
        "teams": db.session.scalar(select(func.count(Team.id))),
        "users": db.session.scalar(select(func.count(User.id))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/organisations", methods=["GET", "POST"])
@admin_only
def organisations() -> Response | str:
    form = OrganisationForm()
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        with saving(form) as saved:
            organisation = services.create_organisation(current_user, name=form.name.data or "")
        if saved:
            message = _l("Organisation %(name)s is added.", name=organisation.name)
            return once.done(form, message, "admin.organisations")
    return render_template(
        "admin/organisations.html",
        form=form,
        organisations=queries.organisations(),
        teams=queries.teams(),
    )


@bp.route("/teams", methods=["GET", "POST"])
@admin_only
def teams() -> Response | str:
    form = TeamForm()
    form.organisation.choices = options(
        [(0, _l("Choose…")), *((o.id, o.name) for o in queries.organisations())]
    )
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None:
            form.organisation.errors = [str(_l("Choose an organisation."))]
        elif (earlier := once.claim(form)) is not None:
            return earlier
        else:
            with saving(form) as saved:
                team = services.create_team(current_user, organisation, name=form.name.data or "")
            if saved:
                return once.done(form, _l("Team %(name)s is added.", name=team.name), "admin.teams")
    return render_template("admin/teams.html", form=form, teams=queries.teams())


@bp.get("/users")
@admin_only
def users() -> str:
    page = inputs.page_arg()
    search = inputs.text_arg("q", max_length=100)
    rows, total = queries.users(page=page, search=search)
    return render_template(
        "admin/users.html", users=rows, total=total, page=page, per_page=50, search=search
    )


def _membership_choices(form: UserCreateForm | UserEditForm) -> None:
    form.organisation.choices = options(
        [(None, _l("None")), *((o.id, o.name) for o in queries.organisations())]
    )
    form.team.choices = options(
        [
            (None, _l("None")),
            *((t.id, f"{t.organisation.name} – {t.name}") for t in queries.teams()),
        ]
    )


def _membership(form: UserCreateForm | UserEditForm) -> tuple[Organisation | None, Team | None]:
    organisation = (
        db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
    )
    team = db.session.get(Team, form.team.data) if form.team.data else None
    return organisation, team


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def user_create() -> Response | str:
    form = UserCreateForm()
    _membership_choices(form)
    if form.validate_on_submit():
        if (earlier := once.claim(form)) is not None:
            return earlier
        organisation, team = _membership(form)
        with saving(form) as saved:
            user = services.create_user(
                current_user,
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                password=form.password.data or "",
                organisation=organisation,
                team=team,
                must_change_password=True,
            )
        if saved:
            message = _l("The account for %(name)s is made.", name=user.name)
            return once.done(form, message, "admin.user_edit", user_id=user.id)
    return render_template("admin/user_new.html", form=form)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _edit_form(user: User, *, filled: bool) -> UserEditForm:
    """The edit form, filled from the account (``filled``) or left to the posted data."""
    form = UserEditForm(obj=user if filled else None)
    _membership_choices(form)
    if filled:
        form.role.data = user.role.value
        form.organisation.data, form.team.data = user.organisation_id, user.team_id
        form.active.data = user.active
    return form


def _edit_page(
    user: User,
    form: UserEditForm,
    *,
    reset_form: PasswordResetForm | None = None,
    monitored_form: MonitoredForm | None = None,
) -> str:
    if monitored_form is None and user.role == Role.POLICY:
        monitored_form = MonitoredForm(prefix="monitored")
        monitored_form.codes.data = monitored_codes(user)
    return render_template(
        "admin/user_edit.html",
        form=form,
        user=user,
        reset_form=reset_form or PasswordResetForm(prefix="reset"),
        monitored_form=monitored_form,
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_edit(user_id: int) -> Response | str:
    user = _user_or_404(user_id)
    form = _edit_form(user, filled=request.method == "GET")
    if form.validate_on_submit():
        organisation, team = _membership(form)
        with saving(form) as saved:
            services.update_user(
                current_user,
                user,
                name=form.name.data or "",
                role=Role(form.role.data),
                organisation=organisation,
                team=team,
                active=bool(form.active.data),
            )
        if saved:
            flash(_l("The changes are saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return _edit_page(user, form)


@bp.post("/users/<int:user_id>/password")
@admin_only
def user_password_reset(user_id: int) -> Response | str:
    user = _user_or_404(user_id)
    reset_form = PasswordResetForm(prefix="reset")
    if reset_form.validate_on_submit():
        with saving(reset_form) as saved:
            services.reset_password(current_user, user, new_password=reset_form.password.data or "")
        if saved:
            flash(
                _l("The new first password is set. All sessions of this account are ended."),
                "success",
            )
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return _edit_page(user, _edit_form(user, filled=True), reset_form=reset_form)


@bp.post("/users/<int:user_id>/municipalities")
@admin_only
def user_monitored(user_id: int) -> Response | str:
    user = _user_or_404(user_id)
    monitored_form = MonitoredForm(prefix="monitored")
    if monitored_form.validate_on_submit():
        with saving(monitored_form) as saved:
            set_monitored(current_user, user, monitored_form.codes.data or [])
        if saved:
            flash(_l("The municipalities are saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return _edit_page(user, _edit_form(user, filled=True), monitored_form=monitored_form)
