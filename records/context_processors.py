from .permissions import role_of


def user_role(request):
    """The signed-in user's role, for the header."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user and user.is_authenticated else ""}


def site_contact(request):
    """Who to contact about the service, for the footer and the accessibility statement."""
    from django.conf import settings

    return {"site_contact": settings.SITE_CONTACT}


def two_factor(request):
    """Whether sign-in asks STP staff and admins for a code (the sign-in page says if not)."""
    from django.conf import settings

    return {"two_factor_required": settings.TWO_FACTOR_REQUIRED}
