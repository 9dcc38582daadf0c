"""Work queues per role and unit: which dossiers each holds, counts, sorting, filters, pages and bad parameters."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.models import Dossier
from dossiers.selectors import Clock, queue_counts
from portal.catalog.models import Procedure
from portal.workdays import calendar as workdays
from tests.accounts.mfa import staff_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State


def queue_url(slug):
    return reverse("dossiers:officer_queue", args=[slug])


def codes(response):
    return [dossier.code for dossier in response.context["page"].object_list]


def due_in(dossier, delta):
    """Time travel for deadlines: set the due date relative to now (the services compute it from the calendar)."""
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + delta)
    dossier.refresh_from_db()
    return dossier


def test_one_stop_queues_hold_their_agencys_dossiers_by_state_with_counts(client, staff):
    waiting = staff.register()
    online_like = staff.register(channel=Dossier.Channel.POSTAL)
    received = staff.walk(staff.register(), S.RECEIVED)
    ready = staff.walk(staff.register(), S.AWAITING_RETURN)
    supplement = staff.register()
    services.dossier_request_supplement(
        dossier=supplement, actor=staff.receiver, items=["Giấy chứng sinh"], reason=""
    )
    staff.walk(staff.register(), S.PROCESSING)  # with Sở Tư pháp: in no one-stop queue

    staff_login(client, staff.receiver)
    assert sorted(codes(client.get(queue_url("cho-tiep-nhan")))) == sorted([waiting.code, online_like.code])
    assert codes(client.get(queue_url("cho-chuyen"))) == [received.code]
    assert codes(client.get(queue_url("cho-tra-ket-qua"))) == [ready.code]
    assert codes(client.get(queue_url("cho-bo-sung"))) == [supplement.refresh_from_db() or supplement.code]

    counts = queue_counts(staff.receiver, Clock.at())
    assert counts == {
        "cho-tiep-nhan": 2,
        "cho-chuyen": 1,
        "cho-tra-ket-qua": 1,
        "cho-bo-sung": 1,
        "overdue": 0,
    }
    html = client.get(reverse("dossiers:officer_home")).content.decode()
    assert "<strong>2</strong> Chờ tiếp nhận" in html

    staff_login(client, staff.stranger)
    assert codes(client.get(queue_url("cho-tiep-nhan"))) == []


def test_the_handling_officer_sees_processing_consulting_and_financial_dossiers_of_their_agency(
    client, staff
):
    processing = staff.walk(staff.register(), S.PROCESSING)
    financial = staff.walk(staff.register(), S.PROCESSING)
    services.dossier_financial(dossier=financial, actor=staff.handler, note="Lệ phí")
    staff.walk(staff.register(), S.AWAITING_APPROVAL)
    staff.walk(staff.register(), S.RECEIVED)

    staff_login(client, staff.handler)
    response = client.get(queue_url("dang-xu-ly"))
    assert sorted(codes(response)) == sorted([processing.code, financial.code])
    assert "Tạm dừng tính hạn" in response.content.decode()  # the financial one: its clock is stopped
    assert client.get(queue_url("cho-tiep-nhan")).status_code == 404  # another role's queue


def test_the_leader_sees_dossiers_to_approve_and_the_overdue_and_near_deadline_ones(client, staff):
    to_approve = due_in(staff.walk(staff.register(), S.AWAITING_APPROVAL), timedelta(days=30))
    overdue = due_in(staff.walk(staff.register(), S.PROCESSING), -timedelta(hours=1))
    today_end = timezone.localtime().replace(hour=23, minute=59)
    today = staff.walk(staff.register(), S.PROCESSING)
    Dossier.objects.filter(pk=today.pk).update(due_at=max(today_end, timezone.now() + timedelta(minutes=1)))
    soon_at = workdays.add_working_days(timezone.now(), 2)
    soon = staff.walk(staff.register(), S.PROCESSING)
    Dossier.objects.filter(pk=soon.pk).update(due_at=soon_at)
    due_in(staff.walk(staff.register(), S.PROCESSING), timedelta(days=30))  # far away: not on the watch list
    paused = due_in(staff.walk(staff.register(), S.PROCESSING), -timedelta(days=1))
    services.dossier_financial(
        dossier=paused, actor=staff.handler, note="Lệ phí"
    )  # a stopped clock is not late

    staff_login(client, staff.leader)
    assert codes(client.get(queue_url("cho-phe-duyet"))) == [to_approve.code]
    response = client.get(queue_url("han-xu-ly"))
    assert codes(response) == [overdue.code, today.code, soon.code]  # nearest deadline first
    html = response.content.decode()
    assert "Quá hạn" in html and "Đến hạn hôm nay" in html and "Sắp đến hạn" in html
    assert 'class="row-overdue"' in html
    assert response.context["deadlines"] == {"overdue": 1, "today": 1, "soon": 1}
    assert codes(client.get(queue_url("han-xu-ly"), {"due": "qua-han"})) == [overdue.code]
    assert codes(client.get(queue_url("han-xu-ly"), {"due": "hom-nay"})) == [today.code]
    assert codes(client.get(queue_url("han-xu-ly"), {"due": "sap-den-han"})) == [soon.code]

    counts = queue_counts(staff.leader, Clock.at())
    assert counts["overdue"] == 1 and counts["han-xu-ly"] == 3
    nav = client.get(reverse("home")).content.decode()
    assert "1 quá hạn" in nav


def test_the_one_stop_officer_sees_an_overdue_dossier_flagged_in_words(client, staff):
    due_in(staff.walk(staff.register(), S.RECEIVED), -timedelta(days=2))
    staff_login(client, staff.receiver)
    html = client.get(queue_url("cho-chuyen")).content.decode()
    assert '<span class="due-flag due-overdue">Quá hạn</span>' in html
    assert "1 hồ sơ quá hạn" in html


def test_a_queue_sorts_by_due_date_submission_and_code(client, staff):
    first, second, third = (staff.walk(staff.register(), S.RECEIVED) for _ in range(3))
    due_in(first, timedelta(days=3))
    due_in(second, timedelta(days=1))
    due_in(third, timedelta(days=2))
    staff_login(client, staff.receiver)
    assert codes(client.get(queue_url("cho-chuyen"))) == [second.code, third.code, first.code]
    assert codes(client.get(queue_url("cho-chuyen"), {"sort": "-han"})) == [
        first.code,
        third.code,
        second.code,
    ]
    assert codes(client.get(queue_url("cho-chuyen"), {"sort": "ma"})) == [
        first.code,
        second.code,
        third.code,
    ]
    assert codes(client.get(queue_url("cho-chuyen"), {"sort": "-nop"})) == [
        third.code,
        second.code,
        first.code,
    ]
    html = client.get(queue_url("cho-chuyen"), {"sort": "han"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-han" in html


def test_a_queue_filters_by_procedure_code_or_name_channel_and_state(client, staff):
    other = Procedure.objects.filter(agency_links__agency=staff.commune).exclude(pk=staff.birth.pk).first()
    birth = staff.register()
    posted = staff.register(channel=Dossier.Channel.POSTAL)
    other_one = staff.register(procedure=other)
    staff_login(client, staff.receiver)
    url = queue_url("cho-tiep-nhan")
    assert sorted(codes(client.get(url, {"procedure": staff.birth.code}))) == sorted(
        [birth.code, posted.code]
    )
    assert codes(client.get(url, {"procedure": other.name[:25]})) == [other_one.code]
    assert codes(client.get(url, {"channel": Dossier.Channel.POSTAL})) == [posted.code]
    assert codes(client.get(url, {"channel": 1, "procedure": "khai sinh"})) == [birth.code]

    staff.walk(staff.register(), S.PROCESSING)
    financial = staff.walk(staff.register(), S.PROCESSING)
    services.dossier_financial(dossier=financial, actor=staff.handler, note="Lệ phí")
    staff_login(client, staff.handler)
    assert codes(client.get(queue_url("dang-xu-ly"), {"state": S.FINANCIAL})) == [financial.code]


def test_a_queue_pages_through_get_parameters_and_keeps_its_filters(client, staff, monkeypatch):
    monkeypatch.setattr("dossiers.queues.QUEUE_PAGE_SIZE", 2)
    made = [staff.register() for _ in range(5)]
    staff_login(client, staff.receiver)
    url = queue_url("cho-tiep-nhan")
    first = client.get(url, {"sort": "ma"})
    assert codes(first) == [made[0].code, made[1].code]
    assert "sort=ma&amp;page=2" in first.content.decode()
    assert codes(client.get(url, {"sort": "ma", "page": 3})) == [made[4].code]
    assert codes(client.get(url, {"sort": "ma", "page": 99})) == [made[4].code]  # past the end: the last page
    # Unfiltered, the page takes its total from the header's counts; filtered, it counts for itself.
    assert first.context["page"].paginator.count == 5
    assert client.get(url, {"channel": Dossier.Channel.DIRECT}).context["page"].paginator.count == 5
    assert client.get(url, {"channel": Dossier.Channel.POSTAL}).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "Số trang phải là số nguyên dương."),
        ({"page": "0"}, "Số trang phải là số nguyên dương."),
        ({"channel": "9"}, "không hợp lệ"),
        ({"due": "hom-qua"}, "không hợp lệ"),
        ({"sort": "ten"}, "không hợp lệ"),
        ({"procedure": "x" * 201}, "Từ khóa thủ tục quá dài"),
        ({"procedure": "khai\x00sinh"}, "ký tự rỗng"),
    ],
)
def test_bad_queue_parameters_get_400_and_a_clear_message(client, staff, params, message):
    staff_login(client, staff.receiver)
    response = client.get(queue_url("cho-tiep-nhan"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_state_outside_the_queue_is_a_bad_parameter(client, staff):
    staff_login(client, staff.handler)
    response = client.get(queue_url("dang-xu-ly"), {"state": S.RETURNED})
    assert response.status_code == 400
    assert "Trạng thái: giá trị “returned” không hợp lệ." in response.content.decode()
    staff_login(client, staff.receiver)
    assert client.get(queue_url("cho-tiep-nhan"), {"state": S.RETURNED}).status_code == 400
    assert client.get(queue_url("cho-tiep-nhan"), {"state": S.SUBMITTED}).status_code == 200


def test_an_htmx_request_gets_only_the_results(client, staff):
    staff.register()
    staff_login(client, staff.receiver)
    response = client.get(queue_url("cho-tiep-nhan"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert (
        response.status_code == 200 and html.lstrip().startswith('<div id="results"') and "<html" not in html
    )


def test_a_queue_page_costs_the_same_number_of_queries_for_few_or_many_dossiers(client, staff):
    staff_login(client, staff.receiver)
    for _ in range(2):
        staff.walk(staff.register(), S.RECEIVED)
    client.get(queue_url("cho-chuyen"))  # warm the calendar and the session
    with CaptureQueriesContext(connection) as few:
        assert len(codes(client.get(queue_url("cho-chuyen")))) == 2
    for _ in range(20):
        staff.walk(staff.register(), S.RECEIVED)
    with CaptureQueriesContext(connection) as many:
        assert len(codes(client.get(queue_url("cho-chuyen")))) == 22
    assert len(many) == len(few)
    assert len(few) <= 8


def test_the_queue_page_has_an_english_version(client, staff):
    staff.register()
    staff_login(client, staff.receiver)
    html = client.get("/en" + queue_url("cho-tiep-nhan")).content.decode()
    assert "Awaiting reception" in html and "Nearest due date first" in html


def test_queue_counts_equal_a_direct_count_of_each_queue_for_every_role_and_overlap(staff):
    """The header's counts come from one grouped query; each must equal counting the queue's own condition, also when
    an officer's agencies place one dossier in a queue twice over (handled here and asked about here) and for the
    watch list, whose count depends on the due date."""
    from dossiers.selectors import CLOCK_RUNNING, queues_for
    from portal.accounts.models import AgencyMembership

    # The handler also works for the commune the questions go to, the leader also for the receiving commune.
    AgencyMembership.objects.create(user=staff.handler, agency=staff.other_commune)
    AgencyMembership.objects.create(user=staff.leader, agency=staff.commune)
    offsets = [
        -timedelta(days=3),
        -timedelta(hours=1),
        timedelta(hours=2),
        timedelta(days=1),
        timedelta(days=20),
    ]
    states = [
        S.SUBMITTED,
        S.RECEIVED,
        S.SUPPLEMENT,
        S.PROCESSING,
        S.FINANCIAL,
        S.CONSULTING,
        S.AWAITING_APPROVAL,
    ]
    for position, state in enumerate(states + [S.AWAITING_RETURN, S.CONSULTING, S.PROCESSING]):
        dossier = staff.dossier_in(state)
        due_in(dossier, offsets[position % len(offsets)])
    Dossier.objects.filter(pk=staff.dossier_in(S.RECEIVED).pk).update(due_at=None)

    clock = Clock.at()
    for user in (staff.receiver, staff.handler, staff.leader, staff.stranger):
        ids = user.agency_ids()
        conditions = {queue.slug: queue.condition(ids, clock) for queue in queues_for(user)}
        scope = Q()
        for condition in conditions.values():
            scope |= condition
        expected = {slug: Dossier.objects.filter(condition).count() for slug, condition in conditions.items()}
        expected["overdue"] = Dossier.objects.filter(
            scope, state__in=CLOCK_RUNNING, due_at__lt=clock.now
        ).count()
        assert queue_counts(user, clock) == expected, user.username
    assert queue_counts(staff.handler, clock)["xin-y-kien"] == 2
    assert queue_counts(staff.leader, clock)["overdue"] >= 3
    assert queue_counts(staff.citizen, clock) == {}


@pytest.mark.parametrize("agencies", [1, 5], ids=["prepared read", "more agencies than prepared: the ORM"])
def test_every_page_of_a_queue_in_every_order_is_its_condition_in_that_order(
    client, staff, monkeypatch, agencies
):
    """An unfiltered page of a one-branch queue is read by a prepared query (officers of up to four agencies); its
    rows, in every order and on every page (the last one shorter), are those of the queue's condition."""
    from dossiers.selectors import SORTS, queues_for
    from portal.accounts.models import AgencyMembership
    from portal.agencies.models import Agency

    monkeypatch.setattr("dossiers.queues.QUEUE_PAGE_SIZE", 2)
    others = Agency.objects.exclude(pk__in=staff.receiver.agency_ids()).order_by("pk")[: agencies - 1]
    for agency in others:
        AgencyMembership.objects.create(user=staff.receiver, agency=agency)
    made = [staff.register(name=f"Người {n}") for n in range(5)]
    for offset, dossier in zip(
        [timedelta(days=2), None, timedelta(hours=3), None, timedelta(days=9)], made, strict=True
    ):
        if offset is not None:
            due_in(dossier, offset)
    Dossier.objects.filter(pk__in=[made[1].pk, made[3].pk]).update(due_at=None, submitted_at=None)
    staff_login(client, staff.receiver)
    receiver = type(staff.receiver).objects.get(pk=staff.receiver.pk)
    assert len(receiver.agency_ids()) == agencies
    queue = next(q for q in queues_for(receiver) if q.slug == "cho-tiep-nhan")
    condition = queue.condition(receiver.agency_ids(), Clock.at())
    for sort, order in SORTS.items():
        expected = list(Dossier.objects.filter(condition).order_by(*order).values_list("code", flat=True))
        assert len(expected) == 5
        pages = [codes(client.get(queue_url("cho-tiep-nhan"), {"sort": sort, "page": n})) for n in (1, 2, 3)]
        assert pages == [expected[0:2], expected[2:4], expected[4:5]], sort
