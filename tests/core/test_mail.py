"""Mail: a real SMTP conversation when MAIL_SERVER is set, otherwise a file in the outbox."""

from __future__ import annotations

import email
import smtplib
import socket
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from samenplan.mail import send_mail

REAL_SMTP = smtplib.SMTP


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_without_a_server_mail_lands_in_the_outbox(app: Flask, outbox: Path) -> None:
    path = send_mail("ouder@example.test", "Uitnodiging", "Hallo,\nwelkom.")
    assert path is not None and path.parent == outbox
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "ouder@example.test" and message["Subject"] == "Uitnodiging"
    assert "welkom" in message.get_payload(decode=True).decode()


def test_with_a_server_mail_goes_over_smtp(
    app: Flask, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setattr(smtplib, "SMTP", REAL_SMTP)  # undo the suite's guard for this test
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        assert send_mail("oma@example.test", "Uitnodiging", "Kom je meedoen?") is None
    finally:
        controller.stop()
    [raw] = inbox.messages
    message = email.message_from_bytes(raw)
    assert message["To"] == "oma@example.test"
    assert "Kom je meedoen?" in message.get_payload(decode=True).decode()
    assert not outbox.exists() or not any(outbox.iterdir())
