from django.urls import path

from portal.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    # LOGIN_REDIRECT_URL_FAILURE; the single sign-on views themselves are under /oidc/ (portal/urls.py).
    path("dang-nhap-that-bai/", oidc.sso_failed, name="sso_failed"),
    path("dinh-danh/", views.identities, name="identities"),
    path("dinh-danh/lien-ket/", views.identity_link, name="identity_link"),
]
