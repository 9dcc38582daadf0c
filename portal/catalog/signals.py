"""Whatever is kept from the catalogue (public pages, filter options, each process's search index) follows every
write to it: a save or delete of a procedure or of anything shown with it bumps the ``"catalog"`` namespace
(``portal.cache``). The importer's bulk writes, which send no signal, bump it themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import cache as versioned
from portal.catalog.models import (
    ApplicantType,
    Channel,
    Field,
    LegalDocument,
    Procedure,
    ProcedureAgency,
    RequiredDocument,
)
from portal.catalog.search_index import NAMESPACE

WATCHED = (Procedure, Field, ApplicantType, ProcedureAgency, Channel, RequiredDocument, LegalDocument)


def catalog_changed(sender, **kwargs) -> None:
    versioned.bump(NAMESPACE)


def connect() -> None:
    for model in WATCHED:
        uid = f"catalog_changed.{model.__name__}"
        post_save.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(
        catalog_changed, sender=Procedure.applicant_types.through, dispatch_uid="catalog_changed.applicants"
    )
    m2m_changed.connect(
        catalog_changed, sender=Procedure.agencies.through, dispatch_uid="catalog_changed.agencies"
    )
