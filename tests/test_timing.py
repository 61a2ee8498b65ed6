"""Durations, frequencies, days and dates as a playbook writes them."""

from __future__ import annotations

from datetime import date

import pytest

from generator.model.days import parse_days
from generator.model.frequency import parse_frequency
from generator.model.timing import (
    Frequency,
    TimingError,
    parse_date,
    parse_duration,
)
from generator.pages.hours import format_hours, format_minutes, weekly_hours


def error(func: object, *args: object) -> str:
    with pytest.raises(TimingError) as info:
        func(*args)  # type: ignore[operator]
    return str(info.value)


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30m", 30), ("2h", 120), ("1h30m", 90), ("90m", 90), ("1m", 1), ("10h", 600),
     ("1h 30m", 90), (" 45m ", 45)],
)
def test_valid_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("1.5h", "use whole minutes: '1h30m', not '1.5h'"),
        (90, "found the bare number 90"),
        (1.5, "found the bare number 1.5"),
        ("", "'' is not a duration"),
        ("0m", "a duration must be at least '1m'"),
        ("0h", "a duration must be at least '1m'"),
        ("2H", "'2H' is not a duration"),
        ("30 min", "'30 min' is not a duration"),
        ("h", "'h' is not a duration"),
        ("30m2h", "'30m2h' is not a duration"),
        (True, "found true"),
        (None, "found nothing"),
        (["30m"], "found a list"),
    ],
)
def test_invalid_durations(value: object, phrase: str) -> None:
    assert phrase in error(parse_duration, value)


def test_bare_number_suggests_both_units() -> None:
    message = error(parse_duration, 90)
    assert "'90m'" in message and "'90h'" in message


# --- frequencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "interval"),
    [
        ("daily", "workday", 1),
        ("weekly", "week", 1),
        ("monthly", "month", 1),
        ("quarterly", "month", 3),
        ("yearly", "year", 1),
        ("as needed", None, 1),
        ("every 3 days", "day", 3),
        ("every 1 day", "day", 1),
        ("every 2 weeks", "week", 2),
        ("every 1 week", "week", 1),
        ("every 6 months", "month", 6),
        ("every 12 months", "month", 12),
    ],
)
def test_frequency_words(text: str, unit: str | None, interval: int) -> None:
    frequency = parse_frequency(text)
    assert (frequency.unit, frequency.interval) == (unit, interval)
    assert str(frequency) == text
    assert frequency.as_needed is (unit is None)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Qurterly", "did you mean 'quarterly'?"),
        ("annually", "did you mean 'yearly'?"),
        ("fortnightly", "did you mean 'every 2 weeks'?"),
        ("triweekly", "did you mean 'every 3 weeks'?"),
        ("every weekday", "did you mean 'daily'?"),
        ("every business day", "did you mean 'daily'?"),
        ("twice a week", "write 'every: weekly' and name the days, such as "
                         "'on: [monday, thursday]'"),
        ("3x a week", "'on: [monday, wednesday, friday]'"),
        ("twice a month", "'every: monthly' and name the days, such as 'on: [day 1, day 15]'"),
        ("4 times a day", "write 'every: daily' with 'times: 4'"),
        ("daily, 4 times", "write 'every: daily' with 'times: 4'"),
        ("daily (4x)", "write 'every: daily' with 'times: 4'"),
        ("quarterly (first tuesday)", "write 'every: quarterly' and the day apart, "
                                      "'on: first tuesday'"),
        ("monthly on day 15", "write 'every: monthly' and the day apart, 'on: day 15'"),
        ("after each release", "write 'every: as needed' and 'trigger: after each release'"),
        ("every patch release", "'every: as needed' and 'trigger: every patch release'"),
        ("biweekly", "write 'every 2 weeks', or 'weekly' with two days"),
        ("bimonthly", "write 'every 2 months', or 'monthly' with two days"),
        ("twice a year", "did you mean 'every 6 months'?"),
        ("every week", "did you mean 'weekly'?"),
        ("every day", "write 'daily' for working days only, or 'every 1 day'"),
        ("Weekly", "did you mean 'weekly'? write it in lower case"),
        ("Every 2 Weeks", "did you mean 'every 2 weeks'? write it in lower case"),
        ("wekly", "did you mean 'weekly'?"),
        ("as-needed", "did you mean 'as needed'?"),
    ],
)
def test_frequency_did_you_mean(text: str, suggestion: str) -> None:
    message = error(parse_frequency, text)
    assert f"'{text}' is not a frequency" in message
    assert "daily, weekly, monthly, quarterly, yearly, as needed" in message
    assert suggestion in message


@pytest.mark.parametrize("value", ["every 0 days", "every 2 years", "hourly", "", "every week"])
def test_invalid_frequencies(value: str) -> None:
    assert "is not a frequency" in error(parse_frequency, value)


@pytest.mark.parametrize("text", ["every weekday", "twice a week", "triweekly", "every 0 days",
                                  "4 times a day", "every day", "hourly", "every 7 years"])
def test_no_suggestion_that_means_something_else(text: str) -> None:
    """The old fuzzy match answered 'every weekday' and 'triweekly' with 'every 2 weeks', and
    'twice a week' with 'every 6 months'."""
    message = error(parse_frequency, text)
    for wrong in ("'every 2 weeks'?", "'every 6 months'?", "'as needed'"):
        assert wrong not in message


@pytest.mark.parametrize(("value", "found"), [(5, "found 5"), (None, "found nothing"),
                                              (True, "found true"), (["weekly"], "found a list")])
def test_frequency_must_be_text(value: object, found: str) -> None:
    assert found in error(parse_frequency, value)


@pytest.mark.parametrize(
    ("text", "workweek_days", "per_week"),
    [
        ("daily", 5, 5.0),  # one occurrence on each of 5 working days
        ("daily", 6, 6.0),
        ("weekly", 5, 1.0),
        ("every 2 weeks", 5, 0.5),  # once per 2 weeks
        ("every 3 days", 5, 7 / 3),  # calendar days: 7 days a week / 3
        ("monthly", 5, 12 / 52),  # 12 a year over 52 weeks
        ("quarterly", 5, 4 / 52),  # 4 a year
        ("every 6 months", 5, 2 / 52),  # 2 a year
        ("yearly", 5, 1 / 52),
        ("as needed", 5, 0.0),  # no regular rhythm: counts nothing
    ],
)
def test_per_week(text: str, workweek_days: int, per_week: float) -> None:
    assert parse_frequency(text).per_week(workweek_days) == pytest.approx(per_week)


def test_frequency_is_a_value() -> None:
    assert parse_frequency("weekly") == Frequency("weekly", "week", 1)
    assert parse_frequency(" weekly ") == parse_frequency("weekly")


# --- on: --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "day"),
    [
        ("weekly", "monday"),
        ("weekly", "sunday"),
        ("every 2 weeks", "friday"),
        ("monthly", "first tuesday"),
        ("monthly", "last friday"),
        ("monthly", "day 15"),
        ("monthly", "day 1"),
        ("monthly", "day 28"),
        ("monthly", "day 31"),
        ("monthly", "last day"),
        ("monthly", "first workday"),
        ("monthly", "last workday"),
        ("quarterly", "second wednesday"),
        ("yearly", "day 3"),
        ("yearly", "december 1"),
        ("yearly", "february 29"),
        ("yearly", "last friday of march"),
        ("yearly", "last workday of december"),
        ("every 6 months", "fourth thursday"),
    ],
)
def test_valid_days(every: str, day: str) -> None:
    (parsed,) = parse_days(day, parse_frequency(every))
    assert parsed.text == day


def test_several_days() -> None:
    days = parse_days(["monday", "thursday"], parse_frequency("weekly"))
    assert [d.weekday for d in days] == [0, 3]
    days = parse_days(["day 15", "last day"], parse_frequency("monthly"))
    assert [d.monthday for d in days] == [15, 31]


@pytest.mark.parametrize(
    ("every", "day", "phrase"),
    [
        ("daily", "monday", "'on:' does not apply to 'daily' tasks"),
        ("as needed", "monday", "'on:' does not apply to 'as needed' tasks"),
        ("every 3 days", "monday", "'on:' does not apply to 'every 3 days' tasks"),
        ("weekly", "first monday", "'first monday' is not a weekday"),
        ("weekly", "Monday", "did you mean 'monday'?"),
        ("weekly", "mon", "did you mean 'monday'?"),
        ("weekly", "day 3", "is not a weekday"),
        ("monthly", "day 32", "a month has days 1 to 31; for its end write 'last day'"),
        ("monthly", "day 0", "a month has days 1 to 31"),
        ("monthly", "tuesday", "did you mean 'first tuesday'?"),
        ("monthly", "fifth monday", "is not a day of a month"),
        ("monthly", "Day 15", "did you mean 'day 15'? write it in lower case"),
        ("quarterly", "first tuesdy", "is not a day of a month"),
        ("quarterly", "march 31", "names a month, but 'quarterly' work recurs in more than one"),
        ("monthly", 15, "found 15"),
        ("yearly", "february 30", "february has days 1 to 29"),
        ("yearly", "april 31", "april has days 1 to 30"),
        ("yearly", "1 december", "did you mean 'december 1'?"),
        ("yearly", "dec 1", "did you mean 'december 1'?"),
        ("yearly", "last friday of marhc", "is not a day of a year"),
        ("weekly", [], "found an empty list"),
        ("weekly", ["monday", "monday"], "'monday' is named twice"),
        ("weekly", ["monday", "thursdy"], "item 2: 'thursdy' is not a weekday"),
    ],
)
def test_invalid_days(every: str, day: object, phrase: str) -> None:
    assert phrase in error(parse_days, day, parse_frequency(every))


# --- dates ------------------------------------------------------------------------------


def test_iso_date() -> None:
    assert parse_date("2026-10-01") == date(2026, 10, 1)
    assert parse_date("2028-02-29") == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("2027-02-29", "is not a real date"),
        ("2026-13-01", "is not a real date"),
        ("2026/10/01", "expected an ISO date such as '2026-10-01', found '2026/10/01'"),
        ("01-10-2026", "expected an ISO date"),
        ("2026-1-5", "expected an ISO date"),
        ("20261001", "expected an ISO date"),
        ("2026-10-01T10:00", "expected an ISO date"),
        (20261001, "found 20261001"),
        (None, "found nothing"),
    ],
)
def test_invalid_dates(value: object, phrase: str) -> None:
    assert phrase in error(parse_date, value)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(60, "1h"), (90, "1h30m"), (20, "20m"), (0, "0m"), (59.6, "1h"), (125, "2h05m")],
)
def test_format_minutes(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text


def test_formatted_minutes_parse_back() -> None:
    for minutes in (1, 45, 60, 61, 90, 125, 600):
        assert parse_duration(format_minutes(minutes)) == minutes


@pytest.mark.parametrize(("text", "hint"), [("every 2 years", "every 24 months"),
                                            ("every 1 year", "yearly")])
def test_years_suggest_months(text: str, hint: str) -> None:
    with pytest.raises(TimingError, match=f"did you mean '{hint}'"):
        parse_frequency(text)


def test_review_as_needed_is_refused() -> None:
    from pydantic import ValidationError

    from generator.model.records import Review

    with pytest.raises(ValidationError, match="a review needs a schedule"):
        Review.model_validate({"last": "2026-10-01", "every": "as needed"})


@pytest.mark.parametrize(("hours", "long", "short"), [
    (9.519, "9.5 h", "9.5 h"),
    (0.346, "0.3 h", "0.3 h"),
    (0.0, "0.0 h", "0.0 h"),
    (1 / 52, "under 0.1 h (1h a year)", "<0.1 h"),
    (0.75 / 52, "under 0.1 h (45m a year)", "<0.1 h"),
])
def test_one_rule_for_hours_a_week(hours: float, long: str, short: str) -> None:
    assert format_hours(hours) == long
    assert format_hours(hours, short=True) == short



@pytest.mark.parametrize(("hours", "untimed", "words"), [
    (9.519, 0, "about 9.5 h a week"),
    (2.0, 1, "at least 2.0 h a week"),
    (0.0, 3, "none known"),
    (0.0, 0, "about 0.0 h a week"),
])
def test_a_roles_hours_in_words(hours: float, untimed: int, words: str) -> None:
    """The role page's engagement line and the hiring brief's first line share this rule."""
    assert weekly_hours(hours, untimed, "none known") == words
