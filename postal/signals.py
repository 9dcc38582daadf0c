"""A shipment's status is shown on the public tracking answer, which is kept while what it shows is unchanged
(``dossiers/signals.py``): a saved shipment or collection request bumps the postal app's own namespace
``delivery:<dossier code>``. Filing a dossier makes its chosen collection due (``postal/collections.py``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import DossierEvent
from portal import cache as versioned
from postal.collections import collection_filed
from postal.models import Collection, Shipment


@receiver(post_save, sender=Shipment, dispatch_uid="shipment_pages_stale")
@receiver(post_save, sender=Collection, dispatch_uid="collection_pages_stale")
def shipment_pages_stale(sender, instance: Shipment | Collection, **kwargs) -> None:
    code = instance.dossier.code
    if code:
        versioned.bump(f"delivery:{code}")


@receiver(post_save, sender=DossierEvent, dispatch_uid="collection_on_filing")
def collection_on_filing(sender, instance: DossierEvent, created: bool, **kwargs) -> None:
    if created and instance.action == "submit" and not kwargs.get("raw"):
        collection_filed(dossier_id=instance.dossier_id)
