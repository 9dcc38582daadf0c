"""``{% dossier_shipment dossier staff %}``: the postal section of a dossier's pages (applicant, officer, public
tracking); officers also get the "send by post" and "check now" buttons."""

from django import template

from dossiers.models import Dossier
from integrations.postal.client import postal_configured
from postal.models import Shipment

register = template.Library()


@register.inclusion_tag("postal/_shipment.html", takes_context=True)
def dossier_shipment(context, dossier, staff=False):
    shipment = Shipment.objects.filter(dossier=dossier, kind=Shipment.Kind.RESULT).first()
    can_send = (
        staff
        and shipment is None
        and postal_configured()
        and dossier.delivery == Dossier.Delivery.POST
        and dossier.state == Dossier.State.AWAITING_RETURN
    )
    return {
        "shown": shipment is not None or can_send,
        "shipment": shipment,
        "dossier": dossier,
        "staff": staff,
        "can_send": can_send,
        "csrf_token": context.get("csrf_token"),
        "statuses": dict(Shipment.Status.choices),
    }
