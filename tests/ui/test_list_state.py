"""A work list's address (ui/components/list_state, and the assistance and declarations lists' own): what a link names
is read back exactly, defaults leave a plain address, and whatever a person types into the address bar opens a list
(unknown or malformed values dropped)."""

from __future__ import annotations

import pytest

from ui.components.list_state import (
    Bucket,
    ListAddress,
    ListView,
    clean_search,
    encode_query,
    parse_shown,
    query_values,
    rows_shown,
)
from ui.components.work_list import MAX_SHOWN, PAGE_SIZE
from ui.pages.assistance import list_url as assistance_url
from ui.pages.declarations import list_url as declarations_url

BUCKETS = (Bucket("TODO", "a-traiter", "À traiter", "todo"), Bucket("DONE", "finies", "Finies", "done"))
SORTED = ListAddress(BUCKETS, sorts=("NEWEST", "OLDEST"))
UNSORTED = ListAddress(BUCKETS, safe="/")


def parse(address: ListAddress, query: str) -> ListView:
    return address.parse(query, PAGE_SIZE, MAX_SHOWN)


def test_a_view_written_to_the_address_is_read_back_the_same():
    view = ListView(bucket="DONE", search="Ateliers & fils", sort="OLDEST", shown=60)
    query = SORTED.to_query(view)
    assert query == "?onglet=finies&q=Ateliers+%26+fils&tri=OLDEST&nombre=60"
    assert parse(SORTED, query) == view


def test_the_default_view_has_a_plain_address():
    assert SORTED.default == ListView(bucket="TODO", sort="NEWEST")
    assert SORTED.to_query(SORTED.default) == ""
    assert parse(SORTED, "") == SORTED.default
    assert UNSORTED.default == ListView(bucket="TODO", sort="")


def test_unknown_or_malformed_values_fall_back_to_the_defaults():
    view = parse(SORTED, "?onglet=ailleurs&tri=DROP%20TABLE&nombre=beaucoup&q=%00%01")
    assert view == SORTED.default


def test_a_list_without_sort_never_reads_nor_writes_one():
    assert parse(UNSORTED, "?tri=NEWEST").sort == ""
    assert UNSORTED.to_query(ListView(bucket="TODO", sort="NEWEST")) == ""


def test_kept_parameters_come_first_with_their_slashes():
    query = UNSORTED.to_query(ListView(bucket="DONE", search="a/b"), keep={"page": "/soprano/dossiers"})
    assert query == "?page=/soprano/dossiers&onglet=finies&q=a/b"
    assert SORTED.to_query(ListView(bucket="TODO", sort="NEWEST", search="a/b")) == "?q=a%2Fb"


def test_a_link_to_a_tab_names_it_even_when_it_is_the_default():
    assert SORTED.href("/liste") == "/liste?onglet=a-traiter"
    assert SORTED.href("/liste", "DONE") == "/liste?onglet=finies"
    assert assistance_url.list_href("/assistance") == "/assistance?onglet=a-traiter"


@pytest.mark.parametrize(
    ("text", "shown"),
    [("", 0), ("10", 0), ("20", 0), ("21", 21), ("40", 40), ("5000", MAX_SHOWN), ("-5", 0), ("beaucoup", 0)],
)
def test_the_rows_shown_stay_within_one_page_of_the_api(text, shown):
    assert parse_shown(text, PAGE_SIZE, MAX_SHOWN) == shown
    assert parse(SORTED, f"?nombre={text}").shown == shown


def test_rows_shown_within_the_first_page_are_not_kept():
    assert rows_shown(PAGE_SIZE, PAGE_SIZE, MAX_SHOWN) == 0
    assert rows_shown(PAGE_SIZE + 1, PAGE_SIZE, MAX_SHOWN) == PAGE_SIZE + 1
    assert rows_shown(1000, PAGE_SIZE, MAX_SHOWN) == MAX_SHOWN


def test_a_search_loses_its_control_characters_and_is_cut_not_refused():
    assert clean_search("  Du\x00rand\t ") == "Durand"
    assert len(parse(SORTED, "?q=" + "a" * 1000).search) == 200


def test_query_values_take_the_first_value_stripped():
    value = query_values("?q=+un+&q=deux")
    assert value("q") == "un"
    assert value("absent") == ""
    assert encode_query([("a", ""), ("b", "1,2")], safe=",") == "?b=1,2"
    assert encode_query([("a", "")]) == ""


def test_the_assistance_and_declarations_lists_name_their_tabs_and_sorts_in_french():
    assistance = assistance_url.ADDRESS
    assert assistance.to_query(ListView(bucket="DONE", search="x", shown=40)) == "?onglet=closes&q=x&nombre=40"
    declarations = declarations_url.ADDRESS
    view = ListView(bucket="WAITING", sort="REFERENCE")
    assert declarations.to_query(view) == "?onglet=en-attente&tri=REFERENCE"
    assert parse(declarations, "?onglet=terminees&tri=UPDATED_ASC") == ListView(bucket="DONE", sort="UPDATED_ASC")
    assert parse(declarations, "?tri=NOPE").sort == "UPDATED_DESC"
