"""The right to be heard before an adverse measure, over GraphQL against the live portal with the demo users: Sophie
Moreau (submit right on Ateliers Durand), Paul Lefèvre (consult), Claire Bernard (officer of FR000690, the issuing
office), Hugo Lambert (officer of another office).

The story: Claire notifies the suspension she intends (`notifyIntendedAuthorizationMeasure`); Sophie reads it
(`hearing`: the measure, its grounds, her last day = today + 30, not heard yet) and may answer (`mayAnswerHearing`,
the « à traiter » list `toAnswer`); she answers (`answerAuthorizationHearing`); Claire sees her heard, `suspend` in
`measuresOffered`, and suspends; the hearing is then closed. And the coded refusals: a measure without a notice or
before the answer (FORBIDDEN_TRANSITION, in French), a second answer, who may notify and answer, empty texts. The live
server runs on the real clock: what needs the end of the 30 days is proved in tests/authorizations/test_hearing.py."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from backend.clock import paris_today
from tests.api.test_authorizations_api import AUTHORIZATION, REVOKE, SUSPEND, granted
from tests.processing_support import bring_to, code_of, ok, refused

HEARING = "hearing { measure measureLabel reason startedAt deadline answeredAt timeOver heard }"
FIELDS = f"""
    {AUTHORIZATION} {HEARING} mayAnswerHearing measuresOffered suspensionCasesOffered holderRequest
    history {{ kind label actor message }}
"""
ONE = f"query One($id: ID!) {{ authorization(id: $id) {{ {FIELDS} }} }}"
NOTIFY = f"""
mutation Notify($id: ID!, $measure: AdverseMeasure!, $reason: String!) {{
  notifyIntendedAuthorizationMeasure(id: $id, measure: $measure, reason: $reason) {{ {FIELDS} }}
}}"""
ABANDON = f"""
mutation Abandon($id: ID!, $reason: String!) {{
  abandonIntendedAuthorizationMeasure(id: $id, reason: $reason) {{ {FIELDS} }}
}}"""
ANSWER = f"""
mutation Answer($id: ID!, $observations: String!) {{
  answerAuthorizationHearing(id: $id, observations: $observations) {{ {FIELDS} }}
}}"""
ANNUL = "mutation Annul($id: ID!, $reason: String!) { annulAuthorization(id: $id, reason: $reason) { id state } }"
TO_ANSWER = """
query ToAnswer($search: String) {
  authorizations(toAnswer: true, search: $search) { totalCount items { id hearing { measure deadline } } }
}"""
GROUNDS = "Relevés trimestriels non transmis depuis deux trimestres."
OBSERVATIONS = "Les relevés sont partis hier : un changement de logiciel comptable les a retardés."


@pytest.fixture
def issued(sophie, claire) -> dict:
    """A fresh authorisation of Ateliers Durand (Sophie's dossier, granted by Claire today)."""
    return granted(claire, bring_to("ACCEPTED", sophie, claire))


def one(client: httpx.Client, authorization_id: str) -> dict | None:
    return ok(client, ONE, {"id": authorization_id})["authorization"]


def notify(client: httpx.Client, authorization_id: str, measure: str, reason: str = GROUNDS) -> dict:
    variables = {"id": authorization_id, "measure": measure, "reason": reason}
    return ok(client, NOTIFY, variables)["notifyIntendedAuthorizationMeasure"]


def to_answer(client: httpx.Client, reference: str) -> list[str]:
    return [item["id"] for item in ok(client, TO_ANSWER, {"search": reference})["authorizations"]["items"]]


def no_notice(label: str) -> str:
    return (
        f"Avant de décider {label}, notifiez la mesure envisagée et ses motifs au titulaire : il a 30 jours pour "
        "présenter ses observations (droit d'être entendu, CDU, art. 22, § 6)."
    )


def test_notice_then_observations_then_the_suspension(sophie, paul, claire, hugo, issued):
    target, day = issued["id"], paris_today()
    deadline = day + dt.timedelta(days=30)
    offered = one(claire, target)["measuresOffered"]
    assert "suspend" not in offered and "notify_suspend" in offered
    assert one(sophie, target)["hearing"] is None and one(sophie, target)["mayAnswerHearing"] is False

    noticed = notify(claire, target, "SUSPEND", f"  {GROUNDS}  ")
    assert noticed["state"] == "ACTIVE"  # nothing decided yet
    assert noticed["measuresOffered"] == ["abandon_intended", "reassess"]
    assert noticed["suspensionCasesOffered"] == []  # not heard yet: no case open

    # Sophie reads the measure intended, its grounds, her last day; she may answer, and it is on her « à traiter ».
    seen = one(sophie, target)
    hearing = seen["hearing"]
    assert {k: v for k, v in hearing.items() if k != "startedAt"} == {
        "measure": "suspend",
        "measureLabel": "la suspension",
        "reason": GROUNDS,
        "deadline": deadline.isoformat(),
        "answeredAt": None,
        "timeOver": False,
        "heard": False,
    }
    assert dt.datetime.fromisoformat(hearing["startedAt"]).tzinfo is not None
    assert seen["mayAnswerHearing"] is True
    assert seen["measuresOffered"] == []  # the holder's side takes no measure
    assert to_answer(sophie, issued["reference"]) == [target]
    assert one(paul, target)["hearing"] == hearing and one(paul, target)["mayAnswerHearing"] is False
    assert to_answer(paul, issued["reference"]) == []  # consult right: nothing to answer
    assert one(hugo, target) is None

    # Before her answer, Claire may not suspend (case a or b).
    suspend = {
        "authorizationId": target,
        "case": "CONDITIONS_NOT_MET",
        "reason": "Délai pour transmettre les relevés.",
    }
    error = refused(claire, SUSPEND, {"input": suspend})
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert error["message"] == (
        f"Le titulaire a jusqu'au {deadline:%d/%m/%Y} pour présenter ses observations (droit d'être entendu) : "
        "la suspension pourra être décidée dès sa réponse ou à la fin de ce délai."
    )

    answered = ok(sophie, ANSWER, {"id": target, "observations": OBSERVATIONS})["answerAuthorizationHearing"]
    assert answered["hearing"]["answeredAt"] is not None and answered["hearing"]["heard"] is True
    assert answered["mayAnswerHearing"] is False
    assert to_answer(sophie, issued["reference"]) == []

    officer_view = one(claire, target)
    assert officer_view["hearing"]["heard"] is True and officer_view["hearing"]["timeOver"] is False
    assert officer_view["measuresOffered"] == ["suspend", "abandon_intended", "reassess"]
    assert officer_view["suspensionCasesOffered"] == ["grounds_examined", "conditions_not_met"]  # not c: not asked
    suspended = ok(claire, SUSPEND, {"input": suspend})["suspendAuthorization"]
    assert (suspended["state"], suspended["suspendedFrom"]) == ("SUSPENDED", day.isoformat())

    after = one(sophie, target)
    assert after["hearing"] is None and after["mayAnswerHearing"] is False
    assert [(h["kind"], h["actor"]) for h in after["history"]] == [
        ("issued", "Claire Bernard"),
        ("hearing_opened", "Claire Bernard"),
        ("observations", "Sophie Moreau"),
        ("suspended", "Claire Bernard"),
    ]
    opened, observations = after["history"][1], after["history"][2]
    assert opened["label"] == "Mesure envisagée : droit d'être entendu"
    assert opened["message"] == (
        "La douane envisage la suspension de l'autorisation. Le titulaire peut présenter ses observations jusqu'au "
        f"{deadline:%d/%m/%Y}. Motifs : {GROUNDS}"
    )
    assert (observations["label"], observations["message"]) == ("Observations du titulaire", OBSERVATIONS)


def test_a_measure_without_a_notice_is_refused_with_a_coded_french_error(sophie, claire, issued):
    target = issued["id"]
    before = one(claire, target)
    error = refused(claire, REVOKE, {"id": target, "reason": "Conditions non remplies."})
    assert (code_of(error), error["message"]) == ("FORBIDDEN_TRANSITION", no_notice("la révocation"))
    error = refused(claire, ANNUL, {"id": target, "reason": "Informations inexactes."})
    assert (code_of(error), error["message"]) == ("FORBIDDEN_TRANSITION", no_notice("l'annulation"))
    error = refused(
        claire, SUSPEND, {"input": {"authorizationId": target, "case": "GROUNDS_EXAMINED", "reason": "M."}}
    )
    assert (code_of(error), error["message"]) == ("FORBIDDEN_TRANSITION", no_notice("la suspension"))
    # Case c needs the holder's request: a field error on the case.
    error = refused(
        claire, SUSPEND, {"input": {"authorizationId": target, "case": "HOLDER_REQUEST", "reason": "M."}}
    )
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "case"
    assert error["message"] == "Le titulaire n'a pas demandé la suspension : choisissez le cas a ou b."
    assert one(claire, target) == before  # state, hearing, history: unchanged


def test_who_may_notify_and_answer_and_what_is_refused_once_answered(sophie, paul, claire, hugo, issued):
    target = issued["id"]
    variables = {"id": target, "measure": "REVOKE", "reason": GROUNDS}
    error = refused(sophie, NOTIFY, variables)
    assert code_of(error) == "FORBIDDEN" and "bureau de douane" in error["message"]
    error = refused(hugo, NOTIFY, variables)
    assert (code_of(error), error["message"]) == ("NOT_FOUND", "Autorisation introuvable.")
    error = refused(claire, NOTIFY, {**variables, "reason": "  "})
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "reason"
    error = refused(sophie, ANSWER, {"id": target, "observations": OBSERVATIONS})
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert error["message"] == "Aucune mesure n'est envisagée sur cette autorisation : il n'y a rien à répondre."

    notify(claire, target, "REVOKE")
    error = refused(claire, NOTIFY, {**variables, "measure": "ANNUL"})
    assert code_of(error) == "FORBIDDEN_TRANSITION" and error["message"].startswith(
        "Une mesure est déjà envisagée (la révocation)"
    )
    error = refused(paul, ANSWER, {"id": target, "observations": OBSERVATIONS})
    assert code_of(error) == "FORBIDDEN"
    assert error["message"] == "Vous n'avez pas le droit de déposer pour cette autorisation."
    error = refused(claire, ANSWER, {"id": target, "observations": OBSERVATIONS})
    assert code_of(error) == "PROFESSIONAL_ONLY"
    error = refused(sophie, ANSWER, {"id": target, "observations": " "})
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "observations"
    assert error["message"] == "Indiquez vos observations."
    assert one(claire, target)["hearing"]["answeredAt"] is None

    ok(sophie, ANSWER, {"id": target, "observations": OBSERVATIONS})
    error = refused(sophie, ANSWER, {"id": target, "observations": "Un complément."})
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert error["message"] == f"Vos observations ont déjà été transmises le {paris_today():%d/%m/%Y}."


def test_claire_abandons_the_intended_measure_and_the_hearing_is_gone(sophie, claire, issued):
    target = issued["id"]
    notify(claire, target, "ANNUL")
    abandoned = ok(claire, ABANDON, {"id": target, "reason": "Informations confirmées."})[
        "abandonIntendedAuthorizationMeasure"
    ]
    assert abandoned["hearing"] is None and abandoned["state"] == "ACTIVE"
    assert abandoned["measuresOffered"] == ["notify_suspend", "notify_revoke", "notify_annul", "reassess"]
    last = one(sophie, target)["history"][-1]
    assert (last["kind"], last["label"], last["actor"]) == (
        "hearing_closed",
        "Mesure envisagée abandonnée",
        "Claire Bernard",
    )
    assert last["message"] == "La douane renonce à l'annulation. Motif : Informations confirmées."
    error = refused(claire, ABANDON, {"id": target, "reason": "Encore."})
    assert (code_of(error), error["message"]) == ("FORBIDDEN_TRANSITION", "Aucune mesure n'est envisagée.")
    error = refused(claire, ANNUL, {"id": target, "reason": "Finalement."})
    assert (code_of(error), error["message"]) == ("FORBIDDEN_TRANSITION", no_notice("l'annulation"))
