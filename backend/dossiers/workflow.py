"""The dossier's life: which status may follow which, who may move it, and what each step requires.

brouillon ─déposer→ déposé ─demander un complément→ complément demandé ─déposer à nouveau→ déposé
déposé ─accepter→ accepté (en instruction) ─octroyer→ octroyé
accepté ─notifier une intention de refus→ droit d'être entendu ─refuser→ refusé   (or ─octroyer→ octroyé)
déposé ─ne pas accepter→ non accepté
any status before a decision ─retirer (le demandeur)→ retiré

Besides the status changes, steps that keep the status: customs take a dossier and extend the decision deadline (an
accepted dossier); both sides comment. `offers` lists both kinds, for one side and one status: what the UI offers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from backend.dossiers.models import DossierStatus as S
from backend.identity.models import Right


class Side(enum.StrEnum):
    APPLICANT = "applicant"  # a professional with the right below, for the dossier's operator
    CUSTOMS = "customs"  # a customs officer of the dossier's office


class Action(enum.StrEnum):
    SUBMIT = "submit"
    REQUEST_COMPLEMENT = "request_complement"
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    NOTIFY_INTENDED_REFUSAL = "notify_intended_refusal"
    GRANT = "grant"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Transition:
    action: Action
    source: S
    target: S
    side: Side
    needs_message: bool  # a complement request, an intended refusal, a refusal or a non-acceptance says why
    label: str  # what the history shows
    message_label: str = ""


_T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    _T(Action.SUBMIT, S.DRAFT, S.SUBMITTED, Side.APPLICANT, False, "Dossier déposé"),
    _T(
        Action.SUBMIT,
        S.COMPLEMENT_REQUESTED,
        S.SUBMITTED,
        Side.APPLICANT,
        False,
        "Dossier déposé à nouveau (complément apporté)",
    ),
    _T(
        Action.REQUEST_COMPLEMENT,
        S.SUBMITTED,
        S.COMPLEMENT_REQUESTED,
        Side.CUSTOMS,
        True,
        "Complément demandé",
        "Complément demandé",
    ),
    _T(Action.ACCEPT, S.SUBMITTED, S.ACCEPTED, Side.CUSTOMS, False, "Demande acceptée : instruction en cours"),
    _T(
        Action.NOT_ACCEPT,
        S.SUBMITTED,
        S.NOT_ACCEPTED,
        Side.CUSTOMS,
        True,
        "Demande non acceptée",
        "Motif de non-acceptation",
    ),
    _T(
        Action.NOTIFY_INTENDED_REFUSAL,
        S.ACCEPTED,
        S.HEARING,
        Side.CUSTOMS,
        True,
        "Intention de refus notifiée : droit d'être entendu",
        "Motifs du refus envisagé",
    ),
    _T(Action.GRANT, S.ACCEPTED, S.GRANTED, Side.CUSTOMS, False, "Autorisation octroyée"),
    _T(Action.GRANT, S.HEARING, S.GRANTED, Side.CUSTOMS, False, "Autorisation octroyée après audition"),
    _T(Action.REFUSE, S.HEARING, S.REFUSED, Side.CUSTOMS, True, "Demande refusée", "Motifs du refus"),
    *(
        _T(Action.WITHDRAW, source, S.WITHDRAWN, Side.APPLICANT, False, "Demande retirée par le demandeur")
        for source in (S.DRAFT, S.SUBMITTED, S.COMPLEMENT_REQUESTED, S.ACCEPTED, S.HEARING)
    ),
)

ACTION_LABELS = {
    Action.SUBMIT: "déposer",
    Action.REQUEST_COMPLEMENT: "demander un complément",
    Action.ACCEPT: "accepter la demande",
    Action.NOT_ACCEPT: "ne pas accepter la demande",
    Action.NOTIFY_INTENDED_REFUSAL: "notifier une intention de refus",
    Action.GRANT: "octroyer l'autorisation",
    Action.REFUSE: "refuser la demande",
    Action.WITHDRAW: "retirer la demande",
}

FINAL = {S.GRANTED, S.REFUSED, S.NOT_ACCEPTED, S.WITHDRAWN}


class ForbiddenTransition(ValueError):
    def __init__(self, action: Action, status: S) -> None:
        verb = ACTION_LABELS[action]
        de = "d'" if verb[0] in "aeiouyéèêh" else "de "
        super().__init__(f"Impossible {de}{verb} : le dossier est {status.label}.")
        self.message = str(self)


def transition(action: Action, status: S) -> Transition:
    """The transition `action` makes from `status`; ForbiddenTransition (a French message) when there is none."""
    for candidate in TRANSITIONS:
        if candidate.action is action and candidate.source is status:
            return candidate
    raise ForbiddenTransition(action, status)


def available(status: S, side: Side) -> list[Transition]:
    """What one side may do now (the buttons the UI offers)."""
    return [t for t in TRANSITIONS if t.source is status and t.side is side]


class Step(enum.StrEnum):
    """What one may do on a dossier without changing its status."""

    TAKE = "take"
    EXTEND_DECISION_DEADLINE = "extend_decision_deadline"
    COMMENT = "comment"


@dataclass(frozen=True)
class Offer:
    """An action offered to one side in one status: its button and what its form asks."""

    code: str  # an Action's value (a status change) or a Step's
    label: str  # the button
    side: Side
    right: Right | None  # the applicant side's minimal right on the dossier's operator (None: customs)
    needs_message: bool
    needs_date: bool = False
    message_label: str = ""
    transition: Transition | None = None


# Statuses customs see and still process (a draft never reaches them; a decided dossier is closed).
OPEN_FOR_CUSTOMS = (S.SUBMITTED, S.COMPLEMENT_REQUESTED, S.ACCEPTED, S.HEARING)
# The decision deadline runs, and may be extended, while the dossier is accepted (see deadlines.py).
EXTENDABLE = (S.ACCEPTED,)


def _button(text: str) -> str:
    return text[0].upper() + text[1:]


def offers(status: S, side: Side) -> list[Offer]:
    """Everything one side may do in `status`, status changes first; the caller keeps what the actor's right allows."""
    found = [
        Offer(
            code=t.action.value,
            label=_button(ACTION_LABELS[t.action]),
            side=side,
            right=Right.SUBMIT if side is Side.APPLICANT else None,
            needs_message=t.needs_message,
            message_label=t.message_label,
            transition=t,
        )
        for t in available(status, side)
    ]
    if side is Side.CUSTOMS:
        if status in OPEN_FOR_CUSTOMS:
            found.append(Offer(Step.TAKE.value, "Prendre en charge", side, None, needs_message=False))
        if status in EXTENDABLE:
            found.append(
                Offer(
                    Step.EXTEND_DECISION_DEADLINE.value,
                    "Prolonger le délai de décision",
                    side,
                    None,
                    needs_message=True,
                    needs_date=True,
                    message_label="Motif de la prolongation",
                )
            )
        found.append(Offer(Step.COMMENT.value, "Laisser un commentaire", side, None, True, False, "Commentaire"))
    else:
        found.append(
            Offer(Step.COMMENT.value, "Laisser un commentaire", side, Right.PREPARE, True, False, "Commentaire")
        )
    return found
