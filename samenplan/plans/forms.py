"""Plan forms: shape only; services decide the rules."""

from __future__ import annotations

from flask_babel import force_locale
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from samenplan import municipalities
from samenplan.core import inputs
from samenplan.core.forms import Form, OnceForm, PlainDateField, PlainIntegerField, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.plans.goals import ActionInput, GoalInput
from samenplan.plans.household import PersonInput
from samenplan.plans.models import (
    GoalEndReason,
    GoalStatus,
    PlanClosure,
    PlanRole,
    Relation,
)

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
    with force_locale(locale):
        return str(PLAN_ROLE_LABELS[role])


GOAL_STATUS_LABELS = {
    GoalStatus.OPEN: _l("Working on it"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.PARTLY_ACHIEVED: _l("Partly achieved"),
    GoalStatus.NOT_ACHIEVED: _l("Not achieved"),
    GoalStatus.STOPPED: _l("Stopped"),
}
GOAL_END_REASON_LABELS = {
    GoalEndReason.SITUATION_CHANGED: _l("The situation changed"),
    GoalEndReason.OTHER_GOAL: _l("Another goal or other help fits better"),
    GoalEndReason.FAMILY_STOPPED: _l("The family chose to stop"),
    GoalEndReason.HELP_ENDED: _l("The help ended, or the family moved"),
    GoalEndReason.OTHER: _l("Another reason"),
}
PLAN_CLOSURE_LABELS = {
    PlanClosure.GOALS_REACHED: _l("The goals are reached"),
    PlanClosure.MOVED: _l("The family moved"),
    PlanClosure.DROPPED_OUT: _l("The family stopped early"),
    PlanClosure.HANDED_OVER: _l("Handed over to other help"),
    PlanClosure.OTHER: _l("Another reason"),
}


def municipality_field() -> SelectField:
    return SelectField(
        _l("Municipality where the household lives"),
        choices=options([("", _l("Not known yet")), *municipalities.choices()]),
        validators=[Optional()],
        description=_l("The municipality only counts the plan in its figures, without names."),
    )


class MunicipalityForm(Form):
    municipality = municipality_field()


class CloseForm(Form):
    reason = SelectField(
        _l("Why is the plan closed?"),
        choices=options(
            [
                ("", _l("Choose a reason")),
                *((c.value, label) for c, label in PLAN_CLOSURE_LABELS.items()),
            ]
        ),
        validators=[DataRequired(_l("Choose why the plan is closed."))],
    )


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

    def to_input(self) -> PersonInput:
        return PersonInput(
            name=self.name.data or "",
            relation=Relation(self.relation.data),
            date_of_birth=self.date_of_birth.data,
            parental_authority=bool(self.parental_authority.data),
        )


class PlanCreateForm(OnceForm, PersonFields):
    title = StringField(
        _l("Name of the plan"),
        validators=[DataRequired(_l("Give the plan a name.")), Length(max=200)],
        description=_l("For example: Our plan, or Plan of the Jansen family."),
    )
    coordinate = BooleanField(_l("I coordinate this plan"), default=True)
    municipality = municipality_field()


class PersonForm(OnceForm, PersonFields):
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


#: the plan's network default, as a choice (``Plan.network_default``)
NETWORK_DEFAULT_CHOICES = {"shared": True, "kept": False}


def network_default_field(required: bool) -> RadioField:
    message = _l("Choose what network members may see of new items.")
    return RadioField(
        _l("What may network members see of new items?"),
        choices=options(
            [
                ("shared", _l("Shared with the network, unless you untick it")),
                ("kept", _l("Only for the family and the professionals, unless you tick it")),
            ]
        ),
        validators=[DataRequired(message) if required else Optional()],
        validate_choice=True,
        description=_l(
            "For new goals, appointments and logbook messages; each can still be changed. "
            "What is in the plan already stays as it is."
        ),
    )


class NetworkDefaultForm(Form):
    shared = network_default_field(required=True)


class InviteForm(OnceForm):
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
    #: asked of the family with the first network invitation (removed by ``invite_form``
    #: when the plan has its choice, or the inviter is not family)
    network_default = network_default_field(required=False)


class Versioned(Form):
    """A form over a stored object: the version it was opened at, so that a save over
    someone else's newer one becomes a conflict (plans.goals.EditConflict)."""

    version = HiddenField()

    def seen_version(self) -> int:
        try:
            return int(str(self.version.data))
        except ValueError:
            return -1


class GoalForm(OnceForm, Versioned):
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
    target_date = PlainDateField(_l("Target date"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=options((s.value, label) for s, label in GOAL_STATUS_LABELS.items()),
        default=GoalStatus.OPEN.value,
    )
    end_reason = SelectField(
        _l("Why did the goal end like this?"),
        choices=options(
            [
                ("", _l("Choose a reason")),
                *((r.value, label) for r, label in GOAL_END_REASON_LABELS.items()),
            ]
        ),
        validators=[Optional()],
        description=_l("Only when the goal is partly achieved, not achieved, or stopped."),
    )
    shared_with_network = BooleanField(_l("Visible to network"), default=True)

    def to_input(self) -> GoalInput:
        return GoalInput(
            domain=self.domain.data or "",
            title=self.title.data or "",
            person_id=self.person_id.data,
            why=self.why.data or "",
            desired_situation=self.desired_situation.data or "",
            target_date=self.target_date.data,
            status=GoalStatus(self.status.data or "open"),
            end_reason=GoalEndReason(self.end_reason.data) if self.end_reason.data else None,
            shared_with_network=bool(self.shared_with_network.data),
        )


class ActionForm(OnceForm, Versioned):
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
    #: "save anyway" after the warning that the network cannot see the goal
    confirmed = HiddenField()

    def to_input(self) -> ActionInput:
        return ActionInput(
            description=self.description.data or "",
            assignee_id=self.assignee.data,
            due_date=self.due_date.data,
        )


class ActionStatusForm(Form):
    status = SelectField(
        choices=options([("open", "open"), ("done", "done"), ("cancelled", "cancelled")]),
        validators=[DataRequired()],
    )


class ProgressForm(OnceForm):
    value = PlainIntegerField(
        _l("How is it going now? 0 to 10"),
        validators=[
            InputRequired(_l("Choose a number from 0 to 10.")),
            NumberRange(0, 10, _l("Choose a number from 0 to 10.")),
        ],
        description=_l("0 is: nothing has changed yet. 10 is: the goal is reached."),
    )
    note = TextAreaField(_l("What happened? (optional)"), validators=[Optional(), Length(max=2000)])


class LogForm(OnceForm):
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
