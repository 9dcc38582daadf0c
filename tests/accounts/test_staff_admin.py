"""Admins manage staff in their own scope: a department admin the officers of their own agencies, a province admin
everyone. Every change is audited; anyone else, and anything outside the scope, gets 404."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.accounts.models import AgencyMembership, User
from portal.accounts.staff import services
from portal.agencies.models import Agency
from portal.audit.models import AuditEvent
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

JUSTICE = "000.00.05.H01"
CONSTRUCTION = "000.00.06.H01"
LIST = "/tai-khoan/can-bo/"
CREATE = "/tai-khoan/can-bo/them/"
Role = User.Role
Event = AuditEvent.Event


@pytest.fixture
def justice_admin(make_user):
    return make_user("qt_tuphap", role=Role.DEPARTMENT_ADMIN, agency_code=JUSTICE, is_staff=True)


@pytest.fixture
def province_admin(make_user):
    return make_user("qt_tinh", role=Role.PROVINCE_ADMIN, is_staff=True)


@pytest.fixture
def justice_officer(make_user):
    return make_user("cv_tuphap", role=Role.HANDLING_OFFICER, agency_code=JUSTICE, full_name="Lê Minh Châu")


@pytest.fixture
def construction_officer(make_user):
    return make_user(
        "cv_xaydung", role=Role.HANDLING_OFFICER, agency_code=CONSTRUCTION, full_name="Đỗ Văn Xây"
    )


def _as(user: User) -> Client:
    browser = Client()
    staff_login(browser, user)
    return browser


def _detail(user: User) -> str:
    return f"/tai-khoan/can-bo/{user.pk}/"


def _new_staff(**overrides) -> dict:
    return {
        "username": "motcua_moi",
        "full_name": "Trần Thị Mới",
        "email": "moi@example.invalid",
        "job_title": "Chuyên viên",
        "role": Role.HANDLING_OFFICER,
        "agencies": [JUSTICE],
        **overrides,
    }


# --- deny by default ------------------------------------------------------------------------------------------------


def _every_address(target: User) -> list[tuple[str, str]]:
    return [
        ("get", LIST),
        ("get", CREATE),
        ("post", CREATE),
        ("get", _detail(target)),
        ("post", f"{_detail(target)}vai-tro/"),
        ("post", f"{_detail(target)}co-quan/"),
        ("post", f"{_detail(target)}khoa/"),
    ]


def test_citizens_and_officers_get_404_on_every_staff_management_address(make_user, justice_officer):
    citizen = make_user("congdan")
    leader = make_user("lanhdao", role=Role.LEADER, agency_code=JUSTICE)
    for user in (citizen, leader, justice_officer):
        browser = _as(user)
        for method, url in _every_address(justice_officer):
            response = getattr(browser, method)(url, {"role": Role.LEADER} if method == "post" else None)
            assert response.status_code == 404, (user.username, method, url)
    justice_officer.refresh_from_db()
    assert (justice_officer.role, justice_officer.is_active) == (Role.HANDLING_OFFICER, True)
    assert not AuditEvent.objects.filter(event__in=[Event.ROLE_CHANGED, Event.STAFF_CREATED]).exists()


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


# --- the list -------------------------------------------------------------------------------------------------------


def test_department_admin_sees_only_their_own_agencys_staff(
    justice_admin, justice_officer, construction_officer
):
    html = _as(justice_admin).get(LIST).content.decode()
    assert "cv_tuphap" in html
    assert "cv_xaydung" not in html
    assert "qt_tuphap" not in html  # admins are managed by the province


def test_province_admin_sees_staff_of_every_agency(province_admin, justice_officer, construction_officer):
    html = _as(province_admin).get(LIST).content.decode()
    assert "cv_tuphap" in html and "cv_xaydung" in html


def test_list_filters_by_agency_and_role(province_admin, justice_officer, construction_officer, make_user):
    make_user("lanhdao_tp", role=Role.LEADER, agency_code=JUSTICE)
    browser = _as(province_admin)
    html = browser.get(LIST, {"co_quan": JUSTICE, "vai_tro": Role.LEADER}).content.decode()
    assert "lanhdao_tp" in html
    assert "cv_tuphap" not in html and "cv_xaydung" not in html


def test_a_filter_outside_the_scope_gets_a_vietnamese_message_not_an_error(justice_admin, justice_officer):
    response = _as(justice_admin).get(
        LIST, {"co_quan": CONSTRUCTION, "vai_tro": Role.PROVINCE_ADMIN, "q": "x" * 500}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "không thuộc phạm vi quản lý của bạn" in html
    assert "Bạn không được cấp vai trò này." in html


# --- creating staff -------------------------------------------------------------------------------------------------


def test_department_admin_creates_an_officer_who_gets_an_email_to_set_a_password(
    justice_admin, django_capture_on_commit_callbacks
):
    browser = _as(justice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(CREATE, _new_staff())

    assert response.status_code == 302
    user = User.objects.get(username="motcua_moi")
    assert (user.role, user.full_name, user.job_title, user.is_staff) == (
        Role.HANDLING_OFFICER,
        "Trần Thị Mới",
        "Chuyên viên",
        False,
    )
    assert list(user.memberships.values_list("agency__code", flat=True)) == [JUSTICE]
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(event=Event.STAFF_CREATED, user=user)
    assert event.actor == justice_admin
    assert event.details == {"role": Role.HANDLING_OFFICER, "agencies": [JUSTICE]}

    assert [m.to for m in mail.outbox] == [["moi@example.invalid"]]
    link = re.search(r"http://testserver(/tai-khoan/kich-hoat/\S+)", mail.outbox[0].body).group(1)
    newcomer = Client()
    form_page = newcomer.get(link, follow=True)
    assert form_page.status_code == 200
    password = "Mot-mat-khau-rat-dai-2026"
    done = newcomer.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    assert AuditEvent.objects.filter(event=Event.PASSWORD_CHANGED, user=user).exists()
    assert newcomer.get(link, follow=True).context["validlink"] is False  # the link works once


def test_department_admin_cannot_grant_an_admin_role(justice_admin, justice_officer):
    browser = _as(justice_admin)
    for role in (Role.PROVINCE_ADMIN, Role.DEPARTMENT_ADMIN):
        response = browser.post(CREATE, _new_staff(role=role))
        assert response.status_code == 400
        assert "Bạn không được cấp vai trò này." in response.content.decode()
        response = browser.post(f"{_detail(justice_officer)}vai-tro/", {"role": role})
        assert response.status_code == 400
    assert not User.objects.filter(username="motcua_moi").exists()
    justice_officer.refresh_from_db()
    assert justice_officer.role == Role.HANDLING_OFFICER
    assert not AuditEvent.objects.filter(event__in=[Event.ROLE_CHANGED, Event.STAFF_CREATED]).exists()
    with pytest.raises(services.AccountError):
        services.staff_role_change(
            request=None, actor=justice_admin, user=justice_officer, role=Role.PROVINCE_ADMIN
        )


def test_department_admin_cannot_place_new_staff_in_another_agency(justice_admin):
    response = _as(justice_admin).post(CREATE, _new_staff(agencies=[CONSTRUCTION]))
    assert response.status_code == 400
    assert "không thuộc phạm vi quản lý của bạn" in response.content.decode()
    assert not User.objects.filter(username="motcua_moi").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "A" * 10_000}, "Họ và tên dài tối đa 150 ký tự"),
        ({"email": "khong-phai-thu"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"username": "có khoảng trắng"}, "Tên đăng nhập chỉ gồm chữ cái"),
        ({"username": "x" * 10_000}, "Tên đăng nhập dài tối đa 150 ký tự"),
        ({"username": "QT_TUPHAP"}, "Tên đăng nhập này đã có người dùng."),
        ({"agencies": []}, "Cán bộ cần thuộc ít nhất một cơ quan."),
        ({"agencies": ["khong-co"]}, "không thuộc phạm vi quản lý của bạn"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_nothing_is_written(justice_admin, overrides, message):
    users_before = User.objects.count()
    response = _as(justice_admin).post(CREATE, _new_staff(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == users_before
    assert not mail.outbox
    assert not AuditEvent.objects.filter(event=Event.STAFF_CREATED).exists()


def test_an_empty_form_says_what_is_missing(justice_admin):
    response = _as(justice_admin).post(CREATE, {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng nhập tên đăng nhập." in html and "Vui lòng nhập địa chỉ thư điện tử." in html


def test_an_email_already_in_use_is_refused(justice_admin, make_user):
    make_user("congdan", email="moi@example.invalid")
    response = _as(justice_admin).post(CREATE, _new_staff(email="MOI@example.invalid"))
    assert response.status_code == 400
    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in response.content.decode()


# --- changing staff -------------------------------------------------------------------------------------------------


def test_department_admin_cannot_touch_staff_of_another_agency(justice_admin, construction_officer):
    browser = _as(justice_admin)
    assert browser.get(_detail(construction_officer)).status_code == 404
    assert browser.post(f"{_detail(construction_officer)}vai-tro/", {"role": Role.LEADER}).status_code == 404
    assert (
        browser.post(f"{_detail(construction_officer)}co-quan/", {"agencies": [JUSTICE]}).status_code == 404
    )
    assert browser.post(f"{_detail(construction_officer)}khoa/").status_code == 404
    construction_officer.refresh_from_db()
    assert (construction_officer.role, construction_officer.is_active) == (Role.HANDLING_OFFICER, True)
    assert list(construction_officer.memberships.values_list("agency__code", flat=True)) == [CONSTRUCTION]


def test_department_admin_cannot_touch_another_admin(justice_admin, make_user):
    peer = make_user("qt_tuphap_2", role=Role.DEPARTMENT_ADMIN, agency_code=JUSTICE)
    assert _as(justice_admin).post(f"{_detail(peer)}khoa/").status_code == 404
    peer.refresh_from_db()
    assert peer.is_active


def test_role_change_writes_an_audit_row_with_old_and_new(justice_admin, justice_officer):
    response = _as(justice_admin).post(f"{_detail(justice_officer)}vai-tro/", {"role": Role.LEADER})
    assert response.status_code == 302
    justice_officer.refresh_from_db()
    assert justice_officer.role == Role.LEADER
    event = AuditEvent.objects.get(event=Event.ROLE_CHANGED, user=justice_officer)
    assert event.actor == justice_admin
    assert (event.details["old"], event.details["new"]) == (Role.HANDLING_OFFICER, Role.LEADER)


def test_province_admin_makes_a_department_admin_who_may_then_use_djangos_admin(
    province_admin, justice_officer
):
    _as(province_admin).post(f"{_detail(justice_officer)}vai-tro/", {"role": Role.DEPARTMENT_ADMIN})
    justice_officer.refresh_from_db()
    assert (justice_officer.role, justice_officer.is_staff) == (Role.DEPARTMENT_ADMIN, True)


def test_an_admin_cannot_change_their_own_account(province_admin):
    browser = _as(province_admin)
    response = browser.post(f"{_detail(province_admin)}vai-tro/", {"role": Role.LEADER})
    assert response.status_code == 400
    assert "Bạn không thể tự thay đổi tài khoản của mình" in response.content.decode()
    province_admin.refresh_from_db()
    assert province_admin.role == Role.PROVINCE_ADMIN


def test_memberships_change_is_audited_and_keeps_agencies_outside_the_scope(justice_admin, make_user):
    both = make_user("cv_hai_noi", role=Role.HANDLING_OFFICER, agency_code=JUSTICE)
    AgencyMembership.objects.create(user=both, agency=Agency.objects.get(code=CONSTRUCTION))

    response = _as(justice_admin).post(f"{_detail(both)}co-quan/", {})

    assert response.status_code == 302
    assert list(both.memberships.values_list("agency__code", flat=True)) == [CONSTRUCTION]
    event = AuditEvent.objects.get(event=Event.MEMBERSHIP_CHANGED, user=both)
    assert (event.details["added"], event.details["removed"], event.actor) == ([], [JUSTICE], justice_admin)


def test_the_last_agency_of_an_officer_cannot_be_removed(justice_admin, justice_officer):
    response = _as(justice_admin).post(f"{_detail(justice_officer)}co-quan/", {})
    assert response.status_code == 400
    assert "Cán bộ cần thuộc ít nhất một cơ quan." in response.content.decode()
    assert justice_officer.memberships.count() == 1
    assert not AuditEvent.objects.filter(event=Event.MEMBERSHIP_CHANGED).exists()


def test_province_admin_moves_an_officer_to_another_agency(province_admin, justice_officer):
    response = _as(province_admin).post(f"{_detail(justice_officer)}co-quan/", {"agencies": [CONSTRUCTION]})
    assert response.status_code == 302
    assert list(justice_officer.memberships.values_list("agency__code", flat=True)) == [CONSTRUCTION]
    event = AuditEvent.objects.get(event=Event.MEMBERSHIP_CHANGED)
    assert (event.details["added"], event.details["removed"]) == ([CONSTRUCTION], [JUSTICE])


def test_deactivated_staff_are_signed_out_and_cannot_come_back(
    justice_admin, justice_officer, django_capture_on_commit_callbacks
):
    officers_browser = _as(justice_officer)
    assert officers_browser.get("/tai-khoan/thong-tin-ca-nhan/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = _as(justice_admin).post(f"{_detail(justice_officer)}khoa/")

    assert response.status_code == 302
    justice_officer.refresh_from_db()
    assert not justice_officer.is_active
    assert officers_browser.get("/tai-khoan/thong-tin-ca-nhan/").status_code == 302
    assert AuditEvent.objects.filter(user=justice_officer, actor=justice_admin).exists()


def test_a_refused_or_missing_password_on_the_invitation_page_gets_400_and_sets_nothing(justice_officer):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    justice_officer.set_unusable_password()
    justice_officer.save(update_fields=["password"])
    uid = urlsafe_base64_encode(force_bytes(justice_officer.pk))
    newcomer = Client()
    form_page = newcomer.get(
        f"/tai-khoan/kich-hoat/{uid}/{default_token_generator.make_token(justice_officer)}/", follow=True
    )
    form_url = form_page.redirect_chain[-1][0]

    short = newcomer.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    missing = newcomer.post(form_url, {})

    assert short.status_code == 400 and "Mật khẩu quá ngắn" in short.content.decode()
    assert missing.status_code == 400 and "bắt buộc" in missing.content.decode()
    justice_officer.refresh_from_db()
    assert not justice_officer.has_usable_password()
