"""A private person's declaration through GraphQL, end to end: Jean declares a trip (every mistake told at once, on
its field), sees the estimate line by line with the rules' dates, submits; Claire (the examining office) takes it,
asks for information; Jean answers; Claire accepts with the amount due; Jean sees it, live. Nobody else sees or does
anything: not a professional, not an officer of another office, not a visitor (who reads only the public rules)."""

from __future__ import annotations

import io

import httpx
import pypdf
import pytest

from tests.api.dossiers.support import JEAN
from tests.processing_support import codes, hub_count, hub_has, ok

FIELDS = """
  id reference kind status statusLabel version mayEdit mayExamine amountDue decisionReason declarantName pdfUrl
  facts { arrivalDate transport under15 originCountry orderDate seller currency vatPaidAtCheckout iossNumber }
  items { key description category categoryLabel quantity value currency exciseQuantity }
  estimate { referenceDate valueEur allowance exceededBy total complete notices
             lines { label amount explanation ruleKeys } rules { key validFrom validUntil }
             conversions { currency amount euros rate { perEuro on } } }
  estimateProblems { field message }
  submissionProblems { field message }
  history { kind label actorName fromCustoms message amount toStatusLabel }
"""
CREATE = f"mutation($k: DeclarationKind!) {{ createPrivateDeclaration(kind: $k) {{ {FIELDS} }} }}"
FACTS = f"""mutation($id: ID!, $v: Int!, $f: DeclarationFactsInput!) {{
  saveDeclarationFacts(id: $id, version: $v, facts: $f) {{ {FIELDS} }} }}"""
ADD = f"""mutation($id: ID!, $v: Int!, $i: DeclarationItemInput!) {{
  addDeclarationItem(id: $id, version: $v, item: $i) {{ {FIELDS} }} }}"""
REMOVE = f"""mutation($id: ID!, $v: Int!, $k: String!) {{
  removeDeclarationItem(id: $id, version: $v, key: $k) {{ {FIELDS} }} }}"""
SUBMIT = f"""mutation($id: ID!, $v: Int!, $m: String) {{
  submitPrivateDeclaration(id: $id, version: $v, message: $m) {{ {FIELDS} }} }}"""
TAKE = f"mutation($id: ID!) {{ takePrivateDeclaration(id: $id) {{ {FIELDS} }} }}"
ASK = f"mutation($id: ID!, $m: String!) {{ requestDeclarationInformation(id: $id, message: $m) {{ {FIELDS} }} }}"
ACCEPT = f"""mutation($id: ID!, $a: Decimal!, $m: String) {{
  acceptPrivateDeclaration(id: $id, amountDue: $a, message: $m) {{ {FIELDS} }} }}"""
REFUSE = f"mutation($id: ID!, $r: String!) {{ refusePrivateDeclaration(id: $id, reason: $r) {{ {FIELDS} }} }}"
MESSAGE = f"mutation($id: ID!, $t: String!) {{ sendDeclarationMessage(id: $id, text: $t) {{ {FIELDS} }} }}"
GET = f"query($id: ID!) {{ privateDeclaration(id: $id) {{ {FIELDS} }} }}"
LIST = """query($b: DeclarationBucket!, $s: String) {
  privateDeclarations(bucket: $b, search: $s, first: 100) { totalCount items { id reference status } } }"""
COUNTS = "{ privateDeclarationCounts { todo waiting done all } }"
TRIP = {"arrivalDate": "2026-11-20", "transport": "AIR_SEA", "under15": False, "originCountry": "US"}


@pytest.fixture(scope="module")
def jean(people) -> httpx.Client:
    return people(JEAN, accept=False)


def errors_of(client: httpx.Client, query: str, variables: dict) -> list[dict]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert body.get("errors"), body
    return body["errors"]


def field_problems(errors: list[dict]) -> dict[str, str]:
    (error,) = errors
    assert error["extensions"]["code"] == "INVALID", error
    return {f["field"]: f["message"] for f in error["extensions"]["fields"]}


def trip_with(jean: httpx.Client, *items: dict, facts: dict | None = None) -> dict:
    declaration = ok(jean, CREATE, {"k": "TRIP"})["createPrivateDeclaration"]
    declaration = ok(jean, FACTS, {"id": declaration["id"], "v": declaration["version"], "f": facts or TRIP})[
        "saveDeclarationFacts"
    ]
    for item in items:
        declaration = ok(jean, ADD, {"id": declaration["id"], "v": declaration["version"], "i": item})[
            "addDeclarationItem"
        ]
    return declaration


def item(description: str, category: str, value: str, **more) -> dict:
    return {"description": description, "category": category, "quantity": 1, "value": value, "currency": "EUR",
            **more}  # fmt: skip


def test_jean_declares_a_trip_customs_ask_jean_answers_and_customs_accept(jean, claire):
    draft = ok(jean, CREATE, {"k": "TRIP"})["createPrivateDeclaration"]
    assert (draft["status"], draft["reference"], draft["mayEdit"]) == ("DRAFT", None, True)
    assert draft["estimate"] is None and draft["estimateProblems"]
    # Every mistake of the facts at once, each on its field.
    problems = field_problems(
        errors_of(jean, FACTS, {"id": draft["id"], "v": draft["version"], "f": {"originCountry": "DE"}})
    )
    assert set(problems) == {"arrivalDate", "transport", "originCountry"}
    assert "Union européenne" in problems["originCountry"]
    # A code of no country, and amounts told in agreement with their noun.
    facts = {**TRIP, "originCountry": "zz", "cashAmount": "-5"}
    problems = field_problems(errors_of(jean, FACTS, {"id": draft["id"], "v": draft["version"], "f": facts}))
    assert problems == {
        "originCountry": "Aucun pays n'a le code « ZZ » : indiquez le code à deux lettres (par exemple US).",
        "cashAmount": "La somme en espèces ne peut pas être négative.",
    }
    declaration = trip_with(
        jean,
        item("Veste en cuir", "CLOTHING", "300"),
        item("Casque audio", "ELECTRONICS", "200"),
        item("Whisky", "SPIRITS", "45", exciseQuantity="1"),
    )
    estimate = declaration["estimate"]
    assert estimate["allowance"] == "430.00" or estimate["allowance"] == "430"
    assert float(estimate["valueEur"]) == 500  # the whisky is not counted in the value allowance
    assert float(estimate["exceededBy"]) == 70
    assert float(estimate["total"]) > 0 and estimate["lines"]
    assert all(rule["validFrom"] for rule in estimate["rules"])
    assert declaration["submissionProblems"] == []

    submitted = ok(jean, SUBMIT, {"id": declaration["id"], "v": declaration["version"]})[
        "submitPrivateDeclaration"
    ]
    assert submitted["status"] == "SUBMITTED" and submitted["reference"].startswith("DP-")
    assert submitted["mayEdit"] is False
    assert submitted["id"] in [d["id"] for d in ok(claire, LIST, {"b": "TODO"})["privateDeclarations"]["items"]]
    assert submitted["id"] in [d["id"] for d in ok(jean, LIST, {"b": "WAITING"})["privateDeclarations"]["items"]]
    for search in (submitted["reference"], "whisky", "jean petit"):  # reference, an item, the declarant
        found = ok(claire, LIST, {"b": "ALL", "s": search})["privateDeclarations"]["items"]
        assert submitted["id"] in [d["id"] for d in found], search
    assert ok(claire, LIST, {"b": "ALL", "s": "100%_"})["privateDeclarations"]["totalCount"] == 0

    taken = ok(claire, TAKE, {"id": submitted["id"]})["takePrivateDeclaration"]
    assert (taken["status"], taken["mayExamine"]) == ("UNDER_REVIEW", True)
    asked = ok(claire, ASK, {"id": submitted["id"], "m": "Joignez la facture du casque."})[
        "requestDeclarationInformation"
    ]
    assert asked["status"] == "INFO_REQUESTED"
    mine = ok(jean, GET, {"id": submitted["id"]})["privateDeclaration"]
    assert mine["mayEdit"] is True
    assert mine["history"][-1]["message"] == "Joignez la facture du casque." and mine["history"][-1]["fromCustoms"]
    assert submitted["id"] in [d["id"] for d in ok(jean, LIST, {"b": "TODO"})["privateDeclarations"]["items"]]
    # Answering needs a message.
    assert field_problems(errors_of(jean, SUBMIT, {"id": mine["id"], "v": mine["version"]})) == {
        "message": "Répondez à la douane : écrivez votre réponse."
    }
    answered = ok(jean, SUBMIT, {"id": mine["id"], "v": mine["version"], "m": "Facture de 200 € envoyée."})[
        "submitPrivateDeclaration"
    ]
    # Claire had taken it: it goes back to her, « en cours d'examen », not to the queue.
    assert answered["status"] == "UNDER_REVIEW" and answered["reference"] == submitted["reference"]

    accepted = ok(claire, ACCEPT, {"id": submitted["id"], "a": "33.50", "m": "À régler en ligne."})[
        "acceptPrivateDeclaration"
    ]
    assert accepted["status"] == "ACCEPTED" and accepted["amountDue"] == "33.50"
    final = ok(jean, GET, {"id": submitted["id"]})["privateDeclaration"]
    assert (final["statusLabel"], final["amountDue"]) == ("acceptée", "33.50")
    assert [h["kind"] for h in final["history"]] == [
        "CREATED", "SUBMITTED", "TAKEN", "INFO_REQUESTED", "ANSWERED", "ACCEPTED",
    ]  # fmt: skip
    # Decided: nothing more to decide, nothing to edit.
    assert codes(errors_of(claire, REFUSE, {"id": submitted["id"], "r": "Trop tard."})) == {"INVALID_STATE"}
    assert codes(errors_of(jean, REMOVE, {"id": final["id"], "v": final["version"], "k": "x"})) == {
        "INVALID_STATE"
    }


def test_the_estimate_through_graphql_at_the_allowance_boundary(jean):
    at = trip_with(jean, item("Montre", "JEWELLERY", "430"))["estimate"]
    assert float(at["exceededBy"]) == 0 and float(at["total"]) == 0
    over = trip_with(jean, item("Montre", "JEWELLERY", "430.01"))["estimate"]
    assert over["exceededBy"] in ("0.01", "0.010")
    assert float(over["total"]) > 0


def test_every_problem_of_an_item_at_once_and_a_stale_version_is_refused(jean):
    declaration = trip_with(jean)
    problems = field_problems(
        errors_of(
            jean,
            ADD,
            {
                "id": declaration["id"],
                "v": declaration["version"],
                "i": {
                    "description": "",
                    "category": "CIGARETTES",
                    "quantity": 0,
                    "value": "abc",
                    "currency": "XYZ",
                },
            },
        )
    )
    assert set(problems) == {"description", "quantity", "value", "currency", "exciseQuantity"}
    stale = errors_of(jean, ADD, {"id": declaration["id"], "v": declaration["version"] - 1,
                                  "i": item("Livre", "BOOKS", "12")})  # fmt: skip
    assert codes(stale) == {"CONFLICT"}
    empty = errors_of(jean, SUBMIT, {"id": declaration["id"], "v": declaration["version"]})
    assert field_problems(empty) == {"items": "Ajoutez au moins un article."}


def test_nobody_else_sees_or_acts_on_a_private_declaration(jean, sophie, hugo, live_server):
    declaration = trip_with(
        jean, item("Veste", "CLOTHING", "1234.5"), item("Whisky", "SPIRITS", "45", exciseQuantity="1.4")
    )
    anonymous = httpx.Client(base_url=live_server.url, timeout=30)
    for client in (sophie, hugo, anonymous):
        assert ok(client, GET, {"id": declaration["id"]})["privateDeclaration"] is None
    # A draft is not shown to customs either, even to the examining office.
    submitted = ok(jean, SUBMIT, {"id": declaration["id"], "v": declaration["version"]})[
        "submitPrivateDeclaration"
    ]
    assert codes(errors_of(hugo, TAKE, {"id": submitted["id"]})) == {"NOT_FOUND"}
    assert codes(errors_of(sophie, ACCEPT, {"id": submitted["id"], "a": "0"})) == {"NOT_FOUND"}
    assert codes(errors_of(jean, TAKE, {"id": submitted["id"]})) == {"FORBIDDEN"}
    assert codes(errors_of(anonymous, TAKE, {"id": submitted["id"]})) == {"UNAUTHENTICATED"}
    # A professional cannot declare for a private person.
    refused = errors_of(sophie, CREATE, {"k": "PURCHASE"})
    assert codes(refused) == {"FORBIDDEN"} and "professionnel" in refused[0]["message"]
    assert codes(errors_of(anonymous, CREATE, {"k": "TRIP"})) == {"UNAUTHENTICATED"}
    assert ok(hugo, LIST, {"b": "ALL"})["privateDeclarations"]["totalCount"] == 0
    # The summary PDF: the declarant's, not another's.
    summary = jean.get(submitted["pdfUrl"])
    assert summary.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(summary.content)).pages)
    # Amounts and quantities written the French way, as on the page.
    assert "1 234,50 €" in text and "1,4 litre" in text and "1234.50" not in text and "1.4" not in text
    assert hugo.get(submitted["pdfUrl"]).status_code == 404
    assert anonymous.get(submitted["pdfUrl"]).status_code == 404


def test_the_rules_rates_and_categories_are_public(live_server):
    anonymous = httpx.Client(base_url=live_server.url, timeout=30)
    data = ok(
        anonymous,
        """{ allowanceRules(date: "2026-07-01") { key value validFrom validUntil }
             ratesInForce(date: "2026-12-01") { currency perEuro on }
             declarationCategories { category label quantityLabel } declarationCurrencies }""",
    )
    keys = {r["key"] for r in data["allowanceRules"]}
    assert "TRAVELLER_ALLOWANCE_AIR_SEA" in keys
    assert data["declarationCurrencies"][0] == "EUR"
    assert any(r["currency"] == "USD" for r in data["ratesInForce"])
    assert any(c["quantityLabel"] for c in data["declarationCategories"])


async def test_jean_and_the_office_are_told_live(jean, claire, sockets, live_server):
    declaration = trip_with(jean, item("Veste", "CLOTHING", "100"))
    mine = await sockets(jean)
    office = await sockets(claire)
    before = hub_count(live_server)
    subscription = "subscription { privateDeclarationChanged { declarationId kind resync } }"
    await mine.subscribe(subscription)
    await office.subscribe(subscription)
    await hub_has(live_server, before + 2)
    submitted = ok(jean, SUBMIT, {"id": declaration["id"], "v": declaration["version"]})[
        "submitPrivateDeclaration"
    ]
    for ws in (mine, office):
        change = (await ws.next_data(10))["privateDeclarationChanged"]
        assert change == {"declarationId": submitted["id"], "kind": "submitted", "resync": False}
    ok(claire, ACCEPT, {"id": submitted["id"], "a": "0"})
    assert (await mine.next_data(10))["privateDeclarationChanged"]["kind"] == "accepted"
