"""PAdES signatures on the PDFs the portal issues itself, and the check of an uploaded one.

``sign_pdf`` signs with the agency's certificate and key from the settings (``SIGNING_CERT_PATH``,
``SIGNING_KEY_PATH``, ``SIGNING_KEY_PASSWORD``, the issuing chain ``SIGNING_CA_PATH``); with no certificate set it
returns the bytes unchanged (``signing_configured()`` says which). ``verify_pdf`` checks the last signature of a
PDF against the authority of ``SIGNING_CA_PATH``: the signature itself, that its certificate chains to that
authority, and that the file is unchanged since (the signature covers the whole file).
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKySoCoQuan"


class NotAPdf(ValueError):
    """The bytes are not a PDF pyHanko can read."""


@dataclass(frozen=True)
class Verification:
    """What the check of a PDF found. ``reason`` is "" for a valid signature, otherwise one of "unsigned",
    "untrusted", "modified", "invalid", "no_authority"."""

    valid: bool
    signer: str
    signed_at: datetime | None
    intact: bool
    reason: str


def _off_the_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls run their own event loop (``asyncio.run``), which fails inside a running one
    (an async caller, Playwright's sync API in tests): there the call runs in a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def signing_configured() -> bool:
    """True when the settings name a certificate and key that exist, so issued PDFs are signed."""
    cert, key = getattr(settings, "SIGNING_CERT_PATH", ""), getattr(settings, "SIGNING_KEY_PATH", "")
    return bool(cert and key and Path(cert).is_file() and Path(key).is_file())


def _signer() -> signers.SimpleSigner:
    ca = getattr(settings, "SIGNING_CA_PATH", "")
    password = getattr(settings, "SIGNING_KEY_PASSWORD", "")
    signer = signers.SimpleSigner.load(
        settings.SIGNING_KEY_PATH,
        settings.SIGNING_CERT_PATH,
        ca_chain_files=(ca,) if ca and Path(ca).is_file() else None,
        key_passphrase=password.encode() if password else None,
    )
    if signer is None:  # pyHanko logs why and returns None for an unreadable key or certificate
        raise SigningError("the agency's signing key or certificate cannot be read")
    return signer


def sign_pdf(content: bytes, *, reason: str = "Văn bản do Cổng dịch vụ công phát hành") -> bytes:
    """The PDF with the agency's PAdES signature (an invisible field, the signing time among the signed
    attributes); the bytes unchanged when no signing certificate is configured. A key or certificate that cannot
    be read (a wrong password, a damaged file) is logged as an error and the document goes out unsigned: the
    citizen still gets it, the verify page shows it has no signature, and operators see why."""
    if not signing_configured():
        return content
    try:
        agency = _signer()
    except (SigningError, ValueError, OSError) as error:
        logger.error("the agency's signing key or certificate cannot be used, PDF issued unsigned: %s", error)
        return content
    writer = IncrementalPdfFileWriter(BytesIO(content))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    signer = signers.PdfSigner(metadata, signer=agency, new_field_spec=fields.SigFieldSpec(FIELD_NAME))
    return _off_the_event_loop(signer.sign_pdf, writer).getvalue()


def authority_configured() -> bool:
    """True when the settings name the authority uploaded PDFs are checked against."""
    path = getattr(settings, "SIGNING_CA_PATH", "")
    return bool(path and Path(path).is_file())


def _trust_root() -> asn1_x509.Certificate | None:
    path = getattr(settings, "SIGNING_CA_PATH", "")
    if not path or not Path(path).is_file():
        return None
    data = Path(path).read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def _signer_name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except (AttributeError, ValueError):
        return ""


def verify_pdf(content: bytes) -> Verification:
    """Check the last signature of ``content``. Raises NotAPdf when the bytes are not a readable PDF."""
    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except (
        Exception
    ) as error:  # an uploaded file is hostile input: any parser failure means "not a readable PDF"
        raise NotAPdf(str(error)) from error
    if not signatures:
        return Verification(False, "", None, False, "unsigned")
    root = _trust_root()
    if root is None:
        return Verification(False, "", None, False, "no_authority")
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _off_the_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception as error:  # a damaged signature dictionary or stream (zlib, unknown filter, bad CMS)
        logger.info("signature check failed: %s", error)
        return Verification(False, "", None, False, "invalid")
    intact = bool(status.intact and status.valid and status.coverage is not None)
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE if intact else False
    intact = intact and whole_file
    signer = _signer_name(status.signing_cert) if status.signing_cert is not None else ""
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        reason = "modified" if not status.intact else "invalid"
    elif not status.trusted:
        reason = "untrusted"
    elif not whole_file:
        reason = "modified"
    else:
        reason = ""
    return Verification(reason == "", signer, signed_at, intact, reason)
