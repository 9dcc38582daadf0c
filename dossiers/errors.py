"""Errors a dossier action can end with; each carries a message a person understands, in Vietnamese."""


class DossierError(Exception):
    message = "Không thực hiện được thao tác."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class TransitionNotAllowed(DossierError):
    message = "Thao tác này không được phép ở trạng thái hiện tại của hồ sơ."


class NotYourDossier(DossierError):
    message = "Bạn không có quyền thực hiện thao tác này với hồ sơ."


class ConcurrentChange(DossierError):
    message = "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới nhất."


class InvalidInput(DossierError):
    message = "Thông tin nhập chưa hợp lệ."
