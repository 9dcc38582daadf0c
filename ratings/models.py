"""Ratings of returned dossiers (Circular 01/2018, arts. 12–15), the rules they are scored by, and the summaries the
ranking pages read.

A ``Rating`` holds the applicant's four answers (indicators 1, 3, 4, 7) and, fixed when it is recorded, what the
system knows of the same dossier (indicators 2 and 6, and the facts behind the Decision 766 index). The summaries are
sums over ratings (``RatingSummary``) and per-agency figures from other apps (``AgencyPeriodFacts``); the thresholds
and weights are dated rows, so a changed regulation is a new row, not a release.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_CHOICES = [(0, "0"), (1, "1"), (2, "2")]


class Rating(models.Model):
    class Source(models.TextChoices):
        PORTAL = "portal", _("Trang hồ sơ (đã đăng nhập)")
        LINK = "link", _("Đường dẫn trong thư, tin nhắn")
        KIOSK = "kiosk", _("Thiết bị tại bộ phận một cửa")

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rating"
    )
    # Applicant-side indicators, each 0–2 (1 total time, 3 contacts needed, 4 agencies contacted, 7 staff attitude).
    i1 = models.PositiveSmallIntegerField(_("tổng thời gian giải quyết"), choices=SCORE_CHOICES)
    i3 = models.PositiveSmallIntegerField(_("số lần liên hệ để hoàn thiện hồ sơ"), choices=SCORE_CHOICES)
    i4 = models.PositiveSmallIntegerField(_("số cơ quan phải liên hệ"), choices=SCORE_CHOICES)
    i7 = models.PositiveSmallIntegerField(_("thái độ của cán bộ"), choices=SCORE_CHOICES)
    comment = models.TextField(_("ý kiến khác"), blank=True, max_length=1000)
    # System-side, per dossier: 2 each unit's time (None: no step had a deadline), 6 publication of the procedure.
    i2 = models.PositiveSmallIntegerField(_("thời gian của từng cơ quan"), null=True, blank=True)
    i6 = models.PositiveSmallIntegerField(_("công khai thủ tục"))
    source = models.CharField(_("nơi đánh giá"), max_length=10, choices=Source.choices)
    # Where the rating counts: the handling agency (the receiving one when none), the commune involved, the field.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    # Facts of the Decision 766 index, about this dossier.
    on_time = models.BooleanField(_("trả đúng hạn"))
    online = models.BooleanField(_("nộp trực tuyến"))
    digitised = models.BooleanField(_("có kết quả điện tử"))
    one_stop = models.BooleanField(_("giải quyết tại bộ phận một cửa"))
    created_at = models.DateTimeField(_("thời điểm đánh giá"))
    changed_at = models.DateTimeField(_("thời điểm sửa gần nhất"))

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(i1__lte=2, i3__lte=2, i4__lte=2, i7__lte=2, i6__lte=2),
                name="rating_scores_0_2",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.i1}{self.i3}{self.i4}{self.i7}"


class RatingOfficer(models.Model):
    """An officer who took a step of the rated dossier: the rating counts in their own score."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "user"], name="rating_officer_once")]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.user_id}"


class RatingLinkUse(models.Model):
    """A signed rating link that has been used: the same link is refused afterwards."""

    nonce = models.CharField(max_length=40, unique=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.used_at:%Y-%m-%d %H:%M}"


class IndicatorRule(models.Model):
    """The thresholds of one system-side indicator from ``valid_from`` on (DOMAIN.md §7). ``params`` holds the named
    thresholds ``ratings/indicators.py`` reads for that indicator (shares as fractions, 0.9 for 90 %)."""

    indicator = models.PositiveSmallIntegerField(_("tiêu chí"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    params = models.JSONField(_("ngưỡng"))
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ngưỡng tiêu chí đánh giá")
        verbose_name_plural = _("ngưỡng tiêu chí đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "valid_from"], name="indicator_rule_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.valid_from}"


class IndexWeight(models.Model):
    """The weight of one group of the Decision 766/QĐ-TTg style index from ``valid_from`` on (points of 100)."""

    class Component(models.TextChoices):
        PUBLICITY = "publicity", _("Công khai, minh bạch")
        TIMELINESS = "timeliness", _("Tiến độ giải quyết")
        ONLINE = "online", _("Dịch vụ công trực tuyến")
        DIGITISATION = "digitisation", _("Số hóa hồ sơ, kết quả")
        SATISFACTION = "satisfaction", _("Mức độ hài lòng")

    component = models.CharField(_("nhóm"), max_length=20, choices=Component.choices)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    weight = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("trọng số chỉ số phục vụ")
        verbose_name_plural = _("trọng số chỉ số phục vụ")
        constraints = [
            models.UniqueConstraint(fields=["component", "valid_from"], name="index_weight_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.weight}"


class RatingSummary(models.Model):
    """Sums over the ratings of one agency, commune, field or officer in a quarter (1–4) or a year (quarter 0),
    kept in step with every rating recorded or changed, and rebuilt by ``manage.py rebuild_rating_summaries``."""

    class Scope(models.TextChoices):
        AGENCY = "agency", _("Cơ quan")
        COMMUNE = "commune", _("Xã, phường")
        FIELD = "field", _("Lĩnh vực")
        OFFICER = "officer", _("Cán bộ")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.BigIntegerField()  # the agency's, field's or user's id
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    rated = models.PositiveIntegerField(default=0)
    s1 = models.PositiveIntegerField(default=0)
    s3 = models.PositiveIntegerField(default=0)
    s4 = models.PositiveIntegerField(default=0)
    s7 = models.PositiveIntegerField(default=0)
    s2 = models.PositiveIntegerField(default=0)
    n2 = models.PositiveIntegerField(default=0)
    s6 = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    one_stop = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "year", "quarter"], name="rating_summary_once")
        ]
        indexes = [models.Index(fields=["scope", "year", "quarter"], name="rating_summary_period")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.year}Q{self.quarter}"


class AgencyPeriodFacts(models.Model):
    """What other apps know of an agency in a period, for indicators 8 (feedback answered on time) and 9 (online
    procedures): refreshed when one of its dossiers is rated and by the rebuild command."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    feedback_answered = models.PositiveIntegerField(default=0)
    feedback_on_time = models.PositiveIntegerField(default=0)
    procedures = models.PositiveIntegerField(default=0)
    procedures_online = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="agency_period_facts_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}Q{self.quarter}"


class RatingOutbox(models.Model):
    """A rating or a published ranking owed to the national portal, written in the same transaction as the change;
    a worker drains it (``sent_at``) and the idempotency key lets the receiver ignore a repeat."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Đánh giá hồ sơ")
        RANKING = "ranking", _("Kết quả xếp hạng")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    payload = models.JSONField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Refused by the national portal (the reason in last_error): not sent again until someone looks at it.
    parked_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("đánh giá chờ gửi Cổng quốc gia")
        verbose_name_plural = _("đánh giá chờ gửi Cổng quốc gia")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="rating_outbox_due")]

    def __str__(self) -> str:
        return self.idempotency_key


class RankingPublication(models.Model):
    """That the ranking of a period was published by the provincial office (and queued for the national portal)."""

    scope = models.CharField(max_length=10, choices=RatingSummary.Scope.choices)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    revision = models.PositiveSmallIntegerField(default=1)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year", "quarter"], name="ranking_publication_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.year}Q{self.quarter} r{self.revision}"
