"""Signed single-use rating links (``django.core.signing.TimestampSigner`` over the dossier id and a random nonce).
The nonce is recorded when the link is used (``RatingLinkUse``), so a second use is refused."""

import secrets

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ratings.errors import RatingError

SALT = "ratings.link"


def rating_link_token(dossier_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"d": dossier_id, "n": secrets.token_urlsafe(12)})


def rating_link_read(token: str) -> tuple[int, str]:
    """The dossier id and nonce of a genuine, unexpired link; ``RatingError`` otherwise."""
    max_age = settings.RATINGS_LINK_DAYS * 24 * 60 * 60
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token[:300], max_age=max_age)
    except signing.SignatureExpired:
        raise RatingError(_("Đường dẫn đánh giá đã hết hạn."), status=410) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise RatingError(
            _("Đường dẫn đánh giá không hợp lệ. Vui lòng dùng đúng đường dẫn trong thư."), 404
        ) from None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("d"), int)
        or not isinstance(value.get("n"), str)
    ):
        raise RatingError(_("Đường dẫn đánh giá không hợp lệ. Vui lòng dùng đúng đường dẫn trong thư."), 404)
    return value["d"], value["n"][:40]
