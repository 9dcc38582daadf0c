"""Path converters shared by the apps' URLs. ``code``: a procedure, agency or dossier code as the national systems
write them (letters, digits, dots, hyphens, underscores); anything else in the path (a NUL byte, a slash, spaces) is
a page that does not exist (404), never a lookup the database refuses."""

from django.urls import register_converter


class CodeConverter:
    regex = r"[0-9A-Za-z._-]{1,80}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def codes_register() -> None:
    register_converter(CodeConverter, "code")
