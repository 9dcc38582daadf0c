import json

import pytest

from eforms.demo import DEFINITIONS_DIR
from eforms.services import definition_import
from tests.people import make_staff, uploads_in


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


@pytest.fixture
def birth_form(db):
    data = json.loads((DEFINITIONS_DIR / "1.001193-khai-sinh.json").read_text(encoding="utf-8"))
    return definition_import(data=data)[0]


@pytest.fixture
def people(make_user):
    return make_staff(make_user)


@pytest.fixture
def commune_code(db):
    from portal.territory.models import AdministrativeUnit

    return (
        AdministrativeUnit.objects.filter(kind="commune")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
