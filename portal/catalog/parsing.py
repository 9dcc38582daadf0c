"""Parsers for the flattened tables of the national procedure catalogue (dichvucong.gov.vn).

The scraped fields are web tables whose cells run together ("Trực tuyến1Miễn phíTrực tiếp1Miễn phí").
Each parser here recovers what structure it can and reports honestly what it could not:
``Parsed.complete`` is False whenever some source text was not attributed to an item or a value
could only be had by guessing; ``Parsed.problems`` says why, in a short human-readable line.

All functions are pure (standard library only), accept any ``str`` (empty, garbage, NUL bytes,
decomposed Unicode) without raising, and run in roughly linear time: every regular expression
has bounded or non-nested repetition, so hostile input cannot trigger catastrophic backtracking.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

NO_INFO = "Không có thông tin"


@dataclass(frozen=True)
class Channel:
    """One row of the submission table: a channel with its time, fee and description.

    ``fee_amount`` is the fee cell's own amount in đồng (0 for "Miễn phí"); amounts mentioned in
    the note or description are left in ``fee_text``/``description``. It is None for "Không có
    thông tin", foreign currency (USD stays in ``fee_text``) and figures reported as doubtful.
    """

    kind: str  # "direct" | "online" | "postal"
    label: str  # Vietnamese label as in the text
    duration: Decimal | None
    duration_unit: str  # "working_day" | "day" | "hour" | "month" | ""
    fee_text: str  # the whole fee cell, note in parentheses included
    fee_free: bool
    fee_amount: int | None  # đồng; 0 when free; None when absent, foreign currency or doubtful
    description: str
    duration_text: str = ""  # the raw time cell ("7 Ngày làm việc", "Không quy định", free text)


@dataclass(frozen=True)
class RequiredDocument:
    """One required document; ``originals``/``copies`` are None when the count cell omits them."""

    name: str
    templates: tuple[str, ...]
    originals: int | None
    copies: int | None
    case: str


@dataclass(frozen=True)
class LegalDocument:
    """One legal basis row; ``number`` is "" when no document number was found."""

    title: str
    number: str


@dataclass
class Parsed[T]:
    """Parser output: ``complete`` is True exactly when ``problems`` is empty."""

    items: list[T]
    complete: bool
    problems: list[str] = field(default_factory=list)


def _clean(text: str | None) -> str:
    """Return ``text`` as NFC without NUL bytes; the portal mixes composed and decomposed accents."""
    return unicodedata.normalize("NFC", (text or "").replace("\x00", ""))


def _squeeze(text: str) -> str:
    """Collapse runs of spaces and tabs (the portal pads names with them) and strip the ends."""
    return re.sub(r"[ \t\xa0]+", " ", text).strip()


# A list mark the source left in front of a name (". Đăng ký thuế…", "- Văn bản đề nghị…", "+ Tờ khai…").
_LEADING_MARK = re.compile(r"^(?:[.\-–+•*][ \t]+)+")
_LINE_SPACES = re.compile(r"[ \t\xa0\u2007\u202f]+")
_SPACES_AT_LINE_ENDS = re.compile(r" ?(\r\n|\r|\n) ?")


def tidy_text(text: str | None) -> str:
    """Text as stored: NFC, no NUL, runs of spaces (tabs, no-break spaces) as one space, lines kept but not their
    leading and trailing spaces, and nothing around the whole. Applying it again changes nothing."""
    text = _LINE_SPACES.sub(" ", _clean(text))
    return _SPACES_AT_LINE_ENDS.sub("\n", text).strip()


def tidy_name(text: str | None) -> str:
    """A name as stored and listed: ``tidy_text`` on one line, without a list mark in front or a ";" at the end.

    ". Đăng ký thuế" → "Đăng ký thuế", "Giấy khai sinh;" → "Giấy khai sinh". A name that is nothing but marks stays
    as it was rather than becoming empty. Applying it again changes nothing.
    """
    line = " ".join(_clean(text).split())
    name = _LEADING_MARK.sub("", line).rstrip(" ;")
    return name or line


def _short(text: str, limit: int = 60) -> str:
    """Return a one-line excerpt for problem messages."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _done[T](items: list[T], problems: list[str]) -> Parsed[T]:
    """Wrap a result; it is complete exactly when nothing was reported."""
    return Parsed(items=items, complete=not problems, problems=problems)


def is_no_information(text: str) -> bool:
    """True for "", whitespace and "Không có thông tin" in any case or spacing."""
    norm = " ".join(_clean(text).split()).casefold().rstrip(".")
    return norm in ("", NO_INFO.casefold())


def _strip_header(text: str, header: str) -> str:
    """Drop the table header (and anything before it that is only dashes or blank)."""
    head, sep, rest = text.partition(header)
    return rest if sep and not head.strip(" -\t\n") else text


def _balanced_end(text: str, start: int) -> int | None:
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


# ---------------------------------------------------------------- channels (cach_thuc_thuc_hien)

_CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNEL_KINDS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
_CHANNEL_LABEL = re.compile("|".join(_CHANNEL_KINDS))
_UNITS = {"ngày làm việc": "working_day", "ngày": "day", "giờ": "hour", "tháng": "month"}
_TIME_NUM = re.compile(r"(\d{1,6}(?:[.,]\d{1,3})?)[ \t]*(ngày làm việc|ngày|giờ|tháng)?", re.I)
_TIME_WORDS = re.compile(r"(?:Không có thông tin|Không quy định|Không)[ \t]*")
_CURRENCY = r"(?P<cur>Việt Nam Đồng|VNĐ|Đồng|USD)"
_AMOUNT = r"(?:(?:Lệ phí|Phí)[ \t]*:[ \t]*)?(?P<amt>\d{1,3}(?:[.,]\d{3})+|\d{1,12})[ \t]*" + _CURRENCY
_FEE = re.compile(r"Miễn phí|Không có thông tin|" + _AMOUNT, re.I)
# Unit-less digits glued to an amount ("120 VNĐ" = time 1 + fee 20? or 12 + 0?) cannot be split.
_GLUED_TIME_FEE = re.compile(r"\d[\d.,]{0,20}[ \t]*" + _CURRENCY, re.I)
_FREE_TIME_LIMIT = 300  # a free-text time cell longer than this is more likely a misread row


def _row_starts(text: str) -> list[re.Match[str]]:
    """Channel labels that begin a row: a row's time cell follows glued (digit or capital).

    Descriptions mention channels too ("Trực tiếp tại Công an xã", "…: nộp hồ sơ trực tuyến"),
    but there the label is followed by a space or lower-case text.
    """
    starts = []
    for m in _CHANNEL_LABEL.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if nxt and (nxt.isdigit() or nxt.isupper()):
            starts.append(m)
    return starts


def _split_time(seg: str) -> tuple[str, Decimal | None, str, int] | None:
    """Split the time cell off a row body: (raw time text, duration, unit, fee start) or None."""
    m = _TIME_NUM.match(seg)
    if m and _FEE.match(seg, m.end()):
        unit = _UNITS[m.group(2).lower()] if m.group(2) else ""
        return seg[: m.end()].strip(), Decimal(m.group(1).replace(",", ".")), unit, m.end()
    m = _TIME_WORDS.match(seg)
    if m and _FEE.match(seg, m.end()):
        return m.group(0).strip(), None, "", m.end()
    m = _FEE.search(seg, 1, _FREE_TIME_LIMIT)
    if m:  # free text ("Không phải trả kết quả cho người nộp thuế"): no duration
        return seg[: m.start()].strip(), None, "", m.start()
    return None


def _fee_value(fee: re.Match[str]) -> tuple[bool, int | None, str | None]:
    """Interpret a fee cell: (free, amount in đồng, problem or None)."""
    if fee.group(0).casefold() == "miễn phí":
        return True, 0, None
    if fee.group("amt") is None:  # "Không có thông tin"
        return False, None, None
    amount = int(re.sub(r"[.,]", "", fee.group("amt")))
    if fee.group("cur").upper() == "USD":
        return amount == 0, None, None  # not đồng; fee_text keeps it
    # The portal's amount field is often filled in thousands ("100 VNĐ" beside the note
    # "100.000 đồng/lần", "50 VNĐ"): no fee is below 1.000 đồng, so such a figure is not used.
    if 0 < amount < 1000:
        return False, None, f"số tiền {amount} đồng không hợp lý (có lẽ tính theo nghìn)"
    return amount == 0, amount, None


def _with_note(seg: str, start: int, end: int) -> tuple[str, str, bool]:
    """Extend the fee cell ``seg[start:end]`` over a glued "(note)".

    Returns (fee text, description, note closed). An unclosed note swallows the rest of the
    row, since the description cannot be told apart from it; the caller reports that.
    """
    pos = end
    while pos < len(seg) and seg[pos] in " \t":
        pos += 1
    closed = True
    if pos < len(seg) and seg[pos] == "(":
        close = _balanced_end(seg, pos)
        closed = close is not None
        end = close if closed else len(seg)
    return seg[start:end].strip(), seg[end:].strip(), closed


def _parse_channel_row(label: str, seg: str) -> tuple[Channel | None, list[str]]:
    """Parse one row body (text after the label up to the next row) into a Channel."""
    kind = _CHANNEL_KINDS[label]
    glued = _GLUED_TIME_FEE.match(seg)
    if glued:
        fee_text, desc, _ = _with_note(seg, 0, glued.end())
        problem = f"{label}: thời gian và phí dính liền, không tách được ({_short(fee_text, 30)})"
        return Channel(kind, label, None, "", fee_text, False, None, desc), [problem]
    split = _split_time(seg)
    if split is None:
        return None, [f"{label}: không nhận ra thời gian/phí trong '{_short(seg)}'"]
    time_text, duration, unit, fee_start = split
    fee = _FEE.match(seg, fee_start)
    closed = True
    if fee.group(0).casefold() == NO_INFO.casefold():
        # No note follows "Không có thông tin"; a "(1) …" there opens the description.
        fee_text, desc = fee.group(0), seg[fee.end() :].strip()
    else:
        fee_text, desc, closed = _with_note(seg, fee_start, fee.end())
    free, amount, problem = _fee_value(fee)
    problems = [f"{label}: {problem}"] if problem else []
    if not closed:
        problems.append(f"{label}: ghi chú phí thiếu dấu ')', mô tả có thể lẫn vào fee_text")
    return Channel(kind, label, duration, unit, fee_text, free, amount, desc, time_text), problems


def parse_channels(text: str) -> Parsed[Channel]:
    """Parse "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" into one Channel per row.

    Rows keep source order; a channel may appear several times (one row per case).
    ``duration`` is None when the time cell is not a number, ``fee_amount`` is None unless a
    single đồng amount is stated (0 for "Miễn phí"). Unit-less times glued to an amount
    ("Trực tuyến120 VNĐ") are reported as problems instead of being split by guesswork.
    """
    body = _clean(text)
    if is_no_information(body):
        return _done([], [])
    body = _strip_header(body, _CHANNEL_HEADER)
    starts = _row_starts(body)
    problems: list[str] = []
    if body[: starts[0].start() if starts else len(body)].strip():
        problems.append(f"văn bản không thuộc hàng nào: '{_short(body)}'")
    items = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        channel, row_problems = _parse_channel_row(m.group(0), body[m.end() : end])
        problems += row_problems
        if channel is not None:
            items.append(channel)
    return _done(items, problems)


# ------------------------------------------------------------ documents (thanh_phan_ho_so)

_DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# A count cell is glued to the text before it and to the next row after it; "01 bản sao có
# chứng thực…" (followed by a space) or "(01 bản chính)" are prose inside a name. After a digit
# ("…ngày 28/8/20201 bản chính") only one digit is taken: every count seen in the data is < 10.
_QTY = re.compile(
    r"(?:(?<![ \n\xa0(\d])(?P<a>\d{1,2})|(?<=\d)(?P<b>\d))"
    r" bản (?:chính(?:,[ \t]*(?P<copies>\d{1,2}) bản sao)?|(?P<only_copies>sao))(?!\s)"
)


def _count_cells(body: str) -> list[re.Match[str]]:
    """Count cells in order, skipping prose such as ": 01 bản chính" (two digits after a space);
    a longer run keeps its last digit as the count ("…Nghị định 1161 bản chính")."""
    cells, pos = [], 0
    while m := _QTY.search(body, pos):
        pos = m.start() + 1
        if m.group("b") is not None:
            run = m.start()
            while run > 0 and body[run - 1].isdigit():
                run -= 1
            if m.end("b") - run <= 2 and (run == 0 or body[run - 1] in " \n\xa0("):
                continue
        cells.append(m)
        pos = m.end()
    return cells


_EXT = re.compile(r"\.(?:docx|doc|xlsx|xls|pdf|rar|zip|odt)", re.I)
# Words that start a template file name ("Mẫu số 06.docx", "Mau 36 - Phu luc…", "TK 1.002381.docx").
_TEMPLATE_WORD = re.compile(r"Mẫu|Mau|MẪU|MAU|mẫu|mau|Mus|Phụ lục|Phu luc|PL|Phlc|PHLC|TK|BM|Biểu mẫu")
# Names often end "…theo mẫu" / "…theo quy định" with the file name glued on ("theo mẫuvăn bản…").
_TEMPLATE_AFTER = re.compile(r"(?:theo mẫu|quy định)(?=[^\W\d_])")
_TEMPLATE_WINDOW = 160


def _glue_points(text: str, lo: int) -> dict[str, list[int]]:
    """Places in ``text[lo:]`` where a new cell may have been glued on, by kind of evidence."""
    found: dict[str, list[int]] = {"word": [], "punct": [], "camel": [], "dot": []}
    for m in _TEMPLATE_WORD.finditer(text, lo):
        if m.start() > 0 and text[m.start() - 1] not in " \t\n-_(/":
            found["word"].append(m.start())
    found["word"] += [m.end() for m in _TEMPLATE_AFTER.finditer(text, lo)]
    for i in range(max(lo, 2), len(text)):
        before, prev, cur = text[i - 2], text[i - 1], text[i]
        if cur.isspace() or cur in ".,;:)-_":
            continue
        if prev in ";)”":
            found["punct"].append(i)
        elif prev.islower() and (cur.isupper() or cur.isdigit()):
            found["camel"].append(i)
        elif prev == "." and (before.isalpha() or before == ")" or cur.isupper()):
            found["dot"].append(i)  # "…Bộ Công an.12-Mẫu NA14.doc", "…30/6/2023.NA5.doc", not "1.2"
    return found


def _template_start(stem: str) -> int | None:
    """Where the first template file name starts in ``stem`` (the cell up to its extension).

    Evidence, strongest first: a glued "Mẫu…/Mau…/TK…" word, then ";" or ")", then lower→upper
    case, then a sentence full stop. Squashed file names ("1.MuCT01banhnhkmtheoThngts53") have
    inner case changes, so a full stop earlier in the same unbroken token wins over those.
    Without any evidence the cell is taken as a bare file name only when it plainly is one
    (short and starting "Mẫu…", or without spaces); otherwise None.
    """
    lo = max(0, len(stem) - _TEMPLATE_WINDOW)
    found = _glue_points(stem[: len(stem) - 1], lo)  # a file name has two characters at least
    kind = next((k for k in ("word", "punct", "camel", "dot") if found[k]), None)
    if kind is None:
        bare = lo == 0 and _TEMPLATE_WORD.match(stem) or not any(c.isspace() for c in stem)
        return 0 if bare else None
    start = max(found[kind])
    if kind == "camel":
        token_start = max(stem.rfind(" ", 0, start), stem.rfind("\n", 0, start)) + 1
        earlier = [p for p in found["dot"] if token_start <= p < start]
        start = min(earlier, default=start)
    return start


def _split_templates(cell: str) -> tuple[str, tuple[str, ...], str | None]:
    """Split "name + template file names" into (name, templates, problem or None).

    File names are glued after the name and to each other; each ends in an extension
    (.doc, .docx, .pdf, …). When the first one's start cannot be told, the whole cell stays
    the name and a problem is returned. The name is "" for a row that only has a file name.
    """
    exts = [m for m in _EXT.finditer(cell) if m.end() == len(cell) or cell[m.end()].isalnum()]
    if not exts or exts[-1].end() != len(cell):
        return _squeeze(cell), (), None
    start = _template_start(cell[: exts[0].start()])
    if start is None:
        return _squeeze(cell), (), f"không tách được tên mẫu khỏi '{_short(cell[-50:])}'"
    cuts = [start] + [m.end() for m in exts if m.end() > start]
    templates = tuple(_squeeze(cell[a:b]) for a, b in pairwise(cuts))
    return _squeeze(cell[:start]), templates, None


def _parse_doc_rows(body: str, case: str) -> tuple[list[RequiredDocument], str, list[str]]:
    """Parse one table body; return (documents, text after the last count, problems)."""
    docs, problems, pos = [], [], 0
    for m in _count_cells(body):
        name, templates, problem = _split_templates(body[pos : m.start()])
        pos = m.end()
        if problem:
            problems.append(problem)
        if not name and not templates:
            problems.append(f"số lượng '{m.group(0)}' không có tên giấy tờ")
            continue
        originals = None if m.group("only_copies") else int(m.group("a") or m.group("b"))
        copies = m.group("copies") or (m.group("a") or m.group("b") if m.group("only_copies") else None)
        docs.append(RequiredDocument(name, templates, originals, int(copies) if copies else None, case))
    return docs, body[pos:], problems


def _case_header(text: str) -> str:
    """The case text before a table; "--" (the portal's placeholder) means no case."""
    text = _squeeze(text)
    return "" if not text.strip("- ") else text


def parse_documents(text: str) -> Parsed[RequiredDocument]:
    """Parse "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng" tables into RequiredDocuments.

    Text before a table header is that table's case ("Trường hợp cấp lại…"); "--" means none.
    Each row ends at its count cell ("1 bản chính", "0 bản chính,1 bản sao", "1 bản sao");
    template file names are split off the end of the name. Text after the last row of the
    last table, or a name whose template boundary is unclear, makes the result incomplete.
    """
    body = _clean(text)
    if is_no_information(body) or body.strip() == "--":
        return _done([], [])
    parts = body.split(_DOC_HEADER)
    if len(parts) == 1:
        return _done([], [f"không có tiêu đề bảng giấy tờ: '{_short(body)}'"])
    items: list[RequiredDocument] = []
    problems: list[str] = []
    case = _case_header(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        docs, rest, row_problems = _parse_doc_rows(part, case)
        items += docs
        problems += row_problems
        if not docs:
            problems.append(f"bảng không có hàng nào: '{_short(part)}'")
        case = _case_header(rest)
        if i == len(parts) - 1 and case:
            problems.append(f"văn bản sau hàng cuối: '{_short(case)}'")
    return _done(items, problems)


# ------------------------------------------------------------- legal basis (can_cu_phap_ly)

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


def _legal_item(title: str, number: str) -> tuple[LegalDocument, str | None]:
    """Build one LegalDocument; a missing number cell is filled from the title if it has one."""
    title = title.strip()
    if title.startswith("Trang chủ"):  # page chrome caught between rows
        title = title[len("Trang chủ") :].strip()
    if number:
        prefix = _CELL_PREFIX.search(title)
        if prefix and title[prefix.start() - 1].islower():  # "…Việt NamLuật 47/2014/QH13"
            title = title[: prefix.start()].strip()
        if not title:
            return LegalDocument(title, number), f"số {number} không có tên văn bản"
    else:  # no number cell: use the first number quoted in the title, if any
        number = next((tok[2] for tok in _legal_tokens(title)), "")
        if not number:
            return LegalDocument(title, ""), f"không tìm thấy số hiệu: '{_short(title)}'"
    glue = _glue_in_title(title)
    if glue is not None:  # two rows run together: a number cell is missing or truncated
        excerpt = _short(title[max(0, glue - 30) : glue + 30])
        return LegalDocument(title, number), f"tên văn bản dính liền: '{excerpt}'"
    return LegalDocument(title, number), None


def parse_legal_basis(text: str) -> Parsed[LegalDocument]:
    """Parse "Tên văn bản pháp lý | Mã văn bản" into (title, number) pairs.

    Numbers look like 123/2015/NĐ-CP, 47/2014/QH13, 66.7/2025/NQ-CP, 1898/QĐ-BTP or a bare
    167/2025. A number counts as the row's number cell when it is glued to the text around it;
    numbers quoted inside a title stay in the title. Trailing text with no number anywhere is
    kept as an item with number "" and reported.
    """
    body = _clean(text)
    if is_no_information(body):
        return _done([], [])
    body = _strip_header(body, _LEGAL_HEADER)
    items: list[LegalDocument] = []
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
    return _done(items, problems)


# ---------------------------------------------------------------------- result (ket_qua_xu_ly)

_RESULT_CODE = re.compile(r"Mã:[ \t]*([A-Za-z0-9][A-Za-z0-9.\-_]{0,40})")
_CHROME = "Từ khóa"


def _split_result(text: str) -> tuple[str, str]:
    """Split the result field into (results part, page chrome from "Từ khóa" on)."""
    body = _clean(text)
    codes = list(_RESULT_CODE.finditer(body))
    cut = body.find(_CHROME, codes[-1].start(1) if codes else 0)
    return (body, "") if cut < 0 else (body[:cut], body[cut:])


def _code_end(text: str, start: int, end: int) -> int:
    """End of the result code that starts ``text[start:end]``, a run of code-like characters.

    The next name is glued on ("KQ.G12.000227Văn bản…", "…000231văn bản…", "…000245KBNN…"):
    codes with digits end at their last digit; others ("VBTT") at a capital followed by lower
    case.
    """
    digits = [i for i in range(start, end) if text[i].isdigit()]
    if digits:
        return digits[-1] + 1
    for i in range(start + 1, end):
        if text[i].isupper() and text[i + 1 : i + 2].islower():
            return i
    return end


def _result_pairs(results: str) -> list[tuple[str, str]]:
    """(name, code) pairs in order; a trailing name without code gets code ""."""
    pairs, pos = [], 0
    for m in _RESULT_CODE.finditer(results):
        end = _code_end(results, m.start(1), m.end(1))
        pairs.append((_squeeze(results[pos : m.start()]), results[m.start(1) : end]))
        pos = end
    if results[pos:].strip():
        pairs.append((_squeeze(results[pos:]), ""))
    return pairs


def parse_result(text: str) -> Parsed[str]:
    """Result names, in order, without the "Mã: …" codes and the page chrome after them."""
    if is_no_information(text):
        return _done([], [])
    results, _ = _split_result(text)
    names, problems = [], []
    for name, code in _result_pairs(results):
        if name:
            names.append(name)
        else:
            problems.append(f"mã kết quả {code or '?'} không có tên")
    return _done(names, problems)


def parse_result_codes(text: str) -> list[str]:
    """Result codes such as "KQ.G15.000031", in order of appearance."""
    results, _ = _split_result(text)
    return [code for _, code in _result_pairs(results) if code]


def has_online_submission(result_text: str) -> bool:
    """True when the page chrome ends with the portal's "Nộp hồ sơ" (online filing) button."""
    _, chrome = _split_result(result_text)
    return chrome.rstrip().endswith("Nộp hồ sơ")


# ---------------------------------------------------------------------------- simple lists


def _split_names(text: str) -> list[str]:
    """Split a comma list of names, keeping commas inside parentheses or before lower case.

    "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp" has two names;
    "Cán bộ, công chức, viên chức" and "Sở Tài chính các tỉnh, thành phố" have one each.
    """
    text = " ".join(_clean(text).replace("\xa0", " ").split())
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
    return [p.strip() for p in _clean(text).replace("\xa0", " ").split(",") if p.strip()]


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
    body = _clean(text).strip()
    if is_no_information(body):
        return []
    cuts = sorted({m.start() for m in _STEP.finditer(body)})
    bounds = [0] + [c for c in cuts if c > 0] + [len(body)]
    return [s for a, b in pairwise(bounds) if (s := body[a:b].strip())]
