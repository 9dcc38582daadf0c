"""How many of the province's online services are synchronised with the national portal, against the plan's target:
30 % in the first year of the plan, 20 points more every year, up to 100 %."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.errors import InvalidInput, NotYourDossier
from dossiers.models import ProcedureNationalSync
from portal.catalog.models import Procedure

FIRST_YEAR_TARGET = 30
YEARLY_STEP = 20
MISSING_SHOWN = 20


def target_percent(year: int) -> int | None:
    """The plan's share for ``year``; None before the plan starts."""
    first = settings.PORTAL_NATIONAL_SYNC_FIRST_YEAR
    if year < first:
        return None
    return min(100, FIRST_YEAR_TARGET + YEARLY_STEP * (year - first))


def online_procedures():
    """Online public services: procedures a citizen can file online, in part or in full."""
    return Procedure.objects.filter(is_active=True).exclude(online_scope=Procedure.OnlineScope.NONE)


@dataclass(frozen=True)
class Coverage:
    year: int
    online: int
    synced: int
    target: int | None

    @property
    def percent(self) -> float:
        return round(100 * self.synced / self.online, 1) if self.online else 0.0

    @property
    def needed(self) -> int:
        """How many more services must be synchronised to reach this year's target."""
        if self.target is None:
            return 0
        wanted = -(-self.online * self.target // 100)  # rounded up
        return max(0, wanted - self.synced)


def coverage_now(today: date | None = None) -> Coverage:
    today = today or timezone.localdate()
    online = online_procedures()
    synced = online.filter(national_sync__synced_since__lte=today)
    return Coverage(
        year=today.year, online=online.count(), synced=synced.count(), target=target_percent(today.year)
    )


def missing_by_volume(limit: int = MISSING_SHOWN, today: date | None = None) -> list[dict]:
    """Online services not yet synchronised, those with the most dossiers in the last twelve months first."""
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=365)
    synced = ProcedureNationalSync.objects.filter(procedure_id=OuterRef("pk"), synced_since__lte=today)
    return list(
        online_procedures()
        .exclude(Exists(synced))
        .annotate(volume=Count("dossier", filter=Q(dossier__submitted_at__gte=since)))
        .order_by("-volume", "code")
        .values("pk", "code", "name", "volume")[:limit]
    )


@transaction.atomic
def procedure_sync_set(*, actor, procedure: Procedure, synced: bool, since: date | None = None):
    """A province admin records that a procedure's dossiers are (or are no longer) synchronised, and since when."""
    if not (actor.is_active and actor.is_province_admin):
        raise NotYourDossier()
    if not synced:
        ProcedureNationalSync.objects.filter(procedure=procedure).delete()
        return None
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise InvalidInput(_("Ngày bắt đầu đồng bộ không được sau hôm nay."))
    record, _created = ProcedureNationalSync.objects.update_or_create(
        procedure=procedure, defaults={"synced_since": since, "recorded_by": actor}
    )
    return record
