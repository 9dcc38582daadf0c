"""The postal tests' shared fixtures: files stored under the test's own directory, and the applicant."""

import pytest


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    from tests.people import uploads_in

    uploads_in(settings, tmp_path)


@pytest.fixture
def citizen(make_user):
    return make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
