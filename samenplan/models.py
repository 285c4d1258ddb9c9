"""Imports every model so that the metadata is complete (for Alembic and the tests)."""

from samenplan.accounts.models import Organisation, Team, User, UserSession
from samenplan.audit.models import AuditEvent
from samenplan.db import Base

metadata = Base.metadata

__all__ = ["AuditEvent", "Base", "Organisation", "Team", "User", "UserSession", "metadata"]
