"""The procedure catalogue (thủ tục hành chính) as published by the national portal, parsed for citizens.

Every parsed field keeps the original text beside it (``*_raw``), because the national data is scraped from web
tables and the parse can be incomplete; ``parse_problems`` lists what could not be parsed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.catalog import collation
from portal.converters import code_url

SORT_KEY_LENGTH = 400  # the beginning of a long name orders it; ties go to the next column


def _with_sort_key(instance, kwargs: dict) -> None:
    """Set ``instance.sort_key`` from its name before a save, and save it too when only some fields are saved."""
    instance.sort_key = collation.sort_key(instance.name, SORT_KEY_LENGTH)
    fields = kwargs.get("update_fields")
    if fields is not None and "name" in fields:
        kwargs["update_fields"] = {*fields, "sort_key"}


class Term(models.Model):
    """A named entry of a small vocabulary the catalogue is filtered by, with a slug for URLs."""

    name = models.CharField("tên", max_length=200, unique=True)
    slug = models.SlugField("đường dẫn", max_length=200, unique=True)
    sort_key = models.CharField(
        "khóa sắp xếp",
        max_length=SORT_KEY_LENGTH,
        blank=True,
        editable=False,
        help_text="Thứ tự chữ cái tiếng Việt.",
    )

    class Meta:
        abstract = True
        ordering = ["sort_key", "name"]  # Vietnamese alphabetical order (portal/catalog/collation.py)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        _with_sort_key(self, kwargs)
        super().save(*args, **kwargs)


class Field(Term):
    """A field of administration (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    class Meta(Term.Meta):
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"


class ApplicantType(Term):
    """Who may file (đối tượng thực hiện), e.g. Công dân Việt Nam, Doanh nghiệp."""

    class Meta(Term.Meta):
        verbose_name = "đối tượng thực hiện"
        verbose_name_plural = "đối tượng thực hiện"


class Procedure(models.Model):
    class OnlineLevel(models.IntegerChoices):
        INFORMATION = 1, _("Mức độ 1: cung cấp thông tin")
        FORMS = 2, _("Mức độ 2: tải mẫu đơn, tờ khai")
        SUBMISSION = 3, _("Mức độ 3: nộp và xử lý hồ sơ trực tuyến")
        COMPLETE = 4, _("Mức độ 4: thanh toán và nhận kết quả trực tuyến")

    class OnlineScope(models.TextChoices):
        NONE = "", _("Không cung cấp trực tuyến")
        PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
        FULL = "full", _("Dịch vụ công trực tuyến toàn trình")

    code = models.CharField("mã thủ tục", max_length=40, unique=True)
    name = models.CharField("tên thủ tục", max_length=1000)
    # On PostgreSQL the column is stored plain, never compressed (migration 0002): a sort would otherwise decompress
    # it at every comparison. A migration that alters this column must set that again.
    sort_key = models.CharField(
        "khóa sắp xếp",
        max_length=SORT_KEY_LENGTH,
        blank=True,
        editable=False,
        help_text="Thứ tự chữ cái tiếng Việt.",
    )
    decision_number = models.CharField("quyết định công bố", max_length=200, blank=True)
    kind = models.CharField("loại thủ tục", max_length=200, blank=True)
    field = models.ForeignKey(
        Field,
        verbose_name="lĩnh vực",
        on_delete=models.PROTECT,
        related_name="procedures",
        null=True,
        blank=True,
    )
    levels_raw = models.CharField("cấp thực hiện (gốc)", max_length=200, blank=True)
    is_ministry_level = models.BooleanField("cấp bộ", default=False)
    is_province_level = models.BooleanField("cấp tỉnh", default=False)
    is_commune_level = models.BooleanField("cấp xã", default=False)
    applicant_types = models.ManyToManyField(
        ApplicantType, verbose_name="đối tượng thực hiện", related_name="procedures", blank=True
    )
    applicants_raw = models.TextField("đối tượng thực hiện (gốc)", blank=True)
    competent_authority = models.TextField("cơ quan có thẩm quyền", blank=True)
    implementing_agency_raw = models.TextField("cơ quan thực hiện (gốc)", blank=True)
    delegated_agency = models.TextField("cơ quan được ủy quyền", blank=True)
    coordinating_agency = models.TextField("cơ quan phối hợp", blank=True)
    where_to_file = models.TextField("địa chỉ tiếp nhận", blank=True)
    related_procedures = models.TextField("thủ tục liên quan", blank=True)
    steps = models.JSONField("trình tự thực hiện", default=list, blank=True)
    steps_raw = models.TextField("trình tự thực hiện (gốc)", blank=True)
    channels_raw = models.TextField("cách thức thực hiện (gốc)", blank=True)
    documents_raw = models.TextField("thành phần hồ sơ (gốc)", blank=True)
    legal_basis_raw = models.TextField("căn cứ pháp lý (gốc)", blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    results = models.JSONField("kết quả thực hiện", default=list, blank=True)
    result_codes = models.JSONField("mã kết quả", default=list, blank=True)
    result_raw = models.TextField("kết quả thực hiện (gốc)", blank=True)
    online_level = models.PositiveSmallIntegerField(
        "mức độ dịch vụ công trực tuyến", choices=OnlineLevel.choices, default=OnlineLevel.INFORMATION
    )
    online_scope = models.CharField(
        "phạm vi trực tuyến", max_length=10, choices=OnlineScope.choices, default=OnlineScope.NONE, blank=True
    )
    is_national_synced = models.BooleanField(
        "đồng bộ với Cổng DVC quốc gia",
        default=False,
        help_text="Nội dung lấy từ Cơ sở dữ liệu quốc gia về TTHC.",
    )
    source_url = models.URLField("trang nguồn", max_length=500, blank=True)
    source_ministry = models.CharField("danh mục của bộ, ngành", max_length=60, blank=True)
    parse_problems = models.JSONField("phần chưa phân tích được", default=list, blank=True)
    content_hash = models.CharField("mã băm nội dung nguồn", max_length=64, blank=True)
    is_active = models.BooleanField("đang áp dụng", default=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lần cuối", auto_now=True)
    agencies = models.ManyToManyField(
        "agencies.Agency",
        through="ProcedureAgency",
        verbose_name="cơ quan thực hiện",
        related_name="procedures",
    )

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["sort_key", "code"]  # Vietnamese alphabetical order (portal/catalog/collation.py)
        indexes = [
            models.Index(fields=["is_active", "sort_key"]),
            # The list is counted from a small index: the keys make the one above big.
            models.Index(fields=["is_active"]),
            models.Index(fields=["field", "sort_key"]),
            models.Index(fields=["online_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs):
        _with_sort_key(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return code_url("catalog:procedure_detail", self.code)

    @property
    def level_labels(self) -> list:
        flags = [
            (self.is_ministry_level, _("Cấp bộ")),
            (self.is_province_level, _("Cấp tỉnh")),
            (self.is_commune_level, _("Cấp xã")),
        ]
        return [label for flag, label in flags if flag]


class ProcedureAgency(models.Model):
    """Which agency of this province handles a procedure, and in what capacity."""

    class Role(models.TextChoices):
        COMPETENT = "competent", "Cơ quan chủ trì"
        IMPLEMENTING = "implementing", "Cơ quan tiếp nhận, giải quyết"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="agency_links")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="procedure_links")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "cơ quan thực hiện thủ tục"
        verbose_name_plural = "cơ quan thực hiện thủ tục"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="unique_procedure_agency")
        ]
        indexes = [models.Index(fields=["agency", "procedure"])]

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.procedure_id} ({self.role})"


class Channel(models.Model):
    """A way to file (Trực tiếp, Trực tuyến, Dịch vụ bưu chính) with its processing time and fee."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("Trực tiếp")
        ONLINE = "online", _("Trực tuyến")
        POSTAL = "postal", _("Dịch vụ bưu chính")

    class DurationUnit(models.TextChoices):
        WORKING_DAY = "working_day", "ngày làm việc"
        DAY = "day", "ngày"
        HOUR = "hour", "giờ"
        MONTH = "month", "tháng"
        UNKNOWN = "", "(không rõ đơn vị)"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="channels")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField("hình thức nộp", max_length=10, choices=Kind.choices)
    duration = models.DecimalField(
        "thời hạn giải quyết", max_digits=8, decimal_places=2, null=True, blank=True
    )
    duration_unit = models.CharField(
        "đơn vị thời hạn", max_length=12, choices=DurationUnit.choices, blank=True
    )
    duration_text = models.TextField("thời hạn (nguyên văn)", blank=True)
    fee_text = models.TextField("phí, lệ phí", blank=True)
    fee_amount = models.PositiveBigIntegerField("số tiền (đồng)", null=True, blank=True)
    fee_free = models.BooleanField("miễn phí", default=False)
    description = models.TextField("mô tả", blank=True)

    class Meta:
        verbose_name = "cách thức thực hiện"
        verbose_name_plural = "cách thức thực hiện"
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def time_limit_known(self) -> bool:
        """True when the catalogue gives this channel's time limit as a number with a unit (ngày làm việc, ngày,
        giờ, tháng), so a due date can be counted from it. False when there is no number, or a number without a
        unit (about 270 procedures say only "1"): ``duration_text`` then holds what the source says, and the due
        date has to be set by a person."""
        return self.duration is not None and self.duration_unit in _KNOWN_UNITS


_KNOWN_UNITS = frozenset(Channel.DurationUnit.values) - {Channel.DurationUnit.UNKNOWN}


class RequiredDocument(models.Model):
    """One item of the dossier's composition (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    case = models.TextField("trường hợp", blank=True)
    name = models.TextField("tên giấy tờ")
    templates = models.JSONField("mẫu đơn, tờ khai", default=list, blank=True)
    originals = models.PositiveSmallIntegerField("số bản chính", null=True, blank=True)
    copies = models.PositiveSmallIntegerField("số bản sao", null=True, blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.name[:80]


class LegalDocument(models.Model):
    """A legal basis (căn cứ pháp lý): the document's title and its number."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="legal_documents")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.TextField("tên văn bản")
    number = models.CharField("số, ký hiệu", max_length=120, blank=True)

    class Meta:
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"
        ordering = ["procedure", "position"]

    def __str__(self) -> str:
        return self.number or self.title[:80]
