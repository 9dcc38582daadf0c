"""Template helpers shared by the citizen's and the officers' dossier pages."""

from datetime import datetime

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dossiers import selectors, wording
from dossiers.models import Dossier, DossierEvent, Notification
from portal.html import html, html_join

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The person-readable name of a history step: "receive" → "Tiếp nhận hồ sơ"."""
    return wording.step_label(action)


@register.filter
def step_details(event: DossierEvent) -> str:
    """What the system knows of a step, as a sentence in the reader's language (agency names marked Vietnamese)."""
    return wording.step_details(event)


@register.filter
def vi(text: str) -> str:
    """Vietnamese data inside a sentence of the page's language: marked lang="vi" on other language versions."""
    return wording.as_data(text)


@register.filter
def actor_label(event: DossierEvent) -> str:
    return wording.actor_label(event)


@register.filter
def notification_subject(notification: Notification) -> str:
    return wording.notification_subject(notification, html=True)


@register.filter
def notification_message(notification: Notification) -> str:
    return wording.notification_message(notification, html=True)


# Choice labels by value, built once: a model's get_FOO_display() rebuilds its choices (and translates every label)
# on each call, which is most of the time of a 25-row queue.
_STATE_LABELS = dict(Dossier.State.choices)
_CHANNEL_LABELS = dict(Dossier.Channel.choices)
_OUTCOME_LABELS = dict(DossierEvent.Outcome.choices)


@register.filter
def state_label(state: str) -> str:
    """The person-readable name of a dossier's state, in the active language: "received" → "Đã tiếp nhận"."""
    return str(_STATE_LABELS.get(state, state))


@register.filter
def channel_label(channel: int) -> str:
    return str(_CHANNEL_LABELS.get(channel, channel))


@register.filter
def outcome_label(outcome: str) -> str:
    return str(_OUTCOME_LABELS.get(outcome, outcome))


@register.filter
def clip(value: str, length: int) -> str:
    """``truncatechars`` that costs nothing when the text fits (most procedure names do)."""
    value = str(value)
    return value if len(value) <= length else Truncator(value).chars(length)


@register.simple_tag
def unread_notification_count(user) -> int:
    """Unread notifications of ``user`` for the header (one count query; 0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.unread_notification_count(user.pk)


@register.filter
def day(moment) -> str:
    """``|date:"d/m/Y"`` in local time, without Django's general date formatter; empty for no date."""
    if not moment:
        return ""
    return (timezone.localtime(moment) if isinstance(moment, datetime) else moment).strftime("%d/%m/%Y")


@register.filter
def day_time(moment) -> str:
    """``|date:"d/m/Y H:i"`` in local time, as ``day``."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


_DEADLINE_FLAGS = {
    "overdue": ("due-overdue", _("Quá hạn")),
    "today": ("due-today", _("Đến hạn hôm nay")),
    "soon": ("due-soon", _("Sắp đến hạn")),
    "paused": ("due-paused", _("Tạm dừng tính hạn")),
}


@register.filter
def deadline_flag(deadline: str) -> str:
    """The flag beside a due date ("Quá hạn", "Đến hạn hôm nay", …); empty for none."""
    flag = _DEADLINE_FLAGS.get(deadline)
    return html('<span class="due-flag {}">{}</span>', flag[0], flag[1]) if flag else ""


_URL_MARK = 987654321
_url_around: dict[tuple[str, str, str], tuple[str, str]] = {}


@register.simple_tag
def pk_url(view_name: str, pk: int) -> str:
    """``{% url view_name pk %}`` for an address whose one argument is a primary key, for the price of joining three
    strings (reversed once per view, language and script prefix)."""
    key = (view_name, get_language() or "", get_script_prefix())
    around = _url_around.get(key)
    if around is None:
        before, after = reverse(view_name, args=[_URL_MARK]).split(str(_URL_MARK))
        around = _url_around[key] = (before, after)
    return f"{around[0]}{int(pk)}{around[1]}"


@register.filter
def select(field) -> str:
    """A bound ChoiceField's ``<select>`` (name, id, options, the value selected), written directly instead of through
    the widget templates; a field with errors goes through its widget (its error attributes)."""
    if field.errors:
        return field.as_widget()
    value = field.value()
    value = "" if value is None else str(value)
    options = html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if str(key) == value else "", label)
            for key, label in field.field.choices
        ),
    )
    return html('<select name="{}" id="{}">{}</select>', field.html_name, field.auto_id, options)


@register.simple_tag
def queue_rows(dossiers) -> str:
    """The rows of a work queue's table: code (a link to the work page), procedure, applicant, channel, state, filed,
    due (with its flag) and handling agency. Written here rather than as a template loop: a queue page shows 25 rows
    of eight cells, and the loop cost more than the rest of the page's content (0.13 ms a row against 0.02)."""
    return html_join(
        "\n",
        '<tr{}><td><a href="{}">{}</a></td><td><span class="meta">{}</span><br>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
        (
            (
                html(' class="row-{}"', dossier.deadline) if dossier.deadline else "",
                pk_url("dossiers:officer_dossier", dossier.pk),
                dossier.code,
                dossier.procedure.code,
                clip(dossier.procedure.name, 120),
                dossier.applicant_name,
                channel_label(dossier.channel),
                state_label(dossier.state),
                day_time(dossier.submitted_at) or "—",
                day_time(dossier.due_at) or "—",
                html("<br>{}", deadline_flag(dossier.deadline)) if dossier.deadline else "",
                (dossier.handling_agency.name if dossier.handling_agency else "") or "—",
            )
            for dossier in dossiers
        ),
    )


@register.simple_tag(takes_context=True)
def my_dossier_rows(context, dossiers) -> str:
    """The rows of "my dossiers": code (or the draft's number) linking to the dossier, procedure, state, due date and
    the current step with the unit handling it; each cell carries its column's label for the card layout at small
    widths. Written here rather than as a template loop, as ``queue_rows``."""
    lang = context.get("data_lang", "")
    labels = {
        "procedure": str(_("Thủ tục")),
        "state": str(_("Trạng thái")),
        "due": str(_("Ngày hẹn trả")),
        "step": str(_("Bước hiện tại")),
    }

    def cells(dossier):
        if dossier.state == Dossier.State.DRAFT:
            draft_url = pk_url("dossiers:draft", dossier.pk)
            head = html('<a href="{}">{} #{}</a>', draft_url, _("Bản nháp"), str(dossier.pk))
            step = html('<a href="{}">{}</a>', draft_url, _("Tiếp tục soạn hồ sơ"))
        else:
            head = html(
                '<a class="code" href="{}">{}</a>',
                pk_url("dossiers:citizen_detail", dossier.pk),
                dossier.code,
            )
            unit = dossier.handling_agency or dossier.receiving_agency
            step = html(
                '{}<br><span class="small"{}>{}</span>',
                action_label(dossier.last_action),
                lang,
                unit.name if unit else "",
            )
        return (
            head,
            labels["procedure"],
            lang,
            clip(dossier.procedure.name, 120),
            labels["state"],
            dossier.state,
            state_label(dossier.state),
            labels["due"],
            day(dossier.due_at) or "—",
            labels["step"],
            step,
        )

    return html_join(
        "\n",
        '<tr role="row"><th scope="row" role="rowheader">{}</th>'
        '<td role="cell" data-label="{}"><span{}>{}</span></td>'
        '<td role="cell" data-label="{}"><span class="status status-{}">{}</span></td>'
        '<td role="cell" data-label="{}">{}</td><td role="cell" data-label="{}">{}</td></tr>',
        (cells(dossier) for dossier in dossiers),
    )
