"""The population database client against the running stand-in (its LGSP, OAuth2 client credentials): found and
not found, the token kept and renewed when the platform says it expired, the platform's refusals (100, 101, 106,
302) and the network's faults classified so the draft form can say "fill it by hand"."""

from datetime import date

import pytest

from integrations.population.client import population_client
from integrations.population.errors import NotConfigured, PermanentError, TemporaryError

PERSON = {
    "SoDinhDanh": "091185000123",
    "HoVaTen": "Trần  Thị Mỹ Lan",
    "NgayThangNamSinh": "19850314",
    "GioiTinh": 2,
    "NoiThuongTru": "Số 5 đường Trần Phú, Phường Rạch Giá, tỉnh An Giang",
    "NoiOHienTai": "Số 9 đường Lạc Hồng, Phường Vĩnh Thông, tỉnh An Giang",
    "ChuHo": {"HoVaTen": "Trần Văn Hùng", "SoDinhDanh": "091060000456", "QuanHe": "Con"},
}


def test_a_registered_person_is_read_with_every_field(population_settings, standin):
    standin.population_add(PERSON)
    citizen = population_client().citizen("091185000123")
    assert citizen.full_name == "Trần Thị Mỹ Lan"
    assert citizen.birth_date == date(1985, 3, 14)
    assert citizen.sex == "female"
    assert citizen.permanent_address.startswith("Số 5 đường Trần Phú")
    assert citizen.current_address.startswith("Số 9 đường Lạc Hồng")
    assert (citizen.household_head_name, citizen.household_head_relation) == ("Trần Văn Hùng", "Con")


def test_the_seeded_population_answers_lookups(population_settings, standin):
    someone = standin.population_people(limit=1)[0]
    assert population_client().citizen(someone["SoDinhDanh"]).full_name == someone["HoVaTen"]


def test_nobody_with_that_id_is_none(population_settings, standin):
    assert population_client().citizen("000000000000") is None
    assert standin.population_received()[-1] == {"SoDinhDanh": "000000000000", "outcome": "not_found"}


def test_one_token_serves_many_lookups_and_an_expired_one_is_renewed_once(population_settings, standin):
    standin.population_add(PERSON)
    client = population_client()
    for _ in range(3):
        client.citizen("091185000123")
    assert standin.stats()["population"]["tokens_issued"] == 1
    standin.population_expire_tokens()
    assert client.citizen("091185000123").full_name == "Trần Thị Mỹ Lan"
    assert standin.stats()["population"]["tokens_issued"] == 2


def test_a_token_revoked_mid_call_is_renewed(population_settings, standin):
    standin.population_add(PERSON)
    standin.faults(session_expired=1.0, services=["CongDan"])
    client = population_client()
    # Every lookup revokes the token it carries: the client renews once, then reports a temporary failure.
    with pytest.raises(TemporaryError) as raised:
        client.citizen("091185000123")
    assert raised.value.reason == "token_refused"
    standin.faults()
    assert client.citizen("091185000123") is not None


def test_refused_client_credentials_are_temporary(population_settings, standin):
    population_settings.POPULATION_CLIENT_SECRET = "sai-khoa"
    with pytest.raises(TemporaryError) as raised:
        population_client().citizen("091185000123")
    assert raised.value.reason == "token_refused"


@pytest.mark.parametrize(
    ("config", "personal_id", "code", "field"),
    [
        ({"blocked": True}, "091185000123", "101", "IP"),
        ({"agency": "000.00.00.H99"}, "091185000123", "106", "MaDonVi"),
        ({}, "12345", "302", "SoDinhDanh"),
    ],
)
def test_the_platforms_refusals_are_permanent_with_their_code(
    population_settings, standin, config, personal_id, code, field
):
    standin.population_configure(**config)
    with pytest.raises(PermanentError) as raised:
        population_client().citizen(personal_id)
    assert (raised.value.code, raised.value.field) == (code, field)


@pytest.mark.parametrize("fault", ["reset", "error", "rate_limit", "html", "malformed"])
def test_network_and_answer_faults_are_temporary(population_settings, standin, fault):
    standin.faults(**{fault: 1.0}, services=["CongDan"])
    with pytest.raises(TemporaryError):
        population_client().citizen("091185000123")


def test_a_platform_that_does_not_answer_in_time_is_a_timeout(population_settings, standin):
    standin.faults(timeout=1.0, timeout_seconds=3, services=["CongDan"])
    with pytest.raises(TemporaryError) as raised:
        population_client().citizen("091185000123")
    assert raised.value.reason == "timeout"


def test_without_settings_the_client_says_what_is_missing(settings):
    settings.POPULATION_LGSP_URL = ""
    with pytest.raises(NotConfigured, match="POPULATION_LGSP_URL"):
        population_client()
