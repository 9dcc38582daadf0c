"""`manage.py generate_dossiers`: a realistic history on the real catalogue, with valid codes, workflow paths,
deadlines and code counters that live submissions continue from; the same seed gives the same history."""

import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dossiers.codes import dossier_code_issue
from dossiers.models import DailyCounter, Dossier, DossierEvent, SupplementRequest
from dossiers.workflow import FINAL_STATES, TRANSITIONS
from loadtest.generator import generate_dossiers
from portal.accounts.models import User
from portal.agencies.models import Agency

pytestmark = pytest.mark.django_db
COUNT = 300
SEED = 7
CODE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4,})$")
S = Dossier.State


@pytest.fixture
def summary():
    return generate_dossiers(count=COUNT, seed=SEED)


def _events_by_dossier() -> dict[int, list[DossierEvent]]:
    events = defaultdict(list)
    for event in DossierEvent.objects.order_by("dossier_id", "at", "id"):
        events[event.dossier_id].append(event)
    return events


def _snapshot() -> list[tuple]:
    fields = [f.attname for f in Dossier._meta.concrete_fields if f.attname != "id"]
    rows = list(Dossier.objects.order_by("code").values_list(*fields))
    history = list(
        DossierEvent.objects.order_by("dossier__code", "at", "id").values_list(
            "dossier__code",
            "action",
            "from_state",
            "to_state",
            "actor_role",
            "agency_id",
            "at",
            "note",
            "step_deadline",
            "outcome",
        )
    )
    return rows + history


def test_the_command_creates_the_dossiers_and_prints_a_summary():
    out = io.StringIO()
    call_command("generate_dossiers", count=50, seed=3, stdout=out)
    assert Dossier.objects.count() == 50
    assert "Đã tạo 50 hồ sơ" in out.getvalue()
    assert "Quá hạn" in out.getvalue()


def test_it_creates_the_requested_number_of_dossiers_with_their_history(summary):
    assert Dossier.objects.count() == COUNT == summary.count
    assert DossierEvent.objects.count() == summary.events
    assert summary.events >= 4 * COUNT
    assert SupplementRequest.objects.count() == summary.supplements
    assert not Dossier.objects.filter(state=S.DRAFT).exists()


def test_codes_have_the_national_format_and_are_unique_per_agency_and_day(summary):
    rows = list(Dossier.objects.values_list("code", "receiving_agency__code", "submitted_at"))
    assert len({code for code, _, _ in rows}) == COUNT
    sequences = defaultdict(list)
    for code, agency_code, submitted_at in rows:
        match = CODE.match(code)
        assert match, code
        assert match[1] == agency_code
        assert match[2] == f"{timezone.localtime(submitted_at):%y%m%d}"
        sequences[(agency_code, match[2])].append(int(match[3]))
    # Numbered from 1 without gaps, in submission order.
    for numbers in sequences.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_every_history_follows_the_workflow_and_ends_in_the_dossiers_state(summary):
    events = _events_by_dossier()
    for dossier in Dossier.objects.all():
        path = events[dossier.pk]
        assert 1 <= len(path) <= 10, (dossier.code, [e.action for e in path])
        first = path[0]
        if dossier.channel == Dossier.Channel.ONLINE:
            assert (first.action, first.from_state) == ("submit", S.DRAFT)
        else:  # registered at the counter or on arrival by post (dossiers.filing)
            assert (first.action, first.from_state, first.to_state) == ("register", "", S.SUBMITTED)
        previous = first.to_state
        for event in path[1:]:
            transition = TRANSITIONS[event.action]
            assert event.from_state == previous, (dossier.code, event.action)
            assert event.from_state in transition.sources, (dossier.code, event.action, event.from_state)
            if transition.target is not None:
                assert event.to_state == transition.target
            elif event.action == "resubmit":
                assert event.to_state in {S.SUBMITTED, S.PROCESSING}
            else:
                assert event.to_state == event.from_state
            assert event.actor_role
            previous = event.to_state
        assert previous == dossier.state, dossier.code
        assert [e.at for e in path] == sorted(e.at for e in path)


def test_dates_and_deadlines_are_consistent_with_the_state(summary):
    now = timezone.now()
    events = _events_by_dossier()
    for dossier in Dossier.objects.all():
        assert dossier.created_at <= dossier.submitted_at < now
        if dossier.received_at:
            assert dossier.submitted_at < dossier.received_at
            assert dossier.due_at > dossier.received_at and dossier.original_due_at is not None
        if dossier.state in {S.RETURNED, S.AWAITING_RETURN}:
            assert dossier.handling_agency_id and dossier.received_at < dossier.finished_at
        if dossier.state == S.RETURNED:
            assert dossier.finished_at <= dossier.returned_at
        if dossier.state in FINAL_STATES:
            assert dossier.finished_at is not None
        assert (dossier.paused_at is not None) == (dossier.state in {S.SUPPLEMENT, S.FINANCIAL})
        assert dossier.updated_at == events[dossier.pk][-1].at
        for event in events[dossier.pk]:
            if event.action in {"receive", "transfer", "return_result"}:
                assert event.step_deadline is not None and event.outcome in {"early", "on_time", "late"}
                assert event.agency_id == dossier.receiving_agency_id
            if event.step_deadline:
                late = event.at > event.step_deadline
                assert (event.outcome == "late") == late


def test_states_channels_and_lateness_are_spread_as_intended(summary):
    states = Counter(Dossier.objects.values_list("state", flat=True))
    assert states[S.RETURNED] / COUNT > 0.85
    assert sum(n for state, n in states.items() if state not in FINAL_STATES) / COUNT < 0.1
    online = Dossier.objects.filter(channel=Dossier.Channel.ONLINE).count() / COUNT
    assert 0.2 < online < 0.45
    assert summary.overdue / COUNT < 0.05
    # Commune-level procedures are received by communes, the rest by the centre or a department.
    kinds = Counter(Dossier.objects.values_list("receiving_agency__kind", flat=True))
    assert kinds[Agency.Kind.COMMUNE] > COUNT / 2
    assert kinds[Agency.Kind.SERVICE_CENTRE] > 0


def test_online_dossiers_belong_to_generated_accounts_and_one_has_many(summary):
    assert not Dossier.objects.filter(channel=Dossier.Channel.ONLINE, applicant__isnull=True).exists()
    counts = Counter(Dossier.objects.exclude(applicant=None).values_list("applicant_id", flat=True))
    heaviest, n = counts.most_common(1)[0]
    assert n >= 20
    user = User.objects.get(pk=heaviest)
    assert user.role == User.Role.CITIZEN and not user.has_usable_password()
    for dossier in Dossier.objects.filter(applicant=user)[:5]:
        assert dossier.applicant_name == user.full_name and dossier.applicant_phone == user.phone
    for id_number in Dossier.objects.filter(applicant_kind=Dossier.ApplicantKind.CITIZEN).values_list(
        "applicant_id_number", flat=True
    ):
        assert re.fullmatch(r"\d{12}", id_number)


def test_daily_counters_are_advanced_so_a_live_submission_takes_the_next_number(summary):
    counters = {(c.agency_id, c.day): c.last for c in DailyCounter.objects.all()}
    per_day = Counter(
        (agency_id, timezone.localtime(at).date())
        for agency_id, at in Dossier.objects.values_list("receiving_agency_id", "submitted_at")
    )
    assert counters == dict(per_day)
    (agency_id, day), used = per_day.most_common(1)[0]
    with transaction.atomic():
        live = dossier_code_issue(agency=Agency.objects.get(pk=agency_id), day=day)
    assert not Dossier.objects.filter(code=live).exists()
    assert live.endswith(f"-{used + 1:04d}")


def test_a_second_run_continues_the_numbering_and_reuses_the_accounts(summary):
    users = User.objects.count()
    again = generate_dossiers(count=100, seed=SEED)
    assert Dossier.objects.count() == COUNT + 100
    assert Dossier.objects.values("code").distinct().count() == COUNT + 100
    assert User.objects.count() == users  # the same seed's accounts, found again by username
    assert again.accounts_created == 0
    # The id sequence is past the generated ids: an ordinary insert gets a fresh one.
    dossier = Dossier.objects.order_by("-id").first()
    dossier.pk, dossier.code = None, None
    dossier.save()
    assert dossier.pk > max(Dossier.objects.exclude(pk=dossier.pk).values_list("id", flat=True))


def test_the_same_seed_gives_the_same_history():
    today = timezone.localdate()
    generate_dossiers(count=120, seed=SEED, today=today)
    first = _snapshot()
    Dossier.objects.all().delete()
    DailyCounter.objects.all().delete()
    generate_dossiers(count=120, seed=SEED, today=today)
    assert _snapshot() == first
    Dossier.objects.all().delete()
    DailyCounter.objects.all().delete()
    generate_dossiers(count=120, seed=SEED + 1, today=today)
    assert _snapshot() != first


def test_it_can_be_limited_to_some_receiving_agencies():
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    centre = Agency.objects.get(kind=Agency.Kind.SERVICE_CENTRE)
    generate_dossiers(count=80, seed=1, agency_codes=[commune.code, centre.code])
    assert set(Dossier.objects.values_list("receiving_agency_id", flat=True)) == {commune.pk, centre.pk}
