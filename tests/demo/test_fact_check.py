"""A fact check of the 2018 record against its seed documents, that cannot drift.

It reads demo/data/kent_medway_2018.toml itself (not what a loader made of it) and the seed
documents in ../shared/seeds/, and fails on:
- a quote not verbatim in its seed, or cut (mid-sentence, or with a piece left out) without
  "[…]";
- a date more precise than its sources give: a day must be written in a cited document, a
  month named in one, and a date "by" a day must be a day the record can prove (a cited
  document's own date, or a day one of them writes);
- a fact the record learnt before it could prove its source public;
- the record's internal source keys ("000" to "004") in anything a reader sees: the data
  file's texts, and the pages, briefing, CSV, feed, calendar and API as rendered;
- a person the sources name missing from the record.
"""

import calendar
import datetime
import os
import re
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse

from demo.loader import DATA_FILE
from records.models import Claim, ClaimKind, Conflict, Source
from roles.models import Person

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
DATA = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
CUT = "[…]"
KEY = re.compile(r"\b00[0-4]\b")
# The people the seed documents name (Ms Smith is Hazel Smith).
PEOPLE = {
    "Hazel Smith",
    "Glenn Douglas",
    "Ian Ayres",
    "Patricia Davies",
    "Simon Perks",
    "Caroline Selkirk",
    "Michael Ridgwell",
    "Lizzy Adam",
}
DATE_FIELDS = ("meeting_date", "effective_date", "expected_date", "start", "end", "since", "date")


@pytest.fixture
def signed_in(client, scrutineer):
    client.force_login(scrutineer)
    return client


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.exists():
        # CI always has shared/ beside the clone; a laptop may not.
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed documents at {SEEDS}")
        pytest.skip("the shared seed documents are not beside the repo")
    return {path.name.split("_")[0]: path.read_text(encoding="utf-8") for path in SEEDS.iterdir()}


def seed_of(seeds, key):
    return seeds[key.split("-")[0]]


def quotes():
    """(where, source key, quote) for every quoted passage in the data file."""
    for source in DATA["sources"]:
        yield f"source {source['key']}", source["key"], source["quote"]
    for number, claim in enumerate(DATA.get("claims", [])):
        yield f"claim {number} ({claim['quote'][:30]}…)", claim["source"], claim["quote"]


# --- Quotes -----------------------------------------------------------------------------

# A quotation may start after a sentence, a colon, an opening quote mark, a bullet or a table
# cell's edge, and end at a sentence's end, a closing quote mark, or a cell's or line's end.
BEFORE_A_SENTENCE = tuple('.!?:“"‘•(>\t\n')
END_OF_A_SENTENCE = tuple('.!?”"’)')
AFTER_A_PASSAGE = tuple('”"’<\t\n')


def _find(document, fragment):
    """(start, end) of ``fragment`` in ``document``, any run of white space matching any other."""
    pattern = r"\s+".join(re.escape(word) for word in fragment.split())
    match = re.search(pattern, document)
    return (match.start(), match.end()) if match else None


def cut_problems(document, quote):
    """What is wrong with ``quote`` as a quotation of ``document``: not there, or cut unmarked."""
    if "[...]" in quote:
        return ["marks a cut with [...] rather than […]"]
    pieces = quote.split(CUT)
    problems = []
    for index, piece in enumerate(pieces):
        piece = piece.strip()
        if not piece:
            continue
        found = _find(document, piece)
        if found is None:
            problems.append(f"not verbatim in its document: {piece[:60]!r}")
            continue
        start, end = found
        cut_before = index > 0
        cut_after = index < len(pieces) - 1
        before = document[:start].rstrip(" ")
        if not cut_before and before and not before.endswith(BEFORE_A_SENTENCE):
            problems.append(f"starts mid-sentence without […]: {piece[:60]!r}")
        after = document[end:].lstrip(" ")
        at_line_end = not after or after.startswith(AFTER_A_PASSAGE)
        if not cut_after and not at_line_end and not piece.endswith(END_OF_A_SENTENCE):
            problems.append(f"ends mid-sentence without […]: {piece[-60:]!r}")
    return problems


def test_the_cut_check_can_fail():
    document = "First sentence here. Second one, with a clause, ends here.\nNext line"
    assert cut_problems(document, "Second one, with a clause, ends here.") == []
    assert cut_problems(document, "Second one, with a clause […]") == []
    assert cut_problems(document, "Second one […] ends here.") == []
    assert cut_problems(document, "Second one, with a clause") != []
    assert cut_problems(document, "with a clause, ends here.") != []
    assert cut_problems(document, "Second one [...] ends here.") != []
    assert cut_problems(document, "Second sentence here.") != []
    cells = "<b>Name</b>\tDirector of Things\tA CCG, B CCG\nHe said “we agree” today."
    assert cut_problems(cells, "Director of Things") == []
    assert cut_problems(cells, "we agree") == []
    assert cut_problems(cells, "Director of") != []


def test_every_quote_is_verbatim_and_every_cut_is_marked(seeds):
    problems = []
    for where, key, quote in quotes():
        assert len(quote) < 600, f"{where}: quote a passage, not the article"
        problems += [f"{where}: {p}" for p in cut_problems(seed_of(seeds, key), quote)]
    assert problems == []


# --- Dates ------------------------------------------------------------------------------


def written_days(text, year=2018):
    """Every day ``text`` writes: "27/02/2018", "26 January 2018", "on the 22 February"."""
    days = set()
    for d, m, y in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        days.add(datetime.date(int(y), int(m), int(d)))
    months = "|".join(calendar.month_name[1:])
    for d, month in re.findall(rf"\b(\d{{1,2}}) ({months})\b", text):
        days.add(datetime.date(year, list(calendar.month_name).index(month), int(d)))
    return days


def written_months(text, year=2018):
    """Every month ``text`` names: "April 2019", or a bare "April" (of 2018, the record's year)."""
    names = list(calendar.month_name)
    months = "|".join(names[1:])
    found = {(year, names.index(m)) for m in re.findall(rf"\b({months})\b", text)}
    found |= {(int(y), names.index(m)) for m, y in re.findall(rf"\b({months}) (\d{{4}})\b", text)}
    return found


SOURCES = {source["key"]: source for source in DATA["sources"]}


def provable_days(seeds, keys):
    """Days a fact citing ``keys`` may be "by": each document's own date, or one it writes."""
    days = set()
    for key in keys:
        days |= written_days(seed_of(seeds, key))
        days.add(datetime.date.fromisoformat(SOURCES[key]["published"]))
    return days


def date_problems(seeds, where, keys, day, precision):
    day = datetime.date.fromisoformat(day)
    text = "\n".join(seed_of(seeds, key) for key in keys)
    if precision == "day" and day not in written_days(text):
        return [f"{where}: {day} is given to the day, but no cited document writes that day"]
    if precision == "month" and (day.year, day.month) not in written_months(text):
        return [f"{where}: {day:%B %Y} is given as a month no cited document names"]
    if precision == "on_or_before" and day not in provable_days(seeds, keys):
        return [f"{where}: 'by {day}' is no day the cited documents can prove"]
    if precision not in ("day", "month", "on_or_before"):
        return [f"{where}: precision {precision!r} is not one the 2018 sources support"]
    return []


def test_the_date_check_can_fail(seeds):
    assert date_problems(seeds, "x", ["003"], "2018-03-19", "day") == []
    assert date_problems(seeds, "x", ["003"], "2018-03-20", "day") != []
    assert date_problems(seeds, "x", ["004"], "2018-01-31", "month") != []
    assert date_problems(seeds, "x", ["001"], "2019-04-30", "month") == []
    assert date_problems(seeds, "x", ["002"], "2019-04-30", "month") != []
    assert date_problems(seeds, "x", ["002"], "2018-02-27", "on_or_before") == []
    assert date_problems(seeds, "x", ["002"], "2018-02-26", "on_or_before") != []


def test_no_date_is_more_precise_than_its_sources(seeds):
    problems = []
    for source in DATA["sources"]:
        key = source["key"]
        precision = source.get("published_precision", "day")
        if precision == "day" and datetime.date.fromisoformat(source["published"]) not in (
            written_days(seed_of(seeds, key))
        ):
            problems.append(f"source {key}: dated to the day, but the document gives no such day")
        elif precision != "day":
            # An undated document is dated "by" a day the record can prove, and says how.
            assert source.get("published_note"), f"source {key}: say how it was dated"
            others = [k for k in SOURCES if k != key]
            problems += date_problems(
                seeds, f"source {key}", [key, *others], source["published"], precision
            )
    for number, event in enumerate(DATA["events"]):
        for name in DATE_FIELDS:
            if event.get(name):
                problems += date_problems(
                    seeds,
                    f"event {number} ({event['type']}) {name}",
                    event["sources"],
                    event[name],
                    event.get(f"{name}_precision", "day"),
                )
    for claim in DATA.get("claims", []):
        if claim.get("date"):
            problems += date_problems(
                seeds,
                f"claim {claim['id']}",
                [claim["source"]],
                claim["date"],
                claim.get("date_precision", "day"),
            )
    commissioner = DATA["commissioner"]
    problems += date_problems(
        seeds,
        "commissioner shadow_from",
        commissioner["sources"],
        commissioner["shadow_from"],
        commissioner["shadow_from_precision"],
    )
    assert problems == []


def test_no_fact_is_recorded_before_its_source_is_provably_public():
    problems = []
    for number, event in enumerate(DATA["events"]):
        recorded = datetime.datetime.fromisoformat(event["recorded"]).date()
        for key in event.get("sources", []):
            source = SOURCES[key]
            public_by = datetime.date.fromisoformat(source["published"])
            if source.get("published_precision", "day") == "month":
                # "April 2018": the record has it when the document is first put to use.
                continue
            if recorded < public_by:
                problems.append(f"event {number}: recorded {recorded}, its source {public_by}")
    assert problems == []


# --- Internal keys ----------------------------------------------------------------------

READER_FIELDS = (
    "title",
    "publisher",
    "published_note",
    "note",
    "url_description",
    "description",
    "summary",
    "data_entry_note",
    "reason",
    "placed_by",
    "outcome",
    "item",
    "locality_note",
    "quote",
    "said_by",
    "text",
)


def _texts(value, where):
    if isinstance(value, dict):
        for name, inner in value.items():
            if name in READER_FIELDS and isinstance(inner, str):
                yield f"{where}.{name}", inner
            elif isinstance(inner, (dict, list)):
                yield from _texts(inner, f"{where}.{name}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _texts(inner, f"{where}[{index}]")


def test_no_text_in_the_data_file_cites_a_source_by_its_internal_key():
    leaks = [f"{where}: {text}" for where, text in _texts(DATA, "data") if KEY.search(text)]
    assert leaks == []


def visible_text(html):
    """What a reader sees of a page: no tags, attributes, scripts or styles."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def reader_facing_pages():
    pages = [
        ("/", {}),
        ("/", {"as_at": "2018-03-13", "known_at": "2018-03-05"}),
        ("/team/", {"as_at": "2018-03-13"}),
        ("/team/", {"as_at": "2018-04-27"}),
        ("/functions/", {"as_at": "2018-04-27"}),
        ("/timeline/", {}),
        ("/timeline/", {"ccg": "thanet"}),
        ("/as-at/", {"as_at": "2018-03-20"}),
        ("/chart/", {"as_at": "2018-03-13"}),
        ("/briefing/", {"as_at": "2018-04-27", "since": "2018-01-01"}),
        ("/briefing/", {"as_at": "2018-04-27", "since": "2018-01-01", "notes": "1"}),
    ]
    for slug in (
        "ashford",
        "canterbury-and-coastal",
        "dartford-gravesham-and-swanley",
        "medway",
        "south-kent-coast",
        "swale",
        "thanet",
        "west-kent",
    ):
        pages.append((reverse("scrutiny:ccg", args=[slug]), {}))
    return pages


def test_no_page_a_reader_sees_shows_an_internal_source_key(signed_in, kent_medway):
    leaks = []
    for url, params in reader_facing_pages():
        response = signed_in.get(url, params)
        assert response.status_code == 200, url
        for match in KEY.finditer(visible_text(response.content.decode())):
            leaks.append(f"{url} {params}: …{match.string[match.start() - 60 : match.end() + 20]}…")
    assert leaks == []


def test_no_export_shows_an_internal_source_key(signed_in, kent_medway):
    leaks = []
    for url, params in [
        (reverse("scrutiny:timeline"), {"format": "csv"}),
        (reverse("scrutiny:feed"), {}),
        (reverse("scrutiny:calendar"), {}),
        (reverse("scrutiny:api-timeline"), {}),
        ("/api/membership/", {"as_at": "2018-04-27"}),
    ]:
        response = signed_in.get(url, params)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        leaks += [f"{url}: …{text[m.start() - 60 : m.end() + 20]}…" for m in KEY.finditer(text)]
    assert leaks == []


def test_no_page_or_export_says_a_meeting_was_held_when_no_source_does(signed_in, kent_medway):
    # The April paper shows only that the item was put to the 27 April meeting.
    chart = visible_text(signed_in.get("/chart/", {"as_at": "2018-04-27"}).content.decode())
    calendar = signed_in.get(reverse("scrutiny:calendar")).content.decode()
    assert "Scrutiny Committee, held" not in chart
    assert "Meeting held" not in calendar


def test_the_key_check_can_fail():
    assert KEY.search(visible_text("<p>Thanet joined (000, 002).</p>"))
    assert KEY.search(visible_text("<p>003 does not say which body decided.</p>"))
    assert not KEY.search(visible_text('<p class="x-003">ODS 09C, 10:00, 2018-04-27</p>'))


# --- Whole story ------------------------------------------------------------------------


def test_every_person_the_sources_name_is_in_the_record_with_the_role_they_give(seeds, kent_medway):
    everything = "\n".join(seeds.values())
    for name in PEOPLE:
        assert name in everything, f"{name} is not in the seeds: fix this list"
    assert set(Person.objects.values_list("name", flat=True)) >= PEOPLE
    roles = Claim.objects.filter(kind=ClaimKind.ROLE, date__isnull=False)
    assert {claim.person_name for claim in roles} >= PEOPLE


# What the sources announce, by a phrase of the source's own words.
ANNOUNCED = [
    "two design workshops",
    "a final session is taking place in early May",
    "established in a shadow form from April 2018",
    "no earlier than April 2019",
    "is expected to make a decision on 19 April",
    "a meeting of their GP membership on the 22 February",
]


def test_every_event_the_sources_announce_is_in_the_record(kent_medway):
    announced = list(Claim.objects.filter(kind=ClaimKind.ANNOUNCED))
    for phrase in ANNOUNCED:
        matches = [c for c in announced if phrase in c.quote]
        assert matches and all(c.date for c in matches), phrase
    # What a merger would need, and what the commissioner would and would not do, in the
    # sources' words.
    assert Claim.objects.filter(quote__contains="A proposal to merge would require").exists()
    assert Claim.objects.filter(kind=ClaimKind.WOULD).count() >= 5
    assert Claim.objects.filter(kind=ClaimKind.WOULD_NOT).count() >= 5
    # Where a source refers to something it lacks, the record says so.
    assert "STP Officers" in Source.objects.get(key="002").note


def test_both_sides_of_each_conflict_are_kept_with_their_sources(kent_medway):
    by_ccg = {c.ccg.name: c for c in Conflict.objects.select_related("ccg")}
    hazel = {claim.source.key for claim in by_ccg["South Kent Coast"].claims.all()}
    thanet = {claim.source.key for claim in by_ccg["Thanet"].claims.all()}
    assert hazel == {"000", "003"}
    assert thanet == {"002", "003"}
