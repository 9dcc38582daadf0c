from allauth.account.forms import ResetPasswordForm, SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User


class SignUpForm(SignupForm):
    """allauth's sign-up (username, e-mail address, password twice) with the person's full name first."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "username", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class PasswordResetRequestForm(ResetPasswordForm):
    """allauth's "forgot my password" form. An account without a password (made by the national single sign-on) gets
    no reset link: an e-mail address is never a way into such an account. Its owner signs in through the provider."""

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = [user for user in self.users if user.has_usable_password()]
        return email
