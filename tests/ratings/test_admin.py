"""A province admin supersedes a threshold from a date in the admin; the ratings and their outbox are read only."""

from datetime import date

import pytest

from portal.accounts.models import User
from ratings.indicators import Rules
from ratings.models import IndicatorRule
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(make_user):
    return make_user("qt-tinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)


def test_a_province_admin_adds_a_later_threshold_and_scores_from_that_date_use_it(client, province_admin):
    staff_login(client, province_admin)
    assert client.get("/quan-tri/ratings/indicatorrule/").status_code == 200
    response = client.post(
        "/quan-tri/ratings/indicatorrule/add/",
        {
            "indicator": "8",
            "valid_from": "2027-01-01",
            "params": '{"full": 0.95, "partial": 0.85}',
            "basis": "x",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert IndicatorRule.objects.filter(indicator=8).count() == 2
    assert Rules(date(2026, 12, 31)).of(8)["full"] == 1.0 and Rules(date(2027, 3, 31)).of(8)["full"] == 0.95


def test_ratings_and_the_outbox_cannot_be_changed_in_the_admin(client, province_admin):
    staff_login(client, province_admin)
    assert client.get("/quan-tri/ratings/rating/").status_code == 200
    assert client.get("/quan-tri/ratings/rating/add/").status_code == 403
    assert client.get("/quan-tri/ratings/ratingoutbox/add/").status_code == 403
