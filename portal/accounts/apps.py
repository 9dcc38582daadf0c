from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.accounts.services import session_record_on_sign_in

        # Every sign-in (allauth's page, single sign-on, the admin) goes on the user's list of sessions.
        user_logged_in.connect(session_record_on_sign_in, dispatch_uid="portal.accounts.session_record")
