"""A department admin keeps their own agency's procedures in the admin, and nobody else's."""

import pytest

from portal.accounts.models import User
from portal.catalog.models import Procedure
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

JUSTICE = "000.00.05.H01"
CONSTRUCTION = "000.00.06.H01"


@pytest.fixture
def justice_admin(make_user):
    return make_user("qt_tuphap", role=User.Role.DEPARTMENT_ADMIN, agency_code=JUSTICE, is_staff=True)


def _procedure_of(agency_code: str) -> Procedure:
    return Procedure.objects.filter(
        agency_links__agency__code=agency_code, agency_links__role="competent"
    ).first()


def test_department_admin_edits_their_own_procedure(client, justice_admin):
    procedure = _procedure_of(JUSTICE)
    staff_login(client, justice_admin)
    url = f"/quan-tri/catalog/procedure/{procedure.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "name": "Thủ tục đăng ký khai sinh (đã cập nhật)",
            "applicant_types": [a.pk for a in procedure.applicant_types.all()],
            "steps": '["Bước 1: Nộp hồ sơ"]',
            "results": '["Giấy khai sinh"]',
        }
    )
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for field in management:
            data[f"{management.prefix}-{field.name}"] = field.value()
        for index, sub in enumerate(inline.formset.forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[f"{inline.formset.prefix}-{index}-{name}"] = value
    for key, value in list(data.items()):
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                del data[key]
        elif isinstance(value, list) and key.endswith("templates"):
            data[key] = str(value).replace("'", '"')
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    procedure.refresh_from_db()
    assert procedure.name == "Thủ tục đăng ký khai sinh (đã cập nhật)"


def test_department_admin_cannot_open_another_departments_procedure(client, justice_admin):
    other = _procedure_of(CONSTRUCTION)
    staff_login(client, justice_admin)
    response = client.get(f"/quan-tri/catalog/procedure/{other.pk}/change/")
    assert response.status_code in (302, 403, 404)
    assert client.post(f"/quan-tri/catalog/procedure/{other.pk}/change/", {"name": "x"}).status_code in (
        302,
        403,
        404,
    )
    other.refresh_from_db()
    assert other.name != "x"


def test_department_admin_list_shows_only_their_procedures(client, justice_admin):
    staff_login(client, justice_admin)
    response = client.get("/quan-tri/catalog/procedure/?all=")
    shown = response.context["cl"].result_count
    assert (
        0
        < shown
        == Procedure.objects.filter(
            agency_links__agency__code=JUSTICE, agency_links__role="competent"
        ).count()
    )
    assert shown < Procedure.objects.count()


def test_nobody_deletes_procedures_through_the_admin(client, justice_admin):
    staff_login(client, justice_admin)
    procedure = _procedure_of(JUSTICE)
    assert client.get(f"/quan-tri/catalog/procedure/{procedure.pk}/delete/").status_code == 403


@pytest.mark.parametrize("role", [User.Role.CITIZEN, User.Role.ONESTOP_OFFICER, User.Role.LEADER])
def test_other_roles_do_not_see_the_catalogue_admin(client, make_user, role):
    user = make_user(f"u_{role}", role=role, agency_code=JUSTICE, is_staff=True)
    staff_login(client, user)
    assert client.get("/quan-tri/catalog/procedure/").status_code == 403


def test_province_admin_sees_every_procedure(client, make_user):
    user = make_user("qt_tinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)
    staff_login(client, user)
    assert client.get("/quan-tri/catalog/procedure/?all=").context["cl"].result_count == 1601
