import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dossiers.orphans import orphan_files_delete

pytestmark = pytest.mark.django_db


def test_an_old_file_nobody_refers_to_is_removed_and_a_young_one_kept():
    folder = f"dossiers/{timezone.now():%Y/%m}"
    old = default_storage.save(f"{folder}/orphan-old.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    young = default_storage.save(f"{folder}/orphan-young.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    try:
        assert orphan_files_delete(min_age_hours=24) >= 1
        assert not default_storage.exists(old)
        assert default_storage.exists(young)
    finally:
        default_storage.delete(young)
