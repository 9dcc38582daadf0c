"""Loading the province's agencies: provincial bodies from a data file, one People's Committee per commune."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.agencies.signals import NAMESPACE
from portal.territory.models import AdministrativeUnit

DATA_DIR = Path(__file__).parent / "data"
COMMUNES_PER_GROUP = 99  # two-digit Z1Z2 positions 01..99 in a QCVN 102 identifier


class AgencyDataMissing(Exception):
    pass


@dataclass
class AgencyLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def agency_data_read(province_code: str) -> dict:
    path = DATA_DIR / f"{province_code}.json"
    if not path.exists():
        raise AgencyDataMissing(f"No agency list for province {province_code}: add {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def commune_agency_code(pattern: str, first_group: int, position: int) -> str:
    """Identifier of the ``position``-th commune (1-based), filling groups of 99 positions from ``first_group``."""
    group, index = divmod(position - 1, COMMUNES_PER_GROUP)
    return pattern.format(index=index + 1, group=first_group + group)


def _upsert(code: str, values: dict, result: AgencyLoadResult) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        result.created += 1
        return Agency.objects.create(code=code, **values)
    changed = {name: value for name, value in values.items() if getattr(agency, name) != value}
    if changed:
        Agency.objects.filter(pk=agency.pk).update(**changed)  # sends no signal: agencies_load bumps
        result.updated += 1
    else:
        result.unchanged += 1
    return agency


@versioned.bumps_deferred()
@transaction.atomic
def agencies_load(*, province_code: str) -> AgencyLoadResult:
    """Create or update the province's agencies; needs the unit tree loaded first. Never deletes. What shows agency
    names (catalogue pages, their filter options) is made again from the next request on."""
    data = agency_data_read(province_code)
    province = AdministrativeUnit.objects.get(code=province_code, kind=AdministrativeUnit.Kind.PROVINCE)
    result = AgencyLoadResult()
    top = data["province_agency"]
    province_agency = _upsert(
        top["code"],
        {
            "name": top["name"],
            "short_name": top.get("short_name", ""),
            "kind": Agency.Kind.PROVINCE,
            "unit": province,
        },
        result,
    )
    for row in data["agencies"]:
        _upsert(
            row["code"],
            {
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "unit": province,
                "parent": province_agency,
                "address": row.get("address", ""),
                "agency_keywords": row.get("agency_keywords", []),
                "field_keywords": row.get("field_keywords", []),
                "ministries": row.get("ministries", []),
                "needs_verification": bool(row.get("verify", False)),
            },
            result,
        )
    communes = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.COMMUNE).filter(
        units_under_q(province)
    )
    for position, unit in enumerate(communes.order_by("code"), start=1):
        _upsert(
            commune_agency_code(data["commune_code_pattern"], data["commune_code_groups_start"], position),
            {
                "name": f"Ủy ban nhân dân {unit.full_name}",
                "short_name": f"UBND {unit.full_name}",
                "kind": Agency.Kind.COMMUNE,
                "unit": unit,
                "parent": province_agency,
            },
            result,
        )
    if result.created or result.updated:
        versioned.bump(NAMESPACE)  # the updates above send no signal
    return result


def units_under_q(province: AdministrativeUnit) -> Q:
    """Units directly under the province, or under one of its (former) districts."""
    return Q(parent=province) | Q(parent__parent=province)
