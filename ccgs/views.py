from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import CCG
from .selectors import membership_as_at


def dashboard(request):
    today = timezone.localdate()
    return render(
        request, "ccgs/dashboard.html", {"states": membership_as_at(today), "as_at": today}
    )


def ccg_detail(request, slug):
    ccg = get_object_or_404(CCG.objects.select_related("locality_group"), slug=slug)
    return render(request, "ccgs/ccg_detail.html", {"ccg": ccg})
