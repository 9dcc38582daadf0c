"""Who may edit which procedures: province admins all of them, a department admin those of their agencies."""

from django.db.models import QuerySet

from portal.accounts.models import User
from portal.catalog.models import Procedure, ProcedureAgency


def can_manage_catalog(user: User) -> bool:
    return user.is_active and (user.is_province_admin or user.role == User.Role.DEPARTMENT_ADMIN)


def procedures_editable_by(user: User) -> QuerySet[Procedure]:
    """Deny by default: anyone but a province or department admin gets an empty set.

    A department admin's procedures are those their agency is the competent agency for; procedures their agency
    only receives (a commune receiving a sector's commune-level procedure) belong to the sector's department.
    """
    if not can_manage_catalog(user):
        return Procedure.objects.none()
    if user.is_province_admin:
        return Procedure.objects.all()
    agency_ids = user.memberships.values("agency_id")
    return Procedure.objects.filter(
        agency_links__agency_id__in=agency_ids, agency_links__role=ProcedureAgency.Role.COMPETENT
    ).distinct()
