"""The public tracking answer is kept while the dossier it shows is unchanged (``views/tracking.py``): every save or
delete of a dossier bumps the ``dossier:<code>`` namespace (``portal.cache``). Every action on a dossier saves it (its
state, version or dates change), so the steps it adds to the history are covered too."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dossiers.models import Dossier
from portal import cache as versioned


def answer_namespaces(code: str) -> tuple[str, ...]:
    """What a tracking answer shows: the dossier, its procedure's name, its receiving agency's name, and what
    other apps add to it under their own namespace (the postal shipment of its result: ``delivery:<code>``, bumped
    by the postal app)."""
    return (f"dossier:{code}", f"delivery:{code}", "catalog", "agencies")


@receiver([post_save, post_delete], sender=Dossier, dispatch_uid="dossier_tracking_answer_stale")
def dossier_changed(sender, instance: Dossier, **kwargs) -> None:
    if "code" not in instance.get_deferred_fields() and instance.code:
        versioned.bump(f"dossier:{instance.code}")
