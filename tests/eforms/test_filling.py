"""A citizen fills the birth registration declaration on the portal: section by section, saved on the server,
resumed on another device, checked with clear messages, finished as the official form's PDF attached to the draft,
then submitted; the officer sees the answers as data."""

import subprocess

import pytest
from django.urls import reverse

from dossiers import filing, services
from dossiers.models import Dossier, DossierFile
from eforms.models import AnswerSet
from eforms.selectors import declaration_for_dossier
from tests.accounts.mfa import staff_login
from tests.people import attach_required

pytestmark = pytest.mark.django_db


def _draft(people):
    draft = filing.dossier_draft_create(
        user=people.citizen, procedure=people.birth, receiving_agency=people.commune
    )
    return filing.dossier_details_update(dossier=draft, user=people.citizen, applicant_phone="0912345678")


def _url(draft, section=None):
    if section is None:
        return reverse("eforms:fill", args=[draft.pk])
    return reverse("eforms:section", args=[draft.pk, section])


def _date(prefix, d, m, y):
    return {f"{prefix}__ngay": d, f"{prefix}__thang": m, f"{prefix}__nam": y}


def valid_sections(commune_code):
    return {
        "nguoi_yeu_cau": {
            "nyc_ho_ten": "Trần Thị Bình",
            "nyc_so_dinh_danh": "089190000123",
            "nyc_noi_cu_tru__xa": commune_code,
            "nyc_noi_cu_tru__chi_tiet": "Số 12 đường Trần Hưng Đạo",
            "nyc_dien_thoai": "0912345678",
            "nyc_quan_he": "me",
        },
        "tre": {
            "tre_ho_ten": "Nguyễn Minh Khang",
            "tre_gioi_tinh": "nam",
            **_date("tre_ngay_sinh", "03", "10", "2026"),
            "tre_dan_toc": "Kinh",
            "tre_quoc_tich": "Việt Nam",
            "tre_sinh_o": "trong_nuoc",
            "tre_noi_sinh_tinh__xa": commune_code,
            "tre_noi_sinh_tinh__chi_tiet": "Bệnh viện đa khoa",
        },
        "cha_me": {"me_ho_ten": "Trần Thị Bình", "me_nam_sinh": "1990"},
        "cam_doan": {"cam_doan": "on", "so_ban_sao": "2"},
    }


def test_a_citizen_fills_resumes_finishes_and_submits_with_the_pdf_attached(
    client, people, birth_form, commune_code, tmp_path
):
    draft = _draft(people)
    client.force_login(people.citizen)
    page = client.get(reverse("dossiers:draft", args=[draft.pk]))
    assert "Bắt đầu điền tờ khai" in page.content.decode()
    overview = client.get(_url(draft))
    assert overview.status_code == 200
    # Prefilled from the profile.
    first = client.get(_url(draft, "nguoi_yeu_cau")).content.decode()
    assert 'value="Trần Thị Bình"' in first

    sections = valid_sections(commune_code)
    response = client.post(_url(draft, "nguoi_yeu_cau"), sections["nguoi_yeu_cau"])
    assert response.status_code == 302 and response.url == _url(draft, "tre")

    # Another device, the same account: what was saved is there.
    other = client.__class__()
    other.force_login(people.citizen)
    assert "Số 12 đường Trần Hưng Đạo" in other.get(_url(draft, "nguoi_yeu_cau")).content.decode()
    for section in ("tre", "cha_me", "cam_doan"):
        assert other.post(_url(draft, section), sections[section]).status_code == 302

    finish = other.post(reverse("eforms:finish", args=[draft.pk]))
    assert finish.status_code == 302
    answer_set = AnswerSet.objects.get(dossier=draft)
    attached = DossierFile.objects.get(pk=answer_set.file_id)
    assert attached.requirement.name.lower().startswith("tờ khai đăng ký khai sinh")
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(attached.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for typed in (
        "Nguyễn Minh Khang",
        "03/10/2026",
        "089190000123",
        "Trần Hưng Đạo",
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    ):
        assert typed in text
    assert declaration_for_dossier(draft).finished

    attach_required(draft, people.citizen)  # the other papers (the birth certificate, …) are uploads
    services.dossier_submit(dossier=draft, actor=people.citizen)
    draft.refresh_from_db()
    assert draft.state == Dossier.State.SUBMITTED
    # The section pages of a filed dossier lead back to the dossier.
    assert other.get(_url(draft, "tre")).status_code == 302

    # The receiving officer reads the answers as data, with the version they were filed with.
    officer = client.__class__()
    staff_login(officer, people.receiver)
    work = officer.get(reverse("dossiers:officer_dossier", args=[draft.pk])).content.decode()
    assert "Tờ khai điện tử" in work and "Người nộp điền theo phiên bản 1" in work
    assert "Nguyễn Minh Khang" in work and "03/10/2026" in work


def test_bad_input_gets_clear_messages_and_nothing_typed_is_lost(client, people, birth_form, commune_code):
    draft = _draft(people)
    client.force_login(people.citizen)
    response = client.post(
        _url(draft, "tre"),
        {
            "tre_ho_ten": "Nguyễn Minh Khang",
            **_date("tre_ngay_sinh", "31", "02", "2026"),
            "tre_sinh_o": "trong_nuoc",
            "tre_noi_sinh_tinh__xa": "99999",
            "tre_dan_toc": "Kinh",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ngày 31/02/2026 không có trên lịch" in page
    assert "không có trong danh mục đơn vị hành chính" in page
    assert "Vui lòng nhập quốc tịch" in page
    assert 'href="#tre_ngay_sinh__ngay"' in page  # the error summary links to the field
    assert 'value="Nguyễn Minh Khang"' in page and 'value="31"' in page
    saved = AnswerSet.objects.get(dossier=draft)
    assert saved.answers["tre"]["tre_ngay_sinh"] == {"ngay": "31", "thang": "02", "nam": "2026"}
    assert "tre" not in saved.sections_done

    wrong_ids = {
        "012345": "đúng 12 chữ số",
        "999190000123": "3 chữ số đầu",
        "08919000012a": "chỉ gồm chữ số",
        "089990000123": "sau năm nay",
    }
    for value, words in wrong_ids.items():
        response = client.post(
            _url(draft, "nguoi_yeu_cau"),
            {**valid_sections(commune_code)["nguoi_yeu_cau"], "nyc_so_dinh_danh": value},
        )
        assert response.status_code == 400 and words in response.content.decode(), value


def test_the_declaration_must_be_finished_before_the_dossier_is_submitted(client, people, birth_form):
    draft = _draft(people)
    client.force_login(people.citizen)
    client.get(_url(draft))
    response = client.post(
        reverse("dossiers:draft", args=[draft.pk]),
        {
            "hanh_dong": "kiem_tra",
            "expected_version": draft.version,
            "applicant_kind": 1,
            "applicant_name": "Trần Thị Bình",
            "applicant_phone": "0912345678",
            "delivery": "office",
        },
    )
    assert "Chưa hoàn tất tờ khai điện tử" in response.content.decode()
    with pytest.raises(Exception, match="Chưa hoàn tất tờ khai điện tử"):
        services.dossier_submit(dossier=draft, actor=people.citizen)


def test_a_changed_definition_leaves_the_citizen_on_the_version_they_started(client, people, birth_form):
    from eforms.services import definition_export, definition_import

    draft = _draft(people)
    client.force_login(people.citizen)
    client.post(_url(draft, "tre"), {"tre_ho_ten": "Nguyễn Minh Khang"})
    changed = definition_export(birth_form)
    changed["sections"][1]["fields"][0]["label"] = "Họ và tên của trẻ (mẫu mới)"
    newer, created = definition_import(data=changed)
    assert created and newer.version == birth_form.version + 1
    page = client.get(_url(draft, "tre"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bạn tiếp tục với phiên bản 1" in text and 'value="Nguyễn Minh Khang"' in text
    assert "mẫu mới" not in text
    assert AnswerSet.objects.get(dossier=draft).definition_id == birth_form.pk


def test_a_stranger_gets_404_for_someone_elses_declaration(client, people, birth_form):
    draft = _draft(people)
    client.force_login(people.outsider)
    assert client.get(_url(draft)).status_code == 404
    assert client.post(_url(draft, "tre"), {"tre_ho_ten": "x"}).status_code == 404
    assert not AnswerSet.objects.exists()


def test_repeatable_groups_add_and_remove_items_without_javascript(client, people, commune_code):
    import json

    from eforms.demo import DEFINITIONS_DIR
    from eforms.services import definition_import

    data = json.loads((DEFINITIONS_DIR / "1.004222-thuong-tru.json").read_text(encoding="utf-8"))
    definition, _ = definition_import(data=data)
    procedure = definition.procedure
    agency = procedure.agency_links.filter(agency__kind="commune").first().agency
    draft = filing.dossier_draft_create(user=people.citizen, procedure=procedure, receiving_agency=agency)
    client.force_login(people.citizen)
    group = next(s for s in data["sections"] if "repeat" in s)
    url = _url(draft, group["id"])
    page = client.post(url, {"hanh_dong": "them", f"{group['id']}-so_muc": "0"})
    assert page.status_code == 200
    page = client.post(url, {"hanh_dong": "them", f"{group['id']}-so_muc": "1"})
    assert len(AnswerSet.objects.get(dossier=draft).answers[group["id"]]) == 2
    client.post(url, {"hanh_dong": "xoa_0", f"{group['id']}-so_muc": "2"})
    assert len(AnswerSet.objects.get(dossier=draft).answers[group["id"]]) == 1


def test_a_hostile_post_is_answered_without_a_server_error(client, people, birth_form):
    draft = _draft(people)
    client.force_login(people.citizen)
    assert client.get(_url(draft, "khong_co_phan_nay")).status_code == 404
    response = client.post(_url(draft, "tre"), {"hanh_dong": "xoa_abc"})
    assert response.status_code == 400
    assert client.post(_url(draft, "tre"), {"tre_ngay_sinh__ngay": "\x00" * 50}).status_code == 400
    response = client.post(_url(draft, "tre"), {"tre_ngay_sinh__ngay": "99", "tre_ho_ten": "A" * 100000})
    assert response.status_code == 400
    saved = AnswerSet.objects.get(dossier=draft).answers["tre"]
    assert len(saved["tre_ho_ten"]) == 100  # cut to the field's length, kept
    response = client.post(
        _url(draft, "tre"), {"tre_sinh_o": "sao_hoa", "tre_noi_sinh_tinh__xa": "'; drop table"}
    )
    assert response.status_code == 400 and "lựa chọn không hợp lệ" in response.content.decode()


def test_htmx_gets_only_the_section_form_back(client, people, birth_form):
    draft = _draft(people)
    client.force_login(people.citizen)
    response = client.post(
        _url(draft, "tre"), {"hanh_dong": "cap_nhat", "tre_sinh_o": "trong_nuoc"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and 'id="section-form"' in page
    # The question that depends on the answer now shows; nothing was checked yet.
    assert (
        'id="truong-tre_noi_sinh_tinh__xa"' in page
        and "hidden" not in page.split('id="truong-tre_noi_sinh_tinh__xa"')[0][-40:]
    )
    assert "errorlist" not in page
