"""Path converters shared by the apps' URLs. ``code``: a procedure, agency or dossier code as the national systems
write them (letters, digits, dots, hyphens, underscores); anything else in the path (a NUL byte, a slash, spaces) is
a page that does not exist (404), never a lookup the database refuses."""

import re

from django.urls import get_script_prefix, register_converter, reverse
from django.utils.translation import get_language


class CodeConverter:
    regex = r"[0-9A-Za-z._-]{1,80}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def codes_register() -> None:
    register_converter(CodeConverter, "code")


_CODE = re.compile(CodeConverter.regex)
_MARK = "0code0"
_around: dict[tuple[str, str, str], tuple[str, str]] = {}


def code_url(view_name: str, code: str) -> str:
    """``reverse(view_name, args=[code])`` for an address whose one argument is a ``code``, for the price of joining
    three strings: what surrounds the code is reversed once per view, language and script prefix."""
    if not _CODE.fullmatch(code):
        return reverse(view_name, args=[code])  # raises NoReverseMatch as reverse() does
    key = (view_name, get_language() or "", get_script_prefix())
    around = _around.get(key)
    if around is None:
        before, after = reverse(view_name, args=[_MARK]).split(_MARK)
        around = _around[key] = (before, after)
    return around[0] + code + around[1]
