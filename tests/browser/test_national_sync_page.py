"""The staff page of the national portal synchronisation in a real browser, at 1280 and 320 px: a province admin
sees the backlog, a refused event with its reason and retries it; the page passes axe and never scrolls sideways.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers.models import OutboxEvent
from tests.accounts.mfa import staff_login
from tests.people import make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_province_admin_sees_a_refused_event_and_sends_it_again(
    new_context, make_user, client, settings, tmp_path, server_url, axe_check, width
):
    uploads_in(settings, tmp_path)
    settings.DVCQG_BASE_URL = ""
    staff = make_staff(make_user)
    dossier = staff.register()
    OutboxEvent.objects.filter(dossier=dossier).update(
        state=OutboxEvent.State.PARKED,
        last_error="validation",
        error_field="MaTTHC",
        error_detail="Mã không có",
    )
    staff.register(name="Trần Thị Bình")
    staff_login(client, staff.province_admin)
    context = new_context(viewport={"width": width, "height": 900})
    cookie = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": server_url}])
    page = context.new_page()

    page.goto(reverse("dossiers:officer_national"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Đồng bộ với Cổng Dịch vụ công quốc gia")
    expect(page.get_by_text("Chưa cấu hình kết nối Cổng DVCQG.")).to_be_visible()
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(tmp_path / f"national-{width}.png"), full_page=True)

    page.get_by_role("button", name=f"Gửi lại sự kiện của hồ sơ {dossier.code}").click()

    expect(page.get_by_text("Đã đưa sự kiện vào hàng đợi gửi lại.")).to_be_visible()
    assert not OutboxEvent.objects.filter(state=OutboxEvent.State.PARKED).exists()
