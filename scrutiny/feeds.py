"""An Atom feed of changes to the record, for officers who subscribe instead of checking."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

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


class RecordChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = "Kent and Medway strategic commissioner: changes to the record"
    subtitle = (
        "Decisions, membership changes, roles, scrutiny meetings and sources, "
        "newest first by when the record learnt of them."
    )
    author_name = "Kent and Medway commissioning tracker"

    def link(self):
        return reverse("scrutiny:timeline")

    def feed_guid(self):
        # The feed's own id, like its entries', holds no host name: a reader that follows
        # it to another address still knows it for the same feed.
        return f"tag:{settings.SITE_DOMAIN},2018:feed/changes"

    def items(self):
        return recent_changes()

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
        return timeline_event_path(item.pk, item.sort_date)

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
