"""Personal subscription addresses for the calendar and the changes feed.

Calendar programs and feed readers cannot sign in, so each user gets addresses
that carry a signed token naming them. The token is checked on every request:
deactivating the account, or taking away its groups, stops the addresses working.
"""

from django.contrib.auth import get_user_model
from django.core import signing

SALT = "kmcommission.subscriptions"


def subscription_key(user):
    return signing.Signer(salt=SALT).sign(str(user.pk))


def subscriber(key):
    """The active user a key was made for, if they may still read the record; else None."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(key))
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.has_perm("records.view_timelineevent"):
        return None
    return user
