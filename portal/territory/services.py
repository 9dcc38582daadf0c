"""Loading the administrative-unit tree from the vendored national list."""

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from portal.territory.models import AdministrativeUnit

DEFAULT_UNITS_FILE = Path(__file__).parent / "data" / "vn_units_2026-07-25.json.gz"


class UnknownProvince(Exception):
    pass


@dataclass
class UnitLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_units_file(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _attributes(row: dict, kind: str, parent: AdministrativeUnit | None) -> dict:
    return {
        "name": row["Name"],
        "full_name": row.get("FullName") or row["Name"],
        "name_en": row.get("NameEn", ""),
        "full_name_en": row.get("FullNameEn", ""),
        "kind": kind,
        "unit_type": row.get("AdministrativeUnitShortName", ""),
        "unit_type_en": row.get("AdministrativeUnitShortNameEn", ""),
        "parent": parent,
    }


def _upsert(
    row: dict, kind: str, parent: AdministrativeUnit | None, result: UnitLoadResult
) -> AdministrativeUnit:
    values = _attributes(row, kind, parent)
    unit = AdministrativeUnit.objects.filter(code=row["Code"]).first()
    if unit is None:
        result.created += 1
        return AdministrativeUnit.objects.create(code=row["Code"], **values)
    if any(getattr(unit, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(unit, name, value)
        unit.save()
        result.updated += 1
    else:
        result.unchanged += 1
    return unit


@transaction.atomic
def units_load(*, province_code: str, path: Path = DEFAULT_UNITS_FILE) -> UnitLoadResult:
    """Create or update the province and every unit under it; idempotent, never deletes."""
    provinces = [row for row in read_units_file(path) if row.get("Code") == province_code]
    if not provinces:
        raise UnknownProvince(f"Province code {province_code!r} is not in {path.name}")
    province_row = provinces[0]
    result = UnitLoadResult()
    province = _upsert(province_row, AdministrativeUnit.Kind.PROVINCE, None, result)
    for district_row in province_row.get("Districts", []):
        district = _upsert(district_row, AdministrativeUnit.Kind.DISTRICT, province, result)
        for ward_row in district_row.get("Wards", []):
            _upsert(ward_row, AdministrativeUnit.Kind.COMMUNE, district, result)
    for ward_row in province_row.get("Wards", []):
        _upsert(ward_row, AdministrativeUnit.Kind.COMMUNE, province, result)
    return result
