"""The privacy nudge's finder: what it names, and what it leaves alone."""

from __future__ import annotations

import pytest

from forum_tui.domain.identifying import find_identifying, nhs_number_is_valid


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_identifying(text)]


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "401-023-2137"])
def test_valid_nhs_numbers_are_found(number: str) -> None:
    assert kinds(f"His number is {number} if that helps") == [("NHS number", number)]


def test_nhs_check_digit() -> None:
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")  # wrong check digit
    assert not nhs_number_is_valid("943476591")  # too short
    # Ten digits with a bad check digit are not called an NHS number.
    assert ("NHS number", "943 476 5918") not in kinds("ref 943 476 5918")


@pytest.mark.parametrize(
    "phone", ["07700 900123", "0113 496 0000", "+44 7700 900123", "07700900123"]
)
def test_uk_phone_numbers(phone: str) -> None:
    assert kinds(f"ring me on {phone} after six") == [("phone number", phone)]


def test_email_postcode_date_and_name() -> None:
    text = "Mary Jones, born 12/03/1950, lives at LS6 2AB; write to mary.j@example.org"
    assert kinds(text) == [
        ("full name", "Mary Jones"),
        ("date (of birth?)", "12/03/1950"),
        ("postcode", "LS6 2AB"),
        ("email address", "mary.j@example.org"),
    ]
    assert kinds("born on 3rd March 1948") == [("date (of birth?)", "3rd March 1948")]


def test_phone_and_nhs_number_in_one_reply() -> None:
    found = kinds("Call 07700 900123 - her NHS number is 943 476 5919.")
    assert found == [("phone number", "07700 900123"), ("NHS number", "943 476 5919")]


@pytest.mark.parametrize(
    "text",
    [
        "We had a week at my sister's. It helped.",
        "Carers' Corner meets on 12 March at Community Mental Health.",
        "Three nights of no sleep again, 4 hours at most.",
        "The group has 1200 members and 35 threads.",
        "",
    ],
)
def test_ordinary_text_finds_nothing(text: str) -> None:
    assert kinds(text) == []
