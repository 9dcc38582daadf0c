import json

import pytest
from django.core.management import call_command

from portal.territory.models import AdministrativeUnit
from portal.territory.services import UnknownProvince, units_load

pytestmark = pytest.mark.django_db


def test_an_giang_has_its_102_commune_units_under_the_province():
    province = AdministrativeUnit.objects.get(code="91")
    communes = AdministrativeUnit.objects.filter(parent=province, kind=AdministrativeUnit.Kind.COMMUNE)
    assert province.full_name == "Tỉnh An Giang"
    assert communes.count() == 102
    assert sorted({c.unit_type for c in communes}) == ["Phường", "Xã", "Đặc khu"]
    assert communes.filter(unit_type="Đặc khu").count() == 3


def test_loading_again_changes_nothing():
    result = units_load(province_code="91")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 103)


def test_another_province_loads_from_the_same_file():
    result = units_load(province_code="01")
    assert result.created > 100
    assert AdministrativeUnit.objects.get(code="01").kind == AdministrativeUnit.Kind.PROVINCE


def test_unknown_province_is_refused():
    with pytest.raises(UnknownProvince):
        units_load(province_code="99")


def test_former_three_level_structure_loads_as_a_deeper_tree(tmp_path):
    data = [
        {
            "Code": "77",
            "Name": "Thử",
            "FullName": "Tỉnh Thử",
            "AdministrativeUnitShortName": "Tỉnh",
            "Districts": [
                {
                    "Code": "770",
                    "Name": "Một",
                    "FullName": "Huyện Một",
                    "AdministrativeUnitShortName": "Huyện",
                    "Wards": [
                        {
                            "Code": "77001",
                            "Name": "Hai",
                            "FullName": "Xã Hai",
                            "AdministrativeUnitShortName": "Xã",
                        }
                    ],
                }
            ],
        }
    ]
    path = tmp_path / "units.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    units_load(province_code="77", path=path)
    commune = AdministrativeUnit.objects.get(code="77001")
    assert commune.parent.code == "770"
    assert commune.parent.kind == AdministrativeUnit.Kind.DISTRICT
    assert commune.parent.parent.code == "77"


def test_command_reports_counts(capsys):
    call_command("load_units")
    assert "0 mới, 0 cập nhật, 103 không đổi" in capsys.readouterr().out
