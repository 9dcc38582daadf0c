from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.prepared import NO_ID, Prepared

# Căn cước / personal identification number: 12 digits (province, sex and century, year, serial).
personal_id_validator = RegexValidator(r"^[0-9]{12}\Z", "Số định danh cá nhân gồm đúng 12 chữ số.")


class User(AbstractUser):
    """Anyone who signs in: a citizen or organisation, or a member of staff with a role in some agencies.

    Identities from the national portal's single sign-on are kept in their own table (keyed on issuer and subject),
    never matched on e-mail, so one user may have a password, a national identity, or both.
    """

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Công dân, tổ chức")
        ONESTOP_OFFICER = "onestop_officer", _("Cán bộ một cửa")
        HANDLING_OFFICER = "handling_officer", _("Chuyên viên xử lý")
        LEADER = "leader", _("Lãnh đạo")
        DEPARTMENT_ADMIN = "department_admin", _("Quản trị sở, ngành, xã")
        PROVINCE_ADMIN = "province_admin", _("Quản trị tỉnh")

    STAFF_ROLES = frozenset(
        {Role.ONESTOP_OFFICER, Role.HANDLING_OFFICER, Role.LEADER, Role.DEPARTMENT_ADMIN, Role.PROVINCE_ADMIN}
    )

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    job_title = models.CharField(_("chức danh"), max_length=120, blank=True)
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, validators=[personal_id_validator]
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    notify_email = models.BooleanField(_("nhận thông báo qua thư điện tử"), default=True)
    notify_sms = models.BooleanField(_("nhận thông báo qua tin nhắn SMS"), default=False)
    agencies = models.ManyToManyField(
        "agencies.Agency",
        through="AgencyMembership",
        verbose_name=_("cơ quan"),
        related_name="members",
        blank=True,
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_officer(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def is_province_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.PROVINCE_ADMIN

    @cached_property
    def _agency_ids(self) -> list[int]:
        return [agency_id for (agency_id,) in _agency_ids_of(self.pk)]

    def agency_ids(self) -> list[int]:
        """The agencies this person works in, read from the database once per instance (once per request for the
        signed-in user)."""
        return self._agency_ids


class AgencyMembership(models.Model):
    """A member of staff works in an agency; the role on the user says what they do there."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="memberships"
    )
    since = models.DateField(_("từ ngày"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên cơ quan")
        verbose_name_plural = _("thành viên cơ quan")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


# Read on every staff request (fresh, never kept): compiled once per process (portal/prepared.py).
_agency_ids_of = Prepared(
    lambda user_id: AgencyMembership.objects.filter(user_id=user_id).values_list("agency_id"),
    sentinel=NO_ID,
)


class ExternalIdentity(models.Model):
    """A user's identity at an outside identity provider (the national portal's single sign-on, VNeID).

    The key is the provider's issuer with its subject, or with ``TechID`` when the provider sends one (the national
    portal's stable key); e-mail is never a key. One user may hold a password, identities, or both. ``claims`` keeps
    what the provider last sent, for support, without the personal id number (that lives on the user, validated).
    """

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255)
    subject = models.CharField(_("mã chủ thể (sub)"), max_length=255)
    tech_id = models.CharField(_("mã TechID"), max_length=255, blank=True)
    is_organisation = models.BooleanField(_("tài khoản tổ chức"), default=False)
    claims = models.JSONField(_("thông tin nhận được"), default=dict, blank=True)
    created_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("định danh liên kết")
        verbose_name_plural = _("định danh liên kết")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_identity_subject"),
            models.UniqueConstraint(
                fields=["issuer", "tech_id"], condition=~models.Q(tech_id=""), name="unique_identity_tech_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.tech_id or self.subject}"


class AccountDeletionRequest(models.Model):
    """A person asks for their account to be deleted (Personal Data Protection Law: consent given explicitly).

    Staff handle it: dossiers must be kept for the legal retention period, so deleting means anonymising the account,
    never erasing the dossiers. A person has at most one pending request at a time.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ xử lý")
        DONE = "done", _("Đã xử lý")
        REFUSED = "refused", _("Từ chối")

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    reason = models.TextField(_("lý do"), max_length=2000, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    handled_by = models.ForeignKey(
        User,
        verbose_name=_("người xử lý"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xóa tài khoản")
        verbose_name_plural = _("yêu cầu xóa tài khoản")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(state="pending"), name="one_pending_deletion_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.requested_at:%d/%m/%Y}"
