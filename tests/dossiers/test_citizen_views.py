"""A citizen's day with the portal: start a dossier from the procedure page, fill it, upload, submit, follow it,
answer a supplement request, withdraw, read notifications, keep papers in the vault. And a stranger who tries
every address of someone else's dossier."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from dossiers import filing, services
from dossiers.completeness import dossier_completeness
from dossiers.models import Dossier, DossierFile, Notification, VaultDocument
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from tests.accounts.mfa import staff_login
from tests.people import attach_required

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="to-khai.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="anh-chup.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Stored files go to a directory of this test, never to the developer's var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "uploads"},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture
def eager_tasks():
    """Tasks queued after commit run in this process, also when a broker is configured (the PostgreSQL run)."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def birth():
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def citizen(make_user):
    return make_user("congdan1", full_name="Nguyễn Thị Hoa", email="hoa@example.invalid", phone="0912345678")


@pytest.fixture
def stranger(make_user):
    return make_user("congdan2", full_name="Người Lạ")


@pytest.fixture
def receiver(make_user, commune):
    return make_user(
        "motcua1", role=User.Role.ONESTOP_OFFICER, agency_code=commune.code, job_title="Công chức một cửa"
    )


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def draft(citizen, birth, commune):
    return filing.dossier_draft_create(user=citizen, procedure=birth, receiving_agency=commune)


@pytest.fixture
def submitted(draft, citizen):
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    draft.refresh_from_db()
    return draft


def details(dossier, **changes):
    """The draft form as the browser sends it, with the version the page showed."""
    data = {
        "expected_version": dossier.version,
        "applicant_kind": "1",
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_id_number": "079123456789",
        "applicant_phone": "0912345678",
        "applicant_email": "hoa@example.invalid",
        "applicant_address": "12 Tôn Đức Thắng, Long Xuyên",
        "delivery": "office",
        "delivery_address": "",
        "hanh_dong": "luu",
    }
    data.update(changes)
    return data


def page_text(response) -> str:
    return response.content.decode()


# --- starting and filing --------------------------------------------------------------------------------------------


def test_a_signed_in_citizen_sees_a_filing_form_on_the_procedure_page(signed_in, commune):
    body = page_text(signed_in.get("/thu-tuc/1.001193/"))
    assert 'action="/ho-so/nop/1.001193/"' in body
    assert 'method="post"' in body and "csrfmiddlewaretoken" in body
    assert f'<option value="{commune.code}">' in body
    assert body.count('<option value="') >= 102  # every commune of the province


def test_an_anonymous_visitor_is_asked_to_sign_in_and_the_page_stays_shareable(client):
    body = page_text(client.get("/thu-tuc/1.001193/"))
    assert 'action="/ho-so/nop/1.001193/"' in body and 'method="get"' in body
    assert "csrfmiddlewaretoken" not in body
    assert "Đăng nhập" in body and "Hồ sơ của tôi" not in body and "Tra cứu hồ sơ" in body
    response = client.get("/ho-so/nop/1.001193/", {"co_quan": "000.01.50.H01"})
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_a_procedure_without_online_filing_explains_where_to_file(signed_in):
    offline = Procedure.objects.filter(online_level__lt=3, is_active=True).first()
    body = page_text(signed_in.get(offline.get_absolute_url()))
    assert "chưa nhận hồ sơ trực tuyến" in body and "/ho-so/nop/" not in body
    response = signed_in.post(f"/ho-so/nop/{offline.code}/", {"co_quan": "000.00.05.H01"})
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_an_agency_that_does_not_receive_the_procedure_is_refused(signed_in):
    response = signed_in.post("/ho-so/nop/1.001193/", {"co_quan": "000.00.20.H01"})
    assert response.status_code == 400
    assert "không tiếp nhận thủ tục này" in page_text(response)
    assert not Dossier.objects.exists()


def test_a_citizen_files_a_whole_dossier_online(
    signed_in, citizen, birth, commune, eager_tasks, django_capture_on_commit_callbacks
):
    response = signed_in.post("/ho-so/nop/1.001193/", {"co_quan": commune.code})
    dossier = Dossier.objects.get(applicant=citizen)
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/soan/"
    assert dossier.state == Dossier.State.DRAFT and dossier.receiving_agency == commune

    form = signed_in.get(f"/ho-so/{dossier.pk}/soan/")
    body = page_text(form)
    first, second = dossier_completeness(dossier).required
    assert form.status_code == 200
    assert 'value="Nguyễn Thị Hoa"' in body  # prefilled from the account
    assert f'name="tep_{first.pk}" multiple accept=".pdf,.jpg,.jpeg,.png"' in body
    assert "tối đa 10 MB" in body and "tối đa 50 MB" in body
    assert "Còn thiếu 2 trong 2 giấy tờ bắt buộc." in body

    signed_in.post(
        "/ho-so/kho-du-lieu/",
        {"doc_type": "Căn cước", "number": "079123456789", "issuer": "Bộ Công an", "file": pdf("cccd.pdf")},
    )
    card = VaultDocument.objects.get(owner=citizen)

    response = signed_in.post(
        f"/ho-so/{dossier.pk}/soan/",
        details(
            dossier, hanh_dong="kiem_tra", **{f"tep_{first.pk}": [pdf(), png()], f"kho_{second.pk}": card.pk}
        ),
    )
    # "Tiếp tục" saves and shows the answers to check: nothing is submitted yet.
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/kiem-tra/"
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.DRAFT and dossier.code is None
    review = page_text(signed_in.get(response["Location"]))
    assert "Kiểm tra lại hồ sơ trước khi nộp" in review
    assert commune.name in review and "Nhận tại nơi nộp hồ sơ" in review and "0912345678" in review
    assert "to-khai.pdf" in review and "anh-chup.png" in review and "cccd.pdf" in review
    assert "Phí, lệ phí" in review and "Miễn phí" in review or "đ" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/ho-so/{dossier.pk}/kiem-tra/", {"expected_version": dossier.version})

    dossier.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.state == Dossier.State.SUBMITTED and CODE.match(dossier.code)
    assert dossier.applicant_id_number == "079123456789"
    files = list(dossier.files.order_by("pk"))
    assert [(f.requirement_id, f.content_type) for f in files] == [
        (first.pk, "application/pdf"),
        (first.pk, "image/png"),
        (second.pk, "application/pdf"),
    ]
    assert files[2].vault_document == card and files[2].file.name == card.file.name
    assert Notification.objects.filter(user=citizen, dossier=dossier).count() == 1
    assert len(mail.outbox) == 1 and dossier.code in mail.outbox[0].subject
    assert mail.outbox[0].to == ["hoa@example.invalid"]

    detail = page_text(signed_in.get(response["Location"]))
    assert dossier.code in detail and "Chờ tiếp nhận" in detail and "Nộp hồ sơ" in detail


def test_a_saved_draft_can_be_resumed_on_another_device(client, citizen, draft, birth):
    first = birth.documents.first()
    client.force_login(citizen)
    response = client.post(
        f"/ho-so/{draft.pk}/soan/",
        details(draft, applicant_address="Ấp Hòa Long", **{f"tep_{first.pk}": pdf("giay-chung-sinh.pdf")}),
    )
    assert response.status_code == 302
    client.logout()

    other_device = client.__class__()
    other_device.force_login(citizen)
    listing = page_text(other_device.get("/ho-so/cua-toi/"))
    assert f'href="/ho-so/{draft.pk}/soan/"' in listing and "Bản nháp" in listing
    page = page_text(other_device.get(f"/ho-so/{draft.pk}/soan/"))
    assert 'value="Ấp Hòa Long"' in page and "giay-chung-sinh.pdf" in page


def test_a_file_can_be_removed_from_the_draft(signed_in, citizen, draft):
    attached = filing.dossier_file_add(dossier=draft, user=citizen, upload=pdf("nham.pdf"))
    response = signed_in.post(f"/ho-so/{draft.pk}/soan/", details(draft, xoa_tep=attached.pk))
    assert response.status_code == 302
    assert not draft.files.exists()


def test_post_delivery_needs_an_address(signed_in, draft):
    response = signed_in.post(f"/ho-so/{draft.pk}/soan/", details(draft, delivery="post"))
    assert response.status_code == 400
    assert "địa chỉ nhận kết quả" in page_text(response)
    draft.refresh_from_db()
    assert draft.delivery == "office"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("chuong-trinh.pdf", b"MZ\x90\x00" + b"\x00" * 200), "không phải PDF, JPEG hoặc PNG"),
        (lambda: pdf("rong.pdf", b""), "rỗng"),
        (lambda: pdf("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"), "vượt quá 1 MB"),
        (lambda: pdf("cat.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"), "không phải tệp PDF hoàn chỉnh"),
    ],
    ids=["executable-renamed-pdf", "zero-bytes", "over-the-limit", "truncated-pdf"],
)
def test_a_bad_upload_is_reported_by_name_and_everything_else_is_kept(
    signed_in, citizen, draft, birth, settings, uploads_in_tmp, upload, message
):
    settings.PORTAL_UPLOAD_MAX_FILE_MB = 1
    first = birth.documents.first()
    kept = filing.dossier_file_add(dossier=draft, user=citizen, upload=pdf("da-co.pdf"))
    stored_before = {p.name for p in uploads_in_tmp.rglob("*") if p.is_file()}
    response = signed_in.post(
        f"/ho-so/{draft.pk}/soan/",
        details(
            draft,
            hanh_dong="kiem_tra",
            applicant_address="Địa chỉ mới",
            **{f"tep_{first.pk}": [pdf("hop-le.pdf"), upload()]},
        ),
    )
    assert response.status_code == 400
    body = page_text(response)
    assert message in body and "data-error-summary" in body and body.count('role="alert"') == 1
    assert f'href="#tep_{first.pk}"' in body  # the summary links to the upload that failed
    draft.refresh_from_db()
    # The good file and the typed address are kept; the bad file is not stored; nothing is submitted.
    assert sorted(f.original_name for f in draft.files.all()) == ["da-co.pdf", "hop-le.pdf"]
    assert kept in draft.files.all()
    assert (
        draft.applicant_address == "Địa chỉ mới" and draft.state == Dossier.State.DRAFT and draft.code is None
    )
    assert len({p.name for p in uploads_in_tmp.rglob("*") if p.is_file()} - stored_before) == 1
    assert "hop-le.pdf" in body and 'value="Địa chỉ mới"' in body


def test_a_hostile_file_name_is_cleaned_and_never_used_to_store_the_file(signed_in, draft):
    name = "../" * 10 + "a" * 270 + ".pdf"
    response = signed_in.post(f"/ho-so/{draft.pk}/soan/", details(draft, tep_khac=pdf(name)))
    assert response.status_code == 302
    stored = draft.files.get()
    assert "/" not in stored.original_name and ".." not in stored.original_name
    assert len(stored.original_name) <= 120 and stored.original_name.endswith(".pdf")
    assert re.fullmatch(r"dossiers/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored.file.name)


def test_submitting_an_empty_draft_says_what_is_missing(signed_in, draft):
    response = signed_in.post(f"/ho-so/{draft.pk}/soan/", details(draft, hanh_dong="nop"))
    assert response.status_code == 400
    body = page_text(response)
    assert "chưa có giấy tờ nào" in body and "Còn thiếu 2 trong 2 giấy tờ bắt buộc." in body
    assert "<title>Lỗi: " in body
    draft.refresh_from_db()
    assert draft.state == Dossier.State.DRAFT


def test_a_double_click_on_submit_gets_a_clear_message_and_one_code(signed_in, citizen, draft):
    attach_required(draft, citizen)
    form = {"expected_version": draft.version}
    first = signed_in.post(f"/ho-so/{draft.pk}/kiem-tra/", form)
    second = signed_in.post(f"/ho-so/{draft.pk}/kiem-tra/", form)
    draft.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 400
    assert f"Hồ sơ đã được nộp với mã {draft.code}, không cần nộp lại." in page_text(second)
    assert Dossier.objects.exclude(code=None).count() == 1
    assert draft.events.filter(action="submit").count() == 1


def test_a_draft_saved_elsewhere_in_the_meantime_is_not_overwritten_and_the_typed_text_is_kept(
    signed_in, citizen, draft
):
    stale = details(draft, applicant_address="Từ thẻ cũ")
    filing.dossier_details_update(dossier=draft, user=citizen, applicant_address="Từ điện thoại")
    response = signed_in.post(f"/ho-so/{draft.pk}/soan/", stale)
    assert response.status_code == 400
    assert "vừa được lưu ở nơi khác" in page_text(response)
    draft.refresh_from_db()
    assert draft.applicant_address == "Từ điện thoại"
    # What was typed here is not thrown away: it is shown again, to be checked and saved on purpose.
    assert 'value="Từ thẻ cũ"' in page_text(response)
    again = signed_in.post(f"/ho-so/{draft.pk}/soan/", {**stale, "expected_version": draft.version})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.applicant_address == "Từ thẻ cũ"


# --- following, withdrawing, supplementing --------------------------------------------------------------------------


def test_my_dossiers_lists_code_status_and_due_date_with_a_fixed_number_of_queries(
    signed_in, citizen, birth, commune, submitted
):
    submitted.due_at = submitted.submitted_at
    submitted.save()
    body = page_text(signed_in.get("/ho-so/cua-toi/"))
    assert submitted.code in body and "Chờ tiếp nhận" in body and "Nộp hồ sơ" in body
    assert submitted.due_at.astimezone().strftime("%d/%m/%Y") in body

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get("/ho-so/cua-toi/").status_code == 200
        return len(captured)

    few = queries()
    for procedure in Procedure.objects.filter(agency_links__agency=commune, online_level__gte=3).distinct()[
        :25
    ]:
        filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    assert queries() == few
    assert "?page=2" in page_text(signed_in.get("/ho-so/cua-toi/"))
    # Page 2 holds the rest, newest first as on page 1: the oldest draft and the submitted dossier last.
    mine = Dossier.objects.filter(applicant=citizen).order_by("-created_at", "-pk")
    second = page_text(signed_in.get("/ho-so/cua-toi/?page=2"))
    assert mine.count() > 20 and f"#{mine[20].pk}" in second and f"#{mine[0].pk}" not in second
    assert submitted.code in second


def test_the_history_shows_roles_and_units_never_officer_names(
    signed_in, submitted, receiver, make_user, commune
):
    receiver.full_name = "Trần Văn Cán Bộ"
    receiver.save()
    services.dossier_receive(dossier=submitted, actor=receiver)
    body = page_text(signed_in.get(f"/ho-so/{submitted.pk}/"))
    assert "Tiếp nhận hồ sơ" in body and "Cán bộ một cửa" in body and commune.name in body
    assert "Trần Văn Cán Bộ" not in body
    assert "Đúng hạn" in body or "Trước hạn" in body


def test_the_applicant_withdraws_with_a_reason(signed_in, submitted):
    page = page_text(signed_in.get(f"/ho-so/{submitted.pk}/"))
    assert f'action="/ho-so/{submitted.pk}/rut/"' in page
    refused = signed_in.post(
        f"/ho-so/{submitted.pk}/rut/", {"expected_version": submitted.version, "reason": " "}
    )
    assert refused.status_code == 400 and "Vui lòng nêu lý do" in page_text(refused)
    form = {"expected_version": submitted.version, "reason": "Nộp nhầm thủ tục"}
    response = signed_in.post(f"/ho-so/{submitted.pk}/rut/", form)
    submitted.refresh_from_db()
    assert response.status_code == 302 and submitted.state == Dossier.State.WITHDRAWN
    again = signed_in.post(f"/ho-so/{submitted.pk}/rut/", form)
    assert again.status_code == 400 and "đã được thực hiện" in page_text(again)
    assert f'action="/ho-so/{submitted.pk}/rut/"' not in page_text(signed_in.get(f"/ho-so/{submitted.pk}/"))


def test_the_applicant_answers_a_supplement_request(signed_in, citizen, submitted, receiver):
    services.dossier_request_supplement(
        dossier=submitted, actor=receiver, items=["Bản sao giấy chứng nhận kết hôn"], reason="Thiếu giấy tờ"
    )
    submitted.refresh_from_db()
    page = page_text(signed_in.get(f"/ho-so/{submitted.pk}/"))
    assert "Bản sao giấy chứng nhận kết hôn" in page and "Thiếu giấy tờ" in page
    assert f'action="/ho-so/{submitted.pk}/bo-sung/"' in page and 'name="tep_bo_sung" multiple' in page

    empty = signed_in.post(f"/ho-so/{submitted.pk}/bo-sung/", {"expected_version": submitted.version})
    assert empty.status_code == 400 and "Vui lòng đính kèm giấy tờ bổ sung" in page_text(empty)

    response = signed_in.post(
        f"/ho-so/{submitted.pk}/bo-sung/",
        {"expected_version": submitted.version, "tep_bo_sung": [pdf("ket-hon.pdf")]},
    )
    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.state == Dossier.State.SUBMITTED
    assert submitted.files.filter(kind=DossierFile.Kind.SUPPLEMENT, original_name="ket-hon.pdf").exists()
    assert submitted.supplement_requests.get().answered_at is not None
    assert "Nộp bổ sung hồ sơ" in page_text(signed_in.get(f"/ho-so/{submitted.pk}/"))


# --- files ----------------------------------------------------------------------------------------------------------


def test_a_file_downloads_as_an_attachment_with_its_checked_type_and_original_name(signed_in, citizen, draft):
    stored = filing.dossier_file_add(dossier=draft, user=citizen, upload=pdf("Tờ khai đăng ký.pdf"))
    response = signed_in.get(f"/ho-so/tep/{stored.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD.pdf" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]


def test_an_officer_of_the_receiving_agency_downloads_a_submitted_file(client, submitted, receiver):
    staff_login(client, receiver)
    assert client.get(f"/ho-so/tep/{submitted.files.first().pk}/").status_code == 200


def test_vault_documents_are_listed_and_download_only_for_their_owner(signed_in, client, citizen, stranger):
    response = signed_in.post(
        "/ho-so/kho-du-lieu/",
        {
            "doc_type": "Giấy khai sinh",
            "number": "123/2001",
            "issuer": "UBND phường Mỹ Bình",
            "issued_on": "2001-05-02",
            "file": png("khai-sinh.png"),
        },
    )
    assert response.status_code == 302
    document = VaultDocument.objects.get(owner=citizen)
    body = page_text(signed_in.get("/ho-so/kho-du-lieu/"))
    assert (
        "Giấy khai sinh" in body
        and "123/2001" in body
        and "02/05/2001" in body
        and "Công dân tải lên" in body
    )
    download = signed_in.get(f"/ho-so/kho-du-lieu/{document.pk}/tai-ve/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    client.force_login(stranger)
    assert client.get(f"/ho-so/kho-du-lieu/{document.pk}/tai-ve/").status_code == 404


def test_a_bad_vault_upload_is_refused(signed_in, citizen):
    response = signed_in.post(
        "/ho-so/kho-du-lieu/", {"doc_type": "Căn cước", "file": pdf("x.pdf", b"MZ" * 50)}
    )
    assert response.status_code == 400 and "không phải PDF, JPEG hoặc PNG" in page_text(response)
    assert not VaultDocument.objects.exists()


# --- notifications --------------------------------------------------------------------------------------------------


def test_notifications_are_listed_counted_in_the_header_and_marked_read(signed_in, citizen, submitted):
    notification = Notification.objects.get(user=citizen)
    body = page_text(signed_in.get("/ho-so/thong-bao/"))
    assert notification.title in body and "Thông báo (1)" in body
    response = signed_in.post("/ho-so/thong-bao/da-doc/", {"id": notification.pk})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Thông báo (0)" in page_text(signed_in.get("/ho-so/thong-bao/"))


def test_a_stranger_cannot_mark_someone_elses_notification(client, stranger, submitted):
    client.force_login(stranger)
    client.post("/ho-so/thong-bao/da-doc/")
    assert Notification.objects.get().read_at is None


# --- strangers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/ho-so/{draft}/soan/"),
        ("post", "/ho-so/{draft}/soan/"),
        ("get", "/ho-so/{draft}/"),
        ("get", "/ho-so/{submitted}/"),
        ("post", "/ho-so/{submitted}/rut/"),
        ("post", "/ho-so/{submitted}/bo-sung/"),
        ("get", "/ho-so/tep/{file}/"),
        ("get", "/ho-so/tep/{draft_file}/"),
        ("get", "/ho-so/{missing}/"),
        ("get", "/ho-so/tep/{missing}/"),
    ],
)
def test_a_stranger_gets_404_for_every_address_of_someone_elses_dossier(
    client, stranger, citizen, birth, commune, submitted, method, url
):
    other_draft = filing.dossier_draft_create(user=citizen, procedure=birth, receiving_agency=commune)
    draft_file = filing.dossier_file_add(dossier=other_draft, user=citizen, upload=pdf())
    address = url.format(
        draft=other_draft.pk,
        submitted=submitted.pk,
        file=submitted.files.first().pk,
        draft_file=draft_file.pk,
        missing=999999,
    )
    client.force_login(stranger)
    data = details(other_draft, hanh_dong="nop", reason="x") if method == "post" else None
    response = getattr(client, method)(address, data)
    assert response.status_code == 404
    assert "Nguyễn Thị Hoa" not in page_text(response)
    other_draft.refresh_from_db()
    submitted.refresh_from_db()
    assert other_draft.state == Dossier.State.DRAFT and submitted.state == Dossier.State.SUBMITTED


@pytest.mark.parametrize(
    "url",
    [
        "/ho-so/cua-toi/",
        "/ho-so/1/",
        "/ho-so/1/soan/",
        "/ho-so/thong-bao/",
        "/ho-so/kho-du-lieu/",
        "/ho-so/tep/1/",
    ],
)
def test_personal_pages_ask_an_anonymous_visitor_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_signing_in_leads_to_my_dossiers(client, citizen):
    response = client.post("/tai-khoan/dang-nhap/", {"login": "congdan1", "password": "Mat-khau-du-dai-123"})
    assert response.status_code == 302 and response["Location"] == "/ho-so/cua-toi/"
    body = page_text(client.get("/ho-so/cua-toi/"))
    assert "Bạn chưa có hồ sơ nào" in body and 'action="/tai-khoan/dang-xuat/"' in body
