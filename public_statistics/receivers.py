"""The summary tables follow every save and deletion of a dossier, in the same transaction (``services.py``).

Django's model signals with the sender named lazily ("dossiers.Dossier"): every write path counts, including ones
added later (counter registration, the national portal's incoming dossiers, the admin), without this app importing
the dossiers app's models. Bulk writes (``bulk_create``, ``update()``) send no signal: ``generate_dossiers`` and any
such import must be followed by ``manage.py rebuild_statistics``.
"""

from django.db.models.signals import post_delete, post_save

from public_statistics.services import dossier_counted


def dossier_saved(sender, instance, **kwargs) -> None:
    dossier_counted(instance)


def dossier_deleted(sender, instance, **kwargs) -> None:
    dossier_counted(instance, deleted=True)


def connect() -> None:
    post_save.connect(dossier_saved, sender="dossiers.Dossier", dispatch_uid="statistics_dossier_saved")
    post_delete.connect(dossier_deleted, sender="dossiers.Dossier", dispatch_uid="statistics_dossier_deleted")
