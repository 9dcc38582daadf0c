"""Who keeps which entries in the admin, and the demo data the portal ships."""

import io

import pytest
from django.core.management import call_command

from faq.demo import DATA_DIR, faq_demo_load
from faq.models import FaqEntry
from faq.selectors import quota_rows
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.demo import demo_data_loading
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db
JUSTICE = "000.00.05.H01"
CONSTRUCTION = "000.00.06.H01"


@pytest.fixture
def justice_admin(make_user):
    return make_user("qt_tuphap_faq", role=User.Role.DEPARTMENT_ADMIN, agency_code=JUSTICE, is_staff=True)


def _entry(agency_code: str | None, question: str) -> FaqEntry:
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    return FaqEntry.objects.create(question=question, answer="Đáp.", agency=agency)


def test_a_department_admin_sees_and_edits_only_their_agencys_entries(client, justice_admin):
    own = _entry(JUSTICE, "Câu của Sở Tư pháp?")
    other = _entry(CONSTRUCTION, "Câu của Sở Xây dựng?")
    province = _entry(None, "Câu của toàn tỉnh?")
    staff_login(client, justice_admin)
    listing = client.get("/quan-tri/faq/faqentry/").content.decode()
    assert own.question in listing
    assert other.question not in listing and province.question not in listing
    assert client.get(f"/quan-tri/faq/faqentry/{own.pk}/change/").status_code == 200
    assert client.get(f"/quan-tri/faq/faqentry/{other.pk}/change/").status_code in (302, 403, 404)
    response = client.post(
        f"/quan-tri/faq/faqentry/{own.pk}/change/",
        {
            "question": own.question,
            "answer": "Đáp mới.",
            "agency": Agency.objects.get(code=JUSTICE).pk,
            "state": "published",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.answer, own.state) == ("Đáp mới.", "published")


def test_a_department_admin_cannot_put_an_entry_under_another_agency(client, justice_admin):
    own = _entry(JUSTICE, "Câu của Sở Tư pháp?")
    staff_login(client, justice_admin)
    response = client.post(
        f"/quan-tri/faq/faqentry/{own.pk}/change/",
        {
            "question": own.question,
            "answer": "Đáp.",
            "agency": Agency.objects.get(code=CONSTRUCTION).pk,
            "state": "draft",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    own.refresh_from_db()
    assert own.agency.code == JUSTICE


def test_the_demo_data_has_500_published_entries_and_every_department_with_procedures_its_quota():
    faq_demo_load()
    assert FaqEntry.objects.filter(state="published").count() >= 500
    rows = quota_rows()
    with_procedures = [r for r in rows["department"] if r.agency.procedure_links.exists()]
    # Tòa án nhân dân tỉnh has three procedures: eighteen entries is all they give.
    short = [r.agency.name for r in with_procedures if not r.met and r.agency.procedure_links.count() >= 9]
    assert short == []
    assert all(r.met for r in rows["commune"])


def test_load_demo_asks_the_faq_app_for_its_demo_data_through_a_signal(monkeypatch):
    calls = []
    monkeypatch.setattr("faq.demo.faq_demo_load", lambda **kwargs: calls.append(kwargs))
    demo_data_loading.send(sender=None, stdout=io.StringIO(), stderr=io.StringIO())
    assert len(calls) == 1


def test_every_entry_of_the_shipped_data_imports_without_refusal():
    out, err = io.StringIO(), io.StringIO()
    for name in ("portal.csv", "catalog.csv"):
        call_command("import_faq", str(DATA_DIR / name), stdout=out, stderr=err)
    assert "từ chối: 0" in out.getvalue() and "từ chối" not in err.getvalue()
