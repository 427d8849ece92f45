"""An Atom feed of changes to the record, for officers who subscribe instead of checking."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ccgs.arrangements import (
    ArrangementChoice,
    UnknownArrangement,
    choose_arrangement,
    refused_page,
)
from records.dates import format_fuzzy

from .links import timeline_event_path
from .selectors import recent_changes


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text: what staff typed is never HTML to a feed reader
    (Django marks every summary type="html", which a reader that does not sanitise runs)."""

    def add_item_elements(self, handler, item):
        description, item["description"] = item["description"], None
        super().add_item_elements(handler, item)
        item["description"] = description
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


@dataclass(frozen=True)
class FeedOf:
    """The arrangement a feed request is about, and the feed's own address."""

    choice: ArrangementChoice
    address: str


class RecordChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title_of_default = "Kent and Medway strategic commissioner: changes to the record"
    subtitle = (
        "Decisions, membership changes, roles, scrutiny meetings and sources, "
        "newest first by when the record learnt of them."
    )
    author_name = "Kent and Medway commissioning tracker"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except UnknownArrangement as error:
            # The pages' 404, which lists the arrangements there are (a bare Http404 would
            # be Django's page, which says nothing of them when DEBUG is off).
            return refused_page(request, error)

    def get_object(self, request, *args, **kwargs):
        """The arrangement the feed is about (``?arrangement=``, else the default); an
        unknown one raises ``UnknownArrangement``, which ``__call__`` answers."""
        choice = choose_arrangement(request.GET)
        return FeedOf(choice, choice.link(request.path))

    def title(self, feed):
        if feed.choice.is_default:
            return self.title_of_default
        return f"{feed.choice.arrangement}: changes to the record"

    def link(self, feed):
        return feed.choice.link(reverse("scrutiny:timeline"))

    def feed_url(self, feed):
        # rel="self" is the address the reader subscribed to, arrangement included: a reader
        # that refreshes by it must get the same feed back, not the default arrangement's.
        return feed.address

    def feed_guid(self, feed):
        # The feed's own id, like its entries', holds no host name: a reader that follows
        # it to another address still knows it for the same feed.
        if feed.choice.is_default:
            return f"tag:{settings.SITE_DOMAIN},2018:feed/changes"
        return f"tag:{settings.SITE_DOMAIN},2018:feed/changes/{feed.choice.arrangement.slug}"

    def items(self, feed):
        events = recent_changes(commissioner=feed.choice.arrangement)
        # The feed object serves every request at once, so the arrangement rides on the items.
        for event in events:
            event.arrangement_choice = feed.choice
        return events

    def item_title(self, item):
        return f"{item.date_display}: {item.title}"

    def item_description(self, item):
        sources = "; ".join(
            f"{s.title} ({s.publisher}, {format_fuzzy(s.published, s.published_precision)})"
            for s in item.sources.all()
        )
        parts = [
            item.get_kind_display() + ".",
            item.detail,
            f"Sources: {sources}" if sources else "",
        ]
        return " ".join(part for part in parts if part)

    def item_link(self, item):
        return item.arrangement_choice.link(timeline_event_path(item.pk, item.sort_date))

    def item_guid(self, item):
        # Permanent: not the link (which holds the event's date) nor the host. A correction
        # is the entry of the decision it corrects, so a reader updates it, not adds one.
        return f"tag:{settings.SITE_DOMAIN},2018:event/{item.entry_id}"

    def item_pubdate(self, item):
        return item.first_recorded_at

    def item_updateddate(self, item):
        return item.recorded_at

    def item_categories(self, item):
        return [item.get_kind_display()]
