"""What every parser of the catalogue shares: the result type, text clean-up, and the helpers for flattened
tables (a header to drop, a parenthesis group to close)."""

import re
import unicodedata
from dataclasses import dataclass, field

NO_INFO = "Không có thông tin"


@dataclass
class Parsed[T]:
    """Parser output: ``complete`` is True exactly when ``problems`` is empty."""

    items: list[T]
    complete: bool
    problems: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    """Return ``text`` as NFC without NUL bytes; the portal mixes composed and decomposed accents."""
    return unicodedata.normalize("NFC", (text or "").replace("\x00", ""))


def squeeze(text: str) -> str:
    """Collapse runs of spaces and tabs (the portal pads names with them) and strip the ends."""
    return re.sub(r"[ \t\xa0]+", " ", text).strip()


# A list mark the source left in front of a name (". Đăng ký thuế…", "- Văn bản đề nghị…", "+ Tờ khai…").
_LEADING_MARK = re.compile(r"^(?:[.\-–+•*][ \t]+)+")
_LINE_SPACES = re.compile(r"[ \t\xa0\u2007\u202f]+")
_SPACES_AT_LINE_ENDS = re.compile(r" ?(\r\n|\r|\n) ?")


def tidy_text(text: str | None) -> str:
    """Text as stored: NFC, no NUL, runs of spaces (tabs, no-break spaces) as one space, lines kept but not their
    leading and trailing spaces, and nothing around the whole. Applying it again changes nothing."""
    text = _LINE_SPACES.sub(" ", clean(text))
    return _SPACES_AT_LINE_ENDS.sub("\n", text).strip()


def tidy_name(text: str | None) -> str:
    """A name as stored and listed: ``tidy_text`` on one line, without a list mark in front or a ";" at the end.

    ". Đăng ký thuế" → "Đăng ký thuế", "Giấy khai sinh;" → "Giấy khai sinh". A name that is nothing but marks stays
    as it was rather than becoming empty. Applying it again changes nothing.
    """
    line = " ".join(clean(text).split())
    name = _LEADING_MARK.sub("", line).rstrip(" ;")
    return name or line


def short(text: str, limit: int = 60) -> str:
    """Return a one-line excerpt for problem messages."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def done[T](items: list[T], problems: list[str]) -> Parsed[T]:
    """Wrap a result; it is complete exactly when nothing was reported."""
    return Parsed(items=items, complete=not problems, problems=problems)


def is_no_information(text: str) -> bool:
    """True for "", whitespace and "Không có thông tin" in any case or spacing."""
    norm = " ".join(clean(text).split()).casefold().rstrip(".")
    return norm in ("", NO_INFO.casefold())


def strip_header(text: str, header: str) -> str:
    """Drop the table header (and anything before it that is only dashes or blank)."""
    head, sep, rest = text.partition(header)
    return rest if sep and not head.strip(" -\t\n") else text


def balanced_end(text: str, start: int) -> int | None:
    """Index just past the parenthesis group opening at ``start``; None if it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return None
