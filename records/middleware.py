"""Who may use the service at all: a signed-in user in one of the three groups."""

import time

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

# Signing out must work for everyone, whatever their groups.
ALWAYS_OPEN = {"logout", "login"}


class RoleRequiredMiddleware:
    """Refuse (403) every page to a signed-in user who is in no group and not a superuser.

    An account made in the admin and not yet given a role could otherwise read
    every page; it sees the 403 page until an admin puts it in a group.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        if not getattr(view_func, "login_required", True):
            return None  # pages for programs that cannot sign in check their own key
        if request.resolver_match and request.resolver_match.url_name in ALWAYS_OPEN:
            return None
        # Read once per request; the header's role label uses the same names (role_of).
        user.group_names = set(user.groups.values_list("name", flat=True))
        if not user.group_names:
            raise PermissionDenied("Your account has no role yet: ask an admin to give you one.")
        return None


# How often a working user's session is saved to move its expiry on: often enough that
# an idle timeout of hours is kept to within minutes, rarely enough not to write on every read.
TOUCH_EVERY_SECONDS = 300


class IdleTimeoutMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request, not that long after sign-in.

    Saving the session renews its expiry; Django's SESSION_SAVE_EVERY_REQUEST would
    write on every page view, so the session is touched at most every few minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("touched", 0) > TOUCH_EVERY_SECONDS:
                request.session["touched"] = now
        return self.get_response(request)


def session_touched_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway: start the idle clock then (user_logged_in)."""
    request.session["touched"] = int(time.time())


class DatabaseUnavailableMiddleware:
    """A request in flight when the database connection drops gets a clean 503 page that says
    nothing was saved (its transaction never committed), not a server error; the next request
    reconnects (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "5"
            return response
        return None


class TwoFactorMiddleware:
    """STP staff and admins confirm a code from their authenticator app after their password
    (records.two_factor) before any other page, when TWO_FACTOR_REQUIRED is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .two_factor import needs_second_factor

        if not getattr(view_func, "login_required", True):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in ALWAYS_OPEN | {"two-factor"}:
            return None
        if needs_second_factor(request.user) and not request.user.is_verified():
            return redirect(
                f"{reverse('two-factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return None
