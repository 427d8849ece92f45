from django.contrib import admin
from django.urls import include, path

from ccgs import api as ccgs_api
from ccgs import views as ccgs_views

admin.site.site_header = "Kent and Medway commissioning tracker: admin"
admin.site.site_title = "KM commissioning admin"

urlpatterns = [
    path("", ccgs_views.dashboard, name="dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("ccgs/", include("ccgs.urls")),
    path("api/membership/", ccgs_api.membership, name="api-membership"),
    # Staff pages: recording decisions and sources.
    path("", include("decisions.urls")),
    # Scrutiny: timeline, exports, feeds, chart, briefing.
    path("", include("scrutiny.urls")),
    # The shared team and the function matrix.
    path("", include("roles.urls")),
]
