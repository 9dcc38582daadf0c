"""django-allauth's pages under /tai-khoan/ (portal/urls.py), at Vietnamese addresses and under allauth's own URL names,
which its code and templates reverse.

The sign-in and sign-out are the portal's (``accounts:login`` and ``accounts:logout`` are the same pages). Left out:
allauth's e-mail address management (a user's address is changed on their profile page), sign-in by code, passkeys.
Every allauth page goes through ``allauth_page``.
"""

from functools import wraps

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery
from allauth.mfa.totp import views as totp
from allauth.usersessions import views as usersessions
from django.urls import path, re_path

from portal.accounts import views, views_mfa


def allauth_page(view):
    """An allauth view as this portal serves it: a refused form answers 400 (429 when it was for too many attempts),
    and allauth's ``site`` (the request's host) does not hide the portal's own ``site`` that base.html shows."""

    @wraps(view)
    def page(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if isinstance(context, dict):
            context.pop("site", None)
            form = context.get("form")
            if request.method == "POST" and response.status_code == 200 and form is not None and form.errors:
                response.status_code = views_mfa.form_error_status(form)
        return response

    return page


urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="account_login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="account_logout"),
    path("dang-ky/", allauth_page(account.signup), name="account_signup"),
    path("tai-khoan-bi-khoa/", allauth_page(account.account_inactive), name="account_inactive"),
    path("xac-nhan-mat-khau/", allauth_page(account.reauthenticate), name="account_reauthenticate"),
    path(
        "xac-nhan-email/",
        allauth_page(account.email_verification_sent),
        name="account_email_verification_sent",
    ),
    re_path(
        r"^xac-nhan-email/(?P<key>[-:\w]+)/$",
        allauth_page(account.confirm_email),
        name="account_confirm_email",
    ),
    path("mat-khau/doi/", allauth_page(account.password_change), name="account_change_password"),
    path("mat-khau/tao/", allauth_page(account.password_set), name="account_set_password"),
    path("mat-khau/quen/", allauth_page(account.password_reset), name="account_reset_password"),
    path(
        "mat-khau/quen/da-gui/", allauth_page(account.password_reset_done), name="account_reset_password_done"
    ),
    re_path(
        r"^mat-khau/dat-lai/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        allauth_page(account.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
    path(
        "mat-khau/dat-lai/xong/",
        allauth_page(account.password_reset_from_key_done),
        name="account_reset_password_from_key_done",
    ),
    # Second factor (allauth.mfa): TOTP apps and recovery codes.
    path("xac-thuc-hai-lop/", allauth_page(mfa.index), name="mfa_index"),
    path("xac-thuc-hai-lop/nhap-ma/", allauth_page(mfa.authenticate), name="mfa_authenticate"),
    path("xac-thuc-hai-lop/xac-nhan/", allauth_page(mfa.reauthenticate), name="mfa_reauthenticate"),
    path("xac-thuc-hai-lop/ung-dung/", allauth_page(views_mfa.enrol_totp), name="mfa_activate_totp"),
    path("xac-thuc-hai-lop/ung-dung/tat/", allauth_page(totp.deactivate_totp), name="mfa_deactivate_totp"),
    path(
        "xac-thuc-hai-lop/ma-khoi-phuc/",
        allauth_page(views_mfa.recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "xac-thuc-hai-lop/ma-khoi-phuc/tao-moi/",
        allauth_page(recovery.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "xac-thuc-hai-lop/ma-khoi-phuc/tai-ve/",
        allauth_page(recovery.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path("phien-dang-nhap/", allauth_page(usersessions.list_usersessions), name="usersessions_list"),
]
