"""The submission table (``cach_thuc_thuc_hien``): channel, time limit, fee and description per row."""

import re
from dataclasses import dataclass
from decimal import Decimal

from portal.catalog.parsing.text import (
    NO_INFO,
    Parsed,
    balanced_end,
    clean,
    done,
    is_no_information,
    short,
    strip_header,
)


@dataclass(frozen=True)
class ChannelRow:
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
        close = balanced_end(seg, pos)
        closed = close is not None
        end = close if closed else len(seg)
    return seg[start:end].strip(), seg[end:].strip(), closed


def _parse_channel_row(label: str, seg: str) -> tuple[ChannelRow | None, list[str]]:
    """Parse one row body (text after the label up to the next row) into a ChannelRow."""
    kind = _CHANNEL_KINDS[label]
    glued = _GLUED_TIME_FEE.match(seg)
    if glued:
        fee_text, desc, _ = _with_note(seg, 0, glued.end())
        problem = f"{label}: thời gian và phí dính liền, không tách được ({short(fee_text, 30)})"
        return ChannelRow(kind, label, None, "", fee_text, False, None, desc), [problem]
    split = _split_time(seg)
    if split is None:
        return None, [f"{label}: không nhận ra thời gian/phí trong '{short(seg)}'"]
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
    return ChannelRow(kind, label, duration, unit, fee_text, free, amount, desc, time_text), problems


def parse_channels(text: str) -> Parsed[ChannelRow]:
    """Parse "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" into one ChannelRow per row.

    Rows keep source order; a channel may appear several times (one row per case).
    ``duration`` is None when the time cell is not a number, ``fee_amount`` is None unless a
    single đồng amount is stated (0 for "Miễn phí"). Unit-less times glued to an amount
    ("Trực tuyến120 VNĐ") are reported as problems instead of being split by guesswork.
    """
    body = clean(text)
    if is_no_information(body):
        return done([], [])
    body = strip_header(body, _CHANNEL_HEADER)
    starts = _row_starts(body)
    problems: list[str] = []
    if body[: starts[0].start() if starts else len(body)].strip():
        problems.append(f"văn bản không thuộc hàng nào: '{short(body)}'")
    items = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        channel, row_problems = _parse_channel_row(m.group(0), body[m.end() : end])
        problems += row_problems
        if channel is not None:
            items.append(channel)
    return done(items, problems)
