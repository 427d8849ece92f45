"""Walk every URL pattern in the URLconf and GET it as each role.

Data-driven, so that a page another engineer adds is covered without editing
this file: a read-only page must give 200 to every signed-in role and send an
anonymous visitor to sign in. Only two things need listing here:
- an edit page (``EDIT_URLS``): 403 for scrutiny, 200 for staff and admins;
- how to fill a path argument the walk cannot fill by itself (``FILL_BY_URL``).
A URL the walk cannot fill fails loudly, naming what to add.
"""

import re
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccgs.models import CCG
from decisions.models import Decision
from roles.models import CommissioningFunction
from scrutiny.subscriptions import subscription_key

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "scrutiny", "stp_staff", "admins"]

# Pages that change the record: only users with the matching permission may open them.
EDIT_URLS = {
    "decisions:record",
    "decisions:correct",
    "decisions:withdraw",
    "decisions:source_add",
    "roles:function-add",
    "roles:function-move",
}

# GET is refused by design: signing out is a POST, so a link cannot sign anyone out.
POST_ONLY_URLS = {"logout", "admin:logout"}


def _first_pk(model):
    pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        raise CannotFill(f"The demo data has no {model.__name__} to fill a URL with.")
    return pk


# Path arguments by URL name, where the argument's name alone does not say what to use.
FILL_BY_URL = {
    "admin:view_on_site": {
        "content_type_id": lambda: ContentType.objects.get_for_model(CCG).pk,
        "object_id": lambda: _first_pk(CCG),
    },
    "admin:auth_user_password_change": {"id": lambda: _first_pk(get_user_model())},
    "decisions:recorded": {"pk": lambda: _first_pk(Decision)},
    "decisions:correct": {"pk": lambda: _ccg_decision_pk()},
    "decisions:withdraw": {"pk": lambda: _ccg_decision_pk()},
    "roles:function-detail": {"pk": lambda: _first_pk(CommissioningFunction)},
    "roles:function-move": {"pk": lambda: _first_pk(CommissioningFunction)},
    # A scrutiny officer's personal key: these pages need no sign-in, by design.
    "scrutiny:calendar-subscription": {"key": lambda: _scrutiny_key()},
    "scrutiny:feed-subscription": {"key": lambda: _scrutiny_key()},
}


def _ccg_decision_pk():
    return Decision.objects.exclude(ccg=None).exclude(outcome="considering").order_by("pk")[0].pk


def _scrutiny_key():
    return subscription_key(get_user_model().objects.get(username="hosc.officer"))


# Path arguments by their name, for every URL.
FILL_BY_ARGUMENT = {
    "slug": lambda: CCG.objects.get(slug="thanet").slug,
    "app_label": lambda: "ccgs",
    # The admin's catch-all: an address under /admin/ that is no page.
    "url": lambda: "no-such-page/",
    # A password-reset link that is not valid: the page says so.
    "uidb64": lambda: "MQ",
    "token": lambda: "not-a-valid-token",
}


@dataclass
class Route:
    name: str
    route: str
    callback: object

    @property
    def admin(self):
        return self.name.startswith("admin:")

    @property
    def public(self):
        return getattr(self.callback, "login_required", True) is False

    def __str__(self):
        return f"{self.name} ({self.route})"


def _walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = ":".join(namespaces + (pattern.name or f"<unnamed {pattern.pattern}>",))
            yield Route(name, prefix + str(pattern.pattern), pattern.callback)


ROUTES = list(_walk(get_resolver().url_patterns))


def _admin_model(route):
    """The model an admin URL is about, from its address (admin/<app>/<model>/...)."""
    match = re.match(r"admin/(\w+)/(\w+)/", route.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None


def _first_with_history(model):
    row = model.history.order_by("history_id").first()
    return row.id if row else _first_pk(model)


def _fill(route, name, position=None):
    if route.name in FILL_BY_URL and name in FILL_BY_URL[route.name]:
        return FILL_BY_URL[route.name][name]()
    model = _admin_model(route)
    if model is not None and (name == "object_id" or position == 0):
        # Accounts and groups made before their history was kept have none: use one that has.
        return _first_with_history(model) if hasattr(model, "history") else _first_pk(model)
    if model is not None and position == 1:
        # django-simple-history's admin page for one history row.
        return model.history.filter(id=_first_pk(model)).order_by("history_id").first().history_id
    if name in FILL_BY_ARGUMENT:
        return FILL_BY_ARGUMENT[name]()
    view_model = getattr(getattr(route.callback, "view_class", None), "model", None)
    if name == "pk" and view_model is not None:
        return _first_pk(view_model)
    raise CannotFill(
        f"The URL walk cannot fill <{name}> in {route}: add it to FILL_BY_URL "
        f"in tests/test_permissions.py, so that this page is checked for every role."
    )


def url_for(route):
    """The address of ``route`` with every argument filled from the demo data."""
    positions = iter(range(10))

    def route_argument(match):
        return str(_fill(route, match[1]))

    def named_group(match):
        return str(_fill(route, match[1]))

    def unnamed_group(match):
        return str(_fill(route, None, next(positions)))

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", named_group, route.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", route_argument, path)
    path = re.sub(r"\((?!\?)[^)]*\)", unnamed_group, path)
    path = "/" + path.replace("^", "").replace("$", "")
    if route.name.endswith("<unnamed (?P<url>.*)$>"):
        return path
    match = resolve(path)
    assert match.func == route.callback or match.view_name == route.name, (
        f"The walk built {path} for {route}, but it resolves to {match.view_name}."
    )
    return path


def _admin_allows(route, user):
    """Whether the admin itself lets an admin user open this admin page (some are read-only)."""
    model_admin = getattr(route.callback, "model_admin", None)
    if model_admin is None:
        # Pages a model admin adds itself (a history row, a password) are its too.
        model = _admin_model(route)
        model_admin = admin_site._registry.get(model) if model else None
    if model_admin is None:
        return True
    request = RequestFactory().get("/")
    request.user = user
    obj = model_admin.model.objects.order_by("pk").first()
    if route.name.endswith("_add"):
        return model_admin.has_add_permission(request)
    if route.name.endswith("_delete"):
        return model_admin.has_delete_permission(request, obj)
    return model_admin.has_view_or_change_permission(request, obj)


def expected(route, role, user, path):
    """(status, where a redirect must go) for ``role`` opening ``route``."""
    if role == "anonymous":
        if route.public:
            return 200, None
        return 302, "login/?next="
    if route.name in POST_ONLY_URLS:
        if route.admin and role != "admins":
            return 302, "/admin/"
        return 405, None
    if route.name == "admin:login" and role == "admins":
        return 302, "/admin/"
    if route.admin and not route.public:
        if role != "admins":
            # Not is_staff: the admin sends them to its own sign-in page, which refuses them.
            return 302, "/admin/"
        if route.name.startswith("admin:<unnamed (?P<url>"):
            return 404, None
        if route.name == "admin:autocomplete":
            # The admin's autocomplete refuses a request without its query parameters.
            return 403, None
        if route.name == "admin:view_on_site":
            return 302, reverse("scrutiny:ccg", args=[CCG.objects.get(pk=_first_pk(CCG)).slug])
        if route.name.startswith("admin:<unnamed <path:object_id>"):
            return 302, "/change/"
        return (200, None) if _admin_allows(route, user) else (403, None)
    if route.name in EDIT_URLS and role == "scrutiny":
        return 403, None
    return 200, None


@pytest.fixture
def users(kent_medway, staff, scrutineer, admin):
    # The admin's sign-in logs need a row each for their pages to be walked.
    sign_in = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "nobody"}
    sign_in |= {"http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**sign_in, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**sign_in)
    AccessLog.objects.create(**sign_in)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    return {"anonymous": None, "scrutiny": scrutineer, "stp_staff": staff, "admins": admin}


def test_the_walk_finds_the_pages_of_every_app():
    names = {route.name for route in ROUTES}
    assert {
        "dashboard",
        "scrutiny:ccg",
        "decisions:record",
        "decisions:recorded",
        "decisions:source_add",
        "admin:index",
    } <= names
    assert names >= EDIT_URLS, "An edit URL listed here no longer exists."


class CannotFill(Exception):
    pass


def _edit_link_pattern():
    """Any link or form pointing at an edit page, whatever its arguments."""
    paths = []
    for route in ROUTES:
        if route.name in EDIT_URLS:
            paths.append(re.sub(r"<(?:\w+:)?\w+>", '[^"?]+', re.escape(route.route)))
    return re.compile(r'(?:href|action)="/(?:' + "|".join(paths) + r')(?:\?[^"]*)?"')


EDIT_LINK = _edit_link_pattern()


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as(role, client, users):
    """One test per role over every route: the demo data loads once, not once per route."""
    user = users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for route in ROUTES:
        try:
            path = url_for(route)
        except CannotFill as error:
            failures.append(str(error))
            continue
        status, location = expected(route, role, user, path)
        response = client.get(path)
        if response.status_code != status:
            hint = " (filled wrongly? see FILL_BY_URL)" if response.status_code == 404 else ""
            failures.append(
                f"{route}: GET {path} gave {response.status_code}, expected {status}{hint}"
            )
        elif location and location not in response["Location"]:
            failures.append(
                f"{route}: GET {path} went to {response['Location']}, expected {location}"
            )
        elif role == "scrutiny" and response.status_code == 200:
            link = EDIT_LINK.search(response.content.decode(errors="replace"))
            if link:
                failures.append(f"{route}: GET {path} shows an edit link, {link[0]}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)


def test_the_edit_link_check_sees_the_buttons_staff_get(client, users):
    """So that the walk's 'no edit link for scrutiny' check can fail."""
    client.force_login(users["stp_staff"])
    page = client.get(reverse("scrutiny:ccg", args=["thanet"])).content.decode()
    assert EDIT_LINK.search(page)


def test_staff_cannot_reach_the_admin_and_admins_can(client, users):
    client.force_login(users["stp_staff"])
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "not authorized" in response.content.decode()

    client.force_login(users["admins"])
    assert client.get("/admin/").status_code == 200


def test_admins_may_record_decisions_and_add_sources(client, users):
    client.force_login(users["admins"])
    assert client.get("/ccgs/thanet/decisions/new/").status_code == 200
    assert client.get("/sources/new/").status_code == 200


def test_an_admin_site_route_is_registered_for_every_admin_model():
    """Sanity for the walk itself: it sees the admin's per-model pages."""
    walked = {route.route for route in ROUTES if route.admin}
    for model in admin_site._registry:
        opts = model._meta
        assert f"admin/{opts.app_label}/{opts.model_name}/" in walked


# Stated here, not read from the admin classes, so that making one of these
# editable in the admin fails a test.
ADMIN_REFUSES_ADMINS = {
    "admin:decisions_membership_add",  # a status changes only by recording a decision
    "admin:decisions_membership_delete",
    "admin:decisions_decision_add",  # decisions are recorded on the staff pages
    "admin:decisions_decision_delete",
    "admin:records_source_add",  # sources are added at /sources/new/
    "admin:records_source_delete",  # a cited source is never deleted
    "admin:roles_assignment_delete",  # assignments are ended, not deleted
    "admin:roles_commissioningfunction_add",  # functions move on the matrix pages
    "admin:roles_commissioningfunction_delete",
    "admin:scrutiny_scrutinymeeting_delete",
    # Accounts and groups are a superuser's job: an admin who could change them could make
    # anyone (themselves included) a superuser.
    *(
        f"admin:auth_{model}_{page}"
        for model in ("user", "group")
        for page in ("changelist", "add", "change", "delete", "history", "simple_history")
    ),
    "admin:auth_user_password_change",
    "admin:otp_totp_totpdevice_add",  # people set up their own at sign-in
    # django-axes writes its own sign-in logs; admins read and clear them.
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
}


def test_the_admin_refuses_admins_exactly_the_pages_that_would_skip_a_rule(users):
    admin = users["admins"]
    refused = {
        route.name
        for route in _walk(get_resolver().url_patterns)
        if route.admin and "<unnamed" not in route.name and not _admin_allows(route, admin)
    }

    assert refused == ADMIN_REFUSES_ADMINS


@pytest.mark.parametrize("path", ["/", "/timeline/", "/api/membership/", "/team/", "/admin/"])
def test_a_signed_in_user_in_no_group_is_refused_everywhere(client, kent_medway, path):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody", is_staff=True))

    response = client.get(path)

    assert response.status_code == 403
    assert client.get("/accounts/logout/").status_code in (200, 302, 405)
