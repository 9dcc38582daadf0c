"""Hostile inputs against every form and endpoint: whatever is sent, the answer is never a server error, and a
refused request changes nothing. Hypothesis makes the inputs (NUL bytes, lone surrogates' neighbours, right-to-left
marks, formula prefixes, markup, very long text, numbers out of range, ids of other people's things).

``HOSTILE_EXAMPLES`` sets how many inputs each endpoint gets (default 25; the figures in the closing note come from
``HOSTILE_EXAMPLES=300``). Every example is counted, and the total is printed at the end of the run.
"""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers import services
from dossiers.errors import InvalidInput
from dossiers.models import Dossier, DossierEvent, DossierFile, Notification, VaultDocument
from portal.accounts.models import User
from tests.accounts.mfa import staff_login
from tests.people import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "25"))
TRIED: dict[str, int] = {}
HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Text people (or scripts) type: anything printable, plus what breaks careless code.
NASTY = st.sampled_from(
    [
        "\x00",
        '=HYPERLINK("http://evil.example","x")',
        "@SUM(1+1)",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "\u202eexe.pdf",
        "ㅤ",
        "A\u0301",
        "𝔘𝔫𝔦",
        "0" * 40,
        "9" * 400,
        "-1",
        "1e309",
        "NaN",
        "2026-02-30",
        "31/12/9999 25:61",
        " ",
        "",
        "x" * 5000,
    ]
)
TEXT = st.one_of(NASTY, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
ID = st.one_of(st.integers(min_value=-(2**63), max_value=2**63), TEXT)
FORM = st.dictionaries(keys=TEXT, values=TEXT, max_size=4)


def _tried(name: str) -> None:
    TRIED[name] = TRIED.get(name, 0) + 1


def _counts() -> tuple:
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        DossierFile.objects.count(),
        Notification.objects.count(),
        VaultDocument.objects.count(),
        list(Dossier.objects.order_by("pk").values_list("state", "version")),
    )


@pytest.fixture
def people(make_user):
    return make_staff(make_user)


@pytest.fixture
def citizen_client(people) -> Client:
    client = Client()
    client.force_login(people.citizen)
    return client


def _check(response, name: str) -> None:
    _tried(name)
    assert response.status_code < 500, (name, response.status_code)


# --- public ----------------------------------------------------------------------------------------------------------


@HOSTILE
@given(q=TEXT, field=TEXT, level=TEXT, page=ID, agency=TEXT)
def test_the_catalogue_and_the_api_never_fail_whatever_the_query(client, q, field, level, page, agency):
    for url, params in [
        ("/thu-tuc/", {"q": q, "field": field, "level": level, "page": page, "agency": agency}),
        ("/api/v1/procedures", {"q": q, "page": page, "field": field}),
        ("/co-quan/", {"q": q}),
    ]:
        _check(client.get(url, params), url)
    _check(client.get(f"/thu-tuc/{q[:50]}/".replace("//", "/x/")), "/thu-tuc/<code>/")


@HOSTILE
@given(code=TEXT, digits=TEXT, signature=TEXT)
def test_the_tracking_page_never_fails_and_reveals_nothing(client, code, digits, signature):
    _check(client.get("/ho-so/tra-cuu/", {"ma": code, "xac_thuc": digits}), "/ho-so/tra-cuu/")
    safe = "".join(ch for ch in code if ch.isalnum()) or "x"
    _check(
        client.get(f"/ho-so/tra-cuu/{safe}/{''.join(c for c in signature if c.isalnum()) or 'x'}/"),
        "track link",
    )


@HOSTILE
@given(login=TEXT, password=TEXT, email=TEXT)
def test_sign_in_sign_up_and_reset_never_fail(client, login, password, email):
    before = User.objects.count()
    _check(client.post("/tai-khoan/dang-nhap/", {"login": login, "password": password}), "sign in")
    _check(client.post("/tai-khoan/mat-khau/quen/", {"email": email}), "password reset")
    response = client.post(
        "/tai-khoan/dang-ky/",
        {"email": email, "password1": password, "password2": password, "full_name": login},
    )
    _check(response, "sign up")
    if response.status_code != 302:
        assert User.objects.count() == before  # a refused sign-up makes no account


# --- a citizen ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(people):
    from dossiers import filing

    return filing.dossier_draft_create(
        user=people.citizen, procedure=people.birth, receiving_agency=people.commune
    )


@HOSTILE
@given(
    fields=FORM,
    name=TEXT,
    phone=TEXT,
    id_number=TEXT,
    kind=ID,
    delivery=TEXT,
    action=TEXT,
    remove=ID,
    vault=ID,
)
def test_the_draft_form_never_fails_and_never_submits_by_accident(
    citizen_client, draft, fields, name, phone, id_number, kind, delivery, action, remove, vault
):
    data = {
        **fields,
        "expected_version": draft.version,
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_phone": phone,
        "applicant_id_number": id_number,
        "delivery": delivery,
        "hanh_dong": action,
        "xoa_tep": remove,
        "kho_khac": vault,
    }
    _check(citizen_client.post(f"/ho-so/{draft.pk}/soan/", data), "draft save")
    draft.refresh_from_db()
    assert draft.state == Dossier.State.DRAFT and draft.code is None  # only the review page submits


@HOSTILE
@given(version=ID, accepted=TEXT, agency=TEXT, reason=TEXT)
def test_start_review_withdraw_and_supplement_never_fail_and_refusals_change_nothing(
    citizen_client, people, draft, version, accepted, agency, reason
):
    for url, data in [
        (f"/ho-so/nop/{people.birth.code}/", {"co_quan": agency}),
        (f"/ho-so/{draft.pk}/kiem-tra/", {"expected_version": version, "incomplete_accepted": accepted}),
        (f"/ho-so/{draft.pk}/rut/", {"expected_version": version, "reason": reason}),
        (f"/ho-so/{draft.pk}/bo-sung/", {"expected_version": version, "kho_bo_sung": agency}),
        ("/ho-so/thong-bao/da-doc/", {"id": agency, "page": reason}),
    ]:
        before = _counts()
        response = citizen_client.post(url, data)
        _check(response, url.split("/")[-2] or url)
        if response.status_code >= 400:
            assert _counts() == before, url  # refused: nothing written


@HOSTILE
@given(doc_type=TEXT, number=TEXT, issuer=TEXT, issued=TEXT, valid=TEXT)
def test_the_vault_form_never_fails(citizen_client, doc_type, number, issuer, issued, valid):
    before = VaultDocument.objects.count()
    response = citizen_client.post(
        "/ho-so/kho-du-lieu/",
        {"doc_type": doc_type, "number": number, "issuer": issuer, "issued_on": issued, "valid_until": valid},
    )
    _check(response, "vault")
    assert VaultDocument.objects.count() == before  # no file was sent: nothing is stored


# --- officers ------------------------------------------------------------------------------------------------------------


@HOSTILE
@given(
    action=st.sampled_from(
        [
            "receive",
            "request_supplement",
            "refuse",
            "transfer",
            "consult",
            "consult_reply",
            "financial",
            "financial_done",
            "propose",
            "send_back",
            "approve",
            "apologise",
            "return_result",
            "stop",
            "nope",
        ]
    ),
    version=ID,
    text=TEXT,
    when=TEXT,
    agency=ID,
    fields=FORM,
)
def test_every_officer_action_never_fails_and_refusals_change_nothing(
    client, people, action, version, text, when, agency, fields
):
    dossier = getattr(test_every_officer_action_never_fails_and_refusals_change_nothing, "dossier", None)
    if dossier is None or not Dossier.objects.filter(pk=dossier.pk).exists():
        dossier = people.walk(people.register(), Dossier.State.PROCESSING)
        test_every_officer_action_never_fails_and_refusals_change_nothing.dossier = dossier
    officer = people.handler
    staff_login(client, officer)
    data = {
        **fields,
        "expected_version": version,
        "note": text,
        "reason": text,
        "items": text,
        "question": text,
        "reply": text,
        "due_at": when,
        "new_due_at": when,
        "reply_by": when,
        "handling_agency": agency,
        "agency": agency,
        "result_name": text,
    }
    before = _counts()
    response = client.post(f"/ho-so/can-bo/{dossier.pk}/{action}/", data)
    _check(response, f"officer {action}")
    if response.status_code >= 400:
        assert _counts() == before, action


@HOSTILE
@given(
    params=st.dictionaries(
        keys=st.sampled_from(
            ["due", "state", "procedure", "channel", "sort", "page", "year", "format", "agency", "q"]
        ),
        values=TEXT,
        max_size=6,
    )
)
def test_officer_queues_and_the_tracking_book_never_fail(client, people, params):
    staff_login(client, people.receiver)
    for url in [
        "/ho-so/can-bo/hang-doi/cho-tiep-nhan/",
        "/ho-so/can-bo/so-theo-doi/",
        "/ho-so/can-bo/tiep-nhan-truc-tiep/",
    ]:
        _check(client.get(url, params), url)


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if TRIED:
        total = sum(TRIED.values())
        print(f"\nHostile inputs: {total} requests over {len(TRIED)} endpoints, none answered 5xx")  # noqa: T201


def test_a_due_date_in_the_past_is_refused_by_the_service_too(people):
    """The form is not the only guard: the service refuses a past due date itself."""
    dossier = people.register()
    with pytest.raises(InvalidInput, match="sau thời điểm tiếp nhận"):
        services.dossier_receive(
            dossier=dossier, actor=people.receiver, due_at=timezone.now() - timedelta(days=1)
        )
