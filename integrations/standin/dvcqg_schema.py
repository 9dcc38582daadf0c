"""The fields the stand-in national portal accepts in ``DongBoHoSoMC`` and ``CapNhatTienDoHoSoMC`` records, and
their types (DOMAIN.md §11, as seen in deployed systems). ``validate_*`` return None for a valid record or a
``Refusal`` naming the first field at fault and why. Fields not listed here are accepted and kept (the real portal
ignores extras); an empty string or null counts as absent for optional fields.

Types: ``str`` text; ``int`` a whole number (not a digit string); ``date`` 14 digits ``yyyyMMddHHmmss`` of a real
moment; ``bool`` true/false; ``money`` a number ≥ 0; lists of objects with their own fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MISSING = 301  # a required field is absent
INVALID = 302  # a field has the wrong type or value (LGSP's "invalid data type")


@dataclass(frozen=True)
class Refusal:
    code: int
    field: str
    message: str


@dataclass(frozen=True)
class Spec:
    kind: str  # str, int, date, bool, money, object, list
    required: bool = False
    choices: tuple[int, ...] = ()
    fields: dict | None = None  # for object and list (of objects)


def _s(required=False):
    return Spec("str", required)


def _d(required=False):
    return Spec("date", required)


def _b():
    return Spec("bool")


def _i(required=False, choices=()):
    return Spec("int", required, tuple(choices))


STATUS = tuple(range(1, 11))  # TrangThaiHoSo: the national status codes 1–10

OWNER = {  # ChuHoSo
    "HoVaTen": _s(required=True),
    "SoDinhDanh": _s(),
    "SoDienThoai": _s(),
    "ThuDienTu": _s(),
    "DiaChi": _s(),
    "MaSoThue": _s(),
}
DOCUMENT = {  # TaiLieuNop: the documents filed, with the citizen's-vault flags
    "TenTepDinhKem": _s(required=True),
    "TepDinhKemId": _s(),
    "MaThanhPhanHoSo": _s(),
    "DuongDanTaiTepTin": _s(),
    "IsDeleted": _b(),
    "DuocSoHoa": _b(),  # digitised at reception
    "DuocLayTuKhoDMDC": _b(),  # taken from the citizen's vault / once-only data
    "DuocTaiSuDung": _b(),  # may be reused for later dossiers
}
FEE = {  # DanhSachLePhi
    "TenPhiLePhi": _s(required=True),
    "MaPhiLePhi": _s(),
    "HinhThucThu": _i(),
    "Gia": Spec("money", required=True),
    "LoaiPhiLePhi": _i(),
}
SUPPLEMENT = {  # DanhSachHoSoBoSung: a request for more papers, with the due date before and after
    "HoSoBoSungId": _s(required=True),
    "NguoiYeuCauBoSung": _s(),
    "NoiDungBoSung": _s(),
    "NgayBoSung": _d(required=True),
    "NguoiTiepNhanBoSung": _s(),
    "ThongTinTiepNhan": _s(),
    "NgayTiepNhanBoSung": _d(),
    "TrangThaiBoSung": _i(),
    "NgayHenTraTruoc": _d(),
    "NgayHenTraMoi": _d(),
    "DanhSachGiayToBoSung": Spec("list", fields=DOCUMENT),
    "DanhSachLePhiBoSung": Spec("list", fields=FEE),
}
RESULT = {  # DanhSachGiayToKetQua
    "TenGiayTo": _s(required=True),
    "MaThanhPhanHoSo": _s(),
    "GiayToId": _s(),
    "DuongDanTepTinKetQua": _s(),
}
DECLARATION_FIELD = {  # ToKhaiDienTu.DuLieu[].CacMuc[].TruongDuLieu[]: one answer (GiaTri checked by its KieuDuLieu)
    "Ma": _s(required=True),
    "Ten": _s(required=True),
    "KieuDuLieu": _s(required=True),
    "GiaTriHienThi": _s(),
}
DECLARATION_SECTION = {  # ToKhaiDienTu.DuLieu[]: a section of the form, with one item (a repeated group: several)
    "MaPhan": _s(required=True),
    "TenPhan": _s(),
    "Lap": _b(),
    "CacMuc": Spec("list", fields={"TruongDuLieu": Spec("list", fields=DECLARATION_FIELD)}),
}
DECLARATION = {  # ToKhaiDienTu: the electronic declaration filed with the dossier (this project's convention)
    "MaToKhai": _s(required=True),
    "PhienBan": _i(required=True),
    "TenToKhai": _s(required=True),
    "MauToKhai": _s(),
    "NgayHoanThanh": _d(),
    "TepDinhKemId": _s(),
    "DuLieu": Spec("list", required=True, fields=DECLARATION_SECTION),
}
DOSSIER = {  # DongBoHoSoMC
    "MaHoSo": _s(required=True),
    "MaTTHC": _s(required=True),
    "TenTTHC": _s(),
    "MaLinhVuc": _s(),
    "TenLinhVuc": _s(),
    "KenhThucHien": _i(required=True, choices=(1, 2, 3)),  # 1 in person, 2 online, 3 by post
    "ChuHoSo": Spec("object", required=True, fields=OWNER),
    "LoaiDoiTuong": _i(required=True, choices=(1, 2, 3, 4)),  # citizen, business, state body, other
    "MaDoiTuong": _s(),
    "TrichYeuHoSo": _s(),
    "NgayTiepNhan": _d(),
    "NgayHenTra": _d(),
    "TrangThaiHoSo": _i(required=True, choices=STATUS),
    "NgayTra": _d(),
    "ThongTinTra": _s(),
    "HinhThuc": _i(choices=(0, 1)),
    "NgayKetThucXuLy": _d(),
    "DonViXuLy": _s(),
    "GhiChu": _s(),
    "TaiLieuNop": Spec("list", fields=DOCUMENT),
    "DanhSachLePhi": Spec("list", fields=FEE),
    "DanhSachHoSoBoSung": Spec("list", fields=SUPPLEMENT),
    "DanhSachGiayToKetQua": Spec("list", fields=RESULT),
    "ToKhaiDienTu": Spec("object", fields=DECLARATION),
}
PROGRESS = {  # CapNhatTienDoHoSoMC: one processing step
    "MaHoSo": _s(required=True),
    "NguoiXuLy": _s(required=True),
    "ChucDanh": _s(),
    "ThoiDiemXuLy": _d(required=True),
    "PhongBanXuLy": _s(),
    "NoiDungXuLy": _s(required=True),
    "TrangThai": _i(required=True, choices=STATUS),
    "NgayBatDau": _d(),
    "NgayKetThucTheoQuyDinh": _d(),
}


FEEDBACK = {  # DongBoPAKN: an answered piece of feedback, published with personal data removed
    "MaPAKN": _s(required=True),
    "LoaiPAKN": _s(),
    "MaCoQuan": _s(),
    "MaTTHC": _s(),
    "LinhVuc": _s(),
    "NoiDungHoi": _s(required=True),
    "NoiDungTraLoi": _s(required=True),
    "NgayTiepNhan": _d(),
    "NgayTraLoi": _d(),
    "NgayCongKhai": _d(required=True),
}
RATING = {  # DongBoDanhGia: a rating of a returned dossier, or a published ranking line
    "MaDanhGia": _s(required=True),
    "MaHoSo": _s(),
    "MaCoQuan": _s(),
    "KyDanhGia": _s(),
    "NgayDanhGia": _d(),
}


def validate_feedback(record) -> Refusal | None:
    return _object(record, FEEDBACK, "")


def validate_rating(record) -> Refusal | None:
    return _object(record, RATING, "")


def validate_dossier(record) -> Refusal | None:
    refusal = _object(record, DOSSIER, "")
    if refusal:
        return refusal
    received, due = record.get("NgayTiepNhan"), record.get("NgayHenTra")
    if received and due and due < received:
        return Refusal(INVALID, "NgayHenTra", "NgayHenTra trước NgayTiepNhan")
    if record.get("ToKhaiDienTu"):
        return _declaration_values(record["ToKhaiDienTu"])
    return None


def _answer_refusal(kind: str, value) -> str | None:
    """Why ``value`` is not a ``GiaTri`` of kind ``kind``, or None."""
    if kind == "date":
        return None if _is_date(value) else "phải có dạng yyyyMMddHHmmss"
    if kind == "address":
        if not isinstance(value, dict) or not isinstance(value.get("MaDonViHanhChinh"), str):
            return "phải là một đối tượng có MaDonViHanhChinh"
        return None
    if kind == "checkbox":
        return None if isinstance(value, bool) else "phải là true hoặc false"
    if kind == "number":
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "phải là một số"
    if kind == "personal_id":
        return (
            None if isinstance(value, str) and len(value) == 12 and value.isdigit() else "phải gồm 12 chữ số"
        )
    return None if isinstance(value, str) else "phải là chuỗi"


def _declaration_values(declaration: dict) -> Refusal | None:
    if declaration.get("PhienBan", 0) < 1:
        return Refusal(INVALID, "ToKhaiDienTu.PhienBan", "PhienBan phải từ 1 trở lên")
    for s_index, section in enumerate(declaration["DuLieu"]):
        for i_index, item in enumerate(section.get("CacMuc") or []):
            for f_index, answer in enumerate(item.get("TruongDuLieu") or []):
                where = f"ToKhaiDienTu.DuLieu[{s_index}].CacMuc[{i_index}].TruongDuLieu[{f_index}].GiaTri"
                if "GiaTri" not in answer:
                    return Refusal(MISSING, where, "thiếu trường bắt buộc GiaTri")
                problem = _answer_refusal(answer["KieuDuLieu"], answer["GiaTri"])
                if problem:
                    return Refusal(INVALID, where, f"GiaTri ({answer['KieuDuLieu']}) {problem}")
    return None


def validate_progress(record) -> Refusal | None:
    return _object(record, PROGRESS, "")


def _object(value, spec: dict, path: str) -> Refusal | None:
    if not isinstance(value, dict):
        return Refusal(INVALID, path or "data", "phải là một đối tượng JSON")
    for name, field_spec in spec.items():
        where = f"{path}.{name}" if path else name
        item = value.get(name)
        if item is None or item == "" or item == []:
            if field_spec.required:
                return Refusal(MISSING, where, f"thiếu trường bắt buộc {name}")
            continue
        refusal = _value(item, field_spec, where)
        if refusal:
            return refusal
    return None


def _value(item, spec: Spec, where: str) -> Refusal | None:
    name = where.rsplit(".", 1)[-1]
    if spec.kind == "str" and not isinstance(item, str):
        return Refusal(INVALID, where, f"{name} phải là chuỗi")
    if spec.kind == "int":
        if not isinstance(item, int) or isinstance(item, bool):
            return Refusal(INVALID, where, f"{name} phải là số nguyên")
        if spec.choices and item not in spec.choices:
            return Refusal(INVALID, where, f"{name} phải là một trong {', '.join(map(str, spec.choices))}")
    if spec.kind == "bool" and not isinstance(item, bool):
        return Refusal(INVALID, where, f"{name} phải là true hoặc false")
    if spec.kind == "money" and (not isinstance(item, int | float) or isinstance(item, bool) or item < 0):
        return Refusal(INVALID, where, f"{name} phải là số tiền không âm")
    if spec.kind == "date" and not _is_date(item):
        return Refusal(INVALID, where, f"{name} phải có dạng yyyyMMddHHmmss")
    if spec.kind == "object":
        return _object(item, spec.fields, where)
    if spec.kind == "list":
        if not isinstance(item, list):
            return Refusal(INVALID, where, f"{name} phải là danh sách")
        for index, element in enumerate(item):
            refusal = _object(element, spec.fields, f"{where}[{index}]")
            if refusal:
                return refusal
    return None


def _is_date(value) -> bool:
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        return False
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True
