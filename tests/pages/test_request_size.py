"""A body larger than any form takes is refused from its declared length, before it is read, with a page saying
what the limit is; the dossier it was meant for stays as it was."""

import pytest
from django.test import RequestFactory

from portal.request_size import RequestSizeLimitMiddleware, request_size_limit


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def call(length, settings):
    settings.PORTAL_UPLOAD_MAX_DOSSIER_MB = 50
    request = RequestFactory().post("/ho-so/1/soan/", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(length)
    request.META["wsgi.input"] = Unreadable()
    reached = []
    response = RequestSizeLimitMiddleware(lambda r: reached.append(r) or "view")(request)
    return response, reached


@pytest.mark.django_db
def test_a_body_over_the_dossier_limit_gets_413_in_vietnamese_without_being_read(settings):
    response, reached = call(request_size_limit() + 1, settings)
    assert response.status_code == 413 and not reached
    body = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in body and "50 MB" in body


def test_a_body_within_the_limit_goes_on_to_the_view(settings):
    _response, reached = call(request_size_limit(), settings)
    assert reached


def test_a_malformed_length_is_left_to_django(settings):
    _response, reached = call("abc", settings)
    assert reached


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer"])
def test_an_oversize_post_gets_413_whoever_sends_it(who, client, make_user, settings):
    from portal.accounts.models import User

    if who != "anonymous":
        role = User.Role.CITIZEN if who == "citizen" else User.Role.ONESTOP_OFFICER
        client.force_login(make_user(who, role=role))
    response = client.post(
        "/ho-so/1/soan/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(request_size_limit() + 1),
    )
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
