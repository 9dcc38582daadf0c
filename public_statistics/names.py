"""Names of the ids the summary tables are keyed by, read from the core's catalogue, agencies and territory.

A breakdown names up to a few hundred keys: the whole list of a dimension's names (fields, agencies, procedures) is
read once and kept through the one mechanism under its owner's namespace (the catalogue, the agencies), which their
apps bump on every change; a list of ids in an ``IN (…)`` cost more to build than the whole table to read. The 102
communes are read as they are (the territory keeps no version; its table is loaded by ``load_units``).
"""

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.catalog.models import Field, Procedure
from portal.territory.models import AdministrativeUnit

KEPT_SECONDS = 3600


def _fields() -> dict[int, str]:
    return dict(Field.objects.values_list("pk", "name"))


def _agencies() -> dict[int, str]:
    return dict(Agency.objects.values_list("pk", "name"))


def _procedures() -> dict[int, str]:
    return {pk: f"{code} · {name}" for pk, code, name in Procedure.objects.values_list("pk", "code", "name")}


def _units() -> dict[int, str]:
    return dict(AdministrativeUnit.objects.values_list("pk", "full_name"))


SOURCES = {
    "field_id": ("catalog", _fields),
    "agency_id": ("agencies", _agencies),
    "procedure_id": ("catalog", _procedures),
}


def _every(attr: str) -> dict[int, str]:
    if attr == "unit_id":
        return _units()
    if attr not in SOURCES:
        raise ValueError(attr)
    namespace, read = SOURCES[attr]
    return versioned.get_or_set(f"stats:names:{attr}", [namespace], read, KEPT_SECONDS)


def names_of(attr: str, ids) -> dict[int, str]:
    every = _every(attr)
    return {i: every[i] for i in ids if i and i in every}


def communes(province_code: str | None = None) -> list[tuple[int, str, str]]:
    """(id, code, full name) of the commune-level units."""
    return list(
        AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.COMMUNE).values_list(
            "pk", "code", "full_name"
        )
    )
