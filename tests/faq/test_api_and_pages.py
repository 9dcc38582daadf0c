"""/api/v1/faq/ask and the FAQ pages: answers, declines, bad input, limits, the admins' queue and quota page."""

import json

import pytest

from faq.models import FaqEntry, PendingQuestion
from faq.services import pending_to_entry
from portal.accounts.models import User
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db
ASK = "/api/v1/faq/ask"


def _ask(client, question, **extra):
    return client.post(ASK, data=json.dumps({"question": question}), content_type="application/json", **extra)


def test_ask_answers_with_entries_that_cite_their_procedure(client, faq_entries):
    response = _ask(client, "dang ky khai sinh can giay to gi")
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True
    best = body["answers"][0]
    assert set(best) >= {"id", "question", "answer", "score", "procedure_codes"}
    assert best["procedure_codes"] == ["1.001193"]
    assert best["file_url"] == "/thu-tuc/1.001193/#nop-ho-so"


def test_ask_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "post" in document["paths"]["/api/v1/faq/ask"]


def test_an_unanswerable_question_is_declined_with_a_reason_and_queued_for_admins(client, faq_entries):
    body = _ask(client, "Kết quả xổ số An Giang hôm nay").json()
    assert body["answered"] is False and body["answers"] == []
    assert "chưa tìm được câu trả lời" in body["message"]
    assert PendingQuestion.objects.filter(text="Kết quả xổ số An Giang hôm nay", times_asked=1).exists()
    _ask(client, "ket qua xo so an giang hom nay")
    assert PendingQuestion.objects.get(text="Kết quả xổ số An Giang hôm nay").times_asked == 2


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("", 400),
        ("   ", 400),
        ("a\x00b", 400),
        ("x" * 2001, 400),
        ("😀🙏", 200),
        ("<script>alert(1)</script>", 200),
    ],
)
def test_bad_questions_get_a_clear_answer_or_400_never_500(client, faq_entries, question, status):
    response = _ask(client, question)
    assert response.status_code == status
    assert "detail" in response.json() or response.json()["answered"] is False


def test_sql_in_a_question_is_only_text(client, faq_entries):
    response = _ask(client, "'; DROP TABLE faq_faqentry; --")
    assert response.status_code == 200
    assert FaqEntry.objects.exists()


def test_a_question_of_2000_characters_is_read(client, faq_entries):
    question = ("Cho em hỏi đăng ký khai sinh cần giấy tờ gì ạ " * 60)[:2000]
    assert _ask(client, question).status_code == 200


@pytest.mark.parametrize("body", ["not json", json.dumps({"q": "x"}), json.dumps({"question": 12})])
def test_a_malformed_body_is_400(client, body):
    assert client.post(ASK, data=body, content_type="application/json").status_code == 400


def test_asking_is_limited_per_address(client, faq_entries, settings):
    settings.PORTAL_FAQ_ASKS_PER_ADDRESS = 3
    statuses = [_ask(client, "khai sinh o dau").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _ask(client, "khai sinh o dau", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_chat_page_answers_without_javascript_and_as_a_fragment_with_htmx(client, faq_entries):
    page = client.get("/hoi-dap/tro-ly/", {"q": "dk ket hon o dau"})
    assert page.status_code == 200
    assert "Nộp hồ sơ đăng ký kết hôn ở đâu?" in page.content.decode()
    assert b"<html" in page.content
    fragment = client.get("/hoi-dap/tro-ly/", {"q": "dk ket hon o dau"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content
    assert b'hx-swap-oob="outerHTML"' in fragment.content  # the question box is emptied


def test_a_complaint_in_the_chat_is_pointed_to_feedback_not_answered(client, faq_entries):
    text = client.get("/hoi-dap/tro-ly/", {"q": "Cán bộ một cửa vòi tiền, tôi bức xúc"}).content.decode()
    assert "phản ánh, kiến nghị" in text
    assert not PendingQuestion.objects.exists()


def test_the_widget_page_may_be_framed_by_any_site_and_the_chat_page_not(client):
    embed = client.get("/hoi-dap/nhung/")
    assert "frame-ancestors" not in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    chat = client.get("/hoi-dap/tro-ly/")
    assert "frame-ancestors 'none'" in chat["Content-Security-Policy"] or chat["X-Frame-Options"] == "DENY"


def test_not_helpful_queues_the_question_with_the_answer_shown(client, faq_entries):
    entry = FaqEntry.objects.get(external_id="cong-tra-cuu")
    response = client.post(
        "/hoi-dap/tro-ly/khong-huu-ich/", {"question": "tra cứu hồ sơ", "answer_id": f"faq-{entry.pk}"}
    )
    assert response.status_code == 200
    pending = PendingQuestion.objects.get(reason=PendingQuestion.Reason.NOT_HELPFUL)
    assert (pending.text, pending.shown_entry) == ("tra cứu hồ sơ", entry)


def test_an_admin_turns_a_waiting_question_into_a_draft_entry(faq_entries, make_user):
    admin = make_user("qt_tinh_faq", role=User.Role.PROVINCE_ADMIN)
    pending = PendingQuestion.objects.create(
        text="Cổng có ứng dụng điện thoại không?", folded="x", reason="unanswered"
    )
    entry = pending_to_entry(pending=pending, user=admin)
    pending.refresh_from_db()
    assert (entry.state, entry.agency, pending.status, pending.entry) == ("draft", None, "answered", entry)


def test_the_public_list_filters_by_field_agency_and_procedure_and_searches(client, faq_entries):
    by_procedure = client.get("/hoi-dap/", {"thu_tuc": "1.000894"}).content.decode()
    assert "đăng ký kết hôn" in by_procedure and "khai sinh" not in by_procedure.split("câu hỏi</h2>")[1]
    searched = client.get("/hoi-dap/", {"q": "quen mat khau"}).content.decode()
    assert "Quên mật khẩu đăng nhập thì làm thế nào?" in searched
    about_a_procedure = client.get("/hoi-dap/", {"q": "ket hon mat bao lau"}).content.decode()
    assert "Giải quyết thủ tục đăng ký kết hôn mất bao lâu?" in about_a_procedure
    assert client.get("/hoi-dap/", {"linh_vuc": "<b>"}).status_code == 400


def test_a_procedure_page_links_to_its_questions(client):
    assert b"/hoi-dap/?thu_tuc=1.001193" in client.get("/thu-tuc/1.001193/").content


def test_a_draft_entry_has_no_public_page(client, faq_entries):
    draft = FaqEntry.objects.create(question="Nháp?", answer="Chưa đăng.")
    assert client.get(f"/hoi-dap/{draft.pk}/").status_code == 404


def test_only_province_admins_see_the_quota_dashboard(client, make_user):
    assert client.get("/hoi-dap/chi-tieu/").status_code == 404
    department = make_user(
        "qt_so_faq", role=User.Role.DEPARTMENT_ADMIN, agency_code="000.00.05.H01", is_staff=True
    )
    staff_login(client, department)
    assert client.get("/hoi-dap/chi-tieu/").status_code == 404
    province = make_user("qt_tinh_faq2", role=User.Role.PROVINCE_ADMIN, is_staff=True)
    staff_login(client, province)
    page = client.get("/hoi-dap/chi-tieu/")
    assert page.status_code == 200
    assert "Sở Tư pháp" in page.content.decode() and "Chỉ tiêu" in page.content.decode()
