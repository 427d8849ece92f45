"""An Atom feed of changes to the record, for officers who subscribe instead of checking."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from records.dates import format_fuzzy

from .selectors import Cursor, recent_changes


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
        # A cursor just before the event opens the timeline with it at the top,
        # however deep it lies; the fragment scrolls to it.
        url = reverse("scrutiny:timeline")
        return f"{url}?after={Cursor(item.sort_date, item.pk - 1)}#event-{item.pk}"

    def item_pubdate(self, item):
        return item.recorded_at

    def item_updateddate(self, item):
        return item.recorded_at

    def item_categories(self, item):
        return [item.get_kind_display()]
