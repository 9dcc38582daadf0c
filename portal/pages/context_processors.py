from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# The catalogue's content is Vietnamese whatever the interface language; on other language versions it is marked
# lang="vi" so screen readers pronounce it right (WCAG 3.1.2, language of parts).
_VIETNAMESE_PART = mark_safe(' lang="vi"')


def site(request):
    """Contact details every page shows in its header and footer, the language switch's target, and the language
    mark for Vietnamese data."""
    vietnamese = (get_language() or "vi").startswith("vi")
    other = "en" if vietnamese else "vi"
    return {
        "site": {
            "name": settings.PORTAL_SITE_NAME,
            "hotline": settings.PORTAL_HOTLINE,
            "email": settings.PORTAL_CONTACT_EMAIL,
            "address": settings.PORTAL_ADDRESS,
        },
        # The switch is a plain link to the same page in the other language (the URL prefix picks the language):
        # one click, no JavaScript, no form token, so public pages stay cacheable.
        "language_switch": {"code": other, "next": translate_url(request.get_full_path(), other)},
        "data_lang": "" if vietnamese else _VIETNAMESE_PART,
    }
