from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from portal.converters import codes_register

codes_register()  # before the apps' URLs, which use <code:…>

from portal.accounts import session_security  # noqa: E402
from portal.api import api  # noqa: E402
from portal.pages import views as pages  # noqa: E402

handler404 = "portal.pages.views.not_found"
handler500 = "portal.pages.views.server_error"

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path("readyz", pages.readyz, name="readyz"),
    path("robots.txt", pages.robots_txt, name="robots_txt"),
    path("sitemap.xml", pages.sitemap_xml, name="sitemap_xml"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # Single sign-on through the national portal (mozilla-django-oidc, views from portal/accounts/oidc/views.py):
    # /oidc/authenticate/, /oidc/callback/ and /oidc/logout/, at addresses registered with the provider, so not
    # under a language prefix.
    # The start is rate-limited per address: the library's own view behind a limit, under the library's URL name.
    path("oidc/authenticate/", session_security.sso_start, name="oidc_authentication_init"),
    path("oidc/", include("mozilla_django_oidc.urls")),
]
urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("so-do-trang/", pages.site_map, name="site_map"),
    path("kha-nang-tiep-can/", pages.accessibility, name="accessibility"),
    # Dossiers before the catalogue and accounts: their queues and tracking are the most requested pages.
    path("ho-so/", include("dossiers.urls")),
    path("phan-anh/", include("feedback.urls")),
    path("danh-gia/", include("ratings.urls")),
    path("thanh-toan/", include("payments.urls")),
    path("buu-chinh/", include("postal.urls")),
    path("trinh-ky/", include("signing.urls")),
    path("to-khai/", include("eforms.urls")),
    path("thong-ke/", include("public_statistics.urls")),
    path("", include("portal.catalog.urls")),
    path("hoi-dap/", include("faq.urls")),
    path("tai-khoan/", include("portal.accounts.urls")),
    path("tai-khoan/", include("portal.accounts.allauth_urls")),
    # The admin's login, rate-limited per address and per username (portal/accounts/session_security.py).
    path("quan-tri/login/", session_security.admin_login, name="admin_login"),
    path("quan-tri/", admin.site.urls),
    prefix_default_language=False,
)
