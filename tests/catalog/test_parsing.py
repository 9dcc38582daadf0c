"""Tests for portal.catalog.parsing, table-driven with snippets copied from procedures.jsonl.

Record ids (ma_thu_tuc) are given next to real snippets; "synthetic" marks shapes the brief
asks for that the 2026 data does not contain.
"""

import random
import unicodedata
from decimal import Decimal

import pytest

from portal.catalog.parsing import (
    ChannelRow,
    LegalBasisRow,
    RequiredDocumentRow,
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

CH = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOC = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEG = "Tên văn bản pháp lýMã văn bản"
CHROME = (
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành"
    "-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị những cơ quan "
    "đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
)

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


# ----------------------------------------------------------------------------------- documents


def _doc(d: RequiredDocumentRow) -> tuple:
    return (d.case, d.name, d.templates, d.originals, d.copies)


DOCUMENT_CASES = [
    pytest.param(  # 1.000253: template glued after ")"
        "--"
        + DOC
        + "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)101-Mau A17 tam tru cho nguoi nuoc "
        "ngoai.doc1 bản chính",
        [
            (
                "",
                "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)",
                ("101-Mau A17 tam tru cho nguoi nuoc ngoai.doc",),
                1,
                None,
            )
        ],
        True,
        id="template-after-paren",
    ),
    pytest.param(  # 1.007927: "NĐ-CPMẫu số 25.docx", then "0 bản chính,1 bản sao"
        "--"
        + DOC
        + "Đơn đề nghị theo Mẫu số 25 ban hành kèm theo Nghị định số 33/2026/NĐ-CPMẫu số 25.docx1 bản "
        "chínhBản sao Bằng tốt nghiệp đại học0 bản chính,1 bản sao",
        [
            (
                "",
                "Đơn đề nghị theo Mẫu số 25 ban hành kèm theo Nghị định số 33/2026/NĐ-CP",
                ("Mẫu số 25.docx",),
                1,
                None,
            ),
            ("", "Bản sao Bằng tốt nghiệp đại học", (), 0, 1),
        ],
        True,
        id="template-word-and-copies",
    ),
    pytest.param(  # 1.007908: "…: 01 bản chính" is part of the name, "0 bản chính" is the count
        "--" + DOC + "- Báo cáo giải trình (nếu có yêu cầu): 01 bản chính0 bản chính",
        [("", "- Báo cáo giải trình (nếu có yêu cầu): 01 bản chính", (), 0, None)],
        True,
        id="count-words-in-name",
    ),
    pytest.param(  # 1.009067: count glued to a date "28/8/2020" + "1 bản chính"
        "--" + DOC + "Danh sách hàng hóa theo Nghị định 100/2020/NĐ-CP ngày 28/8/20201 bản chính,1 bản sao",
        [("", "Danh sách hàng hóa theo Nghị định 100/2020/NĐ-CP ngày 28/8/2020", (), 1, 1)],
        True,
        id="count-after-date",
    ),
    pytest.param(  # 1.013807: two templates glued together
        "--"
        + DOC
        + "Giấy đề nghị đăng ký tập sự hành nghề công chứng.Mẫu TP-TSCC-01a.docxMẫu TP-TSCC-01b.docx1 bản "
        "chính",
        [
            (
                "",
                "Giấy đề nghị đăng ký tập sự hành nghề công chứng.",
                ("Mẫu TP-TSCC-01a.docx", "Mẫu TP-TSCC-01b.docx"),
                1,
                None,
            )
        ],
        True,
        id="two-templates",
    ),
    pytest.param(  # 1.001280: a name may begin with "01 bản sao …" (followed by a space: prose)
        "--"
        + DOC
        + "01 bản sao giấy khai sinh hoặc trích lục khai sinh0 bản chính,1 bản sao+ Giấy thông hành đã được "
        "cấp.1 bản chính,1 bản sao",
        [
            ("", "01 bản sao giấy khai sinh hoặc trích lục khai sinh", (), 0, 1),
            ("", "+ Giấy thông hành đã được cấp.", (), 1, 1),
        ],
        True,
        id="name-starting-with-count-words",
    ),
    pytest.param(  # 1.004002: case headers, header repeated per case
        "* Xuất trình các loại giấy tờ sau:" + DOC + "Giấy chứng nhận an toàn kỹ thuật.1 bản chính,1 bản sao"
        "* Giấy tờ phải nộp để lưu giữ:"
        + DOC
        + "Đơn đề nghị đăng ký lại phương tiện theo quy địnhMauon.docx1 bản chính",
        [
            ("* Xuất trình các loại giấy tờ sau:", "Giấy chứng nhận an toàn kỹ thuật.", (), 1, 1),
            (
                "* Giấy tờ phải nộp để lưu giữ:",
                "Đơn đề nghị đăng ký lại phương tiện theo quy định",
                ("Mauon.docx",),
                1,
                None,
            ),
        ],
        True,
        id="cases",
    ),
    pytest.param(  # 1.001664: tab before the count
        "--"
        + DOC
        + "- Biên bản nghiệm thu hạng mục đầu tư.\t1 bản chính- Văn bản đề nghị giải ngân.\t1 bản chính",
        [
            ("", "- Biên bản nghiệm thu hạng mục đầu tư.", (), 1, None),
            ("", "- Văn bản đề nghị giải ngân.", (), 1, None),
        ],
        True,
        id="tab-before-count",
    ),
    pytest.param(  # 3.000244-style: squashed file name after a numbered full stop
        "--"
        + DOC
        + "Tờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53 "
        "(3).doc1 bản chính",
        [
            (
                "",
                "Tờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).",
                ("1.MuCT01banhnhkmtheoThngts53 (3).doc",),
                1,
                None,
            )
        ],
        True,
        id="squashed-file-name",
    ),
    pytest.param(  # 1.002046: no evidence where the file name starts -> reported, kept in the name
        "--" + DOC + "Giấy phép liên vận tại Việt Nam theo Hiện định GMSGMS - Gia hạn.docx1 bản chính",
        [("", "Giấy phép liên vận tại Việt Nam theo Hiện định GMSGMS - Gia hạn.docx", (), 1, None)],
        False,
        id="template-boundary-unknown",
    ),
    pytest.param(  # 1.009645: note after the last row
        "--" + DOC + "Tờ khai hải quan1 bản chính(Trường hợp khai thác được thông tin thì không phải nộp)",
        [("", "Tờ khai hải quan", (), 1, None)],
        False,
        id="trailing-note",
    ),
    pytest.param(  # 6.006595: counts with no name
        "--" + DOC + "Dự thảo Quyết định xử lý tài sản1 bản chính1 bản chính",
        [("", "Dự thảo Quyết định xử lý tài sản", (), 1, None)],
        False,
        id="count-without-name",
    ),
    pytest.param(  # 2.002338: the field holds other text, no table
        "phải được kê khai và ký chữ ký số trên các biểu mẫu điện tử",
        [],
        False,
        id="no-table",
    ),
    pytest.param(  # synthetic: copies only
        "--" + DOC + "Bản sao hộ chiếu1 bản sao",
        [("", "Bản sao hộ chiếu", (), None, 1)],
        True,
        id="copies-only",
    ),
]


@pytest.mark.parametrize(("text", "rows", "complete"), DOCUMENT_CASES)
def test_parse_documents(text, rows, complete):
    parsed = parse_documents(text)
    assert [_doc(d) for d in parsed.items] == rows
    assert parsed.complete is complete
    assert bool(parsed.problems) is not complete


def test_document_decomposed_unicode_is_normalised():
    text = unicodedata.normalize("NFD", "--" + DOC + "Tờ khai;Mẫu NA6.doc1 bản chính")
    (doc,) = parse_documents(text).items
    assert doc.templates == ("Mẫu NA6.doc",)


# --------------------------------------------------------------------------------- legal basis

LEGAL_CASES = [
    pytest.param(  # 1.000253: number cell repeats the type ("Luật 47/2014/QH13")
        LEG + "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt NamLuật 47/2014/QH13"
        "Thông tư quy định cách thức khai báo tạm trú53/2016/TT-BCA",
        [
            LegalBasisRow(
                "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam",
                "47/2014/QH13",
            ),
            LegalBasisRow("Thông tư quy định cách thức khai báo tạm trú", "53/2016/TT-BCA"),
        ],
        True,
        id="type-prefixed-cell",
    ),
    pytest.param(  # 2.001999: title ends with its own number ("QH14" + "04/2017/QH14")
        LEG + "Luật 04/2017/QH1404/2017/QH14Nghị định số 80/2021/NĐ-CP của Chính phủ: Quy định "
        "chi tiết80/2021/NĐ-CP",
        [
            LegalBasisRow("Luật 04/2017/QH14", "04/2017/QH14"),
            LegalBasisRow("Nghị định số 80/2021/NĐ-CP của Chính phủ: Quy định chi tiết", "80/2021/NĐ-CP"),
        ],
        True,
        id="title-contains-number",
    ),
    pytest.param(  # 1.009093: bare "167/2025" number cell
        LEG + "Nghị định số 167/2025/NĐ-CP ngày 30/6/2025 của Chính phủ167/2025Thông tư quy "
        "định mức thu phí hải quan"
        "14/2021/TT-BTC",
        [
            LegalBasisRow("Nghị định số 167/2025/NĐ-CP ngày 30/6/2025 của Chính phủ", "167/2025"),
            LegalBasisRow("Thông tư quy định mức thu phí hải quan", "14/2021/TT-BTC"),
        ],
        True,
        id="bare-number",
    ),
    pytest.param(  # 2.002192: "66.7/2025/NQ-CP"
        LEG
        + "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm thủ tục hành chính66.7/2025/NQ-CP",
        [
            LegalBasisRow(
                "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm thủ tục hành chính",
                "66.7/2025/NQ-CP",
            )
        ],
        True,
        id="dotted-serial",
    ),
    pytest.param(  # 2.002029: title ends with a year, number glued on ("2020" + "76/2025/QH15")
        LEG + "Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp 202076/2025/QH15Luật "
        "Doanh nghiệp59/2020/QH14",
        [
            LegalBasisRow("Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp 2020", "76/2025/QH15"),
            LegalBasisRow("Luật Doanh nghiệp", "59/2020/QH14"),
        ],
        True,
        id="year-glued-to-number",
    ),
    pytest.param(  # 3.000368 / 1.014903: issuer code glued to an all-caps or camel-case title
        LEG + "Về an ninh hàng không92/2015/NĐ-CPLUẬT  HÀNG KHÔNG DÂN DỤNG VIỆT NAM66/2006/QH11"
        "Thông tư số 31/2025/TT-BCA quy định thẻ31/2025/TT_BCAVề phí25/2021/TT-BTCQUY "
        "ĐỊNH MỨC THU25/2021/TT-BTC",
        [
            LegalBasisRow("Về an ninh hàng không", "92/2015/NĐ-CP"),
            LegalBasisRow("LUẬT  HÀNG KHÔNG DÂN DỤNG VIỆT NAM", "66/2006/QH11"),
            LegalBasisRow("Thông tư số 31/2025/TT-BCA quy định thẻ", "31/2025/TT_BCA"),
            LegalBasisRow("Về phí", "25/2021/TT-BTC"),
            LegalBasisRow("QUY ĐỊNH MỨC THU", "25/2021/TT-BTC"),
        ],
        True,
        id="code-glued-to-title",
    ),
    pytest.param(  # 1.002520: number without year, page chrome "Trang chủ" between rows
        LEG + "Quyết định quy định cơ cấu tổ chức của Cục Quản lý Thi hành án dân sự.1898/QĐ-BTPTrang chủ\n"
        "Thông tư số 04/2023/TT-BTP của Bộ Tư pháp04/2023/TT-BTP",
        [
            LegalBasisRow(
                "Quyết định quy định cơ cấu tổ chức của Cục Quản lý Thi hành án dân sự.", "1898/QĐ-BTP"
            ),
            LegalBasisRow("Thông tư số 04/2023/TT-BTP của Bộ Tư pháp", "04/2023/TT-BTP"),
        ],
        True,
        id="no-year-and-chrome",
    ),
    pytest.param(  # 2.001258: number cell "Thông tư số 106/2017/TT-BTC" after a lower-case title
        LEG + "quy định mức thu phí thẩm định điều kiện đăng ký hoạt động của doanh nghiệp đấu "
        "giá tài sảnThông tư số "
        "106/2017/TT-BTC",
        [
            LegalBasisRow(
                "quy định mức thu phí thẩm định điều kiện đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
                "106/2017/TT-BTC",
            )
        ],
        True,
        id="cell-with-type-and-so",
    ),
    pytest.param(  # 1.002755: a number quoted in the title glued to "ngày"
        LEG + "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an sửa đổi Thông tư số 55/2021/TT-BCA."
        "53/2025/TT-BCA",
        [
            LegalBasisRow(
                "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an sửa đổi Thông tư số 55/2021/TT-BCA.",
                "53/2025/TT-BCA",
            )
        ],
        True,
        id="mention-glued-to-ngay",
    ),
    pytest.param(  # 1.001559: a row whose title is only its number
        LEG + "73/2025/TT-NHNNSố 73/2025/TT-NHNNLuật Các tổ chức tín dụngLuật số 32/2024/QH15",
        [
            LegalBasisRow("73/2025/TT-NHNN", "73/2025/TT-NHNN"),
            LegalBasisRow("Luật Các tổ chức tín dụng", "32/2024/QH15"),
        ],
        True,
        id="number-as-title",
    ),
    pytest.param(  # 3.000164: page text after the last row
        LEG + "Lệnh 21/2014/L-CTN21/2014/L-CTNCơ quan thực hiệnTòa án nhân dân tối cao",
        [
            LegalBasisRow("Lệnh 21/2014/L-CTN", "21/2014/L-CTN"),
            LegalBasisRow("Cơ quan thực hiệnTòa án nhân dân tối cao", ""),
        ],
        False,
        id="trailing-junk",
    ),
    pytest.param(  # 1.012766: truncated number cell "Luật số 58" runs into the next row
        LEG + "Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư côngLuật số 58Nghị định 101/2024/NĐ-CP"
        "Nghị định 101/2024/NĐ-CP",
        [
            LegalBasisRow(
                "Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư côngLuật số 58Nghị định 101/2024/NĐ-CP",
                "101/2024/NĐ-CP",
            )
        ],
        False,
        id="truncated-number-cell",
    ),
]


@pytest.mark.parametrize(("text", "items", "complete"), LEGAL_CASES)
def test_parse_legal_basis(text, items, complete):
    parsed = parse_legal_basis(text)
    assert parsed.items == items
    assert parsed.complete is complete
    assert bool(parsed.problems) is not complete


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
