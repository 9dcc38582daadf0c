"""A proposed result is not a result: the applicant sees it (page, download, vault, notifications) only once it is
approved and the dossier is returned; until then it is the officers' draft, and a new proposal replaces it."""

import pytest
from django.test import Client

from dossiers import results, services
from dossiers.models import Dossier, DossierFile
from tests.accounts.mfa import staff_login
from tests.people import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State
RESULT_NAME = "Giấy khai sinh bản điện tử"


def _result(content: bytes = PDF) -> results.ResultDocument:
    return results.ResultDocument(
        name=RESULT_NAME, content=content, content_type="application/pdf", extension="pdf"
    )


def _proposed(staff) -> Dossier:
    dossier = staff.walk(staff.register(applicant=staff.citizen), S.PROCESSING)
    services.dossier_propose(dossier=dossier, actor=staff.handler, note="", result=_result())
    dossier.refresh_from_db()
    return dossier


def _citizen_sees(staff, dossier: Dossier) -> dict:
    """What the applicant can reach of the result: on their page, by its address, in the vault, in notifications."""
    client = Client()
    client.force_login(staff.citizen)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    result = dossier.files.filter(kind=DossierFile.Kind.RESULT).first()
    return {
        "page": RESULT_NAME in page or "Kết quả giải quyết" in page,
        "download": result is not None and client.get(f"/ho-so/tep/{result.pk}/").status_code == 200,
        "vault": staff.citizen.vault_documents.filter(source="result").exists(),
        # Approval tells them the result is ready to be returned; the result itself comes with the return.
        "notified": staff.citizen.notifications.filter(kind="return_result").exists(),
    }


NOTHING = {"page": False, "download": False, "vault": False, "notified": False}


def test_a_proposed_result_waiting_for_the_leader_is_not_shown_to_the_applicant(staff):
    dossier = _proposed(staff)
    assert dossier.state == S.AWAITING_APPROVAL
    assert _citizen_sees(staff, dossier) == NOTHING


def test_a_result_sent_back_by_the_leader_stays_a_draft(staff):
    dossier = _proposed(staff)
    services.dossier_send_back(dossier=dossier, actor=staff.leader, reason="Sửa lại ngày sinh")
    dossier.refresh_from_db()
    assert dossier.state == S.PROCESSING
    assert _citizen_sees(staff, dossier) == NOTHING


def test_a_draft_result_of_a_stopped_dossier_is_never_shown(staff):
    dossier = _proposed(staff)
    services.dossier_send_back(dossier=dossier, actor=staff.leader, reason="Cần xác minh")
    services.dossier_stop(dossier=dossier, actor=staff.leader, reason="Hồ sơ giả mạo")
    dossier.refresh_from_db()
    assert dossier.state == S.STOPPED
    assert _citizen_sees(staff, dossier) == NOTHING


def test_an_approved_result_waits_for_its_return_before_the_applicant_gets_it(staff):
    dossier = _proposed(staff)
    services.dossier_approve(dossier=dossier, actor=staff.leader)
    dossier.refresh_from_db()
    assert dossier.state == S.AWAITING_RETURN
    assert _citizen_sees(staff, dossier) == NOTHING


def test_the_returned_result_is_the_applicants_everywhere(staff):
    dossier = _proposed(staff)
    services.dossier_approve(dossier=dossier, actor=staff.leader)
    services.dossier_return_result(dossier=dossier, actor=staff.receiver)
    dossier.refresh_from_db()
    seen = _citizen_sees(staff, dossier)
    assert seen == {"page": True, "download": True, "vault": True, "notified": True}
    client = Client()
    client.force_login(staff.citizen)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert f"do {staff.justice.name} cấp" in page  # issued by the agency, not "taken from the vault"
    assert "lấy từ kho dữ liệu" not in page and "số hóa tại bộ phận một cửa" in page


def test_the_officers_see_the_draft_marked_as_a_draft(client, staff):
    dossier = _proposed(staff)
    staff_login(client, staff.leader)
    page = client.get(f"/ho-so/can-bo/{dossier.pk}/").content.decode()
    assert RESULT_NAME in page and "Dự thảo, chưa phê duyệt" in page
    result = dossier.files.get(kind=DossierFile.Kind.RESULT)
    assert client.get(f"/ho-so/tep/{result.pk}/").status_code == 200


def test_a_new_proposal_replaces_the_superseded_draft(staff, django_capture_on_commit_callbacks):
    dossier = _proposed(staff)
    first = dossier.files.get(kind=DossierFile.Kind.RESULT)
    storage, first_name = first.file.storage, first.file.name
    services.dossier_send_back(dossier=dossier, actor=staff.leader, reason="Sửa lại")
    second_pdf = PDF.replace(b"%%EOF", b"% v2\n%%EOF")
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_propose(dossier=dossier, actor=staff.handler, note="", result=_result(second_pdf))
    results = list(dossier.files.filter(kind=DossierFile.Kind.RESULT))
    assert len(results) == 1 and results[0].pk != first.pk
    assert results[0].file.read() == second_pdf
    assert not storage.exists(first_name)


def test_an_approved_result_is_not_replaced_by_a_later_draft(staff):
    """Approval freezes the result: only drafts are superseded."""
    dossier = _proposed(staff)
    services.dossier_approve(dossier=dossier, actor=staff.leader)
    approved = dossier.files.get(kind=DossierFile.Kind.RESULT)
    assert approved.approved_at is not None
    dossier.refresh_from_db()
    results.result_store(dossier, staff.handler, _result())
    assert dossier.files.filter(pk=approved.pk).exists()


def test_a_proposal_without_a_new_file_keeps_the_draft(staff):
    dossier = _proposed(staff)
    services.dossier_send_back(dossier=dossier, actor=staff.leader, reason="Sửa ý kiến trình")
    services.dossier_propose(dossier=dossier, actor=staff.handler, note="Đã sửa")
    assert dossier.files.filter(kind=DossierFile.Kind.RESULT).count() == 1


def test_the_address_of_a_draft_result_answers_404_to_the_applicant(staff):
    """The address of a draft is refused like a dossier the applicant may not see (404), not 403."""
    dossier = _proposed(staff)
    result = dossier.files.get(kind=DossierFile.Kind.RESULT)
    client = Client()
    client.force_login(staff.citizen)
    assert client.get(f"/ho-so/tep/{result.pk}/").status_code == 404
    assert client.get(f"/ho-so/tep/{result.pk + 1000}/").status_code == 404
