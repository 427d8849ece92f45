from django.urls import path

from . import views
from .feeds import RecordChangesFeed

app_name = "scrutiny"

urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/feed/", RecordChangesFeed(), name="feed"),
    path("api/timeline/", views.api_timeline, name="api-timeline"),
    path("as-at/", views.as_at, name="as-at"),
    path("chart/", views.chart, name="chart"),
    path("briefing/", views.briefing, name="briefing"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
]
