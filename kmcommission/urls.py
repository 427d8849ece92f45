from django.contrib import admin
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeDoneView,
    PasswordChangeView,
)
from django.urls import include, path

from records.forms import SignInForm
from records.two_factor import two_factor
from scrutiny import api as scrutiny_api
from scrutiny import views as scrutiny_views

admin.site.site_header = "Kent and Medway commissioning tracker: admin"
admin.site.site_title = "KM commissioning admin"

urlpatterns = [
    path("", scrutiny_views.dashboard, name="dashboard"),
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    # Sign-out and changing one's own password; no password reset by e-mail: the service
    # sends no mail, and an open reset form would say "sent" and send nothing.
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor, name="two-factor"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    # The JSON API (served by django-ninja) at the URLs and names it always had.
    path("api/membership/", scrutiny_api.VIEWS["api-membership"], name="api-membership"),
    path("api/popolo/", scrutiny_api.VIEWS["api-popolo"], name="api-popolo"),
    path("api/schema/", scrutiny_api.schema, name="api-schema"),
    # Staff pages: recording decisions and sources.
    path("", include("decisions.urls")),
    # Read-only pages: CCGs, timeline, exports, feeds, chart, briefing.
    path("", include("scrutiny.urls")),
    # The shared team and the function matrix.
    path("", include("roles.urls")),
]
