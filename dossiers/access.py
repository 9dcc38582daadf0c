"""Who may see a dossier and act on it. Deny by default: anyone else gets a 404, never a hint it exists."""

from django.db.models import Q, QuerySet
from django.http import Http404

from dossiers.models import Consultation, Dossier, DossierFile
from dossiers.workflow import Actor
from portal.accounts.models import User


def actors_for(user: User, dossier: Dossier) -> set[str]:
    """The capacities in which ``user`` may act on ``dossier``."""
    if not user.is_authenticated or not user.is_active:
        return set()
    actors = set()
    if dossier.applicant_id == user.pk:
        actors.add(Actor.APPLICANT)
    if user.is_officer:
        agencies = user.agency_ids()
        if user.role == User.Role.ONESTOP_OFFICER and dossier.receiving_agency_id in agencies:
            actors.add(Actor.RECEIVER)
        if user.role == User.Role.HANDLING_OFFICER and dossier.handling_agency_id in agencies:
            actors.add(Actor.HANDLER)
        if user.role == User.Role.LEADER and (
            dossier.handling_agency_id in agencies or dossier.receiving_agency_id in agencies
        ):
            actors.add(Actor.LEADER)
        if (
            user.role == User.Role.HANDLING_OFFICER
            and dossier.state == Dossier.State.CONSULTING
            and Actor.HANDLER not in actors
            and consultations_open_to(agencies).filter(dossier_id=dossier.pk).exists()
        ):
            actors.add(Actor.CONSULTED)
    return actors


def consultations_open_to(agency_ids) -> QuerySet[Consultation]:
    """Questions asked of these agencies that are still open (the consulted agency sees the dossier meanwhile)."""
    return Consultation.objects.filter(agency_id__in=agency_ids, closed_at__isnull=True)


def _staff_condition(user: User) -> Q | None:
    """Dossiers received by or handled in one of the officer's agencies, and for a handling officer also those another
    agency is asking their agency about (a subquery: for one dossier or file at a time)."""
    if not user.is_officer:
        return None
    agencies = user.agency_ids()
    condition = Q(receiving_agency_id__in=agencies) & ~Q(state=Dossier.State.DRAFT)
    condition |= Q(handling_agency_id__in=agencies)
    if user.role == User.Role.HANDLING_OFFICER:
        asked = consultations_open_to(agencies).values("dossier_id")
        condition |= Q(pk__in=asked, state=Dossier.State.CONSULTING)
    return condition


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """An applicant's own dossiers; for staff, the dossiers of their agencies (``_staff_condition``)."""
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    condition = Q(applicant=user)
    staff = _staff_condition(user)
    if staff is not None:
        condition |= staff
    return Dossier.objects.filter(condition)


# A result is the officers' draft until approved, and the applicant's once approved and returned.
RESULT_RELEASED = ~Q(kind=DossierFile.Kind.RESULT) | Q(
    approved_at__isnull=False, dossier__state=Dossier.State.RETURNED
)


def applicant_sees_file(dossier_file: DossierFile, dossier: Dossier) -> bool:
    """``RESULT_RELEASED`` for a file already loaded with its dossier."""
    if dossier_file.kind != DossierFile.Kind.RESULT:
        return True
    return dossier_file.approved_at is not None and dossier.state == Dossier.State.RETURNED


def dossier_file_get_for_user(*, user: User, pk: int) -> DossierFile:
    """A file of a dossier the user may see: any file for its officers; for its applicant, everything but a result
    that is not yet approved and returned. Anyone else gets 404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("Không tìm thấy tệp")
    condition = Q(dossier__applicant=user) & RESULT_RELEASED
    staff = _staff_condition(user)
    if staff is not None:
        condition |= Q(dossier__in=Dossier.objects.filter(staff))
    dossier_file = DossierFile.objects.filter(condition, pk=pk).first()
    if dossier_file is None:
        raise Http404("Không tìm thấy tệp")
    return dossier_file


def dossier_get_for_user(*, user: User, pk: int) -> Dossier:
    dossier = (
        dossiers_visible_to(user)
        .select_related("procedure", "receiving_agency", "handling_agency")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ")
    return dossier
