"""A NUL byte anywhere in a request's text is a 400 with a message, never a database error (found by the hostile
input tests: a query parameter read without a form reached PostgreSQL, which refuses NUL in text)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/thu-tuc/", {"q": "khai\x00sinh"}),
        ("get", "/thu-tuc/?q=%00", None),
        ("get", "/ho-so/tra-cuu/", {"ma": "\x00", "xac_thuc": "1234"}),
        ("post", "/tai-khoan/dang-nhap/", {"login": "a\x00", "password": "x"}),
        ("post", "/tai-khoan/dang-nhap/", {"lo\x00gin": "a", "password": "x"}),
    ],
)
def test_a_nul_byte_is_refused_with_a_clear_message(client, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "ký tự rỗng (NUL)" in response.content.decode()


def test_text_without_nul_is_served(client):
    assert client.get("/thu-tuc/", {"q": "khai sinh"}).status_code == 200
