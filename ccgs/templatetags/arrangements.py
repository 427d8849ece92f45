"""Links that keep the arrangement a page shows (``arrangement_choice`` in its context).

For the default arrangement, or on a page that shows none, every link is left as it was.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def arranged(url, choice):
    """``{{ url|arranged:arrangement_choice }}``: ``url`` keeping the arrangement."""
    return choice.link(url) if choice else url


@register.simple_tag(takes_context=True)
def arranged_url(context, name, *args):
    """``{% arranged_url 'scrutiny:timeline' %}``: the address, keeping the arrangement."""
    return arranged(reverse(name, args=args), context.get("arrangement_choice"))


@register.simple_tag(takes_context=True)
def and_arrangement(context):
    """``&arrangement=<slug>`` to end a query written in the template, or nothing."""
    choice = context.get("arrangement_choice")
    return f"&{urlencode(choice.params)}" if choice and choice.params else ""
