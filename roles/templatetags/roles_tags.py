from django import template
from django.utils import timezone

from roles.selectors import posts_filled as filled_seats

register = template.Library()


@register.inclusion_tag("roles/posts_filled.html")
def posts_filled(as_at=None):
    """'5 of 9 posts filled' in the proposed interim structure on ``as_at`` (default today)."""
    as_at = as_at or timezone.localdate()
    filled, seats = filled_seats(as_at)
    return {"filled": filled, "seats": seats, "as_at": as_at}
