"""What `me` and `sopranoAccess` answer each actor, and the acting operator kept in the session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.auth.sessions import WebSession
from tests.api.access_matrix.runner import run_document
from tests.api.access_matrix.world import SIRETS, TERMS_NOT_ACCEPTED, fresh_siret
from tests.conftest import graphql, login, unique_sub

# --- `me`: the operators the actor may act for, and the right on each ---------------------------------------------

ME_OPERATORS = {
    # actor → [(operator, right, via, mandate scope)]
    "admin": [("DURAND", "SUBMIT", "OWN", None)],
    "consult": [("DURAND", "CONSULT", "OWN", None)],
    "submit": [("DURAND", "SUBMIT", "OWN", None)],
    "partner": [("RHONE", "SUBMIT", "OWN", None), ("DURAND", "PREPARE", "PARTNER", None)],
    "representative": [
        ("MARTIN", "SUBMIT", "OWN", None),
        ("DURAND", "SUBMIT", "REPRESENTATION", "FULL"),
        ("CHOCOLAT", "SUBMIT", "REPRESENTATION", "FULL"),
        ("VERRERIE", "SUBMIT", "REPRESENTATION", "PARTIAL"),
    ],
    "private": [],
    "officer": [],
    "officer2": [],
    "token": [("DURAND", "CONSULT", "OWN", None)],
    "member": [("DURAND", None, "OWN", None)],
    "newcomer": [("NEW", "SUBMIT", "OWN", None)],
}

ME_QUERY = """{ me { kind isAdmin termsAccepted actingOperator { legalName }
  operators { operator { legalName } right via scope isAdmin isActing } } }"""


@pytest.mark.parametrize("actor", list(ME_OPERATORS))
async def test_me_lists_the_operators_the_actor_may_act_for_with_the_right_on_each(world, actor_clients, actor):
    body = await run_document(actor_clients[actor], ME_QUERY)
    me = body["data"]["me"]
    names = {v: k for k, v in world.operator_names.items()}
    got = sorted((names[o["operator"]["legalName"]], o["right"], o["via"], o["scope"]) for o in me["operators"])
    assert got == sorted(ME_OPERATORS[actor], key=lambda e: (e[0], e[1] or "", e[2], e[3] or ""))
    # Only one actionable operator: it is the one acted for, without having to choose.
    actionable = [o for o in me["operators"] if o["right"]]
    if len(actionable) == 1:
        assert me["actingOperator"] == actionable[0]["operator"]
        assert actionable[0]["isActing"] is True
    elif len(actionable) > 1:
        assert me["actingOperator"] is None
    # Administration comes only from one's own operator, and a token never carries its creator's.
    admin_of = [names[o["operator"]["legalName"]] for o in me["operators"] if o["isAdmin"]]
    assert admin_of == {
        "admin": ["DURAND"],
        "partner": ["RHONE"],
        "representative": ["MARTIN"],
        "newcomer": ["NEW"],
    }.get(actor, [])
    if me["kind"] == "PROFESSIONAL":
        assert me["termsAccepted"] is (actor != "newcomer")


MAY_CREATE_DOSSIER = {
    "admin": True,
    "consult": False,  # consult right only
    "submit": True,
    "partner": True,  # prepare on Durand, submit on its own operator: the choice comes first
    "representative": True,
    "private": False,
    "officer": False,
    "officer2": False,
    "token": False,  # a consult token
    "member": False,  # a member without any right
    "newcomer": False,  # the CGU are not accepted yet
}


@pytest.mark.parametrize("actor", list(MAY_CREATE_DOSSIER))
async def test_me_says_whether_a_new_dossier_may_be_filed_as_create_dossier_decides(world, actor_clients, actor):
    body = await run_document(actor_clients[actor], "{ me { mayCreateDossier } }")
    assert body["data"]["me"]["mayCreateDossier"] is MAY_CREATE_DOSSIER[actor]


async def test_a_representative_picks_an_operator_and_it_is_kept_in_the_session(world, actor_clients):
    client = actor_clients["representative"]
    chocolat = world.operator_gid("CHOCOLAT")
    try:
        body = await run_document(
            client,
            "mutation($id: ID!) { selectActingOperator(operatorId: $id) { actingOperator { legalName } } }",
            {"id": chocolat},
        )
        assert (
            body["data"]["selectActingOperator"]["actingOperator"]["legalName"] == world.operator_names["CHOCOLAT"]
        )
        me = (
            await run_document(client, "{ me { actingOperator { id } operators { isActing operator { id } } } }")
        )["data"]["me"]
        assert me["actingOperator"]["id"] == chocolat
        assert [o["operator"]["id"] for o in me["operators"] if o["isActing"]] == [chocolat]
    finally:
        async with world.db.session() as session:
            await session.exec(
                sa.update(WebSession)
                .where(WebSession.id == world.sessions["representative"])
                .values(acting_operator_id=None)
            )
            await session.commit()


async def test_the_newcomer_is_asked_for_the_terms_until_accepting_them(live_server, provider):
    """A fresh professional: TERMS_NOT_ACCEPTED, reads the terms, accepts them, and SOPRANO answers."""
    client = login(live_server, provider, unique_sub("cgu"), {"name": "Lecteur CGU", "siret": fresh_siret()})
    try:
        refused = (await run_document(client, "{ representedEntities { id } }"))["errors"][0]
        assert refused["extensions"]["code"] == TERMS_NOT_ACCEPTED
        assert "conditions générales" in refused["message"]
        terms = (await run_document(client, "{ termsOfUse { version accepted } }"))["data"]["termsOfUse"]
        assert terms["accepted"] is False
        accepted = await run_document(
            client,
            "mutation($v: String!) { acceptTerms(version: $v) { accepted } }",
            {"v": terms["version"]},
        )
        assert accepted["data"]["acceptTerms"]["accepted"] is True
        assert (await run_document(client, "{ representedEntities { id } }"))["data"] == {
            "representedEntities": []
        }
        assert (await run_document(client, "{ me { termsAccepted } }"))["data"]["me"]["termsAccepted"] is True
    finally:
        client.close()


def test_the_partner_token_is_capped_even_when_naming_another_operator(world, actor_clients):
    """A token bound to Durand cannot act for another operator by naming it in the X-Operator header."""
    response = actor_clients["token"].post(
        "/graphql",
        json={"query": "{ me { actingOperator { siret } operators { operator { siret } } } }"},
        headers={"X-Operator": SIRETS["CHOCOLAT"]},
    )
    me = response.json()["data"]["me"]
    assert me["actingOperator"] == {"siret": SIRETS["DURAND"]}
    assert [o["operator"]["siret"] for o in me["operators"]] == [SIRETS["DURAND"]]


SOPRANO_ACCESS = {
    "admin": "OK",
    "representative": "OK",
    "private": "PROFESSIONAL_ONLY",
    "officer": "PROFESSIONAL_ONLY",
    "anonymous": "LOGIN_REQUIRED",
    "newcomer": "TERMS_NOT_ACCEPTED",
}


@pytest.mark.parametrize(("actor", "status"), sorted(SOPRANO_ACCESS.items()))
def test_soprano_access_tells_each_actor_what_is_missing(actor_clients, actor, status):
    answer = graphql(actor_clients[actor], "{ sopranoAccess { status message } }").json()["data"]["sopranoAccess"]
    assert answer["status"] == status
    assert (answer["message"] is None) == (status == "OK")
