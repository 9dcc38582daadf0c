"""Sending a dossier's result by post and following the shipment.

``shipment_send_result`` asks the postal service for a shipment to the address the applicant chose (our reference is
the dossier's code, so a repeated request answers the same shipment) and stores its tracking number and fee;
``shipment_refresh`` reads its status; "delivered" completes the dossier's return
(``dossiers.services.dossier_delivered_by_post``), "returned" is shown for the counter to act on. A paper dossier
collected by post (``postal/collections.py``) is followed the same way; its delivery to the agency is recorded on the
dossier's history (``dossiers.services.dossier_paper_received``).
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.services import dossier_delivered_by_post, dossier_paper_received
from integrations.postal.client import PostalError, PostalRefused, postal_client
from postal.models import Shipment

logger = logging.getLogger("postal")


class ShipmentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def shipment_send_result(*, dossier: Dossier, officer) -> Shipment:
    """The shipment of the dossier's result to the applicant (the existing one when it was already made)."""
    existing = Shipment.objects.filter(dossier=dossier, kind=Shipment.Kind.RESULT).first()
    if existing is not None:
        return existing
    if dossier.delivery != Dossier.Delivery.POST or not dossier.delivery_address.strip():
        raise ShipmentRefused(_("Người nộp không chọn nhận kết quả qua bưu chính."))
    if dossier.state != Dossier.State.AWAITING_RETURN:
        raise ShipmentRefused(_("Chỉ gửi kết quả khi hồ sơ đã có kết quả, chờ trả."))
    agency = dossier.receiving_agency
    try:
        made = postal_client().shipment_create(
            reference=f"{dossier.code}-KQ",
            service="tra-ket-qua",
            sender={"HoTen": agency.name, "DiaChi": agency.address, "DienThoai": agency.phone},
            receiver_name=dossier.applicant_name,
            receiver_phone=dossier.applicant_phone,
            receiver_address=dossier.delivery_address,
        )
    except PostalRefused as refused:
        raise ShipmentRefused(
            _("Bưu điện từ chối tạo vận đơn (%(field)s): %(message)s")
            % {"field": refused.field, "message": refused.message}
        ) from None
    except PostalError:
        raise ShipmentRefused(
            _("Chưa kết nối được dịch vụ bưu chính; vui lòng thử lại sau ít phút.")
        ) from None
    return shipment_store(
        dossier=dossier,
        kind=Shipment.Kind.RESULT,
        made=made,
        address=dossier.delivery_address,
        created_by=officer,
    )


def shipment_store(*, dossier, kind: str, made, address: str, created_by=None) -> Shipment:
    """The dossier's one shipment of ``kind`` as the postal service made it; when two requests meet (two officers
    pressing at once, a second worker), the one stored first."""
    try:
        with transaction.atomic():
            return Shipment.objects.create(
                dossier=dossier,
                kind=kind,
                tracking_number=made.number,
                fee=made.fee,
                address=address,
                status=made.status,
                history=[[made.status, timezone.localtime().strftime("%Y%m%d%H%M%S")]],
                created_by=created_by,
            )
    except IntegrityError:
        return Shipment.objects.get(dossier=dossier, kind=kind)


def shipment_refresh(shipment: Shipment) -> Shipment:
    """The shipment's status as the postal service reports it now; a delivered result completes the return, a
    delivered paper dossier is recorded on the history (once, also when two refreshes meet)."""
    if shipment.status in Shipment.FINAL:
        return shipment
    reported = postal_client().shipment_status(shipment.tracking_number)
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().select_related("dossier").get(pk=shipment.pk)
        if shipment.status in Shipment.FINAL:  # another refresh got there first
            return shipment
        shipment.status = reported.status
        shipment.history = [list(item) for item in reported.history] or shipment.history
        shipment.checked_at = timezone.now()
        shipment.save(update_fields=["status", "history", "checked_at"])
        if shipment.status == Shipment.Status.DELIVERED:
            arrived = (
                dossier_delivered_by_post if shipment.kind == Shipment.Kind.RESULT else dossier_paper_received
            )
            arrived(dossier=shipment.dossier, tracking_number=shipment.tracking_number)
    return shipment


def shipments_track() -> int:
    """Refresh every shipment still on its way; one that cannot be read now is tried at the next run."""
    done = 0
    for shipment in Shipment.objects.exclude(status__in=Shipment.FINAL).order_by("checked_at", "pk")[:500]:
        try:
            shipment_refresh(shipment)
            done += 1
        except PostalError as exc:
            logger.warning("postal tracking shipment=%s failed: %s", shipment.pk, exc)
    return done
