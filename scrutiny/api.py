from django.http import JsonResponse
from django.views.decorators.http import require_GET

from decisions.selectors import membership_as_at
from records.points import BadDate, point_in_time


@require_GET
def membership(request):
    """GET /api/membership/?as_at=YYYY-MM-DD&known_at=YYYY-MM-DD: the record at a point in time."""
    try:
        as_at, known_at = point_in_time(request.GET)
    except BadDate as error:
        return JsonResponse({"error": str(error)}, status=400)
    states = membership_as_at(as_at, known_at)
    return JsonResponse(
        {
            "as_at": as_at.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "members": [state.as_json() for state in states],
        }
    )
