"""Who is told what when a dossier changes (the applicant; the officers whose queue it enters), and the queueing of
forms and deliveries after commit. The words are in ``wording.py``: a notification stores a code and parameters."""

from django.utils import timezone

from dossiers.models import Dossier, DossierEvent, FormRequest, Notification
from dossiers.queues import QUEUES, Branch
from dossiers.tasks import form_render, notification_deliver
from dossiers.wording import APPLICANT_MESSAGES
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.queue import enqueue_on_commit


def _deliver_after_commit(notification: Notification) -> None:
    enqueue_on_commit(notification_deliver, notification.pk)


def dossier_changed(dossier: Dossier, event: DossierEvent) -> Notification | None:
    """Store the applicant's notification for ``event`` (as a code and its parameters: it is worded in the reader's
    language when shown) and deliver it by e-mail/SMS after the commit."""
    if (
        dossier.applicant_id is None
        or event.action not in APPLICANT_MESSAGES
        or not event.visible_to_applicant
    ):
        return None
    params = {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "agency": dossier.receiving_agency.name,
        "note": event.note,
        "items": event.params.get("items", []),
    }
    if dossier.due_at:
        params["due"] = dossier.due_at.isoformat()
    notification = Notification.objects.create(
        user_id=dossier.applicant_id, dossier=dossier, kind=event.action, params=params
    )
    _deliver_after_commit(notification)
    return notification


# Queues whose arrivals are news to the officers who work them. The others are filled by the officers' own action
# (received, waiting for transfer) or wait on the applicant (supplement).
ANNOUNCED_QUEUES = ("cho-tiep-nhan", "dang-xu-ly", "cho-phe-duyet", "cho-tra-ket-qua")


def _officers(role: str, agency_id: int, actor: User | None):
    officers = User.objects.filter(role=role, is_active=True, memberships__agency_id=agency_id)
    return officers.exclude(pk=actor.pk) if actor is not None else officers


def _tell_officers(
    dossier: Dossier, slug: str, role: str, agency_id: int, actor: User | None, **extra
) -> int:
    agency_name = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or ""
    params = {"code": dossier.code or "", "procedure": dossier.procedure.name, "agency": agency_name, **extra}
    created = 0
    for officer_id in _officers(role, agency_id, actor).values_list("pk", flat=True).distinct():
        _deliver_after_commit(
            Notification.objects.create(
                user_id=officer_id, dossier=dossier, kind=f"work:{slug}", params=params
            )
        )
        created += 1
    return created


def work_arrived(dossier: Dossier, *, from_state: str, actor: User | None) -> int:
    """A dossier entered a queue (a new submission, a transfer, a proposal, a sent-back draft, an approved result):
    each officer who works that queue in that agency is told, in the inbox and by e-mail if they chose it."""
    told = 0
    for queue in QUEUES:
        if queue.slug not in ANNOUNCED_QUEUES:
            continue
        for branch in queue.branches:
            if not isinstance(branch, Branch):
                continue
            agency_id = getattr(dossier, branch.field)
            if agency_id and dossier.state in branch.states and from_state not in branch.states:
                told += _tell_officers(dossier, queue.slug, queue.role, agency_id, actor)
    return told


def consultation_asked(dossier: Dossier, *, agency: Agency, reply_by) -> int:
    """The handling officers of the consulted agency are told the question waits for them."""
    return _tell_officers(
        dossier, "xin-y-kien", User.Role.HANDLING_OFFICER, agency.pk, None, due=reply_by.isoformat()
    )


def form_requested(dossier: Dossier, form_code: str) -> FormRequest:
    """Ask for a printed form (Mẫu 01–05): recorded with the step, rendered by a worker once the step is committed
    (and again by the sweep if that did not happen)."""
    request = FormRequest.objects.create(dossier=dossier, form_code=form_code)
    enqueue_on_commit(form_render, dossier.pk, form_code)
    return request


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications, or all of them, as read; returns how many changed."""
    unread = user.notifications.filter(read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
