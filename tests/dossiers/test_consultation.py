"""The handling officer asks another agency's opinion: that agency's handling officers find the dossier in their
"asked for an opinion" queue, read it and its files, and answer; then, and for everyone else, it is out of sight."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.errors import InvalidInput
from dossiers.models import Consultation, Dossier
from portal.accounts.models import User
from portal.agencies.models import Agency
from tests.accounts.mfa import staff_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State
CONSTRUCTION = "000.00.06.H01"
QUEUE = reverse("dossiers:officer_queue", args=["xin-y-kien"])


def work_url(dossier):
    return reverse("dossiers:officer_dossier", args=[dossier.pk])


def file_url(dossier):
    return reverse("dossiers:file_download", args=[dossier.files.first().pk])


def reply_url(dossier):
    return reverse("dossiers:officer_action", args=[dossier.pk, "consult_reply"])


@pytest.fixture
def construction():
    return Agency.objects.get(code=CONSTRUCTION)


@pytest.fixture
def consulted_officer(make_user, construction):
    return make_user(
        "cv_xaydung", role=User.Role.HANDLING_OFFICER, agency_code=construction.code, job_title="Chuyên viên"
    )


@pytest.fixture
def consulting(staff, construction):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    services.dossier_consult(
        dossier=dossier,
        actor=staff.handler,
        agency=construction,
        question="Đề nghị xác nhận hiện trạng công trình.",
        reply_by=timezone.now() + timedelta(days=3),
    )
    dossier.refresh_from_db()
    return dossier


def browser(user) -> Client:
    client = Client()
    staff_login(client, user)
    return client


def test_the_consulted_agency_finds_the_dossier_in_its_queue_and_reads_it(consulting, consulted_officer):
    client = browser(consulted_officer)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and consulting.code in queue.content.decode()
    page = client.get(work_url(consulting))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đề nghị xác nhận hiện trạng công trình." in text
    assert "Đang lấy ý kiến phối hợp" in text
    assert client.get(file_url(consulting)).status_code == 200


def test_the_consulted_agency_may_only_answer(consulting, consulted_officer):
    page = browser(consulted_officer).get(work_url(consulting)).content.decode()
    assert 'id="act-consult_reply"' in page
    assert "Trả lời xin ý kiến" in page and "Nhận ý kiến phối hợp" not in page
    for other in ("stop", "apologise", "propose", "financial"):
        assert f'id="act-{other}"' not in page


def test_the_answer_is_the_consulted_agencys_step_and_closes_the_question(
    staff, consulting, consulted_officer
):
    client = browser(consulted_officer)
    client.get(QUEUE)  # kept, to show that the answer reaches the queue at once
    answer = {"reply": "Hiện trạng đúng hồ sơ.", "expected_version": consulting.version}
    response = client.post(reply_url(consulting), answer, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE  # back to their queue: the dossier is no longer theirs
    assert response.status_code == 200 and "Đã thực hiện: Trả lời xin ý kiến." in response.content.decode()
    consulting.refresh_from_db()
    assert consulting.state == S.PROCESSING
    step = consulting.events.get(action="consult_reply")
    assert step.agency.code == CONSTRUCTION and step.actor == consulted_officer and step.outcome == "early"
    question = Consultation.objects.get(dossier=consulting)
    assert question.answer == "Hiện trạng đúng hồ sơ." and question.answered_by == consulted_officer
    assert question.closed_at is not None
    # The question is answered: the dossier is no longer theirs to see.
    assert consulting.code not in client.get(QUEUE).content.decode()
    assert client.get(work_url(consulting)).status_code == 404
    assert client.get(file_url(consulting)).status_code == 404
    # The handler has it back.
    assert browser(staff.handler).get(work_url(consulting)).status_code == 200


def test_a_reply_recorded_by_the_handler_closes_the_question_too(staff, consulting, consulted_officer):
    services.dossier_consult_reply(dossier=consulting, actor=staff.handler, reply="Đã nhận công văn trả lời.")
    question = Consultation.objects.get(dossier=consulting)
    assert question.closed_at is not None and question.answered_by == staff.handler
    assert consulting.events.get(action="consult_reply").agency == staff.justice
    assert browser(consulted_officer).get(work_url(consulting)).status_code == 404


def test_a_dossier_stopped_while_consulting_leaves_the_consulted_agencys_sight(
    staff, consulting, consulted_officer
):
    client = browser(consulted_officer)
    assert consulting.code in client.get(QUEUE).content.decode()
    services.dossier_stop(dossier=consulting, actor=staff.leader, reason="Người nộp đề nghị dừng")
    assert Consultation.objects.get(dossier=consulting).closed_at is not None
    assert consulting.code not in client.get(QUEUE).content.decode()
    assert client.get(work_url(consulting)).status_code == 404


@pytest.mark.parametrize(
    ("role", "in_the_consulted_agency"),
    [(User.Role.HANDLING_OFFICER, False), (User.Role.ONESTOP_OFFICER, True), (User.Role.LEADER, True)],
)
def test_nobody_else_in_the_consulted_agency_nor_elsewhere_sees_it(
    consulting, make_user, construction, role, in_the_consulted_agency
):
    elsewhere = Agency.objects.exclude(pk__in=[construction.pk, consulting.handling_agency_id]).first()
    agency = construction.code if in_the_consulted_agency else elsewhere.code
    client = browser(make_user(f"nguoi_{role}", role=role, agency_code=agency))
    assert client.get(work_url(consulting)).status_code == 404
    assert client.get(file_url(consulting)).status_code == 404
    response = client.post(reply_url(consulting), {"reply": "?", "expected_version": consulting.version})
    assert response.status_code == 404
    consulting.refresh_from_db()
    assert consulting.state == S.CONSULTING


def test_the_handling_agency_cannot_consult_itself(staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    with pytest.raises(InvalidInput, match="cơ quan khác"):
        services.dossier_consult(
            dossier=dossier,
            actor=staff.handler,
            agency=staff.justice,
            question="?",
            reply_by=timezone.now() + timedelta(days=1),
        )
    dossier.refresh_from_db()
    assert dossier.state == S.PROCESSING and not Consultation.objects.filter(dossier=dossier).exists()


def test_the_queue_count_shows_in_the_navigation(consulting, consulted_officer):
    page = browser(consulted_officer).get(reverse("dossiers:officer_home")).content.decode()
    assert "Được xin ý kiến" in page


def test_a_new_due_date_given_while_consulting_reaches_the_consulted_agencys_queue(
    staff, consulting, consulted_officer
):
    client = browser(consulted_officer)
    before = client.get(QUEUE).content.decode()
    new_due = consulting.due_at + timedelta(days=30)
    services.dossier_apologise(
        dossier=consulting, actor=staff.handler, reason="Chờ ý kiến phối hợp", new_due_at=new_due
    )
    consulting.refresh_from_db()
    assert consulting.state == S.CONSULTING
    after = client.get(QUEUE).content.decode()
    shown = timezone.localtime(consulting.due_at).strftime("%d/%m/%Y")
    assert shown not in before and shown in after  # the new date, where the page had the old one
