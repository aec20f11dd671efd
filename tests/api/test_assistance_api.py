"""Assistance through GraphQL, end to end: Sophie asks a question about one of her operator's dossiers (every
mistake told at once, on its field); Claire, of the dossier's office, finds it in her list, takes it and answers;
Sophie is told live, sees it « à traiter », and closes it. Paul (consult) reads it but cannot write; Hugo (another
office), Jean (a private person) and a visitor see nothing. A technical ticket is its author's and the support's;
feedback is given once a day per page and the support reads it with its average and monthly trend."""

from __future__ import annotations

import httpx
import pytest

from tests.api.dossiers.support import JEAN, PAUL
from tests.processing_support import SOPHIE, codes, filed, hub_count, hub_has, new_office, ok

CLAIRE = "claire.bernard@douane.gouv.fr"
HUGO = "hugo.lambert@douane.gouv.fr"
NADIA = "nadia.roux@douane.gouv.fr"
MARIE = "marie.durand@ateliers-durand.fr"

FIELDS = """
  id reference kind kindLabel status statusLabel subject customsOffice page version authorName takenByName
  operatorName dossierId dossierReference mayAnswer mayWrite
  messages { kind label authorName fromCustoms body screenshotUrl }
"""
ASK = f"""mutation($s: String!, $m: String!, $o: String, $d: ID) {{
  askRegulatoryQuestion(subject: $s, message: $m, office: $o, dossierId: $d) {{ {FIELDS} }} }}"""
TICKET = f"""mutation($s: String!, $d: String!, $p: String) {{
  openTechnicalTicket(subject: $s, description: $d, page: $p) {{ {FIELDS} }} }}"""
POST = f"mutation($id: ID!, $t: String!) {{ postAssistanceMessage(id: $id, text: $t) {{ {FIELDS} }} }}"
TAKE = f"mutation($id: ID!) {{ takeAssistanceRequest(id: $id) {{ {FIELDS} }} }}"
CLOSE = f"mutation($id: ID!) {{ closeAssistanceRequest(id: $id) {{ {FIELDS} }} }}"
GET = f"query($id: ID!) {{ assistanceRequest(id: $id) {{ {FIELDS} }} }}"
LIST = """query($b: AssistanceBucket!, $side: AssistanceSide!, $s: String, $k: AssistanceKind) {
  assistanceRequests(bucket: $b, side: $side, search: $s, kind: $k, first: 100) {
    totalCount items { id reference status } } }"""
COUNTS = "query($side: AssistanceSide!) { assistanceCounts(side: $side) { todo waiting done all } }"
FEEDBACK = """mutation($p: String!, $r: Int!, $c: String) {
  giveFeedback(page: $p, rating: $r, comment: $c) { page rating comment givenBy } }"""
SUMMARY = "{ feedbackSummary { count average months { month count average } } }"
FEEDBACK_LIST = (
    "query($s: String) { feedback(search: $s, first: 100) { totalCount items { page rating comment } } }"
)
DOCS = "{ regulatoryDocumentation { procedure title summary references { label article url } links { url } } }"


def errors_of(client: httpx.Client, query: str, variables: dict | None = None) -> list[dict]:
    body = client.post("/graphql", json={"query": query, "variables": variables or {}}).json()
    assert body.get("errors"), body
    assert all(e["message"] != "Erreur interne du serveur." for e in body["errors"]), body
    return body["errors"]


def references(client: httpx.Client, bucket: str = "ALL", side: str = "ANY", **more) -> set[str]:
    page = ok(client, LIST, {"b": bucket, "side": side, **more})["assistanceRequests"]
    return {item["reference"] for item in page["items"]}


@pytest.fixture(scope="module")
def sophie(people) -> httpx.Client:
    return people(SOPHIE)


@pytest.fixture(scope="module")
def claire(people) -> httpx.Client:
    return people(CLAIRE, accept=False)


def test_a_question_without_its_subject_text_or_office_is_refused_with_every_mistake_on_its_field(sophie):
    (error,) = errors_of(sophie, ASK, {"s": " ", "m": "", "o": "PARIS"})
    assert error["extensions"]["code"] == "INVALID"
    problems = {f["field"]: f["message"] for f in error["extensions"]["fields"]}
    assert problems == {
        "subject": "Indiquez l'objet de votre question.",
        "message": "Écrivez votre question.",
        "office": "Le bureau de douane s'écrit avec le code pays suivi de 6 caractères (par exemple FR000690).",
    }


async def test_a_question_about_a_dossier_goes_to_its_office_is_answered_live_and_closed(
    sophie, claire, people, sockets, live_server
):
    dossier = filed(sophie)
    asked = ok(sophie, ASK, {"s": "Compensation à l'équivalent", "m": "Puis-je utiliser des marchandises "
                             "équivalentes ?", "d": dossier["id"]})["askRegulatoryQuestion"]  # fmt: skip
    assert asked["reference"].startswith("AR-") and asked["status"] == "OPEN" and asked["statusLabel"] == "ouverte"
    assert asked["customsOffice"] == "FR000690" and asked["dossierReference"] == dossier["reference"]
    assert asked["operatorName"] and asked["mayWrite"] and not asked["mayAnswer"]
    assert [m["kind"] for m in asked["messages"]] == ["opened"]

    # Claire, of the dossier's office, has it to answer; Hugo, of another office, does not see it.
    assert asked["reference"] in references(claire, "TODO", "TO_ANSWER")
    hugo = people(HUGO, accept=False)
    assert asked["reference"] not in references(hugo)
    assert ok(hugo, GET, {"id": asked["id"]})["assistanceRequest"] is None
    assert "NOT_FOUND" in codes(errors_of(hugo, POST, {"id": asked["id"], "t": "Bonjour"}))

    ws = await sockets(sophie)
    before = hub_count(live_server)
    await ws.subscribe("subscription($id: ID) { assistanceChanged(requestId: $id) { kind status } }",
                       {"id": asked["id"]})  # fmt: skip
    await hub_has(live_server, before + 1)
    taken = ok(claire, TAKE, {"id": asked["id"]})["takeAssistanceRequest"]
    assert taken["takenByName"] == "Claire Bernard"
    assert (await ws.next_data())["assistanceChanged"] == {"kind": "taken", "status": "open"}
    ok(claire, POST, {"id": asked["id"], "t": "Oui, sous conditions (art. 223 du CDU)."})
    assert (await ws.next_data())["assistanceChanged"] == {"kind": "answer", "status": "answered"}

    now = ok(sophie, GET, {"id": asked["id"]})["assistanceRequest"]
    assert now["status"] == "ANSWERED" and now["statusLabel"] == "répondue"
    assert now["messages"][-1]["fromCustoms"] and now["messages"][-1]["authorName"] == "Claire Bernard"
    assert asked["reference"] in references(sophie, "TODO", "ASKED")  # an answer waits for her
    assert ok(sophie, COUNTS, {"side": "ASKED"})["assistanceCounts"]["todo"] >= 1

    # Paul (consult) reads his operator's question but may not write in it.
    paul = people(PAUL)
    assert ok(paul, GET, {"id": asked["id"]})["assistanceRequest"]["mayWrite"] is False
    assert "FORBIDDEN" in codes(errors_of(paul, POST, {"id": asked["id"], "t": "Merci"}))

    closed = ok(sophie, CLOSE, {"id": asked["id"]})["closeAssistanceRequest"]
    assert closed["status"] == "CLOSED" and not closed["mayWrite"]
    assert "CLOSED" in codes(errors_of(claire, POST, {"id": asked["id"], "t": "Encore un mot"}))
    assert asked["reference"] in references(claire, "DONE", "TO_ANSWER")


def test_a_private_person_and_a_visitor_get_no_professional_assistance(people, live_server):
    jean = people(JEAN, accept=False)
    assert "FORBIDDEN" in codes(errors_of(jean, TICKET, {"s": "Bug", "d": "La page ne s'affiche pas"}))
    assert "FORBIDDEN" in codes(errors_of(jean, ASK, {"s": "Question", "m": "Bonjour", "o": "FR000690"}))
    visitor = httpx.Client(base_url=live_server.url, timeout=30)
    assert "UNAUTHENTICATED" in codes(errors_of(visitor, TICKET, {"s": "Bug", "d": "Rien ne va"}))
    assert "UNAUTHENTICATED" in codes(errors_of(visitor, LIST, {"b": "ALL", "side": "ANY"}))
    # The documentation is public.
    pages = ok(visitor, DOCS)["regulatoryDocumentation"]
    assert {p["procedure"] for p in pages} == {"TEA", "EUS", "CW", "IPO", "OPO"}
    assert all(r["url"].startswith("https://") for p in pages for r in p["references"])


def test_a_ticket_is_its_authors_and_the_supports(people):
    marie = people(MARIE)
    ticket = ok(marie, TICKET, {"s": "Téléversement impossible", "d": "Le bouton ne répond pas.",
                                "p": "/dossiers/nouveau"})["openTechnicalTicket"]  # fmt: skip
    assert ticket["reference"].startswith("AT-") and ticket["page"] == "/dossiers/nouveau"
    nadia = people(NADIA, accept=False)
    assert ticket["reference"] in references(nadia, "TODO", "TO_ANSWER", k="TICKET")
    answered = ok(nadia, POST, {"id": ticket["id"], "t": "Corrigé, merci."})["postAssistanceMessage"]
    assert answered["status"] == "ANSWERED" and answered["takenByName"] == "Nadia Roux"
    # Claire is an officer, not the support: she does not see it; Paul, of Marie's operator, neither.
    assert ok(people(CLAIRE, accept=False), GET, {"id": ticket["id"]})["assistanceRequest"] is None
    assert ok(people(PAUL), GET, {"id": ticket["id"]})["assistanceRequest"] is None
    reopened = ok(marie, POST, {"id": ticket["id"], "t": "Toujours pas."})["postAssistanceMessage"]
    assert reopened["status"] == "OPEN"
    (error,) = errors_of(marie, TICKET, {"s": "x", "d": "y", "p": "pas une page"})
    assert error["extensions"]["fields"] == [
        {"field": "page", "message": "La page est l'adresse d'une page du portail, par exemple /dossiers/nouveau."}
    ]


def test_feedback_once_a_day_per_page_and_the_support_reads_its_average(people):
    paul = people(PAUL)
    page = "/habilitations"
    given = ok(paul, FEEDBACK, {"p": page, "r": 4, "c": "Clair et rapide"})["giveFeedback"]
    assert given == {"page": page, "rating": 4, "comment": "Clair et rapide", "givenBy": "Paul Lefèvre"}
    (again,) = errors_of(paul, FEEDBACK, {"p": page, "r": 5})
    assert again["extensions"]["code"] == "ALREADY_GIVEN" and "demain" in again["message"]
    (bad,) = errors_of(paul, FEEDBACK, {"p": "/autre", "r": 6})
    assert bad["extensions"]["fields"] == [{"field": "rating", "message": "Choisissez une note de 1 à 5."}]
    ok(people(JEAN, accept=False), FEEDBACK, {"p": "/particulier", "r": 2, "c": "Trop de questions"})

    nadia = people(NADIA, accept=False)
    summary = ok(nadia, SUMMARY)["feedbackSummary"]
    assert summary["count"] >= 2 and 1 <= summary["average"] <= 5 and summary["months"]
    listed = ok(nadia, FEEDBACK_LIST, {"s": "trop de questions"})["feedback"]
    assert listed["totalCount"] >= 1 and all("questions" in f["comment"].lower() for f in listed["items"])
    assert "FORBIDDEN" in codes(errors_of(paul, SUMMARY))
    assert "FORBIDDEN" in codes(errors_of(people(CLAIRE, accept=False), FEEDBACK_LIST, {}))


async def test_the_operators_colleagues_follow_its_questions_live_and_nobody_else_nor_the_officers_dashboard(
    people, sockets, live_server
):
    """Without requestId, assistanceChanged brings a colleague (consult right) the answer to a question their
    operator's administrator asked; a professional of another firm hears nothing; and the question does not wake the
    office's dossier dashboard (dashboardChanged is about dossiers)."""
    company, outsider = people.company(), people.company()
    colleague, _ = people.member(company, "CONSULT")
    office = new_office()
    officer = people.officer(office)
    colleague_ws, outsider_ws, dashboard_ws = (
        await sockets(colleague), await sockets(outsider.admin), await sockets(officer)
    )  # fmt: skip
    before = hub_count(live_server)
    live = "subscription { assistanceChanged { kind status } }"
    await colleague_ws.subscribe(live)
    await outsider_ws.subscribe(live)
    await dashboard_ws.subscribe("subscription { dashboardChanged { resync counts { todo waiting } } }")
    await hub_has(live_server, before + 3)

    asked = ok(company.admin, ASK, {"s": "Délai d'apurement", "m": "Peut-on le prolonger ?", "o": office})
    assert (await colleague_ws.next_data())["assistanceChanged"] == {"kind": "opened", "status": "open"}
    ok(officer, POST, {"id": asked["askRegulatoryQuestion"]["id"], "t": "Oui, sur demande motivée."})
    assert (await colleague_ws.next_data())["assistanceChanged"] == {"kind": "answer", "status": "answered"}
    await outsider_ws.silent(0.5)
    await dashboard_ws.silent(0.5)


def test_me_says_who_is_the_support_and_the_counts_are_per_kind(people):
    """me.isSupport is true for Nadia (the support role) only; assistanceCounts(kind:) counts one kind, and the two
    kinds add up to all."""
    assert ok(people(NADIA, accept=False), "{ me { isSupport } }")["me"]["isSupport"] is True
    assert ok(people(CLAIRE, accept=False), "{ me { isSupport } }")["me"]["isSupport"] is False
    marie = people(MARIE)
    assert ok(marie, "{ me { isSupport } }")["me"]["isSupport"] is False
    ok(marie, TICKET, {"s": "Lenteur", "d": "La page met du temps.", "p": "/"})
    per_kind = "query($k: AssistanceKind) { assistanceCounts(side: ASKED, kind: $k) { todo waiting done all } }"
    tickets = ok(marie, per_kind, {"k": "TICKET"})["assistanceCounts"]
    questions = ok(marie, per_kind, {"k": "QUESTION"})["assistanceCounts"]
    everything = ok(marie, per_kind)["assistanceCounts"]
    assert tickets["all"] >= 1
    assert tickets["all"] == len(references(marie, side="ASKED", k="TICKET"))
    assert {key: tickets[key] + questions[key] for key in everything} == everything
