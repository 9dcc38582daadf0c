"""A citizen signed in through the national sign-on fills the draft from the national population database with
their consent; the lookup uses their sign-on's personal id, never a typed one; a mismatch is shown and kept; a
database that is down or knows nobody leaves the form to be filled by hand; officers see what was verified."""

import pytest
from django.urls import reverse

from dossiers import filing
from dossiers.models import Dossier, PopulationCheck
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from tests.accounts.mfa import staff_login
from tests.people import BIRTH

pytestmark = pytest.mark.django_db

PERSONAL_ID = "091185000123"
PERSON = {
    "SoDinhDanh": PERSONAL_ID,
    "HoVaTen": "Trần Thị Mỹ Lan",
    "NgayThangNamSinh": "19850314",
    "GioiTinh": 2,
    "NoiThuongTru": "Số 5 đường Trần Phú, Phường Rạch Giá, tỉnh An Giang",
    "NoiOHienTai": "Số 9 đường Lạc Hồng, Phường Vĩnh Thông, tỉnh An Giang",
    "ChuHo": {"HoVaTen": "Trần Văn Hùng", "SoDinhDanh": "091060000456", "QuanHe": "Con"},
}


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def citizen(make_user):
    # As the national sign-on leaves an account: the personal id comes from it.
    return make_user("lan", full_name="Trần Thị Mỹ Lan", personal_id=PERSONAL_ID, phone="0912345678")


@pytest.fixture
def draft(citizen, commune):
    procedure = Procedure.objects.get(code=BIRTH)
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    Dossier.objects.filter(pk=draft.pk).update(applicant_name="", applicant_id_number="")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def registered(population_settings, standin):
    standin.population_add(PERSON)


def prefill(client, draft, **extra):
    data = {"expected_version": draft.version, "consent": "on", **extra}
    return client.post(reverse("dossiers:draft_population", args=[draft.pk]), data)


def test_with_consent_the_draft_is_filled_and_marked_verified(client, citizen, draft, registered, standin):
    client.force_login(citizen)
    response = prefill(client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.applicant_name == "Trần Thị Mỹ Lan"
    assert draft.applicant_id_number == PERSONAL_ID
    assert draft.applicant_address == PERSON["NoiOHienTai"]
    check = PopulationCheck.objects.get(dossier=draft)
    assert {
        "applicant_name",
        "applicant_id_number",
        "applicant_address",
        "birth_date",
        "household_head",
    } <= set(check.verified_fields)
    page = client.get(reverse("dossiers:draft", args=[draft.pk])).content.decode()
    assert "Đã xác thực từ CSDL quốc gia về dân cư" in page
    assert "14/03/1985" in page and "Trần Văn Hùng (Con)" in page and "Nữ" in page
    assert standin.population_received()[-1] == {"SoDinhDanh": PERSONAL_ID, "outcome": "found"}


def test_without_consent_nothing_is_asked(client, citizen, draft, registered, standin):
    client.force_login(citizen)
    response = client.post(
        reverse("dossiers:draft_population", args=[draft.pk]), {"expected_version": draft.version}
    )
    assert response.status_code == 400
    assert "Vui lòng đánh dấu đồng ý" in response.content.decode()
    assert standin.population_received() == []
    assert not PopulationCheck.objects.exists()


def test_the_lookup_uses_the_sign_on_id_never_a_typed_one(client, citizen, draft, registered, standin):
    client.force_login(citizen)
    prefill(client, draft, SoDinhDanh="091999999999", personal_id="091999999999")
    assert [row["SoDinhDanh"] for row in standin.population_received()] == [PERSONAL_ID]


def test_an_account_without_a_sign_on_id_is_told_to_fill_by_hand(
    client, make_user, commune, population_settings
):
    typed = make_user("khach", full_name="Người Dùng Mật Khẩu")
    procedure = Procedure.objects.get(code=BIRTH)
    draft = filing.dossier_draft_create(user=typed, procedure=procedure, receiving_agency=commune)
    client.force_login(typed)
    page = client.get(reverse("dossiers:draft", args=[draft.pk])).content.decode()
    assert "Lấy thông tin từ CSDL" not in page
    response = prefill(client, draft)
    assert "đăng nhập bằng tài khoản định danh" in response.content.decode()
    assert not PopulationCheck.objects.exists()


def test_a_typed_value_that_differs_is_shown_and_kept_until_the_citizen_chooses(
    client, citizen, draft, registered
):
    Dossier.objects.filter(pk=draft.pk).update(applicant_address="12 Tôn Đức Thắng, Long Xuyên")
    draft.refresh_from_db()
    client.force_login(citizen)
    prefill(client, draft)
    draft.refresh_from_db()
    assert draft.applicant_address == "12 Tôn Đức Thắng, Long Xuyên"
    assert draft.applicant_name == "Trần Thị Mỹ Lan"  # empty fields are filled
    page = client.get(reverse("dossiers:draft", args=[draft.pk])).content.decode()
    assert "khác với CSDL quốc gia về dân cư" in page and "12 Tôn Đức Thắng, Long Xuyên" in page
    check = PopulationCheck.objects.get(dossier=draft)
    assert "applicant_address" not in check.verified_fields
    assert check.mismatches[0]["field"] == "applicant_address"

    prefill(client, draft, thay_the="1")
    draft.refresh_from_db()
    assert draft.applicant_address == PERSON["NoiOHienTai"]
    assert PopulationCheck.objects.get(dossier=draft).mismatches == []


def test_nobody_with_that_id_leaves_the_form_as_it_was(client, citizen, draft, population_settings):
    client.force_login(citizen)
    response = prefill(client, draft)
    assert response.status_code == 200
    assert "không có thông tin cho số định danh" in response.content.decode()
    draft.refresh_from_db()
    assert draft.applicant_name == ""
    assert not PopulationCheck.objects.exists()


def test_a_database_that_does_not_answer_leaves_the_form_working_by_hand(
    client, citizen, draft, registered, standin
):
    standin.faults(timeout=1.0, timeout_seconds=3, services=["CongDan"])
    client.force_login(citizen)
    response = prefill(client, draft)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lấy được thông tin" in page and 'name="applicant_name"' in page
    standin.faults()
    save = client.post(
        reverse("dossiers:draft", args=[draft.pk]),
        {
            "expected_version": draft.version,
            "applicant_kind": "1",
            "applicant_name": "Trần Thị Mỹ Lan",
            "applicant_phone": "0912345678",
            "delivery": "office",
            "hanh_dong": "luu",
        },
    )
    assert save.status_code == 302
    draft.refresh_from_db()
    assert draft.applicant_name == "Trần Thị Mỹ Lan"


def test_an_expired_token_is_renewed_without_the_citizen_noticing(
    client, citizen, draft, registered, standin
):
    client.force_login(citizen)
    prefill(client, draft)
    standin.population_expire_tokens()
    draft.refresh_from_db()
    assert prefill(client, draft).status_code == 302
    assert standin.stats()["population"]["tokens_issued"] == 2


def test_a_platform_refusal_is_not_shown_as_a_crash(client, citizen, draft, registered, standin):
    standin.population_configure(agency="000.00.00.H99")  # the portal's agency id is wrong: 106
    client.force_login(citizen)
    response = prefill(client, draft)
    assert response.status_code == 200
    assert "Chưa lấy được thông tin" in response.content.decode()


def test_without_settings_the_draft_has_no_prefill_and_works(client, citizen, draft, settings):
    settings.POPULATION_LGSP_URL = ""
    client.force_login(citizen)
    page = client.get(reverse("dossiers:draft", args=[draft.pk]))
    assert page.status_code == 200
    assert "Lấy thông tin từ CSDL" not in page.content.decode()
    assert "Cổng chưa được kết nối" in prefill(client, draft).content.decode()


def test_a_stale_page_changes_nothing(client, citizen, draft, registered):
    client.force_login(citizen)
    response = prefill(client, draft, expected_version=draft.version + 5)
    assert response.status_code == 409
    assert not PopulationCheck.objects.exists()


def test_someone_elses_draft_is_404(client, make_user, draft, registered):
    other = make_user("nguoila", personal_id="091185000999")
    client.force_login(other)
    assert prefill(client, draft).status_code == 404


def test_the_officer_sees_which_fields_were_verified_and_when(client, citizen, draft, registered, make_user):
    from dossiers import services
    from tests.people import attach_required

    client.force_login(citizen)
    prefill(client, draft)
    draft.refresh_from_db()
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    officer = make_user("motcua", role="onestop_officer", agency_code=draft.receiving_agency.code)
    client.logout()
    staff_login(client, officer)
    page = client.get(reverse("dossiers:officer_dossier", args=[draft.pk])).content.decode()
    assert "Xác thực với CSDL quốc gia về dân cư" in page
    assert "Họ và tên" in page and "Ngày sinh" in page
