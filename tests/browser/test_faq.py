"""The FAQ page and the question assistant in Chromium: searching the questions, asking with and without
JavaScript (htmx makes it a conversation, without it the form reloads the page), checked with axe-core, and no
sideways scrolling at 320 px.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import pytest
from playwright.sync_api import expect

from faq.models import FaqEntry
from portal.catalog.models import Procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def entries():
    birth = Procedure.objects.get(code="1.001193")
    documents = FaqEntry.objects.create(
        question="Làm thủ tục đăng ký khai sinh cần chuẩn bị những giấy tờ gì?",
        answer="Tờ khai đăng ký khai sinh theo mẫu; giấy chứng sinh.",
        field=birth.field,
        state=FaqEntry.State.PUBLISHED,
    )
    documents.procedures.add(birth)
    FaqEntry.objects.create(
        question="Tra cứu tình trạng hồ sơ như thế nào?",
        answer="Vào “Tra cứu hồ sơ”, nhập mã hồ sơ và 4 số cuối số điện thoại.",
        state=FaqEntry.State.PUBLISHED,
    )
    return documents


def test_the_faq_page_lists_and_searches_the_questions(page, entries, axe_check):
    page.goto("/hoi-dap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Câu hỏi thường gặp")
    axe_check(page)
    page.get_by_label("Tìm câu hỏi").fill("tra cuu ho so")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_role("link", name="Tra cứu tình trạng hồ sơ như thế nào?")).to_be_visible()
    page.get_by_role("link", name="Tra cứu tình trạng hồ sơ như thế nào?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu tình trạng hồ sơ như thế nào?")
    axe_check(page)


def test_the_assistant_is_a_conversation_with_javascript(page, entries, axe_check):
    page.goto("/hoi-dap/tro-ly/")
    axe_check(page)
    question = page.get_by_label("Câu hỏi của bạn")
    question.fill("dang ky khai sinh can giay to gi")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    exchanges = page.locator("#conversation .faq-exchange")
    # The first question builds the worker's answering index (the catalogue and the FAQ): seconds on a busy machine.
    expect(exchanges).to_have_count(1, timeout=30_000)
    expect(exchanges.first).to_contain_text("Làm thủ tục đăng ký khai sinh cần chuẩn bị những giấy tờ gì?")
    expect(page.get_by_label("Câu hỏi của bạn")).to_have_value("")
    page.get_by_label("Câu hỏi của bạn").fill("giá vàng hôm nay")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    expect(exchanges).to_have_count(2)
    expect(exchanges.nth(1)).to_contain_text("chưa tìm được câu trả lời")
    assert page.url.endswith("/hoi-dap/tro-ly/")  # the page stayed; the conversation grew
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_assistant_works_as_a_plain_form_without_javascript(new_context, entries, axe_check):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/hoi-dap/tro-ly/")
    page.get_by_label("Câu hỏi của bạn").fill("tra cứu hồ sơ ở đâu")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    expect(page.locator(".faq-exchange")).to_contain_text("Tra cứu tình trạng hồ sơ như thế nào?")
    assert "q=" in page.url


def test_the_widget_page_answers_inside_a_frame(page, entries, server_url):
    page.set_content(
        f'<!doctype html><html lang="vi"><title>Sở</title><iframe title="Trợ lý" src="{server_url}/hoi-dap/nhung/"></iframe>'
    )
    frame = page.frame_locator("iframe")
    frame.get_by_label("Câu hỏi của bạn").fill("tra cuu ho so")
    frame.get_by_role("button", name="Hỏi", exact=True).click()
    expect(frame.locator(".faq-exchange")).to_contain_text("Tra cứu tình trạng hồ sơ như thế nào?")
