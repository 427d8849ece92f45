"""Addresses of the pages that files for other programs (feed, calendar) link back to."""

from django.urls import reverse

from .selectors import Cursor


def timeline_event_path(event_id, sort_date):
    """The timeline opened with the event at the top, however deep it lies: a cursor just
    before it, and the fragment that scrolls to it."""
    cursor = Cursor(sort_date, event_id - 1)
    return f"{reverse('scrutiny:timeline')}?after={cursor}#event-{event_id}"
