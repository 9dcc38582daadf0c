"""Checking uploaded files by their content, and storing them under a name the uploader does not choose.

Accepted: PDF, JPEG and PNG, recognised from their first bytes (never from the file name or the browser's claimed
type). Images are opened with Pillow, which refuses decompression bombs; PDFs must end with an EOF marker. Files go
to the default storage (``var/uploads`` in development, outside anything the web server serves) under a random
name; the original name is kept, cleaned, for display only.
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

MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]
MAX_NAME = 120
Image.MAX_IMAGE_PIXELS = (
    50_000_000  # a 50-megapixel scan is plenty; larger is refused as a decompression bomb
)


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
        upload.seek(max(0, upload.size - 2048))
        if b"%%EOF" not in upload.read():
            raise InvalidInput(_("Tệp “%(name)s” không phải tệp PDF hoàn chỉnh.") % {"name": name})
        return
    try:
        with Image.open(upload) as image:
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("Ảnh “%(name)s” có kích thước điểm ảnh quá lớn.") % {"name": name}) from None
    except Exception:
        raise InvalidInput(_("Tệp “%(name)s” bị hỏng hoặc không phải ảnh hợp lệ.") % {"name": name}) from None


def storage_name(checked: CheckedUpload) -> str:
    """A random file name with the extension that matches the content."""
    return f"{uuid.uuid4().hex}.{checked.extension}"
