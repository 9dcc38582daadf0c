"""Who keeps which FAQ entries: province admins all of them, a department admin those of their own agencies."""

from django.db.models import QuerySet

from faq.models import FaqEntry, PendingQuestion
from portal.accounts.models import User


def can_manage_faq(user: User) -> bool:
    return user.is_active and (user.is_province_admin or user.role == User.Role.DEPARTMENT_ADMIN)


def entries_editable_by(user: User) -> QuerySet[FaqEntry]:
    """Deny by default: anyone but a province or department admin gets an empty set."""
    if not can_manage_faq(user):
        return FaqEntry.objects.none()
    if user.is_province_admin:
        return FaqEntry.objects.all()
    return FaqEntry.objects.filter(agency_id__in=user.agency_ids())


def pending_visible_to(user: User) -> QuerySet[PendingQuestion]:
    """Questions waiting for an answer are not sorted by agency: every FAQ admin sees the queue."""
    if not can_manage_faq(user):
        return PendingQuestion.objects.none()
    return PendingQuestion.objects.all()
