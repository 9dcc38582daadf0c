"""The FAQ's demo data: the entries written from the catalogue (``catalog.csv``, made by ``build_faq_data``) and
the hand-written ones about how the portal works (``portal.csv``), loaded by ``manage.py load_demo``."""

from pathlib import Path

from faq.importer import faq_import_file
from faq.models import FaqEntry

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_FILES = ("portal.csv", "catalog.csv")


def faq_demo_load(*, stdout=None, stderr=None, force: bool = False) -> int:
    """Import the shipped entries (published) unless the FAQ already has entries; the number created."""
    if FaqEntry.objects.exists() and not force:
        return 0
    created = 0
    for name in DEMO_FILES:
        report = faq_import_file(str(DATA_DIR / name))
        created += report.created
        if stderr is not None:
            for line, reason in report.refused:
                stderr.write(f"{name} dòng {line}: từ chối: {reason}")
        if stdout is not None:
            stdout.write(f"Hỏi đáp ({name}): {report.summary()}")
    return created
