"""The declaration is pre-filled from the national population database (the running stand-in, through the real
client) with the citizen's consent: the same consent and ``PopulationCheck`` as the draft's, looked up by the personal
id of the national sign-on, the fields that map to the record filled and marked verified, a typed value that differs
kept until the citizen chooses, and a record that cannot be had leaving the form to be filled by hand."""

import json

import pytest
from django.urls import reverse

from dossiers import filing
from dossiers.models import PopulationCheck
from eforms.demo import DEFINITIONS_DIR
from eforms.models import AnswerSet
from eforms.services import definition_import
from portal.catalog.models import Procedure
from portal.catalog.selectors import procedure_receiving_agencies
from portal.territory.models import AdministrativeUnit
from tests.dossiers.test_population import PERSON, PERSONAL_ID

pytestmark = pytest.mark.django_db

HEAD_ID = PERSON["ChuHo"]["SoDinhDanh"]
TEMPORARY_RESIDENCE = "1.004194"
BIRTH = "1.001193"
VERIFIED = "Đã xác thực từ CSDL quốc gia về dân cư"


def _form(code: str):
    path = next(DEFINITIONS_DIR.glob(f"{code}-*.json"))
    return definition_import(data=json.loads(path.read_text(encoding="utf-8")))[0]


def _unit(name: str) -> str:
    return AdministrativeUnit.objects.get(kind="commune", full_name=name).code


@pytest.fixture
def citizen(make_user):
    # As the national sign-on leaves an account: the personal id comes from it.
    return make_user("lan", full_name="Trần Thị Mỹ Lan", personal_id=PERSONAL_ID, phone="0912345678")


def _draft(citizen, code):
    _form(code)
    procedure = Procedure.objects.get(code=code)
    agency = procedure_receiving_agencies(procedure)[0]
    return filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=agency)


@pytest.fixture
def registered(population_settings, standin):
    standin.population_add(PERSON)


def _consent(client, draft, **extra):
    draft.refresh_from_db()
    data = {"expected_version": draft.version, "consent": "on", **extra}
    return client.post(reverse("eforms:population", args=[draft.pk]), data)


def _answers(draft) -> dict:
    return AnswerSet.objects.get(dossier=draft).answers


def test_with_consent_the_declaration_is_filled_from_the_record_and_marked_verified(
    client, citizen, registered, standin
):
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    overview = client.get(reverse("eforms:fill", args=[draft.pk])).content.decode()
    assert "Lấy thông tin từ CSDL" in overview
    # A typed number on the form is never what is looked up: the sign-on's is.
    response = _consent(client, draft, SoDinhDanh="091999999999", personal_id="091999999999")
    assert response.status_code == 302
    assert [row["SoDinhDanh"] for row in standin.population_received()] == [PERSONAL_ID]

    answers = _answers(draft)
    assert answers["nguoi_khai"]["nk_ho_ten"] == "Trần Thị Mỹ Lan"
    assert answers["nguoi_khai"]["nk_ngay_sinh"] == {"ngay": "14", "thang": "03", "nam": "1985"}
    assert answers["nguoi_khai"]["nk_gioi_tinh"] == "nu"
    assert answers["nguoi_khai"]["nk_so_dinh_danh"] == PERSONAL_ID
    assert answers["chu_ho"] == {
        "la_chu_ho": "khong",
        "ch_ho_ten": "Trần Văn Hùng",
        "ch_so_dinh_danh": HEAD_ID,
        "quan_he_chu_ho": "Con",
    }
    # One consent, one check: the dossier's own, the draft's fields filled as on the draft page.
    check = PopulationCheck.objects.get(dossier=draft)
    assert check.personal_id == PERSONAL_ID and check.consent_at is not None
    draft.refresh_from_db()
    assert draft.applicant_name == "Trần Thị Mỹ Lan"

    page = client.get(reverse("eforms:section", args=[draft.pk, "nguoi_khai"])).content.decode()
    assert page.count(VERIFIED) == 4  # name, birth date, sex, personal id
    assert 'aria-describedby="nk_ho_ten_helptext"' in page
    assert (
        client.get(reverse("eforms:section", args=[draft.pk, "chu_ho"])).content.decode().count(VERIFIED) == 4
    )
    overview = client.get(reverse("eforms:fill", args=[draft.pk])).content.decode()
    assert VERIFIED in overview and "Trần Văn Hùng (Con)" in overview


def test_an_address_the_record_names_fills_the_commune_and_the_street(client, citizen, registered):
    draft = _draft(citizen, BIRTH)
    client.force_login(citizen)
    _consent(client, draft)
    assert _answers(draft)["nguoi_yeu_cau"]["nyc_noi_cu_tru"] == {
        "unit": _unit("Phường Vĩnh Thông"),
        "detail": "Số 9 đường Lạc Hồng",
    }


def test_consent_given_on_the_draft_page_fills_the_declaration_without_a_second_lookup(
    client, citizen, registered, standin
):
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    client.post(
        reverse("dossiers:draft_population", args=[draft.pk]),
        {"expected_version": draft.version, "consent": "on"},
    )
    client.get(reverse("eforms:fill", args=[draft.pk]))  # starts the declaration
    assert _answers(draft)["nguoi_khai"]["nk_gioi_tinh"] == "nu"
    assert len(standin.population_received()) == 1
    assert PopulationCheck.objects.filter(dossier=draft).count() == 1


def test_a_typed_value_that_differs_is_kept_until_the_citizen_chooses_the_registered_one(
    client, citizen, registered
):
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    client.get(reverse("eforms:fill", args=[draft.pk]))
    answer_set = AnswerSet.objects.get(dossier=draft)
    answer_set.answers = {"nguoi_khai": {"nk_ho_ten": "Tran Thi Lan", "nk_dien_thoai": "0912345678"}}
    answer_set.save()

    _consent(client, draft)
    answers = _answers(draft)
    assert answers["nguoi_khai"]["nk_ho_ten"] == "Tran Thi Lan"  # kept as typed
    assert answers["nguoi_khai"]["nk_gioi_tinh"] == "nu"  # an empty field is filled
    overview = client.get(reverse("eforms:fill", args=[draft.pk])).content.decode()
    assert "khác với CSDL quốc gia về dân cư" in overview and 'value="1"' in overview
    assert "“Tran Thi Lan”" in overview and "“Trần Thị Mỹ Lan”" in overview
    page = client.get(reverse("eforms:section", args=[draft.pk, "nguoi_khai"])).content.decode()
    assert page.count(VERIFIED) == 3  # not the name

    client.post(reverse("eforms:population", args=[draft.pk]), {"thay_the": "1"})
    assert _answers(draft)["nguoi_khai"]["nk_ho_ten"] == "Trần Thị Mỹ Lan"
    assert _answers(draft)["nguoi_khai"]["nk_dien_thoai"] == "0912345678"  # not the record's to change
    assert "khác với CSDL" not in client.get(reverse("eforms:fill", args=[draft.pk])).content.decode()


def test_without_consent_nothing_is_asked(client, citizen, registered, standin):
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    response = _consent(client, draft, consent="")
    assert response.status_code == 400
    assert "Vui lòng đánh dấu đồng ý" in response.content.decode()
    assert 'href="#id_consent"' in response.content.decode()
    assert standin.population_received() == []
    assert not PopulationCheck.objects.exists()


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("not_found", "không có thông tin cho số định danh"),
        ("timeout", "Chưa lấy được thông tin"),
        ("refused", "Chưa lấy được thông tin"),
    ],
)
def test_a_record_that_cannot_be_had_leaves_the_declaration_to_be_filled_by_hand(
    client, citizen, population_settings, standin, fault, message
):
    if fault != "not_found":
        standin.population_add(PERSON)
    if fault == "timeout":
        standin.faults(timeout=1.0, timeout_seconds=3, services=["CongDan"])
    if fault == "refused":
        standin.population_configure(agency="000.00.00.H99")  # the portal's agency id is wrong: 106
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    client.get(reverse("eforms:fill", args=[draft.pk]))
    before = _answers(draft)
    response = _consent(client, draft)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _answers(draft) == before
    assert not PopulationCheck.objects.exists()
    standin.faults()
    saved = client.post(
        reverse("eforms:section", args=[draft.pk, "chu_ho"]), {"la_chu_ho": "co", "hanh_dong": "luu"}
    )
    assert saved.status_code == 302
    assert _answers(draft)["chu_ho"]["la_chu_ho"] == "co"


def test_an_account_without_a_sign_on_id_is_not_offered_the_lookup(client, make_user, population_settings):
    typed = make_user("khach", full_name="Người Dùng Mật Khẩu")
    draft = _draft(typed, TEMPORARY_RESIDENCE)
    client.force_login(typed)
    assert "Lấy thông tin từ CSDL" not in client.get(reverse("eforms:fill", args=[draft.pk])).content.decode()
    assert "đăng nhập bằng tài khoản định danh" in _consent(client, draft).content.decode()


def test_someone_elses_declaration_is_404(client, citizen, make_user, registered):
    draft = _draft(citizen, TEMPORARY_RESIDENCE)
    client.force_login(citizen)
    client.get(reverse("eforms:fill", args=[draft.pk]))
    client.force_login(make_user("nguoila", personal_id="091185000999"))
    assert _consent(client, draft).status_code == 404
    assert not PopulationCheck.objects.exists()
