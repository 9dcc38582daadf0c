"""Tests for portal.catalog.parsing: the result field, the list fields, and what every parser does with empty,
missing, NUL-filled, garbage and very long text. The tables have their own files (test_parsing_channels.py, …).

Record ids (ma_thu_tuc) are given next to real snippets; "synthetic" marks shapes the 2026 data does not contain.
"""

import random
import unicodedata
from decimal import Decimal

import pytest

from portal.catalog.parsing import (
    has_online_submission,
    is_no_information,
    parse_agencies,
    parse_applicants,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_levels,
    parse_result,
    parse_result_codes,
    parse_steps,
)
from tests.catalog.parsing_tables import CH, CHROME, DOC, LEG

ALL_PARSERS = [
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_result,
    parse_result_codes,
    has_online_submission,
    parse_levels,
    parse_applicants,
    parse_agencies,
    parse_steps,
    is_no_information,
]
PARSED_PARSERS = [parse_channels, parse_documents, parse_legal_basis, parse_result]


# -------------------------------------------------------------------------------------- result

RESULT_CASES = [
    pytest.param(  # 1.000253
        "Phiếu khai báo tạm trú được cơ quan Công an xác nhận.Mã: KQ.G01.00263" + CHROME,
        ["Phiếu khai báo tạm trú được cơ quan Công an xác nhận."],
        ["KQ.G01.00263"],
        True,
        id="single",
    ),
    pytest.param(  # 1.001660: two results, next name glued to the code
        "Quyết định sửa đổi Giấy phépMã: KQ.G19.000505Văn bản từ chối cấp Quyết địnhMã: KQ.G19.000506"
        + CHROME,
        ["Quyết định sửa đổi Giấy phép", "Văn bản từ chối cấp Quyết định"],
        ["KQ.G19.000505", "KQ.G19.000506"],
        True,
        id="two",
    ),
    pytest.param(  # 1.008617: chrome without the filing button
        "Xác nhận hàng hóa tạm nhập trên sổ ATAMã: KQ.G12.000387Từ khóaKhông có thông "
        "tinMô tảKhông có thông tin",
        ["Xác nhận hàng hóa tạm nhập trên sổ ATA"],
        ["KQ.G12.000387"],
        False,
        id="no-button",
    ),
    pytest.param(  # 3.000163: letter-only code at the very end
        "Văn bản tố tụng của Tòa án theo tiến trình giải quyếtMã: VBTT",
        ["Văn bản tố tụng của Tòa án theo tiến trình giải quyết"],
        ["VBTT"],
        False,
        id="letter-code",
    ),
    pytest.param(  # 1.009465: ministry-style code
        "Văn bản chấp thuận phương án bảo đảm an toàn giao thông.Mã: 000.00.00.G04-KQ3336" + CHROME,
        ["Văn bản chấp thuận phương án bảo đảm an toàn giao thông."],
        ["000.00.00.G04-KQ3336"],
        True,
        id="long-code",
    ),
    pytest.param(  # 1.014966: junk codes glued to the next name
        "Quyết định cấp lại chứng chỉ hành nghề Quản tài viênMã: utwChứng chỉ hành nghề Quản tài viênMã: sgga"
        + CHROME,
        ["Quyết định cấp lại chứng chỉ hành nghề Quản tài viên", "Chứng chỉ hành nghề Quản tài viên"],
        ["utw", "sgga"],
        True,
        id="junk-codes",
    ),
    pytest.param(  # 1.001675-style: next name starts in lower case
        "Quyết địnhMã: KQ.G12.000231văn bản từ chốiMã: KQ.G12.000232" + CHROME,
        ["Quyết định", "văn bản từ chối"],
        ["KQ.G12.000231", "KQ.G12.000232"],
        True,
        id="lower-case-name",
    ),
    pytest.param("", [], [], False, id="empty"),  # 2.001241
]


@pytest.mark.parametrize(("text", "names", "codes", "online"), RESULT_CASES)
def test_parse_result(text, names, codes, online):
    parsed = parse_result(text)
    assert parsed.items == names
    assert parsed.complete
    assert parse_result_codes(text) == codes
    assert has_online_submission(text) is online


def test_result_code_without_name_is_reported():
    parsed = parse_result("Mã: KQ.G01.000001" + CHROME)
    assert parsed.items == []
    assert not parsed.complete


# ---------------------------------------------------------------------------------- list fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cấp bộ, Cấp tỉnh, Cấp xã", ["Cấp bộ", "Cấp tỉnh", "Cấp xã"]),
        ("Cấp tỉnh", ["Cấp tỉnh"]),
        ("Cấp xã, Cơ quan khác", ["Cấp xã", "Cơ quan khác"]),
        ("", []),
        ("Không có thông tin", []),
        (" Cấp tỉnh ,, Cấp xã ", ["Cấp tỉnh", "Cấp xã"]),
    ],
)
def test_parse_levels(text, expected):
    assert parse_levels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp",
            ["Công dân Việt Nam", "Tổ chức (không bao gồm doanh nghiệp, HTX)", "Doanh nghiệp"],
        ),
        ("Tổ chức (không bao gồm doanh nghiệp, HTX)", ["Tổ chức (không bao gồm doanh nghiệp, HTX)"]),
        (
            "Công dân Việt Nam, Cán bộ, công chức, viên chức",
            ["Công dân Việt Nam", "Cán bộ, công chức, viên chức"],
        ),
        (
            "Doanh nghiệp có vốn đầu tư nước ngoài, Hợp tác xã",
            ["Doanh nghiệp có vốn đầu tư nước ngoài", "Hợp tác xã"],
        ),
        ("Người Việt Nam định cư ở nước ngoài", ["Người Việt Nam định cư ở nước ngoài"]),
        ("Đảng viên, Tổ chức Đảng", ["Đảng viên", "Tổ chức Đảng"]),
        ("Không có thông tin", []),
        ("", []),
    ],
)
def test_parse_applicants(text, expected):
    assert parse_applicants(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Cục cảnh sát quản lý hành chính về trật tự, xã hội, Công an tỉnh",
            ["Cục cảnh sát quản lý hành chính về trật tự, xã hội", "Công an tỉnh"],
        ),
        ("Ủy ban Nhân dân\xa0xã,\xa0phường,\xa0thị trấn.", ["Ủy ban Nhân dân xã, phường, thị trấn."]),
        (
            "Cục Thuế - Bộ tài chính, Thuế tỉnh, thành phố, Thuế cơ sở",
            ["Cục Thuế - Bộ tài chính", "Thuế tỉnh, thành phố", "Thuế cơ sở"],
        ),
        ("Sở Tài chính các tỉnh, thành phố", ["Sở Tài chính các tỉnh, thành phố"]),
        (
            "Cục Quản lý và Xây dựng công trình thuỷ lợi -  Bộ NN và MT",
            ["Cục Quản lý và Xây dựng công trình thuỷ lợi - Bộ NN và MT"],
        ),
        (
            "Văn phòng đăng ký đất đai, Chi nhánh Văn phòng đăng ký đất đai",
            ["Văn phòng đăng ký đất đai", "Chi nhánh Văn phòng đăng ký đất đai"],
        ),
        ("Không có thông tin", []),
    ],
)
def test_parse_agencies(text, expected):
    assert parse_agencies(text) == expected


STEP_CASES = [
    pytest.param(  # 1.000253: continuation lines stay with their step
        "Bước 1: Người khai báo tiếp nhận thông tin.\nBước 2: Khai, nộp Phiếu khai "
        "báo.\nCán bộ trực ban tiếp nhận:\n"
        "Nếu đầy đủ thì tiếp nhận;\nBước 3: Nhận lại Phiếu.",
        [
            "Bước 1: Người khai báo tiếp nhận thông tin.",
            "Bước 2: Khai, nộp Phiếu khai báo.\nCán bộ trực ban tiếp nhận:\nNếu đầy đủ thì tiếp nhận;",
            "Bước 3: Nhận lại Phiếu.",
        ],
        id="plain",
    ),
    pytest.param(  # bullets "- Bước n:"
        "- Bước 1: Nộp hồ sơ:\nTổ chức nộp 01 bộ hồ sơ.\n- Bước 2: Tiếp nhận, kiểm tra "
        "hồ sơ:\n+ Trường hợp hợp lệ.",
        [
            "- Bước 1: Nộp hồ sơ:\nTổ chức nộp 01 bộ hồ sơ.",
            "- Bước 2: Tiếp nhận, kiểm tra hồ sơ:\n+ Trường hợp hợp lệ.",
        ],
        id="dash-bullets",
    ),
    pytest.param(  # "a) Bước 1." lettered, full stop after the number
        "a) Bước 1. Nộp hồ sơ\nTổ chức nộp hồ sơ.\nb) Bước 2: Tiếp nhận và kiểm tra hồ sơ",
        ["a) Bước 1. Nộp hồ sơ\nTổ chức nộp hồ sơ.", "b) Bước 2: Tiếp nhận và kiểm tra hồ sơ"],
        id="lettered",
    ),
    pytest.param(  # preamble kept as a leading item
        "a) Đối với công dân đã được cấp thẻ.\nBước 1: Công dân đến Công an cấp "
        "xã.\nBước 2: Công dân xuất trình thẻ.",
        [
            "a) Đối với công dân đã được cấp thẻ.",
            "Bước 1: Công dân đến Công an cấp xã.",
            "Bước 2: Công dân xuất trình thẻ.",
        ],
        id="preamble",
    ),
    pytest.param(  # marker after a full stop on the same line
        "Bước 1: Nộp hồ sơ tại cơ quan cấp giấy. Bước 2: Cơ quan kiểm tra để hoàn thiện.",
        ["Bước 1: Nộp hồ sơ tại cơ quan cấp giấy.", "Bước 2: Cơ quan kiểm tra để hoàn thiện."],
        id="inline",
    ),
    pytest.param(  # a mention mid-sentence is not a marker
        "Tổ chức nộp hồ sơ theo Bước 2 của quy trình.\nCơ quan trả kết quả.",
        ["Tổ chức nộp hồ sơ theo Bước 2 của quy trình.\nCơ quan trả kết quả."],
        id="no-markers",
    ),
    pytest.param("Không có thông tin", [], id="no-info"),
]


@pytest.mark.parametrize(("text", "expected"), STEP_CASES)
def test_parse_steps(text, expected):
    assert parse_steps(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("   \n", True),
        ("Không có thông tin", True),
        ("  không  có THÔNG tin ", True),
        ("Không có thông tin.", True),
        ("\x00Không có\xa0thông tin\x00", True),
        (unicodedata.normalize("NFD", "Không có thông tin"), True),
        ("Không", False),
        ("Công an xã", False),
    ],
)
def test_is_no_information(text, expected):
    assert is_no_information(text) is expected


# ---------------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("parser", PARSED_PARSERS)
@pytest.mark.parametrize("text", ["", "Không có thông tin", "  KHÔNG CÓ THÔNG TIN  "])
def test_no_information_gives_empty_complete_result(parser, text):
    parsed = parser(text)
    assert parsed.items == []
    assert parsed.complete
    assert parsed.problems == []


@pytest.mark.parametrize("parser", [parse_channels, parse_documents, parse_legal_basis])
def test_garbage_is_incomplete(parser):
    parsed = parser("lorem ipsum dolor sit amet")
    assert not parsed.complete
    assert parsed.problems


@pytest.mark.parametrize("parser", ALL_PARSERS)
def test_nul_bytes_are_ignored(parser):
    text = {
        parse_channels: CH + "Trực tiếp7 Ngày\x00Miễn phí",
        parse_documents: "--" + DOC + "Tờ\x00 khai1 bản chính",
        parse_legal_basis: LEG + "Luật Doanh nghiệp59/2020/\x00QH14",
    }.get(parser, "Cấp\x00 tỉnh\x00")
    result = parser(text)
    assert "\x00" not in repr(result)


def test_nul_bytes_do_not_hide_structure():
    (channel,) = parse_channels(CH + "Trực tiếp7 Ngày\x00Miễn phí").items
    assert (channel.duration, channel.fee_free) == (Decimal(7), True)


def _garbage(size: int, seed: int) -> str:
    rng = random.Random(seed)
    pieces = [
        "Trực tiếp",
        "1",
        "Miễn phí",
        "(",
        ")",
        " bản chính",
        ".docx",
        "Mẫu",
        "/2020/",
        "NĐ-CP",
        "Mã: ",
        "KQ.G01.",
        "Bước 1:",
        "\n",
        " ",
        "\t",
        ".",
        ",",
        "Từ khóa",
        "Nộp hồ sơ",
        "\x00",
        "\xa0",
        "ạ",
        "Q",
    ]
    out, length = [], 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


@pytest.mark.parametrize("parser", ALL_PARSERS)
def test_ten_thousand_characters(parser):
    parser(_garbage(10_000, seed=1))


@pytest.mark.parametrize("parser", ALL_PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_garbage(100_000, seed=2), id="mixed"),
        pytest.param(" " * 100_000, id="spaces"),
        pytest.param("7" * 100_000, id="digits"),
        pytest.param("(" * 100_000, id="parens"),
        pytest.param("\n" + " \t" * 50_000 + "x", id="indent"),
        pytest.param("Trực tiếp1Miễn phí" * 5_000, id="rows"),
        pytest.param("1/2020/" + "A-" * 50_000, id="long-code"),
        pytest.param("Mã: " + "K" * 100_000, id="long-result-code"),
    ],
)
def test_hundred_kilobytes_finish(parser, text):
    # No timing assertion: a catastrophic regex would simply hang this test.
    parser(text)
