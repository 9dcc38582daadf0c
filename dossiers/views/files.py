"""Stored files go out only through these views, after the access check: dossier files to whoever may see the
dossier (its applicant, the officers of its agencies), vault documents to their owner. Always as a download with
the type recorded when the content was checked, never rendered inline by the browser, under a name that ends with
that type's extension (``uploads.download_name``)."""

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from dossiers import access
from dossiers.models import VaultDocument
from dossiers.uploads import download_name


def _attachment(stored: FieldFile, filename: str, content_type: str) -> FileResponse:
    try:
        handle = stored.storage.open(stored.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Tệp không còn trên máy chủ") from None
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(filename, content_type), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser open it anyway, it may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    dossier_file = access.dossier_file_get_for_user(user=request.user, pk=pk)
    return _attachment(dossier_file.file, dossier_file.original_name, dossier_file.content_type)


@login_required
@require_safe
def vault_document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = VaultDocument.objects.filter(owner=request.user, pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy giấy tờ")
    return _attachment(document.file, document.original_name, document.content_type)
