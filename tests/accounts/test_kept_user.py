"""The signed-in user is read from the cache on the requests after the first, never with secrets in it, and any
change to the account (deactivation, a new password, another role, other agencies) counts from the next request."""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts import kept_user
from portal.accounts.models import User
from portal.accounts.staff import services
from portal.agencies.models import Agency
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/thong-tin-ca-nhan/"
OFFICER_HOME = "/ho-so/can-bo/"
JUSTICE = "000.00.05.H01"
CONSTRUCTION = "000.00.06.H01"
USER_TABLE = f'"{User._meta.db_table}"'


def _user_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in queries if f"FROM {USER_TABLE}" in query["sql"]]


def _signed_in_as(client: Client, url: str = PROFILE) -> User | None:
    response = client.get(url)
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


@pytest.fixture
def citizen(make_user):
    return make_user(
        "congdan_kept", full_name="Nguyễn Thị Hoa", personal_id="089123454567", phone="0912345678"
    )


@pytest.fixture
def citizen_browser(citizen):
    browser = Client()
    browser.force_login(citizen)
    return browser


def test_the_second_request_of_a_signed_in_citizen_reads_no_user_row(citizen_browser):
    _signed_in_as(citizen_browser)
    assert _user_queries(citizen_browser, "/") == []


def test_without_the_cache_every_request_reads_the_user_row(citizen_browser, settings):
    settings.PORTAL_SIGNED_IN_USER_CACHE_SECONDS = 0
    _signed_in_as(citizen_browser)
    assert len(_user_queries(citizen_browser, "/")) == 1


def test_the_kept_copy_holds_neither_the_password_hash_nor_the_personal_id(citizen, citizen_browser):
    _signed_in_as(citizen_browser)
    kept = cache.get(kept_user._entry_key(citizen.pk))
    assert kept is not None
    raw = pickle.dumps(kept)
    assert citizen.password.encode() not in raw
    assert b"089123454567" not in raw
    assert b"Nguy" in raw  # the name is there: this is the right entry


def test_a_field_left_out_of_the_cache_is_read_from_the_database_when_asked_for(citizen_browser):
    _signed_in_as(citizen_browser)
    user = _signed_in_as(citizen_browser)
    assert "personal_id" not in user.__dict__
    assert user.personal_id == "089123454567"
    assert user.check_password("Mat-khau-du-dai-123")


def test_the_profile_page_still_shows_the_masked_personal_id(citizen_browser):
    _signed_in_as(citizen_browser)
    page = citizen_browser.get(PROFILE).content.decode()
    assert "********4567" in page
    assert "089123454567" not in page


def test_a_deactivated_user_is_signed_out_on_the_next_request(citizen, citizen_browser):
    assert _signed_in_as(citizen_browser) is not None
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert _signed_in_as(citizen_browser, "/") is None


def test_a_new_password_signs_out_the_other_sessions_at_once(citizen, citizen_browser):
    assert _signed_in_as(citizen_browser) is not None
    citizen.set_password("Mot-mat-khau-moi-456")
    citizen.save()
    assert _signed_in_as(citizen_browser, "/") is None


def test_a_changed_name_shows_on_the_next_request(citizen, citizen_browser):
    _signed_in_as(citizen_browser)
    User.objects.filter(pk=citizen.pk).update(full_name="Tên chưa báo")  # no signal: the kept copy stays
    assert _signed_in_as(citizen_browser).full_name == "Nguyễn Thị Hoa"
    citizen.full_name = "Trần Thị Hoa"
    citizen.save(update_fields=["full_name"])
    assert _signed_in_as(citizen_browser).full_name == "Trần Thị Hoa"


def test_saving_the_kept_user_writes_only_what_it_holds(citizen, citizen_browser):
    _signed_in_as(citizen_browser)
    user = _signed_in_as(citizen_browser)
    user.phone = "0987654321"
    user.save()
    citizen.refresh_from_db()
    assert citizen.phone == "0987654321"
    assert citizen.personal_id == "089123454567"
    assert citizen.check_password("Mat-khau-du-dai-123")


def test_a_kept_copy_made_under_another_secret_key_is_not_used(citizen, citizen_browser, settings):
    _signed_in_as(citizen_browser)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert _signed_in_as(citizen_browser) is None  # the session's hash was made with the old key


@pytest.fixture
def officer(make_user):
    return make_user("cv_kept", role=User.Role.HANDLING_OFFICER, agency_code=JUSTICE)


@pytest.fixture
def officer_browser(officer):
    browser = Client()
    staff_login(browser, officer)
    return browser


def test_an_officers_agencies_come_with_the_kept_user(officer_browser):
    officer_browser.get(OFFICER_HOME)
    with CaptureQueriesContext(connection) as queries:
        user = _signed_in_as(officer_browser, OFFICER_HOME)
    assert user.agency_ids() == [Agency.objects.get(code=JUSTICE).pk]
    assert not [
        q for q in queries if "accounts_agencymembership" in q["sql"] or f"FROM {USER_TABLE}" in q["sql"]
    ]


def test_an_officer_moved_to_another_agency_works_there_from_the_next_request(
    officer, officer_browser, make_user
):
    officer_browser.get(OFFICER_HOME)
    admin = make_user("qt_tinh_kept", role=User.Role.PROVINCE_ADMIN, is_staff=True)
    construction = Agency.objects.get(code=CONSTRUCTION)
    services.staff_memberships_set(request=None, actor=admin, user=officer, agencies=[construction])
    assert _signed_in_as(officer_browser, OFFICER_HOME).agency_ids() == [construction.pk]


def test_agencies_added_through_the_relation_count_from_the_next_request(officer, officer_browser):
    officer_browser.get(OFFICER_HOME)
    construction = Agency.objects.get(code=CONSTRUCTION)
    officer.agencies.add(construction)
    assert sorted(_signed_in_as(officer_browser, OFFICER_HOME).agency_ids()) == sorted(
        [Agency.objects.get(code=JUSTICE).pk, construction.pk]
    )
    construction.members.clear()
    assert _signed_in_as(officer_browser, OFFICER_HOME).agency_ids() == [Agency.objects.get(code=JUSTICE).pk]


def test_an_officer_given_the_citizen_role_loses_the_staff_pages_at_once(officer, officer_browser):
    assert officer_browser.get(OFFICER_HOME).status_code == 200
    officer.role = User.Role.CITIZEN
    officer.save(update_fields=["role"])
    assert officer_browser.get(OFFICER_HOME).status_code == 404
