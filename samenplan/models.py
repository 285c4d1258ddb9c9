"""Imports every model so that the metadata is complete (for Alembic and the tests)."""

from samenplan.accounts.models import (
    LoginFailure,
    Organisation,
    Team,
    User,
    UserMunicipality,
    UserSession,
)
from samenplan.agenda.models import AgendaItem, CalendarFeed
from samenplan.agreements.models import Agreement, PlanVersion
from samenplan.audit.models import AuditEvent
from samenplan.core.models import FormToken
from samenplan.db import Base
from samenplan.monitoring.models import MonitorSnapshot, SurveyAnswer, SurveyResponse
from samenplan.plans.models import (
    Action,
    Goal,
    Invitation,
    LogEntry,
    Participation,
    Person,
    Plan,
    ProgressEntry,
)
from samenplan.reminders.models import Reminder, ReminderSetting
from samenplan.reports.models import PrintJob
from samenplan.screening.models import DomainScore, Screening

metadata = Base.metadata

__all__ = [
    "Action",
    "AgendaItem",
    "Agreement",
    "AuditEvent",
    "Base",
    "CalendarFeed",
    "DomainScore",
    "FormToken",
    "Goal",
    "Invitation",
    "LogEntry",
    "LoginFailure",
    "MonitorSnapshot",
    "Organisation",
    "Participation",
    "Person",
    "Plan",
    "PlanVersion",
    "PrintJob",
    "ProgressEntry",
    "Reminder",
    "ReminderSetting",
    "Screening",
    "SurveyAnswer",
    "SurveyResponse",
    "Team",
    "User",
    "UserMunicipality",
    "UserSession",
    "metadata",
]
