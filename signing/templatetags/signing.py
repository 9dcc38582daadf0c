from django import template

from integrations.documents.client import documents_configured
from signing.models import SigningRequest
from signing.services import SIGNABLE_STATES, draft_result

register = template.Library()


@register.inclusion_tag("signing/_signing.html", takes_context=True)
def dossier_signing(context, dossier):
    latest = SigningRequest.objects.filter(dossier=dossier).order_by("-created_at").first()
    can_send = (
        documents_configured()
        and dossier.state in SIGNABLE_STATES
        and (latest is None or latest.state == SigningRequest.State.SIGNED)
        and draft_result(dossier) is not None
        and (latest is None or latest.result_file_id != getattr(draft_result(dossier), "pk", None))
    )
    return {
        "shown": latest is not None or can_send,
        "request": latest,
        "dossier": dossier,
        "can_send": can_send,
        "csrf_token": context.get("csrf_token"),
    }
