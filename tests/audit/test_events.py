"""Security events land in the audit log with time, user, address and request id, whichever way they happen."""

import logging
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit import log, signals
from portal.audit.models import AuditEvent
from tests.audit.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db

Event = AuditEvent.Event
ADMIN_LOGIN = "/quan-tri/login/"


def _only(event: str) -> AuditEvent:
    entries = list(AuditEvent.objects.filter(event=event))
    assert len(entries) == 1, entries
    return entries[0]


# --- Signing in and out ----------------------------------------------------------------------------------------------


def test_signing_in_to_the_django_admin_records_who_from_where_in_which_request(client, admin_user):
    response = client.post(
        ADMIN_LOGIN,
        {"username": "qt_tinh", "password": PASSWORD, "next": "/quan-tri/"},
        REMOTE_ADDR="203.0.113.5",
        headers={"X-Request-ID": "edge-7f3a.1"},
    )

    assert response.status_code == 302
    assert response["X-Request-ID"] == "edge-7f3a.1"
    entry = _only(Event.SIGN_IN)
    assert entry.user == admin_user
    assert entry.ip == "203.0.113.5"
    assert entry.request_id == "edge-7f3a.1"
    assert entry.details["method"] == "password"


def test_a_wrong_admin_password_records_the_name_typed_and_never_the_password(client, admin_user):
    response = client.post(
        ADMIN_LOGIN, {"username": "qt_tinh", "password": "doan-sai-mat-khau"}, REMOTE_ADDR="198.51.100.7"
    )

    assert response.status_code == 200
    entry = _only(Event.SIGN_IN_FAILED)
    assert entry.user is None
    assert entry.username == "qt_tinh"
    assert entry.ip == "198.51.100.7"
    assert re.fullmatch(r"[0-9a-f]{32}", entry.request_id)
    assert entry.request_id == response["X-Request-ID"]
    stored = f"{entry.username} {entry.details}"
    assert "doan-sai-mat-khau" not in stored and "****" not in stored
    assert not AuditEvent.objects.filter(event=Event.SIGN_IN).exists()


def test_a_very_long_username_is_cut_to_150_characters(client):
    client.post(ADMIN_LOGIN, {"username": "x" * 5000, "password": "sai"})

    assert _only(Event.SIGN_IN_FAILED).username == "x" * 150


def test_signing_in_on_the_portal_login_page_is_recorded(client, citizen):
    # Both field names: Django's form reads "username", allauth's reads "login".
    credentials = {"username": "congdan_lan", "login": "congdan_lan", "password": PASSWORD}

    response = client.post(reverse("accounts:login"), credentials, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302
    entry = _only(Event.SIGN_IN)
    assert (entry.user, entry.ip, entry.details["method"]) == (citizen, "192.0.2.44", "password")
    assert entry.request_id == response["X-Request-ID"]


def test_a_failed_sign_in_on_the_portal_login_page_is_recorded(client, citizen):
    credentials = {"username": "congdan_lan", "login": "congdan_lan", "password": "sai-roi"}

    response = client.post(reverse("accounts:login"), credentials, REMOTE_ADDR="192.0.2.45")

    assert response.status_code in (200, 400)  # the form again, with its error
    assert "_auth_user_id" not in client.session
    entry = _only(Event.SIGN_IN_FAILED)
    assert (entry.username, entry.ip) == ("congdan_lan", "192.0.2.45")
    assert entry.request_id == response["X-Request-ID"]


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(client, settings, citizen):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    client.post(
        ADMIN_LOGIN,
        {"username": "ai-do", "password": "sai"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20",
    )

    assert _only(Event.SIGN_IN_FAILED).ip == "198.51.100.20"


def test_an_unusable_forwarded_address_is_stored_as_none(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    client.post(ADMIN_LOGIN, {"username": "ai-do", "password": "sai"}, HTTP_X_FORWARDED_FOR="unknown")

    assert _only(Event.SIGN_IN_FAILED).ip is None


def test_signing_out_is_recorded(client, citizen):
    client.force_login(citizen)
    AuditEvent.objects.all().delete()

    client.post(reverse("accounts:logout"))

    entry = _only(Event.SIGN_OUT)
    assert (entry.user, entry.details["reason"]) == (citizen, "user")


# --- Request id ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("incoming", ["a" * 65, "abc def", "<script>", "id;rm -rf", "ô-ô", ""])
def test_an_unusable_incoming_request_id_is_replaced_by_a_fresh_one(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_log_lines_written_during_a_request_carry_its_id(client, caplog, admin_user):
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        response = client.post(ADMIN_LOGIN, {"username": "qt_tinh", "password": "sai"})

    records = [record for record in caplog.records if record.name == "portal.audit"]
    assert records and all(record.request_id == response["X-Request-ID"] for record in records)


# --- Named events other features call ------------------------------------------------------------------------------


def test_a_role_change_names_the_admin_who_made_it(rf, admin_user, officer, caplog):
    request = rf.post("/", REMOTE_ADDR="192.0.2.9")

    with caplog.at_level(logging.INFO, logger="portal.audit"):
        log.role_changed(
            request, actor=admin_user, user=officer, old=User.Role.ONESTOP_OFFICER, new=User.Role.LEADER
        )

    entry = _only(Event.ROLE_CHANGED)
    assert (entry.actor, entry.user, entry.ip) == (admin_user, officer, "192.0.2.9")
    assert entry.details == {"old": "onestop_officer", "new": "leader"}
    line = next(r.getMessage() for r in caplog.records if r.name == "portal.audit")
    assert "event=role_changed" in line and f"user={officer.pk}" in line and f"actor={admin_user.pk}" in line


def test_a_membership_change_lists_the_agencies_added_and_removed(rf, admin_user, officer):
    justice = Agency.objects.get(code="000.00.05.H01")
    centre = officer.memberships.get().agency

    log.membership_changed(rf.get("/"), actor=admin_user, user=officer, added=[justice], removed=[centre])

    assert _only(Event.MEMBERSHIP_CHANGED).details == {"added": ["000.00.05.H01"], "removed": [centre.code]}


def test_staff_creation_export_and_deletion_request_are_recorded(rf, admin_user, officer, citizen):
    request = rf.get("/")
    log.staff_created(request, actor=admin_user, user=officer, agencies=officer.memberships.all())
    log.account_exported(request, citizen)
    log.account_deletion_requested(request, citizen)

    created = _only(Event.STAFF_CREATED)
    assert (created.actor, created.user) == (admin_user, officer)
    assert created.details == {"role": "onestop_officer", "agencies": ["000.00.01.H01"]}
    assert _only(Event.ACCOUNT_EXPORT).user == citizen
    assert _only(Event.ACCOUNT_DELETION_REQUESTED).user == citizen


def test_an_event_outside_a_request_has_no_address_and_no_request_id(citizen):
    entry = log.account_exported(None, citizen)

    assert (entry.ip, entry.request_id) == (None, "")


def test_a_change_that_rolls_back_leaves_no_event(rf, admin_user, officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        log.role_changed(rf.get("/"), actor=admin_user, user=officer, old="a", new="b")
        raise RuntimeError("the change failed")

    assert not AuditEvent.objects.exists()


# --- Second factor and passwords (allauth) ---------------------------------------------------------------------------


class _Authenticator:
    type = "totp"


def test_second_factor_events_are_recorded_from_allauth_signals(rf, officer):
    request = rf.post("/")
    signals.on_authenticator_added(None, request=request, user=officer, authenticator=_Authenticator())
    signals.on_mfa_failed(None, request=request, user=officer, authenticator=_Authenticator())
    signals.on_authenticator_removed(None, request=request, user=officer, authenticator=_Authenticator())
    signals.on_password_changed(None, request=request, user=officer)
    signals.on_password_reset(None, request=request, user=officer)

    for event in (Event.MFA_ENROLLED, Event.MFA_FAILED, Event.MFA_REMOVED):
        assert _only(event).details == {"kind": "totp"}
    assert _only(Event.PASSWORD_CHANGED).user == officer
    assert _only(Event.PASSWORD_RESET).user == officer


def test_allauth_signals_are_connected_when_allauth_is_installed(rf, officer):
    if not apps.is_installed("allauth.mfa"):
        pytest.skip("allauth.mfa is not in INSTALLED_APPS")
    from allauth.mfa import signals as mfa_signals

    mfa_signals.authenticator_added.send(
        sender=None, request=rf.post("/"), user=officer, authenticator=_Authenticator()
    )

    assert _only(Event.MFA_ENROLLED).user == officer


# --- Reading the log -------------------------------------------------------------------------------------------------


def test_province_admins_read_the_log_and_nobody_changes_it(client, admin_user, citizen):
    entry = log.account_exported(None, citizen)
    client.force_login(admin_user)
    pass_second_factor(client, admin_user)

    assert client.get("/quan-tri/audit/auditevent/").status_code == 200
    assert client.get(f"/quan-tri/audit/auditevent/{entry.pk}/change/").status_code == 200
    assert client.get("/quan-tri/audit/auditevent/add/").status_code == 403
    assert client.get(f"/quan-tri/audit/auditevent/{entry.pk}/delete/").status_code == 403
    client.post(f"/quan-tri/audit/auditevent/{entry.pk}/change/", {"event": "sign_in"})
    entry.refresh_from_db()
    assert entry.event == Event.ACCOUNT_EXPORT


def test_a_department_admin_cannot_read_the_log(client, make_user):
    department_admin = make_user(
        "qt_so", role=User.Role.DEPARTMENT_ADMIN, agency_code="000.00.05.H01", is_staff=True
    )
    client.force_login(department_admin)
    pass_second_factor(client, department_admin)

    assert client.get("/quan-tri/audit/auditevent/").status_code == 403
