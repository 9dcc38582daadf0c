from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.test import override_settings

from portal.workdays.calendar import (
    add_working_days,
    add_working_hours,
    extend_for_pause,
    handover_due,
    is_working_day,
    next_working_day_start,
    outcome,
    working_days_between,
)
from portal.workdays.models import CalendarException, Outcome
from tests.workdays.conftest import at

# March 2026: Monday 9 to Friday 13 is an ordinary week.


def test_received_on_a_working_day_at_nine_with_3_days_is_due_at_17_on_the_third_following_working_day():
    assert add_working_days(at("2026-03-09 09:00"), 3) == at("2026-03-12 17:00")


def test_received_on_friday_at_16_or_at_10_the_deadline_is_the_same_because_the_day_of_reception_never_counts():
    assert add_working_days(at("2026-03-06 10:00"), 3) == at("2026-03-11 17:00")
    assert add_working_days(at("2026-03-06 16:00"), 3) == at("2026-03-11 17:00")


def test_received_on_friday_at_16_the_dossier_reaches_the_handling_agency_on_monday_and_at_10_the_same_day():
    assert handover_due(at("2026-03-06 10:00")) == at("2026-03-06 17:00")
    assert handover_due(at("2026-03-06 15:00")) == at("2026-03-06 17:00")
    assert handover_due(at("2026-03-06 15:01")) == at("2026-03-09 17:00")
    assert handover_due(at("2026-03-06 16:00")) == at("2026-03-09 17:00")
    assert handover_due(at("2026-03-06 16:00"), cutoff=time(16, 30)) == at("2026-03-06 17:00")


@override_settings(PORTAL_TRANSFER_CUTOFF="16:30")
def test_the_transfer_cutoff_comes_from_the_setting():
    assert handover_due(at("2026-03-06 16:00")) == at("2026-03-06 17:00")


def test_received_on_saturday_counting_starts_on_monday():
    assert add_working_days(at("2026-03-07 09:00"), 1) == at("2026-03-09 17:00")
    assert handover_due(at("2026-03-07 09:00")) == at("2026-03-09 17:00")


def test_a_deadline_crossing_tet_2026_skips_the_whole_holiday():
    # Thursday 12/02 at 10:00, 3 days: Friday 13/02, then Tết until Sunday 22/02, then Monday 23 and Tuesday 24.
    assert add_working_days(at("2026-02-12 10:00"), 3) == at("2026-02-24 17:00")


def test_a_deadline_crossing_30_april_and_1_may_2026_skips_both():
    assert add_working_days(at("2026-04-28 09:00"), 2) == at("2026-05-04 17:00")


def test_half_a_day_ends_with_the_morning_session():
    assert add_working_days(at("2026-03-09 09:00"), Decimal("0.5")) == at("2026-03-10 11:30")
    assert add_working_days(at("2026-03-09 09:00"), Decimal("2.5")) == at("2026-03-12 11:30")


def test_zero_days_means_within_the_day_or_the_next_working_day_when_received_on_a_day_off():
    assert add_working_days(at("2026-03-09 09:00"), 0) == at("2026-03-09 17:00")
    assert add_working_days(at("2026-03-07 09:00"), 0) == at("2026-03-09 17:00")


def test_a_compensatory_day_off_pushes_a_deadline_back_by_a_day():
    CalendarException.objects.create(date=date(2026, 3, 10), kind=CalendarException.Kind.DAY_OFF)
    assert not is_working_day(date(2026, 3, 10))
    assert add_working_days(at("2026-03-09 09:00"), 3) == at("2026-03-13 17:00")


def test_a_make_up_working_saturday_brings_a_deadline_forward():
    assert add_working_days(at("2026-03-12 09:00"), 2) == at("2026-03-16 17:00")
    CalendarException.objects.create(date=date(2026, 3, 14), kind=CalendarException.Kind.WORKING_DAY)
    assert add_working_days(at("2026-03-12 09:00"), 2) == at("2026-03-14 17:00")


def test_a_make_up_working_day_wins_over_a_holiday():
    CalendarException.objects.create(date=date(2026, 4, 30), kind=CalendarException.Kind.WORKING_DAY)
    assert is_working_day(date(2026, 4, 30))


def test_an_hours_deadline_runs_through_lunch_on_the_office_clock():
    assert add_working_hours(at("2026-03-09 10:30"), 4) == at("2026-03-09 16:30")


def test_an_hours_deadline_runs_through_the_night_and_the_weekend_on_the_office_clock():
    assert add_working_hours(at("2026-03-09 16:00"), 4) == at("2026-03-10 10:30")
    assert add_working_hours(at("2026-03-06 16:00"), Decimal("2.5")) == at("2026-03-09 09:00")


def test_an_hours_deadline_ending_at_a_close_is_that_close():
    assert add_working_hours(at("2026-03-09 07:30"), 4) == at("2026-03-09 11:30")
    assert add_working_hours(at("2026-03-09 07:30"), Decimal("7.5")) == at("2026-03-09 17:00")


def test_hours_counted_from_outside_office_hours_start_at_the_next_opening():
    assert add_working_hours(at("2026-03-09 12:00"), 1) == at("2026-03-09 14:30")
    assert add_working_hours(at("2026-03-07 10:00"), 1) == at("2026-03-09 08:30")
    assert add_working_hours(at("2026-03-09 18:00"), 1) == at("2026-03-10 08:30")


@override_settings(PORTAL_OFFICE_HOURS=[("08:00", "12:00"), ("13:00", "17:30")])
def test_office_hours_come_from_the_setting():
    assert add_working_days(at("2026-03-09 09:00"), 1) == at("2026-03-10 17:30")
    assert add_working_days(at("2026-03-09 09:00"), Decimal("0.5")) == at("2026-03-10 12:00")
    assert add_working_hours(at("2026-03-09 11:00"), 2) == at("2026-03-09 14:00")
    assert next_working_day_start(at("2026-03-09 09:00")) == at("2026-03-10 08:00")


def test_the_next_working_day_starts_at_the_first_opening_after_the_day_off():
    assert next_working_day_start(at("2026-03-06 16:00")) == at("2026-03-09 07:30")
    assert next_working_day_start(at("2026-02-13 10:00")) == at("2026-02-23 07:30")


def test_working_days_between_counts_office_time_only():
    assert working_days_between(at("2026-03-09 09:00"), at("2026-03-12 09:00")) == Decimal("3.00")
    assert working_days_between(at("2026-03-06 16:00"), at("2026-03-09 09:00")) == Decimal("0.33")
    assert working_days_between(at("2026-03-09 11:30"), at("2026-03-09 13:30")) == Decimal("0.00")
    assert working_days_between(at("2026-02-13 07:30"), at("2026-02-23 17:00")) == Decimal("2.00")
    assert working_days_between(at("2026-03-12 09:00"), at("2026-03-09 09:00")) == Decimal("-3.00")


def test_a_pause_moves_the_deadline_by_the_working_time_it_lasted():
    due = add_working_days(at("2026-03-09 09:00"), 3)  # Thursday 12/03 17:00
    paused_from, paused_until = at("2026-03-10 09:00"), at("2026-03-12 09:00")
    assert working_days_between(paused_from, paused_until) == Decimal("2.00")
    assert extend_for_pause(due, paused_from, paused_until) == at("2026-03-16 17:00")


def test_a_pause_over_a_weekend_costs_only_its_office_time():
    due = at("2026-03-12 17:00")
    assert extend_for_pause(due, at("2026-03-06 16:00"), at("2026-03-09 09:00")) == at("2026-03-13 10:00")


def test_outcome_is_early_before_the_due_day_on_time_through_its_deadline_and_late_after():
    due = at("2026-03-12 17:00")
    assert outcome(at("2026-03-11 16:59"), due) == Outcome.EARLY
    assert outcome(at("2026-03-12 07:00"), due) == Outcome.ON_TIME
    assert outcome(due, due) == Outcome.ON_TIME
    assert outcome(at("2026-03-12 17:00:01"), due) == Outcome.LATE
    assert outcome(at("2026-03-13 08:00"), due) == Outcome.LATE
    assert Outcome.LATE.label == "Quá hạn"


def test_moments_in_another_timezone_are_read_as_local_time_and_answered_in_it():
    received = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội / An Giang
    due = add_working_days(received, 3)
    assert due == at("2026-03-12 17:00")
    assert due.utcoffset().total_seconds() == 7 * 3600


def test_a_naive_datetime_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        add_working_days(datetime(2026, 3, 9, 9, 0), 3)
    with pytest.raises(ValueError, match="timezone-aware"):
        outcome(datetime(2026, 3, 9, 9, 0), at("2026-03-09 17:00"))


def test_negative_or_odd_amounts_are_refused():
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(at("2026-03-09 09:00"), -1)
    with pytest.raises(ValueError, match="hours must not be negative"):
        add_working_hours(at("2026-03-09 09:00"), Decimal("-0.5"))
    with pytest.raises(ValueError, match="whole or half"):
        add_working_days(at("2026-03-09 09:00"), Decimal("0.3"))
    with pytest.raises(TypeError):
        add_working_days(at("2026-03-09 09:00"), "3")


def test_a_datetime_is_not_taken_for_a_date():
    with pytest.raises(TypeError, match="takes a date"):
        is_working_day(at("2026-02-17 09:00"))
