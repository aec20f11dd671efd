"""The PDF of one version of an authorisation: a Typst template compiled on the server (no system dependency),
tagged PDF/UA-1 with the document language French, so it prints, files and reads aloud."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import typst
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations import content, reading
from backend.authorizations.models import Authorization, AuthorizationState, AuthorizationVersion
from backend.authorizations.rules import state_on
from backend.dossiers.catalogue import PROCEDURES, Procedure
from backend.errors import NotFound
from backend.identity.models import Operator, User
from backend.identity.policy import Access

TEMPLATE = (Path(__file__).parent / "templates" / "authorization.typ").read_bytes()


def measures_in_force(authorization: Authorization, day: dt.date) -> list[str]:
    """What weighs on the authorisation on `day`, in words (« Suspendue du … au … »)."""
    found = []
    state = state_on(authorization, day)
    if state is AuthorizationState.ANNULLED and authorization.annulled_on:
        found.append(f"Annulée (effet à compter du {authorization.annulled_on:%d/%m/%Y}).")
    if authorization.revoked_from:
        verb = "Révoquée" if state is AuthorizationState.REVOKED else "Révocation prévue"
        found.append(f"{verb} à compter du {authorization.revoked_from:%d/%m/%Y}.")
    if authorization.suspended_from and state is not AuthorizationState.ANNULLED:
        until = f" au {authorization.suspended_until:%d/%m/%Y}" if authorization.suspended_until else ""
        found.append(f"Suspendue du {authorization.suspended_from:%d/%m/%Y}{until}.")
    if state is AuthorizationState.EXPIRED and authorization.valid_until:
        found.append(f"Expirée : fin de validité le {authorization.valid_until:%d/%m/%Y}.")
    return found


def _holder(operator: Operator) -> list[list[str]]:
    address = ", ".join(p for p in (operator.address, f"{operator.postcode} {operator.city}".strip()) if p)
    siret = operator.siret
    return [
        ["Raison sociale", operator.legal_name],
        ["EORI", operator.eori or "—"],
        ["SIRET", f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"],
        ["Adresse", f"{address} ({operator.country})" if address else operator.country],
    ]


def render(
    authorization: Authorization,
    version: AuthorizationVersion,
    operator: Operator,
    *,
    today: dt.date,
    issued_by: str,
) -> bytes:
    """The PDF of `version` as it stands on `today` (the measures in force are those of today)."""
    procedure = Procedure(authorization.procedure)
    data = {
        "title": f"Autorisation {authorization.reference} – version {version.number}",
        "reference": authorization.reference,
        "version": version.number,
        "subtitle": (
            f"Régime particulier : {PROCEDURES[procedure].label} (type d'autorisation "
            f"{authorization.authorisation_type}) – état au {today:%d/%m/%Y} : {state_on(authorization, today).label}"
        ),
        "office": f"Bureau de douane {authorization.customs_office}",
        "measures": measures_in_force(authorization, today),
        "holder": _holder(operator),
        "sections": [
            {"title": s.title, "entries": [[e.label, e.value] for e in s.entries]}
            for s in content.sections(version, procedure)
        ],
        "issued": (
            f"Version {version.number} ({version.kind.label.lower()}) délivrée le "
            f"{version.issued_at:%d/%m/%Y} par {issued_by}, bureau de douane {authorization.customs_office}."
        ),
    }
    return typst.compile(
        TEMPLATE,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        pdf_standards=["ua-1"],
        ignore_system_fonts=True,
        timestamp=version.issued_at.replace(microsecond=0),  # Typst wants whole seconds
    )


async def version_pdf(
    session: AsyncSession, access: Access, authorization_id: int, number: int, today: dt.date
) -> tuple[str, bytes]:
    """The file name and PDF of one version, for a reader of the authorisation (NotFound otherwise). Compiled in a
    thread: the event loop keeps serving while Typst lays the pages out."""
    authorization = await reading.get_authorization(session, access, authorization_id)
    version = next((v for v in await reading.versions_of(session, authorization_id) if v.number == number), None)
    if version is None:
        raise NotFound("Version introuvable.")
    operator = await session.get(Operator, authorization.operator_id)
    issuer = await session.get(User, version.issued_by_id)
    assert operator is not None
    pdf = await asyncio.to_thread(
        render, authorization, version, operator, today=today, issued_by=issuer.display_name if issuer else "—"
    )
    return f"autorisation-{authorization.reference}-v{number}.pdf", pdf
