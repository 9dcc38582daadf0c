"""The filing flow for people the first flow test does not cover: a submit that fails keeps everything and says
everything at once; the pages of a dossier's life read in English on /en/ (Vietnamese only where it is data, marked
lang="vi"), and none of them scrolls sideways on a 320 px screen."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers import filing, services
from dossiers.completeness import dossier_completeness
from dossiers.deadlines import time_limit_unclear
from dossiers.models import Dossier
from dossiers.pdf.qr import tracking_url
from portal.agencies.models import Agency
from tests.browser.flows import JUSTICE, PHONE, SERVICE_CENTRE, signed_in_page
from tests.people import attach_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Vietnamese letters that English text never has: text carrying them on an English page must be data marked lang="vi".
# (The page title is left out: it cannot carry a language mark, and it names the procedure or the dossier.)
UNTRANSLATED = """() => {
    const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýãõĩũ]/i;
    const inVietnamese = (el) => {
        const marked = el.closest('[lang]');
        return marked !== null && marked.getAttribute('lang').startsWith('vi');
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        const el = walker.currentNode.parentElement;
        if (!text || !vietnamese.test(text) || el.closest('script, style, template')) continue;
        if (!inVietnamese(el)) found.push(text.slice(0, 90));
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit]')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
            const text = el.getAttribute(name);
            if (text && vietnamese.test(text) && !inVietnamese(el)) found.push(`${name}: ${text.slice(0, 80)}`);
        }
    }
    return found;
}"""

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _fits_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(SIDEWAYS)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 320 px"


# --- a failed submit -------------------------------------------------------------------------------------------------


def test_a_failed_submit_keeps_files_and_fields_and_shows_every_problem_with_the_summary_focused(
    new_context, axe_check, demo_accounts, procedure, files, tmp_path
):
    citizen = signed_in_page(new_context, "congdan")
    citizen.goto(f"/ho-so/nop/{procedure.code}/?co_quan={SERVICE_CENTRE}")
    citizen.get_by_role("button", name="Bắt đầu soạn hồ sơ").click()
    expect(citizen.locator("h1")).to_have_text("Soạn hồ sơ trực tuyến")
    draft = Dossier.objects.get(applicant__username="congdan", state=Dossier.State.DRAFT)
    first, *others = dossier_completeness(draft).required
    fake = tmp_path / "hop-dong.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf at all")

    citizen.get_by_label("Số điện thoại").fill("goi cho toi")
    citizen.get_by_label("Địa chỉ", exact=True).fill("Ấp Mỹ Hòa, xã Vĩnh Thuận")
    citizen.locator(f"#tep_{first.pk}").set_input_files(files["pdf"])
    citizen.locator("#tep_khac").set_input_files(fake)
    citizen.get_by_role("button", name="Tiếp tục: kiểm tra và nộp").click()

    summary = citizen.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert citizen.title().startswith("Lỗi: ")
    expect(summary).to_contain_text("Số điện thoại chỉ gồm chữ số")  # the field
    expect(summary).to_contain_text("hop-dong.pdf")  # the bad file, by name
    if others:
        expect(summary).to_contain_text("giấy tờ bắt buộc")  # what is still missing
    # Nothing typed or chosen was lost: the fields as typed, the good file stored and listed.
    expect(citizen.get_by_label("Số điện thoại")).to_have_value("goi cho toi")
    expect(citizen.get_by_label("Địa chỉ", exact=True)).to_have_value("Ấp Mỹ Hòa, xã Vĩnh Thuận")
    expect(citizen.locator(f"#tp-{first.pk}").get_by_role("link", name="don-de-nghi.pdf")).to_be_visible()
    # A link of the summary takes the keyboard to its field.
    summary.get_by_role("link", name="Số điện thoại chỉ gồm chữ số (8 đến 20 ký tự).").click()
    expect(citizen.get_by_label("Số điện thoại")).to_be_focused()
    axe_check(citizen)
    _fits_320(citizen)


# --- English and small screens ---------------------------------------------------------------------------------------


def _dossier_in_handling(demo_accounts, procedure) -> tuple[Dossier, Dossier]:
    """A dossier of congdan received at the service centre, sent back for more papers by Sở Tư pháp's handler;
    and a second draft of the same procedure, ready to be checked."""
    users = demo_accounts
    centre, justice = Agency.objects.get(code=SERVICE_CENTRE), Agency.objects.get(code=JUSTICE)
    dossier = filing.dossier_draft_create(user=users["congdan"], procedure=procedure, receiving_agency=centre)
    dossier = filing.dossier_details_update(dossier=dossier, user=users["congdan"], applicant_phone=PHONE)
    attach_required(dossier, users["congdan"])
    services.dossier_submit(dossier=dossier, actor=users["congdan"])
    dossier.refresh_from_db()
    due = None if time_limit_unclear(dossier) is None else timezone.now() + timedelta(days=5)
    services.dossier_receive(dossier=dossier, actor=users["motcua"], due_at=due, note="Theo quy định")
    services.dossier_transfer(dossier=dossier, actor=users["motcua"], handling_agency=justice)
    services.dossier_request_supplement(
        dossier=dossier, actor=users["chuyenvien"], items=["Bản sao giấy khai sinh"], reason="Bản chụp mờ"
    )
    dossier.refresh_from_db()
    draft = filing.dossier_draft_create(user=users["congdan"], procedure=procedure, receiving_agency=centre)
    filing.dossier_details_update(dossier=draft, user=users["congdan"], applicant_phone=PHONE)
    attach_required(draft, users["congdan"])
    return dossier, draft


def _check(page, url: str, problems: dict) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    untranslated = page.evaluate(UNTRANSLATED)
    if untranslated:
        problems[url] = untranslated
    _fits_320(page)


def test_the_pages_of_a_dossiers_life_read_in_english_and_fit_a_small_screen(
    new_context, demo_accounts, procedure
):
    dossier, draft = _dossier_in_handling(demo_accounts, procedure)
    problems: dict[str, list[str]] = {}

    citizen = signed_in_page(new_context, "congdan")
    for url in [
        f"/en{procedure.get_absolute_url()}",
        "/en/ho-so/cua-toi/",
        f"/en/ho-so/{draft.pk}/soan/",
        f"/en/ho-so/{draft.pk}/kiem-tra/",
        f"/en/ho-so/{dossier.pk}/",
        "/en/ho-so/thong-bao/",
        "/en/ho-so/kho-du-lieu/",
        "/en/ho-so/tra-cuu/",
        "/en" + urlsplit(tracking_url(dossier.code)).path,  # the signed link of the receipt's QR code
    ]:
        _check(citizen, url, problems)

    officer = signed_in_page(new_context, "chuyenvien")
    for url in [
        "/en/ho-so/can-bo/",
        "/en/ho-so/can-bo/hang-doi/dang-xu-ly/",
        f"/en/ho-so/can-bo/{dossier.pk}/",
    ]:
        _check(officer, url, problems)

    assert not problems, "Vietnamese outside lang=vi on English pages:\n" + "\n".join(
        f"{url}\n  " + "\n  ".join(found) for url, found in problems.items()
    )
