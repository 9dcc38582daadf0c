"""Finding and removing upload files that no dossier file or vault document refers to."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from dossiers.models import DossierFile, VaultDocument

ROOTS = ("dossiers", "vault")
BATCH = 500


def _recent_folders(now) -> list[str]:
    last_month = now.replace(day=1) - timedelta(days=1)
    return [f"{root}/{day:%Y/%m}" for root in ROOTS for day in (now, last_month)]


def _referenced(names: list[str]) -> set[str]:
    found = set(DossierFile.objects.filter(file__in=names).values_list("file", flat=True))
    found |= set(VaultDocument.objects.filter(file__in=names).values_list("file", flat=True))
    return found


def orphan_files_delete(*, min_age_hours: int = 24) -> int:
    """Delete unreferenced files older than ``min_age_hours`` (younger ones may belong to an open transaction)."""
    now = timezone.now()
    cutoff = now - timedelta(hours=min_age_hours)
    deleted = 0
    for folder in _recent_folders(now):
        if not default_storage.exists(folder):
            continue
        names = [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
        for start in range(0, len(names), BATCH):
            batch = names[start : start + BATCH]
            referenced = _referenced(batch)
            for name in batch:
                if name not in referenced and default_storage.get_modified_time(name) < cutoff:
                    default_storage.delete(name)
                    deleted += 1
    return deleted
