"""Configuration from the environment; production refuses development defaults."""

from __future__ import annotations

import pytest

from samenplan.config import DEV_SECRET_KEY, ConfigError, load_config, validate_config


def test_development_defaults() -> None:
    config = load_config({})
    assert config["SAMENPLAN_ENV"] == "development"
    assert config["DATABASE_URL"].startswith("sqlite:///") and config["DATABASE_URL"].endswith(
        "instance/samenplan.db"
    )
    assert config["SESSION_IDLE_MINUTES"] == 30 and config["SESSION_ABSOLUTE_HOURS"] == 12
    assert config["SESSION_COOKIE_NAME"] == "samenplan" and not config["SESSION_COOKIE_SECURE"]
    validate_config(config)


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "too-short"])
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
    assert config["RATELIMIT_STORAGE_URI"].startswith("redis://")


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
