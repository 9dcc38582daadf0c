"""Published answers reach the national portal's feedback system once, against the running stand-in: a repeat takes
effect once, a temporary fault is tried again at the next drain, a refusal is parked with its reason."""

import pytest

from feedback import services
from feedback.models import FeedbackOutbox
from feedback.national import feedback_outbox_drain
from integrations.dvcqg.client import dvcqg_client
from tests.feedback.conftest import submission
from tests.feedback.test_services import answered

pytestmark = pytest.mark.django_db


def published(staff, router):
    item, _ = services.feedback_submit(submission=submission())
    item = answered(staff, router, item)
    return services.feedback_publish(
        feedback=item,
        actor=staff.handler,
        public_question=item.public_question,
        public_answer=item.public_answer,
        checked=True,
    )


def drain():
    return feedback_outbox_drain(client=dvcqg_client())


def test_a_published_answer_reaches_the_national_feedback_system_once(staff, router, standin, dvcqg_settings):
    item = published(staff, router)

    assert drain()["sent"] == 1
    assert drain()["sent"] == 0

    (row,) = FeedbackOutbox.objects.filter(feedback=item)
    assert row.sent_at is not None
    (record,) = standin.feedback(item.code)
    assert record["NoiDungTraLoi"] == item.public_answer and record["NoiDungHoi"] == item.public_question
    assert "Nguyễn Văn An" not in str(record)
    assert len(record["NgayCongKhai"]) == 14
    assert standin.applied_count(row.idempotency_key) == 1


def test_a_temporary_fault_is_tried_again_at_the_next_drain(staff, router, standin, dvcqg_settings):
    item = published(staff, router)
    standin.faults(error=1.0)
    assert drain()["retried"] == 1
    row = FeedbackOutbox.objects.get(feedback=item)
    assert row.sent_at is None and row.last_error == "http_503"

    standin.faults()
    assert drain()["sent"] == 1
    assert len(standin.feedback(item.code)) == 1


def test_a_refused_answer_is_parked_with_its_reason(staff, router, standin, dvcqg_settings):
    item = published(staff, router)
    standin.faults(invalid=1.0)

    assert drain()["parked"] == 1
    row = FeedbackOutbox.objects.get(feedback=item)
    assert row.parked_at is not None and "MaTTHC" in row.last_error
    standin.faults()
    assert drain()["sent"] == 0, "a parked row waits for a person"


def test_without_a_configured_portal_nothing_is_sent(staff, router, settings):
    settings.DVCQG_BASE_URL = ""
    published(staff, router)
    assert feedback_outbox_drain() == {"configured": False}
    assert FeedbackOutbox.objects.filter(sent_at__isnull=True).count() == 1


def test_the_personal_data_export_holds_the_feedback_a_person_sent_and_no_one_elses(staff):
    from portal.accounts.personal_data import personal_data_contributed

    mine, _ = services.feedback_submit(submission=submission(), user=staff.citizen)
    services.feedback_submit(submission=submission(subject="Của người khác"), user=staff.outsider)

    sections = personal_data_contributed(staff.citizen)

    assert [item["code"] for item in sections["feedback"]] == [mine.code]
    assert sections["feedback"][0]["subject"] == "Thời hạn đăng ký khai sinh quá dài"
