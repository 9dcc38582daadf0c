"""The legal basis parser (``parse_legal_basis``), table-driven with snippets copied from procedures.jsonl.

Record ids (ma_thu_tuc) are given next to real snippets; "synthetic" marks shapes the 2026 data does not contain.
"""

import pytest

from portal.catalog.parsing import (
    LegalBasisRow,
    parse_legal_basis,
)
from tests.catalog.parsing_tables import LEG

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
