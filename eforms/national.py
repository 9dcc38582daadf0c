"""The electronic declaration as the national portal receives it with its dossier (``DongBoHoSoMC``).

DOMAIN.md §11 names no field for a declaration's data, so ``ToKhaiDienTu`` and its fields are this project's
convention, to be checked against the official specification of the national portal before production:

    "ToKhaiDienTu": {
      "MaToKhai": "1.001193",            # the form's code: the catalogue code of the procedure it belongs to
      "PhienBan": 3,                      # the version of the form the applicant filled in
      "TenToKhai": "Tờ khai đăng ký khai sinh",
      "MauToKhai": "Mẫu … ban hành kèm theo Thông tư …",   # the official form it follows
      "NgayHoanThanh": "20261125143000",  # when the applicant finished it
      "TepDinhKemId": "123",              # its PDF among TaiLieuNop
      "DuLieu": [                          # the shown sections, in the form's order
        {"MaPhan": "tre", "TenPhan": "Người được khai sinh", "Lap": false,
         "CacMuc": [{"TruongDuLieu": [      # one item (a repeated group: one per item)
            {"Ma": "tre_ho_ten", "Ten": "Họ, chữ đệm, tên", "KieuDuLieu": "text", "GiaTri": "Nguyễn Minh Khang"},
            {"Ma": "tre_ngay_sinh", "KieuDuLieu": "date", "GiaTri": "20261003000000", …},
            {"Ma": "tre_noi_sinh_tinh", "KieuDuLieu": "address",
             "GiaTri": {"MaDonViHanhChinh": "30742", "ChiTiet": "…", "DiaChiDayDu": "…, Phường Rạch Giá, …"}},
            {"Ma": "tre_gioi_tinh", "KieuDuLieu": "radio", "GiaTri": "nam", "GiaTriHienThi": "Nam"}, …]}]}]}

Values are typed: a date as the portal's 14 digits (the day at 00:00), a number as a number, a tick box as true or
false, a choice as its code with its label beside it, an address as the commune's code in the unit tree with the
street part and the whole address as printed. Fields left empty and fields a condition hides are not sent.
"""

from datetime import datetime

from eforms import answers as checks
from eforms.models import AnswerSet
from eforms.schema import CHOICE_TYPES
from eforms.selectors import _address_codes, _unit_names, display_value
from integrations.dvcqg.dates import format_datetime

FIELD = "ToKhaiDienTu"


def _value(field: dict, value, units: dict):
    """(GiaTri, GiaTriHienThi or None) of one answer."""
    kind = field["type"]
    if kind == "date":
        day = checks.parsed_date(value)
        return (format_datetime(day), None) if day else (display_value(field, value, units), None)
    if kind == "address":
        return {
            "MaDonViHanhChinh": value.get("unit", ""),
            "ChiTiet": value.get("detail", ""),
            "DiaChiDayDu": display_value(field, value, units),
        }, None
    if kind == "checkbox":
        return bool(value), None
    if kind == "number":
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return str(value), None
        return (int(number) if number.is_integer() else number), None
    if kind in CHOICE_TYPES:
        return value, display_value(field, value, units)
    return str(value), None


def _item(section: dict, values: dict, context: dict, units: dict) -> dict:
    fields = []
    for field in section["fields"]:
        value = values.get(field["id"])
        if not checks.shown(field.get("when"), {**context, **values}):
            continue
        if checks.is_empty(value) and field["type"] != "checkbox":
            continue
        sent, shown = _value(field, value, units)
        entry = {"Ma": field["id"], "Ten": field["label"], "KieuDuLieu": field["type"], "GiaTri": sent}
        if shown is not None:
            entry["GiaTriHienThi"] = shown
        fields.append(entry)
    return {"TruongDuLieu": fields}


def declaration_payload(answer_set: AnswerSet) -> dict:
    """The ``ToKhaiDienTu`` object of one finished declaration."""
    schema, answers = answer_set.definition.schema, answer_set.answers
    units = _unit_names(_address_codes(schema, answers))
    context = checks.plain_answers(answers)
    sections = []
    for section in checks.visible_sections(schema, answers):
        value = answers.get(section["id"])
        repeated = "repeat" in section
        items = (
            (value if isinstance(value, list) else [])
            if repeated
            else [value if isinstance(value, dict) else {}]
        )
        sections.append(
            {
                "MaPhan": section["id"],
                "TenPhan": section["title"],
                "Lap": repeated,
                "CacMuc": [_item(section, item, context, units) for item in items if isinstance(item, dict)],
            }
        )
    completed: datetime | None = answer_set.completed_at
    payload = {
        "MaToKhai": schema["code"],
        "PhienBan": answer_set.definition.version,
        "TenToKhai": answer_set.definition.title,
        "MauToKhai": schema.get("form_ref", ""),
        "NgayHoanThanh": format_datetime(completed) if completed else "",
        "TepDinhKemId": str(answer_set.file_id or ""),
        "DuLieu": sections,
    }
    return {key: value for key, value in payload.items() if value != ""}


def dossier_declaration_part(dossier) -> dict:
    """What the dossier's sync record carries of its declaration (registered with ``dossiers.national.mapping``):
    ``{"ToKhaiDienTu": …}`` once the declaration is finished, else nothing."""
    answer_set = (
        AnswerSet.objects.select_related("definition")
        .filter(dossier_id=dossier.pk, completed_at__isnull=False)
        .first()
    )
    return {FIELD: declaration_payload(answer_set)} if answer_set is not None else {}
