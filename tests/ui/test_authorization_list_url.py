"""The address of /autorisations (ui/pages/authorizations/list_url): what a link names is read back exactly, defaults
leave a plain address, and whatever a person types into the address bar opens the list (unknown or malformed values
dropped, never refused)."""

from __future__ import annotations

import pytest

from ui.pages.authorizations import MAX_SHOWN, PAGE_SIZE, PROCEDURES, SORTS, STATES, list_url
from ui.pages.authorizations.list_url import AuthorizationListQuery, days_value, parse, to_query


def read(query: str) -> AuthorizationListQuery:
    return parse(query, PAGE_SIZE, MAX_SHOWN)


def test_a_view_written_to_the_address_is_read_back_the_same():
    view = AuthorizationListQuery(
        state="SUSPENDED",
        procedure="EUS",
        days=90,
        search="Ateliers & fils",
        sort="REFERENCE",
        shown=60,
    )
    query = to_query(view)
    assert query == "?etat=SUSPENDED&regime=EUS&expire=90&q=Ateliers+%26+fils&tri=REFERENCE&nombre=60"
    assert read(query) == view
    assert read(query.lstrip("?")) == view  # with or without the « ? »


@pytest.mark.parametrize(
    "view",
    [
        AuthorizationListQuery(state="ACTIVE"),
        AuthorizationListQuery(procedure="OPO", sort="ISSUED_DESC"),
        AuthorizationListQuery(days=0),
        AuthorizationListQuery(to_do="decider"),
        AuthorizationListQuery(to_do="renouveler", search="FRTEA"),
        AuthorizationListQuery(days=3650),
        AuthorizationListQuery(search="FRTEA0001 été / 50 % ?#=&"),
        AuthorizationListQuery(search="x" * 200),
        AuthorizationListQuery(shown=100),
    ],
)
def test_each_part_of_a_view_survives_the_round_trip(view):
    assert read(to_query(view)) == view


def test_the_default_view_has_a_plain_address():
    assert to_query(AuthorizationListQuery()) == ""
    assert to_query(AuthorizationListQuery(sort="VALID_UNTIL")) == ""  # the default sort is left out
    assert read("") == AuthorizationListQuery()
    assert read("?") == AuthorizationListQuery()


def test_unknown_or_malformed_values_are_dropped_not_refused():
    garbage = "?etat=suspendue&regime=t-e-a&tri=DROP&expire=beaucoup&nombre=-5&inconnu=1&q=%ZZ"
    assert read(garbage) == AuthorizationListQuery(search="%ZZ")  # a search is text: taken as typed
    assert read("?etat=&regime=&expire=&q=&tri=&nombre=") == AuthorizationListQuery()
    assert read("?etat=ACTIVE&etat=SUSPENDED").state == "ACTIVE"  # a repeated parameter: its first value
    assert read("?etat=<script>alert(1)</script>") == AuthorizationListQuery()


@pytest.mark.parametrize(
    ("given", "days"),
    [
        ("0", 0),
        ("90", 90),
        ("090", 90),
        (" 30 ", 30),
        ("3650", 3650),
        ("3651", None),
        ("10000", None),
        ("-1", None),
        ("9.5", None),
        ("1e3", None),
        ("²", None),  # str.isdigit says yes, int() says no
        ("٣", None),  # an Arabic-Indic digit
        ("", None),
    ],
)
def test_expire_is_a_number_of_days_from_0_to_3650(given, days):
    assert read(f"?expire={given}").days == days
    assert days_value(given) == days


def test_the_rows_shown_stay_within_one_page_of_the_api():
    assert read("?nombre=10").shown == 0  # within the first page: nothing more to ask
    assert read(f"?nombre={PAGE_SIZE}").shown == 0
    assert read("?nombre=40").shown == 40
    assert read("?nombre=5000").shown == MAX_SHOWN
    assert read("?nombre=beaucoup").shown == 0


def test_a_long_search_is_cut_to_200_characters_not_refused():
    assert read("?q=" + "a" * 1000).search == "a" * 200
    assert len(read("?q=" + "é" * 300).search) == 200


def test_a_search_loses_its_control_characters_and_surrounding_spaces():
    assert read("?q=%20%20FRTEA%00%0A12%20").search == "FRTEA12"
    assert list_url.clean_search("  Durand\t ") == "Durand"


def test_the_address_offers_exactly_the_lists_choices():
    """The codes the address accepts are those the list's selects offer (its « Tous » choice aside)."""
    assert list_url.STATES == tuple(code for code, _ in STATES if code)
    assert list_url.PROCEDURES == tuple(code for code, _ in PROCEDURES if code)
    assert list_url.SORTS == tuple(code for code, _ in SORTS)
    assert list_url.DEFAULT_SORT == SORTS[0][0]


def test_an_unknown_to_do_list_is_dropped_and_a_known_one_kept():
    assert read("?traiter=decider").to_do == "decider"
    assert read("?traiter=repondre").to_do == "repondre"
    assert read("?traiter=tout").to_do == ""
    assert to_query(AuthorizationListQuery(to_do="renouveler")) == "?traiter=renouveler"


def _links(node) -> list[tuple[str, str]]:
    """(href, text) of every link in a rendered VDOM tree."""
    if not isinstance(node, dict):
        return []
    found = []
    if node.get("tagName") == "a":
        found.append((node["attributes"]["href"], "".join(c for c in node["children"] if isinstance(c, str))))
    for child in node.get("children", []):
        found += _links(child)
    return found


def test_a_to_do_box_with_more_items_than_shown_links_to_the_whole_list():
    from ui.pages.authorizations import _to_do

    item = {"id": "QXV0aG9yaXphdGlvbjox", "reference": "FRTEA000001"}
    longer = _to_do({"totalCount": 12, "items": [item]}, "decider", "{count}", lambda i: "", "")
    assert ("/autorisations?traiter=decider", "Voir les 12 autorisations à traiter") in _links(longer)
    assert read("?traiter=decider").to_do == "decider"  # the link opens that list
    whole = _to_do({"totalCount": 1, "items": [item]}, "decider", "{count}", lambda i: "", "")
    assert [href for href, _ in _links(whole)] == ["/autorisations/QXV0aG9yaXphdGlvbjox"]  # all shown: no link
