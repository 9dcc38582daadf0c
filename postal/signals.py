"""A shipment's status is shown on the dossier's pages, some of them kept rendered (``dossiers.page_cache``): a saved
shipment makes them stale, as a saved dossier does."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers import page_cache
from postal.models import Shipment


@receiver(post_save, sender=Shipment, dispatch_uid="shipment_pages_stale")
def shipment_pages_stale(sender, instance: Shipment, **kwargs) -> None:
    page_cache.scopes_changed(page_cache.dossier_scopes(instance.dossier))
