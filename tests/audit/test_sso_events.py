"""Single sign-on through the national portal's provider (the real one tests/sso starts) leaves its events in the
audit log, and the personal id number it sends never reaches the log."""

import logging

import pytest

from portal.accounts.models import ExternalIdentity
from portal.audit.models import AuditEvent
from tests.sso.conftest import op, sso  # noqa: F401 (fixtures)
from tests.sso.flows import callback, sso_login, sso_start

pytestmark = pytest.mark.django_db

PERSONAL_ID = "001090012345"  # the provider's SoDinhDanh for "citizen"


def test_a_sign_in_through_the_national_portal_is_recorded_as_sso(client, sso, caplog):  # noqa: F811
    with caplog.at_level(logging.INFO):
        response = sso_login(client, sso, "citizen")

    assert response.status_code == 302
    user = ExternalIdentity.objects.get(issuer=sso.issuer, subject="citizen").user
    assert user.personal_id == PERSONAL_ID
    entry = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_IN)
    assert (entry.user, entry.ip, entry.details["method"]) == (user, "127.0.0.1", "sso")
    assert entry.request_id == response["X-Request-ID"]
    assert PERSONAL_ID not in caplog.text
    assert PERSONAL_ID not in str(list(AuditEvent.objects.values()))


def test_linking_a_national_identity_is_recorded(client, sso, make_user):  # noqa: F811
    local = make_user("lan_local")
    client.force_login(local)

    flow = sso_start(client, path="/tai-khoan/dinh-danh/lien-ket/", method="post")
    response = callback(client, sso.user_agent().sign_in(flow.authorization_url, "citizen"))

    assert response.status_code == 302
    linked = AuditEvent.objects.get(event=AuditEvent.Event.SSO_LINKED)
    assert (linked.user, linked.details) == (local, {"issuer": sso.issuer})
    assert linked.request_id == response["X-Request-ID"]
    assert PERSONAL_ID not in str(list(AuditEvent.objects.values()))
