"""Who may do what with an item, the deadlines, and the agency suggested for routing.

Settings (read at call time): ``FEEDBACK_ROUTING_WORKING_DAYS`` (5: classify and forward), ``FEEDBACK_ANSWER_WORKING_DAYS``
(20: answer, counted from the day the competent agency got it) and ``FEEDBACK_OFFICE_AGENCY_CODE`` (the provincial
office that receives what comes through the portal and routes it). Deadlines use the dossiers' working-day calendar
(``portal.workdays``).
"""

from datetime import datetime

from django.conf import settings

from feedback.models import Feedback
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure, ProcedureAgency
from portal.workdays import calendar as workdays

Role = User.Role


def routing_days() -> int:
    return int(getattr(settings, "FEEDBACK_ROUTING_WORKING_DAYS", 5))


def answer_days() -> int:
    return int(getattr(settings, "FEEDBACK_ANSWER_WORKING_DAYS", 20))


def routing_due(received_at: datetime) -> datetime:
    return workdays.add_working_days(received_at, routing_days())


def answer_due(start: datetime) -> datetime:
    return workdays.add_working_days(start, answer_days())


def office_agency() -> Agency:
    """The provincial office (Văn phòng UBND tỉnh) that receives feedback sent through the portal."""
    code = getattr(settings, "FEEDBACK_OFFICE_AGENCY_CODE", "000.00.02.H01")
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Agency.DoesNotExist(f"FEEDBACK_OFFICE_AGENCY_CODE {code!r} names no agency")
    return agency


def _active_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_officer)


def sees_everything(user) -> bool:
    """Province admins and the provincial office's staff see every item."""
    if not _active_staff(user):
        return False
    if user.is_province_admin:
        return True
    code = getattr(settings, "FEEDBACK_OFFICE_AGENCY_CODE", "000.00.02.H01")
    return Agency.objects.filter(code=code, pk__in=user.agency_ids()).exists()


def may_route(user, feedback: Feedback) -> bool:
    """The provincial office (and province admins) route everything; the agency that recorded an item routes it."""
    if not _active_staff(user) or user.role == Role.HANDLING_OFFICER:
        return False
    return sees_everything(user) or feedback.receiving_agency_id in user.agency_ids()


def in_agency(user, feedback: Feedback) -> bool:
    return _active_staff(user) and feedback.agency_id is not None and feedback.agency_id in user.agency_ids()


def may_assign(user, feedback: Feedback) -> bool:
    """The agency's leader or department admin gives it to an officer; a handling officer may take it."""
    return in_agency(user, feedback) and user.role in (
        Role.LEADER,
        Role.DEPARTMENT_ADMIN,
        Role.HANDLING_OFFICER,
    )


def may_draft(user, feedback: Feedback) -> bool:
    return in_agency(user, feedback) and (feedback.handler_id == user.pk or user.role == Role.LEADER)


def may_approve(user, feedback: Feedback) -> bool:
    return in_agency(user, feedback) and user.role == Role.LEADER


def may_send(user, feedback: Feedback) -> bool:
    return may_draft(user, feedback) or may_approve(user, feedback)


def may_close(user, feedback: Feedback) -> bool:
    """Closing as "not feedback" (a complaint, a denunciation): whoever routes it, or the competent agency's leader."""
    return may_route(user, feedback) or may_approve(user, feedback)


def suggested_agency(*, procedure: Procedure | None, dossier_facts: dict | None) -> Agency | None:
    """The competent agency for a dossier's handling (its handling agency, else where it was received); for a
    procedure, its competent agency in the catalogue, else the agency that implements it."""
    if dossier_facts:
        agency_id = dossier_facts.get("handling_agency_id") or dossier_facts.get("receiving_agency_id")
        if agency_id:
            return Agency.objects.filter(pk=agency_id, is_active=True).first()
    if procedure is not None:
        links = ProcedureAgency.objects.filter(procedure=procedure, agency__is_active=True).select_related(
            "agency"
        )
        ordered = sorted(
            links, key=lambda link: (link.role != ProcedureAgency.Role.COMPETENT, link.agency.code)
        )
        if ordered:
            return ordered[0].agency
    return None
