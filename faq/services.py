"""Changes to the FAQ: state changes, the queue of questions waiting for an answer."""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F

from faq.models import FaqEntry, PendingQuestion
from faq.versioning import faq_version_bump
from portal.accounts.models import User
from portal.catalog.search import normalize

PENDING_TEXT_MAX = 2000


def entries_set_state(*, entries, state: str) -> int:
    """Move ``entries`` (a queryset the caller may edit) to ``state``; the number changed."""
    with transaction.atomic():
        count = entries.exclude(state=state).update(state=state)
        if count:
            faq_version_bump()
    return count


def _folded_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


def pending_record(*, text: str, reason: str, shown_entry: FaqEntry | None = None) -> PendingQuestion | None:
    """Queue a question for admins, or count it once more if the same question (folded) is already waiting.

    Blank questions are not queued (None).
    """
    text = text.replace("\x00", "").strip()[:PENDING_TEXT_MAX]
    if not normalize(text):
        return None
    key = _folded_key(text)
    open_ = PendingQuestion.objects.filter(folded=key, reason=reason, status=PendingQuestion.Status.OPEN)
    if open_.update(times_asked=F("times_asked") + 1):
        return open_.first()
    try:
        with transaction.atomic():
            return PendingQuestion.objects.create(
                text=text, folded=key, reason=reason, shown_entry=shown_entry
            )
    except IntegrityError:  # a concurrent request queued the same question first
        open_.update(times_asked=F("times_asked") + 1)
        return open_.first()


@transaction.atomic
def pending_to_entry(*, pending: PendingQuestion, user: User) -> FaqEntry:
    """A draft entry with the waiting question as its question; the admin writes the answer and publishes it.

    A department admin's draft belongs to their first agency, a province admin's to the whole province.
    """
    agency_ids = [] if user.is_province_admin else user.agency_ids()
    entry = FaqEntry.objects.create(
        question=pending.text[: FaqEntry._meta.get_field("question").max_length],
        answer="",
        agency_id=agency_ids[0] if agency_ids else None,
        state=FaqEntry.State.DRAFT,
    )
    pending.status = PendingQuestion.Status.ANSWERED
    pending.entry = entry
    pending.save(update_fields=["status", "entry", "updated_at"])
    return entry
