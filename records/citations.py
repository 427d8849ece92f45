"""Every fact in the record cites a source."""

from django.core.exceptions import ValidationError

MISSING = "Cite at least one source."


def cited(sources):
    """``sources`` as a list; refused with a message on the sources field when empty."""
    sources = list(sources)
    if not sources:
        raise ValidationError({"sources": [MISSING]})
    return sources
