"""Format checks for single answers: messages, or None when the answer is fine."""

from __future__ import annotations

from datetime import date

import pytest

from vig_tui.domain.validation import (
    check_date_not_future,
    check_email,
    check_phone,
    check_postcode,
    check_required,
    normalise_phone,
    normalise_postcode,
)

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
PHONE_MESSAGE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "name@example.com",
        "jenna.pascoe@cornwall.gov.uk",
        "first.last+vig@nhs.net",
        "  o'brien@example.co.uk  ",
    ],
)
def test_good_email_addresses_pass(value: str) -> None:
    assert check_email(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "name",
        "name@",
        "@example.com",
        "name@example",
        "name@@example.com",
        "name@example..com",
        "first..last@example.com",
        ".name@example.com",
        "name.@example.com",
        "name @example.com",
        "name@-example.com",
        "name@example.123",
        "a" * 65 + "@example.com",
    ],
)
def test_bad_email_addresses_get_the_govuk_message(value: str) -> None:
    assert check_email(value) == EMAIL_MESSAGE


def test_the_email_label_names_the_answer() -> None:
    assert check_email("tom@", "the case holder's email address") == (
        "Enter the case holder's email address in the correct format, like name@example.com"
    )


@pytest.mark.parametrize(
    ("value", "national"),
    [
        ("01209 614128", "01209614128"),
        ("01209614128", "01209614128"),
        ("07700 900 982", "07700900982"),
        ("07700-900-982", "07700900982"),
        ("(01209) 614128", "01209614128"),
        ("+44 1209 614128", "01209614128"),
        ("+447700900982", "07700900982"),
        ("+44 (0)1209 614128", "01209614128"),
        ("0044 1209 614128", "01209614128"),
        ("0800 123 456", "0800123456"),
    ],
)
def test_uk_phone_numbers_pass_and_normalise(value: str, national: str) -> None:
    assert check_phone(value) is None
    assert normalise_phone(value) == national


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "1209 614128",  # no leading 0
        "01209 6141",  # too short
        "012096141289",  # too long
        "+33 1 23 45 67 89",  # not a UK number
        "+44 01209 614128",  # the 0 belongs in brackets after +44
        "01209 614128 ext 2",
        "phone me",
        "++44 1209 614128",
    ],
)
def test_other_phone_numbers_get_the_govuk_message(value: str) -> None:
    assert check_phone(value) == PHONE_MESSAGE
    assert normalise_phone(value) is None


def test_an_empty_phone_number_passes_and_the_label_names_the_answer() -> None:
    assert check_phone("") is None
    assert check_phone("999", "your phone number") == (
        "Enter your phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    )


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("TR15 3AB", "TR15 3AB"),
        ("tr153ab", "TR15 3AB"),
        (" pl1  1aa ", "PL1 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_uk_postcodes_pass_and_normalise(value: str, normalised: str) -> None:
    assert check_postcode(value) is None
    assert normalise_postcode(value) == normalised


@pytest.mark.parametrize("value", ["TR15", "TR15 3A", "12345", "TR15 3ABC", "T 3AB", "TR15-3AB"])
def test_other_postcodes_get_a_message(value: str) -> None:
    assert check_postcode(value) == "Enter a real postcode, like TR15 3AB"
    assert normalise_postcode(value) is None


def test_an_empty_postcode_passes() -> None:
    assert check_postcode("  ") is None


def test_dates_must_not_be_in_the_future() -> None:
    today = date(2026, 11, 24)
    assert check_date_not_future(date(2026, 11, 25), "Date of birth", today) == (
        "Date of birth must be in the past"
    )
    assert check_date_not_future(today, "Date of birth", today) is None
    assert check_date_not_future(date(2020, 1, 1), "Date of birth", today) is None
    assert check_date_not_future(None, "Date of birth", today) is None


def test_required_text() -> None:
    assert check_required("", "Enter your name") == "Enter your name"
    assert check_required("  ", "Enter your name") == "Enter your name"
    assert check_required(None, "Enter your name") == "Enter your name"
    assert check_required("Jenna", "Enter your name") is None


@pytest.mark.parametrize(
    "message",
    [
        EMAIL_MESSAGE,
        PHONE_MESSAGE,
        "Enter a real postcode, like TR15 3AB",
    ],
)
def test_messages_use_plain_words(message: str) -> None:
    assert "invalid" not in message.lower()
    assert "please" not in message.lower()
