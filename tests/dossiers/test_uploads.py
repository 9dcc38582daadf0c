"""Uploads are checked by content: PDFs with JavaScript or launch actions are refused, images above the stated pixel
count are refused, a dossier holds at most PORTAL_UPLOAD_MAX_FILES files, and a download's name ends with the
extension of the type its content was found to be."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers import filing
from dossiers.errors import InvalidInput
from dossiers.models import Dossier
from dossiers.pdf_scan import Finding, pdf_active_content
from dossiers.uploads import MAX_IMAGE_PIXELS, download_name, upload_check
from tests.people import pdf

pytestmark = pytest.mark.django_db

SCRIPT_REFUSED = "chứa mã JavaScript hoặc lệnh mở chương trình khác"
UNVERIFIABLE = "không kiểm tra được"


def pdf_of(*objects: bytes) -> bytes:
    """A PDF whose numbered objects are ``objects`` (readers rebuild the missing cross-reference table)."""
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, content in enumerate(objects, start=1):
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    return body + b"trailer\n<< /Root 1 0 R /Size %d >>\n%%%%EOF\n" % (len(objects) + 1)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def object_stream(*objects: bytes, dictionary: bytes = b"/Type /ObjStm", compress=zlib.compress) -> bytes:
    """Objects 10, 11, … packed into one compressed object stream, as PDF 1.5+ writers do."""
    offsets, data = [], b""
    for number, content in enumerate(objects, start=10):
        offsets.append(b"%d %d" % (number, len(data)))
        data += content + b"\n"
    header = b" ".join(offsets) + b"\n"
    packed = compress(header + data)
    filters = b" /Filter /FlateDecode" if compress is zlib.compress else b""
    return stream(b"%s /N %d /First %d%s" % (dictionary, len(objects), len(header), filters), packed)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
ALERT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"

HOSTILE = {
    "script as open action": pdf_of(b"<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>" % ALERT, PAGES, PAGE),
    "open action by reference": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        PAGES,
        PAGE,
        b"<< /S /JavaScript /JS 5 0 R >>",
        stream(b"", b"app.alert(1)"),
    ),
    "page's additional action": pdf_of(
        CATALOG, PAGES, b"<< /Type /Page /Parent 2 0 R /AA << /O %s >> >>" % ALERT
    ),
    "document-level script": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        PAGES,
        PAGE,
        b"<< /Names [(a) << /S /JavaScript /JS (x) >>] >>",
    ),
    "launch action": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>", PAGES, PAGE
    ),
    "names with escapes": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Java#53cript /J#53 (x) >> >>", PAGES, PAGE
    ),
    "inside a compressed object stream": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 10 0 R >>", PAGES, PAGE, object_stream(ALERT)
    ),
    "inside an object stream without /Type": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 10 0 R >>",
        PAGES,
        PAGE,
        object_stream(ALERT, dictionary=b""),
    ),
    "after a fake stream keyword inside a dictionary": pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R /X << >> stream /OpenAction %s /Y endstream >>" % ALERT, PAGES, PAGE
    ),
    "added by an incremental update": pdf_of(CATALOG, PAGES, PAGE)
    + b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>\nendobj\n%%%%EOF\n" % ALERT,
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_pdf_with_a_script_or_a_launch_action_is_refused_with_a_clear_message(case, staff, uploads_in_tmp):
    draft = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    upload = SimpleUploadedFile("to-khai.pdf", HOSTILE[case], content_type="application/pdf")

    with pytest.raises(InvalidInput, match=SCRIPT_REFUSED) as refused:
        filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=upload)

    assert "“to-khai.pdf”" in str(refused.value.message)
    assert not draft.files.exists()


def test_the_refusal_names_what_was_found():
    assert pdf_active_content(HOSTILE["script as open action"]) is Finding.SCRIPT
    assert pdf_active_content(HOSTILE["launch action"]) is Finding.LAUNCH


@pytest.mark.parametrize(
    "content",
    [
        pdf_of(CATALOG, PAGES, PAGE, object_stream(ALERT, dictionary=b"/Type /ObjStm /Filter /LZWDecode")),
        pdf_of(
            CATALOG, PAGES, PAGE, stream(b"/Type /ObjStm /N 1 /First 5 /Filter /FlateDecode", os.urandom(300))
        ),
        pdf_of(
            CATALOG, PAGES, PAGE, stream(b"/Type /ObjStm /N 1 /First 5 /Filter 9 0 R", zlib.compress(ALERT))
        ),
        pdf_of(CATALOG, PAGES, PAGE, b"[" + b"/a " * 600_000 + b"]"),
    ],
    ids=["another filter", "encrypted or broken data", "filter by reference", "too many tokens"],
)
def test_a_pdf_whose_objects_cannot_be_read_is_refused_as_unverifiable(content):
    with pytest.raises(InvalidInput, match=UNVERIFIABLE):
        upload_check(SimpleUploadedFile("x.pdf", content))


def _image_pdf() -> bytes:
    """A scan as Pillow writes it: a JPEG of noise (binary stream data) in a PDF."""
    buffer = io.BytesIO()
    Image.frombytes("L", (300, 300), os.urandom(90_000)).save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def _printed_pdf() -> bytes:
    """A document as WeasyPrint prints it (PDF 1.7, compressed object streams), text mentioning the names."""
    from weasyprint import HTML

    return HTML(
        string="<h1>Tờ khai</h1><p>/JavaScript, /JS, /Launch và /OpenAction là tên trong PDF.</p>"
    ).write_pdf()


@pytest.mark.parametrize(
    "content",
    [
        pdf_of(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGES, PAGE),
        pdf_of(
            b"<< /Type /Catalog /Pages 2 0 R /Info << /Title (About \\(/JavaScript\\) and /Launch) >> >>",
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /Annots [<< /Subtype /Link /A << /S /URI /URI (https://dichvucong.gov.vn)"
            b" >> >>] >>  % /JS in a comment",
        ),
        pdf_of(
            CATALOG,
            PAGES,
            PAGE,
            stream(b"/Subtype /Image /Filter /DCTDecode", b"\xff\xd8/JS (x)/JS\x00<</JS>>"),
        ),
        pdf_of(
            CATALOG, PAGES, PAGE, object_stream(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        ),
        _image_pdf(),
        _printed_pdf(),
    ],
    ids=[
        "page fit on opening",
        "names in text and a web link",
        "image bytes",
        "object stream",
        "scan",
        "printed",
    ],
)
def test_ordinary_pdfs_are_accepted(content):
    checked = upload_check(SimpleUploadedFile("giay-to.pdf", content))

    assert checked.content_type == "application/pdf"


def png_of(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width`` × ``height`` pixels, a few dozen bytes long (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (10_000, 5001), (12_000, 12_000)])
def test_an_image_above_fifty_megapixels_is_refused(width, height):
    assert MAX_IMAGE_PIXELS == 50_000_000
    with pytest.raises(InvalidInput, match="quá lớn|vượt quá 50 triệu điểm ảnh"):
        upload_check(SimpleUploadedFile("anh.png", png_of(width, height)))


def test_an_image_of_exactly_fifty_megapixels_is_accepted():
    assert upload_check(SimpleUploadedFile("anh.png", png_of(10_000, 5000))).content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content_type", "downloaded"),
    [
        ("poly.html", "image/png", "poly.html.png"),
        ("x.pdf", "application/pdf", "x.pdf"),
        ("X.PDF", "application/pdf", "X.PDF"),
        ("anh.jpeg", "image/jpeg", "anh.jpeg"),
        ("anh.png", "image/jpeg", "anh.png.jpg"),
        ("ban-quet", "application/pdf", "ban-quet.pdf"),
        ("to-khai.pdf.exe", "application/pdf", "to-khai.pdf.exe.pdf"),
    ],
)
def test_a_download_name_ends_with_the_extension_of_the_real_type(name, content_type, downloaded):
    assert download_name(name, content_type) == downloaded


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_png_uploaded_as_html_downloads_as_png(client, staff, uploads_in_tmp):
    document = filing.vault_document_add(
        user=staff.citizen,
        upload=SimpleUploadedFile("poly.html", _png(), content_type="text/html"),
        doc_type="Ảnh chân dung",
    )
    client.force_login(staff.citizen)

    response = client.get(f"/ho-so/kho-du-lieu/{document.pk}/tai-ve/")

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="poly.html.png"'
    response = client.get(f"/ho-so/tep/{_attached(staff, pdf('x.pdf')).pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="x.pdf"'


def _attached(staff, upload):
    draft = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    return filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=upload)


def test_a_dossier_takes_at_most_the_configured_number_of_files(staff, uploads_in_tmp, settings):
    settings.PORTAL_UPLOAD_MAX_FILES = 2
    draft = filing.dossier_draft_create(
        user=staff.citizen, procedure=staff.birth, receiving_agency=staff.commune
    )
    for _ in range(2):
        filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=pdf())
    document = filing.vault_document_add(user=staff.citizen, upload=pdf(), doc_type="Căn cước")

    with pytest.raises(InvalidInput, match="Hồ sơ đã có 2 tệp, số tệp tối đa của một hồ sơ"):
        filing.dossier_file_add(dossier=draft, user=staff.citizen, upload=pdf())
    with pytest.raises(InvalidInput, match="Hồ sơ đã có 2 tệp, số tệp tối đa của một hồ sơ"):
        filing.dossier_file_from_vault(dossier=draft, user=staff.citizen, vault_document=document)

    assert draft.files.count() == 2


def test_counter_registration_refuses_more_files_than_a_dossier_takes(staff, uploads_in_tmp, settings):
    settings.PORTAL_UPLOAD_MAX_FILES = 2
    before = Dossier.objects.count()

    with pytest.raises(InvalidInput, match="Một hồ sơ có tối đa 2 tệp; đang tải lên 3 tệp"):
        filing.dossier_register_at_counter(
            officer=staff.receiver,
            procedure=staff.birth,
            receiving_agency=staff.commune,
            applicant=None,
            uploads=[("Trang", pdf()) for _ in range(3)],
            applicant_name="Nguyễn Văn An",
        )

    assert Dossier.objects.count() == before
