"""Filing online without losing work: one draft per procedure, deleting a draft, the required documents listed before
submission, and the procedures that accept a dossier completed later."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client

from dossiers import filing, services
from dossiers.completeness import document_required, dossier_completeness
from dossiers.errors import InvalidInput
from dossiers.models import Dossier, ProcedureFilingRule, VaultDocument
from portal.catalog.models import RequiredDocument
from tests.people import attach_required, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]


@pytest.fixture
def signed_in(staff) -> Client:
    client = Client()
    client.force_login(staff.citizen)
    return client


def _draft(staff) -> Dossier:
    draft = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    return filing.dossier_details_update(dossier=draft, user=staff.citizen, applicant_phone="0912345678")


# --- one draft per procedure ----------------------------------------------------------------------------------------


def test_starting_a_procedure_again_opens_the_draft_already_there(signed_in, staff):
    first = signed_in.post(f"/ho-so/nop/{staff.birth.code}/", {"co_quan": staff.commune.code})
    draft = Dossier.objects.get(applicant=staff.citizen)
    again = signed_in.post(f"/ho-so/nop/{staff.birth.code}/", {"co_quan": staff.other_commune.code})
    link = signed_in.get(f"/ho-so/nop/{staff.birth.code}/")
    assert first["Location"] == again["Location"] == link["Location"] == f"/ho-so/{draft.pk}/soan/"
    assert Dossier.objects.filter(applicant=staff.citizen).count() == 1
    page = signed_in.get(again["Location"]).content.decode()
    assert "Bạn đã có bản nháp hồ sơ cho thủ tục này" in page


def test_a_submitted_dossier_does_not_stop_a_new_draft_of_the_same_procedure(staff):
    draft = _draft(staff)
    attach_required(draft, staff.citizen)
    services.dossier_submit(dossier=draft, actor=staff.citizen)
    second = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    assert second.pk != draft.pk and second.created


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
def test_three_quick_clicks_on_start_make_one_draft(staff):
    """Three starts at the same moment, each on its own connection and committing, as three clicks reach three
    server workers: one draft. (The catalogue is committed at the start of the run; the person is made here.)"""
    from portal.accounts.models import User

    tag = uuid.uuid4().hex[:8]
    user = _committed(lambda: User.objects.create_user(f"bam-ba-lan-{tag}"))
    barrier, errors = threading.Barrier(3), []

    def start():
        try:
            barrier.wait(10)
            filing.dossier_draft_create(user=user, procedure=staff.birth, receiving_agency=staff.commune)
        except Exception as error:  # handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors
        drafts = _committed(lambda: Dossier.objects.filter(applicant=user, state=Dossier.State.DRAFT).count())
        assert drafts == 1
    finally:
        _committed(
            lambda: (
                Dossier.objects.filter(applicant=user).delete(),
                User.objects.filter(pk=user.pk).delete(),
            )
        )


def _committed(work):
    """Run ``work`` on a connection of its own, outside the test's transaction (its writes commit)."""
    box = {}

    def run():
        try:
            box["value"] = work()
        except Exception as error:  # handed to the test
            box["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


# --- deleting a draft -------------------------------------------------------------------------------------------------


def test_a_citizen_deletes_a_draft_with_its_uploads_and_keeps_the_vault(
    signed_in, staff, django_capture_on_commit_callbacks
):
    draft = _draft(staff)
    uploaded = filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=pdf("don.pdf"))
    card = filing.vault_document_add(user=staff.citizen, upload=pdf("cccd.pdf"), doc_type="Căn cước")
    filing.dossier_file_from_vault(dossier=draft, user=staff.citizen, vault_document=card)
    storage, uploaded_name = uploaded.file.storage, uploaded.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/ho-so/{draft.pk}/xoa/")
    assert response.status_code == 302 and response["Location"] == "/ho-so/cua-toi/"
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(uploaded_name)
    assert VaultDocument.objects.filter(pk=card.pk).exists() and storage.exists(card.file.name)
    assert "Đã xóa bản nháp" in signed_in.get("/ho-so/cua-toi/").content.decode()


def test_a_submitted_dossier_cannot_be_deleted_and_a_stranger_gets_404(staff, make_user):
    draft = _draft(staff)
    attach_required(draft, staff.citizen)
    services.dossier_submit(dossier=draft, actor=staff.citizen)
    owner, stranger = Client(), Client()
    owner.force_login(staff.citizen)
    stranger.force_login(make_user("nguoi-la"))
    assert owner.post(f"/ho-so/{draft.pk}/xoa/").status_code == 400
    assert stranger.post(f"/ho-so/{draft.pk}/xoa/").status_code == 404
    assert Dossier.objects.filter(pk=draft.pk, state=Dossier.State.SUBMITTED).exists()


# --- required documents ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "name", "required"),
    [
        ("", "Tờ khai theo mẫu", True),
        ("* Giấy tờ phải nộp:", "- Giấy chứng sinh; trường hợp không có thì văn bản làm chứng", True),
        ("", "Văn bản ủy quyền trong trường hợp ủy quyền thực hiện", False),
        ("", "- Trường hợp trẻ bị bỏ rơi: biên bản", False),
        ("", "Giấy tờ chứng minh nơi cư trú (nếu có)", False),
        ("* Lưu ý:", "Người tiếp nhận kiểm tra giấy tờ", False),
        ("* Giấy tờ phải xuất trình:", "Hộ chiếu hoặc thẻ căn cước", False),
        ("", "Xuất trình bản chính để đối chiếu", False),
    ],
)
def test_the_catalogues_words_say_which_documents_are_required(case, name, required):
    assert document_required(RequiredDocument(case=case, name=name)) is required


def test_missing_required_documents_are_listed_before_submission(signed_in, staff):
    draft = _draft(staff)
    first, second = dossier_completeness(draft).required
    filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=pdf(), requirement_id=first.pk)
    response = signed_in.post(
        f"/ho-so/{draft.pk}/soan/",
        {
            "expected_version": draft.version,
            "applicant_kind": "1",
            "applicant_name": "Trần Thị Bình",
            "applicant_phone": "0912345678",
            "delivery": "office",
            "hanh_dong": "kiem_tra",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Còn thiếu 1 trong 2 giấy tờ bắt buộc." in body
    assert f'href="#tp-{second.pk}"' in body and "Bắt buộc, chưa có tệp" in body
    with pytest.raises(InvalidInput, match="Còn thiếu 1 trong 2"):
        services.dossier_submit(dossier=draft, actor=staff.citizen)


def test_where_the_procedure_allows_it_the_applicant_submits_an_incomplete_dossier_after_confirming(
    signed_in, staff
):
    ProcedureFilingRule.objects.create(procedure=staff.birth, incomplete_allowed=True)
    draft = _draft(staff)
    filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=pdf())
    filing.dossier_details_update(dossier=draft, user=staff.citizen, applicant_phone="0912345678")
    draft.refresh_from_db()
    review = signed_in.get(f"/ho-so/{draft.pk}/kiem-tra/").content.decode()
    assert "Còn thiếu 2 trong 2 giấy tờ bắt buộc." in review and 'name="incomplete_accepted"' in review
    refused = signed_in.post(f"/ho-so/{draft.pk}/kiem-tra/", {"expected_version": draft.version})
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert draft.state == Dossier.State.DRAFT
    accepted = signed_in.post(
        f"/ho-so/{draft.pk}/kiem-tra/", {"expected_version": draft.version, "incomplete_accepted": "on"}
    )
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Dossier.State.SUBMITTED
    assert len(draft.events.get(action="submit").params["missing"]) == 2


def test_an_administrator_can_name_the_required_documents_of_a_procedure(staff):
    draft = _draft(staff)
    chosen = staff.birth.documents.order_by("position").first()  # a conditional one, by its words
    assert not document_required(chosen)
    rule = ProcedureFilingRule.objects.create(procedure=staff.birth)
    rule.required_documents.set([chosen])
    assert dossier_completeness(draft).required == [chosen]


def test_the_review_page_of_a_dossier_that_cannot_be_submitted_links_back_to_each_problem(signed_in, staff):
    draft = _draft(staff)
    body = signed_in.get(f"/ho-so/{draft.pk}/kiem-tra/").content.decode()
    assert "Hồ sơ chưa nộp được" in body and f'href="/ho-so/{draft.pk}/soan/#thanh-phan"' in body
    assert ">Nộp hồ sơ</button>" not in body  # no way to submit from here
    assert (
        signed_in.post(f"/ho-so/{draft.pk}/kiem-tra/", {"expected_version": draft.version}).status_code == 400
    )
