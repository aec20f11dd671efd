"""Issuing: a granted application becomes an authorisation with its version 1, in the grant's own transaction."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationVersion, VersionKind
from backend.authorizations.rules import GrantTerms, reference, validity_problems
from backend.clock import french_day
from backend.dossiers.catalogue import Procedure, authorisation_type
from backend.dossiers.models import Dossier, DossierPurpose, GoodsLine
from backend.errors import FieldErrors


class EventKind(enum.StrEnum):
    """What an authorisation's history row records."""

    ISSUED = "issued"
    AMENDED = "amended"
    RENEWED = "renewed"
    SUSPENDED = "suspended"
    SUSPENSION_LIFTED = "suspension_lifted"
    REVOKED = "revoked"
    ANNULLED = "annulled"
    REASSESSED = "reassessed"
    SUSPENSION_REQUESTED = "suspension_requested"
    REVOCATION_REQUESTED = "revocation_requested"
    COMMENT = "comment"
    HEARING_OPENED = "hearing_opened"  # customs intend an adverse measure: the holder may be heard
    OBSERVATIONS = "observations"  # the holder's answer
    HEARING_CLOSED = "hearing_closed"  # customs drop the measure they intended
    EXPIRED = "expired"  # never stored: the history shows it once the end of validity has passed


EVENT_LABELS = {
    EventKind.ISSUED: "Autorisation délivrée",
    EventKind.AMENDED: "Avenant accordé",
    EventKind.RENEWED: "Autorisation renouvelée",
    EventKind.SUSPENDED: "Autorisation suspendue",
    EventKind.SUSPENSION_LIFTED: "Suspension levée",
    EventKind.REVOKED: "Autorisation révoquée",
    EventKind.ANNULLED: "Autorisation annulée",
    EventKind.REASSESSED: "Réexamen de l'autorisation",
    EventKind.SUSPENSION_REQUESTED: "Suspension demandée par le titulaire",
    EventKind.REVOCATION_REQUESTED: "Révocation demandée par le titulaire",
    EventKind.COMMENT: "Commentaire",
    EventKind.HEARING_OPENED: "Mesure envisagée : droit d'être entendu",
    EventKind.OBSERVATIONS: "Observations du titulaire",
    EventKind.HEARING_CLOSED: "Mesure envisagée abandonnée",
    EventKind.EXPIRED: "Autorisation expirée (fin de validité)",
}


def check_terms(dossier: Dossier, terms: GrantTerms, now: dt.datetime, settings) -> GrantTerms:
    """The grant's terms, cleaned; FieldErrors (every problem, each naming its field) when they do not hold."""
    cleaned = GrantTerms(terms.valid_from, terms.valid_until, (terms.conditions or "").strip(), terms.annex_71_02)
    problems = validity_problems(Procedure(dossier.procedure), cleaned, french_day(now), settings)
    if problems:
        raise FieldErrors(problems)
    return cleaned


def goods_snapshot(lines: list[GoodsLine]) -> list[dict[str, Any]]:
    """The goods lines as granted (JSON: decimals as strings)."""
    return [
        {
            "kind": line.kind,
            "cnCode": line.cn_code,
            "description": line.description,
            "quantity": None if line.quantity is None else str(line.quantity),
            "unit": line.unit,
            "value": None if line.value is None else str(line.value),
        }
        for line in sorted(lines, key=lambda line: (line.kind, line.position, line.id or 0))
    ]


async def issue(
    session: AsyncSession, dossier: Dossier, terms: GrantTerms, *, actor_id: int, now: dt.datetime
) -> tuple[Authorization, AuthorizationEvent]:
    """The authorisation a grant issues, with its version 1 (the dossier's content as granted) and its first history
    entry. Flushed, not committed: the grant commits it with the dossier's change, then publishes the entry."""
    settings = session.info["settings"]
    lines = list((await session.exec(select(GoodsLine).where(GoodsLine.dossier_id == dossier.id))).all())
    kind = authorisation_type(Procedure(dossier.procedure), dossier.data)
    authorization = Authorization(
        operator_id=dossier.operator_id,
        filed_by_operator_id=dossier.filed_by_operator_id,
        procedure=dossier.procedure,
        authorisation_type=kind,
        customs_office=dossier.customs_office or "",
        dossier_id=dossier.id,
        valid_from=terms.valid_from,
        valid_until=terms.valid_until,
        issued_at=now,
        updated_at=now,
    )
    session.add(authorization)
    await session.flush()
    assert authorization.id is not None
    authorization.reference = reference(kind, authorization.id, settings)
    session.add(
        AuthorizationVersion(
            authorization_id=authorization.id,
            number=1,
            kind=VersionKind.ISSUE,
            dossier_id=dossier.id,
            answers=dict(dossier.data),
            goods=goods_snapshot(lines),
            conditions=terms.conditions,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            annex_71_02=terms.annex_71_02,
            issued_by_id=actor_id,
            issued_at=now,
        )
    )
    event = AuthorizationEvent(
        authorization_id=authorization.id,
        kind=EventKind.ISSUED,
        version=1,
        actor_id=actor_id,
        message=f"Délivrée à partir du dossier {dossier.reference}, {validity_text(terms)}.",
        at=now,
    )
    session.add(event)
    await session.flush()
    return authorization, event


async def add_version(
    session: AsyncSession, dossier: Dossier, terms: GrantTerms, *, actor_id: int, now: dt.datetime
) -> tuple[Authorization, AuthorizationEvent]:
    """A granted amendment or renewal: the next version of the authorisation it names (same reference), with the
    dossier's content and the grant's validity; the earlier versions stay as they were. Flushed, not committed."""
    authorization = await session.get(Authorization, dossier.authorization_id, with_for_update=True)
    assert authorization is not None
    lines = list((await session.exec(select(GoodsLine).where(GoodsLine.dossier_id == dossier.id))).all())
    number = authorization.current_version + 1
    renewal = dossier.purpose is DossierPurpose.RENEWAL
    session.add(
        AuthorizationVersion(
            authorization_id=authorization.id,
            number=number,
            kind=VersionKind.RENEWAL if renewal else VersionKind.AMENDMENT,
            dossier_id=dossier.id,
            answers=dict(dossier.data),
            goods=goods_snapshot(lines),
            conditions=terms.conditions,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            annex_71_02=terms.annex_71_02,
            issued_by_id=actor_id,
            issued_at=now,
        )
    )
    authorization.current_version = number
    authorization.valid_from, authorization.valid_until = terms.valid_from, terms.valid_until
    authorization.updated_at = now
    session.add(authorization)
    what = "Renouvellement" if renewal else "Avenant"
    event = AuthorizationEvent(
        authorization_id=authorization.id,
        kind=EventKind.RENEWED if renewal else EventKind.AMENDED,
        version=number,
        actor_id=actor_id,
        message=f"{what} accordé à partir du dossier {dossier.reference} : version {number}, {validity_text(terms)}.",
        at=now,
    )
    session.add(event)
    await session.flush()
    return authorization, event


def validity_text(terms: GrantTerms | AuthorizationVersion | Authorization) -> str:
    """« valable du 01/01/2027 au 31/12/2029 » or « valable à partir du 01/01/2027, sans limite de durée »."""
    if terms.valid_until is None:
        return f"valable à partir du {terms.valid_from:%d/%m/%Y}, sans limite de durée"
    return f"valable du {terms.valid_from:%d/%m/%Y} au {terms.valid_until:%d/%m/%Y}"
