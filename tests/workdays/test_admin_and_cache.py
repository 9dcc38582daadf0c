from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.accounts.models import User
from portal.workdays.calendar import add_working_days, is_working_day
from portal.workdays.models import CalendarException, Holiday
from tests.accounts.mfa import staff_login
from tests.workdays.conftest import at


@pytest.fixture
def province_admin(make_user):
    return make_user("quantritinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)


def test_the_calendar_is_read_in_one_query_and_then_served_from_memory(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert not is_working_day(date(2026, 2, 17))
    with django_assert_num_queries(0):
        assert add_working_days(at("2026-02-12 10:00"), 3) == at("2026-02-24 17:00")
        assert is_working_day(date(2027, 2, 11))


def test_an_exception_added_in_the_admin_is_noticed_at_once(client, province_admin):
    assert add_working_days(at("2026-03-09 09:00"), 3) == at("2026-03-12 17:00")
    staff_login(client, province_admin)
    response = client.post(
        reverse("admin:workdays_calendarexception_add"),
        {"date": "2026-03-10", "kind": "day_off", "note": "Nghỉ bù theo quyết định của UBND tỉnh"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarException.objects.get(date=date(2026, 3, 10)).kind == CalendarException.Kind.DAY_OFF
    assert add_working_days(at("2026-03-09 09:00"), 3) == at("2026-03-13 17:00")


def test_a_holiday_deleted_in_the_admin_is_noticed_at_once(client, province_admin):
    assert not is_working_day(date(2026, 11, 24))
    staff_login(client, province_admin)
    holiday = Holiday.objects.get(date=date(2026, 11, 24))
    response = client.post(reverse("admin:workdays_holiday_delete", args=[holiday.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert is_working_day(date(2026, 11, 24))


def test_a_holiday_edited_in_the_admin_becomes_the_administrators_and_seeding_keeps_it(
    client, province_admin
):
    from django.core.management import call_command

    holiday = Holiday.objects.get(date=date(2026, 2, 17))
    staff_login(client, province_admin)
    response = client.post(
        reverse("admin:workdays_holiday_change", args=[holiday.pk]),
        {"date": "2026-02-17", "name": "Mùng 1 Tết Bính Ngọ"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call_command("seed_holidays", from_year=2026, to_year=2026, stdout=__import__("io").StringIO())
    holiday.refresh_from_db()
    assert (holiday.name, holiday.source) == ("Mùng 1 Tết Bính Ngọ", Holiday.Source.ADMIN)


@pytest.mark.parametrize("role", [User.Role.ONESTOP_OFFICER, User.Role.DEPARTMENT_ADMIN, User.Role.LEADER])
def test_other_staff_may_not_see_or_change_the_calendar(client, make_user, role):
    staff_login(client, make_user("canbo", role=role, is_staff=True))
    assert client.get(reverse("admin:workdays_calendarexception_changelist")).status_code == 403
    response = client.post(
        reverse("admin:workdays_calendarexception_add"), {"date": "2026-03-10", "kind": "day_off"}
    )
    assert response.status_code == 403
    assert not CalendarException.objects.filter(date=date(2026, 3, 10)).exists()


def test_a_superuser_and_a_province_admin_may_manage_the_calendar(client, make_user, province_admin):
    for user in [province_admin, make_user("sieuquantri", is_staff=True, is_superuser=True)]:
        staff_login(client, user)
        assert client.get(reverse("admin:workdays_calendarexception_changelist")).status_code == 200
        assert client.get(reverse("admin:workdays_holiday_changelist")).status_code == 200


def test_an_exception_that_changes_nothing_is_refused():
    with pytest.raises(ValidationError, match="vốn là ngày nghỉ"):
        CalendarException(date=date(2026, 3, 7), kind=CalendarException.Kind.DAY_OFF).full_clean()
    with pytest.raises(ValidationError, match="vốn là ngày làm việc"):
        CalendarException(date=date(2026, 3, 10), kind=CalendarException.Kind.WORKING_DAY).full_clean()
    CalendarException(date=date(2026, 4, 30), kind=CalendarException.Kind.WORKING_DAY).full_clean()


def test_a_write_that_was_not_announced_shows_once_the_process_copy_is_too_old(monkeypatch):
    assert is_working_day(date(2026, 3, 10))
    # bulk_create sends no signal: nothing bumps the calendar's version.
    CalendarException.objects.bulk_create(
        [CalendarException(date=date(2026, 3, 10), kind=CalendarException.Kind.DAY_OFF)]
    )
    assert is_working_day(date(2026, 3, 10))  # served from this process's copy
    monkeypatch.setattr("portal.workdays.calendar.MAX_AGE_SECONDS", 0)
    assert not is_working_day(date(2026, 3, 10))


def test_an_exception_saved_anywhere_is_noticed_at_once():
    assert is_working_day(date(2026, 3, 10))
    CalendarException.objects.create(date=date(2026, 3, 10), kind=CalendarException.Kind.DAY_OFF)
    assert not is_working_day(date(2026, 3, 10))  # the workdays receivers bumped the version
