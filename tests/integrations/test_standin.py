"""The stand-in itself: its control API refuses what it cannot do, its faults are decided by the seed, it stops
cleanly, and its ceiling can be measured."""

import pytest
import requests

from integrations.dvcqg.client import DvcqgClient
from integrations.dvcqg.errors import TemporaryError
from integrations.standin.testing import StandinError, standin_start
from tests.integrations.test_dvcqg_client import a_dossier


def outcomes_of_forty_calls(standin) -> list[bool]:
    portal = DvcqgClient(standin.dvcqg_url, "u", "p", "000.00.00.H01", timeout=(1.0, 1.0))
    portal.agencies()
    results = []
    for number in range(40):
        try:
            portal.dossier_sync(a_dossier(code=f"H-{number}"), idempotency_key=f"evt-{number}")
            results.append(True)
        except TemporaryError:
            results.append(False)
    return results


def test_the_same_seed_fails_the_same_calls(standin):
    standin.faults(error=0.5, seed=11, services=["DongBoHoSoMC"])
    first = outcomes_of_forty_calls(standin)
    standin.reset()
    standin.faults(error=0.5, seed=11, services=["DongBoHoSoMC"])

    assert outcomes_of_forty_calls(standin) == first
    assert 5 < first.count(False) < 35  # a rate, not all or nothing


def test_another_seed_fails_other_calls(standin):
    standin.faults(error=0.5, seed=11, services=["DongBoHoSoMC"])
    first = outcomes_of_forty_calls(standin)
    standin.reset()
    standin.faults(error=0.5, seed=12, services=["DongBoHoSoMC"])

    assert outcomes_of_forty_calls(standin) != first


def test_faults_limited_to_one_service_leave_the_others_alone(standin):
    standin.faults(error=1.0, services=["CapNhatTienDoHoSoMC"])
    portal = DvcqgClient(standin.dvcqg_url, "u", "p", "000.00.00.H01")

    portal.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert standin.applied_count("evt-1") == 1
    assert standin.stats()["faults_injected"] == {}


@pytest.mark.parametrize(
    "request_", [{"eror": 0.1}, {"error": 1.5}, {"error": "much"}, {"error_status": 404}], ids=str
)
def test_a_fault_request_it_cannot_honour_is_refused(standin, request_):
    with pytest.raises(StandinError, match="400"):
        standin.faults(**request_)


def test_reset_forgets_what_was_received_and_the_faults(standin):
    standin.faults(error=1.0)
    portal = DvcqgClient(standin.dvcqg_url, "u", "p", "000.00.00.H01")
    with pytest.raises(TemporaryError):
        portal.dossier_sync(a_dossier(), idempotency_key="evt-1")

    standin.reset()

    assert standin.delivery_count("evt-1") == 0
    assert standin.received() == []
    assert standin.fault_plan()["error"] == 0.0


def test_a_service_body_that_is_not_json_is_answered_400_not_a_crash(standin):
    answer = requests.post(f"{standin.dvcqg_url}/service", data=b"\xff{", timeout=5)

    assert answer.status_code == 400
    assert answer.json()["field"] == "body"


def test_stats_count_the_calls_served(standin):
    portal = DvcqgClient(standin.dvcqg_url, "u", "p", "000.00.00.H01")
    portal.dossier_sync(a_dossier(), idempotency_key="evt-1")

    stats = standin.stats()

    assert stats["dvcqg"]["calls"] == {"DongBoHoSoMC": 1}
    assert stats["dvcqg"]["applied"] == 1
    assert stats["requests"] >= 2  # the login and the call


def test_a_stand_in_of_its_own_stops_cleanly_on_sigterm():
    standin = standin_start(seed=5)
    process = standin.process

    standin.stop()

    assert process.returncode == 0
    assert not standin.alive()


def test_its_ceiling_is_measured_with_every_call_answered(standin):
    result = standin.measure_ceiling(calls=200, concurrency=2)

    assert result["ok"] == 200 and result["failed"] == 0
    assert result["per_second"] > 0
    assert result["server_cpu_ms_per_call"] > 0
    assert standin.stats()["dvcqg"]["keys"] == 0  # reset afterwards
