import io
from datetime import date

import pytest
from django.core.management import call_command

from portal.workdays.calendar import is_working_day
from portal.workdays.models import CalendarException, Holiday


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def test_tet_2026_closes_the_offices_from_saturday_14_to_sunday_22_february():
    assert Holiday.objects.get(date=date(2026, 2, 17)).name == "Tết Nguyên Đán"  # Mùng 1 Tết Bính Ngọ
    assert Holiday.objects.get(date=date(2026, 2, 16)).name == "Giao thừa Tết Nguyên Đán"
    assert is_working_day(date(2026, 2, 13))
    assert not any(is_working_day(day) for day in days("2026-02-14", "2026-02-22"))
    assert is_working_day(date(2026, 2, 23))


def test_tet_2027_falls_on_a_weekend_and_is_given_back_on_the_weekdays_around_it():
    assert Holiday.objects.get(date=date(2027, 2, 6)).name == "Tết Nguyên Đán"  # a Saturday
    assert is_working_day(date(2027, 2, 3))
    assert not any(is_working_day(day) for day in days("2027-02-04", "2027-02-10"))
    assert is_working_day(date(2027, 2, 11))


def test_hung_kings_day_2026_falls_on_a_sunday_and_is_given_back_on_monday():
    assert not is_working_day(date(2026, 4, 27))
    assert Holiday.objects.get(date=date(2026, 4, 27)).name == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_reunification_day_and_labour_day_are_holidays():
    assert is_working_day(date(2026, 4, 29))
    assert not is_working_day(date(2026, 4, 30))
    assert not is_working_day(date(2026, 5, 1))
    assert is_working_day(date(2026, 5, 4))


def test_national_day_2026_closes_monday_31_august_to_2_september_and_saturday_22_august_is_worked():
    assert not any(is_working_day(day) for day in days("2026-08-31", "2026-09-02"))
    assert is_working_day(date(2026, 9, 3))
    assert is_working_day(date(2026, 8, 22))
    assert CalendarException.objects.get(date=date(2026, 8, 22)).kind == CalendarException.Kind.WORKING_DAY


def test_an_ordinary_week_works_monday_to_friday():
    assert [is_working_day(day) for day in days("2026-03-09", "2026-03-15")] == [True] * 5 + [False] * 2


def test_seeding_again_changes_nothing_and_says_so_in_vietnamese():
    out = io.StringIO()
    call_command("seed_holidays", from_year=2025, to_year=2027, stdout=out)
    assert (
        "0 mới, 0 cập nhật, 42 không đổi, 0 bỏ, 0 giữ theo quản trị viên; ngày làm bù: 0 mới"
        in out.getvalue()
    )


def test_seeding_keeps_what_an_administrator_entered_and_refreshes_its_own_rows():
    Holiday.objects.filter(date=date(2026, 2, 17)).update(name="Mùng 1 Tết", source=Holiday.Source.ADMIN)
    Holiday.objects.filter(date=date(2026, 9, 2)).update(name="sai")
    Holiday.objects.create(date=date(2026, 6, 1), name="ước tính cũ", source=Holiday.Source.SEEDED)
    out = io.StringIO()
    call_command("seed_holidays", from_year=2026, to_year=2026, stdout=out)
    assert "0 mới, 1 cập nhật, 12 không đổi, 1 bỏ, 1 giữ theo quản trị viên" in out.getvalue()
    assert Holiday.objects.get(date=date(2026, 2, 17)).name == "Mùng 1 Tết"
    assert Holiday.objects.get(date=date(2026, 9, 2)).name == "Quốc khánh"
    assert not Holiday.objects.filter(date=date(2026, 6, 1)).exists()


def test_seeding_never_replaces_an_exception_already_on_a_make_up_day():
    CalendarException.objects.filter(date=date(2026, 8, 22)).update(
        kind=CalendarException.Kind.DAY_OFF, note="x"
    )
    call_command("seed_holidays", from_year=2026, to_year=2026, stdout=io.StringIO())
    assert CalendarException.objects.get(date=date(2026, 8, 22)).note == "x"


def test_the_default_years_run_from_last_year_to_two_years_ahead():
    out = io.StringIO()
    call_command("seed_holidays", stdout=out)
    this_year = date.today().year
    assert f"Ngày nghỉ lễ {this_year - 1}–{this_year + 2}:" in out.getvalue()
    assert Holiday.objects.filter(date__year=this_year + 2).exists()


def test_years_in_the_wrong_order_are_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_holidays", from_year=2027, to_year=2026, stdout=io.StringIO())
