"""Simple lists: levels, applicants, agencies (names run together or separated) and the steps of a procedure."""

import re
from itertools import pairwise

from portal.catalog.parsing.text import clean, is_no_information


def _split_names(text: str) -> list[str]:
    """Split a comma list of names, keeping commas inside parentheses or before lower case.

    "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp" has two names;
    "Cán bộ, công chức, viên chức" and "Sở Tài chính các tỉnh, thành phố" have one each.
    """
    text = " ".join(clean(text).replace("\xa0", " ").split())
    if is_no_information(text):
        return []
    names, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0 and text[i + 1 : i + 3].strip()[:1].isupper():
            names.append(text[start:i])
            start = i + 1
    names.append(text[start:])
    return [n.strip() for n in names if n.strip()]


def parse_levels(text: str) -> list[str]:
    """ "Cấp bộ, Cấp tỉnh, Cấp xã" -> ["Cấp bộ", "Cấp tỉnh", "Cấp xã"]."""
    if is_no_information(text):
        return []
    return [p.strip() for p in clean(text).replace("\xa0", " ").split(",") if p.strip()]


def parse_applicants(text: str) -> list[str]:
    """Applicant categories; commas inside parentheses do not split."""
    return _split_names(text)


def parse_agencies(text: str) -> list[str]:
    """Agency names; \\xa0 and runs of spaces become one space; "…trật tự, xã hội" stays whole."""
    return _split_names(text)


# A step marker starts a line (after an optional bullet "-", "+", "a)", "1.1.") or follows the
# end of a sentence on the same line ("…để hoàn thiện. Bước 2: …").
_BULLET = r"(?:[-+*•]++|[a-zđ][.)]|\(?[ivx]{1,4}\)|\d{1,2}(?:\.\d{1,2})*+[.)])?[ \t]*+"
# Possessive quantifiers (*+, ++) keep runs of spaces from being re-split on every attempt.
_STEP = re.compile(
    rf"(?m)^[ \t]*+{_BULLET}(?=Bước[ \t]*+\d)|(?<=[.;:])[ \t]++(?={_BULLET}Bước[ \t]*+\d{{1,2}}[ \t]*+[:.])"
)


def parse_steps(text: str) -> list[str]:
    """Split "Bước 1: …\\nBước 2: …" into steps; lines without a marker stay with their step.

    Text before the first marker is kept as a leading item; without markers the whole text is
    one step.
    """
    body = clean(text).strip()
    if is_no_information(body):
        return []
    cuts = sorted({m.start() for m in _STEP.finditer(body)})
    bounds = [0] + [c for c in cuts if c > 0] + [len(body)]
    return [s for a, b in pairwise(bounds) if (s := body[a:b].strip())]
