"""The workflow's rules, through the service functions: states, actors, history, outbox, deadlines, locking."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers import filing, results, services
from dossiers.errors import ConcurrentChange, InvalidInput, NotYourDossier, TransitionNotAllowed
from dossiers.models import Dossier, DossierEvent, OutboxEvent
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from tests.people import attach_required

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def justice():
    return Agency.objects.get(code="000.00.05.H01")


@pytest.fixture
def birth():
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def people(make_user, commune, justice):
    return {
        "citizen": make_user("cd1", email="cd1@example.invalid", phone="0912345678"),
        "stranger": make_user("cd2"),
        "receiver": make_user(
            "mc1", role=User.Role.ONESTOP_OFFICER, agency_code=commune.code, job_title="Công chức một cửa"
        ),
        "handler": make_user("cv1", role=User.Role.HANDLING_OFFICER, agency_code=commune.code),
        "leader": make_user("ld1", role=User.Role.LEADER, agency_code=commune.code),
        "other_receiver": make_user("mc2", role=User.Role.ONESTOP_OFFICER, agency_code=justice.code),
    }


@pytest.fixture
def submitted(people, birth, commune):
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    attach_required(draft, people["citizen"])
    services.dossier_submit(dossier=draft, actor=people["citizen"])
    draft.refresh_from_db()
    return draft


def _walk_to_processing(dossier, people, commune):
    services.dossier_receive(dossier=dossier, actor=people["receiver"])
    services.dossier_transfer(dossier=dossier, actor=people["receiver"], handling_agency=commune)
    dossier.refresh_from_db()
    return dossier


def test_submission_gives_a_code_of_the_receiving_unit_and_today(submitted, commune):
    today = timezone.localdate()
    assert submitted.state == Dossier.State.SUBMITTED
    assert submitted.code == f"{commune.code}-{today:%y%m%d}-0001"


def test_codes_of_one_unit_and_day_follow_each_other(submitted, people, birth, commune):
    second = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    attach_required(second, people["citizen"])
    services.dossier_submit(dossier=second, actor=people["citizen"])
    second.refresh_from_db()
    assert second.code.endswith("-0002")


def test_an_empty_draft_cannot_be_submitted(people, birth, commune):
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    with pytest.raises(InvalidInput):
        services.dossier_submit(dossier=draft, actor=people["citizen"])
    draft.refresh_from_db()
    assert draft.code is None and draft.state == Dossier.State.DRAFT


def test_reception_sets_the_due_date_in_working_days_and_records_the_step(submitted, people):
    services.dossier_receive(dossier=submitted, actor=people["receiver"])
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.RECEIVED
    assert submitted.due_at > submitted.received_at
    event = submitted.events.get(action="receive")
    assert event.actor_title == "Công chức một cửa"
    assert event.step_deadline == submitted.due_at
    assert OutboxEvent.objects.filter(dossier=submitted, event=event, national_status=2).exists()


def test_every_state_change_writes_history_and_outbox_in_the_same_transaction(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="Đủ điều kiện")
    services.dossier_approve(dossier=dossier, actor=people["leader"])
    services.dossier_return_result(dossier=dossier, actor=people["receiver"])
    dossier.refresh_from_db()
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["submit", "receive", "transfer", "propose", "approve", "return_result"]
    statuses = list(
        OutboxEvent.objects.filter(dossier=dossier).order_by("id").values_list("national_status", flat=True)
    )
    assert statuses == [1, 2, 4, 4, 9, 10]
    assert dossier.state == Dossier.State.RETURNED and dossier.returned_at


def test_a_transition_not_allowed_from_the_current_state_changes_nothing(submitted, people):
    with pytest.raises(TransitionNotAllowed):
        services.dossier_approve(dossier=submitted, actor=people["leader"])
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.SUBMITTED
    assert submitted.events.count() == 1


def test_an_officer_of_another_agency_may_not_act(submitted, people):
    with pytest.raises(NotYourDossier):
        services.dossier_receive(dossier=submitted, actor=people["other_receiver"])
    with pytest.raises(NotYourDossier):
        services.dossier_withdraw(dossier=submitted, actor=people["stranger"], reason="x")


def test_the_second_of_two_officers_acting_on_the_same_version_is_told(submitted, people):
    version = submitted.version
    services.dossier_receive(dossier=submitted, actor=people["receiver"], expected_version=version)
    with pytest.raises(ConcurrentChange):
        services.dossier_refuse(
            dossier=submitted, actor=people["receiver"], reason="Trùng", expected_version=version
        )
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.RECEIVED


def test_a_due_date_in_the_past_is_refused(submitted, people):
    with pytest.raises(InvalidInput):
        services.dossier_receive(
            dossier=submitted, actor=people["receiver"], due_at=timezone.now() - timedelta(days=1)
        )


def test_supplement_during_handling_pauses_and_restarts_the_clock(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    first_due = dossier.due_at
    services.dossier_request_supplement(
        dossier=dossier,
        actor=people["handler"],
        items=["Bản sao giấy chứng nhận kết hôn", ""],
        reason="Thiếu",
    )
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUPPLEMENT and dossier.paused_at
    assert dossier.supplement_requests.get().items == ["Bản sao giấy chứng nhận kết hôn"]
    filing.dossier_file_add(dossier=dossier, user=people["citizen"], upload=pdf("bo-sung.pdf"))
    services.dossier_resubmit(dossier=dossier, actor=people["citizen"])
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.PROCESSING and dossier.paused_at is None
    assert dossier.due_at >= first_due
    assert dossier.files.filter(kind="supplement").count() == 1


def test_supplement_at_reception_goes_back_to_the_reception_queue(submitted, people):
    services.dossier_request_supplement(
        dossier=submitted, actor=people["receiver"], items=["Tờ khai"], reason=""
    )
    filing.dossier_file_add(dossier=submitted, user=people["citizen"], upload=pdf())
    services.dossier_resubmit(dossier=submitted, actor=people["citizen"])
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.SUBMITTED and submitted.due_at is None


def test_a_supplement_request_must_list_something(submitted, people):
    with pytest.raises(InvalidInput):
        services.dossier_request_supplement(
            dossier=submitted, actor=people["receiver"], items=[" "], reason="x"
        )


def test_the_apology_resets_the_due_date_only_once(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    new_due = dossier.due_at + timedelta(days=7)
    services.dossier_apologise(
        dossier=dossier, actor=people["handler"], reason="Chờ xác minh", new_due_at=new_due
    )
    dossier.refresh_from_db()
    assert dossier.due_at == new_due and dossier.due_reset
    assert dossier.original_due_at < new_due
    with pytest.raises(InvalidInput, match="một lần"):
        services.dossier_apologise(
            dossier=dossier,
            actor=people["handler"],
            reason="Lần hai",
            new_due_at=new_due + timedelta(days=3),
        )


def test_financial_obligation_pauses_and_extends_the_due_date(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    due = dossier.due_at
    services.dossier_financial(dossier=dossier, actor=people["handler"], note="Nộp lệ phí")
    Dossier.objects.filter(pk=dossier.pk).update(paused_at=timezone.now() - timedelta(days=7))
    dossier.refresh_from_db()
    services.dossier_financial_done(dossier=dossier, actor=people["handler"])
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.PROCESSING and dossier.due_at > due


def test_the_applicant_may_withdraw_before_a_result_but_not_after(submitted, people, commune):
    services.dossier_withdraw(dossier=submitted, actor=people["citizen"], reason="Không cần nữa")
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        services.dossier_withdraw(dossier=submitted, actor=people["citizen"], reason="")


def test_a_leader_sends_back_and_stops_with_a_reason(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="")
    with pytest.raises(InvalidInput):
        services.dossier_send_back(dossier=dossier, actor=people["leader"], reason=" ")
    services.dossier_send_back(dossier=dossier, actor=people["leader"], reason="Bổ sung căn cứ")
    services.dossier_stop(dossier=dossier, actor=people["leader"], reason="Hồ sơ giả mạo")
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.STOPPED


def test_consultation_is_a_recorded_step_with_its_own_deadline(submitted, people, commune, justice):
    dossier = _walk_to_processing(submitted, people, commune)
    reply_by = timezone.now() + timedelta(days=3)
    services.dossier_consult(
        dossier=dossier, actor=people["handler"], agency=justice, question="Xác minh", reply_by=reply_by
    )
    services.dossier_consult_reply(dossier=dossier, actor=people["handler"], reply="Đã xác minh")
    reply = dossier.events.get(action="consult_reply")
    assert reply.step_deadline == reply_by and reply.outcome == DossierEvent.Outcome.EARLY


def test_the_applicant_is_notified_of_reception(
    submitted, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_receive(dossier=submitted, actor=people["receiver"])
    titles = [notification.subject for notification in people["citizen"].notifications.all()]
    assert f"Hồ sơ {submitted.code} đã được tiếp nhận" in titles
    assert any(submitted.code in message.subject for message in mailoutbox)


def test_results_join_the_applicants_vault_when_returned(submitted, people, commune):
    dossier = _walk_to_processing(submitted, people, commune)
    filing.dossier_result_add(
        dossier=dossier,
        officer=people["handler"],
        result=results.ResultDocument("Giấy khai sinh", PDF, "application/pdf", "pdf"),
    )
    services.dossier_propose(dossier=dossier, actor=people["handler"], note="")
    services.dossier_approve(dossier=dossier, actor=people["leader"])
    services.dossier_return_result(dossier=dossier, actor=people["receiver"])
    vault = people["citizen"].vault_documents.get()
    assert vault.source == "result" and vault.doc_type == "Giấy khai sinh"


def test_counter_registration_gives_a_code_and_puts_scans_in_the_vault(people, birth, commune):
    dossier = filing.dossier_register_at_counter(
        officer=people["receiver"],
        procedure=birth,
        receiving_agency=commune,
        applicant=people["citizen"],
        uploads=[("Tờ khai", pdf())],
        applicant_name="Nguyễn Văn An",
        applicant_phone="0912345678",
    )
    assert dossier.state == Dossier.State.SUBMITTED and dossier.code
    assert people["citizen"].vault_documents.filter(source="digitised").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "không phải PDF"),
        ("rong.pdf", b"", "rỗng"),
        ("cut.pdf", b"%PDF-1.4\n" + b"x" * 100, "không phải tệp PDF hoàn chỉnh"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"garbage", "bị hỏng"),
    ],
)
def test_bad_files_are_refused_and_the_dossier_is_unchanged(people, birth, commune, name, content, message):
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    with pytest.raises(InvalidInput, match=message):
        filing.dossier_file_add(
            dossier=draft, user=people["citizen"], upload=SimpleUploadedFile(name, content)
        )
    assert not draft.files.exists()


def test_a_file_over_the_limit_is_refused(people, birth, commune, settings):
    settings.PORTAL_UPLOAD_MAX_FILE_MB = 1
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    big = SimpleUploadedFile("to.pdf", PDF[:-7] + b"\x00" * (1024 * 1024) + b"%%EOF\n")
    with pytest.raises(InvalidInput, match="vượt quá 1 MB"):
        filing.dossier_file_add(dossier=draft, user=people["citizen"], upload=big)


def test_an_image_bomb_is_refused(people, birth, commune):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels, a few kilobytes compressed
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    with pytest.raises(InvalidInput, match="quá lớn"):
        filing.dossier_file_add(
            dossier=draft, user=people["citizen"], upload=SimpleUploadedFile("bom.png", buffer.getvalue())
        )


def test_a_long_name_with_path_separators_is_cleaned(people, birth, commune):
    draft = filing.dossier_draft_create(user=people["citizen"], procedure=birth, receiving_agency=commune)
    name = "../../etc/" + "a" * 300 + ".pdf"
    stored = filing.dossier_file_add(
        dossier=draft, user=people["citizen"], upload=SimpleUploadedFile(name, PDF)
    )
    assert "/" not in stored.original_name and len(stored.original_name) <= 120
    assert stored.original_name.endswith(".pdf")
    assert ".." not in stored.file.name
