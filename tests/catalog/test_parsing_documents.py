"""The required documents parser (``parse_documents``), table-driven with snippets copied from procedures.jsonl.

Record ids (ma_thu_tuc) are given next to real snippets; "synthetic" marks shapes the 2026 data does not contain.
"""

import unicodedata

import pytest

from portal.catalog.parsing import (
    RequiredDocumentRow,
    parse_documents,
)
from tests.catalog.parsing_tables import DOC

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
