"""Hostile inputs against the rating and ranking pages (the strategies of tests/dossiers/test_hostile_inputs.py):
never a server error, and a refused rating writes nothing."""

import itertools

import pytest
from hypothesis import given

from dossiers.models import Dossier
from ratings.models import Rating, RatingLinkUse, RatingOutbox
from tests.dossiers.test_hostile_inputs import FORM, HOSTILE, TEXT

pytestmark = pytest.mark.django_db
ADDRESSES = (f"10.14.{n // 250}.{n % 250}" for n in itertools.count())


@HOSTILE
@given(fields=FORM, i1=TEXT, i3=TEXT, i4=TEXT, i7=TEXT, comment=TEXT, token=TEXT)
def test_the_rating_pages_never_fail_and_a_refusal_writes_nothing(
    client, staff, fields, i1, i3, i4, i7, comment, token
):
    if not hasattr(staff, "_returned"):
        staff._returned = staff.dossier_in(Dossier.State.RETURNED)
        client.force_login(staff.citizen)
    data = {**fields, "i1": i1, "i3": i3, "i4": i4, "i7": i7, "comment": comment}
    before = (Rating.objects.count(), RatingLinkUse.objects.count(), RatingOutbox.objects.count())
    mine = client.post(f"/danh-gia/ho-so/{staff._returned.pk}/", data, REMOTE_ADDR=next(ADDRESSES))
    assert mine.status_code < 500
    if mine.status_code != 302:
        assert (Rating.objects.count(), RatingLinkUse.objects.count(), RatingOutbox.objects.count()) == before
    before = (Rating.objects.count(), RatingLinkUse.objects.count())
    link = client.post(f"/danh-gia/lien-ket/{token.replace('/', '')}x/", data, REMOTE_ADDR=next(ADDRESSES))
    assert link.status_code < 500 and link.status_code != 302  # a made-up token is never a genuine link
    assert (Rating.objects.count(), RatingLinkUse.objects.count()) == before


@HOSTILE
@given(scope=TEXT, period=TEXT, fmt=TEXT)
def test_the_ranking_pages_never_fail(client, db, scope, period, fmt):
    for path in (
        f"/danh-gia/xep-hang/{scope}/{period}/",
        f"/danh-gia/xep-hang/{scope}/{period}/tai-ve.{fmt}",
    ):
        response = client.get(path.replace("\x00", ""))
        assert response.status_code < 500
