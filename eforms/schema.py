"""The shape of a form definition, checked before it is stored: a definition that passes here renders and validates
answers without surprises (every condition names a choice field that exists, every choice list is non-empty, ids are
unique and usable as HTML names).

A definition is JSON::

    {"code": "1.001193",                      # the procedure's code in the catalogue
     "title": "Tờ khai đăng ký khai sinh",
     "form_ref": "Mẫu … ban hành kèm theo Thông tư …",   # the official form it follows
     "document_match": "tờ khai đăng ký khai sinh",      # words of the required document it replaces (optional)
     "sections": [
        {"id": "tre", "title": "…", "help": "…",
         "when": {"field": "noi_sinh_loai", "equals": "nuoc_ngoai"},      # optional: only shown when …
         "repeat": {"min": 0, "max": 10, "item_label": "Thành viên"},       # optional: a repeatable group
         "fields": [
            {"id": "ho_ten", "label": "…", "type": "text", "required": true, "help": "…",
             "max_length": 100, "pattern": "…", "pattern_message": "…", "prefill": "full_name",
             "choices": [{"value": "nam", "label": "Nam"}], "min": 0, "max": 100,
             "date_min": "1900-01-01", "date_max": "today", "when": {"field": "…", "in": ["…"]}}]}]}
"""

import re
from datetime import date

FIELD_TYPES = frozenset(
    {
        "text",
        "textarea",
        "date",
        "choice",
        "radio",
        "checkbox",
        "number",
        "phone",
        "email",
        "personal_id",
        "address",
    }
)
CHOICE_TYPES = frozenset({"choice", "radio"})
# What a field may be filled with before the applicant types (eforms/prefill.py): the profile's values, and the
# national population database's once the applicant consents (addresses, sex, the household head).
PREFILL_KEYS = frozenset(
    {
        "full_name",
        "personal_id",
        "phone",
        "email",
        "birth_date",
        "address",
        "sex",
        "permanent_address",
        "current_address",
        "is_household_head",
        "household_head_name",
        "household_head_personal_id",
        "household_head_relation",
    }
)
ID = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
SECTION_KEYS = frozenset({"id", "title", "help", "when", "repeat", "fields"})
FIELD_KEYS = frozenset(
    {
        "id",
        "label",
        "type",
        "required",
        "help",
        "max_length",
        "pattern",
        "pattern_message",
        "prefill",
        "choices",
        "min",
        "max",
        "date_min",
        "date_max",
        "when",
    }
)
TOP_KEYS = frozenset({"code", "title", "form_ref", "document_match", "intro", "sections", "version"})


def _date_bound(value) -> bool:
    if value == "today":
        return True
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _check_when(when, where: str, choice_fields: dict, errors: list[str]) -> None:
    if not isinstance(when, dict) or "field" not in when or not ({"equals", "in"} & when.keys()):
        errors.append(f"{where}: 'when' cần có 'field' và 'equals' hoặc 'in'.")
        return
    target = choice_fields.get(when["field"])
    if target is None:
        errors.append(
            f"{where}: điều kiện dựa trên trường '{when['field']}' không có (hoặc không phải trường lựa chọn "
            "ở một phần không lặp, đứng trước)."
        )
        return
    values = when["in"] if "in" in when else [when["equals"]]
    if not isinstance(values, list) or any(value not in target for value in values):
        errors.append(f"{where}: giá trị điều kiện không thuộc các lựa chọn của '{when['field']}'.")


def _field_errors(field, where: str, seen: set, choice_fields: dict, errors: list[str]) -> None:
    if not isinstance(field, dict):
        errors.append(f"{where}: mỗi trường là một đối tượng JSON.")
        return
    unknown = field.keys() - FIELD_KEYS
    if unknown:
        errors.append(f"{where}: khóa không hợp lệ {sorted(unknown)}.")
    field_id = field.get("id")
    if not isinstance(field_id, str) or not ID.match(field_id):
        errors.append(f"{where}: 'id' phải là chữ thường không dấu, số, gạch dưới (tối đa 40 ký tự).")
    elif field_id in seen:
        errors.append(f"{where}: 'id' '{field_id}' bị trùng.")
    else:
        seen.add(field_id)
    if not isinstance(field.get("label"), str) or not field["label"].strip():
        errors.append(f"{where}: thiếu 'label'.")
    kind = field.get("type")
    if kind not in FIELD_TYPES:
        errors.append(f"{where}: 'type' phải là một trong {sorted(FIELD_TYPES)}.")
    if kind in CHOICE_TYPES:
        choices = field.get("choices")
        if (
            not isinstance(choices, list)
            or not choices
            or not all(
                isinstance(c, dict) and isinstance(c.get("value"), str) and isinstance(c.get("label"), str)
                for c in choices
            )
        ):
            errors.append(f"{where}: trường lựa chọn cần 'choices' là danh sách {{value, label}} không rỗng.")
        elif len({c["value"] for c in choices}) != len(choices):
            errors.append(f"{where}: giá trị lựa chọn bị trùng.")
    elif "choices" in field:
        errors.append(f"{where}: chỉ trường lựa chọn mới có 'choices'.")
    if "required" in field and not isinstance(field["required"], bool):
        errors.append(f"{where}: 'required' là true hoặc false.")
    if "max_length" in field and (
        not isinstance(field["max_length"], int) or not 1 <= field["max_length"] <= 5000
    ):
        errors.append(f"{where}: 'max_length' là số nguyên từ 1 đến 5000.")
    for bound in ("min", "max"):
        if bound in field and (kind != "number" or not isinstance(field[bound], int | float)):
            errors.append(f"{where}: '{bound}' chỉ dùng cho trường số và phải là một số.")
    for bound in ("date_min", "date_max"):
        if bound in field and (kind != "date" or not _date_bound(field[bound])):
            errors.append(f"{where}: '{bound}' chỉ dùng cho trường ngày, dạng YYYY-MM-DD hoặc \"today\".")
    if "pattern" in field:
        try:
            re.compile(field["pattern"])
        except (re.error, TypeError):
            errors.append(f"{where}: 'pattern' không phải biểu thức chính quy hợp lệ.")
        if not isinstance(field.get("pattern_message"), str):
            errors.append(f"{where}: có 'pattern' thì cần 'pattern_message' (thông báo khi nhập sai).")
    if "prefill" in field and field["prefill"] not in PREFILL_KEYS:
        errors.append(f"{where}: 'prefill' phải là một trong {sorted(PREFILL_KEYS)}.")


def definition_errors(data) -> list[str]:
    """Every problem of a definition, each naming where it is; an empty list means it can be stored."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["Định nghĩa tờ khai phải là một đối tượng JSON."]
    unknown = data.keys() - TOP_KEYS
    if unknown:
        errors.append(f"Khóa không hợp lệ ở cấp ngoài cùng: {sorted(unknown)}.")
    for key in ("code", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(f"Thiếu '{key}'.")
    for key in ("form_ref", "document_match", "intro"):
        if key in data and not isinstance(data[key], str):
            errors.append(f"'{key}' phải là chuỗi.")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.append("Cần ít nhất một phần ('sections').")
        return errors
    seen_sections: set[str] = set()
    seen_fields: set[str] = set()
    choice_fields: dict[
        str, set[str]
    ] = {}  # fields a condition may name: choices of non-repeated sections so far
    for index, section in enumerate(sections, start=1):
        where = f"Phần {index}"
        if not isinstance(section, dict):
            errors.append(f"{where}: mỗi phần là một đối tượng JSON.")
            continue
        unknown = section.keys() - SECTION_KEYS
        if unknown:
            errors.append(f"{where}: khóa không hợp lệ {sorted(unknown)}.")
        section_id = section.get("id")
        if not isinstance(section_id, str) or not ID.match(section_id):
            errors.append(f"{where}: 'id' phải là chữ thường không dấu, số, gạch dưới.")
        elif section_id in seen_sections:
            errors.append(f"{where}: 'id' '{section_id}' bị trùng.")
        else:
            seen_sections.add(section_id)
            where = f"Phần '{section_id}'"
        if not isinstance(section.get("title"), str) or not section["title"].strip():
            errors.append(f"{where}: thiếu 'title'.")
        if "when" in section:
            _check_when(section["when"], where, choice_fields, errors)
        repeat = section.get("repeat")
        if repeat is not None and not (
            isinstance(repeat, dict)
            and isinstance(repeat.get("min", 0), int)
            and isinstance(repeat.get("max"), int)
            and 0 <= repeat.get("min", 0) <= repeat["max"] <= 50
            and isinstance(repeat.get("item_label", ""), str)
        ):
            errors.append(f"{where}: 'repeat' cần 'max' (1–50), 'min' ≤ 'max' và 'item_label'.")
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            errors.append(f"{where}: cần ít nhất một trường ('fields').")
            continue
        local = dict(choice_fields)
        for position, field in enumerate(fields, start=1):
            field_where = f"{where}, trường {position}"
            _field_errors(field, field_where, seen_fields, local, errors)
            if isinstance(field, dict) and "when" in field:
                _check_when(field["when"], field_where, local, errors)
            if (
                repeat is None
                and isinstance(field, dict)
                and field.get("type") in CHOICE_TYPES | {"checkbox"}
            ):
                values = (
                    {"on"}
                    if field["type"] == "checkbox"
                    else {c.get("value") for c in field.get("choices") or [] if isinstance(c, dict)}
                )
                local[field.get("id")] = values
        if repeat is None:
            choice_fields = local
    return errors


def fields_of(definition: dict):
    """Every (section, field) pair in order."""
    for section in definition["sections"]:
        for field in section["fields"]:
            yield section, field
