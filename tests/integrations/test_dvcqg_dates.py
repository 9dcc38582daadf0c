"""The national portal's dates: yyyyMMddHHmmss in Vietnam's time, whatever time zone the moment was taken in."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from integrations.dvcqg.dates import VIETNAM, format_datetime, parse_datetime


def test_a_moment_in_utc_is_written_in_vietnams_time():
    assert format_datetime(datetime(2026, 11, 25, 1, 30, tzinfo=UTC)) == "20261125083000"


def test_a_moment_late_in_the_utc_day_is_the_next_day_in_vietnam():
    assert format_datetime(datetime(2026, 12, 31, 20, 0, 5, tzinfo=UTC)) == "20270101030005"


def test_a_moment_in_another_zone_is_converted_too():
    paris = timezone(timedelta(hours=1))

    assert format_datetime(datetime(2026, 11, 25, 2, 0, tzinfo=paris)) == "20261125080000"


def test_a_naive_moment_is_taken_as_vietnams_time():
    assert format_datetime(datetime(2026, 11, 25, 8, 0)) == "20261125080000"


def test_a_day_is_written_at_midnight():
    assert format_datetime(date(2026, 11, 25)) == "20261125000000"


def test_dates_round_trip_to_the_same_moment():
    moment = datetime(2026, 11, 25, 1, 30, 45, tzinfo=UTC)

    back = parse_datetime(format_datetime(moment))

    assert back == moment
    assert back.tzinfo == VIETNAM and back.hour == 8


def test_none_stays_none():
    assert format_datetime(None) is None
    assert parse_datetime(None) is None


@pytest.mark.parametrize(
    "text", ["2026112508000", "25/11/2026 08:00", "20261131080000", "2026112508000a", ""]
)
def test_anything_but_a_real_moment_in_fourteen_digits_is_refused(text):
    with pytest.raises(ValueError):
        parse_datetime(text)
