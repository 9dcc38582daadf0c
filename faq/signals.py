"""The FAQ's own receivers: any change to an entry makes every process rebuild its answering index."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from faq.models import FaqEntry
from faq.versioning import faq_version_bump
from portal.demo import demo_data_loading


@receiver(post_save, sender=FaqEntry, dispatch_uid="faq_entry_saved")
@receiver(post_delete, sender=FaqEntry, dispatch_uid="faq_entry_deleted")
def _entry_changed(sender, **kwargs) -> None:
    faq_version_bump()


@receiver(m2m_changed, sender=FaqEntry.procedures.through, dispatch_uid="faq_entry_procedures_changed")
def _entry_procedures_changed(sender, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        faq_version_bump()


@receiver(demo_data_loading, dispatch_uid="faq_demo_data")
def _load_demo_entries(sender, stdout=None, stderr=None, **kwargs) -> None:
    from faq.demo import faq_demo_load

    faq_demo_load(stdout=stdout, stderr=stderr)
