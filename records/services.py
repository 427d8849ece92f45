"""The base layer's writers: source documents and timeline events."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .dates import Precision, sort_day, stored
from .history import save_with_history
from .models import Claim, ClaimKind, Conflict, EventKind, Source, TimelineEvent, published_problem


def timeline_add(
    *,
    commissioner,
    kind,
    date,
    date_precision=Precision.DAY,
    title,
    detail="",
    sources=(),
    recorded_at=None,
    ccg=None,
    locality_group=None,
    person=None,
    subject=None,
):
    """Add one event to ``commissioner``'s timeline (the arrangement whose record changed, or
    its id); called by the service that made the change."""
    event = TimelineEvent.objects.create(
        commissioner_id=getattr(commissioner, "pk", commissioner),
        kind=kind,
        date=date,
        date_precision=date_precision,
        sort_date=sort_day(date, date_precision),
        recorded_at=recorded_at or timezone.now(),
        ccg=ccg,
        locality_group=locality_group or (ccg.locality_group if ccg else None),
        person_name=str(person) if person else "",
        title=title,
        detail=detail,
        subject_type=ContentType.objects.get_for_model(subject) if subject else None,
        subject_id=subject.pk if subject else None,
    )
    event.sources.set(sources)
    return event


@transaction.atomic
def source_create(
    *,
    title,
    publisher,
    published=None,
    published_precision=Precision.DAY,
    published_note="",
    url="",
    url_description="",
    title_supplied=False,
    note="",
    quote,
    user,
    commissioner,
    reason="New source document added",
    key=None,
    recorded_at=None,
):
    """Add a source document that decisions and roles can cite: dated, and already published.
    Its publication goes on the timeline of ``commissioner``, the arrangement whose record it
    was added to (a source belongs to the arrangements whose timelines cite it)."""
    if commissioner is None:
        raise ValidationError(
            "The record holds no arrangement yet: add one in the admin before its sources."
        )
    published, published_precision = stored(published, published_precision)
    source = Source(
        key=key,
        title=title,
        publisher=publisher,
        published=published,
        published_precision=published_precision,
        published_note=published_note,
        url=url,
        url_description=url_description,
        title_supplied=title_supplied,
        note=note,
        quote=quote,
        created_by=user,
    )
    errors = {}
    try:
        source.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    problem = published_problem(published, published_precision)
    if problem and "published" not in errors:
        errors["published"] = [problem]
    if errors:
        raise ValidationError(errors)
    save_with_history(source, user=user, reason=reason, recorded_at=recorded_at)
    if published:
        timeline_add(
            commissioner=commissioner,
            kind=EventKind.SOURCE_PUBLISHED,
            date=published,
            date_precision=published_precision,
            title=f"Published: {title}",
            detail=publisher,
            sources=[source],
            recorded_at=recorded_at,
            subject=source,
        )
    return source


@transaction.atomic
def claim_add(
    *,
    kind,
    commissioner,
    source,
    quote,
    user,
    reason,
    said_by="",
    headline="",
    date=None,
    date_precision=Precision.DAY,
    ccg=None,
    person_name="",
    order=0,
    recorded_at=None,
):
    """Add what a source says in its own words, to ``commissioner``'s record; an announced
    event also joins its timeline."""
    date, date_precision = stored(date, date_precision)
    claim = Claim(
        commissioner=commissioner,
        kind=kind,
        source=source,
        quote=(quote or "").strip(),
        said_by=said_by,
        headline=headline,
        date=date,
        date_precision=date_precision,
        ccg=ccg,
        person_name=person_name,
        order=order,
    )
    claim.full_clean()
    if kind == ClaimKind.ANNOUNCED and not (headline and date):
        raise ValidationError({"headline": "An announced event needs a name and a date."})
    save_with_history(claim, user=user, reason=reason, recorded_at=recorded_at)
    if kind == ClaimKind.ANNOUNCED:
        timeline_add(
            commissioner=commissioner,
            kind=EventKind.ANNOUNCED,
            date=date,
            date_precision=date_precision,
            title=headline,
            detail=f"{said_by}: “{claim.quote}”" if said_by else f"“{claim.quote}”",
            sources=[source],
            recorded_at=recorded_at,
            ccg=ccg,
            subject=claim,
        )
    return claim


@transaction.atomic
def conflict_record(*, summary, claims, user, reason, ccg=None, person_name="", recorded_at=None):
    """Record that sources disagree: two claims at least, each kept with its own source, all
    in one arrangement's record (the conflict is that arrangement's)."""
    claims = list(claims)
    if len(claims) < 2:
        raise ValidationError({"claims": "A conflict is between two claims at least."})
    if len({claim.commissioner_id for claim in claims}) > 1:
        raise ValidationError({"claims": "A conflict is between claims of one arrangement."})
    conflict = Conflict(
        commissioner_id=claims[0].commissioner_id,
        summary=(summary or "").strip(),
        ccg=ccg,
        person_name=person_name,
        recorded_at=recorded_at or timezone.now(),
    )
    conflict.full_clean()
    save_with_history(conflict, user=user, reason=reason, recorded_at=recorded_at)
    conflict.claims.set(claims)
    return conflict
