"""The summary tables follow every save and deletion of a dossier, and of what else moves its figures (its rating,
a payment, a document), in the same transaction (``services.py``).

Django's model signals with the senders named lazily ("dossiers.Dossier"): every write path counts, including ones
added later (counter registration, the national portal's incoming dossiers, the admin), without this app importing
the other apps' models. Bulk writes (``bulk_create``, ``update()``, COPY) send no signal: ``generate_dossiers`` and
any such import must be followed by ``manage.py rebuild_statistics``.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from public_statistics.services import dossier_counted, dossier_recount

# Models whose rows belong to one dossier (``dossier_id``) and change its figures.
DOSSIER_PARTS = ("dossiers.DossierFile", "payments.Payment", "ratings.Rating")


def dossier_saved(sender, instance, **kwargs) -> None:
    dossier_counted(instance)


def dossier_deleted(sender, instance, **kwargs) -> None:
    dossier_counted(instance, deleted=True)


def part_changed(sender, instance, **kwargs) -> None:
    dossier_recount(instance.dossier_id)


def connect() -> None:
    post_save.connect(dossier_saved, sender="dossiers.Dossier", dispatch_uid="statistics_dossier_saved")
    post_delete.connect(dossier_deleted, sender="dossiers.Dossier", dispatch_uid="statistics_dossier_deleted")
    for label in DOSSIER_PARTS:
        if apps.is_installed(label.split(".")[0]):
            post_save.connect(part_changed, sender=label, dispatch_uid=f"statistics_{label}_saved")
            post_delete.connect(part_changed, sender=label, dispatch_uid=f"statistics_{label}_deleted")
