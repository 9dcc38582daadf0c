"""The legal basis table (``can_cu_phap_ly``): the title and number of each legal document."""

import re
from dataclasses import dataclass

from portal.catalog.parsing.text import Parsed, clean, done, is_no_information, short, strip_header


@dataclass(frozen=True)
class LegalBasisRow:
    """One legal basis row; ``number`` is "" when no document number was found."""

    title: str
    number: str


_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# Issuer codes that end document numbers; used only to decide where a code glued to the next
# title stops ("NĐ-CPLUẬT…", "TT-BTCQUY ĐỊNH…", "NĐ-CPhông tư…").
_ISSUERS = (
    "CP BTC BTP BCA BNNMT NHNN TTg TTG BXD BGTVT BHXH BNNPTNT BKHĐT BTNMT BLĐTBXH UBND HĐND BKHCN "
    "BCT BYT BQP BVHTTDL BTTTT BNV BGDĐT BNG VPCP HĐTP CTN UBTƯMTTQVN TANDTC VKSNDTC BTNN VPQH QĐ NĐ"
)
_KNOWN_CODES = frozenset(_ISSUERS.split())
_CODE_PART = r"(?:[A-ZĐƯ]{0,8}QH\d{2}|TTg|[A-ZĐƯ]{1,12})"
_CODE = rf"{_CODE_PART}(?:[-/_]{_CODE_PART})*"
# serial / year [/ issuer code], or serial / code without a year ("1898/QĐ-BTP").
_NUMBER = (
    r"(?P<serial>\d+(?:\.\d{1,2})?)/"
    rf"(?:(?:19|20)\d{{2}}(?!\d)(?:/(?P<code>{_CODE}))?|(?P<code2>[A-ZĐ]{{1,4}}-{_CODE}))"
)
_NUMBER_AT = re.compile(_NUMBER)
_NUMBER_SEARCH = re.compile(r"(?<![\d/])(?<!\d\.)" + _NUMBER)  # not inside a date or another number
# A date's year with a number glued on: "ngày 29/6/202443/2024/QH15", "…/5/2026.55/2026/TT-…".
_AFTER_DATE = re.compile(r"(?<=\d/)(?:19|20)\d\d\.?(?=\d{1,4}(?:\.\d{1,2})?/(?:19|20)\d\d)")
_TYPE_WORDS = re.compile(r"(?:(?:Luật|Nghị định|Thông tư|Nghị quyết|Quyết định)\s*)?(?:[Ss]ố)?")
_CELL_PREFIX = re.compile(r"(?<=[^\W\d_])(?:Luật|Nghị định|Thông tư|Nghị quyết|Quyết định)(?: số)?[ \t]*$")


def _trim_code(code: str, following: str) -> str:
    """Give back the letters of the next title that a glued issuer code swallowed."""
    parts = re.split(r"([-/_])", code)
    head, last = "".join(parts[:-1]), parts[-1]
    if last in _KNOWN_CODES or last[-2:].isdigit():
        return code
    for cut in range(len(last) - 1, 0, -1):
        if last[:cut] in _KNOWN_CODES:
            return head + last[:cut]
    if following[:1].islower():  # camel glue: "…BTPTrang chủ", "…NĐ-CP-Quy định"
        return head + last[:-1] if len(last) > 1 else head[:-1]
    return code


def _legal_token(text: str, m: re.Match[str]) -> tuple[int, int, str]:
    """Return (start, end, number) for a number match, fixing glued years and codes."""
    start, serial = m.start(), m.group("serial")
    whole, dot, _ = serial.partition(".")
    if len(whole) >= 4 and whole[:2] in ("19", "20") and (dot or len(whole) > 4):
        # A title ending in a year got the number glued on: "…Doanh nghiệp 202076/2025/QH15",
        # "…năm 2022.65/2025/TT-BTC".
        start += 4 + len(dot) if len(whole) == 4 else 4
    code = m.group("code") or m.group("code2")
    end = m.end()
    if code:
        trimmed = _trim_code(code, text[end:])
        end -= len(code) - len(trimmed)
    return start, end, text[start:end].rstrip("/-_")


def _legal_tokens(text: str) -> list[tuple[int, int, str]]:
    """All document numbers in order; a number may start right where the previous one ended
    or right after a date's year."""
    after_dates = [m.end() for m in _AFTER_DATE.finditer(text)]  # once, to stay linear
    tokens, pos, d = [], 0, 0
    while pos < len(text):
        while d < len(after_dates) and after_dates[d] < pos:
            d += 1
        m = _NUMBER_AT.match(text, pos) if tokens and pos == tokens[-1][1] else None
        m = m or _NUMBER_SEARCH.search(text, pos)
        if d < len(after_dates) and (m is None or after_dates[d] < m.start()):
            m = _NUMBER_AT.match(text, after_dates[d]) or m
        if m is None:
            break
        tok = _legal_token(text, m)
        tokens.append(tok)
        pos = max(tok[1], m.start() + 1)
    return tokens


def _is_number_cell(text: str, tokens: list[tuple[int, int, str]], k: int) -> bool:
    """A "Mã văn bản" cell is glued to its title or to the next title; a mention is not."""
    start, end, number = tokens[k]
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    # "…Môi trườngNghị định số 131/2025/NĐ-CP": the cell repeats the type and is glued on.
    prefix = _CELL_PREFIX.search(text, max(0, start - 20), start)
    prefixed = prefix is not None and text[prefix.start() - 1].islower()
    glued_left = start > 0 and not text[start - 1].isspace() and text[start - 1] != "("
    after = text[end : end + 1]
    if after.isdigit():
        # Another number follows: "…theo Luật số 37/2024/QH1519/2024/TT-BTP" quotes the first in
        # the title, but a glued-on cell may be followed by a title that is a bare number
        # ("…dụngLuật số 32/2024/QH1561/2025/TT-NHNN…", "Luật thú y79/2015/QH1324/2022/…").
        if nxt is None or nxt[0] != end or nxt[2] == number:
            return False
        # … or when the next two numbers are a row of their own ("…NĐ 23/2026/NĐ-CP" followed
        # by "14/2025/TT-BNNMT14/2025/TT-BNNMT").
        return prefixed or glued_left or _repeated(text, nxt, tokens[k + 2] if k + 2 < len(tokens) else None)
    if text.startswith(("ngày", "của"), end):  # "Thông tư số 53/2025/TT-BCAngày 01/7/2025 …"
        return False
    return glued_left or prefixed or after.isalpha() or not text[end:].strip()


def _repeated(text: str, tok: tuple[int, int, str], nxt: tuple[int, int, str] | None) -> bool:
    """True when the next number is the same one again, only type words between: the first is
    the end of the title and the second is the cell ("Luật 04/2017/QH1404/2017/QH14",
    "73/2025/TT-NHNNSố 73/2025/TT-NHNN", "Nghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CP")."""
    if nxt is None or nxt[2] != tok[2]:
        return False
    return _TYPE_WORDS.fullmatch(text[tok[1] : nxt[0]].strip()) is not None


def _glue_in_title(title: str) -> int | None:
    """Index of a sign that two rows ran together inside ``title``, if any: a "lower|Upper
    lower" junction ("…Đầu tư côngLuật số 58…") or a number glued to a word or to another
    number ("…QĐ-NHNN792/2000/…")."""
    for i in range(1, len(title) - 1):
        if title[i - 1].islower() and title[i].isupper() and title[i + 1].islower():
            return i
    for start, end, _ in _legal_tokens(title):
        if (start > 0 and title[start - 1].isalnum()) or title[end : end + 1].isdigit():
            return start
    return None


def _legal_item(title: str, number: str) -> tuple[LegalBasisRow, str | None]:
    """Build one LegalBasisRow; a missing number cell is filled from the title if it has one."""
    title = title.strip()
    if title.startswith("Trang chủ"):  # page chrome caught between rows
        title = title[len("Trang chủ") :].strip()
    if number:
        prefix = _CELL_PREFIX.search(title)
        if prefix and title[prefix.start() - 1].islower():  # "…Việt NamLuật 47/2014/QH13"
            title = title[: prefix.start()].strip()
        if not title:
            return LegalBasisRow(title, number), f"số {number} không có tên văn bản"
    else:  # no number cell: use the first number quoted in the title, if any
        number = next((tok[2] for tok in _legal_tokens(title)), "")
        if not number:
            return LegalBasisRow(title, ""), f"không tìm thấy số hiệu: '{short(title)}'"
    glue = _glue_in_title(title)
    if glue is not None:  # two rows run together: a number cell is missing or truncated
        excerpt = short(title[max(0, glue - 30) : glue + 30])
        return LegalBasisRow(title, number), f"tên văn bản dính liền: '{excerpt}'"
    return LegalBasisRow(title, number), None


def parse_legal_basis(text: str) -> Parsed[LegalBasisRow]:
    """Parse "Tên văn bản pháp lý | Mã văn bản" into (title, number) pairs.

    Numbers look like 123/2015/NĐ-CP, 47/2014/QH13, 66.7/2025/NQ-CP, 1898/QĐ-BTP or a bare
    167/2025. A number counts as the row's number cell when it is glued to the text around it;
    numbers quoted inside a title stay in the title. Trailing text with no number anywhere is
    kept as an item with number "" and reported.
    """
    body = clean(text)
    if is_no_information(body):
        return done([], [])
    body = strip_header(body, _LEGAL_HEADER)
    items: list[LegalBasisRow] = []
    problems: list[str] = []
    pos, pair = 0, (-1, 0)  # pair: (index of a repeated number's cell, where its title ends)
    tokens = _legal_tokens(body)
    for k, (start, end, number) in enumerate(tokens):
        if start < pos:
            continue
        if _repeated(body, tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None):
            pair = (k + 1, end)
        elif pair[0] != k and not body[pos:start].strip():
            continue  # a number opening a title ("…QH1326/2005/PL-UBTVQH11 - Ưu đãi…")
        elif _is_number_cell(body, tokens, k):
            item, problem = _legal_item(body[pos : pair[1] if pair[0] == k else start], number)
            items.append(item)
            problems += [problem] if problem else []
            pos = end
    if body[pos:].strip() and not is_no_information(body[pos:]):
        item, problem = _legal_item(body[pos:], "")
        items.append(item)
        problems += [problem] if problem else []
    return done(items, problems)
