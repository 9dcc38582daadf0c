"""Results the portal issues itself carry the agency's PAdES signature, and the public page checks an uploaded PDF:
valid and unchanged, changed after signing, unsigned, signed under another authority, or not a PDF at all."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from portal.pdf.pades import sign_pdf, signing_configured, verify_pdf
from portal.pdf.render import html_to_pdf
from signing.demo_ca import demo_ca_create

VERIFY = reverse("signing:verify")


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return html_to_pdf("<h1>Quyết định</h1><p>Cấp giấy khai sinh cho Nguyễn Văn An.</p>")


@pytest.fixture
def agency_ca(settings, tmp_path):
    paths = demo_ca_create(tmp_path / "ca", password="mat-khau-thu")
    settings.SIGNING_CERT_PATH = str(paths["cert"])
    settings.SIGNING_KEY_PATH = str(paths["key"])
    settings.SIGNING_KEY_PASSWORD = "mat-khau-thu"
    settings.SIGNING_CA_PATH = str(paths["ca"])
    return paths


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_signed_pdf_verifies_as_valid_and_intact_with_the_signer_and_time(agency_ca, plain_pdf):
    signed = sign_pdf(plain_pdf)
    assert signed != plain_pdf and signed.startswith(plain_pdf[:8])
    result = verify_pdf(signed)
    assert result.valid and result.intact and result.reason == ""
    assert result.signer == "Văn phòng UBND tỉnh (thử nghiệm)"
    assert result.signed_at is not None


def test_a_byte_changed_after_signing_is_reported_as_modified(agency_ca, plain_pdf):
    signed = bytearray(sign_pdf(plain_pdf))
    signed[200] ^= 0x01  # inside the signed range: the original document's objects
    result = verify_pdf(bytes(signed))
    assert not result.valid and not result.intact and result.reason == "modified"


def test_content_appended_after_signing_is_not_unchanged(agency_ca, plain_pdf):
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(sign_pdf(plain_pdf)))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert not result.valid and not result.intact


def test_an_unsigned_pdf_has_no_signature(agency_ca, plain_pdf):
    result = verify_pdf(plain_pdf)
    assert not result.valid and result.reason == "unsigned"


def test_a_pdf_signed_under_another_authority_is_not_trusted(agency_ca, plain_pdf, settings, tmp_path):
    signed = sign_pdf(plain_pdf)
    other = demo_ca_create(tmp_path / "other", ca_name="CA khác")
    settings.SIGNING_CA_PATH = str(other["ca"])
    result = verify_pdf(signed)
    assert not result.valid and result.reason == "untrusted"
    assert result.intact  # the bytes are as signed; only the signer is unknown


def test_without_a_certificate_issued_pdfs_are_left_unsigned(settings, plain_pdf):
    settings.SIGNING_CERT_PATH = ""
    assert not signing_configured()
    assert sign_pdf(plain_pdf) == plain_pdf


def test_the_demo_command_creates_a_working_authority(settings, tmp_path, plain_pdf):
    settings.SIGNING_CERT_PATH = str(tmp_path / "s" / "agency.crt")
    settings.SIGNING_KEY_PATH = str(tmp_path / "s" / "agency.key")
    settings.SIGNING_CA_PATH = str(tmp_path / "s" / "ca.crt")
    settings.SIGNING_KEY_PASSWORD = ""
    call_command("signing_demo_ca", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert verify_pdf(sign_pdf(plain_pdf)).valid


def _upload(client, content: bytes, name: str = "ket-qua.pdf"):
    return client.post(VERIFY, {"tep": SimpleUploadedFile(name, content, "application/pdf")})


def test_the_page_shows_a_valid_signature_in_vietnamese(client, agency_ca, plain_pdf):
    assert client.get(VERIFY).status_code == 200
    response = _upload(client, sign_pdf(plain_pdf))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chữ ký số hợp lệ" in text
    assert "Văn phòng UBND tỉnh (thử nghiệm)" in text


def test_the_page_says_a_changed_file_is_no_longer_valid(client, agency_ca, plain_pdf):
    signed = bytearray(sign_pdf(plain_pdf))
    signed[200] ^= 0x01
    text = _upload(client, bytes(signed)).content.decode()
    assert "tệp đã bị thay đổi sau khi ký" in text


def test_the_page_says_an_unsigned_file_has_no_signature(client, agency_ca, plain_pdf):
    assert "Tệp không có chữ ký số." in _upload(client, plain_pdf).content.decode()


@pytest.mark.parametrize(
    "content",
    [b"GIF89a not a pdf at all", b"", b"%PDF-1.7\n garbage garbage \x00\xff", b"\x00" * 64],
)
def test_garbage_is_refused_with_a_message(client, agency_ca, content):
    response = _upload(client, content)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_no_file_is_refused_with_a_message(client, agency_ca):
    response = client.post(VERIFY, {})
    assert response.status_code == 400
    assert "Vui lòng chọn tệp PDF" in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, agency_ca, settings):
    settings.SIGNING_VERIFY_MAX_MB = 1
    response = _upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "lớn hơn 1 MB" in response.content.decode()


def test_checks_from_one_address_are_rate_limited(client, agency_ca, settings, plain_pdf):
    settings.SIGNING_VERIFY_PER_HOUR = 2
    assert _upload(client, plain_pdf).status_code == 200
    assert _upload(client, plain_pdf).status_code == 200
    response = _upload(client, plain_pdf)
    assert response.status_code == 429 and response["Retry-After"]


def test_the_page_says_when_the_portal_signs_nothing(client, settings):
    settings.SIGNING_CERT_PATH = ""
    assert "chưa cấu hình chứng thư ký số" in client.get(VERIFY).content.decode()


@pytest.mark.django_db
def test_the_payment_receipt_the_portal_issues_is_signed(agency_ca, make_user, settings, tmp_path):
    from django.utils import timezone

    from dossiers import filing, services
    from payments.models import Payment
    from payments.receipt import receipt_pdf
    from portal.agencies.models import Agency
    from portal.catalog.models import Procedure
    from tests.people import BIRTH, attach_required, uploads_in

    uploads_in(settings, tmp_path)
    citizen = make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(
        user=citizen, procedure=Procedure.objects.get(code=BIRTH), receiving_agency=commune
    )
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    payment = Payment.objects.create(
        dossier=draft,
        payer=citizen,
        order_id="DH-KY-SO-1",
        amount=50000,
        description="Lệ phí",
        state=Payment.State.PAID,
        paid_at=timezone.now(),
        receipt_number="BL-1",
    )
    result = verify_pdf(receipt_pdf(payment))
    assert result.valid and result.intact


@pytest.mark.parametrize("seed", range(3))
def test_a_damaged_signed_file_is_answered_never_with_a_server_error(client, agency_ca, plain_pdf, seed):
    import random

    rnd = random.Random(seed)
    signed = bytearray(sign_pdf(plain_pdf))
    for _ in range(40):
        signed[rnd.randrange(len(signed))] = rnd.randrange(256)
    response = _upload(client, bytes(signed[: rnd.randrange(len(signed) // 2, len(signed))]))
    assert response.status_code in (200, 400)
    assert "Chữ ký số hợp lệ" not in response.content.decode()


def test_a_key_that_cannot_be_read_leaves_the_pdf_unsigned_and_logs_an_error(
    agency_ca, settings, plain_pdf, caplog
):
    settings.SIGNING_KEY_PASSWORD = "sai-mat-khau"
    assert sign_pdf(plain_pdf) == plain_pdf
    assert any(record.levelname == "ERROR" and "unsigned" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_a_result_the_leader_approves_in_the_portal_carries_the_agencys_signature(
    staff, agency_ca, plain_pdf, settings, tmp_path
):
    from dossiers import filing, services
    from dossiers.models import Dossier, DossierFile
    from dossiers.results import ResultDocument
    from portal.catalog.models import Channel
    from tests.people import BIRTH, uploads_in

    uploads_in(settings, tmp_path)
    # The catalogue's birth registration states "1" without a unit; read as working days here (tests/dossiers too).
    Channel.objects.filter(procedure__code=BIRTH, duration_unit="").update(duration_unit="working_day")
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    filing.dossier_result_add(
        dossier=dossier,
        officer=staff.handler,
        result=ResultDocument("Giấy khai sinh", plain_pdf, "application/pdf", "pdf"),
    )
    services.dossier_propose(dossier=dossier, actor=staff.handler, note="")
    services.dossier_approve(dossier=dossier, actor=staff.leader)

    (result,) = DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.RESULT)
    with result.file.open("rb") as handle:
        content = handle.read()
    check = verify_pdf(content)
    assert result.approved_at is not None and check.valid and check.intact
    assert result.size == len(content) and content != plain_pdf
