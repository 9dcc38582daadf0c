"""Answers: read what was posted for a section, keep it exactly as typed, and check it against the definition.

Answers are stored as typed (a date as its three parts, an address as a unit code and the street part), so a
mistake never loses what the person wrote: the check runs on the stored answers and says, per field, what to fix.
Field names in the page: ``<field>`` in a plain section, ``<section>-<n>-<field>`` in the n-th item of a repeated
group; a date adds ``__ngay``/``__thang``/``__nam``, an address ``__xa``/``__chi_tiet``.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from eforms.schema import CHOICE_TYPES

# The province codes that open a 12-digit personal identification number (Circular 59/2021/TT-BCA, annex I).
PROVINCE_PREFIXES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
PHONE = re.compile(r"^(\+84|0)[0-9]{9,10}\Z")
DATE_PARTS = ("ngay", "thang", "nam")


def personal_id_problem(value: str) -> str | None:
    """Why ``value`` is not a personal identification number (12 digits: the province of birth registration, a digit
    for century and sex, the two last digits of the birth year, six more), as the end of a sentence that starts with
    the field's label; None when it is one."""
    if not value.isdigit() or not value.isascii():
        return _("chỉ gồm chữ số.")
    if len(value) != 12:
        return _("gồm đúng 12 chữ số (bạn đã nhập %(n)d chữ số).") % {"n": len(value)}
    if value[:3] not in PROVINCE_PREFIXES:
        return _("không hợp lệ: 3 chữ số đầu phải là mã tỉnh, thành phố nơi đăng ký khai sinh.")
    year = 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])
    if year > timezone.localdate().year:
        return _("không hợp lệ: chữ số thứ 4 đến thứ 6 cho năm sinh %(year)d, sau năm nay.") % {"year": year}
    return None


def field_names(field: dict, prefix: str = "") -> list[str]:
    """The HTML names of a field's inputs (the first is where the error summary links to)."""
    base = prefix + field["id"]
    if field["type"] == "date":
        return [f"{base}__{part}" for part in DATE_PARTS]
    if field["type"] == "address":
        return [f"{base}__xa", f"{base}__chi_tiet"]
    return [base]


def read_field(field: dict, data, prefix: str = ""):
    """The posted value of one field, as typed (``data`` is a QueryDict or dict)."""
    names = field_names(field, prefix)
    if field["type"] == "date":
        return {
            part: str(data.get(name, "")).strip()[:4] for part, name in zip(DATE_PARTS, names, strict=True)
        }
    if field["type"] == "address":
        return {
            "unit": str(data.get(names[0], "")).strip()[:10],
            "detail": str(data.get(names[1], "")).strip()[:300],
        }
    if field["type"] == "checkbox":
        return data.get(names[0]) in ("on", "1", "true", True)
    return str(data.get(names[0], "")).replace("\x00", "").strip()[: field.get("max_length", 2000)]


def read_section(section: dict, data) -> dict | list:
    """The posted values of a section: a dict, or for a repeated group a list of dicts (one per item)."""
    if "repeat" not in section:
        return {field["id"]: read_field(field, data) for field in section["fields"]}
    try:
        count = int(data.get(f"{section['id']}-so_muc", 0))
    except (TypeError, ValueError):
        count = 0
    count = max(0, min(count, section["repeat"]["max"]))
    return [
        {field["id"]: read_field(field, data, f"{section['id']}-{index}-") for field in section["fields"]}
        for index in range(count)
    ]


def is_empty(value) -> bool:
    if isinstance(value, dict):
        return not any(str(part).strip() for part in value.values())
    return value in ("", None, False)


def shown(when: dict | None, answers: dict) -> bool:
    """Whether a section or field with condition ``when`` applies, given the answers of plain sections."""
    if not when:
        return True
    value = answers.get(when["field"])
    if value is True:
        value = "on"
    allowed = when["in"] if "in" in when else [when["equals"]]
    return value in allowed


def plain_answers(answers: dict) -> dict:
    """Answers of non-repeated sections, flattened: what conditions read."""
    flat = {}
    for value in answers.values():
        if isinstance(value, dict):
            flat.update(value)
    return flat


def _date_bound(value: str) -> date:
    return timezone.localdate() if value == "today" else date.fromisoformat(value)


def parsed_date(value) -> date | None:
    try:
        return date(int(value["nam"]), int(value["thang"]), int(value["ngay"]))
    except (KeyError, TypeError, ValueError):
        return None


def _date_problem(field: dict, value: dict) -> str | None:
    parts = [value.get(part, "") for part in DATE_PARTS]
    if not all(part.isdigit() for part in parts):
        return _("%(label)s: nhập ngày, tháng, năm bằng chữ số (ví dụ 25 11 2026).") % {
            "label": field["label"]
        }
    if len(parts[2]) != 4:
        return _("%(label)s: năm gồm 4 chữ số.") % {"label": field["label"]}
    day = parsed_date(value)
    if day is None:
        return _("%(label)s: ngày %(d)s/%(m)s/%(y)s không có trên lịch.") % {
            "label": field["label"],
            "d": parts[0],
            "m": parts[1],
            "y": parts[2],
        }
    if "date_max" in field and day > _date_bound(field["date_max"]):
        if field["date_max"] == "today":
            return _("%(label)s không thể sau ngày hôm nay.") % {"label": field["label"]}
        return _("%(label)s phải trước hoặc đúng ngày %(date)s.") % {
            "label": field["label"],
            "date": _date_bound(field["date_max"]).strftime("%d/%m/%Y"),
        }
    if "date_min" in field and day < _date_bound(field["date_min"]):
        return _("%(label)s phải từ ngày %(date)s trở đi.") % {
            "label": field["label"],
            "date": _date_bound(field["date_min"]).strftime("%d/%m/%Y"),
        }
    return None


def field_problem(field: dict, value, unit_codes) -> str | None:
    """What is wrong with one shown field's value, in words the applicant understands; None if nothing."""
    label = field["label"]
    if is_empty(value):
        if field.get("required"):
            if field["type"] == "checkbox":
                return _("Vui lòng đánh dấu: %(label)s.") % {"label": label}
            if field["type"] in CHOICE_TYPES | {"address"}:
                return _("Vui lòng chọn %(label)s.") % {"label": label[:1].lower() + label[1:]}
            return _("Vui lòng nhập %(label)s.") % {"label": label[:1].lower() + label[1:]}
        return None
    kind = field["type"]
    if kind == "date":
        return _date_problem(field, value)
    if kind == "address":
        if not value.get("unit"):
            return _("%(label)s: vui lòng chọn xã, phường.") % {"label": label}
        if value["unit"] not in unit_codes:
            return _("%(label)s: xã, phường đã chọn không có trong danh mục đơn vị hành chính của tỉnh.") % {
                "label": label
            }
        if field.get("required") and not value.get("detail"):
            return _("%(label)s: vui lòng nhập số nhà, đường, thôn, ấp.") % {"label": label}
        return None
    if kind in CHOICE_TYPES:
        if value not in {choice["value"] for choice in field["choices"]}:
            return _("%(label)s: lựa chọn không hợp lệ, vui lòng chọn lại.") % {"label": label}
        return None
    if kind == "personal_id":
        problem = personal_id_problem(value)
        return f"{label} {problem}" if problem else None
    if kind == "phone" and not PHONE.match(value.replace(" ", "").replace(".", "")):
        return _("%(label)s: số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).") % {
            "label": label
        }
    if kind == "email":
        try:
            validate_email(value)
        except ValidationError:
            return _("%(label)s: địa chỉ thư điện tử chưa đúng (ví dụ ten@example.vn).") % {"label": label}
    if kind == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return _("%(label)s: vui lòng nhập một số.") % {"label": label}
        if (
            number != number
            or ("min" in field and number < field["min"])
            or ("max" in field and number > field["max"])
        ):
            return _("%(label)s: số phải từ %(min)s đến %(max)s.") % {
                "label": label,
                "min": field.get("min", "…"),
                "max": field.get("max", "…"),
            }
    if "max_length" in field and isinstance(value, str) and len(value) > field["max_length"]:
        return _("%(label)s: tối đa %(n)d ký tự.") % {"label": label, "n": field["max_length"]}
    if "pattern" in field and isinstance(value, str) and not re.fullmatch(field["pattern"], value):
        return f"{label}: {field['pattern_message']}"
    return None


def section_problems(section: dict, value, context: dict, unit_codes) -> list[tuple[str, str]]:
    """Every problem of one section's answers as (input name, message) pairs; ``context`` holds the answers of the
    plain sections (for conditions)."""
    problems = []
    if "repeat" in section:
        items = value if isinstance(value, list) else []
        if len(items) < section["repeat"].get("min", 0):
            problems.append(
                (
                    f"{section['id']}-them",
                    _("%(title)s: cần ít nhất %(n)d %(item)s.")
                    % {
                        "title": section["title"],
                        "n": section["repeat"]["min"],
                        "item": section["repeat"].get("item_label", "mục").lower(),
                    },
                )
            )
        for index, item in enumerate(items):
            prefix = f"{section['id']}-{index}-"
            for field in section["fields"]:
                if not shown(field.get("when"), {**context, **item}):
                    continue
                problem = field_problem(field, item.get(field["id"]), unit_codes)
                if problem:
                    label = section["repeat"].get("item_label", "")
                    problems.append((field_names(field, prefix)[0], f"{label} {index + 1} – {problem}"))
        return problems
    values = value if isinstance(value, dict) else {}
    for field in section["fields"]:
        if not shown(field.get("when"), {**context, **values}):
            continue
        problem = field_problem(field, values.get(field["id"]), unit_codes)
        if problem:
            problems.append((field_names(field)[0], problem))
    return problems


def visible_sections(definition: dict, answers: dict) -> list[dict]:
    context = plain_answers(answers)
    return [section for section in definition["sections"] if shown(section.get("when"), context)]


def all_problems(definition: dict, answers: dict, unit_codes) -> dict[str, list[tuple[str, str]]]:
    """Problems per visible section id (sections without problems are left out)."""
    context = plain_answers(answers)
    found = {}
    for section in visible_sections(definition, answers):
        problems = section_problems(section, answers.get(section["id"]), context, unit_codes)
        if problems:
            found[section["id"]] = problems
    return found
