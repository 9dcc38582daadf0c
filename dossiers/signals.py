"""Rendered dossier pages go stale when what they show is written (see ``page_cache``).

Receivers, not service calls, because every write path must do it, including ones added later: a dossier saved or
deleted anywhere, a notification or a consultation created or deleted. Bulk ``update()`` sends no signal; the one place that uses it
on what these pages show (marking notifications read) changes the tokens itself.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dossiers import page_cache
from dossiers.models import Consultation, Dossier, Notification


@receiver([post_save, post_delete], sender=Dossier, dispatch_uid="dossier_pages_stale")
def dossier_pages_stale(sender, instance: Dossier, **kwargs) -> None:
    scopes = page_cache.dossier_scopes(instance, previous_agencies=getattr(instance, "loaded_agencies", ()))
    if instance.__dict__.get("state") == Dossier.State.CONSULTING and kwargs.get("signal") is post_save:
        # An agency whose opinion is asked lists the dossier too (its due date, for one).
        asked = Consultation.objects.filter(dossier_id=instance.pk, closed_at__isnull=True)
        scopes += [
            page_cache.agency_scope(agency_id) for agency_id in asked.values_list("agency_id", flat=True)
        ]
    page_cache.scopes_changed(scopes)
    instance.loaded_agencies = page_cache.agencies_of(instance)


@receiver([post_save, post_delete], sender=Notification, dispatch_uid="notification_pages_stale")
def notification_pages_stale(sender, instance: Notification, **kwargs) -> None:
    page_cache.scopes_changed([page_cache.user_scope(instance.user_id)])


@receiver([post_save, post_delete], sender=Consultation, dispatch_uid="consultation_pages_stale")
def consultation_pages_stale(sender, instance: Consultation, **kwargs) -> None:
    # The consulted agency's queue lists the dossier while the question is open.
    page_cache.scopes_changed([page_cache.agency_scope(instance.agency_id)])
