"""Names of the ids the summary tables are keyed by, read from the core's catalogue, agencies and territory."""

from portal.agencies.models import Agency
from portal.catalog.models import Field, Procedure
from portal.territory.models import AdministrativeUnit


def names_of(attr: str, ids) -> dict[int, str]:
    ids = [i for i in ids if i]
    if attr == "field_id":
        return dict(Field.objects.filter(pk__in=ids).values_list("pk", "name"))
    if attr == "agency_id":
        return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    if attr == "unit_id":
        return dict(AdministrativeUnit.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    if attr == "procedure_id":
        return {
            pk: f"{code} · {name}"
            for pk, code, name in Procedure.objects.filter(pk__in=ids).values_list("pk", "code", "name")
        }
    raise ValueError(attr)


def communes(province_code: str | None = None) -> list[tuple[int, str, str]]:
    """(id, code, full name) of the commune-level units."""
    return list(
        AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.COMMUNE).values_list(
            "pk", "code", "full_name"
        )
    )
