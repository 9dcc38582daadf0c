"""Collection of a paper dossier by post at filing (thu gom hồ sơ giấy).

On the check-your-answers page the applicant asks the postal service to fetch their paper dossier from an address;
``collection_choose`` gets the fee the service quotes for it and keeps the choice on the draft. Filing the dossier
(``collection_filed``, from the "submit" step of its history, in the same transaction) makes the request due and
hands it to a worker once the transaction commits; ``collection_send`` asks the service for the shipment (our
reference is the dossier's code, so a retried request answers the shipment already made, and one dossier has one
collection shipment). While the service cannot be reached, or refuses our credentials, the request waits and
``collections_send_due`` (Celery beat) tries it again after 1, 2, 4 … minutes, at most an hour apart; a refusal of
the request itself (an address the service does not serve) is kept with its reason for the applicant and the staff,
who may try again. The shipment is then followed like a result's (``postal.services.shipment_refresh``), and its
delivery is recorded on the dossier's history.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from integrations.postal.client import (
    NotConfigured,
    PostalRefused,
    PostalTemporary,
    postal_client,
    postal_configured,
)
from portal.accounts.models import User
from portal.queue import enqueue_on_commit
from postal.models import Collection, Shipment
from postal.services import shipment_store

logger = logging.getLogger("postal")
SERVICE = "thu-gom-ho-so"
# Refusals a retry may cure once the operators fix the settings (an API key the service does not know).
CONFIGURATION_REFUSALS = {"100"}
# A dossier that ended before its papers were fetched needs no collection any more.
ENDED = {Dossier.State.WITHDRAWN, Dossier.State.REFUSED, Dossier.State.STOPPED, Dossier.State.RETURNED}
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


class CollectionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def collection_destination(dossier: Dossier) -> str:
    """Where the papers go: the receiving agency's postal address, or its name (a People's Committee is found by
    its name) when the admin has not entered one."""
    agency = dossier.receiving_agency
    return (agency.address or "").strip() or agency.name


def collection_offered(dossier: Dossier) -> bool:
    return postal_configured() and dossier.state == Dossier.State.DRAFT


@transaction.atomic
def collection_choose(*, dossier: Dossier, user: User, address: str) -> Collection:
    """The applicant asks for their paper dossier to be collected from ``address``: the fee is quoted by the postal
    service now and kept with the choice (chosen again: the new address and quote replace the old)."""
    dossier = (
        Dossier.objects.select_for_update(no_key=True).select_related("receiving_agency").get(pk=dossier.pk)
    )
    if dossier.applicant_id != user.pk:
        raise CollectionRefused(_("Chỉ người nộp hồ sơ chọn được thu gom hồ sơ giấy."))
    if dossier.state != Dossier.State.DRAFT:
        raise CollectionRefused(_("Chỉ chọn thu gom hồ sơ giấy trước khi nộp hồ sơ."))
    address = " ".join(address.split())
    if not address:
        raise CollectionRefused(_("Vui lòng nhập địa chỉ để bưu điện đến lấy hồ sơ giấy."))
    try:
        fee = postal_client().fee_quote(
            service=SERVICE, sender_address=address, receiver_address=collection_destination(dossier)
        )
    except PostalRefused as refused:
        raise CollectionRefused(
            _("Bưu điện không nhận thu gom tại địa chỉ này: %(message)s") % {"message": refused.message}
        ) from None
    except (PostalTemporary, NotConfigured):
        raise CollectionRefused(
            _(
                "Chưa lấy được cước phí từ bưu điện nên chưa chọn được thu gom. Vui lòng thử lại sau ít phút, "
                "hoặc nộp hồ sơ và mang hồ sơ giấy đến nơi tiếp nhận."
            )
        ) from None
    collection, _created = Collection.objects.update_or_create(
        dossier=dossier,
        defaults={"address": address[:300], "fee_quoted": fee, "state": Collection.State.CHOSEN},
    )
    return collection


@transaction.atomic
def collection_cancel(*, dossier: Dossier, user: User) -> None:
    """The applicant gives the collection up before filing (after filing it is the agency's to handle)."""
    Collection.objects.filter(
        dossier=dossier, dossier__applicant=user, dossier__state=Dossier.State.DRAFT
    ).delete()


def collection_filed(*, dossier_id: int) -> None:
    """The dossier was filed: its chosen collection is due now and goes to a worker once the filing commits."""
    now = timezone.now()
    updated = Collection.objects.filter(dossier_id=dossier_id, state=Collection.State.CHOSEN).update(
        state=Collection.State.WAITING, filed_at=now, next_attempt_at=now
    )
    if updated:
        from postal.tasks import collection_send as task

        enqueue_on_commit(task, dossier_id)


def _backoff(attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def collection_send(*, dossier_id: int) -> Collection | None:
    """Ask the postal service for the collection shipment of a filed dossier, unless it is made, refused, or being
    sent by another worker right now. Safe to run any number of times: never a second shipment."""
    with transaction.atomic():
        collection = (
            Collection.objects.select_for_update(skip_locked=True)
            .select_related("dossier__receiving_agency")
            .filter(dossier_id=dossier_id, state=Collection.State.WAITING)
            .first()
        )
        if collection is None:
            return None
        dossier = collection.dossier
        if dossier.state in ENDED:
            collection.state = Collection.State.CANCELLED
            collection.next_attempt_at = None
            collection.save(update_fields=["state", "next_attempt_at"])
            return collection
        return _send(collection, dossier)


def _send(collection: Collection, dossier: Dossier) -> Collection:
    agency = dossier.receiving_agency
    collection.attempts += 1
    try:
        made = postal_client().shipment_create(
            reference=f"{dossier.code}-TG",
            service=SERVICE,
            sender={
                "HoTen": dossier.applicant_name,
                "DienThoai": dossier.applicant_phone,
                "DiaChi": collection.address,
            },
            receiver_name=agency.name,
            receiver_phone=agency.phone,
            receiver_address=collection_destination(dossier),
        )
    except (PostalTemporary, NotConfigured) as failure:
        reason = failure.reason if isinstance(failure, PostalTemporary) else "not_configured"
        return _wait(collection, reason)
    except PostalRefused as refused:
        if refused.code in CONFIGURATION_REFUSALS:
            return _wait(collection, f"refused_{refused.code}", refused)
        logger.warning(
            "postal collection dossier=%s refused code=%s field=%s", dossier.pk, refused.code, refused.field
        )
        collection.state = Collection.State.REFUSED
        collection.next_attempt_at = None
        _error(collection, f"refused_{refused.code}", refused)
        collection.save()
        return collection
    collection.shipment = _shipment(dossier, collection, made)
    collection.state = Collection.State.MADE
    collection.next_attempt_at = None
    _error(collection, "")
    collection.save()
    return collection


def _wait(collection: Collection, reason: str, refused: PostalRefused | None = None) -> Collection:
    logger.warning(
        "postal collection dossier=%s attempt=%s waits: %s",
        collection.dossier_id,
        collection.attempts,
        reason,
    )
    collection.next_attempt_at = timezone.now() + _backoff(collection.attempts)
    _error(collection, reason, refused)
    collection.save()
    return collection


def _error(collection: Collection, reason: str, refused: PostalRefused | None = None) -> None:
    collection.last_error = reason[:40]
    collection.error_field = refused.field[:60] if refused else ""
    collection.error_detail = refused.message[:300] if refused else ""


def _shipment(dossier: Dossier, collection: Collection, made) -> Shipment:
    """The dossier's collection shipment: the one already stored (a lost answer, a second worker), or a new one."""
    existing = Shipment.objects.filter(dossier=dossier, kind=Shipment.Kind.COLLECTION).first()
    if existing is not None:
        return existing
    return shipment_store(
        dossier=dossier, kind=Shipment.Kind.COLLECTION, made=made, address=collection.address
    )


@transaction.atomic
def collection_retry(*, dossier: Dossier) -> Collection | None:
    """An officer tries a waiting or refused collection again now; the answer is in the returned row."""
    updated = Collection.objects.filter(
        dossier=dossier, state__in=[Collection.State.WAITING, Collection.State.REFUSED]
    ).update(state=Collection.State.WAITING, next_attempt_at=timezone.now())
    return collection_send(dossier_id=dossier.pk) if updated else None


def collections_send_due(limit: int = 200) -> int:
    """Send the collections whose time has come (Celery beat); each failure waits for its next time."""
    due = Collection.objects.filter(
        state=Collection.State.WAITING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    made = 0
    for dossier_id in list(due.values_list("dossier_id", flat=True)[:limit]):
        collection = collection_send(dossier_id=dossier_id)
        made += collection is not None and collection.state == Collection.State.MADE
    return made
