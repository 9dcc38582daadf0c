"""Accounts from the national portal's single sign-on (``oidc/``): matched on the provider's issuer and subject or
TechID, never on e-mail; created from the provider's data on a first sign-in; linked to a signed-in account."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from portal.accounts.models import ExternalIdentity, User


class IdentityTaken(Exception):
    """The identity already belongs to another user."""


class AlreadyLinked(Exception):
    """The user already holds another identity from the same provider."""


class IdentityConflict(Exception):
    """The provider's keys contradict what is stored (a subject seen before with another TechID)."""


def _identity_find(*, issuer: str, subject: str, tech_id: str) -> ExternalIdentity | None:
    identities = ExternalIdentity.objects.select_for_update(of=("self",)).select_related("user")
    if tech_id:
        identity = identities.filter(issuer=issuer, tech_id=tech_id).first()
        if identity is not None:
            return identity
    identity = identities.filter(issuer=issuer, subject=subject).first()
    if identity is not None and tech_id and identity.tech_id and identity.tech_id != tech_id:
        raise IdentityConflict("a stored subject comes back with another TechID")
    return identity


def _user_apply_profile(user: User, profile, *, contact: bool) -> list[str]:
    """Copy the provider's data onto the user. Name, personal id and birth date come from the national population
    database, so the provider's values win; e-mail and phone are the user's contact choice, so they are only filled
    in when ``contact`` (a new account) or when the user has none."""
    changed = []
    for field in ("full_name", "personal_id", "birth_date"):
        value = getattr(profile, field)
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    for field in ("email", "phone"):
        value = getattr(profile, field)
        if value and (contact or not getattr(user, field)) and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    return changed


def _identity_username(*, issuer: str, key: str) -> str:
    base = "vneid-" + hashlib.sha256(f"{issuer}\n{key}".encode()).hexdigest()[:12]
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return username


def _identity_refresh(identity: ExternalIdentity, *, subject: str, profile, claims: dict) -> None:
    identity.subject = subject  # with a TechID the subject may change between sign-ins; TechID is the key
    identity.tech_id = profile.tech_id or identity.tech_id
    identity.is_organisation = profile.is_organisation
    identity.claims = claims
    identity.last_login_at = timezone.now()
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:
        raise IdentityConflict("the new subject is stored for another identity") from exc


@transaction.atomic
def external_identity_sign_in(*, issuer: str, subject: str, profile, claims: dict) -> User:
    """The user for this identity: found by issuer and TechID (or subject), or created with the provider's data.

    Never matched on e-mail: a local account with the same address stays as it is and a new account is made.
    """
    identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
    if identity is not None:
        user = identity.user
        if changed := _user_apply_profile(user, profile, contact=False):
            user.save(update_fields=changed)
        _identity_refresh(identity, subject=subject, profile=profile, claims=claims)
        return user
    user = User(
        username=_identity_username(issuer=issuer, key=profile.tech_id or subject), role=User.Role.CITIZEN
    )
    user.set_unusable_password()
    _user_apply_profile(user, profile, contact=True)
    try:
        with transaction.atomic():
            user.save()
            ExternalIdentity.objects.create(
                user=user,
                issuer=issuer,
                subject=subject,
                tech_id=profile.tech_id,
                is_organisation=profile.is_organisation,
                claims=claims,
                last_login_at=timezone.now(),
            )
    except IntegrityError:
        # The same person's first sign-in in another tab won the race: use the account it made.
        identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
        if identity is None:
            raise
        return identity.user
    return user


@transaction.atomic
def external_identity_link(
    *, user: User, issuer: str, subject: str, profile, claims: dict
) -> ExternalIdentity:
    """Attach the identity to ``user`` (who has just proved both: signed in here, then at the provider)."""
    identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
    if identity is not None and identity.user_id != user.pk:
        raise IdentityTaken("the identity belongs to another user")
    if identity is None:
        if user.external_identities.filter(issuer=issuer).exists():
            raise AlreadyLinked("the user holds another identity of this provider")
        identity = ExternalIdentity(user=user, issuer=issuer)
    _identity_refresh(identity, subject=subject, profile=profile, claims=claims)
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if changed := _user_apply_profile(user, profile, contact=False):
        user.save(update_fields=changed)
    return identity
