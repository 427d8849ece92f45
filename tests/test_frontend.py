"""The NHS.UK look every page shares: base template, sign-in, partials, static files, CSP."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory

from records.forms import nhsuk
from records.widgets import DateInputField

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def render_page(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return render_to_string("base.html", request=request)


# Base template --------------------------------------------------------------


def test_header_shows_service_name_signed_in_user_role_and_sign_out(staff):
    html = render_page(staff)

    assert '<html lang="en-GB">' in html
    assert 'href="#maincontent">Skip to main content</a>' in html
    assert '<main class="nhsuk-main-wrapper" id="maincontent">' in html
    assert re.search(
        r'<a class="nhsuk-header__service-logo" href="/"[^>]*>.*?'
        r'<span class="nhsuk-header__service-name">Kent and Medway commissioning tracker</span>',
        html,
        re.S,
    )
    assert "Pat Staff — STP staff" in html
    sign_out = re.search(
        r'<form [^>]*action="/accounts/logout/" method="post">(.*?)</form>', html, re.S
    )
    assert sign_out
    assert 'name="csrfmiddlewaretoken"' in sign_out.group(1)
    assert ">Sign out</button>" in sign_out.group(1)


def test_navigation_links_and_admin_only_for_django_staff(staff, admin):
    staff_html = render_page(staff)
    admin_html = render_page(admin)

    for href, text in [
        ("/", "Dashboard"),
        ("/timeline/", "Timeline"),
        ("/team/", "Team"),
        ("/functions/", "Functions"),
        ("/briefing/", "Briefing"),
    ]:
        assert re.search(rf'href="{href}"[^>]*>(<strong[^>]*>)?{text}<', staff_html), text
    assert 'href="/admin/"' not in staff_html
    assert re.search(r'href="/admin/">Admin</a>', admin_html)
    assert "Ari Admin — Admin" in admin_html


def test_current_section_is_marked_in_the_navigation(staff):
    html = render_page(staff, path="/timeline/")

    assert re.search(
        r'href="/timeline/" aria-current="page"><strong class="nhsuk-header__navigation-item-current-fallback">Timeline',
        html,
    )
    assert 'href="/" aria-current' not in html


def test_anonymous_visitor_sees_no_account_or_navigation(rf):
    from django.contrib.auth.models import AnonymousUser

    html = render_page(AnonymousUser(), path="/accounts/login/")

    assert 'aria-label="Account"' not in html
    assert 'aria-label="Menu"' not in html
    assert "nhsuk-header" in html
    assert "nhsuk-footer" in html


def test_base_loads_nhsuk_css_and_js_from_our_own_static_files(staff):
    html = render_page(staff)

    assert '<link rel="stylesheet" href="/static/vendor/nhsuk/nhsuk-frontend.min.css">' in html
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert 'href="/static/vendor/nhsuk/assets/images/favicon.ico"' in html
    # Nothing from another site (the SVG namespace is a name, not a request).
    assert not re.search(r"https?://", html.replace('xmlns="http://www.w3.org/2000/svg"', ""))


# Sign in, sign out, lock out --------------------------------------------------


def test_sign_in_page_uses_nhs_form_patterns(client, django_assert_num_queries):
    # Only ATOMIC_REQUESTS' savepoint and its release: an anonymous GET reads no rows.
    with django_assert_num_queries(2):
        response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – Kent and Medway commissioning tracker</title>" in html
    assert '<label class="nhsuk-label" for="id_username">' in html
    assert 'autocomplete="username"' in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert "nhsuk-error-summary" not in html


def test_wrong_password_shows_error_summary_and_keeps_username(client, staff):
    response = client.post("/accounts/login/", {"username": "stp.staff", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert 'class="nhsuk-error-summary"' in html
    assert re.search(r'<a href="#id_username">Please enter a correct username and password', html)
    assert 'value="stp.staff"' in html
    assert "wrong" not in html


def test_empty_form_links_each_error_to_its_field(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})

    html = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert "</span>Enter your username" in html
    assert "This field is required." not in html
    assert 'nhsuk-input nhsuk-input--width-20 nhsuk-input--error" id="id_username"' in html
    assert 'aria-describedby="id_username-error"' in html


def test_sign_in_lands_on_dashboard_and_sign_out_returns_to_sign_in(client, staff):
    response = client.post(
        "/accounts/login/", {"username": "stp.staff", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_lockout_after_five_failures_is_a_readable_page(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "stp.staff", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"username": "stp.staff", "password": "correct-horse-battery"}
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many attempts to sign in</h1>" in html
    assert "The username or password was wrong 5 times" in html
    assert "<strong>stp.staff</strong>" in html
    assert "Wait 1 hour and then try again." in html
    assert "nhsuk-header" in html


# CSP and static files ---------------------------------------------------------


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "path",
    [
        "vendor/nhsuk/nhsuk-frontend.min.css",
        "vendor/nhsuk/nhsuk-frontend.min.js",
        "vendor/nhsuk/assets/images/favicon.ico",
        "vendor/nhsuk/assets/images/favicon.svg",
        "vendor/nhsuk/assets/images/nhsuk-icon-180.png",
        "css/app.css",
        "js/app.js",
    ],
)
def test_static_files_the_pages_need_exist(path):
    assert finders.find(path), f"{path} missing: run `bash scripts/build_frontend.sh`"


def test_nhsuk_css_points_only_at_files_we_serve():
    css_path = Path(finders.find("vendor/nhsuk/nhsuk-frontend.min.css"))
    css = css_path.read_text()

    urls = set(re.findall(r"url\(([^)]+)\)", css))
    assert urls, "expected the stylesheet to use icon images"
    for url in urls:
        url = url.strip("'\"")
        if url.startswith("data:"):
            continue
        assert not url.startswith(("/", "http")), url
        assert (css_path.parent / url).exists(), url
    assert "sourceMappingURL" not in css


def test_app_js_imports_nhsuk_frontend_relative_to_itself():
    app_js = Path(finders.find("js/app.js"))
    imported = re.search(r'from "([^"]+)"', app_js.read_text()).group(1)

    assert (app_js.parent / imported).resolve() == Path(
        finders.find("vendor/nhsuk/nhsuk-frontend.min.js")
    ).resolve()


@pytest.mark.parametrize(
    "path", ["/static/vendor/nhsuk/nhsuk-frontend.min.css", "/static/js/app.js"]
)
@pytest.mark.django_db(transaction=True)
def test_live_server_serves_static_files(live_server, path):
    from urllib.request import urlopen

    with urlopen(f"{live_server.url}{path}") as response:  # noqa: S310 - our own test server
        assert response.status == 200
        assert len(response.read()) > 100


def test_no_template_has_inline_script_or_style():
    # The CSP refuses inline script and style; a page that uses them is broken.
    offences = []
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
            r"\sstyle=",
            r"<style\b",
            r"\son[a-z]+=",
        ):
            for match in re.finditer(pattern, text):
                offences.append(f"{template.relative_to(TEMPLATES_DIR)}: {match.group(0)}")
    assert not offences, "\n".join(offences)


# Partials -------------------------------------------------------------------


class ExampleForm(forms.Form):
    title = nhsuk(
        forms.CharField(label="Title", max_length=50, help_text="As printed on the paper"),
        width="30",
    )
    body = forms.ChoiceField(
        label="Deciding body",
        choices=[
            ("", "Choose a body"),
            ("governing_body", "Governing body"),
            ("members", "Member practices"),
        ],
    )
    outcome = nhsuk(
        forms.ChoiceField(
            label="Outcome",
            widget=forms.RadioSelect,
            choices=[("agreed", "Agreed to join"), ("declined", "Declined")],
        ),
        legend="s",
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 3}))
    meeting_date = nhsuk(DateInputField(label="Meeting date"), precision="precision")
    precision = forms.ChoiceField(
        label="How exact is the date?", choices=[("day", "Exact day"), ("month", "Month only")]
    )

    def clean(self):
        raise forms.ValidationError("Nothing was saved.")


def render_include(name, **context):
    return render_to_string(f"includes/{name}", context)


def invalid_form():
    form = ExampleForm(
        {
            "title": "",
            "body": "members",
            "outcome": "",
            "summary": "Said <no>",
            "meeting_date_day": "27",
            "meeting_date_month": "2",
            "meeting_date_year": "",
            "precision": "month",
        }
    )
    assert not form.is_valid()
    return form


def test_error_summary_links_every_error_to_the_first_input_of_its_field():
    html = render_include("error_summary.html", form=invalid_form(), non_field_target="id_title")

    assert 'data-module="nhsuk-error-summary"' in html
    assert '<a href="#id_title">Nothing was saved.</a>' in html
    assert '<a href="#id_title">This field is required.</a>' in html
    assert '<a href="#id_outcome">This field is required.</a>' in html
    assert '<a href="#id_meeting_date_day">Meeting date must include a year</a>' in html


def test_error_summary_renders_nothing_for_a_valid_or_unbound_form():
    assert render_include("error_summary.html", form=ExampleForm()).strip() == ""


# Field groups: {{ form.name.as_field_group }} through records.forms.NHSFormRenderer ------


def test_a_text_field_group_shows_label_hint_error_and_value():
    html = invalid_form()["title"].as_field_group()

    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert '<label class="nhsuk-label" for="id_title">' in html
    assert '<div class="nhsuk-hint" id="id_title-hint">As printed on the paper</div>' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.' in html
    assert 'class="nhsuk-input nhsuk-input--width-30 nhsuk-input--error" id="id_title"' in html
    assert 'maxlength="50"' in html
    assert 'aria-describedby="id_title-hint id_title-error"' in html


def test_a_date_box_shows_a_date_as_yyyy_mm_dd():
    import datetime

    from records.points import PointInTimeForm

    dates = PointInTimeForm({"as_at": "2018-02-27"})
    html = dates["as_at"].as_field_group()

    assert 'id="as_at"' in html
    assert 'value="2018-02-27"' in html
    assert dates.is_valid() and dates.as_at_day == datetime.date(2018, 2, 27)


def test_a_select_field_group_keeps_the_chosen_option():
    html = invalid_form()["body"].as_field_group()

    assert re.search(r'class="nhsuk-select" id="id_body" name="body"\s*>', html)
    assert '<option value="members" selected>Member practices</option>' in html
    assert '<option value="">Choose a body</option>' in html


def test_radios_give_the_first_radio_the_field_id():
    html = invalid_form()["outcome"].as_field_group()

    assert 'class="nhsuk-fieldset" aria-describedby="id_outcome-error">' in html
    assert 'class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s"' in html
    assert 'id="id_outcome" name="outcome" type="radio"' in html
    assert 'id="id_outcome-2" name="outcome" type="radio"' in html
    assert (
        '<label class="nhsuk-label nhsuk-radios__label" for="id_outcome-2">Declined</label>' in html
    )


def test_radios_leave_out_the_empty_choice():
    class BlankForm(forms.Form):
        outcome = forms.ChoiceField(
            label="Outcome",
            widget=forms.RadioSelect,
            choices=[("", "---------"), ("agreed", "Agreed")],
        )

    html = BlankForm()["outcome"].as_field_group()

    assert "---------" not in html
    assert 'id="id_outcome" name="outcome" type="radio"' in html


def test_a_textarea_escapes_and_keeps_the_text():
    html = invalid_form()["summary"].as_field_group()

    assert 'rows="3"' in html
    assert "Said &lt;no&gt;</textarea>" in html


def test_a_date_input_keeps_values_and_outlines_only_the_missing_box():
    html = invalid_form()["meeting_date"].as_field_group()

    assert 'role="group" aria-describedby="id_meeting_date-hint id_meeting_date-error"' in html
    assert "For example, 27 2 2018" in html
    assert re.search(
        r'nhsuk-input--width-2"\s+id="id_meeting_date_day" name="meeting_date_day" [^>]*value="27"',
        html,
    )
    assert re.search(
        r'nhsuk-input--width-2"\s+id="id_meeting_date_month" name="meeting_date_month" [^>]*value="2"',
        html,
    )
    assert re.search(r'nhsuk-input--width-4 nhsuk-input--error"\s+id="id_meeting_date_year"', html)
    # The precision select sits in the date's fieldset.
    assert '<option value="month" selected>Month only</option>' in html


def test_a_date_input_shows_an_initial_date():
    import datetime

    form = ExampleForm(initial={"meeting_date": datetime.date(2018, 3, 19)})
    html = form["meeting_date"].as_field_group()

    assert 'name="meeting_date_day" type="text" inputmode="numeric" value="19"' in html
    assert 'name="meeting_date_month" type="text" inputmode="numeric" value="3"' in html
    assert 'name="meeting_date_year" type="text" inputmode="numeric" value="2018"' in html
    assert "nhsuk-input--error" not in html


@pytest.mark.parametrize(
    ("status", "colour", "label"),
    [
        ("joined", "green", "Joined"),
        ("opted_out", "red", "Opted out"),
        ("pending", "yellow", "Pending"),
        ("considering", "grey", "Considering"),
        ("", "white", "Not yet recorded"),
    ],
)
def test_status_tag_colours(status, colour, label):
    html = render_include("status_tag.html", status=status)

    assert f'<strong class="nhsuk-tag nhsuk-tag--{colour}">' in html
    assert label in html


def test_status_tag_uses_the_label_given():
    html = render_include("status_tag.html", status="joined", label="Joined (shadow form)")

    assert "Joined (shadow form)" in html


def test_messages_are_notification_banners_with_unique_ids():
    html = render_include(
        "messages.html",
        messages=[
            Message(message_levels.SUCCESS, "Decision recorded. Thanet: Joined."),
            Message(message_levels.WARNING, "Check the source."),
        ],
    )

    assert 'class="nhsuk-notification-banner nhsuk-notification-banner--success"' in html
    assert 'role="alert" aria-labelledby="notification-banner-title-1"' in html
    assert "Decision recorded. Thanet: Joined." in html
    assert 'role="region" aria-labelledby="notification-banner-title-2"' in html
    assert 'id="notification-banner-title-2">Important</h2>' in html


HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.mark.parametrize("page", ["/", "/briefing/", "/team/"])
def test_after_collectstatic_pages_and_scripts_reference_only_hashed_files(
    client, settings, tmp_path, scrutineer, kent_medway, page
):
    from django.core.management import call_command

    from kmcommission.settings import base

    # The storage the site runs with, not the tests' plain one.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = base.STORAGES
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    client.force_login(scrutineer)

    html = client.get(page).content.decode()

    referenced = set(re.findall(r'(?:src|href)="/static/([^"]+)"', html))
    assert "js/app.js" not in referenced
    assert referenced and all(HASHED.search(name) for name in referenced), referenced
    # What a script imports is the hashed file too, so nothing is cached for 60 seconds.
    for name in (n for n in referenced if n.endswith(".js")):
        for imported in re.findall(r'from\s*"([^"]+)"', (tmp_path / name).read_text()):
            assert HASHED.search(imported), (name, imported)
            assert (tmp_path / name).parent.joinpath(imported).resolve().exists()
    # WhiteNoise serves every hashed file to be kept for years.
    for name in referenced:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "immutable" in response["Cache-Control"], name
