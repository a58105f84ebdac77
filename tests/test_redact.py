"""Redaction of e-mail addresses, phone numbers and listed names in free text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nps_kit.privacy.redact import EMAIL_TOKEN, NAME_TOKEN, PHONE_TOKEN, redact


def one(text: str, names=()) -> str:
    return redact(pd.Series([text]), names).iloc[0]


@pytest.mark.parametrize("address", [
    "anna@example.com", "a.b-c+tag@firma.com.pl", "OLGA.ADAMS@EXAMPLE.ORG", "x_y@sub.domain.co.uk",
])
def test_emails_are_replaced(address):
    assert one(f"Write to {address}, thanks") == f"Write to {EMAIL_TOKEN}, thanks"


@pytest.mark.parametrize("phone", [
    "+48 601 234 567", "(555) 123-4567", "555-123-4567", "555.123.4567", "+1-555-123-4567",
    "0044 20 7946 0958", "601234567", "030/1234567", "+1 786 555 0188", "+49 (0)30 1234567",
])
def test_phone_formats_are_replaced(phone):
    assert one(f"call {phone} today") == f"call {PHONE_TOKEN} today"


@pytest.mark.parametrize("text", [
    "on 2024-03-15 it broke", "since 15.03.2024", "from 15/03/2024", "rated 10 of 10",
    "version 2.4.1", "paid 1200 in 2023, 3 times", "ticket 42 took 3 days", "order 123456",
])
def test_dates_and_short_numbers_are_kept(text):
    assert one(text) == text


def test_names_case_insensitive_whole_words_and_diacritics():
    text = "Łukasz helped; later lukasz and LUKASZ too. Lukaszewski did not. Annabelle, Anna."
    out = one(text, names=["Łukasz", "anna"])
    assert out == ("[name] helped; later [name] and [name] too. Lukaszewski did not. "
                   "Annabelle, [name].")


def test_full_names_and_longest_first():
    out = one("Thanks to Anna Maria Kowalska and to Anna", names=["Anna", "Anna Maria Kowalska"])
    assert out == f"Thanks to {NAME_TOKEN} and to {NAME_TOKEN}"


def test_possessive_and_hyphenated_names():
    assert one("Tom's team and Anna-Maria", names=["Tom", "Anna Maria"]) == "[name]'s team and [name]"


def test_many_names_stay_fast_enough_to_use():
    names = [f"Name{i} Surname{i}" for i in range(5000)] + ["Vera Weber"]
    out = redact(pd.Series(["thanks vera weber", "name12 surname12 helped", "name12 alone"]), names)
    assert out.tolist() == ["thanks [name]", "[name] helped", "name12 alone"]


def test_name_with_regex_characters_is_literal():
    assert one("Ask O'Brien (ops) or OBrien", names=["O'Brien"]) == f"Ask {NAME_TOKEN} (ops) or OBrien"


def test_other_words_untouched_and_missing_kept():
    s = pd.Series(["Great support, no complaints", None, "", "Żółta dostawa była za wolna"],
                  index=[10, 11, 12, 13], name="comment")
    out = redact(s, names=["Tom"])
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "comment"
    assert out[10] == "Great support, no complaints"
    assert pd.isna(out[11])
    assert out[12] == ""
    assert out[13] == "Żółta dostawa była za wolna"


def test_everything_at_once_and_blank_names_ignored():
    text = "Mail anna@example.com or call +48 601 234 567, Anna"
    assert one(text, names=["anna", "", None, np.nan]) == f"Mail {EMAIL_TOKEN} or call {PHONE_TOKEN}, {NAME_TOKEN}"


def test_demo_comments_have_no_contacts_left():
    from nps_kit.engines.dispatch import read_table

    for file, names_from in (("demo:responses.csv", None), ("demo:employees.csv", "demo:customers.csv")):
        data = read_table(file)
        names = () if names_from is None else read_table(names_from)["contact_name"]
        out = redact(data["comment"], names).dropna()
        assert not out.str.contains("@").any()
        assert not out.str.contains(r"\d{3}[ .\-]?\d{4}", regex=True).any()
        # comments that carried contacts were changed, the others were not
        changed = out != data["comment"].dropna()
        had_contact = data["comment"].dropna().str.contains(r"@|\d{3}", regex=True)
        assert (changed | ~had_contact).all()
