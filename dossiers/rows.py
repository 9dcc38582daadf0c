"""Dossier rows read as tuples (prepared reads, portal/prepared.py) made into dossiers with what a list shows of
their procedure and agencies: the queues, "my dossiers", the public tracking answer."""

from collections.abc import Callable

from dossiers.models import Dossier
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from portal.prepared import builder

# The names a row shows, read with it: the procedure's code and name, the receiving and handling agencies' names.
NAME_FIELDS = ("procedure__code", "procedure__name", "receiving_agency__name", "handling_agency__name")


def dossier_with_names(own_fields: tuple[str, ...]) -> Callable[[tuple], Dossier]:
    """A function making a row of ``own_fields`` then ``NAME_FIELDS`` (then anything else, left to the caller) into a
    dossier with its procedure and agencies as a ``select_related`` read of only their names would leave them."""
    dossier_of = builder(Dossier, "default", own_fields)
    procedure_of = builder(Procedure, "default", ("id", "code", "name"))
    agency_of = builder(Agency, "default", ("id", "name"))
    size = len(own_fields)

    def make(row):
        dossier = dossier_of(row[:size])
        procedure_code, procedure_name, receiving_name, handling_name = row[size : size + 4]
        procedure = procedure_of((dossier.procedure_id, procedure_code, procedure_name))
        Dossier.procedure.field.set_cached_value(dossier, procedure)
        for field, pk, name in (
            (Dossier.receiving_agency.field, dossier.receiving_agency_id, receiving_name),
            (Dossier.handling_agency.field, dossier.handling_agency_id, handling_name),
        ):
            field.set_cached_value(dossier, agency_of((pk, name)) if pk is not None else None)
        return dossier

    return make
