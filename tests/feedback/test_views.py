import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback import services
from feedback.models import Feedback, FeedbackAttachment
from tests.accounts.mfa import staff_login
from tests.feedback.conftest import submission
from tests.people import BIRTH, PDF

S = Feedback.State


def form_data(**overrides) -> dict:
    data = {
        "kind": "regulation",
        "subject": "Thời hạn đăng ký khai sinh",
        "content": "Thủ tục đăng ký khai sinh phải chờ quá lâu so với quy định.",
        "procedure_code": BIRTH,
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912 345 678",
        "sender_email": "",
        "sender_address": "",
        "reply_channel": "portal",
        "consent_publish": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_an_anonymous_sender_files_feedback_gets_the_code_and_follows_it_with_the_last_four_digits(
    client, staff
):
    page = client.get(reverse("feedback:submit") + f"?thu_tuc={BIRTH}")
    assert page.status_code == 200 and f'value="{BIRTH}"' in page.text and "Khiếu nại, tố cáo" in page.text
    response = client.post(reverse("feedback:submit"), form_data())
    item = Feedback.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:receipt", args=[item.code])
    assert item.code in client.get(response.url).text
    tracked = client.get(reverse("feedback:track"), {"ma": item.code, "xac_thuc": "5678"})
    assert tracked.status_code == 200 and "Đã tiếp nhận, chờ phân loại" in tracked.text


def test_a_wrong_code_and_wrong_digits_get_the_same_answer_and_guessing_is_limited(client, staff):
    item, _ = services.feedback_submit(submission=submission())
    wrong_digits = client.get(reverse("feedback:track"), {"ma": item.code, "xac_thuc": "0000"})
    no_such_code = client.get(
        reverse("feedback:track"), {"ma": "PA-000.00.02.H01-200101-0001", "xac_thuc": "5678"}
    )
    assert wrong_digits.status_code == no_such_code.status_code == 404
    message = "Không tìm thấy phản ánh với mã và 4 chữ số này"
    assert message in wrong_digits.text and message in no_such_code.text
    for _attempt in range(25):
        last = client.get(reverse("feedback:track"), {"ma": item.code, "xac_thuc": "1111"})
    assert last.status_code == 429 and "quá nhiều lần" in last.text
    assert client.get(reverse("feedback:track"), {"ma": item.code, "xac_thuc": "5678"}).status_code == 429


def test_a_double_submit_of_the_same_form_makes_one_item(client, staff):
    data = form_data()
    first = client.post(reverse("feedback:submit"), data)
    second = client.post(reverse("feedback:submit"), data)
    assert first.url == second.url and Feedback.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"content": "x" * 10_000}, "Dài tối đa 5000 ký tự (đang có 10000 ký tự)"),
        ({"subject": ""}, "Nhập tiêu đề phản ánh."),
        ({"website": "http://spam.example"}, "Vui lòng để trống ô"),
        ({"reply_channel": "email"}, "Nhập thư điện tử để nhận trả lời qua thư điện tử."),
        ({"procedure_code": "9.999999"}, "Không có thủ tục nào mang mã"),
        (
            {"kind": "dossier", "procedure_code": ""},
            "Nhập mã hồ sơ khi phản ánh về việc giải quyết một hồ sơ.",
        ),
        ({"sender_phone": "abc"}, "Số điện thoại chưa đúng"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_written(
    client, staff, overrides, message
):
    response = client.post(reverse("feedback:submit"), form_data(**overrides))
    assert response.status_code == 400 and message in response.text
    assert not Feedback.objects.exists()


def test_an_attachment_that_is_not_a_pdf_or_image_by_its_content_is_refused_and_nothing_written(
    client, staff
):
    fake = SimpleUploadedFile(
        "giay-to.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(reverse("feedback:submit"), {**form_data(), "attachments": [fake]})
    assert response.status_code == 400 and "không phải PDF, JPEG hoặc PNG" in response.text
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()


def test_a_real_pdf_is_attached_and_only_staff_of_the_agency_may_download_it(client, staff, router):
    good = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    client.post(reverse("feedback:submit"), {**form_data(), "attachments": [good]})
    attachment = FeedbackAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    staff_login(client, router)
    assert client.get(reverse("feedback:staff_attachment", args=[attachment.pk])).status_code == 200
    staff_login(client, staff.stranger)
    assert client.get(reverse("feedback:staff_attachment", args=[attachment.pk])).status_code == 404


def test_html_and_script_in_the_content_are_shown_escaped(client, staff, router):
    client.post(
        reverse("feedback:submit"),
        form_data(subject="<script>alert('x')</script>", content="<b>đậm</b> nội dung"),
    )
    item = Feedback.objects.get()
    staff_login(client, router)
    page = client.get(reverse("feedback:staff_item", args=[item.code]))
    assert (
        "<script>alert" not in page.text
        and "&lt;script&gt;alert" in page.text
        and "&lt;b&gt;đậm" in page.text
    )


def test_a_flood_from_one_address_is_rate_limited(client, staff):
    for _attempt in range(10):
        client.post(reverse("feedback:submit"), form_data(subject=""))
    response = client.post(reverse("feedback:submit"), form_data())
    assert response.status_code == 429 and "quá nhiều phản ánh" in response.text
    assert not Feedback.objects.exists()


def test_the_procedure_page_and_the_applicants_dossier_page_link_to_the_form_prefilled(client, staff):
    page = client.get(reverse("catalog:procedure_detail", args=[BIRTH]))
    assert f"/phan-anh/gui/?thu_tuc={BIRTH}" in page.text and "Phản ánh về thủ tục này" in page.text
    dossier = staff.register(applicant=staff.citizen)
    client.force_login(staff.citizen)
    page = client.get(reverse("dossiers:citizen_detail", args=[dossier.pk]))
    assert f"/phan-anh/gui/?ho_so={dossier.code}" in page.text
    form = client.get(reverse("feedback:submit"), {"ho_so": dossier.code})
    assert f'value="{dossier.code}"' in form.text and 'value="Trần Thị Bình"' in form.text


def test_staff_of_another_agency_get_404_and_a_department_admin_sees_only_their_agencies_items(
    client, staff, router
):
    item, _ = services.feedback_submit(submission=submission())
    services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    other, _ = services.feedback_submit(submission=submission())
    services.feedback_route(feedback=other, actor=router, agency=staff.commune)
    staff_login(client, staff.department_admin)
    assert client.get(reverse("feedback:staff_item", args=[item.code])).status_code == 200
    assert client.get(reverse("feedback:staff_item", args=[other.code])).status_code == 404
    queue = client.get(reverse("feedback:staff_queue"), {"queue": "agency"})
    assert item.code in queue.text and other.code not in queue.text
    staff_login(client, staff.stranger)
    assert client.get(reverse("feedback:staff_item", args=[item.code])).status_code == 404
    client.force_login(staff.citizen)
    assert client.get(reverse("feedback:staff_queue")).status_code == 404
    staff_login(client, staff.province_admin)
    assert client.get(reverse("feedback:staff_item", args=[other.code])).status_code == 200


def test_officers_route_assign_draft_approve_send_and_publish_through_the_pages(client, staff, router):
    item, _ = services.feedback_submit(submission=submission())
    staff_login(client, router)
    page = client.get(reverse("feedback:staff_item", args=[item.code]))
    assert "Sở Tư pháp" in page.text  # suggested
    step = lambda who, name, data=None: (  # noqa: E731
        staff_login(client, who),
        client.post(reverse("feedback:staff_action", args=[item.code, name]), data or {}),
    )[1]
    assert (
        step(router, "route", {"agency": staff.justice.pk, "kind": "regulation", "note": ""}).status_code
        == 302
    )
    assert step(staff.leader, "assign", {"handler": staff.handler.pk}).status_code == 302
    assert step(staff.handler, "draft", {"text": ""}).status_code == 400
    assert step(staff.handler, "draft", {"text": "Trả lời: thời hạn 1 ngày làm việc."}).status_code == 302
    assert step(staff.handler, "approve").status_code == 400  # only the leader approves
    assert step(staff.leader, "approve").status_code == 302
    assert step(staff.handler, "send").status_code == 302
    item.refresh_from_db()
    publish = {"public_question": item.public_question, "public_answer": item.public_answer}
    assert step(staff.handler, "publish", publish).status_code == 400  # not checked
    assert step(staff.handler, "publish", {**publish, "checked": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.state == S.PUBLISHED
    listing = client.get(reverse("feedback:public_list"), {"q": "thời hạn", "agency": staff.justice.code})
    assert item.code in listing.text and "Nguyễn Văn An" not in listing.text
    detail = client.get(reverse("feedback:public_detail", args=[item.code]))
    assert "Trả lời: thời hạn 1 ngày làm việc." in detail.text and "0912" not in detail.text


def test_the_public_list_pages_and_refuses_a_bad_date_with_a_message(client, staff, router):
    assert client.get(reverse("feedback:public_list"), {"tu_ngay": "31/02/2026"}).status_code == 400
    assert "Ngày chưa đúng" in client.get(reverse("feedback:public_list"), {"tu_ngay": "abc"}).text
    assert client.get(reverse("feedback:public_list"), {"page": "999"}).status_code == 200


def test_the_sender_rates_from_the_tracking_page_and_not_satisfied_reopens_with_the_reason(
    client, staff, router
):
    item, _ = services.feedback_submit(submission=submission())
    item = services.feedback_route(feedback=item, actor=router, agency=staff.justice)
    item = services.feedback_assign(feedback=item, actor=staff.leader, handler=staff.handler)
    item = services.feedback_draft(feedback=item, actor=staff.handler, text="Trả lời")
    item = services.feedback_approve(feedback=item, actor=staff.leader)
    services.feedback_send(feedback=item, actor=staff.handler)
    rate = {"ma": item.code, "xac_thuc": "5678", "satisfied": "0", "reason": ""}
    response = client.post(reverse("feedback:track_rate"), rate)
    assert response.status_code == 400 and "Cho biết lý do chưa hài lòng" in response.text
    response = client.post(reverse("feedback:track_rate"), {**rate, "reason": "Chưa trả lời câu hỏi."})
    assert response.status_code == 200 and "mở lại" in response.text
    item.refresh_from_db()
    assert item.state == S.REOPENED and item.reopen_reason == "Chưa trả lời câu hỏi."
    assert client.post(reverse("feedback:track_rate"), {**rate, "xac_thuc": "0000"}).status_code == 404
