"""Checking uploaded files by their content, and storing them under a name the uploader does not choose.

Accepted: PDF, JPEG and PNG, recognised from their first bytes (never from the file name or the browser's claimed
type). PDFs must end with an EOF marker and carry no JavaScript nor launch action (``dossiers/pdf_scan.py`` says what
is looked at). Images are opened with Pillow and refused above ``MAX_IMAGE_PIXELS`` (Pillow itself only warns up to
twice its limit). Files go to the default storage (``var/uploads`` in development, outside anything the web server
serves) under a random name; the original name is kept, cleaned, for display, and a download's name ends with the
extension of the real type (``download_name``).
"""

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from dossiers.errors import InvalidInput
from dossiers.pdf_scan import Finding, pdf_active_content

MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]
MAX_NAME = 120
# An A4 page scanned at 600 dpi is 35 megapixels; above 50 an image is refused (a decompression bomb: a few kilobytes
# that would take gigabytes to open). Pillow warns above its limit and raises only above twice it, so the check in
# _check_structure is ours; Pillow's limit is set too, for every other place that opens an image.
MAX_IMAGE_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# The extensions a download's name may end with for each type; any other name gets the first one added.
DOWNLOAD_EXTENSIONS = {"application/pdf": ("pdf",), "image/jpeg": ("jpg", "jpeg"), "image/png": ("png",)}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    display_name: str


def max_file_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_FILE_MB * 1024 * 1024


def max_dossier_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_DOSSIER_MB * 1024 * 1024


def clean_display_name(name: str) -> str:
    """The last path component, without control characters, at most 120 characters with its extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .") or "tep"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(ext) - 1] + (f".{ext}" if ext else "")
    return name


def upload_check(upload: UploadedFile, *, already_in_dossier: int = 0) -> CheckedUpload:
    """Accept ``upload`` or raise InvalidInput saying, in the reader's language, what is wrong with it."""
    name = clean_display_name(upload.name)
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": name})
    if size > max_file_bytes():
        raise InvalidInput(
            _("Tệp “%(name)s” vượt quá %(mb)d MB cho mỗi tệp.")
            % {"name": name, "mb": settings.PORTAL_UPLOAD_MAX_FILE_MB}
        )
    if already_in_dossier + size > max_dossier_bytes():
        raise InvalidInput(
            _("Tổng dung lượng hồ sơ vượt quá %(mb)d MB.") % {"mb": settings.PORTAL_UPLOAD_MAX_DOSSIER_MB}
        )
    upload.seek(0)
    head = upload.read(16)
    kind = next(((ctype, ext) for magic, ctype, ext in MAGIC if head.startswith(magic)), None)
    if kind is None:
        raise InvalidInput(
            _("Tệp “%(name)s” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).") % {"name": name}
        )
    _check_structure(upload, kind[0], name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(kind[0], kind[1], size, digest.hexdigest(), name)


def _check_structure(upload: UploadedFile, content_type: str, name: str) -> None:
    upload.seek(0)
    if content_type == "application/pdf":
        _check_pdf(upload, name)
        return
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise InvalidInput(
                    _(
                        "Ảnh “%(name)s” có %(width)d × %(height)d điểm ảnh, vượt quá %(limit)d triệu điểm ảnh. "
                        "Vui lòng quét lại ở độ phân giải thấp hơn (300 dpi là đủ)."
                    )
                    % {"name": name, "width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000}
                )
            image.verify()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("Ảnh “%(name)s” có kích thước điểm ảnh quá lớn.") % {"name": name}) from None
    except Exception:
        raise InvalidInput(_("Tệp “%(name)s” bị hỏng hoặc không phải ảnh hợp lệ.") % {"name": name}) from None


def _check_pdf(upload: UploadedFile, name: str) -> None:
    upload.seek(max(0, upload.size - 2048))
    if b"%%EOF" not in upload.read():
        raise InvalidInput(_("Tệp “%(name)s” không phải tệp PDF hoàn chỉnh.") % {"name": name})
    upload.seek(0)
    finding = pdf_active_content(upload.read())  # at most PORTAL_UPLOAD_MAX_FILE_MB, checked before
    if finding is Finding.UNVERIFIABLE:
        raise InvalidInput(
            _(
                "Tệp “%(name)s” có phần nén hoặc mã hóa mà Cổng không kiểm tra được. Vui lòng lưu lại thành PDF "
                "thông thường (không đặt mật khẩu) rồi tải lên."
            )
            % {"name": name}
        )
    if finding is not None:
        raise InvalidInput(
            _(
                "Tệp “%(name)s” chứa mã JavaScript hoặc lệnh mở chương trình khác nên không được nhận. Vui lòng in "
                "lại thành PDF hoặc quét lại giấy tờ rồi tải lên."
            )
            % {"name": name}
        )


def storage_name(checked: CheckedUpload) -> str:
    """A random file name with the extension that matches the content."""
    return f"{uuid.uuid4().hex}.{checked.extension}"


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored file is downloaded under: the uploaded name, with the extension of the type its content was
    found to be added when it does not end with one (``poly.html`` holding a PNG goes out as ``poly.html.png``), so
    that no program opens it as something else."""
    extensions = DOWNLOAD_EXTENSIONS.get(content_type)
    if not extensions:
        return original_name
    _stem, dot, extension = original_name.rpartition(".")
    if dot and extension.lower() in extensions:
        return original_name
    return f"{original_name}.{extensions[0]}"
