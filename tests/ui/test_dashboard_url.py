"""The dashboard's address (ui/components/dashboard_url): what a link names is read back exactly, defaults leave a
plain address, and whatever a person types into the address bar opens a dashboard (unknown values dropped)."""

from __future__ import annotations

from ui.components.dashboard_url import DashboardQuery, parse, to_query

PAGE, MAX = 20, 100


def test_a_view_written_to_the_address_is_read_back_the_same():
    view = DashboardQuery(
        bucket="WAITING",
        statuses=("SUBMITTED", "ACCEPTED"),
        procedure="TEA",
        taken="MINE",
        operator="T3BlcmF0b3I6MQ==",
        search="Ateliers & fils",
        sort="REFERENCE",
        shown=60,
    )
    query = to_query(view)
    assert query.startswith("?onglet=en-attente&statut=SUBMITTED,ACCEPTED&regime=TEA&prise=MINE")
    assert parse(query, PAGE, MAX) == view


def test_the_default_view_has_a_plain_address():
    assert to_query(DashboardQuery()) == ""
    assert parse("", PAGE, MAX) == DashboardQuery()


def test_unknown_or_malformed_values_are_dropped_not_refused():
    view = parse(
        "?onglet=ailleurs&statut=submitted,<b>,OK_CODE&tri=DROP&prise=x&nombre=-5&regime=t-e-a", PAGE, MAX
    )
    assert view == DashboardQuery(statuses=("OK_CODE",))


def test_the_rows_shown_stay_within_one_page_of_the_api():
    assert parse("?nombre=10", PAGE, MAX).shown == 0  # within the first page: nothing to ask more
    assert parse("?nombre=40", PAGE, MAX).shown == 40
    assert parse("?nombre=5000", PAGE, MAX).shown == MAX
    assert parse("?nombre=beaucoup", PAGE, MAX).shown == 0


def test_a_long_search_is_cut_not_refused():
    assert len(parse("?q=" + "a" * 1000, PAGE, MAX).search) == 200
