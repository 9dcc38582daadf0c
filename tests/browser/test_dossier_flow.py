"""A dossier's whole life in a real browser, each person in their own browser context and signed in through the
sign-in page with the demo accounts: ``congdan`` files it online at the provincial service centre with uploads,
``motcua`` receives it (partly with the keyboard alone) and transfers it to Sở Tư pháp, ``chuyenvien`` proposes a
result with its PDF, ``lanhdao`` approves, ``motcua`` returns it, ``congdan`` follows it and downloads the result,
and anyone can track it by its code. axe-core checks every kind of page on the way.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``. The server
works inside the test's transaction, so the accounts made here are visible to it and everything the browser writes
is rolled back afterwards. Forms and notifications queued "on commit" never run by themselves for the same reason;
the receipt (Mẫu 01) is rendered here on purpose, in this process, right after reception.
"""

import re

import pytest
from playwright.sync_api import expect

from dossiers.completeness import dossier_completeness
from dossiers.models import Dossier
from tests.browser.flows import (
    ADDRESS,
    CODE,
    MAX_TABS,
    PHONE,
    SERVICE_CENTRE,
    act,
    citizen_cannot_see_the_result,
    focused,
    local,
    officer_queue,
    open_from_queue,
    sign_in,
    signed_in_page,
    start_from_main_content,
    tab_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# --- the test ------------------------------------------------------------------------------------------------------


def test_a_dossier_is_filed_received_processed_approved_and_returned_in_the_browser(
    new_context, axe_check, demo_accounts, procedure, files, eager_tasks, django_capture_on_commit_callbacks
):
    requirements = list(procedure.documents.all())  # in the order the draft shows them

    # 1. congdan finds the procedure, is asked to sign in, chooses the service centre and fills the dossier.
    citizen = new_context().new_page()
    citizen.goto(procedure.get_absolute_url())
    expect(citizen.locator("h1")).to_have_text(procedure.name)
    filing_box = citizen.locator("section.file-online")
    expect(filing_box.get_by_role("heading", name="Nộp hồ sơ")).to_be_visible()
    axe_check(citizen)
    filing_box.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    axe_check(citizen)  # the sign-in page
    sign_in(citizen, "congdan")

    expect(citizen.locator("h1")).to_have_text("Nộp hồ sơ trực tuyến")
    where = citizen.get_by_label("Nơi nộp hồ sơ")
    expect(where.locator("option")).to_have_count(2)  # the service centre and Sở Tư pháp
    axe_check(citizen)
    where.select_option(SERVICE_CENTRE)
    citizen.get_by_role("button", name="Bắt đầu soạn hồ sơ").click()

    expect(citizen.locator("h1")).to_have_text("Soạn hồ sơ trực tuyến")
    expect(citizen.get_by_role("status")).to_contain_text("Đã tạo bản nháp hồ sơ")
    # Prefilled from the profile.
    expect(citizen.get_by_label("Họ và tên (hoặc tên tổ chức)")).to_have_value("Nguyễn Văn An")
    expect(citizen.locator(".facts")).to_contain_text("Trung tâm Phục vụ hành chính công")
    draft = Dossier.objects.get(applicant__username="congdan", state=Dossier.State.DRAFT)
    first, *others = dossier_completeness(draft).required  # the documents the procedure requires
    expect(citizen.locator("p.completeness")).to_contain_text(f"Còn thiếu {len(others) + 1} trong")

    # The form's controls in reading order, with the keyboard alone (the hidden default button is skipped).
    start_from_main_content(citizen)
    submit = citizen.get_by_role("button", name="Tiếp tục: kiểm tra và nộp", exact=True)
    order = []
    for _ in range(MAX_TABS):
        citizen.keyboard.press("Tab")
        if citizen.evaluate("document.activeElement.closest('form.dossier-form') !== null"):
            order.append(focused(citizen))
        if submit.evaluate("el => el === document.activeElement"):
            break
    assert order == [
        "id_applicant_kind",
        "id_applicant_name",
        "id_applicant_id_number",
        "id_applicant_phone",
        "id_applicant_email",
        "id_applicant_address",
        "id_delivery_0",  # one stop for the radio group: the choice checked
        "id_delivery_address",
        *[f"tep_{requirement.pk}" for requirement in requirements],
        "tep_khac",
        "Lưu nháp",
        "Tiếp tục: kiểm tra và nộp",
    ], order

    citizen.get_by_label("Số điện thoại").fill(PHONE)
    citizen.get_by_label(re.compile(r"^Địa chỉ:?$")).fill(ADDRESS)
    expect(citizen.get_by_role("radio", name="Nhận tại nơi nộp hồ sơ")).to_be_checked()
    citizen.locator(f"#tep_{first.pk}").set_input_files([files["pdf"], files["png"]])
    for other in others:
        citizen.locator(f"#tep_{other.pk}").set_input_files(files["png"])
    citizen.get_by_role("button", name="Lưu nháp", exact=True).click()

    expect(citizen.get_by_role("status")).to_contain_text("Đã lưu bản nháp")
    first_slot = citizen.locator(f"#tp-{first.pk}")
    expect(first_slot.get_by_role("link", name="don-de-nghi.pdf")).to_be_visible()
    expect(first_slot.get_by_role("link", name="anh-chan-dung.png")).to_be_visible()
    expect(citizen.get_by_label("Số điện thoại")).to_have_value(PHONE)
    axe_check(citizen)  # the draft, with its files and their remove buttons

    # Resume later from "my dossiers", then submit.
    citizen.get_by_role("link", name="Hồ sơ của tôi").first.click()
    expect(citizen.locator("h1")).to_have_text("Hồ sơ của tôi")
    expect(citizen.get_by_role("row").filter(has_text=procedure.name[:60])).to_contain_text("Bản nháp")
    axe_check(citizen)
    citizen.get_by_role("link", name="Tiếp tục soạn hồ sơ").click()
    expect(citizen.locator("h1")).to_have_text("Soạn hồ sơ trực tuyến")
    submit.click()

    # Check your answers: where it goes, who files it, how the result comes back, the documents; then submit.
    expect(citizen.locator("h1")).to_have_text("Kiểm tra lại hồ sơ trước khi nộp")
    expect(citizen.locator("main")).to_contain_text("Trung tâm Phục vụ hành chính công")
    expect(citizen.locator("main")).to_contain_text(PHONE)
    expect(citizen.locator("main")).to_contain_text("Nhận tại nơi nộp hồ sơ")
    expect(citizen.locator("main")).to_contain_text("Phí, lệ phí")
    expect(citizen.get_by_role("region", name="Giấy tờ đính kèm")).to_contain_text("don-de-nghi.pdf")
    axe_check(citizen)
    citizen.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    expect(citizen.get_by_role("status")).to_contain_text("Đã nộp hồ sơ. Mã hồ sơ của bạn:")
    code = citizen.locator("h1 .code").inner_text().strip()
    assert CODE.match(code), code
    expect(citizen.get_by_role("status")).to_contain_text(code)
    expect(citizen.locator(".facts")).to_contain_text("Chờ tiếp nhận")
    axe_check(citizen)  # the citizen's dossier page

    # 2. motcua receives it, partly with the keyboard alone, and transfers it to Sở Tư pháp.
    receiver = signed_in_page(new_context, "motcua")
    officer_queue(receiver, "Chờ tiếp nhận")
    expect(receiver.get_by_role("row").filter(has_text=code)).to_contain_text("Nguyễn Văn An")
    axe_check(receiver)
    open_from_queue(receiver, code)
    expect(receiver.locator(".lead-state")).to_contain_text("Chờ tiếp nhận")
    # Officers see each file under the name of the required document it was uploaded for.
    uploaded = receiver.get_by_role("row").filter(has_text="don-de-nghi.pdf")
    expect(uploaded.get_by_role("link", name=first.name[:40])).to_be_visible()
    axe_check(receiver)

    start_from_main_content(receiver)
    receive_panel = receiver.locator("#act-receive")
    tab_until(receiver, receive_panel.locator("summary"))
    receiver.keyboard.press("Enter")  # opens the panel
    expect(receive_panel).to_have_attribute("open", "")
    receive_button = receive_panel.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True)
    tab_until(receiver, receive_button)
    # Run what reception queues on commit (the receipt, Mẫu 01) here, as a worker would.
    with django_capture_on_commit_callbacks(execute=True):
        receiver.keyboard.press("Enter")
        expect(receiver.get_by_role("status")).to_contain_text("Đã thực hiện: Tiếp nhận hồ sơ.")
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == Dossier.State.RECEIVED and dossier.due_at is not None
    assert dossier.files.filter(kind="form", form_code="01").exists(), "the receipt (Mẫu 01) was not stored"
    due = local(dossier.due_at, "%d/%m/%Y %H:%M")
    expect(receiver.locator(".lead-state")).to_contain_text("Đã tiếp nhận")
    facts = receiver.locator("section[aria-labelledby=h-summary] .facts")
    expect(facts).to_contain_text(f"Ngày hẹn trả{due}")

    transfer = receiver.locator("#act-transfer")
    expect(transfer).to_have_attribute("open", "")  # the only action now
    expect(transfer.get_by_label("Cơ quan giải quyết").locator("option:checked")).to_have_text("Sở Tư pháp")
    act(receiver, "transfer", "Chuyển cơ quan giải quyết")
    expect(receiver.locator(".lead-state")).to_contain_text("Đang xử lý")
    expect(facts).to_contain_text("Cơ quan giải quyếtSở Tư pháp")

    # 3. chuyenvien proposes the result with its PDF.
    handler = signed_in_page(new_context, "chuyenvien")
    officer_queue(handler, "Đang giải quyết")
    open_from_queue(handler, code)
    propose = handler.locator("#act-propose")
    propose.locator("summary").click()
    propose.get_by_label("Kết quả giải quyết (tệp PDF)").set_input_files(files["result"])
    propose.get_by_label("Ý kiến trình").fill("Hồ sơ đủ điều kiện, đề nghị cấp lại.")
    axe_check(handler)  # the work page with an action open
    act(handler, "propose", "Trình kết quả")
    expect(handler.locator(".lead-state")).to_contain_text("Chờ lãnh đạo phê duyệt")
    expect(handler.get_by_role("row").filter(has_text="ket-qua-giai-quyet.pdf")).to_contain_text(
        "Dự thảo, chưa phê duyệt"
    )
    result_file = Dossier.objects.get(code=code).files.get(kind="result")
    citizen_cannot_see_the_result(citizen, code, result_file.pk)

    # 4. lanhdao approves.
    leader = signed_in_page(new_context, "lanhdao")
    officer_queue(leader, "Chờ phê duyệt")
    open_from_queue(leader, code)
    act(leader, "approve", "Phê duyệt, ký kết quả")
    expect(leader.locator(".lead-state")).to_contain_text("Có kết quả, chờ trả")
    citizen_cannot_see_the_result(citizen, code, result_file.pk)  # approved, not yet returned

    # 5. motcua returns the result.
    officer_queue(receiver, "Chờ trả kết quả")
    open_from_queue(receiver, code)
    act(receiver, "return_result", "Trả kết quả")
    expect(receiver.locator(".lead-state")).to_contain_text("Đã trả kết quả")
    expect(receiver.get_by_text("Bạn không có thao tác nào với hồ sơ ở trạng thái hiện tại.")).to_be_visible()

    # 6. congdan sees the result, the history, and downloads the result and the receipt.
    citizen.get_by_role("link", name="Hồ sơ của tôi").first.click()
    row = citizen.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Đã trả kết quả")
    row.get_by_role("link", name=code).click()
    expect(citizen.locator(".facts")).to_contain_text("Đã trả kết quả")
    expect(citizen.locator(".facts")).to_contain_text(local(dossier.due_at, "%d/%m/%Y"))
    history = citizen.get_by_role("table", name="Quá trình xử lý hồ sơ")
    steps = history.locator("tbody tr td:nth-child(2)").all_inner_texts()
    for step in [
        "Nộp hồ sơ",
        "Tiếp nhận",
        "Chuyển cơ quan giải quyết",
        "Trình kết quả",
        "Phê duyệt",
        "Trả kết quả",
    ]:
        assert any(text.startswith(step) for text in steps), f"{step!r} missing from the history {steps}"
    expect(history).not_to_contain_text("Trần Thị Bình")  # officers by title, never by name
    axe_check(citizen)

    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="ket-qua-giai-quyet.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "ket-qua-giai-quyet.pdf"
    with open(download.path(), "rb") as result:
        assert result.read().startswith(b"%PDF")
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name=f"mau-01-{code}.pdf").click()
    with open(download_info.value.path(), "rb") as receipt:
        assert receipt.read(5) == b"%PDF-"

    # 7. Anyone tracks it with the code and the last four digits of the phone: the status, no personal data.
    visitor = new_context().new_page()
    visitor.goto("/")
    visitor.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tra cứu hồ sơ"
    ).click()
    visitor.get_by_label("Mã hồ sơ").fill(code)
    visitor.get_by_label("4 số cuối số điện thoại hoặc số định danh của người nộp").fill(PHONE[-4:])
    visitor.get_by_role("button", name="Tra cứu").click()
    result = visitor.locator("section.tracking-result")
    expect(result.get_by_role("heading", level=2)).to_contain_text(code)
    expect(result.locator(".status")).to_have_text("Đã trả kết quả")
    expect(result.get_by_role("table")).to_contain_text("Trả kết quả")
    page_text = visitor.locator("body").inner_text()
    for personal in ["Nguyễn Văn An", PHONE, ADDRESS, "congdan@example.invalid", "Trần Thị Bình"]:
        assert personal not in page_text, f"{personal!r} shown on the public tracking page"
    axe_check(visitor)
