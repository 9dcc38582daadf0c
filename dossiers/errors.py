"""Errors a dossier action can end with; each carries a message a person understands, in their language."""

from django.utils.translation import gettext_lazy as _


class DossierError(Exception):
    message = _("Không thực hiện được thao tác.")

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class TransitionNotAllowed(DossierError):
    message = _("Thao tác này không được phép ở trạng thái hiện tại của hồ sơ.")


class NotYourDossier(DossierError):
    message = _("Bạn không có quyền thực hiện thao tác này với hồ sơ.")


class ConcurrentChange(DossierError):
    message = _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới nhất.")


class InvalidInput(DossierError):
    message = _("Thông tin nhập chưa hợp lệ.")
