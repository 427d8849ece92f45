"""Which arrangement a page, the API, an export, the feed or the calendar is about.

The record may hold several arrangements (``Commissioner``): the 2018 joint committee,
a later merger into one CCG, ... Every reader names one with ``?arrangement=<slug>``;
without it they get the default: the one named by ``settings.DEFAULT_ARRANGEMENT``,
else the first the record held (the only one, while there is one). So the addresses of
the default never change when another arrangement is added.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

from .models import Commissioner

PARAMETER = "arrangement"


class UnknownArrangement(Exception):
    """``?arrangement=`` names no arrangement in the record; the message says which exist."""


@dataclass(frozen=True)
class ArrangementChoice:
    """The arrangement asked for (None only while the record holds none), every arrangement
    (to offer a switch), and the default (the one an address without the parameter means)."""

    arrangement: Commissioner | None
    choices: list
    default: Commissioner | None

    @property
    def is_default(self):
        return self.arrangement == self.default

    @property
    def several(self):
        """Whether a page should say which arrangement it shows and offer the others."""
        return len(self.choices) > 1

    @property
    def params(self):
        """The query parameter that keeps this arrangement: none for the default."""
        return {} if self.is_default else {PARAMETER: self.arrangement.slug}

    @property
    def suffix(self):
        """'?arrangement=<slug>' to put after a path, or '' for the default."""
        return f"?{urlencode(self.params)}" if self.params else ""

    def link(self, url):
        """``url`` (which may have a query already) keeping this arrangement."""
        if not self.params:
            return url
        url, hash_, fragment = url.partition("#")
        return f"{url}{'&' if '?' in url else '?'}{urlencode(self.params)}{hash_}{fragment}"

    def switches(self, query):
        """[(arrangement, address, is the one shown)]: the same page, with ``query`` (the
        request's other parameters, a QueryDict) kept, for each arrangement."""
        links = []
        for arrangement in self.choices:
            kept = query.copy()
            kept.pop(PARAMETER, None)
            if arrangement != self.default:
                kept[PARAMETER] = arrangement.slug
            encoded = kept.urlencode()
            links.append(
                (arrangement, f"?{encoded}" if encoded else "?", arrangement == self.arrangement)
            )
        return links


def _all_arrangements():
    """Every arrangement, in the order the record held them: one query."""
    return list(Commissioner.objects.order_by("pk"))


def default_arrangement(arrangements):
    """The arrangement an address without ``?arrangement=`` means, of ``arrangements``."""
    if not arrangements:
        return None
    wanted = getattr(settings, "DEFAULT_ARRANGEMENT", "")
    if not wanted:
        return arrangements[0]
    for arrangement in arrangements:
        if arrangement.slug == wanted:
            return arrangement
    raise ImproperlyConfigured(
        f"DEFAULT_ARRANGEMENT is {wanted!r}, but no arrangement in the record has that slug "
        f"(there are: {', '.join(a.slug for a in arrangements)})."
    )


def the_default_arrangement():
    """The arrangement an address without ``?arrangement=`` means (None in an empty record):
    what a new post, function or meeting added in the admin belongs to unless the admin
    chooses another. One query."""
    return default_arrangement(_all_arrangements())


class InTheDefaultArrangement:
    """A ModelAdmin mixin: a new row's ``commissioner`` starts as the default arrangement,
    which the admin may change before saving."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        default = the_default_arrangement()
        if default is not None:
            initial.setdefault("commissioner", default.pk)
        return initial


def choose_arrangement(query):
    """The ``ArrangementChoice`` for a request's query (``request.GET``); one query.

    Raises ``UnknownArrangement`` for a slug the record does not hold.
    """
    arrangements = _all_arrangements()
    default = default_arrangement(arrangements)
    slug = (query.get(PARAMETER) or "").strip()
    if not slug:
        return ArrangementChoice(default, arrangements, default)
    for arrangement in arrangements:
        if arrangement.slug == slug:
            return ArrangementChoice(arrangement, arrangements, default)
    known = ", ".join(f"‘{a.slug}’ ({a.name})" for a in arrangements) or "none yet"
    raise UnknownArrangement(
        f"There is no arrangement ‘{slug[:80]}’ in the record. The arrangements are: {known}."
    )


def page_context(request, choice):
    """What a page needs to say which arrangement it shows, keep it in its links and
    offer the others (``includes/arrangement_switch.html``)."""
    return {
        "arrangement_choice": choice,
        "arrangement_switches": choice.switches(request.GET) if choice.several else [],
        # With one arrangement, pages name it as they always have ("the strategic commissioner").
        "arrangement_name": choice.arrangement.name if choice.several else "",
    }


def refused_page(request, error):
    """The page-not-found page, saying which arrangements there are."""
    return render(request, "404.html", {"reason": str(error)}, status=404)


def arrangement_page(view):
    """A page view that shows one arrangement: it gets ``arrangement=`` (an
    ``ArrangementChoice``); an unknown ``?arrangement=`` is a 404 that names the known ones."""

    @wraps(view)
    def page(request, *args, **kwargs):
        try:
            choice = choose_arrangement(request.GET)
        except UnknownArrangement as error:
            return refused_page(request, error)
        return view(request, *args, arrangement=choice, **kwargs)

    return page


def choice_of(arrangement):
    """The ``ArrangementChoice`` of a known ``arrangement`` (a decision's), for its links; one
    query."""
    arrangements = _all_arrangements()
    return ArrangementChoice(arrangement, arrangements, default_arrangement(arrangements))
