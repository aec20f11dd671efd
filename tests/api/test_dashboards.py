"""The home page's dashboards over GraphQL (issue 5): « à traiter » / « en attente » for operator users, a
representative (across the operators it acts for, each row naming its operator) and customs officers; counts per
bucket; filters by status, procedure and operator; search by reference, operator name or SIRET; sorts; cursor
pagination.

Every actor here is fresh (new operators with valid SIRETs, a new customs office), and the dossiers are written
straight to the database with chosen statuses and dates, so that every count is exact whatever else the suite did.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import httpx
import pytest

from backend.clock import PARIS, paris_today
from backend.db import Database, utcnow
from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from tests.processing_support import (
    CLAIRE,
    DASHBOARD,
    DEMO_OFFICE,
    HUGO,
    Company,
    code_of,
    dashboard,
    global_id,
    new_office,
    new_siret,
    ok,
    operator_by_siret,
    refused,
    unique_sub,
    user_by_sub,
)

S = DossierStatus


@dataclass(frozen=True)
class Row:
    key: str
    company: str  # "A" or "B"
    status: DossierStatus
    procedure: str
    office: str | None  # None: the scenario's fresh office
    minutes: int  # updated_at = base + minutes (ties on purpose)
    hearing_days_ago: int | None = None


ROWS = [
    Row("a1", "A", S.DRAFT, "TEA", None, 5),
    Row("a2", "A", S.COMPLEMENT_REQUESTED, "CW", None, 9),
    Row("a3", "A", S.HEARING, "IPO", None, 3, hearing_days_ago=2),
    Row("a4", "A", S.HEARING, "TEA", None, 7, hearing_days_ago=40),
    Row("a5", "A", S.SUBMITTED, "EUS", None, 7),  # same updated_at as a4
    Row("a6", "A", S.ACCEPTED, "TEA", None, 1),
    Row("a7", "A", S.GRANTED, "TEA", None, 11),
    Row("a8", "A", S.SUBMITTED, "OPO", DEMO_OFFICE, 2),
    Row("b1", "B", S.DRAFT, "TEA", None, 8),
    Row("b2", "B", S.SUBMITTED, "CW", None, 7),  # a third tie
    Row("b3", "B", S.ACCEPTED, "IPO", None, 4),
]
# References sort in another order than the dates.
REFERENCE_ORDER = ["b3", "a7", "a1", "b1", "a5", "a2", "a8", "a4", "b2", "a6", "a3"]


@dataclass
class Scenario:
    a: Company
    b: Company
    r: Company  # represents A and B
    office: str
    officer: httpx.Client
    ids: dict[str, str]  # row key → Dossier global id
    numeric: dict[str, int]
    references: dict[str, str]
    updated: dict[str, dt.datetime]
    operator_ids: dict[str, str]  # "A"/"B" → Operator global id

    def keys(self, page: dict) -> list[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return [by_id[item["dossier"]["id"]] for item in page["items"]]


@pytest.fixture(scope="module")
async def scenario(live_server, people) -> Scenario:
    run = uuid.uuid4().hex[:6]
    a = people.company(f"Fonderie Zéphyr {run}")
    b = people.company(f"Verrerie Quartz {run}")
    r = people.company(f"Transit Rapide {run}")
    people.mandate(a, r)
    people.mandate(b, r)
    office = new_office()
    officer = people.officer(office, "Agente Dashboards")
    base = utcnow().replace(microsecond=0) - dt.timedelta(days=1)
    now = utcnow()
    database = Database(live_server.settings)
    ids, numeric, references, updated = {}, {}, {}, {}
    try:
        async with database.session() as session:
            owners = {
                "A": (await operator_by_siret(session, a.siret), await user_by_sub(session, a.admin_sub)),
                "B": (await operator_by_siret(session, b.siret), await user_by_sub(session, b.admin_sub)),
            }
            for row in ROWS:
                operator, user = owners[row.company]
                at = base + dt.timedelta(minutes=row.minutes)
                reference = f"SOP-D-{run}-{REFERENCE_ORDER.index(row.key):02d}"
                dossier = Dossier(
                    reference=reference,
                    operator_id=operator.id,
                    procedure=row.procedure,
                    status=row.status,
                    data={"applicant.name": operator.legal_name},
                    customs_office=row.office or office,
                    created_by_id=user.id,
                    updated_by_id=user.id,
                    created_at=base,
                    updated_at=at,
                    submitted_at=None if row.status is S.DRAFT else base,
                    accepted_at=base if row.status in (S.ACCEPTED, S.HEARING, S.GRANTED) else None,
                    hearing_started_at=now - dt.timedelta(days=row.hearing_days_ago)
                    if row.hearing_days_ago is not None
                    else None,
                )
                session.add(dossier)
                await session.flush()
                session.add(
                    DossierEvent(dossier_id=dossier.id, kind="created", actor_id=user.id, to_status="draft")
                )
                ids[row.key] = global_id("Dossier", dossier.id)
                numeric[row.key] = dossier.id
                references[row.key] = reference
                updated[row.key] = at
            await session.commit()
            operator_ids = {k: global_id("Operator", v[0].id) for k, v in owners.items()}
    finally:
        await database.dispose()
    return Scenario(a, b, r, office, officer, ids, numeric, references, updated, operator_ids)


# --- buckets and counts -------------------------------------------------------------------------------------------


def test_an_operator_user_must_act_on_drafts_complements_and_hearings(scenario):
    todo = dashboard(scenario.a.admin, "TODO")
    assert set(scenario.keys(todo)) == {"a1", "a2", "a3", "a4"}
    assert todo["counts"] == {"todo": 4, "waiting": 3}
    assert todo["totalCount"] == 4
    waiting = dashboard(scenario.a.admin, "WAITING")
    assert set(scenario.keys(waiting)) == {"a5", "a6", "a8"}
    assert waiting["counts"] == {"todo": 4, "waiting": 3} and waiting["totalCount"] == 3
    everything = dashboard(scenario.a.admin, "ALL")
    assert set(scenario.keys(everything)) == {f"a{i}" for i in range(1, 9)}  # the granted one too
    assert everything["totalCount"] == 8
    assert {item["operator"]["siret"] for item in everything["items"]} == {scenario.a.siret}
    statuses = {scenario.keys({"items": [i]})[0]: i["dossier"]["status"] for i in everything["items"]}
    assert statuses["a2"] == "COMPLEMENT_REQUESTED" and statuses["a7"] == "GRANTED"


def test_another_operator_sees_only_its_own(scenario):
    todo = dashboard(scenario.b.admin, "TODO")
    assert set(scenario.keys(todo)) == {"b1"}
    assert todo["counts"] == {"todo": 1, "waiting": 2}
    assert set(scenario.keys(dashboard(scenario.b.admin, "WAITING"))) == {"b2", "b3"}
    assert dashboard(scenario.b.admin, "ALL", operatorIds=[scenario.operator_ids["A"]])["totalCount"] == 0


def test_a_representative_sees_every_operator_it_acts_for_each_row_naming_its_operator(scenario):
    todo = dashboard(scenario.r.admin, "TODO")
    assert set(scenario.keys(todo)) == {"a1", "a2", "a3", "a4", "b1"}
    assert todo["counts"] == {"todo": 5, "waiting": 5}
    waiting = dashboard(scenario.r.admin, "WAITING")
    assert set(scenario.keys(waiting)) == {"a5", "a6", "a8", "b2", "b3"}
    names = {scenario.a.siret: scenario.a.name, scenario.b.siret: scenario.b.name}
    for item in todo["items"] + waiting["items"]:
        key = scenario.keys({"items": [item]})[0]
        company = scenario.a if key.startswith("a") else scenario.b
        assert item["operator"]["siret"] == company.siret
        assert item["operator"]["legalName"] == names[company.siret]
    # The representative's own operator has no dossier here: nothing of its own shows.
    assert dashboard(scenario.r.admin, "ALL")["totalCount"] == 11


def test_an_officer_must_act_on_submissions_acceptances_and_expired_hearings(scenario):
    todo = dashboard(scenario.officer, "TODO")
    assert set(scenario.keys(todo)) == {"a4", "a5", "a6", "b2", "b3"}
    assert todo["counts"] == {"todo": 5, "waiting": 2}
    waiting = dashboard(scenario.officer, "WAITING")
    assert set(scenario.keys(waiting)) == {"a2", "a3"}
    # Drafts never reach customs; another office's dossier neither.
    everything = dashboard(scenario.officer, "ALL")
    assert set(scenario.keys(everything)) == {"a2", "a3", "a4", "a5", "a6", "a7", "b2", "b3"}
    assert {item["dossier"]["customsOffice"] for item in everything["items"]} == {scenario.office}


def test_an_officer_of_another_office_sees_none_of_its_dossiers(scenario, people):
    hugo = people(HUGO, accept=False)
    operators = [scenario.operator_ids["A"], scenario.operator_ids["B"]]
    for bucket in ("TODO", "WAITING", "ALL"):
        page = dashboard(hugo, bucket, operatorIds=operators)
        assert page["totalCount"] == 0 and page["items"] == [], page
        assert page["counts"] == {"todo": 0, "waiting": 0}
    # Nothing addressed to FR000690 in Hugo's whole dashboard.
    after = None
    while True:
        page = dashboard(hugo, "ALL", first=100, **({"after": after} if after else {}))
        assert all(item["dossier"]["customsOffice"] == "FR002300" for item in page["items"]), page
        assert scenario.ids["a8"] not in {item["dossier"]["id"] for item in page["items"]}
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    # FR000690 sees its dossier of operator A, and only that one.
    claire = people(CLAIRE, accept=False)
    assert set(scenario.keys(dashboard(claire, "ALL", operatorIds=[scenario.operator_ids["A"]]))) == {"a8"}
    assert set(scenario.keys(dashboard(claire, "WAITING", operatorIds=[scenario.operator_ids["A"]]))) == set()
    assert set(scenario.keys(dashboard(claire, "TODO", operatorIds=[scenario.operator_ids["A"]]))) == {"a8"}


# --- filters and search -------------------------------------------------------------------------------------------


def test_filters_by_status(scenario):
    page = dashboard(scenario.a.admin, "TODO", statuses=["HEARING"])
    assert set(scenario.keys(page)) == {"a3", "a4"}
    assert page["totalCount"] == 2  # the list and its total follow the statuses...
    assert page["counts"] == {"todo": 4, "waiting": 3}  # ... the tabs' counts do not: every status of their bucket
    page = dashboard(scenario.r.admin, "ALL", statuses=["SUBMITTED", "ACCEPTED"])
    assert set(scenario.keys(page)) == {"a5", "a6", "a8", "b2", "b3"}
    assert page["totalCount"] == 5
    assert page["counts"] == {"todo": 5, "waiting": 5}
    page = dashboard(scenario.r.admin, "WAITING", statuses=["DRAFT"])
    assert page["totalCount"] == 0 and page["items"] == [] and page["counts"] == {"todo": 5, "waiting": 5}
    assert set(scenario.keys(dashboard(scenario.officer, "TODO", statuses=["HEARING"]))) == {"a4"}
    assert set(scenario.keys(dashboard(scenario.officer, "WAITING", statuses=["HEARING"]))) == {"a3"}
    assert dashboard(scenario.a.admin, "ALL", statuses=["WITHDRAWN"])["totalCount"] == 0


def test_filters_by_procedure(scenario):
    assert set(scenario.keys(dashboard(scenario.a.admin, "ALL", procedures=["TEA"]))) == {"a1", "a4", "a6", "a7"}
    assert set(scenario.keys(dashboard(scenario.a.admin, "TODO", procedures=["TEA"]))) == {"a1", "a4"}
    page = dashboard(scenario.r.admin, "ALL", procedures=["CW", "IPO"])
    assert set(scenario.keys(page)) == {"a2", "a3", "b2", "b3"}
    assert page["counts"] == {"todo": 2, "waiting": 2}
    assert set(scenario.keys(dashboard(scenario.officer, "TODO", procedures=["IPO"]))) == {"b3"}


def test_filters_by_operator(scenario):
    a, b = scenario.operator_ids["A"], scenario.operator_ids["B"]
    assert set(scenario.keys(dashboard(scenario.r.admin, "TODO", operatorIds=[b]))) == {"b1"}
    assert set(scenario.keys(dashboard(scenario.r.admin, "WAITING", operatorIds=[a]))) == {"a5", "a6", "a8"}
    assert dashboard(scenario.r.admin, "ALL", operatorIds=[a, b])["totalCount"] == 11
    assert set(scenario.keys(dashboard(scenario.officer, "TODO", operatorIds=[b]))) == {"b2", "b3"}
    # Another operator named in the filter adds nothing (it is not theirs).
    assert set(scenario.keys(dashboard(scenario.a.admin, "ALL", operatorIds=[b]))) == set()


def test_the_counts_follow_every_filter_but_the_statuses(scenario):
    a = scenario.operator_ids["A"]
    page = dashboard(scenario.r.admin, "TODO", statuses=["DRAFT"], operatorIds=[a], procedures=["TEA"])
    assert set(scenario.keys(page)) == {"a1"}
    assert page["counts"] == {"todo": 2, "waiting": 1}  # a1, a4 / a6: operator A's TEA dossiers
    page = dashboard(scenario.officer, "WAITING", statuses=["HEARING"], search=scenario.references["a3"])
    assert set(scenario.keys(page)) == {"a3"} and page["counts"] == {"todo": 0, "waiting": 1}


def test_combined_filters(scenario):
    page = dashboard(
        scenario.r.admin,
        "ALL",
        statuses=["SUBMITTED", "DRAFT"],
        procedures=["TEA", "CW"],
        operatorIds=[scenario.operator_ids["B"]],
    )
    assert set(scenario.keys(page)) == {"b1", "b2"}
    assert page["counts"] == {"todo": 1, "waiting": 1}


def test_search_by_reference_operator_name_or_siret(scenario):
    reference = scenario.references["a5"]
    assert set(scenario.keys(dashboard(scenario.r.admin, "ALL", search=reference))) == {"a5"}
    assert set(scenario.keys(dashboard(scenario.r.admin, "ALL", search=f"  {reference.lower()} "))) == {"a5"}
    page = dashboard(scenario.r.admin, "WAITING", search=reference)
    assert set(scenario.keys(page)) == {"a5"} and page["counts"] == {"todo": 0, "waiting": 1}
    assert dashboard(scenario.r.admin, "TODO", search=reference)["totalCount"] == 0
    run_name = scenario.a.name.split()[-1]
    assert len(set(scenario.keys(dashboard(scenario.r.admin, "ALL", search=f"zéphyr {run_name}")))) == 8
    assert set(scenario.keys(dashboard(scenario.r.admin, "ALL", search="QUARTZ " + run_name))) == {
        "b1",
        "b2",
        "b3",
    }
    assert set(scenario.keys(dashboard(scenario.r.admin, "ALL", search=scenario.b.siret))) == {"b1", "b2", "b3"}
    assert set(scenario.keys(dashboard(scenario.officer, "ALL", search="quartz " + run_name))) == {"b2", "b3"}
    assert dashboard(scenario.r.admin, "ALL", search="aucun-dossier-ne-porte-ce-nom")["totalCount"] == 0


# --- sort and pagination ------------------------------------------------------------------------------------------


def expected_order(scenario: Scenario, sort: str) -> list[str]:
    rows = list(scenario.ids)
    if sort == "REFERENCE":
        return sorted(rows, key=lambda k: (scenario.references[k], scenario.numeric[k]))
    ascending = sorted(rows, key=lambda k: (scenario.updated[k], scenario.numeric[k]))
    return ascending if sort == "UPDATED_ASC" else ascending[::-1]


@pytest.mark.parametrize("sort", ["UPDATED_DESC", "UPDATED_ASC", "REFERENCE"])
def test_sorts(scenario, sort):
    page = dashboard(scenario.r.admin, "ALL", sort=sort)
    assert scenario.keys(page) == expected_order(scenario, sort)
    if sort == "REFERENCE":
        assert scenario.keys(page) == REFERENCE_ORDER
    if sort == "UPDATED_DESC":
        assert scenario.keys(page)[0] == "a7"  # the last updated first


@pytest.mark.parametrize("sort", ["UPDATED_DESC", "UPDATED_ASC", "REFERENCE"])
def test_pages_of_two_walk_every_row_once_in_order(scenario, sort):
    walked, after, pages = [], None, 0
    while True:
        page = dashboard(scenario.r.admin, "ALL", sort=sort, first=2, **({"after": after} if after else {}))
        pages += 1
        assert len(page["items"]) <= 2
        assert page["totalCount"] == 11
        walked += scenario.keys(page)
        if not page["hasNextPage"]:
            assert page["endCursor"] is None
            break
        assert len(page["items"]) == 2 and page["endCursor"]
        after = page["endCursor"]
        assert pages < 20, "pagination does not end"
    assert len(walked) == len(set(walked)) == 11
    assert walked == expected_order(scenario, sort)
    assert pages == 6


def test_pages_of_a_bucket_with_filters(scenario):
    walked, after = [], None
    while True:
        page = dashboard(
            scenario.officer, "TODO", first=2, sort="REFERENCE", **({"after": after} if after else {})
        )
        walked += scenario.keys(page)
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert walked == [k for k in REFERENCE_ORDER if k in {"a4", "a5", "a6", "b2", "b3"}]


def test_a_bad_cursor_is_refused(scenario):
    page = dashboard(scenario.r.admin, "ALL", first=2, sort="REFERENCE")
    variables = {"bucket": "ALL", "sort": "UPDATED_DESC", "first": 2}
    for cursor in ("pas-un-curseur", page["endCursor"]):  # garbage, or a cursor of another sort
        error = refused(scenario.r.admin, DASHBOARD, {**variables, "after": cursor})
        assert code_of(error) == "INVALID"
        assert error["extensions"]["field"] == "after"
        assert error["message"] == "Curseur de pagination invalide."


def test_the_page_size_is_bounded(scenario):
    assert len(dashboard(scenario.r.admin, "ALL", first=0)["items"]) == 1
    assert len(dashboard(scenario.r.admin, "ALL", first=-5)["items"]) == 1
    assert len(dashboard(scenario.r.admin, "ALL", first=1000)["items"]) == 11


# --- who may ask --------------------------------------------------------------------------------------------------


def test_anonymous_and_terms_not_accepted(live_server, people):
    with httpx.Client(base_url=live_server.url) as anonymous:
        assert code_of(refused(anonymous, DASHBOARD, {"bucket": "TODO", "sort": "UPDATED_DESC", "first": 5})) == (
            "UNAUTHENTICATED"
        )
    newcomer = people(
        unique_sub("newcomer"),
        claims={"name": "Nouveau", "siret": new_siret(), "organization": "Nouvelle"},
        accept=False,
    )
    error = refused(newcomer, DASHBOARD, {"bucket": "TODO", "sort": "UPDATED_DESC", "first": 5})
    assert code_of(error) == "TERMS_NOT_ACCEPTED"


# --- the officer's "hearing expired" follows the hearing deadline ---------------------------------------------------


async def test_the_hearing_is_not_expired_for_customs_while_its_deadline_is_not_overdue(live_server, people):
    """On the hearing deadline's last day the applicant may still answer (`Deadline.overdue` is false): customs
    must still wait. The dashboard compares timestamps (started ≤ now − 30 days) where the deadline compares dates."""
    company = people.company(f"Audition {uuid.uuid4().hex[:6]}")
    office = new_office()
    officer = people.officer(office)
    today = paris_today()  # deadlines count French calendar days
    started = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(0, 0), tzinfo=PARIS)
    database = Database(live_server.settings)
    try:
        async with database.session() as session:
            operator = await operator_by_siret(session, company.siret)
            user = await user_by_sub(session, company.admin_sub)
            dossier = Dossier(
                reference=f"SOP-H-{uuid.uuid4().hex[:10]}",
                operator_id=operator.id,
                procedure="TEA",
                status=S.HEARING,
                data={},
                customs_office=office,
                created_by_id=user.id,
                updated_by_id=user.id,
                submitted_at=started,
                accepted_at=started,
                hearing_started_at=started,
            )
            session.add(dossier)
            await session.commit()
            dossier_id = global_id("Dossier", dossier.id)
    finally:
        await database.dispose()
    seen = ok(
        officer, "query($id: ID!) { dossier(id: $id) { deadline { kind due overdue } } }", {"id": dossier_id}
    )
    assert seen["dossier"]["deadline"] == {"kind": "hearing", "due": today.isoformat(), "overdue": False}
    page = dashboard(officer, "WAITING")
    assert [item["dossier"]["id"] for item in page["items"]] == [dossier_id], page
    assert page["counts"] == {"todo": 0, "waiting": 1}


# --- the SQL of one request: no statement per row, one connection ---------------------------------------------------

HOME = """
query Home($first: Int!) {
  dashboard(bucket: ALL, first: $first) {
    totalCount counts { todo waiting }
    items {
      dossier {
        id reference status deadline { kind due overdue } availableActions actions { code } updatedBy
        assignedOfficer operator { legalName } goods { id }
      }
      operator { siret }
    }
  }
}"""


async def test_the_home_page_reads_a_page_of_rows_in_as_many_statements_as_a_single_row(live_server, scenario):
    """Per-row fields (last editor, operator, goods, deadline, actions) are batched per page, and the resolvers
    share one connection instead of each taking one from the pool at the same time."""
    from sqlalchemy import event

    from backend.api.context import Context, Portal
    from backend.api.schema import schema
    from backend.identity.actor import Actor

    database = Database(live_server.settings)
    statements: list[str] = []
    connections: list[object] = []
    event.listen(database.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    event.listen(database.engine.sync_engine, "connect", lambda *a: connections.append(a[0]))
    try:
        async with database.session() as session:
            user = await user_by_sub(session, scenario.r.admin_sub)
        portal = Portal(settings=live_server.settings, db=database, issuer=live_server.settings.oidc_issuer)

        async def home(first: int) -> tuple[dict, int, int]:
            context = Context(portal=portal, actor=Actor(user=user, via="session", session_id="test"))
            before, opened = len(statements), len(connections)
            result = await schema.execute(HOME, variable_values={"first": first}, context_value=context)
            assert result.errors is None, result.errors
            return result.data["dashboard"], len(statements) - before, len(connections) - opened

        await home(1)  # the pool's first connection
        one, one_statements, _ = await home(1)
        page, page_statements, opened = await home(11)
    finally:
        await database.dispose()
    assert len(one["items"]) == 1 and len(page["items"]) == 11
    assert page_statements == one_statements, statements[-page_statements:]
    # Access (4), the two counts and the total of « tous », the page, then one each for names, operators and goods.
    assert page_statements <= 11, statements[-page_statements:]
    assert opened == 0, "the resolvers opened new connections"
    assert {item["dossier"]["updatedBy"] for item in page["items"]} == {
        f"Admin {scenario.a.name}",
        f"Admin {scenario.b.name}",
    }
    assert all(item["dossier"]["operator"]["legalName"] for item in page["items"])
