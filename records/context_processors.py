from .permissions import role_of


def user_role(request):
    """The signed-in user's role, for the header."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user and user.is_authenticated else ""}
