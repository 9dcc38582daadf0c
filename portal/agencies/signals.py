"""Agency names and addresses are shown on kept public pages (the catalogue, its filter options): every save or
delete of an agency bumps the ``"agencies"`` namespace (``portal.cache``). ``agencies_load``, whose updates send no
signal, bumps it itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import cache as versioned
from portal.agencies.models import Agency

NAMESPACE = "agencies"


@receiver([post_save, post_delete], sender=Agency, dispatch_uid="agencies_changed")
def agencies_changed(sender, **kwargs) -> None:
    versioned.bump(NAMESPACE)
