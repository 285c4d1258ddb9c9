"""The core's one table: the one-time tokens of create forms (``core.once``)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, Timestamped


class FormToken(Timestamped, Base):
    """A create form's token, stored when a post with it went through: a second post with
    the same token makes nothing and is sent to what the first one made. Unique, so that
    two posts at the same moment cannot both go through."""

    __tablename__ = "form_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: where the first post led: the page of what it made
    made_url: Mapped[str | None] = mapped_column(String(2000))
