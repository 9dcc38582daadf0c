"""Who is told what: officers when a dossier enters their queue, and everyone in their own language, because what is
stored is a code and its parameters, not a Vietnamese sentence."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from dossiers import services
from dossiers.errors import InvalidInput
from dossiers.models import Dossier, Notification
from portal.accounts.models import User
from tests.accounts.mfa import staff_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State


def _work(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind__startswith="work:").values_list("kind", flat=True)
    )


def test_officers_are_told_when_a_dossier_enters_their_queue(staff, django_capture_on_commit_callbacks):
    """Each arrival reaches the officers of that queue in that agency, not the one who sent it, nor anyone else."""
    staff.receiver_2.notify_email = True
    staff.receiver_2.email = "motcua2@example.invalid"
    staff.receiver_2.save()
    dossier = staff.register(applicant=staff.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        staff.walk(dossier, S.PROCESSING)  # received and transferred to Sở Tư pháp
    assert _work(staff.handler) == ["work:dang-xu-ly"]
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_propose(dossier=dossier, actor=staff.handler, note="")
    assert _work(staff.leader) == ["work:cho-phe-duyet"]
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_send_back(dossier=dossier, actor=staff.leader, reason="Bổ sung căn cứ")
        services.dossier_propose(dossier=dossier, actor=staff.handler, note="")
        services.dossier_approve(dossier=dossier, actor=staff.leader)
    assert _work(staff.handler) == ["work:dang-xu-ly", "work:dang-xu-ly"]  # sent back to them
    # Both one-stop officers of the commune hear that a result waits; the receiver who acted hears nothing of it
    # being received, and officers of another commune hear nothing at all.
    assert _work(staff.receiver) == ["work:cho-tra-ket-qua"]
    assert _work(staff.receiver_2) == ["work:cho-tra-ket-qua"]
    assert _work(staff.stranger) == []
    [message] = [m for m in mail.outbox if m.to == ["motcua2@example.invalid"]]
    assert dossier.code in message.subject and f"/ho-so/can-bo/{dossier.pk}/" in message.body


def test_an_online_submission_reaches_the_receiving_agencys_one_stop_officers(staff):
    from dossiers import filing
    from tests.people import attach_required

    draft = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    draft = filing.dossier_details_update(dossier=draft, user=staff.citizen, applicant_phone="0912345678")
    attach_required(draft, staff.citizen)
    services.dossier_submit(dossier=draft, actor=staff.citizen)
    assert _work(staff.receiver) == _work(staff.receiver_2) == ["work:cho-tiep-nhan"]
    [notification] = Notification.objects.filter(user=staff.receiver)
    assert (
        notification.subject.startswith("Hồ sơ mới chờ tiếp nhận")
        and staff.commune.name in notification.message
    )


def test_the_consulted_agency_is_told_a_question_waits(staff, make_user):
    asked = make_user("cv-tnmt", role=User.Role.HANDLING_OFFICER, agency_code=staff.other_commune.code)
    dossier = staff.walk(staff.register(), S.PROCESSING)
    services.dossier_consult(
        dossier=dossier,
        actor=staff.handler,
        agency=staff.other_commune,
        question="Xác minh nơi cư trú",
        reply_by=timezone.now() + timedelta(days=3),
    )
    assert _work(asked) == ["work:xin-y-kien"]


def test_officers_read_their_notifications_in_the_inbox_with_a_link_to_the_work_page(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    body = client.get("/ho-so/thong-bao/").content.decode()
    assert f"Hồ sơ cần xử lý: {dossier.code}" in body and f'href="/ho-so/can-bo/{dossier.pk}/"' in body


# --- a time limit without a unit ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("unit_less_birth_registration")
def test_a_time_limit_without_a_unit_is_not_counted_the_officer_sets_the_date_and_says_why(staff):
    dossier = staff.register()
    with pytest.raises(InvalidInput, match="không ghi đơn vị"):
        services.dossier_receive(dossier=dossier, actor=staff.receiver)
    due = timezone.now() + timedelta(days=5)
    with pytest.raises(InvalidInput, match="lý do"):
        services.dossier_receive(dossier=dossier, actor=staff.receiver, due_at=due)
    services.dossier_receive(
        dossier=dossier, actor=staff.receiver, due_at=due, note="Theo quy định: trong ngày làm việc"
    )
    dossier.refresh_from_db()
    assert dossier.due_at == due
    event = dossier.events.get(action="receive")
    assert event.params == {"due_set_by_officer": True, "source_time": "1"}
    assert event.note == "Theo quy định: trong ngày làm việc"


@pytest.mark.usefixtures("unit_less_birth_registration")
def test_the_reception_form_asks_for_the_date_and_the_reason_and_shows_the_catalogues_words(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    page = client.get(f"/ho-so/can-bo/{dossier.pk}/").content.decode()
    assert "Danh mục ghi thời hạn “1”, không rõ đơn vị" in page and "Lý do chọn ngày hẹn trả" in page
    refused = client.post(f"/ho-so/can-bo/{dossier.pk}/receive/", {"expected_version": dossier.version})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Vui lòng nhập ngày hẹn trả" in body and "Vui lòng nêu lý do chọn ngày hẹn trả" in body
    assert 'href="#receive-due_at"' in body  # the error summary links to the field
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED


# --- the reader's language ------------------------------------------------------------------------------------------


def test_the_history_and_the_notifications_read_in_english_on_the_english_pages(staff):
    dossier = staff.register(applicant=staff.citizen)
    staff.walk(dossier, S.PROCESSING)
    services.dossier_request_supplement(
        dossier=dossier, actor=staff.handler, items=["Bản sao giấy chứng sinh"], reason="Bản chụp mờ"
    )
    client = Client()
    client.force_login(staff.citizen)
    page = client.get(f"/en/ho-so/{dossier.pk}/").content.decode()
    for english in [
        "Dossier received",
        "One-stop officer",
        f'Sent to <span lang="vi">{staff.justice.name}',
    ]:
        assert english in page, english
    for vietnamese in ["Tiếp nhận hồ sơ, hẹn trả kết quả", "Cán bộ một cửa", "Chuyển Sở"]:
        assert vietnamese not in page, vietnamese
    assert '<span class="small" lang="vi">Bản chụp mờ</span>' in page  # typed by a person: kept, marked
    inbox = client.get("/en/ho-so/thong-bao/").content.decode()
    assert f"Dossier {dossier.code} needs more documents" in inbox
    with translation.override("vi"):
        assert (
            Notification.objects.get(kind="request_supplement").subject == f"Hồ sơ {dossier.code} cần bổ sung"
        )
