"""Plan forms: shape only; services decide the rules."""

from __future__ import annotations

from flask import request
from flask_babel import force_locale
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

from samenplan import municipalities
from samenplan.core import inputs
from samenplan.core.forms import Form, PlainDateField, PlainIntegerField, options
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.domains import life_domains
from samenplan.plans import queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.goals import ActionInput, GoalInput
from samenplan.plans.household import PersonInput
from samenplan.plans.models import (
    Action,
    Goal,
    GoalEndReason,
    GoalStatus,
    Participation,
    Person,
    PlanClosure,
    PlanRole,
    Relation,
)
from samenplan.plans.participation import roles_inviter_may_give

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


class PlanCreateForm(PersonFields):
    title = StringField(
        _l("Name of the plan"),
        validators=[DataRequired(_l("Give the plan a name.")), Length(max=200)],
        description=_l("For example: Our plan, or Plan of the Jansen family."),
    )
    coordinate = BooleanField(_l("I coordinate this plan"), default=True)
    municipality = municipality_field()


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


class Versioned(Form):
    """A form over a stored object: the version it was opened at, so that a save over
    someone else's newer one becomes a conflict (plans.goals.EditConflict)."""

    version = HiddenField()

    def seen_version(self) -> int:
        try:
            return int(str(self.version.data))
        except ValueError:
            return -1


class GoalForm(Versioned):
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


class ActionForm(Versioned):
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


# --- forms with this plan's choices ----------------------------------------------------------


def goal_form(access: PlanAccess, goal: Goal | None = None) -> GoalForm:
    """The goal form with this plan's life areas and household; on a first look filled from
    the goal, or for a new goal from the link that opened it (?domain=…&person=…)."""
    first_look = request.method == "GET"
    form = GoalForm(obj=goal if first_look else None)
    form.domain.choices = options(
        (d.id, d.label(current_locale())) for d in life_domains().values()
    )
    form.person_id.choices = options(
        [(None, _l("The whole household")), *((p.id, p.name) for p in queries.persons(access))]
    )
    if first_look and goal is not None:
        form.status.data = goal.status.value
        form.end_reason.data = goal.end_reason.value if goal.end_reason else ""
        form.version.data = str(goal.version)
    elif first_look:
        domain = request.args.get("domain")
        form.domain.data = domain if domain in life_domains() else None
        form.person_id.data = inputs.int_arg("person")
    return form


def action_form(
    access: PlanAccess, action: Action | None = None, *, posted: bool = True
) -> ActionForm:
    """The action form with this plan's participants to choose from; ``posted=False`` when
    the post was another form on the same page."""
    first_look = request.method == "GET"
    form = ActionForm(obj=action if first_look else None) if posted else ActionForm(formdata=None)
    form.assignee.choices = options(
        (p.id, f"{p.user.name} ({PLAN_ROLE_LABELS[p.role]!s})")
        for p in queries.participants(access)
    )
    if first_look and action is not None:
        form.assignee.data = action.assignee_id
        form.version.data = str(action.version)
    return form


def invite_form(access: PlanAccess) -> InviteForm:
    """The roles this person may give, and the household members without a login yet."""
    form = InviteForm()
    form.role.choices = options(
        (r.value, PLAN_ROLE_LABELS[r]) for r in roles_inviter_may_give(access)
    )
    form.person.choices = options(
        [(None, _l("No")), *((p.id, p.name) for p in queries.persons(access) if p.user_id is None)]
    )
    return form


def hand_over_form(participants: list[Participation]) -> HandOverForm:
    """Who can take over coordination: a family member or professional who has joined."""
    form = HandOverForm()
    form.to.choices = options(
        (p.id, p.user.name)
        for p in participants
        if p.role != PlanRole.NETWORK and not p.is_coordinator and not p.pending
    )
    return form


def person_edit_form(access: PlanAccess, person: Person) -> PersonEditForm:
    """Whoever may not change the rights facts sees them, and keeps them as they are (a
    first date of birth they may still fill in)."""
    first_look = request.method == "GET"
    form = PersonEditForm(obj=person if first_look else None)
    if first_look or not access.may_change_facts:
        form.relation.data = person.relation.value
        form.parental_authority.data = person.parental_authority
        if person.date_of_birth is not None:
            form.date_of_birth.data = person.date_of_birth
    return form
