from django.http import JsonResponse
from django.views.decorators.http import require_GET

from decisions.selectors import membership_as_at
from records.points import PointInTimeForm

from .popolo import popolo_document


def _refused(dates):
    return JsonResponse({"error": " ".join(dates.messages())}, status=400)


@require_GET
def membership(request):
    """GET /api/membership/?as_at=YYYY-MM-DD&known_at=YYYY-MM-DD: the record at a point in time."""
    dates = PointInTimeForm(request.GET)
    if not dates.is_valid():
        return _refused(dates)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    states = membership_as_at(as_at, known_at)
    return JsonResponse(
        {
            "as_at": as_at.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "members": [state.as_json() for state in states],
        }
    )


@require_GET
def popolo(request):
    """GET /api/popolo/?as_at=&known_at=: the record at a point in time in the Popolo shape."""
    dates = PointInTimeForm(request.GET)
    if not dates.is_valid():
        return _refused(dates)
    return JsonResponse(popolo_document(dates.as_at_day, dates.known_at_day))
