"""The examples in the API's OpenAPI description: a request and the part of its answer it shows.

Each example is named; the request is the parameters' examples of that name, the answer
the response example of that name (the pairing OpenAPI tools use). An answer shows only
what it is about: a list shows some of the live list's items, in order, and an object some
of its keys, so an example never shows a database id. tests/scrutiny/test_openapi.py
sends every request to the live endpoint and checks the answer shows what the example does.
"""

THANET_DECLINED = (
    "Thanet CCG is “not pursuing a path to be a part of formal arrangements”; it will "
    "continue to work with the other CCGs on the development of the strategic commissioner."
)
STP_UPDATE = {
    "title": "Kent and Medway Strategic Commissioner Update February 2018",
    "publisher": "Kent and Medway Sustainability and Transformation Partnership",
    "published": "2018-02-27",
    "url": None,
    "url_description": None,
    "title_supplied_by_the_record": False,
}
ITEM_4 = {
    "title": "Item 4: Kent and Medway Strategic Commissioner",
    "publisher": "Kent County Council, Health Overview and Scrutiny Committee",
    "published": "2018-04",
    "url": "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=112&MId=7639&Ver=4",
    "url_description": "Background document named in the report: the committee's meeting "
    "of 26 January 2018 (not the report itself)",
    "title_supplied_by_the_record": False,
}
ITEM_4_LINK = {
    "url": ITEM_4["url"],
    "note": "Item 4: Kent and Medway Strategic Commissioner. Kent County Council, Health "
    "Overview and Scrutiny Committee, April 2018. The address leads to: Background document "
    "named in the report: the committee's meeting of 26 January 2018 (not the report itself).",
}
ARRANGEMENT = "arrangement/kent-and-medway-strategic-commissioner"
NO_SUCH_ARRANGEMENT = (
    "There is no arrangement ‘merger-2020’ in the record. The arrangements are: "
    "‘kent-and-medway-strategic-commissioner’ (Kent and Medway strategic commissioner)."
)


def no_such_arrangement(answer):
    return {
        "summary": "Refused: an arrangement the record does not hold",
        "params": {"arrangement": "merger-2020"},
        "status": 400,
        "answer": answer,
    }


EXAMPLES = {
    "membership": {
        "thanet_opted_out": {
            "summary": "13 March 2018: Thanet had opted out, by 27 February",
            "params": {"as_at": "2018-03-13"},
            "status": 200,
            "answer": {
                "as_at": "2018-03-13",
                "known_at": None,
                "members": [
                    {
                        "ccg": "Thanet",
                        "ods_code": "10E",
                        "locality": "East Kent",
                        "status": "opted_out",
                        "since": "2018-02-27",
                        "since_precision": "on_or_before",
                        "expected_decision": None,
                        "decision": {
                            "body": "not_stated",
                            "outcome": "declined",
                            "meeting_date": "2018-02-27",
                            "effective_date": "2018-02-27",
                            "expected_date": None,
                            "summary": THANET_DECLINED,
                        },
                        "sources": [STP_UPDATE],
                    }
                ],
            },
        },
        "as_recorded_on_1_march": {
            "summary": "20 March 2018 as recorded on 1 March: Thanet's joining not yet known",
            "params": {"as_at": "2018-03-20", "known_at": "2018-03-01"},
            "status": 200,
            "answer": {
                "as_at": "2018-03-20",
                "known_at": "2018-03-01",
                "members": [{"ccg": "Thanet", "status": "opted_out"}],
            },
        },
        "no_such_day": {
            "summary": "Refused: a day that does not exist",
            "params": {"as_at": "2018-02-31"},
            "status": 400,
            "answer": {
                "error": "The ‘in effect on’ date must be a real day: 31 February 2018 does "
                "not exist (February 2018 has 28 days)."
            },
        },
        "no_such_arrangement": no_such_arrangement({"error": NO_SUCH_ARRANGEMENT}),
    },
    "popolo": {
        "thanet_joined": {
            "summary": "20 March 2018: Thanet a member from 19 March, after declining",
            "params": {"as_at": "2018-03-20"},
            "status": 200,
            "answer": {
                "as_at": "2018-03-20",
                "known_at": None,
                "organizations": [
                    {
                        "id": ARRANGEMENT,
                        "name": "Kent and Medway strategic commissioner",
                        "classification": "Joint committee of the eight CCGs",
                    },
                    {
                        "id": "ccg/thanet",
                        "name": "Thanet CCG",
                        "classification": "clinical commissioning group",
                        "identifiers": [{"scheme": "NHS ODS code", "identifier": "10E"}],
                        "parent_id": "locality-group/east-kent",
                    },
                ],
                "memberships": [
                    {
                        "id": "membership/thanet",
                        "role": "member",
                        "member": {"@type": "Organization", "id": "ccg/thanet"},
                        "organization_id": ARRANGEMENT,
                        "start_date": "2018-03-19",
                        "sources": [ITEM_4_LINK],
                    }
                ],
                "vote_events": [
                    {
                        "organization_id": "ccg/thanet",
                        "result": "declined",
                        "legislative_session": {
                            "name": "Thanet CCG: deciding body not stated, by 27 February 2018",
                            "start_date": None,
                            "start_date_no_later_than": "2018-02-27",
                        },
                    },
                    {
                        "organization_id": "ccg/thanet",
                        "result": "agreed",
                        "legislative_session": {"start_date": "2018-03-19"},
                        "sources": [ITEM_4_LINK],
                    },
                ],
            },
        },
        "not_a_date": {
            "summary": "Refused: a date not written YYYY-MM-DD",
            "params": {"known_at": "13/03/2018"},
            "status": 400,
            "answer": {
                "error": "The ‘as recorded on’ date must be a date written YYYY-MM-DD, "
                "for example 2018-03-13."
            },
        },
        "no_such_arrangement": no_such_arrangement({"error": NO_SUCH_ARRANGEMENT}),
    },
    "timeline": {
        "thanet_decisions": {
            "summary": "Thanet's decisions: declined by 27 February 2018, agreed on 19 March",
            "params": {"ccg": "thanet", "kind": ["decision"]},
            "status": 200,
            "answer": {
                "events": [
                    {
                        "date": "2018-02-27",
                        "date_precision": "on_or_before",
                        "date_display": "by 27 February 2018",
                        "kind": "decision",
                        "ccg": "Thanet",
                        "locality": "East Kent",
                        "person": None,
                        "title": "Thanet: decided not to join (deciding body not stated)",
                        "detail": THANET_DECLINED,
                        "recorded_at": "2018-02-27T09:06:00+00:00",
                        "sources": [STP_UPDATE],
                    },
                    {
                        "date": "2018-03-19",
                        "date_precision": "day",
                        "date_display": "19 March 2018",
                        "title": "Thanet: agreed to join (deciding body not stated)",
                        "sources": [ITEM_4],
                    },
                ],
                "next": None,
                "previous": None,
            },
        },
        "bad_date_to": {
            "summary": "Refused: each refused filter and why",
            "params": {"date_to": "tomorrow"},
            "status": 400,
            "answer": {
                "error": "Some filters are not valid.",
                "fields": {
                    "date_to": [
                        "The 'to' date must be a date written YYYY-MM-DD, for example 2018-03-13."
                    ]
                },
            },
        },
        "no_such_arrangement": no_such_arrangement(
            {"error": NO_SUCH_ARRANGEMENT, "fields": {"arrangement": [NO_SUCH_ARRANGEMENT]}}
        ),
    },
}


def parameter(name):
    """The examples of the parameter ``name`` ("membership.as_at"), by example name."""
    operation, param = name.split(".")
    found = {
        key: {"summary": example["summary"], "value": example["params"][param]}
        for key, example in EXAMPLES[operation].items()
        if param in example["params"]
    }
    return found or None


def responses(operation):
    """The answers of ``operation``'s examples, by status, for ninja's ``openapi_extra``."""
    by_status = {}
    for key, example in EXAMPLES[operation].items():
        by_status.setdefault(example["status"], {})[key] = {
            "summary": example["summary"],
            "value": example["answer"],
        }
    return {
        "responses": {
            status: {"content": {"application/json": {"examples": named}}}
            for status, named in by_status.items()
        }
    }
