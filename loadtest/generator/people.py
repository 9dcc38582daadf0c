"""Synthetic applicants: Vietnamese names, mobile numbers, 12-digit personal identification numbers, addresses and
business names. Nothing here belongs to a real person: the digits are random and the names are drawn from common
parts."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date

# Family names with their approximate shares in southern Viet Nam.
FAMILY = [
    ("Nguyễn", 36), ("Trần", 11), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 5), ("Võ", 4), ("Phan", 4), ("Trương", 2),
    ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.3), ("Dương", 1), ("Lý", 1), ("Lâm", 1),
    ("Hoàng", 1), ("Châu", 0.8), ("Thái", 0.5), ("Quách", 0.4), ("Danh", 0.6), ("Thạch", 0.5),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Minh", "Thanh", "Quốc", "Hoàng", "Công", "Đức", "Tấn", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng", "Phương", "Diễm"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khoa", "Lâm", "Lộc",
    "Long", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phúc", "Phong", "Quang", "Sang", "Sơn", "Tài", "Tâm",
    "Thắng", "Thành", "Thiện", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Vinh", "Việt", "Vũ",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huyền",
    "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương",
    "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến",
]  # fmt: skip
STREETS = [
    "Trần Hưng Đạo", "Nguyễn Trãi", "Lê Lợi", "Hai Bà Trưng", "Tôn Đức Thắng", "Nguyễn Huệ", "Lý Thường Kiệt",
    "Hùng Vương", "Nguyễn Văn Cừ", "Phạm Hùng", "Châu Văn Liêm", "Lê Hồng Phong", "Mạc Cửu", "Ngô Quyền",
    "Nguyễn Trung Trực", "Trần Phú", "Quang Trung", "Võ Thị Sáu", "Huỳnh Thúc Kháng", "Bà Triệu",
]  # fmt: skip
HAMLETS = ["Ấp Long Hòa", "Ấp Phú Thạnh", "Ấp Mỹ An", "Ấp Bình Thới", "Ấp Tân Lợi", "Ấp Vĩnh Phước"]
COMPANY_FORMS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"]
COMPANY_WORDS = [
    "Thương mại", "Dịch vụ", "Xây dựng", "Nông sản", "Thủy sản", "Vận tải", "Du lịch", "Lương thực",
    "Cơ khí", "Môi trường", "Nội thất", "Phân bón", "Thực phẩm", "Điện máy", "Kỹ thuật",
]  # fmt: skip
COMPANY_NAMES = [
    "Phú Quốc", "Long Xuyên", "Thoại Sơn", "Mekong", "Hòa Bình", "Tân Phát", "Minh Khang", "Thành Đạt",
    "Hưng Thịnh", "An Phú", "Kiên Giang", "Hà Tiên", "Sao Mai", "Đồng Tiến", "Bảy Núi",
]  # fmt: skip
MOBILE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "097",
    "098",
    "070",
    "076",
    "077",
    "079",
    "083",
    "085",
    "086",
    "088",
]
# Identity numbers (CCCD): province of birth (089 An Giang, 091 Kiên Giang, a few elsewhere), then the
# century-and-sex digit, the year of birth, six random digits.
BIRTH_PROVINCES = [("089", 45), ("091", 40), ("087", 4), ("092", 4), ("079", 4), ("094", 3)]

_FAMILY_CUM = list(itertools.accumulate(w for _, w in FAMILY))
_PROVINCE_CUM = list(itertools.accumulate(w for _, w in BIRTH_PROVINCES))


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    id_number: str
    address: str
    email: str
    business: bool
    birth_date: date | None = None


def person(rng: random.Random, place: str, province: str, *, business: bool = False) -> Person:
    address = _address(rng, place, province)
    if business:
        name = f"{rng.choice(COMPANY_FORMS)} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_NAMES)}"
        tax_code = f"{rng.choice(('17', '03', '16'))}{rng.randrange(10**8):08d}"  # 10-digit enterprise code
        return Person(name, _phone(rng), tax_code, address, "", True)
    female = rng.random() < 0.52
    family = FAMILY[_index(rng, _FAMILY_CUM)][0]
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    year = rng.randint(1945, 2007)
    century_sex = (0 if year < 2000 else 2) + (1 if female else 0)
    province_code = BIRTH_PROVINCES[_index(rng, _PROVINCE_CUM)][0]
    id_number = f"{province_code}{century_sex}{year % 100:02d}{rng.randrange(10**6):06d}"
    birth_date = date(year, rng.randint(1, 12), rng.randint(1, 28))
    return Person(f"{family} {middle} {given}", _phone(rng), id_number, address, "", False, birth_date)


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"


def _address(rng: random.Random, place: str, province: str) -> str:
    where = ", ".join(part for part in (place, province) if part)
    if rng.random() < 0.5:
        return f"Số {rng.randint(1, 350)}, đường {rng.choice(STREETS)}, {where}"
    return f"{rng.choice(HAMLETS)}, {where}"


def _index(rng: random.Random, cum: list[float]) -> int:
    x = rng.random() * cum[-1]
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1
