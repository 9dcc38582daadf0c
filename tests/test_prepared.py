"""portal/prepared.py: a query compiled once gives what the ORM gives, for any value, and refuses what it cannot do."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.catalog.models import Channel, Procedure, ProcedureAgency
from portal.prepared import Prepared, instance

pytestmark = pytest.mark.django_db


def _fields(objects, names):
    return [tuple(getattr(o, name) for name in names) for o in objects]


def test_model_rows_are_those_the_orm_reads_for_each_value():
    by_procedure = Prepared(lambda pk: Channel.objects.filter(procedure_id=pk), sentinel=-1)
    names = [f.attname for f in Channel._meta.concrete_fields]
    for pk in Procedure.objects.order_by("?").values_list("pk", flat=True)[:20]:
        assert _fields(by_procedure(pk), names) == _fields(Channel.objects.filter(procedure_id=pk), names)


def test_a_list_of_values_of_any_length_is_read_that_many_at_a_time():
    by_ids = Prepared(
        lambda ids: Procedure.objects.filter(id__in=ids).order_by().only("code"), sentinel=(-1, -2, -3)
    )
    ids = list(Procedure.objects.values_list("pk", flat=True)[:8])
    assert sorted(p.code for p in by_ids(ids)) == sorted(
        Procedure.objects.filter(id__in=ids).values_list("code", flat=True)
    )
    assert by_ids([]) == [] and [p.pk for p in by_ids(ids[:1])] == ids[:1]
    assert "name" in by_ids(ids[:1])[0].get_deferred_fields()


def test_values_list_gives_tuples_and_instance_builds_a_model_from_them():
    links = Prepared(
        lambda pk: (
            ProcedureAgency.objects.filter(procedure_id=pk)
            .order_by("pk")
            .values_list("agency_id", "role", "pk")
        ),
        sentinel=-1,
    )
    link = ProcedureAgency.objects.order_by("pk").first()
    rows = links(link.procedure_id)
    assert rows == list(
        ProcedureAgency.objects.filter(procedure_id=link.procedure_id)
        .order_by("pk")
        .values_list("agency_id", "role", "pk")
    )
    built = instance(ProcedureAgency, "default", ("agency_id", "role", "id"), rows[0])
    assert (built.pk, built.role, built.agency_id) == (link.pk, link.role, link.agency_id)


@pytest.mark.parametrize(
    "make",
    [
        lambda pk: Channel.objects.filter(procedure_id=pk).select_related("procedure"),
        lambda pk: Channel.objects.filter(procedure_id=pk).exclude(pk=pk),
        lambda pk: Channel.objects.filter(procedure_id=pk).values("kind"),
    ],
    ids=["select_related", "sentinel twice", "values"],
)
def test_what_cannot_be_prepared_is_refused_when_first_run(make):
    with pytest.raises(ImproperlyConfigured):
        Prepared(make, sentinel=-1)(1)
