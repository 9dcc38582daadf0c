"""The answering service reads questions the way people type them and declines what it cannot answer."""

import pytest

from faq.answering import answer
from faq.models import FaqEntry
from portal.catalog.models import Procedure
from portal.catalog.questions import catalog_query, question_parse
from portal.catalog.search_index import search_index

pytestmark = pytest.mark.django_db


def _top(question: str):
    reply = answer(question)
    assert reply.answered, (question, reply.reason)
    return reply.answers[0]


@pytest.mark.parametrize(
    ("question", "code", "aspect"),
    [
        ("Đăng ký khai sinh cho con cần mang theo những giấy tờ nào?", "1.001193", "giay-to"),
        ("dang ky ket hon mat bao lau", "1.000894", "thoi-han"),
        ("dk ket hon o dau", "1.000894", "noi-nop"),
        ("ddawng kys khai sinh o dau", "1.001193", "noi-nop"),
        ("đăng ký kếthôn có mất phí không", "1.000894", "phi"),
        ("khia tử cần giấy tờ gì", "1.000656", "giay-to"),
        ("xin giay xac nhan doc than mat may ngay", "1.004873", "thoi-han"),
        ("tro giup phap ly ai dc yeu cau", "2.000829", "doi-tuong"),
    ],
)
def test_questions_with_and_without_diacritics_typos_and_abbreviations_find_the_entry_on_what_they_ask(
    faq_entries, question, code, aspect
):
    best = _top(question)
    assert best.procedure_codes == [code]
    assert best.aspect == aspect
    assert best.id.startswith("faq-")


def test_a_question_about_the_portal_finds_the_hand_written_entry(faq_entries):
    best = _top("quen mat khau thi lam sao")
    assert best.id == f"faq-{FaqEntry.objects.get(external_id='cong-quen-mat-khau').pk}"


def test_a_procedure_without_an_entry_is_answered_from_its_catalogue_record(faq_entries):
    best = _top("cấp lại giấy phép lái xe nộp ở đâu")
    assert best.id == "thu-tuc-3.000348"
    assert best.aspect == "noi-nop"
    assert best.answer.startswith("Nơi nộp hồ sơ")


def test_an_answer_links_to_online_filing_only_where_the_procedure_allows_it(faq_entries):
    online = _top("đăng ký khai sinh nộp trực tuyến được không")
    assert online.file_url == "/thu-tuc/1.001193/#nop-ho-so"


@pytest.mark.parametrize(
    "question",
    [
        "Giá vàng hôm nay bao nhiêu?",
        "Thời tiết hôm nay ở Rạch Giá thế nào?",
        "Cách nấu canh chua cá lóc",
        "asdf qwer",
    ],
)
def test_off_topic_questions_are_declined(faq_entries, question):
    reply = answer(question)
    assert not reply.answered
    assert reply.reason == "unknown"


def test_a_complaint_is_declined_and_sent_to_the_feedback_form(faq_entries):
    reply = answer("Cán bộ xã thái độ hách dịch quá")
    assert (reply.answered, reply.reason) == (False, "complaint")


@pytest.mark.parametrize("question", ["", "   ", "😀😀😀", "!!!???", "\x00"])
def test_a_question_without_letters_is_declined_without_searching(question):
    assert answer(question).reason == "empty"


def test_whole_questions_are_reduced_to_what_they_are_about():
    parsed = question_parse("Cho em hỏi làm lại giấy khai sinh bị mất thì cần những giấy tờ gì ạ?")
    assert parsed.topic.startswith("đăng ký lại khai sinh")
    assert "ạ" not in parsed.topic.split()
    assert parsed.aspects == ("giay-to",)
    # Someone typing with diacritics means "con" (child), not "còn".
    assert "con" in question_parse("Gia đình tôi muốn nhận con nuôi trong nước").topic


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Tôi muốn làm lại giấy khai sinh bị mất thì cần những giấy tờ gì?", "1.004884"),
        ("Tôi cần giấy xác nhận độc thân để làm hồ sơ vay ngân hàng thì xin ở đâu?", "1.004873"),
        ("Em đi làm xa thuê trọ ở thành phố thì có phải đăng ký tạm trú không và làm ở đâu?", "1.004194"),
    ],
)
def test_the_catalogue_search_finds_the_procedure_a_whole_question_is_about(question, code):
    hits = search_index().search(catalog_query(question), limit=5)
    codes = dict(Procedure.objects.filter(id__in=[h.id for h in hits]).values_list("id", "code"))
    assert code in [codes[h.id] for h in hits]


def test_a_short_query_is_searched_as_typed():
    assert catalog_query("khai sinh") == "khai sinh"


def test_a_newly_published_entry_is_found_at_once_and_a_withdrawn_one_no_longer(
    faq_entries, django_db_blocker
):
    entry = FaqEntry.objects.create(
        question="Cổng có ứng dụng trên điện thoại không?",
        answer="Chưa; Cổng dùng được trên trình duyệt của điện thoại.",
        state=FaqEntry.State.PUBLISHED,
    )
    assert _top("cong co ung dung dien thoai khong").id == f"faq-{entry.pk}"
    entry.state = FaqEntry.State.DRAFT
    entry.save()
    reply = answer("cong co ung dung dien thoai khong")
    assert all(a.id != f"faq-{entry.pk}" for a in reply.answers)
