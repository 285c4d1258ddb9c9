"""Configuration from the environment; production refuses development defaults."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from samenplan import create_app
from samenplan.config import (
    ConfigError,
    instance_secret_key,
    load_config,
    parse_rate,
    validate_config,
)
from samenplan.extensions import db


def test_development_defaults() -> None:
    config = load_config({})
    assert config["SAMENPLAN_ENV"] == "development"
    assert config["DATABASE_URL"].startswith("sqlite:///") and config["DATABASE_URL"].endswith(
        "instance/samenplan.db"
    )
    assert config["SESSION_IDLE_MINUTES"] == 30 and config["SESSION_ABSOLUTE_HOURS"] == 12
    assert config["SESSION_COOKIE_NAME"] == "samenplan" and not config["SESSION_COOKIE_SECURE"]
    validate_config(config)


@pytest.mark.parametrize("key", [None, "", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(key: str | None) -> None:
    env = {"SAMENPLAN_ENV": "production"}
    if key is not None:
        env["SECRET_KEY"] = key
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        validate_config(load_config(env))


def test_production_settings() -> None:
    env = {"SAMENPLAN_ENV": "production", "SECRET_KEY": "s" * 48, "TOTP_REQUIRED": "0"}
    with pytest.raises(ConfigError, match="MAIL_SERVER"):
        validate_config(load_config(env))
    config = load_config({**env, "MAIL_SERVER": "smtp.gemeente.example"})
    validate_config(config)
    assert config["TOTP_REQUIRED"] is True  # cannot be switched off in production
    assert config["SESSION_COOKIE_NAME"] == "__Host-samenplan"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_urls_and_numbers_are_read_carefully() -> None:
    assert (
        load_config({"DATABASE_URL": "postgresql://u@h/db"})["DATABASE_URL"]
        == "postgresql+psycopg://u@h/db"
    )
    assert load_config({"SESSION_IDLE_MINUTES": "5"})["SESSION_IDLE_MINUTES"] == 5
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES"):
        load_config({"SESSION_IDLE_MINUTES": "half an hour"})
    with pytest.raises(ConfigError, match="SAMENPLAN_ENV"):
        load_config({"SAMENPLAN_ENV": "staging"})


def test_login_limits_are_rates() -> None:
    config = load_config({})
    assert parse_rate(config["LOGIN_LIMIT_KNOWN_DEVICE"]) == (10, dt.timedelta(minutes=15))
    assert parse_rate(config["LOGIN_LIMIT_ADDRESS_ACCOUNT"]) == (5, dt.timedelta(minutes=15))
    assert parse_rate(config["LOGIN_LIMIT_ACCOUNT"]) == (20, dt.timedelta(hours=1))
    assert parse_rate(config["LOGIN_LIMIT_ADDRESS"]) == (100, dt.timedelta(hours=1))
    assert parse_rate("3/day") == (3, dt.timedelta(days=1))
    overridden = load_config({"LOGIN_LIMIT_ADDRESS": "500 per 2 hours"})
    assert parse_rate(overridden["LOGIN_LIMIT_ADDRESS"]) == (500, dt.timedelta(hours=2))
    for wrong in ("many per hour", "0 per hour", "5 per 0 minutes", "5 per fortnight"):
        with pytest.raises(ConfigError, match="LOGIN_LIMIT_ACCOUNT"):
            load_config({"LOGIN_LIMIT_ACCOUNT": wrong})


@pytest.fixture
def own_app() -> Iterator[Callable[..., Flask]]:
    """create_app for a test of its own; the suite's database binding is put back after."""
    kept_engine, kept_bind = db._engine, db.session.session_factory.kw.get("bind")
    kept_strict = db.strict
    try:
        yield lambda **config: create_app({"DATABASE_URL": "sqlite://", **config})
    finally:
        db.session.remove()
        db._engine, db.strict = kept_engine, kept_strict
        db.session.configure(bind=kept_bind)


def test_without_a_secret_key_each_installation_makes_its_own(
    tmp_path: Path, own_app: Callable[..., Flask]
) -> None:
    """No key is written in the code: two installations never share one, and one
    installation keeps its key across restarts (sessions survive a restart)."""
    one, other = tmp_path / "one", tmp_path / "other"
    key = instance_secret_key(one)
    assert len(key) >= 32 and instance_secret_key(one) == key
    assert instance_secret_key(other) != key
    mode = stat.S_IMODE(os.stat(one / "secret_key").st_mode)
    assert mode == 0o600  # readable by the owner only
    assert own_app(INSTANCE_DIR=str(one)).secret_key == key
    assert load_config({})["SECRET_KEY"] is None  # nothing to fall back on in the code


def test_older_keys_still_open_sessions_after_a_key_change() -> None:
    config = load_config({"SECRET_KEY": "n" * 40, "SECRET_KEY_FALLBACKS": "o" * 40})
    assert config["SECRET_KEY_FALLBACKS"] == ["o" * 40]
    old, new = Flask("old"), Flask("new")
    old.secret_key = "o" * 40
    new.config.update(
        SECRET_KEY=config["SECRET_KEY"], SECRET_KEY_FALLBACKS=config["SECRET_KEY_FALLBACKS"]
    )
    signed = old.session_interface.get_signing_serializer(old).dumps({"sid": "x"})  # type: ignore[attr-defined]
    assert new.session_interface.get_signing_serializer(new).loads(signed) == {"sid": "x"}  # type: ignore[attr-defined]
