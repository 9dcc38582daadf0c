"""Errors of the declaration forms, each with a message a person understands."""

from django.utils.translation import gettext_lazy as _


class EformError(Exception):
    message = _("Không thực hiện được thao tác với tờ khai.")

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class InvalidDefinition(EformError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class DeclarationNotEditable(EformError):
    message = _("Hồ sơ đã nộp, tờ khai không sửa được nữa.")
