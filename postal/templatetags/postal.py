"""``{% dossier_shipment dossier staff %}``: the postal sections of a dossier's pages (applicant, officer, public
tracking): the paper dossier collected by post, and the result sent by post; officers also get the "send by post",
"check now" and "try the collection again" buttons. ``{% dossier_collection_choice dossier %}``: the choice of a
collection on the check-your-answers page, with the fee the postal service quoted."""

from django import template

from dossiers.models import Dossier
from integrations.postal.client import postal_configured
from portal.prepared import NO_ID, Prepared
from postal.collections import collection_destination, collection_offered
from postal.forms import CollectionForm
from postal.models import Collection, Shipment

register = template.Library()

# Read on every dossier page and public tracking answer, nearly always to find nothing: compiled once per process
# (portal/prepared.py) rather than on every request.
_shipments_of = Prepared(lambda pk: Shipment.objects.filter(dossier_id=pk), sentinel=NO_ID)
_collection_of = Prepared(
    lambda pk: (
        Collection.objects.filter(dossier_id=pk).exclude(state=Collection.State.CHOSEN).order_by("pk")[:1]
    ),
    sentinel=NO_ID,
)


@register.inclusion_tag("postal/_shipment.html", takes_context=True)
def dossier_shipment(context, dossier, staff=False):
    shipments = {shipment.kind: shipment for shipment in _shipments_of(dossier.pk)}
    shipment = shipments.get(Shipment.Kind.RESULT)
    collection = next(iter(_collection_of(dossier.pk)), None)
    can_send = (
        staff
        and shipment is None
        and postal_configured()
        and dossier.delivery == Dossier.Delivery.POST
        and dossier.state == Dossier.State.AWAITING_RETURN
    )
    user = getattr(context.get("request"), "user", None)
    return {
        "shown": shipment is not None or can_send,
        "shipment": shipment,
        "collection": collection,
        "collected": shipments.get(Shipment.Kind.COLLECTION),
        # The pick-up address and the service's own words are for the applicant and the officers, not the public.
        "personal": staff
        or (dossier.applicant_id is not None and getattr(user, "pk", None) == dossier.applicant_id),
        "dossier": dossier,
        "staff": staff,
        "can_send": can_send,
        "csrf_token": context.get("csrf_token"),
        "statuses": dict(Shipment.Status.choices),
        "data_lang": context.get("data_lang", ""),
    }


@register.inclusion_tag("postal/_collection_choice.html", takes_context=True)
def dossier_collection_choice(context, dossier):
    if not collection_offered(dossier):
        return {"shown": False}
    collection = Collection.objects.filter(dossier=dossier).first()
    originals = list(dossier.procedure.documents.filter(originals__gte=1).values_list("name", flat=True))
    return {
        "shown": True,
        "dossier": dossier,
        "collection": collection,
        "destination": collection_destination(dossier),
        "originals": originals,
        "form": CollectionForm(initial={"dia_chi": dossier.applicant_address}),
        "csrf_token": context.get("csrf_token"),
        "data_lang": context.get("data_lang", ""),
    }
