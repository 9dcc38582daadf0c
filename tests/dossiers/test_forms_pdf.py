"""The printable forms (Mẫu 01–05): what each says about a real dossier, that it is an A5 PDF with Vietnamese text
and a QR code to the tracking page, that a re-render replaces the stored copy, and that nothing is fetched from
outside while rendering."""

import logging
import re
import shutil
import subprocess
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch
from django.utils import timezone

from dossiers import filing, services
from dossiers.models import DossierFile
from dossiers.pdf import qr
from dossiers.pdf.dates import vn_date, vn_datetime, vn_time
from dossiers.pdf.store import (
    FormNotApplicable,
    dossier_form_html,
    dossier_form_render,
    dossier_form_store,
    render_pdf,
)
from dossiers.tasks import form_render
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from portal.pdf.render import FONTS_DIR, LocalOnlyFetcher, ResourceRefused, html_to_pdf
from tests.people import attach_required

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
A5_POINTS = (419.5, 595.3)


def scan(name="ban-quet.pdf"):
    return SimpleUploadedFile(name, SCAN, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def birth():
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def people(make_user, commune):
    return {
        "citizen": make_user(
            "cd1", full_name="Nguyễn Thị Hồng Nhung", email="nhung@example.invalid", phone="0912345678"
        ),
        "receiver": make_user(
            "mc1",
            role=User.Role.ONESTOP_OFFICER,
            agency_code=commune.code,
            full_name="Trần Văn Bình",
            job_title="Công chức một cửa",
        ),
        "handler": make_user(
            "cv1", role=User.Role.HANDLING_OFFICER, agency_code=commune.code, full_name="Lê Thị Thu"
        ),
        "leader": make_user("ld1", role=User.Role.LEADER, agency_code=commune.code, full_name="Phạm Văn Đức"),
    }


@pytest.fixture
def registered(people, birth, commune):
    """A dossier brought to the commune's counter, waiting to be received."""
    return filing.dossier_register_at_counter(
        officer=people["receiver"],
        procedure=birth,
        receiving_agency=commune,
        applicant=people["citizen"],
        uploads=[("Giấy chứng sinh", scan())],
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_address="Số 12 đường Trần Hưng Đạo, Phường Bình Đức",
        applicant_phone="0912345678",
        applicant_email="nhung@example.invalid",
    )


@pytest.fixture
def received(registered, people):
    services.dossier_receive(dossier=registered, actor=people["receiver"])
    registered.refresh_from_db()
    return registered


def _processing(dossier, people, commune):
    services.dossier_transfer(dossier=dossier, actor=people["receiver"], handling_agency=commune)
    dossier.refresh_from_db()
    return dossier


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to search its dictionaries."""
    parts = [pdf]
    for match in re.finditer(rb"/FlateDecode.*?>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _media_box(pdf: bytes) -> tuple[float, float]:
    match = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", _inflated(pdf))
    assert match, "no /MediaBox in the PDF"
    x0, y0, x1, y1 = (float(n) for n in match.groups())
    return x1 - x0, y1 - y0


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


# --- Mẫu 01 ---------------------------------------------------------------------------------------------------------


def test_the_receipt_names_the_dossier_the_applicant_and_the_appointment(received, commune):
    html = dossier_form_html(dossier=received, form_code="01")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert commune.name in html and "Mẫu số 01" in html and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    for text in [
        received.code,
        "Nguyễn Thị Hồng Nhung",
        "Số 12 đường Trần Hưng Đạo",
        "0912345678",
        "nhung@example.invalid",
    ]:
        assert text in html
    assert "Thủ tục đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert vn_datetime(received.received_at) in html and vn_datetime(received.due_at) in html
    assert "Phí, lệ phí: Miễn phí" in html
    assert f"Quyển số: {timezone.localtime(received.received_at).year}, Số thứ tự: 1." in html
    assert "Trần Văn Bình" in html  # the receiving officer signs


def test_the_receipt_carries_a_qr_code_of_the_signed_tracking_link(received, settings):
    settings.PORTAL_BASE_URL = "https://dichvucong.angiang.gov.vn"
    html = dossier_form_html(dossier=received, form_code="01")
    url = qr.tracking_url(received.code)
    signature = qr.tracking_link_signature(received.code)
    assert url == f"https://dichvucong.angiang.gov.vn/ho-so/tra-cuu/{received.code}/{signature}/"
    assert url in html and qr.qr_svg(url) in html  # printed and in the QR code


def test_the_receipt_is_an_a5_pdf_with_searchable_vietnamese_text(received, tmp_path):
    pdf = dossier_form_render(dossier=received, form_code="01")
    assert pdf.startswith(b"%PDF-")
    width, height = _media_box(pdf)
    assert width == pytest.approx(A5_POINTS[0], abs=0.5) and height == pytest.approx(A5_POINTS[1], abs=0.5)
    text = _pdf_text(pdf, tmp_path)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Nguyễn Thị Hồng Nhung" in text and received.code in text


def test_the_receipt_lists_originals_and_copies_asked_by_the_linked_requirement(people, birth, commune):
    requirement = birth.documents.filter(originals__gt=0).order_by("position").first()
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    filing.dossier_file_add(
        dossier=draft, user=people["citizen"], upload=scan(), requirement_id=requirement.pk
    )
    attach_required(draft, people["citizen"])
    services.dossier_submit(dossier=draft, actor=people["citizen"])
    services.dossier_receive(dossier=draft, actor=people["receiver"])
    draft.refresh_from_db()
    from dossiers.pdf.contexts import received_documents

    document = next(d for d in received_documents(draft) if d.name == requirement.name[:500])
    assert document.name == requirement.name[:500]
    assert (document.originals, document.copies, document.pages) == (
        requirement.originals,
        requirement.copies,
        None,
    )


def test_the_receipt_gives_each_dossier_its_line_in_the_agencys_book(received, people, birth, commune):
    second = filing.dossier_register_at_counter(
        officer=people["receiver"],
        procedure=birth,
        receiving_agency=commune,
        applicant=None,
        uploads=[("Tờ khai", scan())],
        applicant_name="Võ Minh Tâm",
    )
    services.dossier_receive(dossier=second, actor=people["receiver"])
    second.refresh_from_db()
    assert "Số thứ tự: 2." in dossier_form_html(dossier=second, form_code="01")


def _pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    return [page for page in _pdf_text(pdf, tmp_path).split("\f") if page.strip()]


@pytest.fixture
def many_documents(people, birth, commune):
    """A dossier brought to the counter with 24 papers: its receipt's list of documents runs over two A5 pages."""
    uploads = [
        (f"Giấy tờ số {n}: bản sao {'có chứng thực ' * (n % 4)}của người nộp", scan()) for n in range(1, 25)
    ]
    dossier = filing.dossier_register_at_counter(
        officer=people["receiver"],
        procedure=birth,
        receiving_agency=commune,
        applicant=people["citizen"],
        uploads=uploads,
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_phone="0912345678",
    )
    services.dossier_receive(
        dossier=dossier, actor=people["receiver"], due_at=timezone.now() + timedelta(days=5)
    )
    dossier.refresh_from_db()
    return dossier


def test_the_receipts_signatures_stay_on_the_page_of_the_appointment_however_long_the_list(
    many_documents, tmp_path
):
    from dossiers.pdf.contexts import receipt_context

    context = receipt_context(many_documents)
    assert len(context["documents"]) == 24
    pages = _pdf_pages(dossier_form_render(dossier=many_documents, form_code="01"), tmp_path)
    assert len([page for page in pages if "Giấy tờ số" in page]) >= 2  # the list runs over pages
    for count in range(1, 25):  # every length, so one ends where the signatures alone would not fit
        pdf = render_pdf("dossiers/pdf/form_01.html", {**context, "documents": context["documents"][:count]})
        [signed] = [page for page in _pdf_pages(pdf, tmp_path) if "NGƯỜI TIẾP NHẬN HỒ SƠ" in page]
        assert "NGƯỜI NỘP HỒ SƠ" in signed and "Vào Sổ theo dõi hồ sơ" in signed, count
        assert "5. Thời gian trả kết quả giải quyết hồ sơ" in signed and "2. Số lượng hồ sơ" in signed, count


# --- Mẫu 02–05 ------------------------------------------------------------------------------------------------------


def test_the_supplement_request_lists_every_missing_item_and_the_reason(registered, people):
    items = ["Bản sao Giấy chứng nhận kết hôn", "Giấy chứng sinh bản chính"]
    services.dossier_request_supplement(
        dossier=registered, actor=people["receiver"], items=items, reason="Hồ sơ thiếu giấy tờ"
    )
    html = dossier_form_html(dossier=registered, form_code="02")
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in html
    assert all(f"<li>{item}</li>" in html for item in items)
    assert "Lý do: Hồ sơ thiếu giấy tờ" in html and "Trần Văn Bình" in html


def test_the_supplement_request_gives_the_agencys_phone_or_else_the_portals_hotline(
    registered, people, settings
):
    settings.PORTAL_HOTLINE = "0296 3 957 957"
    services.dossier_request_supplement(
        dossier=registered, actor=people["receiver"], items=["Tờ khai"], reason="Thiếu tờ khai"
    )
    assert "số điện thoại <strong>0296 3 957 957</strong>" in dossier_form_html(
        dossier=registered, form_code="02"
    )
    Agency.objects.filter(pk=registered.receiving_agency_id).update(phone="0297 3 862 123")
    html = dossier_form_html(dossier=registered, form_code="02")
    assert "liên hệ với Trần Văn Bình – " in html and "số điện thoại <strong>0297 3 862 123</strong>" in html


def test_the_refusal_gives_its_reason(registered, people):
    services.dossier_refuse(
        dossier=registered, actor=people["receiver"], reason="Thủ tục không thuộc thẩm quyền của xã"
    )
    html = dossier_form_html(dossier=registered, form_code="03")
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in html
    assert "Thủ tục không thuộc thẩm quyền của xã" in html


def test_the_apology_gives_the_reason_the_first_due_date_and_the_new_one(received, people, commune):
    dossier = _processing(received, people, commune)
    first_due = dossier.due_at
    new_due = first_due + timedelta(days=7)
    services.dossier_apologise(
        dossier=dossier, actor=people["handler"], reason="Cần xác minh thêm", new_due_at=new_due
    )
    dossier.refresh_from_db()
    html = dossier_form_html(dossier=dossier, form_code="04")
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in html and "Lý do: Cần xác minh thêm" in html
    assert vn_datetime(first_due) in html and vn_datetime(new_due) in html


def test_the_control_slip_has_a_row_per_step_with_who_gave_and_who_received(received, people, commune):
    dossier = _processing(received, people, commune)
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="Đủ điều kiện")
    services.dossier_approve(dossier=dossier, actor=people["leader"])
    services.dossier_return_result(dossier=dossier, actor=people["receiver"])
    from dossiers.pdf.contexts import control_steps

    steps = control_steps(dossier)
    assert [s.action for s in steps] == [
        "Đăng ký hồ sơ tại bộ phận một cửa",
        "Tiếp nhận hồ sơ",
        "Chuyển cơ quan giải quyết",
        "Trình kết quả",
        "Phê duyệt, ký kết quả",
        "Trả kết quả",
    ]
    applicant = "Nguyễn Thị Hồng Nhung (Chủ hồ sơ)"
    receiver, handler = "Trần Văn Bình (Công chức một cửa)", "Lê Thị Thu (Chuyên viên xử lý)"
    leader = "Phạm Văn Đức (Lãnh đạo)"
    assert [(s.giver, s.receiver) for s in steps] == [
        (applicant, receiver),  # brought to the counter
        (applicant, receiver),  # accepted
        (receiver, handler),  # handed to the handling officer, who acted next
        (handler, leader),
        (leader, receiver),  # the signed result back to the one-stop desk
        (receiver, applicant),  # and to the applicant
    ]
    assert steps[3].outcome in {"Trước hạn", "Đúng hạn"} and steps[3].agency == commune.name
    html = dossier_form_html(dossier=dossier, form_code="05")
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in html
    assert f"Người giao: {receiver}<br>Người nhận: {applicant}" in html


def test_the_control_slip_names_who_took_each_hand_over_on_a_winding_path(
    received, people, commune, make_user
):
    """A request for more papers, an opinion asked of another agency, a result sent back: each row names the two
    sides of its hand-over, and a step nobody has taken up yet names the agency expected to."""
    construction = Agency.objects.get(code="000.00.06.H01")
    expert = make_user(
        "cv_xd", role=User.Role.HANDLING_OFFICER, agency_code=construction.code, full_name="Vũ Kỹ Sư"
    )
    dossier = _processing(received, people, commune)
    services.dossier_request_supplement(
        dossier=dossier, actor=people["handler"], items=["Tờ khai"], reason="Thiếu"
    )
    filing.dossier_file_add(dossier=dossier, user=people["citizen"], upload=scan("to-khai.pdf"))
    services.dossier_resubmit(dossier=dossier, actor=people["citizen"])
    reply_by = timezone.now() + timedelta(days=3)
    services.dossier_consult(
        dossier=dossier, actor=people["handler"], agency=construction, question="?", reply_by=reply_by
    )
    services.dossier_consult_reply(dossier=dossier, actor=expert, reply="Đúng hiện trạng.")
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="")
    services.dossier_send_back(dossier=dossier, actor=people["leader"], reason="Sửa lại")
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="")
    from dossiers.pdf.contexts import control_steps

    rows = {}
    for step in control_steps(dossier)[3:]:
        rows.setdefault(step.action, []).append((step.giver.split(" (")[0], step.receiver.split(" (")[0]))
    assert rows == {
        "Yêu cầu bổ sung hồ sơ": [("Lê Thị Thu", "Nguyễn Thị Hồng Nhung")],
        "Nộp bổ sung hồ sơ": [("Nguyễn Thị Hồng Nhung", "Lê Thị Thu")],
        "Lấy ý kiến cơ quan khác": [("Lê Thị Thu", construction.name)],
        "Nhận ý kiến phối hợp": [("Vũ Kỹ Sư", "Lê Thị Thu")],
        "Trình kết quả": [("Lê Thị Thu", "Phạm Văn Đức"), ("Lê Thị Thu", commune.name)],  # not taken up yet
        "Trả lại chuyên viên": [("Phạm Văn Đức", "Lê Thị Thu")],
    }


def test_every_form_renders_to_an_a5_pdf(received, people, commune):
    dossier = _processing(received, people, commune)
    services.dossier_request_supplement(
        dossier=dossier, actor=people["handler"], items=["Tờ khai"], reason="Thiếu"
    )
    filing.dossier_file_add(dossier=dossier, user=people["citizen"], upload=scan("to-khai.pdf"))
    services.dossier_resubmit(dossier=dossier, actor=people["citizen"])
    dossier.refresh_from_db()
    services.dossier_apologise(
        dossier=dossier,
        actor=people["handler"],
        reason="Chậm",
        new_due_at=dossier.due_at + timedelta(days=3),
    )
    for code in ["01", "02", "04", "05"]:
        pdf = dossier_form_render(dossier=dossier, form_code=code)
        assert pdf.startswith(b"%PDF-")
        assert _media_box(pdf) == pytest.approx(A5_POINTS, abs=0.5)


def test_a_form_about_something_that_did_not_happen_is_refused(received):
    with pytest.raises(FormNotApplicable):
        dossier_form_store(dossier=received, form_code="03")
    with pytest.raises(ValueError):
        dossier_form_store(dossier=received, form_code="99")
    assert not received.files.filter(kind=DossierFile.Kind.FORM).exists()


# --- storage --------------------------------------------------------------------------------------------------------


def test_storing_a_form_keeps_it_with_the_dossier_files(received):
    stored = dossier_form_store(dossier=received, form_code="01")
    assert stored.kind == DossierFile.Kind.FORM and stored.form_code == "01"
    assert stored.label == "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert stored.content_type == "application/pdf" and stored.file.name.endswith(".pdf")
    with stored.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and len(content) == stored.size


def test_a_new_rendering_replaces_the_older_copy_and_its_file(received, django_capture_on_commit_callbacks):
    first = dossier_form_store(dossier=received, form_code="01")
    storage, old_name = first.file.storage, first.file.name
    received.applicant_phone = "0987654321"
    received.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = dossier_form_store(dossier=received, form_code="01")
    assert second.pk != first.pk
    assert list(received.files.filter(kind=DossierFile.Kind.FORM, form_code="01")) == [second]
    assert not storage.exists(old_name) and storage.exists(second.file.name)


def test_running_the_task_twice_leaves_one_copy(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        form_render(received.pk, "01")
        form_render(received.pk, "01")
    copies = received.files.filter(kind=DossierFile.Kind.FORM, form_code="01")
    assert copies.count() == 1
    assert copies.get().file.storage.exists(copies.get().file.name)


def test_forms_of_different_numbers_are_kept_side_by_side(received, people, commune):
    dossier = _processing(received, people, commune)
    dossier_form_store(dossier=dossier, form_code="01")
    dossier_form_store(dossier=dossier, form_code="05")
    assert sorted(dossier.files.filter(kind=DossierFile.Kind.FORM).values_list("form_code", flat=True)) == [
        "01",
        "05",
    ]


# --- rendering rules ------------------------------------------------------------------------------------------------


def test_the_renderer_reads_only_the_shipped_fonts_and_inline_data():
    fetcher = LocalOnlyFetcher()
    font = fetcher.fetch((FONTS_DIR / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain;base64,eGluIGNow6Bv").read() == "xin chào".encode()
    for url in [
        "https://fonts.googleapis.com/css?family=Roboto",
        "http://127.0.0.1/x.png",
        "file:///etc/passwd",
        (FONTS_DIR / ".." / "models.py").as_uri(),
        "ftp://example.invalid/x",
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_a_template_pointing_outside_gets_nothing_and_the_refusal_is_logged(caplog):
    html = '<img src="https://example.invalid/logo.png"><link rel="stylesheet" href="http://example.invalid/a.css"><p>Xin chào</p>'
    with caplog.at_level(logging.WARNING, logger="portal.pdf.render"):
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert "refused to fetch https://example.invalid/logo.png" in caplog.text
    assert "refused to fetch http://example.invalid/a.css" in caplog.text


def test_render_pdf_embeds_the_shipped_font(received):
    from dossiers.pdf.contexts import receipt_context

    pdf = render_pdf("dossiers/pdf/form_01.html", receipt_context(received))
    assert b"Portal-Sans" in _inflated(pdf)  # the @font-face family, subset and embedded


def test_the_tracking_address_falls_back_to_the_literal_path_without_the_route(monkeypatch, settings):
    settings.PORTAL_BASE_URL = "https://dvc.example.vn/"

    def missing(*args, **kwargs):
        raise NoReverseMatch("dossiers:track")

    monkeypatch.setattr(qr, "reverse", missing)
    code = "000.01.50.H01-261125-0001"
    signature = qr.tracking_link_signature(code)
    assert qr.tracking_url(code) == f"https://dvc.example.vn/ho-so/tra-cuu/{code}/{signature}/"


def test_dates_are_written_the_vietnamese_way():
    assert vn_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vn_date(date(2026, 11, 25)) == "ngày 25 tháng 11 năm 2026"
    moment = datetime(2026, 11, 25, 7, 30, tzinfo=ZoneInfo("UTC"))  # 14:30 in Asia/Ho_Chi_Minh
    assert vn_time(moment) == "14 giờ 30 phút"
    assert vn_datetime(moment) == "14 giờ 30 phút, ngày 25 tháng 11 năm 2026"


def test_a_worker_process_loads_the_fonts_and_freezes_what_is_alive_before_its_first_form():
    import gc

    from celery.signals import worker_process_init

    from dossiers.apps import worker_ready_to_render
    from portal.pdf.render import _fetcher, worker_warm_up

    assert any(receiver() is worker_ready_to_render for _key, receiver in worker_process_init.receivers)
    before = gc.get_freeze_count()
    try:
        worker_warm_up()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
    assert _fetcher() is _fetcher()  # one per thread: building one loads the system's certificates
    assert html_to_pdf("<p>Giấy tiếp nhận</p>").startswith(b"%PDF-")
