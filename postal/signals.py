"""A shipment's status is shown on the public tracking answer, which is kept while what it shows is unchanged
(``dossiers/signals.py``): a saved shipment bumps the postal app's own namespace ``delivery:<dossier code>``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal import cache as versioned
from postal.models import Shipment


@receiver(post_save, sender=Shipment, dispatch_uid="shipment_pages_stale")
def shipment_pages_stale(sender, instance: Shipment, **kwargs) -> None:
    code = instance.dossier.code
    if code:
        versioned.bump(f"delivery:{code}")
