"""Mail: a real SMTP conversation when MAIL_SERVER is set, otherwise a file in the outbox."""

from __future__ import annotations

import email
from pathlib import Path

from flask import Flask

from samenplan.mail import send_mail


def test_without_a_server_mail_lands_in_the_outbox(app: Flask, outbox: Path) -> None:
    path = send_mail("ouder@example.test", "Uitnodiging", "Hallo,\nwelkom.")
    assert path is not None and path.parent == outbox
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "ouder@example.test" and message["Subject"] == "Uitnodiging"
    assert "welkom" in message.get_payload(decode=True).decode()


def test_with_a_server_mail_goes_over_smtp(
    app: Flask, outbox: Path, smtp_inbox: list[email.message.Message]
) -> None:
    assert send_mail("oma@example.test", "Uitnodiging", "Kom je meedoen?") is None
    [message] = smtp_inbox
    assert message["To"] == "oma@example.test"
    assert "Kom je meedoen?" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert not outbox.exists() or not any(outbox.iterdir())
