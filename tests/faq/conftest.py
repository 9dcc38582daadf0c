import csv
import io

import pytest

from faq.catalog_facts import procedure_facts
from faq.demo import DATA_DIR
from faq.importer import faq_import
from faq.models import FaqEntry, PendingQuestion
from portal.catalog.models import Procedure
from portal.catalog.selectors import procedure_receiving_agencies

# A few procedures people ask about most; their entries are written from their records as build_faq_data does.
CODES = ("1.001193", "1.000894", "1.000656", "1.004873", "1.004222", "1.004194", "1.001612", "2.000829")


def _catalog_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "question", "answer", "agency", "field", "procedure_codes"])
    for procedure in Procedure.objects.filter(code__in=CODES).prefetch_related(
        "channels", "documents", "applicant_types", "agency_links__agency"
    ):
        receiving = [a.name for a in procedure_receiving_agencies(procedure)]
        for fact in procedure_facts(procedure, receiving):
            writer.writerow(
                [f"tthc-{procedure.code}-{fact.aspect}", fact.question, fact.answer, "", "", procedure.code]
            )
    return out.getvalue()


@pytest.fixture(scope="module")
def faq_entries(django_db_setup, django_db_blocker):
    """The hand-written entries about the portal and the entries about a few common procedures, published; written
    once for a module (each process then builds its answering index once) and removed after it."""
    with django_db_blocker.unblock():
        with open(DATA_DIR / "portal.csv", encoding="utf-8", newline="") as handle:
            faq_import(handle)
        faq_import(io.StringIO(_catalog_csv(), newline=""))
        yield
        PendingQuestion.objects.all().delete()
        FaqEntry.objects.all().delete()
