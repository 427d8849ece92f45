"""Personal subscription addresses for the calendar and the changes feed.

Calendar programs and feed readers cannot sign in, so each user gets addresses
that carry a signed token naming them. The token is checked on every request, and
stops working when the account is deactivated or loses its groups, when its
password changes, or when the user resets their addresses (a new per-user secret).
"""

import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import SubscriptionSecret

SALT = "kmcommission.subscriptions"


def _fingerprint(user, secret):
    """What a key must match: the user's current secret and password, so either change stops it."""
    return salted_hmac(SALT, f"{secret}:{user.password}").hexdigest()[:20]


def _secret(user):
    secret, _ = SubscriptionSecret.objects.get_or_create(
        user=user, defaults={"secret": secrets.token_urlsafe(24)}
    )
    return secret.secret


def subscription_key(user):
    return signing.Signer(salt=SALT).sign(f"{user.pk}.{_fingerprint(user, _secret(user))}")


def subscription_reset(user):
    """A new secret: the user's old addresses stop working at once."""
    SubscriptionSecret.objects.update_or_create(
        user=user, defaults={"secret": secrets.token_urlsafe(24)}
    )


def subscriber(key):
    """The active user a key was made for, if they may still read the record; else None."""
    try:
        pk, _, fingerprint = signing.Signer(salt=SALT).unsign(key).partition(".")
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.has_perm("records.view_timelineevent"):
        return None
    if not constant_time_compare(fingerprint, _fingerprint(user, _secret(user))):
        return None
    return user
