"""Electronic declarations in a real browser, for two shipped forms (birth registration; temporary residence with its
repeatable group of people): ``congdan`` starts filling on one device, leaves, resumes on another, meets the error
summary for an impossible date, finishes, submits, and the attached PDF has what was typed. axe-core checks every
page on the way. Non-transactional like every browser test (see conftest.py)."""

import subprocess

import pytest
from playwright.sync_api import expect

from dossiers import filing
from dossiers.models import Dossier, DossierFile
from eforms.demo import shipped_definitions_load
from eforms.models import AnswerSet
from portal.accounts.models import User
from portal.catalog.models import Procedure
from tests.browser.flows import signed_in_page
from tests.people import attach_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _draft(code: str) -> Dossier:
    shipped_definitions_load()
    citizen = User.objects.get(username="congdan")
    procedure = Procedure.objects.get(code=code)
    agency = procedure.agency_links.filter(agency__kind="commune").select_related("agency").first().agency
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=agency)
    return filing.dossier_details_update(dossier=draft, user=citizen, applicant_phone="0912345678")


def _date(page, legend: str, d: str, m: str, y: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Ngày").fill(d)
    group.get_by_label("Tháng").fill(m)
    group.get_by_label("Năm").fill(y)


def _address(page, legend: str, detail: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Xã, phường, đặc khu").select_option(index=1)
    group.get_by_label("Số nhà, đường, thôn, ấp").fill(detail)


def _save(page) -> None:
    page.get_by_role("button", name="Lưu và tiếp tục").click()


def _pdf_text(dossier: Dossier, tmp_path) -> str:
    answer_set = AnswerSet.objects.get(dossier=dossier)
    stored = DossierFile.objects.get(pk=answer_set.file_id)
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(stored.file.read())
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _finish_and_submit(page, draft: Dossier) -> None:
    page.get_by_role("button", name="Hoàn tất tờ khai").click()
    expect(page.locator(".eform-slot")).to_contain_text("Đã hoàn tất")
    attach_required(draft, draft.applicant)  # the other papers are uploads, as in the dossier flow test
    page.goto(f"/ho-so/{draft.pk}/kiem-tra/")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    draft.refresh_from_db()
    assert draft.state == Dossier.State.SUBMITTED


def test_birth_registration_declaration_filled_resumed_on_another_device_and_submitted(
    new_context, axe_check, demo_accounts, tmp_path
):
    draft = _draft("1.001193")
    phone = signed_in_page(new_context, "congdan")
    phone.goto(f"/ho-so/{draft.pk}/soan/")
    phone.get_by_role("link", name="Bắt đầu điền tờ khai").click()
    expect(phone.locator("h1")).to_have_text("Tờ khai đăng ký khai sinh")
    axe_check(phone)
    phone.get_by_role("link", name="Người yêu cầu", exact=True).click()
    expect(phone.get_by_label("Họ, chữ đệm, tên người yêu cầu")).not_to_have_value("")  # from the profile
    phone.get_by_label("Số định danh cá nhân").fill("089190000123")
    _address(phone, "Nơi cư trú", "Số 12 đường Trần Hưng Đạo")
    phone.get_by_label("Quan hệ với người được khai sinh").select_option("me")
    axe_check(phone)
    _save(phone)
    expect(phone.locator("h1")).to_have_text("Người được khai sinh")
    phone.context.close()  # leaves

    laptop = signed_in_page(new_context, "congdan")
    laptop.goto(f"/ho-so/{draft.pk}/soan/")
    expect(laptop.locator(".eform-slot")).to_contain_text("Đã xong 1/")
    laptop.get_by_role("link", name="Tiếp tục điền tờ khai").click()
    laptop.get_by_role("link", name="Người được khai sinh", exact=True).click()
    laptop.get_by_label("Họ, chữ đệm, tên").fill("Nguyễn Minh Khang")
    laptop.get_by_role("group", name="Giới tính").get_by_label("Nam").check()
    _date(laptop, "Ngày, tháng, năm sinh", "31", "02", "2026")
    laptop.get_by_label("Dân tộc").fill("Kinh")
    laptop.get_by_label("Quốc tịch").fill("Việt Nam")
    laptop.get_by_role("group", name="Nơi sinh").get_by_label("Trong nước").check()
    laptop.wait_for_load_state("networkidle")
    # htmx shows the question that depends on the answer, without a page load.
    _address(laptop, "Nơi sinh (cơ sở y tế hoặc địa chỉ) trong tỉnh", "Bệnh viện đa khoa tỉnh")
    _save(laptop)
    summary = laptop.locator(".error-summary")
    expect(summary).to_contain_text("ngày 31/02/2026 không có trên lịch")
    expect(laptop.get_by_label("Họ, chữ đệm, tên")).to_have_value("Nguyễn Minh Khang")  # nothing lost
    axe_check(laptop)
    _date(laptop, "Ngày, tháng, năm sinh", "03", "10", "2026")
    _save(laptop)
    expect(laptop.locator("h1")).to_have_text("Cha, mẹ của người được khai sinh")
    laptop.get_by_label("Họ, chữ đệm, tên người mẹ").fill("Trần Thị Bình")
    laptop.get_by_label("Năm sinh của mẹ").fill("1990")
    _save(laptop)
    laptop.get_by_label("Tôi cam đoan", exact=False).check()
    _save(laptop)
    axe_check(laptop)
    _finish_and_submit(laptop, draft)
    text = _pdf_text(draft, tmp_path)
    for typed in (
        "Nguyễn Minh Khang",
        "03/10/2026",
        "089190000123",
        "Trần Hưng Đạo",
        "Bệnh viện đa khoa tỉnh",
    ):
        assert typed in text


def test_temporary_residence_declaration_with_people_added_and_removed(
    new_context, axe_check, demo_accounts, tmp_path
):
    draft = _draft("1.004194")
    page = signed_in_page(new_context, "congdan")
    page.goto(f"/to-khai/{draft.pk}/phan/nguoi_khai/")
    page.get_by_label("Họ, chữ đệm và tên").fill("Lê Văn Cường")
    _date(page, "Ngày, tháng, năm sinh", "15", "06", "1995")
    page.get_by_role("group", name="Giới tính").get_by_label("Nam").check()
    page.get_by_label("Số định danh cá nhân").fill("089095001234")
    page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    _save(page)
    page.get_by_role("group", name="Người kê khai là chủ hộ").get_by_label("Có").check()
    page.wait_for_load_state("networkidle")
    _save(page)
    _address(page, "Địa chỉ đề nghị đăng ký tạm trú", "Tổ 5, khóm Bình Khánh")
    page.get_by_label("Thời hạn tạm trú (số tháng)").fill("12")
    page.get_by_label("Lý do tạm trú").select_option("lao_dong")
    page.wait_for_load_state("networkidle")  # htmx refreshes the section (another question may depend on it)
    page.get_by_label("Nội dung đề nghị").fill("Đăng ký tạm trú để làm việc")
    _save(page)
    expect(page.locator("h1")).to_have_text("Những người cùng thay đổi")
    page.get_by_role("button", name="Thêm người cùng thay đổi").click()
    expect(page.locator("fieldset.repeat-item")).to_have_count(1)
    page.get_by_role("button", name="Thêm người cùng thay đổi").click()
    expect(page.locator("fieldset.repeat-item")).to_have_count(2)
    page.get_by_role("button", name="Xóa người cùng thay đổi 2").click()
    expect(page.locator("fieldset.repeat-item")).to_have_count(1)
    item = page.locator("fieldset.repeat-item")
    item.get_by_label("Họ, chữ đệm, tên").fill("Lê Thị Dung")
    _date(item, "Ngày, tháng, năm sinh", "01", "01", "2020")
    item.get_by_label("Giới tính").select_option("nu")
    item.get_by_label("Số định danh cá nhân").fill("089320001234")
    item.get_by_label("Quan hệ với chủ hộ").fill("Con")
    axe_check(page)
    _save(page)
    page.get_by_label("Tôi cam đoan", exact=False).check()
    _save(page)
    axe_check(page)
    _finish_and_submit(page, draft)
    text = _pdf_text(draft, tmp_path)
    for typed in ("Lê Văn Cường", "Lê Thị Dung", "01/01/2020", "Tổ 5, khóm Bình Khánh", "15/06/1995"):
        assert typed in text
