"""Password rules (NIST 800-63B style) and hashing."""

from __future__ import annotations

import pytest

from samenplan.accounts.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "kort-ww",
        "password123",
        "Wachtwoord1!",
        "Samenplan2026",
        "qwertyuiop1",
        "1234567890",
        "aaaaaaaaaaaa",
    ],
)
def test_guessable_or_short_passwords_are_refused(password: str) -> None:
    assert password_problem(password) is not None


def test_too_short_says_how_long() -> None:
    assert password_problem("a9#Kq!2z") == (
        "Gebruik minstens 10 tekens. Een paar woorden achter elkaar onthoud je makkelijk."
    )


def test_name_and_email_count_as_guessable() -> None:
    assert password_problem("lianne.verhoeven", user_inputs=("lianne.verhoeven@example.test",))


def test_a_few_unrelated_words_are_fine_without_composition_rules() -> None:
    assert password_problem("paraplu fietsbel wolk") is None
    assert password_problem("zonder-hoofdletters-of-cijfers") is None


def test_long_passphrases_up_to_128_characters_are_fine() -> None:
    assert password_problem("tulp-" * 12 + "zee") is None  # 63
    assert password_problem(("lantaarn-kompas-" * 8)[:128]) is None
    assert password_problem("x" * 129) == "Gebruik hoogstens 128 tekens."


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = hash_password("paraplu fietsbel wolk")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "paraplu fietsbel wolk")
    assert not verify_password(hashed, "paraplu fietsbel wolk ")
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")
