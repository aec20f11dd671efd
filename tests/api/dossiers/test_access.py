"""Who may read and do what on a dossier: rights, partners, representatives, other operators, private persons, terms,
nobody logged in, customs officers."""

from __future__ import annotations

import httpx
from sqlmodel import select

from backend.identity.models import User
from tests.api.dossiers.support import (
    ADD_LINE,
    CHECK,
    CREATE,
    DURAND_SIRET,
    GET,
    JEAN,
    LIST,
    LUCIE,
    NODE,
    PDF,
    REMOVE_ATTACHMENT,
    REMOVE_LINE,
    SUBMIT,
    UPDATE,
    UPDATE_LINE,
    VERRERIE_SIRET,
    complete,
    create,
    get,
    insert_dossier,
    update,
    upload,
    upload_refused,
    uploaded,
)
from tests.processing_support import call, code_of, global_id, ok, refused

# --- access --------------------------------------------------------------------------------------------------------


def test_a_consult_only_collaborator_reads_but_cannot_create_nor_save(paul, durand_draft, operators):
    for variables in ({"procedure": "TEA"}, {"procedure": "TEA", "operatorId": operators[DURAND_SIRET]}):
        assert code_of(refused(paul, CREATE, variables)) == "FORBIDDEN"
    assert get(paul, durand_draft["id"])["reference"] == durand_draft["reference"]
    assert ok(paul, CHECK, {"id": durand_draft["id"]})["checkDossier"]["ok"] is True
    line_id = durand_draft["goods"][0]["id"]
    for query, variables in (
        (
            UPDATE,
            {
                "id": durand_draft["id"],
                "version": durand_draft["version"],
                "changes": {"applicant.contactName": "Paul"},
            },
        ),
        (SUBMIT, {"id": durand_draft["id"], "version": durand_draft["version"]}),
        (ADD_LINE, {"dossierId": durand_draft["id"], "kind": "GOODS", "input": {"cnCode": "84821010"}}),
        (UPDATE_LINE, {"id": line_id, "input": {"description": "X"}}),
        (REMOVE_LINE, {"id": line_id}),
        (REMOVE_ATTACHMENT, {"id": durand_draft["attachment"]["id"]}),
    ):
        assert code_of(refused(paul, query, variables)) == "FORBIDDEN", query
    assert code_of(upload_refused(upload(paul, durand_draft["id"], "paul.pdf", PDF))) == "FORBIDDEN"
    after = get(paul, durand_draft["id"])
    assert after["version"] == durand_draft["version"]
    assert after["goods"] == durand_draft["goods"]
    assert len(after["attachments"]) == 1


def test_a_partner_with_prepare_creates_and_saves_but_cannot_submit(karim, operators):
    # Karim acts for two operators (his own and Ateliers Durand): he names the one he files for.
    created = create(karim, "IPO", operators[DURAND_SIRET])
    assert created["operator"]["siret"] == DURAND_SIRET
    assert created["answers"]["applicant.name"] == "Ateliers Durand SA"
    by_header = create(karim, "TEA", headers={"X-Operator": DURAND_SIRET})
    assert by_header["operator"]["siret"] == DURAND_SIRET
    dossier = complete(karim, "TEA", operators[DURAND_SIRET])
    assert dossier["updatedBy"] == "Karim Benali"
    error = refused(karim, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})
    assert code_of(error) == "FORBIDDEN"
    assert get(karim, dossier["id"])["status"] == "DRAFT"


def test_a_partner_must_say_for_which_operator(karim):
    error = refused(karim, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "ACTING_OPERATOR_REQUIRED"


def test_the_submitter_submits_what_a_partner_prepared(karim, sophie, operators):
    dossier = complete(karim, "CW", operators[DURAND_SIRET])
    submitted = ok(sophie, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})["submitDossier"]
    assert submitted["status"] == "SUBMITTED"


def test_another_operator_sees_nothing_of_a_dossier(stranger, stranger_siret, durand_draft, operators):
    dossier_id = durand_draft["id"]
    assert ok(stranger, GET, {"id": dossier_id})["dossier"] is None
    assert ok(stranger, NODE, {"id": dossier_id})["node"] is None
    line_id = durand_draft["goods"][0]["id"]
    assert ok(stranger, NODE, {"id": line_id})["node"] is None
    assert dossier_id not in {d["dossier"]["id"] for d in ok(stranger, LIST)["dossiers"]}
    for query, variables in (
        (
            UPDATE,
            {"id": dossier_id, "version": durand_draft["version"], "changes": {"applicant.contactName": "X"}},
        ),
        (CHECK, {"id": dossier_id}),
        (SUBMIT, {"id": dossier_id, "version": durand_draft["version"]}),
        (ADD_LINE, {"dossierId": dossier_id, "kind": "GOODS", "input": {"cnCode": "84821010"}}),
        (UPDATE_LINE, {"id": line_id, "input": {"description": "X"}}),
        (REMOVE_LINE, {"id": line_id}),
        (REMOVE_ATTACHMENT, {"id": durand_draft["attachment"]["id"]}),
        (CREATE, {"procedure": "TEA", "operatorId": operators[DURAND_SIRET]}),
    ):
        assert code_of(refused(stranger, query, variables)) == "NOT_FOUND", query
    assert code_of(upload_refused(upload(stranger, dossier_id, "x.pdf", PDF))) == "NOT_FOUND"
    # Its own dossiers are its operator's.
    own = create(stranger, "TEA")
    assert own["operator"]["siret"] == stranger_siret
    assert own["answers"]["applicant.name"] == "Chocolaterie d'essai"
    assert own["answers"]["applicant.eori"] == f"FR{stranger_siret[:9]}"


def test_a_nonexistent_or_malformed_id_is_not_found(sophie):
    for dossier_id in (global_id("Dossier", 99_999_999), global_id("Operator", 1), "n'importe quoi"):
        assert ok(sophie, GET, {"id": dossier_id})["dossier"] is None
        error = refused(sophie, UPDATE, {"id": dossier_id, "version": 1, "changes": {}})
        assert code_of(error) == "NOT_FOUND"


async def test_a_representative_sees_full_mandates_and_only_her_own_partial_ones(
    lucie, sophie, operators, database
):
    # Full mandate (Ateliers Durand): every dossier, and she may work on them.
    durand = create(sophie, "TEA")
    assert get(lucie, durand["id"])["reference"] == durand["reference"]
    assert durand["id"] in {d["dossier"]["id"] for d in ok(lucie, LIST)["dossiers"]}
    update(lucie, durand, {"applicant.contactName": "Lucie Martin"})
    # Partial mandate (Verrerie de Provence): the dossiers her firm filed...
    mine = create(lucie, "TEA", operators[VERRERIE_SIRET])
    assert mine["operator"]["siret"] == VERRERIE_SIRET
    assert mine["answers"]["applicant.name"] == "Verrerie de Provence"
    assert get(lucie, mine["id"])["reference"] == mine["reference"]
    update(lucie, mine, {"applicant.contactName": "Lucie Martin"})
    # ... and not one Verrerie filed itself.
    other_id = await insert_dossier(database, VERRERIE_SIRET, LUCIE)
    assert ok(lucie, GET, {"id": other_id})["dossier"] is None
    assert ok(lucie, NODE, {"id": other_id})["node"] is None
    listed = {d["dossier"]["id"] for d in ok(lucie, LIST)["dossiers"]}
    assert other_id not in listed and mine["id"] in listed
    error = refused(lucie, UPDATE, {"id": other_id, "version": 1, "changes": {"applicant.contactName": "X"}})
    assert code_of(error) == "NOT_FOUND"


def test_a_private_person_cannot_file(people, durand_draft):
    jean = people(JEAN, accept=False)
    error = refused(jean, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "PROFESSIONAL_ONLY"
    assert ok(jean, GET, {"id": durand_draft["id"]})["dossier"] is None
    assert ok(jean, NODE, {"id": durand_draft["id"]})["node"] is None


def test_a_professional_must_accept_the_terms_first(newcomer):
    client, _ = newcomer
    error = refused(client, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "TERMS_NOT_ACCEPTED"
    assert "conditions générales" in error["message"]
    assert code_of(refused(client, LIST)) == "TERMS_NOT_ACCEPTED"


async def test_terms_not_accepted_hide_the_operators_own_dossiers_everywhere(newcomer, database):
    """`dossier(id)` refuses until the terms are accepted; `node(id)` must not be a way around it."""
    client, siret = newcomer
    me = ok(client, "{ me { id email } }")["me"]
    async with database.session() as session:
        subject = (await session.exec(select(User.subject).where(User.email == me["email"]))).one()
    dossier_id = await insert_dossier(database, siret, subject)
    assert code_of(refused(client, GET, {"id": dossier_id})) == "TERMS_NOT_ACCEPTED"
    assert code_of(refused(client, CHECK, {"id": dossier_id})) == "TERMS_NOT_ACCEPTED"
    body = call(client, NODE, {"id": dossier_id})
    assert body["data"]["node"] is None, body


def test_anonymous_cannot_file(live_server, durand_draft):
    with httpx.Client(base_url=live_server.url, timeout=20) as anonymous:
        error = refused(anonymous, CREATE, {"procedure": "TEA"})
        assert code_of(error) == "UNAUTHENTICATED"
        error = refused(anonymous, UPDATE, {"id": durand_draft["id"], "version": 1, "changes": {}})
        assert code_of(error) == "UNAUTHENTICATED"  # nobody logged in: not « introuvable », which tells ids apart
        assert ok(anonymous, GET, {"id": durand_draft["id"]})["dossier"] is None
        assert ok(anonymous, NODE, {"id": durand_draft["id"]})["node"] is None


# --- customs officers ------------------------------------------------------------------------------------------------


def test_officers_see_the_submitted_dossiers_of_their_office_only(people, sophie):
    claire = people("claire.bernard@douane.gouv.fr", accept=False)
    hugo = people("hugo.lambert@douane.gouv.fr", accept=False)
    draft = complete(sophie, "TEA")
    assert ok(claire, GET, {"id": draft["id"]})["dossier"] is None  # a draft stays with the applicant
    attachment = uploaded(upload(sophie, draft["id"], "annexe.pdf", PDF))
    submitted = ok(sophie, SUBMIT, {"id": draft["id"], "version": draft["version"]})["submitDossier"]
    seen = ok(claire, GET, {"id": draft["id"]})["dossier"]
    assert seen["status"] == "SUBMITTED" and seen["customsOffice"] == "FR000690"
    assert claire.get(attachment["downloadUrl"]).content == PDF
    assert ok(hugo, GET, {"id": draft["id"]})["dossier"] is None
    assert hugo.get(attachment["downloadUrl"]).status_code == 404
    # Officers examine; they do not fill in the applicant's form.
    error = refused(claire, UPDATE, {"id": draft["id"], "version": submitted["version"], "changes": {}})
    assert code_of(error) == "PROFESSIONAL_ONLY"
    assert get(sophie, draft["id"])["version"] == submitted["version"]
    assert code_of(refused(claire, CREATE, {"procedure": "TEA"})) == "PROFESSIONAL_ONLY"
