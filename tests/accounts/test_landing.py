"""Staff land on their work page after signing in and do not see the citizen's menu; citizens land on their dossiers;
a safe ``next`` address still wins (portal/accounts/landing.py, the adapter, base.html)."""

import pytest
from django.urls import reverse

from portal.accounts.models import User
from tests.accounts.mfa import staff_login, totp_enrol, totp_now, totp_secret

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
LOGIN = "/tai-khoan/dang-nhap/"
JUSTICE = "000.00.05.H01"  # Sở Tư pháp
OFFICER_HOME = "/ho-so/can-bo/"


def sign_in(client, user, next_url: str | None = None):
    """Sign in with the password and, for a member of staff, the authenticator code; the last redirect."""
    data = {"login": user.username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        secret = totp_secret(totp_enrol(user))
        response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize("role", [User.Role.ONESTOP_OFFICER, User.Role.HANDLING_OFFICER, User.Role.LEADER])
def test_an_officer_with_a_queue_lands_on_the_officer_home(client, make_user, role):
    officer = make_user("canbo_den", role=role, agency_code=JUSTICE)
    totp_enrol(officer)

    assert sign_in(client, officer) == reverse("dossiers:officer_home") == OFFICER_HOME


@pytest.mark.parametrize("role", [User.Role.DEPARTMENT_ADMIN, User.Role.PROVINCE_ADMIN])
def test_an_admin_without_a_queue_lands_on_staff_management(client, make_user, role):
    admin = make_user("quantri_den", role=role, agency_code=JUSTICE)
    totp_enrol(admin)

    assert sign_in(client, admin) == reverse("accounts:staff_list")


def test_a_user_of_the_django_admin_alone_lands_on_the_admin(client, make_user):
    admin_user = make_user("bien_tap_vien", is_staff=True)
    totp_enrol(admin_user)

    assert sign_in(client, admin_user) == reverse("admin:index")


def test_a_citizen_lands_on_their_dossiers(client, make_user):
    assert sign_in(client, make_user("congdan_den")) == reverse("dossiers:my_dossiers")


def test_a_safe_next_address_still_wins_for_staff(client, make_user):
    officer = make_user("canbo_tiep", role=User.Role.ONESTOP_OFFICER, agency_code=JUSTICE)
    totp_enrol(officer)

    assert (
        sign_in(client, officer, next_url="/tai-khoan/thong-tin-ca-nhan/") == "/tai-khoan/thong-tin-ca-nhan/"
    )


def test_an_address_on_another_site_is_ignored(client, make_user):
    officer = make_user("canbo_ngoai", role=User.Role.ONESTOP_OFFICER, agency_code=JUSTICE)
    totp_enrol(officer)

    assert sign_in(client, officer, next_url="https://example.com/") == OFFICER_HOME


def test_staff_see_no_citizen_menu_but_keep_notifications_account_and_sign_out(client, make_user):
    officer = make_user("canbo_menu", role=User.Role.HANDLING_OFFICER, agency_code=JUSTICE)
    staff_login(client, officer)

    header = client.get(OFFICER_HOME).content.decode().split("</nav>")[0]

    assert "Hồ sơ của tôi" not in header and reverse("dossiers:my_dossiers") not in header
    assert "Thông báo (0)" in header and "Tài khoản" in header and "Đăng xuất" in header


def test_citizens_keep_their_menu(client, make_user):
    client.force_login(make_user("congdan_menu"))

    header = client.get("/").content.decode().split("</nav>")[0]

    assert "Hồ sơ của tôi" in header and "Thông báo (0)" in header


def test_signing_in_from_the_home_page_leads_to_the_persons_own_start_page(client):
    header = client.get("/").content.decode().split("</nav>")[0]
    procedures = client.get("/thu-tuc/").content.decode().split("</nav>")[0]

    assert f'href="{LOGIN}"' in header
    assert f'href="{LOGIN}?next=/thu-tuc/"' in procedures
