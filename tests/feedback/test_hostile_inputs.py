"""Hostile inputs against the feedback pages (the strategies of tests/dossiers/test_hostile_inputs.py): never a server
error, and a refused request writes nothing."""

import itertools

import pytest
from hypothesis import given

from feedback import services
from feedback.models import Feedback, FeedbackEvent
from tests.accounts.mfa import staff_login
from tests.dossiers.test_hostile_inputs import FORM, HOSTILE, ID, TEXT
from tests.feedback.conftest import submission

pytestmark = pytest.mark.django_db
ADDRESSES = (f"10.9.{n // 250}.{n % 250}" for n in itertools.count())


def _check(response) -> None:
    assert response.status_code < 500, response.status_code


@HOSTILE
@given(fields=FORM, kind=TEXT, subject=TEXT, content=TEXT, phone=TEXT, channel=TEXT, code=TEXT)
def test_the_form_never_fails_and_a_refusal_writes_nothing(
    client, staff, fields, kind, subject, content, phone, channel, code
):
    data = {**fields, "kind": kind, "subject": subject, "content": content, "sender_phone": phone}
    data.update(reply_channel=channel, dossier_code=code, procedure_code=code, token=code)
    before = (Feedback.objects.count(), FeedbackEvent.objects.count())
    response = client.post("/phan-anh/gui/", data, REMOTE_ADDR=next(ADDRESSES))
    _check(response)
    if response.status_code != 302:
        assert (Feedback.objects.count(), FeedbackEvent.objects.count()) == before


@HOSTILE
@given(q=TEXT, agency=TEXT, field=TEXT, procedure=TEXT, start=TEXT, end=TEXT, page=ID, code=TEXT, digits=TEXT)
def test_the_public_list_and_tracking_never_fail(
    client, staff, q, agency, field, procedure, start, end, page, code, digits
):
    params = {
        "q": q,
        "agency": agency,
        "field": field,
        "procedure": procedure,
        "tu_ngay": start,
        "den_ngay": end,
    }
    _check(client.get("/phan-anh/", {**params, "page": page}))
    _check(client.get("/phan-anh/tra-cuu/", {"ma": code, "xac_thuc": digits}, REMOTE_ADDR=next(ADDRESSES)))
    _check(client.post("/phan-anh/tra-cuu/danh-gia/", {"ma": code, "xac_thuc": digits, "satisfied": q}))


@HOSTILE
@given(name=TEXT, fields=FORM, queue=TEXT, state=TEXT, due=TEXT, page=ID)
def test_the_staff_pages_never_fail_and_a_refused_step_changes_nothing(
    client, staff, name, fields, queue, state, due, page
):
    if not hasattr(staff, "_item"):
        staff._item, _ = services.feedback_submit(submission=submission())
        staff_login(client, staff.province_admin)
    item = staff._item
    _check(client.get("/phan-anh/can-bo/", {"queue": queue, "state": state, "due": due, "page": page}))
    before = Feedback.objects.filter(pk=item.pk).values_list("state", "agency_id", "handler_id").get()
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_")[:30] or "route"
    response = client.post(f"/phan-anh/can-bo/{item.code}/{safe}/", fields)
    _check(response)
    if response.status_code != 302:
        assert (
            Feedback.objects.filter(pk=item.pk).values_list("state", "agency_id", "handler_id").get()
            == before
        )
