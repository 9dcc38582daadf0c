"""A handler sends the draft result to the document-management stand-in for the leader's signature; the signed
decision comes back by a verified callback or by the pull, and becomes the dossier's draft result once; a forged
callback changes nothing."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import filing, services
from dossiers.models import Dossier, DossierFile
from dossiers.results import ResultDocument
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from signing.models import SigningRequest
from signing.services import signing_pull
from tests.accounts.mfa import staff_login
from tests.people import BIRTH, attach_required

pytestmark = pytest.mark.django_db
DRAFT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    from tests.people import uploads_in

    uploads_in(settings, tmp_path)


@pytest.fixture
def handler_and_dossier(make_user):
    citizen = make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
    procedure = Procedure.objects.get(code=BIRTH)
    Channel.objects.filter(procedure=procedure).update(duration_unit="working_day")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    Dossier.objects.filter(pk=draft.pk).update(
        state=Dossier.State.PROCESSING, handling_agency=commune, due_at=timezone.now() + timedelta(days=5)
    )
    handler = make_user("chuyenvien", role="handling_officer", agency_code=commune.code)
    draft.refresh_from_db()
    filing.dossier_result_add(
        dossier=draft,
        officer=handler,
        result=ResultDocument("Dự thảo quyết định", DRAFT, "application/pdf", "pdf"),
    )
    return handler, draft


def send(client, handler, dossier):
    staff_login(client, handler)
    return client.post(reverse("signing:send", args=[dossier.pk]))


def test_the_signed_decision_comes_back_by_callback_and_becomes_the_result(
    client, handler_and_dossier, documents_settings, standin
):
    handler, dossier = handler_and_dossier
    staff_login(client, handler)
    assert (
        "Trình lãnh đạo ký dự thảo kết quả"
        in client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    )
    assert send(client, handler, dossier).status_code == 302
    request = SigningRequest.objects.get()
    submitted = standin.documents()[0]
    assert (submitted["MaHoSo"], submitted["TrangThai"]) == (dossier.code, "cho_ky")

    signed = standin.document_sign(
        request.document_id, signer="Phạm Quốc Dũng", number="15/QĐ-UBND", deliver=False
    )
    response = client.post(
        reverse("signing:callback"), json.dumps(signed["callback"]), content_type="application/json"
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.state, request.number, request.signer) == ("signed", "15/QĐ-UBND", "Phạm Quốc Dũng")
    results = list(dossier.files.filter(kind=DossierFile.Kind.RESULT))
    assert len(results) == 1 and results[0] == request.result_file
    with results[0].file.open("rb") as handle:
        assert b"15/Q" in handle.read()
    # The same callback again, and the pull afterwards: nothing more is stored.
    client.post(reverse("signing:callback"), json.dumps(signed["callback"]), content_type="application/json")
    signing_pull()
    assert dossier.files.filter(kind=DossierFile.Kind.RESULT).count() == 1


def test_a_forged_callback_changes_nothing(client, handler_and_dossier, documents_settings, standin):
    handler, dossier = handler_and_dossier
    send(client, handler, dossier)
    request = SigningRequest.objects.get()
    signed = standin.document_sign(request.document_id, deliver=False)
    forged = {**signed["callback"], "chu_ky": "0" * 64}
    response = client.post(reverse("signing:callback"), json.dumps(forged), content_type="application/json")
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.state == SigningRequest.State.SENT


def test_without_a_callback_the_pull_takes_the_signed_decision(
    client, handler_and_dossier, documents_settings, standin
):
    handler, dossier = handler_and_dossier
    send(client, handler, dossier)
    request = SigningRequest.objects.get()
    assert signing_pull() == 0  # not signed yet
    standin.document_sign(request.document_id, deliver=False)
    assert signing_pull() == 1
    request.refresh_from_db()
    assert request.state == SigningRequest.State.SIGNED and request.result_file_id


def test_a_system_that_is_down_leaves_nothing_half_made(
    client, handler_and_dossier, documents_settings, standin
):
    handler, dossier = handler_and_dossier
    standin.faults(error=1.0, services=["TrinhKy"])
    response = send(client, handler, dossier)
    assert response.status_code == 302
    assert not SigningRequest.objects.exists()
