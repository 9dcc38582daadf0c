import pytest

pytestmark = pytest.mark.django_db


def test_search_api_ranks_and_paginates(client):
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"})
    data = response.json()
    assert response.status_code == 200
    assert data["results"][0]["code"] == "1.001193"
    assert data["count"] >= 10 and data["page"] == 1


def test_filters_in_the_api(client):
    data = client.get("/api/v1/procedures", {"level": "xa", "field": "ho-tich", "page": 2}).json()
    assert data["page"] == 2
    assert all("Cấp xã" in row["levels"] and row["field"] == "Hộ tịch" for row in data["results"])


def test_procedure_detail_has_parsed_fields_and_their_originals(client):
    data = client.get("/api/v1/procedures/1.001193").json()
    assert data["name"] == "Thủ tục đăng ký khai sinh"
    assert {c["kind"] for c in data["channels"]} >= {"online", "direct"}
    assert data["documents"] and data["legal_documents"]
    assert data["original"]["channels"].startswith("Hình thức nộp")
    assert any(a["role"] == "competent" and a["name"] == "Sở Tư pháp" for a in data["agencies"])


def test_unknown_code_is_404_with_a_message(client):
    response = client.get("/api/v1/procedures/0.0")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy thủ tục."


@pytest.mark.parametrize(
    "params", [{"page": -1}, {"page": "abc"}, {"q": "x" * 10_000}, {"q": "a\x00b"}, {"level": "<b>"}]
)
def test_bad_parameters_get_a_400_with_a_message(client, params):
    response = client.get("/api/v1/procedures", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_openapi_document_describes_both_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}"} <= set(spec["paths"])
