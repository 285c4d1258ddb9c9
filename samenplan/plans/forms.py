"""Plan forms: shape only; services decide the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from samenplan.core import inputs
from samenplan.core.forms import Form, PlainDateField, PlainIntegerField, options
from samenplan.plans.models import GoalStatus, PlanRole, Relation

RELATION_LABELS = {
    Relation.PARENT: _l("Parent"),
    Relation.CHILD: _l("Child"),
    Relation.PARTNER: _l("Partner"),
    Relation.OTHER: _l("Other household member"),
}
PLAN_ROLE_LABELS = {
    PlanRole.CLIENT: _l("Family"),
    PlanRole.NETWORK: _l("Network (family, friends, neighbours)"),
    PlanRole.PROFESSIONAL: _l("Professional"),
    PlanRole.COORDINATOR: _l("Coordinator"),
}


def role_label(role: PlanRole, locale: str) -> str:
    """A plan role's name in a given language (for mails that speak both)."""
    from flask_babel import force_locale

    with force_locale(locale):
        return str(PLAN_ROLE_LABELS[role])


GOAL_STATUS_LABELS = {
    GoalStatus.OPEN: _l("Working on it"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.STOPPED: _l("Stopped"),
}


class PersonFields(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    relation = SelectField(
        _l("Relation"),
        choices=options((r.value, label) for r, label in RELATION_LABELS.items()),
        validators=[DataRequired(_l("Choose a relation."))],
    )
    date_of_birth = PlainDateField(
        _l("Date of birth"),
        validators=[Optional()],
        description=_l("Needed for children: rights change at 12 and 16."),
    )
    parental_authority = BooleanField(_l("Has parental authority (for parents)"), default=True)


class PlanCreateForm(PersonFields):
    title = StringField(
        _l("Name of the plan"),
        validators=[DataRequired(_l("Give the plan a name.")), Length(max=200)],
        description=_l("For example: Our plan, or Plan of the Jansen family."),
    )
    coordinate = BooleanField(_l("I coordinate this plan"), default=True)


class PersonForm(PersonFields):
    pass


class PersonEditForm(PersonFields):
    reason = TextAreaField(
        _l("Why does this change?"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Needed when you change a date of birth, relation or parental authority. "
            "The family sees it in the logbook."
        ),
    )


class InviteForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), Length(max=254)],
    )
    role = SelectField(_l("Takes part as"), validators=[DataRequired(_l("Choose a role."))])
    person = SelectField(
        _l("Is this person a household member?"),
        coerce=inputs.optional_int,
        validate_choice=True,
    )


class GoalForm(Form):
    domain = SelectField(_l("Life area"), validators=[DataRequired(_l("Choose a life area."))])
    person_id = SelectField(
        _l("Who is this goal about?"),
        coerce=inputs.optional_int,
        validate_choice=True,
    )
    title = StringField(
        _l("What do you want to reach?"),
        validators=[DataRequired(_l("Write down what you want to reach.")), Length(max=300)],
        description=_l("In your own words."),
    )
    why = TextAreaField(_l("Why does this matter?"), validators=[Optional(), Length(max=5000)])
    desired_situation = TextAreaField(
        _l("How will you know it worked?"),
        validators=[Optional(), Length(max=5000)],
    )
    target_date = PlainDateField(_l("Reached by (date)"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=options((s.value, label) for s, label in GOAL_STATUS_LABELS.items()),
        default=GoalStatus.OPEN.value,
    )
    shared_with_network = BooleanField(_l("Visible to network"), default=True)
    version = HiddenField()


class ActionForm(Form):
    description = StringField(
        _l("What needs to be done?"),
        validators=[DataRequired(_l("Write down what needs to be done.")), Length(max=500)],
    )
    assignee = SelectField(
        _l("Who does it?"),
        coerce=inputs.bounded_int,
        validators=[DataRequired(_l("Choose who does this."))],
    )
    due_date = PlainDateField(_l("Done by (date)"), validators=[Optional()])
    version = HiddenField()


class ActionStatusForm(Form):
    status = SelectField(
        choices=options([("open", "open"), ("done", "done"), ("cancelled", "cancelled")]),
        validators=[DataRequired()],
    )


class ProgressForm(Form):
    value = PlainIntegerField(
        _l("How is it going now? 0 to 10"),
        validators=[
            InputRequired(_l("Choose a number from 0 to 10.")),
            NumberRange(0, 10, _l("Choose a number from 0 to 10.")),
        ],
        description=_l("0 is: nothing has changed yet. 10 is: the goal is reached."),
    )
    note = TextAreaField(_l("What happened? (optional)"), validators=[Optional(), Length(max=2000)])


class LogForm(Form):
    text = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("Write a message.")), Length(max=4000)]
    )
    shared_with_network = BooleanField(_l("Visible to network"), default=True)


class ConsentForm(Form):
    allowed = BooleanField()


class HandOverForm(Form):
    to = SelectField(
        _l("New coordinator"),
        coerce=inputs.bounded_int,
        validators=[DataRequired(_l("Choose someone."))],
    )


class InvitedAccountForm(Form):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200)]
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=1000)],
        description=_l("At least 10 characters. A few words in a row works well."),
    )
    password_confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two new passwords are not the same.")),
        ],
    )
