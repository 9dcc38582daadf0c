import pytest

from tests.people import uploads_in


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


def answers(i1=2, i3=2, i4=1, i7=2, comment=""):
    from ratings.services import Answers

    return Answers(i1=i1, i3=i3, i4=i4, i7=i7, comment=comment)
