"""Sentences about a dossier, rendered in the reader's language from what is stored: the action's code, the
actor's role and the step's parameters (agency ids, items, dates). Only what a person typed (a reason, a question,
a note) is kept as typed; it is shown as Vietnamese data (``lang="vi"`` on other language versions).

The history (Mẫu 05 on screen), the notifications (inbox, e-mail, SMS) and the note sent to the national portal are
all worded here, so a new language or a corrected phrase is a change in one place.
"""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from dossiers.models import Dossier, DossierEvent, Notification
from dossiers.workflow import TRANSITIONS
from portal.accounts.models import User
from portal.agencies.models import Agency

APPLICANT = "applicant"


def _vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def as_data(text: str) -> SafeString:
    """Vietnamese data (a name, what a person typed) inside a sentence of another language is marked as such."""
    if _vietnamese() or not text:
        return format_html("{}", text)
    return format_html('<span lang="vi">{}</span>', text)


def moment(value: datetime | None, *, with_time: bool = True) -> str:
    if value is None:
        return "—"
    return date_format(
        timezone.localtime(value), "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT"
    )


# Steps of the history that change no state and are no action of the workflow (recorded by a service for what another
# system reported).
OTHER_STEPS = {"paper_received": gettext_noop("Nhận hồ sơ giấy qua bưu chính")}


def step_label(action: str) -> str:
    """The name of a history step: "receive" → "Tiếp nhận hồ sơ" (or "Receive the dossier")."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return gettext(OTHER_STEPS[action]) if action in OTHER_STEPS else action
    return gettext(transition.label)


def role_label(role: str) -> str:
    """Who acted, by role, never by name: "Chủ hồ sơ", "Cán bộ một cửa", …"""
    if role == APPLICANT:
        return gettext("Chủ hồ sơ")
    try:
        return str(User.Role(role).label)
    except ValueError:
        return ""


def actor_label(event: DossierEvent) -> SafeString:
    """The role in the reader's language; a history row written before roles were stored shows its old title."""
    if event.actor_role:
        return format_html("{}", role_label(event.actor_role))
    return as_data(event.actor_title) if event.actor_title else mark_safe("—")  # noqa: S308 (a constant)


def _agency_name(agency_id) -> str:
    return Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or ""


def step_details(event: DossierEvent) -> SafeString:
    """What the system knows of a step, as a sentence (empty when the step name says it all)."""
    params = event.params or {}
    action = event.action
    if action == "register" and "channel" in params:
        return format_html(
            gettext("Kênh nộp: {channel}"), channel=str(Dossier.Channel(params["channel"]).label)
        )
    if action == "receive" and event.step_deadline:
        sentence = gettext("Hẹn trả kết quả: {due}")
        if params.get("due_set_by_officer"):
            sentence = gettext("Hẹn trả kết quả: {due} (do cán bộ tiếp nhận xác định)")
        return format_html(sentence, due=moment(event.step_deadline))
    if action == "request_supplement" and params.get("items"):
        return format_html(gettext("Cần bổ sung: {items}"), items=as_data("; ".join(params["items"])))
    if action == "transfer" and params.get("agency"):
        return format_html(
            gettext("Chuyển {agency} giải quyết"), agency=as_data(_agency_name(params["agency"]))
        )
    if action == "paper_received" and params.get("post"):
        return format_html(gettext("Bưu gửi số {number}"), number=params["post"])
    if action == "consult" and params.get("agency"):
        return format_html(gettext("Xin ý kiến {agency}"), agency=as_data(_agency_name(params["agency"])))
    if action == "apologise" and params.get("new_due"):
        return format_html(
            gettext("Ngày hẹn trả mới: {due}"), due=moment(datetime.fromisoformat(params["new_due"]))
        )
    return mark_safe("")  # noqa: S308 (empty)


def step_text(event: DossierEvent) -> str:
    """The step's details and the typed note as plain text (the national portal, printed forms)."""
    details = str(step_details(event))
    # Plain text: drop the language marks added for screens.
    details = details.replace('<span lang="vi">', "").replace("</span>", "")
    return " ".join(part for part in (strip_tags(details).strip(), event.note.strip()) if part)


# --- notifications --------------------------------------------------------------------------------------------------

# For the applicant: received, supplement, refused, result ready, returned, delayed with an apology, stopped, plus the
# acknowledgement of an online submission. Each is (title, body); {placeholders} are filled from the parameters.
APPLICANT_MESSAGES = {
    "submit": (
        gettext_noop("Đã nộp hồ sơ {code}"),
        gettext_noop("Hồ sơ {code} ({procedure}) đã được gửi tới {agency} và đang chờ tiếp nhận."),
    ),
    "receive": (
        gettext_noop("Hồ sơ {code} đã được tiếp nhận"),
        gettext_noop("Ngày hẹn trả kết quả: {due}. Phiếu tiếp nhận có trong tài khoản của bạn."),
    ),
    "request_supplement": (
        gettext_noop("Hồ sơ {code} cần bổ sung"),
        gettext_noop("Cơ quan yêu cầu bổ sung: {items}. {note}"),
    ),
    "refuse": (gettext_noop("Hồ sơ {code} không được tiếp nhận"), gettext_noop("Lý do: {note}")),
    "approve": (
        gettext_noop("Hồ sơ {code} đã có kết quả"),
        gettext_noop("Kết quả đã được phê duyệt và sẵn sàng để trả theo hình thức bạn đã chọn."),
    ),
    "return_result": (
        gettext_noop("Đã trả kết quả hồ sơ {code}"),
        gettext_noop("Kết quả giải quyết đã được trả. Cảm ơn bạn đã sử dụng dịch vụ."),
    ),
    "apologise": (
        gettext_noop("Hồ sơ {code} chậm trả kết quả"),
        gettext_noop("Cơ quan xin lỗi vì chậm trễ ({note}). Ngày hẹn trả mới: {due}."),
    ),
    "stop": (gettext_noop("Hồ sơ {code} bị dừng xử lý"), gettext_noop("Lý do: {note}")),
}

# For officers: a dossier entered one of their queues (``selectors.QUEUES``). The kind is "work:<queue slug>".
WORK_MESSAGES = {
    "cho-tiep-nhan": (
        gettext_noop("Hồ sơ mới chờ tiếp nhận: {code}"),
        gettext_noop("Hồ sơ {code} ({procedure}) đang chờ tiếp nhận tại {agency}."),
    ),
    "dang-xu-ly": (
        gettext_noop("Hồ sơ cần xử lý: {code}"),
        gettext_noop("Hồ sơ {code} ({procedure}) đã vào hàng chờ xử lý của {agency}."),
    ),
    "cho-phe-duyet": (
        gettext_noop("Hồ sơ chờ phê duyệt: {code}"),
        gettext_noop("Hồ sơ {code} ({procedure}) đã được trình, chờ lãnh đạo {agency} phê duyệt."),
    ),
    "cho-tra-ket-qua": (
        gettext_noop("Hồ sơ chờ trả kết quả: {code}"),
        gettext_noop("Hồ sơ {code} ({procedure}) đã có kết quả, chờ trả tại {agency}."),
    ),
    "xin-y-kien": (
        gettext_noop("Được xin ý kiến về hồ sơ {code}"),
        gettext_noop("{agency} được xin ý kiến về hồ sơ {code} ({procedure}); hạn trả lời: {due}."),
    ),
}


def _template(kind: str) -> tuple[str, str] | None:
    if kind.startswith("work:"):
        return WORK_MESSAGES.get(kind.removeprefix("work:"))
    return APPLICANT_MESSAGES.get(kind)


def _values(params: dict, html: bool) -> dict:
    due = params.get("due")
    data = {
        "procedure": params.get("procedure", ""),
        "agency": params.get("agency", ""),
        "note": params.get("note", ""),
        "items": "; ".join(params.get("items", [])),
    }
    if html:  # names and typed text are Vietnamese data inside the sentence
        data = {name: as_data(value) for name, value in data.items()}
    return {
        "code": params.get("code", ""),
        "due": moment(datetime.fromisoformat(due)) if due else "—",
        **data,
    }


def _notification_text(notification: Notification, part: int, html: bool) -> str:
    template = _template(notification.kind)
    if template is None:  # written before codes were stored
        text = notification.title if part == 0 else notification.body
        return as_data(text) if html else text
    values = _values(notification.params, html)
    if html:
        return format_html(gettext(template[part]), **values)
    return gettext(template[part]).format(**values).strip()


def notification_subject(notification: Notification, *, html: bool = False) -> str:
    """The notification's title in the active language (``html``: names marked as Vietnamese data)."""
    return _notification_text(notification, 0, html)


def notification_message(notification: Notification, *, html: bool = False) -> str:
    return _notification_text(notification, 1, html)


def history_note_for_national_portal(event: DossierEvent) -> str:
    """The processing note the national portal receives (NoiDungXuLy): Vietnamese, plain text."""
    with translation.override("vi"):
        return (step_text(event) or step_label(event.action))[:500]
