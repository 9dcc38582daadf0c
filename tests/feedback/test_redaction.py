import pytest

from feedback.redaction import redact

SAMPLES = [
    (
        "Tôi là ông Nguyễn Văn An, số điện thoại 0912 345 678, CCCD 079123456789, thư an.nguyen@gmail.com.",
        ["Nguyễn Văn An", "0912 345 678", "079123456789", "an.nguyen@gmail.com"],
        ["ông [họ tên]", "[số điện thoại]", "[số định danh]", "[thư điện tử]"],
    ),
    (
        "Cán bộ bà Trần Thị Bình ở số 12 đường Trần Hưng Đạo thu thêm tiền.",
        ["Trần Thị Bình", "12 đường", "Hưng Đạo"],
        ["bà [họ tên]", "[địa chỉ]"],
    ),
    (
        "Nhà tôi ở 45/7 Nguyễn Trãi, tổ 5, ấp Phú Hòa. Chị Lan bảo chờ 20 ngày làm việc.",
        ["45/7", "Nguyễn Trãi", "tổ 5", "Phú Hòa", "Lan "],
        ["Chị [họ tên]", "chờ 20 ngày làm việc"],
    ),
    (
        "Gọi +84 91 234 5678 hoặc 0296.3852.123; CMND 123456789. Hồ sơ 000.00.01.H01-250714-0007.",
        ["234 5678", "3852", "123456789"],
        ["[số điện thoại]", "[số định danh]", "000.00.01.H01-250714-0007"],
    ),
    (
        "Anh ấy nói Nghị định 20 chưa rõ; Ông Giám đốc Sở trả lời sau 15 ngày. Thủ tục 1.001193.",
        ["[họ tên]", "[địa chỉ]"],
        ["Nghị định 20", "Ông Giám đốc Sở", "15 ngày", "1.001193"],
    ),
]


@pytest.mark.parametrize(("text", "gone", "kept"), SAMPLES)
def test_personal_data_is_removed_and_the_rest_of_the_text_is_kept(text, gone, kept):
    result = redact(text)
    for value in gone:
        assert value not in result
    for value in kept:
        assert value in result


def test_the_senders_own_details_are_removed_wherever_they_appear_whatever_their_case():
    result = redact("gửi từ NGUYỄN THỊ HOA, ấp 3", known=("Nguyễn Thị Hoa", ""))
    assert "HOA" not in result and "[thông tin cá nhân]" in result
