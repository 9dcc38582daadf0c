"""A filed dossier's declaration goes to the national portal with it: the stored outbox payload carries the form's
code, version and structured answers (``ToKhaiDienTu``), and the running stand-in validates them and keeps them."""

import pytest

from dossiers.models import OutboxEvent
from dossiers.national.outbox import outbox_drain
from eforms.models import AnswerSet
from integrations.dvcqg.client import dvcqg_client
from tests.eforms.conftest import MOTHER_ID

pytestmark = pytest.mark.django_db


def _answers(declaration: dict) -> dict:
    """Field code → sent answer, over every section and item."""
    return {
        answer["Ma"]: answer
        for section in declaration["DuLieu"]
        for item in section["CacMuc"]
        for answer in item["TruongDuLieu"]
    }


def test_a_filed_dossier_arrives_at_the_national_portal_with_its_declaration(
    file_with_declaration, birth_form, commune_code, standin, dvcqg_settings
):
    dossier = file_with_declaration("Nguyễn Minh Khang")
    (row,) = OutboxEvent.objects.filter(dossier=dossier)
    stored = row.payload["ToKhaiDienTu"]
    answer_set = AnswerSet.objects.get(dossier=dossier)
    assert (stored["MaToKhai"], stored["PhienBan"]) == ("1.001193", birth_form.version)
    assert stored["TepDinhKemId"] == str(answer_set.file_id)

    report = outbox_drain(client=dvcqg_client())
    assert report.sent == 1 and report.parked == 0

    declaration = standin.dossier(dossier.code)["record"]["ToKhaiDienTu"]
    assert declaration == stored
    assert declaration["TenToKhai"] == "Tờ khai đăng ký khai sinh"
    assert [section["MaPhan"] for section in declaration["DuLieu"]] == [
        "nguoi_yeu_cau",
        "tre",
        "cha_me",
        "cam_doan",
    ]
    answers = _answers(declaration)
    assert answers["tre_ho_ten"]["GiaTri"] == "Nguyễn Minh Khang"
    assert answers["tre_ngay_sinh"]["GiaTri"] == "20261003000000"
    assert answers["tre_gioi_tinh"] == {
        "Ma": "tre_gioi_tinh",
        "Ten": "Giới tính",
        "KieuDuLieu": "radio",
        "GiaTri": "nam",
        "GiaTriHienThi": "Nam",
    }
    assert answers["me_so_dinh_danh"]["GiaTri"] == MOTHER_ID
    assert answers["me_nam_sinh"]["GiaTri"] == 1990
    assert answers["cam_doan"]["GiaTri"] is True
    place = answers["nyc_noi_cu_tru"]["GiaTri"]
    assert place["MaDonViHanhChinh"] == commune_code and place["ChiTiet"] == "Số 12 đường Trần Hưng Đạo"
    assert "Số 12 đường Trần Hưng Đạo, " in place["DiaChiDayDu"]
    # The "born abroad" section is hidden for a child born here: nothing of it is sent.
    assert "nn_quoc_gia" not in answers and "nuoc_ngoai" not in [s["MaPhan"] for s in declaration["DuLieu"]]


def test_a_declaration_the_portal_cannot_read_is_refused_naming_the_answer(
    file_with_declaration, standin, dvcqg_settings
):
    dossier = file_with_declaration("Nguyễn Minh Khang")
    row = OutboxEvent.objects.get(dossier=dossier)
    payload = row.payload
    birth = next(
        answer
        for item in payload["ToKhaiDienTu"]["DuLieu"][1]["CacMuc"]
        for answer in item["TruongDuLieu"]
        if answer["Ma"] == "tre_ngay_sinh"
    )
    birth["GiaTri"] = "03/10/2026"
    OutboxEvent.objects.filter(pk=row.pk).update(payload=payload)

    assert outbox_drain(client=dvcqg_client()).parked == 1
    row.refresh_from_db()
    assert row.error_field.startswith("ToKhaiDienTu.DuLieu[1].CacMuc[0].TruongDuLieu[")
    assert "yyyyMMddHHmmss" in row.error_detail


def test_a_dossier_without_a_declaration_is_sent_as_before(
    staff_dossier_without_form, standin, dvcqg_settings
):
    row = OutboxEvent.objects.get(dossier=staff_dossier_without_form)
    assert "ToKhaiDienTu" not in row.payload
    assert outbox_drain(client=dvcqg_client()).sent == 1


@pytest.fixture
def staff_dossier_without_form(people):
    return people.register()  # the counter's paper dossier: no electronic declaration
