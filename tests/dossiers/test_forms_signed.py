"""The printed forms (Mẫu 01–05) carry the agency's PAdES signature like approved results and receipts: each form's
PDF is signed, verifies as valid and unchanged (also on the public verify page), a stored copy is not stored again
for the same content, and without a usable certificate the form goes out unsigned and the log says why."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers import filing, services
from dossiers.models import DossierFile
from dossiers.pdf.store import dossier_form_render, dossier_form_store
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from portal.pdf.pades import verify_pdf
from signing.demo_ca import demo_ca_create

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIGNER = "Văn phòng UBND tỉnh (thử nghiệm)"


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    return demo_ca_create(tmp_path_factory.mktemp("ca"), password="")


@pytest.fixture
def signing(settings, authority):
    settings.SIGNING_CERT_PATH, settings.SIGNING_KEY_PATH = str(authority["cert"]), str(authority["key"])
    settings.SIGNING_CA_PATH, settings.SIGNING_KEY_PASSWORD = str(authority["ca"]), ""
    return settings


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    cache.clear()  # the verify page's limit per address


@pytest.fixture
def people(make_user):
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    return {
        "commune": commune,
        "citizen": make_user("cd1", full_name="Nguyễn Thị Hồng Nhung", phone="0912345678"),
        "receiver": make_user(
            "mc1", role=User.Role.ONESTOP_OFFICER, agency_code=commune.code, full_name="Trần Văn Bình"
        ),
        "handler": make_user(
            "cv1", role=User.Role.HANDLING_OFFICER, agency_code=commune.code, full_name="Lê Thị Thu"
        ),
    }


def _registered(people):
    return filing.dossier_register_at_counter(
        officer=people["receiver"],
        procedure=Procedure.objects.get(code="1.001193"),
        receiving_agency=people["commune"],
        applicant=people["citizen"],
        uploads=[("Giấy chứng sinh", SimpleUploadedFile("gcs.pdf", SCAN, content_type="application/pdf"))],
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_phone="0912345678",
    )


@pytest.fixture
def dossiers(people):
    """A dossier with a receipt, a supplement request, an apology and its history (Mẫu 01, 02, 04, 05), and one
    refused at reception (Mẫu 03)."""
    dossier = _registered(people)
    services.dossier_receive(dossier=dossier, actor=people["receiver"])
    services.dossier_transfer(dossier=dossier, actor=people["receiver"], handling_agency=people["commune"])
    services.dossier_request_supplement(
        dossier=dossier, actor=people["handler"], items=["Tờ khai"], reason="Thiếu"
    )
    filing.dossier_file_add(
        dossier=dossier,
        user=people["citizen"],
        upload=SimpleUploadedFile("to-khai.pdf", SCAN, content_type="application/pdf"),
    )
    services.dossier_resubmit(dossier=dossier, actor=people["citizen"])
    dossier.refresh_from_db()
    services.dossier_apologise(
        dossier=dossier, actor=people["handler"], reason="Chậm", new_due_at=dossier.due_at + timedelta(days=3)
    )
    refused = _registered(people)
    services.dossier_refuse(dossier=refused, actor=people["receiver"], reason="Không thuộc thẩm quyền")
    return {"01": dossier, "02": dossier, "03": refused, "04": dossier, "05": dossier}


def _stored_bytes(stored: DossierFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("code", ["01", "02", "03", "04", "05"])
def test_each_form_is_signed_and_verifies_also_on_the_verify_page(client, signing, dossiers, code):
    pdf = dossier_form_render(dossier=dossiers[code], form_code=code)
    result = verify_pdf(pdf)
    assert (result.valid, result.intact, result.reason, result.signer) == (True, True, "", SIGNER)

    stored = dossier_form_store(dossier=dossiers[code], form_code=code)
    content = _stored_bytes(stored)
    assert verify_pdf(content).valid and stored.size == len(content)
    response = client.post(
        reverse("signing:verify"),
        {"tep": SimpleUploadedFile(stored.original_name, content, "application/pdf")},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Chữ ký số hợp lệ" in page and SIGNER in page


def test_the_same_form_is_not_stored_again_though_each_signature_differs(signing, dossiers):
    first = dossier_form_store(dossier=dossiers["01"], form_code="01")
    again = dossier_form_store(dossier=dossiers["01"], form_code="01")
    assert again.pk == first.pk and _stored_bytes(again) == _stored_bytes(first)
    assert dossiers["01"].files.filter(kind=DossierFile.Kind.FORM, form_code="01").count() == 1


def test_an_unsigned_copy_is_replaced_by_a_signed_one_once_a_certificate_is_set(
    settings, authority, dossiers, caplog
):
    settings.SIGNING_CERT_PATH = ""
    with caplog.at_level(logging.INFO, logger="dossiers.pdf.store"):
        unsigned = dossier_form_store(dossier=dossiers["05"], form_code="05")
    assert verify_pdf(_stored_bytes(unsigned)).reason == "unsigned"
    assert "form 05 of dossier" in caplog.text and "no signing certificate configured" in caplog.text

    settings.SIGNING_CERT_PATH = str(authority["cert"])
    settings.SIGNING_KEY_PATH, settings.SIGNING_CA_PATH = str(authority["key"]), str(authority["ca"])
    signed = dossier_form_store(dossier=dossiers["05"], form_code="05")
    assert signed.pk != unsigned.pk and verify_pdf(_stored_bytes(signed)).valid
    assert list(dossiers["05"].files.filter(kind=DossierFile.Kind.FORM, form_code="05")) == [signed]

    settings.SIGNING_CERT_PATH = ""  # signing switched off again: the signed copy of the same content stays
    assert dossier_form_store(dossier=dossiers["05"], form_code="05").pk == signed.pk


def test_an_unusable_key_leaves_the_form_unsigned_and_logged(signing, dossiers, caplog, tmp_path):
    locked = demo_ca_create(tmp_path / "locked", password="mat-khau-dung")
    signing.SIGNING_CERT_PATH, signing.SIGNING_KEY_PATH = str(locked["cert"]), str(locked["key"])
    signing.SIGNING_KEY_PASSWORD = "mat-khau-sai"
    with caplog.at_level(logging.WARNING):
        pdf = dossier_form_render(dossier=dossiers["01"], form_code="01")
    assert pdf.startswith(b"%PDF-") and verify_pdf(pdf).reason == "unsigned"
    assert "issued unsigned: the signing key is unusable" in caplog.text
