import pytest

from feedback.models import Feedback
from feedback.services import Submission
from portal.accounts.models import User
from tests.people import BIRTH, uploads_in

OFFICE = "000.00.02.H01"  # Văn phòng UBND tỉnh: routes what the portal receives


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


@pytest.fixture
def router(make_user):
    """An officer of the provincial office, who classifies and forwards feedback."""
    return make_user(
        "vanphong", role=User.Role.ONESTOP_OFFICER, agency_code=OFFICE, email="vp@example.invalid"
    )


def submission(**overrides) -> Submission:
    from portal.catalog.models import Procedure

    values = {
        "kind": Feedback.Kind.REGULATION,
        "subject": "Thời hạn đăng ký khai sinh quá dài",
        "content": "Tôi là ông Nguyễn Văn An, ở số 12 đường Trần Hưng Đạo. Thủ tục đăng ký khai sinh phải chờ lâu.",
        "procedure": Procedure.objects.get(code=BIRTH),
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912 345 678",
        "sender_email": "an@example.invalid",
        "consent_publish": True,
        "reply_channel": Feedback.ReplyChannel.EMAIL,
    }
    values.update(overrides)
    return Submission(**values)
