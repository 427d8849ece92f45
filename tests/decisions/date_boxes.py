"""Writing dates into a test POST as the NHS.UK date input's three boxes."""

DATE_FIELDS = {
    "meeting_date",
    "effective_date",
    "expected_date",
    "review_by",
    "new_source_published",
    "published",
}


def date_boxes(name, text):
    """The NHS.UK date input's three boxes for "2018-04-30" ("2018-04" leaves the day empty)."""
    parts = text.split("-") if text else []
    year, month, day = (parts + ["", "", ""])[:3]
    return {
        f"{name}_day": day.lstrip("0"),
        f"{name}_month": month.lstrip("0"),
        f"{name}_year": year,
    }


def with_dates(data):
    """``data`` with each date written as the three boxes of the NHS.UK date input."""
    result = {}
    for name, value in data.items():
        if name in DATE_FIELDS:
            result.update(date_boxes(name, value))
        else:
            result[name] = value
    return result
