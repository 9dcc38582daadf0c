"""portal/prepared.py: a query compiled once gives what the ORM gives, for any value, and refuses what it cannot do."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.catalog.models import Channel, Procedure, ProcedureAgency
from portal.prepared import Prepared, builder

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


def test_values_list_gives_tuples_and_builder_makes_a_model_from_them():
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
    built = builder(ProcedureAgency, "default", ("agency_id", "role", "id"))(rows[0])
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


def test_a_built_row_is_what_the_orm_reads_deferred_columns_and_saving_included():
    by_procedure = Prepared(lambda pk: Channel.objects.filter(procedure_id=pk).only("kind"), sentinel=-1)
    channel = Channel.objects.order_by("pk").first()
    built = next(c for c in by_procedure(channel.procedure_id) if c.pk == channel.pk)
    read = Channel.objects.only("kind").get(pk=channel.pk)
    assert built.get_deferred_fields() == read.get_deferred_fields() != set()
    assert (
        (built._state.adding, built._state.db) == (read._state.adding, read._state.db) == (False, "default")
    )
    assert built.description == channel.description  # a deferred column is read when asked for
    built.description = "Mô tả mới"
    built.save(update_fields=["description"])  # an UPDATE of the row, not a new one
    assert Channel.objects.get(pk=channel.pk).description == "Mô tả mới"
    assert Channel.objects.filter(procedure_id=channel.procedure_id).count() == len(
        by_procedure(channel.procedure_id)
    )


def test_a_model_someone_listens_to_at_init_is_built_through_its_init():
    from django.db.models.signals import post_init

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listener, sender=ProcedureAgency)
    try:
        link = ProcedureAgency.objects.order_by("pk").first()
        seen.clear()
        built = builder(ProcedureAgency, "default", ("agency_id", "role", "id"))(
            (link.agency_id, link.role, link.pk)
        )
    finally:
        post_init.disconnect(listener, sender=ProcedureAgency)
    assert seen == [link.pk] and built.pk == link.pk
