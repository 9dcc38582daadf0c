"""Realistic catalogue searches shared by the benchmarks: accents, none, typos, everyday words, a code."""

SEARCH_QUERIES = [
    "đăng ký khai sinh",
    "dang ky khai sinh",
    "khai sihn",
    "giấy phép xây dựng",
    "sổ đỏ",
    "so do",
    "hộ chiếu",
    "lý lịch tư pháp",
    "dăng ky kết hon",
    "đăng ký tạm trú",
    "cấp lại căn cước",
    "bằng lái xe",
    "thủ tục làm hộ chiếu như thế nào",
    "đăng ký",
    "cấp giấy chứng nhận quyền sử dụng đất lần đầu",
    "thành lập hộ kinh doanh",
    "con dấu",
    "1.001193",
    "khai thue thu nhap ca nhan",
    "chuyển nhượng quyền sử dụng đất có yếu tố nước ngoài tại khu vực biên giới",
]
