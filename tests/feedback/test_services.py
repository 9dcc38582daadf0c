import uuid
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from feedback import rules, services
from feedback.errors import FeedbackError
from feedback.models import Feedback, FeedbackOutbox
from feedback.selectors import feedback_duplicates, feedback_figures
from tests.feedback.conftest import OFFICE, submission
from tests.people import JUSTICE

S = Feedback.State


def mails_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if address in m.to]


def answered(
    staff, router, item: Feedback, text="Sở Tư pháp trả lời: thời hạn là 1 ngày làm việc."
) -> Feedback:
    item = services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    item = services.feedback_assign(feedback=item, actor=staff.leader, handler=staff.handler)
    item = services.feedback_draft(feedback=item, actor=staff.handler, text=text)
    item = services.feedback_approve(feedback=item, actor=staff.leader)
    return services.feedback_send(feedback=item, actor=staff.handler)


def test_anonymous_feedback_goes_from_filing_through_routing_answer_and_publication_to_one_reopening(
    staff, router
):
    item, created = services.feedback_submit(submission=submission())
    assert created and item.sender is None and item.state == S.RECEIVED
    assert item.code.startswith(f"PA-{OFFICE}-") and item.code.endswith("-0001")
    assert (
        item.suggested_agency == staff.justice
    )  # the birth registration's competent agency in the catalogue
    assert item.routing_due_at == rules.routing_due(item.received_at)
    assert mails_to("an@example.invalid") == [f"Cổng Dịch vụ công đã nhận phản ánh, kiến nghị {item.code}"]

    item = answered(staff, router, item)
    assert item.state == S.ANSWERED and item.answer.startswith("Sở Tư pháp trả lời")
    assert item.answer_due_at == rules.answer_due(item.routed_at)
    assert "[họ tên]" in item.public_question or "[thông tin cá nhân]" in item.public_question
    assert "Nguyễn Văn An" not in item.public_question and "Trần Hưng Đạo" not in item.public_question

    item = services.feedback_publish(
        feedback=item,
        actor=staff.handler,
        public_question=item.public_question,
        public_answer=item.public_answer,
        checked=True,
    )
    assert item.state == S.PUBLISHED
    [outbox] = FeedbackOutbox.objects.filter(feedback=item)
    assert outbox.idempotency_key == f"feedback:{item.code}:published:1"
    assert outbox.payload["agency"] == JUSTICE and "Nguyễn Văn An" not in str(outbox.payload)

    item = services.feedback_rate(feedback=item, satisfied=False, reason="Chưa nói rõ vì sao phải chờ.")
    assert item.state == S.REOPENED and item.reopen_reason == "Chưa nói rõ vì sao phải chờ."
    assert item.answer_due_at == rules.answer_due(item.reopened_at)

    item = services.feedback_draft(feedback=item, actor=staff.handler, text="Trả lời bổ sung.")
    item = services.feedback_approve(feedback=item, actor=staff.leader)
    item = services.feedback_send(feedback=item, actor=staff.handler)
    item = services.feedback_rate(feedback=item, satisfied=False, reason="Vẫn chưa rõ.")
    assert item.state == S.ANSWERED and item.satisfied is False  # reopened once only
    subjects = mails_to("an@example.invalid")
    assert f"Phản ánh {item.code} đã được chuyển đến Sở Tư pháp" in subjects
    assert subjects.count(f"Phản ánh {item.code} đã có trả lời") == 2
    assert f"Trả lời phản ánh {item.code} đã được công khai" in subjects
    assert f"Phản ánh {item.code} được xem xét lại" in subjects


def test_a_second_submit_with_the_same_token_returns_the_first_item_and_writes_nothing(staff):
    token = uuid.uuid4()
    first, created = services.feedback_submit(submission=submission(), submit_token=token)
    again, created_again = services.feedback_submit(submission=submission(), submit_token=token)
    assert created and not created_again and again.pk == first.pk
    assert Feedback.objects.count() == 1


def test_routing_and_answer_deadlines_skip_30_april_and_1_may(staff, router, monkeypatch):
    received = timezone.make_aware(timezone.datetime(2026, 4, 27, 9, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: received)
    item, _ = services.feedback_submit(submission=submission())
    # Tue 28, Wed 29, (Thu 30/4 and Fri 1/5 are holidays), Mon 4, Tue 5, Wed 6 May.
    assert timezone.localtime(item.routing_due_at) == timezone.make_aware(
        timezone.datetime(2026, 5, 6, 17, 0)
    )
    routed = timezone.make_aware(timezone.datetime(2026, 4, 29, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: routed)
    item = services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    # 20 working days from Wed 29/4: May has 4..29 minus weekends = 20 working days from Mon 4 to Fri 29.
    assert timezone.localtime(item.answer_due_at) == timezone.make_aware(
        timezone.datetime(2026, 5, 29, 17, 0)
    )


def test_the_deadlines_come_from_the_settings(staff, settings):
    settings.FEEDBACK_ROUTING_WORKING_DAYS = 1
    item, _ = services.feedback_submit(submission=submission())
    assert item.routing_due_at == rules.routing_due(item.received_at)
    assert item.routing_due_at < rules.workdays.add_working_days(item.received_at, 2)


def test_a_dossier_code_suggests_the_agency_handling_that_dossier(staff):
    from portal.catalog.models import Channel

    # The catalogue gives birth registration a time without a unit; read it as working days (tests/dossiers does).
    Channel.objects.filter(procedure=staff.birth, duration_unit="").update(duration_unit="working_day")
    dossier = staff.walk(staff.register(), to="processing")
    item, _ = services.feedback_submit(
        submission=submission(kind=Feedback.Kind.DOSSIER, procedure=None, dossier_code=dossier.code)
    )
    assert item.suggested_agency == staff.justice and item.procedure == staff.birth


def test_an_officer_of_another_agency_may_not_route_assign_or_answer(staff, router):
    item, _ = services.feedback_submit(submission=submission())
    with pytest.raises(FeedbackError):
        services.feedback_route(feedback=item, actor=staff.handler, agency=staff.justice)
    item = services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    with pytest.raises(FeedbackError):
        services.feedback_assign(feedback=item, actor=staff.stranger, handler=staff.handler)
    with pytest.raises(FeedbackError):
        services.feedback_draft(feedback=item, actor=staff.handler, text="Chưa được giao")
    assert Feedback.objects.get(pk=item.pk).state == S.ROUTED


def test_publishing_is_refused_without_consent_or_with_a_phone_number_left_in(staff, router):
    item, _ = services.feedback_submit(submission=submission(consent_publish=False))
    item = answered(staff, router, item)
    with pytest.raises(FeedbackError, match="không đồng ý công khai"):
        services.feedback_publish(
            feedback=item,
            actor=staff.handler,
            public_question="Câu hỏi",
            public_answer="Trả lời",
            checked=True,
        )
    other, _ = services.feedback_submit(submission=submission())
    other = answered(staff, router, other)
    with pytest.raises(FeedbackError, match="số điện thoại"):
        services.feedback_publish(
            feedback=other,
            actor=staff.handler,
            public_question="Gọi 0987 654 321 để hỏi",
            public_answer="Trả lời",
            checked=True,
        )
    assert Feedback.objects.get(pk=other.pk).state == S.ANSWERED and not FeedbackOutbox.objects.exists()


def test_a_complaint_is_closed_as_not_feedback_with_the_explanation_sent_to_the_sender(staff, router):
    item, _ = services.feedback_submit(submission=submission(subject="Khiếu nại quyết định xử phạt"))
    item = services.feedback_close_not_feedback(
        feedback=item, actor=router, reason="Đây là khiếu nại, gửi theo Luật Khiếu nại đến Thanh tra tỉnh."
    )
    assert item.state == S.NOT_FEEDBACK and item.closed_at
    [message] = [m for m in mail.outbox if "không thuộc phạm vi" in m.subject]
    assert "Luật Khiếu nại" in message.body


def test_similar_feedback_about_the_same_procedure_is_suggested_and_a_merged_item_is_answered_with_the_first(
    staff, router
):
    first, _ = services.feedback_submit(submission=submission())
    second, _ = services.feedback_submit(
        submission=submission(
            procedure=None, subject="Đăng ký khai sinh chờ lâu quá", sender_email="b@example.invalid"
        )
    )
    unrelated, _ = services.feedback_submit(
        submission=submission(
            procedure=None, subject="Đường sá", content="Xin sửa đèn đường ở khu vực chợ nổi."
        )
    )
    found = feedback_duplicates(feedback=second, user=router)
    assert first in found and unrelated not in found
    services.feedback_merge(feedback=second, into=first, actor=router)
    answered(staff, router, Feedback.objects.get(pk=first.pk))
    second.refresh_from_db()
    assert second.state == S.ANSWERED and second.answer.startswith("Sở Tư pháp trả lời")
    assert mails_to("b@example.invalid")[-1] == f"Phản ánh {second.code} đã có trả lời"


def test_figures_count_received_forwarded_on_time_late_open_and_satisfaction(staff, router):
    on_time, _ = services.feedback_submit(submission=submission())
    answered(staff, router, on_time)
    services.feedback_rate(feedback=on_time, satisfied=True)
    late, _ = services.feedback_submit(submission=submission())
    late = answered(staff, router, late)
    Feedback.objects.filter(pk=late.pk).update(answer_due_at=late.answered_at - timezone.timedelta(days=1))
    waiting, _ = services.feedback_submit(submission=submission())
    overdue, _ = services.feedback_submit(submission=submission())
    Feedback.objects.filter(pk=overdue.pk).update(routing_due_at=timezone.now() - timezone.timedelta(hours=1))
    today = timezone.localdate()
    figures = feedback_figures(period_start=today, period_end=today)
    assert (figures.received, figures.forwarded) == (4, 2)
    assert (figures.answered_on_time, figures.answered_late) == (1, 1)
    assert (figures.open_within_deadline, figures.open_past_deadline) == (1, 1)
    assert (figures.satisfied, figures.not_satisfied) == (1, 0)
    assert figures.on_time_ratio == 0.5
    justice = feedback_figures(period_start=today, period_end=today, agency=staff.justice)
    assert justice.received == 2
    assert feedback_figures(period_start=date(2020, 1, 1), period_end=date(2020, 12, 31)).received == 0


def test_reminders_go_once_a_day_to_the_handler_and_the_leader_of_an_item_due_soon(staff, router):
    from feedback.tasks import feedback_reminders_sweep

    item, _ = services.feedback_submit(submission=submission())
    item = services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    item = services.feedback_assign(feedback=item, actor=staff.leader, handler=staff.handler)
    staff.handler.email, staff.leader.email = "cv@example.invalid", "ld@example.invalid"
    staff.handler.save(), staff.leader.save()
    Feedback.objects.filter(pk=item.pk).update(answer_due_at=timezone.now() + timezone.timedelta(hours=2))
    assert feedback_reminders_sweep() == 1
    assert feedback_reminders_sweep() == 0
    [message] = [m for m in mail.outbox if "sắp đến hạn" in m.subject]
    assert sorted(message.to) == ["cv@example.invalid", "ld@example.invalid"]


def test_without_the_trigram_extension_similar_text_is_found_by_shared_words(staff, router, monkeypatch):
    from feedback import selectors

    first, _ = services.feedback_submit(
        submission=submission(procedure=None, subject="Cấp giấy phép xây dựng nhà ở chậm trễ")
    )
    second, _ = services.feedback_submit(
        submission=submission(procedure=None, subject="Giấy phép xây dựng nhà ở cấp chậm trễ quá")
    )
    other, _ = services.feedback_submit(
        submission=submission(
            procedure=None, subject="Đèn đường hỏng", content="Xin sửa đèn đường ở khu chợ nổi."
        )
    )
    assert selectors.trigram_available()  # the test database has it (migration 0002)
    monkeypatch.setattr(selectors, "trigram_available", lambda: False)
    found = feedback_duplicates(feedback=second, user=router)
    assert first in found and other not in found
