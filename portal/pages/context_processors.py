from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# The catalogue's content is Vietnamese whatever the interface language; on other language versions it is marked
# lang="vi" so screen readers pronounce it right (WCAG 3.1.2, language of parts).
_VIETNAMESE_PART = mark_safe(' lang="vi"')


def site(request):
    """Contact details every page shows in its header and footer, and the language mark for Vietnamese data."""
    return {
        "site": {
            "name": settings.PORTAL_SITE_NAME,
            "hotline": settings.PORTAL_HOTLINE,
            "email": settings.PORTAL_CONTACT_EMAIL,
            "address": settings.PORTAL_ADDRESS,
        },
        "data_lang": "" if (get_language() or "vi").startswith("vi") else _VIETNAMESE_PART,
    }
