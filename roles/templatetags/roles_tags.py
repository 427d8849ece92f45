from django import template
from django.utils import timezone

from roles.selectors import posts_filled as filled_seats
from roles.selectors import team_as_at

register = template.Library()


@register.inclusion_tag("roles/posts_filled.html")
def posts_filled(as_at=None, known_at=None):
    """'5 of 9 posts filled' in the proposed interim structure on ``as_at`` (default today).

    ``known_at`` (a day) counts from the record as it stood then.
    One query for the record as it is now.
    """
    as_at = as_at or timezone.localdate()
    if known_at is None:
        filled, seats = filled_seats(as_at)
    else:
        team = team_as_at(as_at, known_at)
        filled, seats = team.filled_seats, team.proposed_seats
    return {"filled": filled, "seats": seats, "as_at": as_at, "known_at": known_at}
