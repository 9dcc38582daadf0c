"""Ratings reach the national portal once, against the running stand-in: a repeat takes effect once, a temporary
fault is tried again at the next drain, a refusal is parked with its reason."""

import pytest

from dossiers.models import Dossier
from integrations.dvcqg.client import dvcqg_client
from ratings.models import RatingOutbox
from ratings.national import rating_outbox_drain
from tests.ratings.test_services import record

pytestmark = pytest.mark.django_db


def drain():
    return rating_outbox_drain(client=dvcqg_client())


def test_a_rating_reaches_the_national_portal_once(staff, standin, dvcqg_settings):
    dossier = staff.dossier_in(Dossier.State.RETURNED)
    record(dossier, i1=2, i3=1, i4=2, i7=2)

    assert drain()["sent"] == 1
    assert drain()["sent"] == 0
    (row,) = RatingOutbox.objects.all()
    (received,) = standin.ratings(f"DG-{dossier.code}")
    assert received["MaHoSo"] == dossier.code and received["DiemTieuChi"]["3"] == 1
    assert standin.applied_count(row.idempotency_key) == 1


def test_a_temporary_fault_is_retried_and_a_refusal_parked(staff, standin, dvcqg_settings):
    record(staff.dossier_in(Dossier.State.RETURNED))
    standin.faults(reset=1.0)
    assert drain()["retried"] == 1
    standin.faults(invalid=1.0)
    assert drain()["parked"] == 1
    row = RatingOutbox.objects.get()
    assert row.parked_at is not None and row.sent_at is None and "MaTTHC" in row.last_error
    standin.faults()
    assert drain()["sent"] == 0, "a parked row waits for a person"


def test_without_a_configured_portal_nothing_is_sent(staff, settings):
    settings.DVCQG_BASE_URL = ""
    record(staff.dossier_in(Dossier.State.RETURNED))
    assert rating_outbox_drain() == {"configured": False}
    assert RatingOutbox.objects.filter(sent_at__isnull=True).count() == 1
