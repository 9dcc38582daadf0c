"""The submission table parser (``parse_channels``), table-driven with snippets copied from procedures.jsonl.

Record ids (ma_thu_tuc) are given next to real snippets; "synthetic" marks shapes the 2026 data does not contain.
"""

from decimal import Decimal

import pytest

from portal.catalog.parsing import (
    ChannelRow,
    parse_channels,
)
from tests.catalog.parsing_tables import CH


def _row(c: ChannelRow) -> tuple:
    return (c.kind, c.duration, c.duration_unit, c.fee_text, c.fee_free, c.fee_amount, c.description)


# ------------------------------------------------------------------------------------ channels

CHANNEL_CASES = [
    pytest.param(  # 1.003395: unit-less times, three channels
        CH + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
        [
            ("online", Decimal(1), "", "Miễn phí", True, 0, ""),
            ("postal", Decimal(1), "", "Miễn phí", True, 0, ""),
            ("direct", Decimal(1), "", "Miễn phí", True, 0, ""),
        ],
        True,
        id="unitless",
    ),
    pytest.param(  # 1.000253: "Ngày", fee "Không có thông tin", description
        CH + "Trực tiếp7 NgàyKhông có thông tinNộp trực tiếp tại trụ sở Công an cấp xã",
        [
            (
                "direct",
                Decimal(7),
                "day",
                "Không có thông tin",
                False,
                None,
                "Nộp trực tiếp tại trụ sở Công an cấp xã",
            )
        ],
        True,
        id="day-no-info-fee",
    ),
    pytest.param(  # 1.115146: descriptions contain "Trực tiếp"/"Trực tuyến" mid-text
        CH + "Trực tiếp7 Ngày làm việcKhông có thông tin- Trực tiếp tại cơ quan, đơn vị tiếp nhận hồ sơ.\n"
        "07 ngày làm việc kể từ ngày nhận được hồ sơ.Trực tuyến7 Ngày làm việcKhông có thông tin- Trực tuyến "
        "(Trong trường hợp hệ thống thông tin quốc gia về đầu tư).\n07 ngày làm việc kể "
        "từ ngày nhận được hồ sơ.",
        [
            (
                "direct",
                Decimal(7),
                "working_day",
                "Không có thông tin",
                False,
                None,
                "- Trực tiếp tại cơ quan, đơn vị tiếp nhận hồ sơ.\n07 ngày làm việc kể từ ngày "
                "nhận được hồ sơ.",
            ),
            (
                "online",
                Decimal(7),
                "working_day",
                "Không có thông tin",
                False,
                None,
                "- Trực tuyến (Trong trường hợp hệ thống thông tin quốc gia về đầu tư).\n"
                "07 ngày làm việc kể từ ngày nhận được hồ sơ.",
            ),
        ],
        True,
        id="label-inside-description",
    ),
    pytest.param(  # 1.000079-style: amount with "," thousands and a nested note
        CH + "Trực tiếp15 Ngày làm việc800,000 Việt Nam Đồng((áp dụng mức phí 400.000 đồng/hồ sơ))Nộp tại Sở",
        [
            (
                "direct",
                Decimal(15),
                "working_day",
                "800,000 Việt Nam Đồng((áp dụng mức phí 400.000 đồng/hồ sơ))",
                False,
                800000,
                "Nộp tại Sở",
            )
        ],
        True,
        id="amount-with-note",
    ),
    pytest.param(  # 1.008312: time cell "Không quy định"
        CH + "Trực tiếpKhông quy địnhMiễn phíTại TTPVHCC cấp tỉnh, xã",
        [("direct", None, "", "Miễn phí", True, 0, "Tại TTPVHCC cấp tỉnh, xã")],
        True,
        id="time-not-specified",
    ),
    pytest.param(  # 1.007689: free-text time cell
        CH + "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíBằng phương thức điện tử.",
        [("online", None, "", "Miễn phí", True, 0, "Bằng phương thức điện tử.")],
        True,
        id="free-text-time",
    ),
    pytest.param(  # 1.005400: description "a) …" glued to "Miễn phí"
        CH + "Trực tiếp29 NgàyMiễn phía) Cách thức nộp hồ sơ: trực tiếp.",
        [("direct", Decimal(29), "day", "Miễn phí", True, 0, "a) Cách thức nộp hồ sơ: trực tiếp.")],
        True,
        id="description-glued-to-fee",
    ),
    pytest.param(  # 1.014265: "(1) …" after "Không có thông tin" is description, not a fee note
        CH + "Trực tiếpKhông có thông tinKhông có thông tin(1) Trường hợp cấp lại giấy phép",
        [("direct", None, "", "Không có thông tin", False, None, "(1) Trường hợp cấp lại giấy phép")],
        True,
        id="enumeration-after-no-info",
    ),
    pytest.param(  # 1.009055 / 1.014314: hours and months
        CH + "Trực tuyến1 GiờMiễn phíTrực tiếp12 ThángMiễn phí",
        [
            ("online", Decimal(1), "hour", "Miễn phí", True, 0, ""),
            ("direct", Decimal(12), "month", "Miễn phí", True, 0, ""),
        ],
        True,
        id="hour-month",
    ),
    pytest.param(  # 2.000460-style: USD is kept as text, not converted to đồng
        CH + "Trực tuyến5 Ngày làm việc25 USD(Cấp thị thực có giá trị một lần)",
        [("online", Decimal(5), "working_day", "25 USD(Cấp thị thực có giá trị một lần)", False, None, "")],
        True,
        id="usd",
    ),
    pytest.param(  # 1.011606-style: same channel twice, different cases
        CH + "Trực tiếp12 Ngày làm việcMiễn phíTrường hợp cấp mớiTrực tiếp2 Ngày làm việcMiễn "
        "phíTrường hợp cấp lại",
        [
            ("direct", Decimal(12), "working_day", "Miễn phí", True, 0, "Trường hợp cấp mới"),
            ("direct", Decimal(2), "working_day", "Miễn phí", True, 0, "Trường hợp cấp lại"),
        ],
        True,
        id="repeated-channel",
    ),
    pytest.param(  # 1.000014: "1" + "20 VNĐ" or "12" + "0 VNĐ"? reported, not guessed
        CH + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)",
        [
            ("online", None, "", "120 VNĐ(20.000 vnđ /tờ khai)", False, None, ""),
            ("direct", None, "", "120 VNĐ(20.000 vnđ /tờ khai)", False, None, ""),
        ],
        False,
        id="time-glued-to-amount",
    ),
    pytest.param(  # 1.007854-style: amount entered in thousands ("20 VNĐ" for 20.000 đồng)
        CH + "Trực tuyến15 Ngày20 VNĐ(20.000 vnđ /tờ khai)",
        [("online", Decimal(15), "day", "20 VNĐ(20.000 vnđ /tờ khai)", False, None, "")],
        False,
        id="implausible-amount",
    ),
    pytest.param(  # synthetic: decimal time, "Lệ phí :" label, "." thousands
        CH + "Trực tiếp0.5 NgàyLệ phí : 1.000.000 ĐồngNộp tại xã",
        [("direct", Decimal("0.5"), "day", "Lệ phí : 1.000.000 Đồng", False, 1000000, "Nộp tại xã")],
        True,
        id="decimal-time-labelled-fee",
    ),
    pytest.param(  # synthetic: a clear zero amount is free
        CH + "Trực tiếp1 Ngày0 VNĐ",
        [("direct", Decimal(1), "day", "0 VNĐ", True, 0, "")],
        True,
        id="zero-amount",
    ),
]


@pytest.mark.parametrize(("text", "rows", "complete"), CHANNEL_CASES)
def test_parse_channels(text, rows, complete):
    parsed = parse_channels(text)
    assert [_row(c) for c in parsed.items] == rows
    assert parsed.complete is complete
    assert bool(parsed.problems) is not complete


def test_channel_keeps_label_and_raw_time():
    (channel,) = parse_channels(CH + "Dịch vụ bưu chính14 Ngày làm việcMiễn phí").items
    assert channel.label == "Dịch vụ bưu chính"
    assert channel.duration_text == "14 Ngày làm việc"


def test_channel_text_before_first_row_is_reported():
    parsed = parse_channels(CH + "ghi chú lạcTrực tiếp1Miễn phí")
    assert len(parsed.items) == 1
    assert not parsed.complete
