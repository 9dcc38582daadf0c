"""Pre-filling a draft from the national population database (DOMAIN.md §5: once-only data).

With the applicant's consent, the person is looked up by the personal id their national sign-on gave
(``User.personal_id``), never by a number typed on the form. Empty fields of the draft are filled from the record;
a field the applicant typed differently is kept as typed and listed as a mismatch, and replaced only when the
applicant asks for it (``replace``). What the database said, which fields matched and when are kept on a
``PopulationCheck`` that officers read on the work page. A field counts as verified only while the dossier still
holds the registered value (``verified_now``).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.errors import ConcurrentChange
from dossiers.filing import EDITABLE_BY_APPLICANT, dossier_details_update
from dossiers.models import Dossier, PopulationCheck
from integrations.population.client import Citizen, population_client, population_configured
from integrations.population.errors import NotConfigured, PermanentError, TemporaryError
from portal.accounts.models import User

logger = logging.getLogger("dossiers.population")

# The draft's fields the record can fill, and which of the record's values goes into each.
DOSSIER_FIELDS = {
    "applicant_name": "full_name",
    "applicant_id_number": "personal_id",
    "applicant_address": "current_address",
}
# What the record holds beyond the draft's fields, shown beside them as registered.
RECORD_FIELDS = ("birth_date", "sex", "permanent_address", "current_address", "household_head")
FIELD_LABELS = {
    "applicant_name": gettext_lazy("Họ và tên"),
    "applicant_id_number": gettext_lazy("Số định danh cá nhân"),
    "applicant_address": gettext_lazy("Địa chỉ"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "sex": gettext_lazy("Giới tính"),
    "permanent_address": gettext_lazy("Nơi thường trú"),
    "current_address": gettext_lazy("Nơi ở hiện tại"),
    "household_head": gettext_lazy("Chủ hộ"),
}


class PrefillRefused(Exception):
    """The record could not be used; ``reason`` is a code, ``message`` what the applicant reads."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass
class Prefilled:
    dossier: Dossier
    check: PopulationCheck
    filled: list[str] = field(default_factory=list)
    mismatches: list[dict] = field(default_factory=list)


def population_available_for(user: User) -> bool:
    """Whether this person can have their draft pre-filled: the platform is configured and their account has the
    personal id of the national sign-on."""
    return population_configured() and bool(getattr(user, "personal_id", ""))


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())

    return norm(a) == norm(b)


def _registered_value(citizen: Citizen, name: str) -> str:
    value = getattr(citizen, name)
    if name == "current_address" and not value:
        return citizen.permanent_address
    return value or ""


def _lookup(user: User) -> Citizen:
    if not getattr(user, "personal_id", ""):
        raise PrefillRefused(
            "no_personal_id",
            _(
                "Chỉ lấy được thông tin từ CSDL quốc gia về dân cư khi bạn đăng nhập bằng tài khoản định danh "
                "điện tử (Cổng Dịch vụ công quốc gia, VNeID). Bạn vẫn có thể tự điền thông tin."
            ),
        )
    unavailable = _(
        "Chưa lấy được thông tin từ CSDL quốc gia về dân cư lúc này. Bạn vẫn có thể tự điền thông tin và nộp hồ "
        "sơ; hãy thử lại sau."
    )
    try:
        citizen = population_client().citizen(user.personal_id)
    except NotConfigured:
        raise PrefillRefused(
            "not_configured",
            _("Cổng chưa được kết nối với CSDL quốc gia về dân cư. Bạn vẫn có thể tự điền thông tin."),
        ) from None
    except TemporaryError as exc:
        raise PrefillRefused(f"temporary:{exc.reason}", unavailable) from None
    except PermanentError as exc:
        # 100/101/106 are the portal's own settings at fault, 302 a malformed id: the applicant cannot fix them.
        logger.error("population lookup refused by the platform code=%s field=%s", exc.code, exc.field or "-")
        raise PrefillRefused(f"refused:{exc.code}", unavailable) from None
    if citizen is None:
        raise PrefillRefused(
            "not_found",
            _(
                "CSDL quốc gia về dân cư không có thông tin cho số định danh của tài khoản này. Bạn vẫn có thể tự "
                "điền thông tin; nếu số định danh sai, hãy liên hệ nơi cấp căn cước."
            ),
        )
    if citizen.personal_id != user.personal_id:
        logger.error("population lookup answered another personal id")
        raise PrefillRefused("refused:other_person", unavailable)
    return citizen


def dossier_population_prefill(
    *, dossier: Dossier, user: User, expected_version: int, replace: bool = False
) -> Prefilled:
    """Look the applicant up (their consent is this call) and fill the draft from the record: empty fields are
    filled, differing ones kept and reported unless ``replace``. ``PrefillRefused`` when the record cannot be had;
    ``ConcurrentChange`` when the draft was saved elsewhere since the page was shown. Nothing is written then."""
    if dossier.applicant_id != user.pk or dossier.state not in EDITABLE_BY_APPLICANT:
        raise PrefillRefused("not_editable", _("Hồ sơ này không còn sửa được."))
    citizen = _lookup(user)  # outside the transaction: no row is locked while the platform answers
    now = timezone.now()
    with transaction.atomic():
        current = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
        if current.version != expected_version:
            raise ConcurrentChange()
        changes, mismatches = {}, []
        for name, source in DOSSIER_FIELDS.items():
            registered, typed = _registered_value(citizen, source), getattr(current, name)
            if not registered or _same(typed, registered):
                continue
            if typed.strip() and not replace:
                mismatches.append({"field": name, "typed": typed, "registered": registered})
            else:
                changes[name] = registered
        if changes:
            changes["applicant_kind"] = Dossier.ApplicantKind.CITIZEN
            current = dossier_details_update(dossier=current, user=user, **changes)
        record = citizen.as_dict()
        check, _created = PopulationCheck.objects.update_or_create(
            dossier=current,
            defaults={
                "personal_id": citizen.personal_id,
                "consent_at": now,
                "checked_at": now,
                "registered": record,
                "verified_fields": verified_now(current, record),
                "mismatches": mismatches,
            },
        )
    filled = [name for name in changes if name != "applicant_kind"]
    return Prefilled(dossier=current, check=check, filled=filled, mismatches=mismatches)


def verified_now(dossier: Dossier, registered: dict) -> list[str]:
    """The fields whose value is, at this moment, the one the database holds: the draft's fields that still match
    the record, and the record's own fields (they come from it)."""
    fields = []
    for name, source in DOSSIER_FIELDS.items():
        value = registered.get(source) or (
            registered.get("permanent_address") if source == "current_address" else ""
        )
        if value and _same(getattr(dossier, name), value):
            fields.append(name)
    if registered.get("birth_date"):
        fields.append("birth_date")
    if registered.get("sex"):
        fields.append("sex")
    for name in ("permanent_address", "current_address"):
        if registered.get(name):
            fields.append(name)
    if registered.get("household_head_name"):
        fields.append("household_head")
    return fields


def population_record(dossier_id: int) -> dict | None:
    """What the population database said about the applicant of a dossier (``Citizen.as_dict()``: name, personal
    id, birth date, sex, addresses, household head), asked with their consent for this dossier; None when they never
    asked. For other apps filling their part of the dossier (the electronic declaration)."""
    return PopulationCheck.objects.filter(dossier_id=dossier_id).values_list("registered", flat=True).first()


@dataclass
class CheckView:
    """A population check as a page shows it: the record's values in the reader's language, and what holds now."""

    check: PopulationCheck
    verified: list[str]
    rows: list[tuple[str, str]]  # (label, value) of the record
    mismatches: list[dict]

    @property
    def verified_labels(self) -> list[str]:
        return [str(FIELD_LABELS[name]) for name in self.verified if name in FIELD_LABELS]


def population_check_view(dossier: Dossier) -> CheckView | None:
    """The dossier's population check for a page, or None when the applicant never asked for one."""
    check = PopulationCheck.objects.filter(dossier=dossier).first()
    if check is None:
        return None
    record = check.registered
    sexes = {"male": _("Nam"), "female": _("Nữ")}
    birth = record.get("birth_date") or ""
    shown_birth = "/".join(reversed(birth.split("-"))) if birth else ""
    head = record.get("household_head_name") or ""
    relation = record.get("household_head_relation") or ""
    rows = [
        (str(FIELD_LABELS["applicant_name"]), record.get("full_name", "")),
        (str(FIELD_LABELS["birth_date"]), shown_birth),
        (str(FIELD_LABELS["sex"]), str(sexes.get(record.get("sex"), ""))),
        (str(FIELD_LABELS["permanent_address"]), record.get("permanent_address", "")),
        (str(FIELD_LABELS["current_address"]), record.get("current_address", "")),
        (str(FIELD_LABELS["household_head"]), f"{head} ({relation})" if head and relation else head),
    ]
    mismatches = [
        {**item, "label": str(FIELD_LABELS.get(item["field"], item["field"]))}
        for item in check.mismatches
        if not _same(getattr(dossier, item["field"], ""), item["registered"])
    ]
    return CheckView(
        check=check,
        verified=verified_now(dossier, record),
        rows=[(label, value) for label, value in rows if value],
        mismatches=mismatches,
    )
