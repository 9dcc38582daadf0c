from django.urls import include, path

from portal.accounts import oidc, profile, views, views_mfa, views_session
from portal.accounts.staff import urls as staff_urls
from portal.accounts.staff import views as staff_views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    # LOGIN_REDIRECT_URL_FAILURE; the single sign-on views themselves are under /oidc/ (portal/urls.py).
    path("dang-nhap-that-bai/", oidc.sso_failed, name="sso_failed"),
    # The second-factor code for staff signed in without allauth's page (portal/accounts/mfa.py); allauth's own
    # pages are under the same prefix (portal/accounts/allauth_urls.py).
    path("xac-thuc-hai-lop/xac-minh/", views_mfa.second_factor, name="mfa_verify"),
    # The session time-out warning asks how long is left and extends the session; a form posted after the session
    # ended is offered again after signing in (portal/accounts/views_session.py).
    path("phien/", views_session.session_status, name="session_status"),
    path("phien/gia-han/", views_session.session_extend, name="session_extend"),
    path("gui-lai/", views_session.resubmit, name="resubmit"),
    path("dinh-danh/", views.identities, name="identities"),
    path("dinh-danh/lien-ket/", views.identity_link, name="identity_link"),
    # The person's own account (portal/accounts/profile.py).
    path("thong-tin-ca-nhan/", profile.profile, name="profile"),
    path(
        "thong-tin-ca-nhan/dang-xuat-thiet-bi-khac/", profile.sessions_end_others, name="sessions_end_others"
    ),
    path("thong-tin-ca-nhan/phien/<int:pk>/dang-xuat/", profile.session_end, name="session_end"),
    path("thong-tin-ca-nhan/xuat-du-lieu/", profile.export, name="export"),
    path("thong-tin-ca-nhan/yeu-cau-xoa-tai-khoan/", profile.deletion_request, name="deletion_request"),
    # Staff management in an admin's scope (staff pages: the second factor guards /tai-khoan/can-bo/), and the
    # link a new member of staff receives to set their password.
    path("can-bo/", include(staff_urls)),
    path("kich-hoat/<uidb64>/<token>/", staff_views.StaffActivateView.as_view(), name="staff_activate"),
]
