import re

import pytest

from portal.agencies.models import Agency
from portal.agencies.services import agencies_load, commune_agency_code
from portal.territory.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
QCVN_102 = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")


def test_every_commune_has_its_peoples_committee():
    communes = Agency.objects.filter(kind=Agency.Kind.COMMUNE)
    units = AdministrativeUnit.objects.filter(parent__code="91", kind=AdministrativeUnit.Kind.COMMUNE)
    assert communes.count() == units.count() > 0
    assert set(communes.values_list("unit_id", flat=True)) == set(units.values_list("pk", flat=True))
    assert Agency.objects.get(unit__code="31108").name == "Ủy ban nhân dân Đặc khu Kiên Hải"


def test_every_agency_code_has_the_qcvn_102_shape_and_is_unique():
    codes = list(Agency.objects.values_list("code", flat=True))
    assert all(QCVN_102.match(code) for code in codes), [c for c in codes if not QCVN_102.match(c)]
    assert len(codes) == len(set(codes))


def test_province_agency_carries_the_configured_code(settings):
    assert Agency.objects.get(kind=Agency.Kind.PROVINCE).code == settings.PORTAL_PROVINCE_AGENCY_CODE


def test_commune_codes_fill_groups_of_99():
    pattern = "000.{index:02d}.{group:02d}.H01"
    assert commune_agency_code(pattern, 50, 1) == "000.01.50.H01"
    assert commune_agency_code(pattern, 50, 99) == "000.99.50.H01"
    assert commune_agency_code(pattern, 50, 100) == "000.01.51.H01"


def test_loading_again_is_idempotent_and_keeps_admin_edits_to_contact_details():
    agency = Agency.objects.get(code="000.00.05.H01")
    agency.phone = "0297 123 456"
    agency.save()
    result = agencies_load(province_code="91")
    assert result.created == 0
    agency.refresh_from_db()
    assert agency.phone == "0297 123 456"
