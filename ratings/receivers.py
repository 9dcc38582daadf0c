"""The invitation to rate: when a dossier's result is returned, the applicant is e-mailed a signed single-use link
(the portal's mail outbox sends it after the transaction commits)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from dossiers.models import DossierEvent
from portal.accounts.models import User
from ratings.links import rating_link_token


def invitation_address(facts: dict) -> str:
    if facts["applicant_email"]:
        return facts["applicant_email"]
    if facts["applicant_id"]:
        return User.objects.filter(pk=facts["applicant_id"]).values_list("email", flat=True).first() or ""
    return ""


def rating_link_url(dossier_id: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("ratings:link", args=[rating_link_token(dossier_id)])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@receiver(post_save, sender=DossierEvent, dispatch_uid="ratings.invite_on_return")
def rating_invite(sender, instance: DossierEvent, created: bool, **kwargs) -> None:
    if not created or instance.action != "return_result" or kwargs.get("raw"):
        return
    facts = dossier_selectors.dossier_label(instance.dossier_id)
    full = dossier_selectors.dossier_rating_facts(instance.dossier_id)
    address = invitation_address(full) if full else ""
    if not address:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Mời đánh giá việc giải quyết hồ sơ %(code)s") % {"code": facts["code"]}
        body = _(
            "Hồ sơ %(code)s (%(procedure)s) đã được trả kết quả.\n\n"
            "Xin anh/chị dành một phút đánh giá việc giải quyết hồ sơ theo đường dẫn dưới đây "
            "(không cần đăng nhập, dùng được một lần trong %(days)s ngày):\n%(link)s\n\n"
            "Đánh giá có thể sửa trong 24 giờ sau khi gửi, từ trang hồ sơ của anh/chị."
        ) % {
            "code": facts["code"],
            "procedure": facts["procedure__name"],
            "days": settings.RATINGS_LINK_DAYS,
            "link": rating_link_url(instance.dossier_id),
        }
    send_mail(subject, body, None, [address])
