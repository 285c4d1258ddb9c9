"""Forms: they check shape; services and the database decide the rest."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from samenplan.accounts.models import ADMIN_CREATABLE_ROLES, Role
from samenplan.core import inputs
from samenplan.core.forms import LANGUAGE_CHOICES, Form, OnceForm, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.municipalities import choices as municipality_choices

REQUIRED_EMAIL = _l("Enter your email address.")


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])


ROLE_LABELS = {
    Role.CLIENT: _l("Family"),
    Role.NETWORK: _l("Network"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.TEAM_LEAD: _l("Team lead"),
    Role.POLICY: _l("Policy officer"),
    Role.ADMIN: _l("Administrator"),
}


class LoginForm(Form):
    email = EmailField(
        _l("Email address"), validators=[DataRequired(REQUIRED_EMAIL), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=1000)])
    otp = StringField(
        _l("Code from your authenticator app"),
        validators=[Optional(), Length(max=12)],
        description=_l("6 digits. The code changes every 30 seconds."),
    )


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1000)],
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=1000)],
        description=_l("At least 10 characters. A few words in a row works well."),
    )
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two new passwords are not the same.")),
        ],
    )


class ProfileForm(Form):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200)]
    )
    locale = SelectField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        validators=[DataRequired()],
    )


class TotpEnableForm(Form):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Enter the 6-digit code from your app.")), Length(max=12)],
        description=_l("6 digits. The code changes every 30 seconds."),
    )


class TotpDisableForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1000)],
    )


# --- administration ------------------------------------------------------------------------


class OrganisationForm(OnceForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Enter a name.")), Length(max=200)],
    )


class TeamForm(OnceForm):
    organisation = SelectField(
        _l("Organisation"),
        coerce=inputs.bounded_int,
        validators=[DataRequired(_l("Choose an organisation."))],
    )
    name = StringField(
        _l("Name of the team"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)]
    )


class _UserFieldsForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    organisation = SelectField(_l("Organisation"), coerce=inputs.optional_int, validate_choice=True)
    team = SelectField(_l("Team"), coerce=inputs.optional_int, validate_choice=True)


class UserCreateForm(OnceForm, _UserFieldsForm):
    role = SelectField(
        _l("Role"),
        choices=options((r.value, ROLE_LABELS[r]) for r in ADMIN_CREATABLE_ROLES),
        validators=[DataRequired(_l("Choose a role."))],
    )
    email = EmailField(
        _l("Email address"), validators=[DataRequired(REQUIRED_EMAIL), Length(max=254)]
    )
    password = PasswordField(
        _l("First password"),
        validators=[DataRequired(_l("Enter a first password.")), Length(max=1000)],
        description=_l(
            "Give this to the person in a safe way. They choose their own at first login."
        ),
    )


class UserEditForm(_UserFieldsForm):
    role = SelectField(
        _l("Role"),
        choices=options((r.value, ROLE_LABELS[r]) for r in Role),
        validators=[DataRequired(_l("Choose a role."))],
    )
    active = BooleanField(_l("Account is active"))


class MonitoredForm(Form):
    codes = SelectMultipleField(
        _l("Municipalities this policy officer may monitor"),
        choices=options(municipality_choices()),
        validate_choice=True,
        render_kw={"size": 10},
        description=_l(
            "Hold Ctrl (Cmd on a Mac) to choose more than one. The monitor shows figures of "
            "these municipalities only, never a plan."
        ),
    )


class PasswordResetForm(Form):
    password = PasswordField(
        _l("New first password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=1000)],
        description=_l("The person must choose their own password at the next login."),
    )
