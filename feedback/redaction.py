"""Personal data removed from a question and its answer before they are published (a proposal: the officer reads
and corrects it before publishing, ``services.feedback_publish``).

Detected: the sender's own name, phone, e-mail and address wherever they appear; e-mail addresses; 12-digit personal
identification numbers and 9-digit identity card numbers; Vietnamese phone numbers (0 or +84 then 9–10 digits, spaces,
dots or dashes between groups); names after a form of address (ông, bà, anh, chị, em, cô, chú, bác, cháu, cụ) —
the capitalised words that follow; house numbers with a street, lane or alley (số 12 đường Trần Hưng Đạo, 45/7
Nguyễn Trãi, hẻm 3) and hamlet/neighbourhood groups (tổ 5, ấp Phú Hòa, khóm 2).

Not detected: a name written without capitals or without a form of address, a street address without a number or a
street word, numbers spelled out in words. That is why an officer checks every text before it is published.
"""

import re

NAME_MARK = "[họ tên]"
PHONE_MARK = "[số điện thoại]"
ID_MARK = "[số định danh]"
EMAIL_MARK = "[thư điện tử]"
ADDRESS_MARK = "[địa chỉ]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PERSONAL_ID = re.compile(r"(?<![\d])(?:\d{12}|\d{9})(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0)(?:[\s.\-]?\d){8,10}(?![\d])")
_TITLE_WORDS = ("ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cháu", "cụ")
_TITLES = "|".join(f"[{w[0]}{w[0].upper()}]{w[1:]}" for w in _TITLE_WORDS)
# The upper-case letters of Latin scripts, Vietnamese ones included (Đ, Ơ, Ư, Ạ…), as a character class.
_UPPER = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha() and chr(c).isupper())
# A capitalised word: an upper-case letter then letters.
_CAPITALISED = rf"[{_UPPER}][^\W\d_]*"
_NAME = re.compile(rf"(?<!\w)((?:{_TITLES})\.?\s+)((?:{_CAPITALISED})(?:\s+{_CAPITALISED}){{0,4}})")
_STREET_WORDS = r"đường|phố|hẻm|ngõ|ngách|kiệt|quốc lộ|tỉnh lộ|QL|ĐT"
_HOUSE = re.compile(
    rf"(?<!\w)(?:(?:số\s+nhà|số|nhà\s+số)\s+)?\d+[\dA-Za-z/\-]*,?\s+(?:(?:{_STREET_WORDS})\s+)?"
    rf"(?:{_CAPITALISED}|\d+)(?:\s+(?:{_CAPITALISED}|\d+)){{0,4}}"
)
_LANE = re.compile(rf"(?<!\w)(?:{_STREET_WORDS})\s+(?:số\s+)?\d+[\dA-Za-z/\-]*", re.IGNORECASE)
_GROUP = re.compile(
    rf"(?<!\w)(?:[Tt]ổ dân phố|[Kk]hu phố|[Tt]ổ|[Ấấ]p|[Kk]hóm|[Tt]hôn|[Xx]óm)\s+(?:số\s+)?"
    rf"(?:\d+[A-Za-z]?|{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,3}})"
)


# Capitalised words after a form of address that start a position, not a name ("Ông Giám đốc Sở").
_POSITIONS = frozenset(
    {"Giám", "Phó", "Chủ", "Trưởng", "Chánh", "Bí", "Cán", "Công", "Chuyên", "Thanh", "Lãnh"}
)


def _name(match: re.Match) -> str:
    if match.group(2).split()[0] in _POSITIONS:
        return match.group(0)
    return f"{match.group(1)}{NAME_MARK}"


def redact(text: str, *, known: tuple[str, ...] = ()) -> str:
    """``text`` with the personal data described in the module replaced by bracketed marks; ``known`` are values the
    sender gave (name, phone, e-mail, address), removed wherever they appear whatever their case."""
    if not text:
        return ""
    for value in sorted((v.strip() for v in known if v and len(v.strip()) >= 4), key=len, reverse=True):
        text = re.sub(re.escape(value), "[thông tin cá nhân]", text, flags=re.IGNORECASE)
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _PERSONAL_ID.sub(ID_MARK, text)
    text = _PHONE.sub(PHONE_MARK, text)
    text = _NAME.sub(_name, text)
    text = _HOUSE.sub(_house_or_not, text)
    text = _LANE.sub(ADDRESS_MARK, text)
    text = _GROUP.sub(_group_or_not, text)
    return text


def _house_or_not(match: re.Match) -> str:
    """A number followed by capitalised words is a house address only with a street word or a slash/letter house
    number (45/7 Nguyễn Trãi, 12A Lê Lợi) or "số" before it; "20 Ngày" in a sentence is left alone."""
    found = match.group(0)
    lowered = found.lower()
    number = re.search(r"\d+[\dA-Za-z/\-]*", found).group(0)
    street = re.search(rf"(?<!\w)(?:{_STREET_WORDS})(?!\w)", found, re.IGNORECASE)
    if street or "/" in number or re.search(r"\d[A-Za-z]$", number) or lowered.startswith(("số", "nhà")):
        return ADDRESS_MARK
    return found


def _group_or_not(match: re.Match) -> str:
    word = match.group(0).split()[0]
    rest = match.group(0)[len(word) :].strip()
    if rest[:1].isdigit() or rest[:1].isupper() or rest.lower().startswith("số"):
        return ADDRESS_MARK
    return match.group(0)
