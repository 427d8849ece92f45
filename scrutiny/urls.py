from django.urls import path

from . import views
from .api import VIEWS as API_VIEWS
from .feeds import RecordChangesFeed

app_name = "scrutiny"

urlpatterns = [
    path("ccgs/<slug:slug>/", views.ccg_detail, name="ccg"),
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/feed/", RecordChangesFeed(), name="feed"),
    path("api/timeline/", API_VIEWS["api-timeline"], name="api-timeline"),
    path("as-at/", views.as_at, name="as-at"),
    path("chart/", views.chart, name="chart"),
    path("briefing/", views.briefing, name="briefing"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("search/", views.search, name="search"),
    path("help/", views.help_page, name="help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "subscribe/<str:key>/calendar.ics",
        views.calendar_subscription,
        name="calendar-subscription",
    ),
    path("subscribe/<str:key>/feed/", views.feed_subscription, name="feed-subscription"),
]
