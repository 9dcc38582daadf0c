"""The catalogue's result rows and a procedure's agency and document lists (list, search, an agency's page and its
embedded box, the procedure page); with the other presentation tags of the site, beside ``vn``."""

import hashlib

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal import cache as versioned
from portal.html import html, html_join
from portal.pages.templatetags.vn import duration

register = template.Library()

# The same 102 communes receive hundreds of commune-level procedures: a list that long is rendered once per language
# and version of the agencies (whose codes and names it shows) and kept through the one mechanism, not on every page.
LONG_LIST = 20
_LISTS_KEPT_FROM = ("agencies",)
_LISTS_KEPT_SECONDS = 3600


@register.simple_tag(takes_context=True)
def procedure_rows(context, procedures, level=3) -> str:
    """One ``<li>`` per procedure: its name as a heading of ``level`` linking to its page, then the online scope,
    code, field, levels and the time limit of its first channel. Written here rather than as a template loop: twenty
    rows of nested conditions were most of a list page's rendering."""
    lang = context.get("data_lang", "")
    badges = {
        "full": html('<span class="badge full">{}</span> ', _("Toàn trình")),
        "partial": html('<span class="badge partial">{}</span> ', _("Một phần")),
    }
    code_word, limit_word, no_unit = _("Mã"), _("Thời hạn"), _("không ghi đơn vị")

    def meta(procedure) -> str:
        parts = [html("{} {}", code_word, procedure.code)]
        if procedure.field:
            parts.append(procedure.field.name)
        parts += [str(label) for label in procedure.level_labels]
        channel = next(iter(procedure.channels.all()), None)
        if channel is not None and channel.duration:
            if channel.time_limit_known():
                limit = duration(channel.duration, channel.duration_unit)
            else:
                limit = html("{} ({})", channel.duration_text or duration(channel.duration), no_unit)
            parts.append(html("{}: {}", limit_word, limit))
        return html_join(" · ", "{}", ((part,) for part in parts))

    return html_join(
        "\n",
        '<li><h{}{}><a href="{}">{}</a></h{}><p class="meta">{}{}</p></li>',
        (
            (
                level,
                lang,
                procedure.get_absolute_url(),
                procedure.name,
                level,
                badges.get(procedure.online_scope, ""),
                meta(procedure),
            )
            for procedure in procedures
        ),
    )


@register.simple_tag(takes_context=True)
def agency_links(context, links) -> str:
    """``<li>`` links to the agencies of ``links`` (a commune-level procedure is received in 102 communes)."""
    lang = context.get("data_lang", "")

    def render() -> str:
        return html_join(
            "",
            '<li><a href="{}"{}>{}</a></li>',
            ((link.agency.get_absolute_url(), lang, link.agency.name) for link in links),
        )

    return _kept_list("agency-links", lang, [link.agency_id for link in links], render)


@register.simple_tag(takes_context=True)
def agency_options(context, agencies) -> str:
    """An ``<option>`` per agency a dossier may be filed at (a commune-level procedure is received in 102)."""
    lang = context.get("data_lang", "")

    def render() -> str:
        return html_join("", '<option value="{}"{}>{}</option>', ((a.code, lang, a.name) for a in agencies))

    return _kept_list("agency-options", lang, [agency.pk for agency in agencies], render)


def _kept_list(kind: str, lang: str, ids: list[int], render) -> str:
    """``render()``, kept per language, language mark and list of agency ids when the list is long."""
    if len(ids) < LONG_LIST:
        return render()
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    key = f"catalog:{kind}:{get_language()}:{'lang' if lang else ''}:{digest}"
    return mark_safe(versioned.get_or_set(key, _LISTS_KEPT_FROM, render, _LISTS_KEPT_SECONDS))  # noqa: S308


@register.simple_tag
def document_rows(documents) -> str:
    """The rows of a procedure's documents table: a row heading each case the documents fall under, then name, form
    templates and how many originals and copies."""
    rows = []
    case = None
    for document in documents:
        if document.case != case:
            case = document.case
            if case:
                rows.append(html('<tr><th scope="rowgroup" colspan="3">{}</th></tr>', case))
        counts = []
        if document.originals:
            counts.append(
                ngettext("%(n)s bản chính", "%(n)s bản chính", document.originals) % {"n": document.originals}
            )
        if document.copies:
            counts.append(
                ngettext("%(n)s bản sao", "%(n)s bản sao", document.copies) % {"n": document.copies}
            )
        templates = html_join(mark_safe("<br>"), "{}", ((t,) for t in document.templates)) or "—"
        rows.append(
            html("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", document.name, templates, ", ".join(counts))
        )
    return html_join("\n", "{}", ((row,) for row in rows))
