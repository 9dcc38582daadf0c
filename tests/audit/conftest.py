import uuid

import pytest

from portal.ratelimit import Limit

PASSWORD = "Mat-khau-du-dai-123"  # make_user's


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    """Rate-limit counters of this test only: the shared cache (Redis in the PostgreSQL run) outlives a test."""
    salt = uuid.uuid4().hex
    original = Limit.key
    monkeypatch.setattr(Limit, "key", lambda self, value: original(self, f"{salt}:{value}"))


@pytest.fixture
def officer(make_user):
    from portal.accounts.models import User

    return make_user("cb_motcua", role=User.Role.ONESTOP_OFFICER, agency_code="000.00.01.H01")


@pytest.fixture
def admin_user(make_user):
    from portal.accounts.models import User

    return make_user("qt_tinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)


@pytest.fixture
def citizen(make_user):
    return make_user("congdan_lan", full_name="Nguyễn Thị Lan")


def pass_second_factor(client, user) -> None:
    """Staff pages open only after the second factor (portal/accounts/mfa.py, allauth's record in the session):
    record that ``user`` passed it in the client's session."""
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication

    session = client.session
    record_authentication(SimpleNamespace(session=session), user, "mfa", type="totp")
    session.save()
