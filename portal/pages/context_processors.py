from django.conf import settings


def site(request):
    """Contact details every page shows in its header and footer."""
    return {
        "site": {
            "name": settings.PORTAL_SITE_NAME,
            "hotline": settings.PORTAL_HOTLINE,
            "email": settings.PORTAL_CONTACT_EMAIL,
            "address": settings.PORTAL_ADDRESS,
        }
    }
