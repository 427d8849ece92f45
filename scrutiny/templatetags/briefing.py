"""Filters for the briefing, a page that is printed as often as it is read."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Where a web address may wrap: after a slash (not inside "//"), and before the "?", "&"
# and "#" that start the next part, as a printed reference breaks it; never mid-word.
BREAK = re.compile(r"(?<=[^/]/)(?=[^/])|(?=[?&#])")


@register.filter
def breakable_url(url):
    """``url`` as text with <wbr> where a line may break, escaped for HTML."""
    return mark_safe("<wbr>".join(escape(part) for part in BREAK.split(url)))  # noqa: S308
