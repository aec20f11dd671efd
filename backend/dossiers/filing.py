"""Filing an application: create (prefilled), save a draft, check ("Contrôler"), submit ("Valider"). Every service
asks the access policy first; creating and submitting are written to the history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import PARIS, paris_today
from backend.db import utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.editing import InvalidValue, require_applicant, require_editable
from backend.dossiers.form import field_specs
from backend.dossiers.goods import goods_lines, goods_views
from backend.dossiers.history import EventKind, record_and_commit
from backend.dossiers.models import Dossier, DossierCounter, DossierPurpose, DossierStatus, GoodsLine
from backend.dossiers.parsing import MalformedValue, parse_value
from backend.dossiers.reading import get_dossier
from backend.dossiers.rules import Problem, check
from backend.errors import DomainError
from backend.identity.models import Operator, Right, User
from backend.identity.policy import Access, acting_operator, require_right, require_terms
from backend.identity.policy.dossiers import filing_firm, require_dossier_right


class Conflict(DomainError):
    code = "CONFLICT"


class HasProblems(DomainError):
    code = "DOSSIER_HAS_PROBLEMS"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        points = "1 point à corriger" if count == 1 else f"{count} points à corriger"
        super().__init__(f"Le dossier ne peut pas être validé : {points} (voir « Contrôler »).")
        self.problems = problems

    @property
    def extensions(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "problems": [{"path": p.path, "code": p.code, "message": p.message} for p in self.problems],
        }


async def problems_of(session: AsyncSession, dossier: Dossier, *, today: dt.date | None = None) -> list[Problem]:
    """Every problem of the saved answers and goods lines (what "Contrôler" shows)."""
    lines = await goods_lines(session, dossier.id)
    return check(Procedure(dossier.procedure), dossier.data, goods_views(lines), today=today or paris_today())


# --- creating and saving --------------------------------------------------------------------------------------


async def _next_reference(session: AsyncSession, year: int) -> str:
    updated = await session.exec(
        sa.update(DossierCounter).where(DossierCounter.year == year).values(last=DossierCounter.last + 1)
    )
    if updated.rowcount == 0:
        session.add(DossierCounter(year=year, last=1))
        await session.flush()
    last = (await session.exec(select(DossierCounter.last).where(DossierCounter.year == year))).one()
    return f"SOP-{year}-{last:06d}"


def prefill(operator: Operator) -> dict[str, Any]:
    """Answers known from the operator's record; the applicant can correct them."""
    return {
        "applicant.name": operator.legal_name,
        "applicant.address": operator.address or None,
        "applicant.postcode": operator.postcode or None,
        "applicant.city": operator.city or None,
        "applicant.country": operator.country or None,
        "applicant.eori": operator.eori,
        "applicant.siret": operator.siret,
        "applicant.applicationType": "FIRST",
    }


async def create_dossier(
    session: AsyncSession,
    access: Access,
    *,
    operator_id: int | None,
    procedure: str,
    answers: dict[str, Any] | None = None,
    goods_lines: list[dict[str, Any]] | None = None,
    purpose: DossierPurpose = DossierPurpose.APPLICATION,
    authorization_id: int | None = None,
) -> Dossier:
    """A new draft for the operator the actor acts for (prepare right), prefilled from the operator — or, for an
    amendment or a renewal, from `answers` and `goods_lines` (an authorisation's current version: the goods as
    `issuing.goods_snapshot` wrote them), all in one transaction."""
    require_terms(access)
    if operator_id is None:
        entry = acting_operator(access, Right.PREPARE)
    else:
        entry = require_right(access, operator_id, Right.PREPARE)
    try:
        proc = Procedure(procedure)
    except ValueError:
        raise InvalidValue(f"Régime inconnu : {procedure}.", field="procedure") from None
    operator = await session.get(Operator, entry.operator_id)
    assert operator is not None
    user: User = access.user  # type: ignore[assignment]
    now = utcnow()
    dossier = Dossier(
        reference=await _next_reference(session, now.year),
        operator_id=operator.id,
        filed_by_operator_id=filing_firm(access, operator.id),
        procedure=proc.value,
        status=DossierStatus.DRAFT,
        data=dict(answers)
        if answers is not None
        else {k: v for k, v in prefill(operator).items() if v is not None},
        customs_office=(answers or {}).get("applicant.customsOffice"),
        purpose=purpose,
        authorization_id=authorization_id,
        created_by_id=user.id,
        created_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    session.add(dossier)
    await session.flush()
    for position, line in enumerate(goods_lines or []):
        session.add(
            GoodsLine(
                dossier_id=dossier.id,
                kind=line["kind"],
                position=position,
                cn_code=line.get("cnCode"),
                description=line.get("description"),
                quantity=Decimal(line["quantity"]) if line.get("quantity") is not None else None,
                unit=line.get("unit"),
                value=Decimal(line["value"]) if line.get("value") is not None else None,
            )
        )
    await record_and_commit(
        session,
        dossier,
        EventKind.CREATED,
        actor_id=user.id,  # type: ignore[arg-type]
        to_status=DossierStatus.DRAFT,
        at=now,
    )
    return dossier


async def _conflict(session: AsyncSession, dossier_id: int) -> Conflict:
    row = (
        await session.exec(
            select(Dossier.version, Dossier.updated_at, User.name, User.email)
            .join(User, User.id == Dossier.updated_by_id)
            .where(Dossier.id == dossier_id)
        )
    ).one()
    version, updated_at, name, email = row
    when = updated_at.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")
    return Conflict(
        f"Ce dossier a été modifié par {name or email} le {when} (version {version}) pendant votre saisie. "
        "Vos modifications n'ont pas été enregistrées : rechargez le dossier puis reportez-les.",
        field="version",
    )


async def update_dossier(
    session: AsyncSession, access: Access, dossier_id: int, version: int, changes: dict[str, Any]
) -> Dossier:
    """Save a draft: malformed values are refused (nothing saved), missing ones are kept as incomplete."""
    require_applicant(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.PREPARE)
    require_editable(dossier)
    if not isinstance(changes, dict):
        raise InvalidValue("Les modifications doivent être un objet { chemin: valeur }.", field="changes")
    specs = field_specs(Procedure(dossier.procedure))
    data = dict(dossier.data)
    for path, value in changes.items():
        spec = specs.get(path)
        if spec is None:
            raise InvalidValue(f"Champ inconnu pour ce régime : {path}.", field=path)
        try:
            parsed = parse_value(spec, value)
        except MalformedValue as error:
            raise InvalidValue(error.message, field=error.path) from None
        if parsed is None:
            data.pop(path, None)
        else:
            data[path] = parsed
    now = utcnow()
    # Compare-and-set on the version: of two saves of the same version, exactly one wins.
    result = await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier.id, Dossier.version == version)
        .values(
            data=data,
            version=Dossier.version + 1,
            updated_by_id=access.actor.user_id,  # type: ignore[union-attr]
            updated_at=now,
            customs_office=data.get("applicant.customsOffice"),
        )
    )
    if result.rowcount != 1:
        await session.rollback()  # expires `dossier`: use the id read before
        raise await _conflict(session, dossier_id)
    await session.commit()
    await session.refresh(dossier)
    return dossier


async def check_dossier(
    session: AsyncSession, access: Access, dossier_id: int, changes: dict[str, Any] | None = None
) -> list[Problem]:
    """ "Contrôler": every problem of the saved answers with the unsaved `changes` applied; nothing is saved.
    A malformed change is one more problem (code INVALID_VALUE), not a refusal."""
    require_applicant(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.CONSULT)
    if not changes:
        return await problems_of(session, dossier)
    specs = field_specs(Procedure(dossier.procedure))
    data = dict(dossier.data)
    malformed: list[Problem] = []
    bad_fields: set[str] = set()
    for path, value in changes.items():
        spec = specs.get(path)
        if spec is None:
            malformed.append(Problem(path, "UNKNOWN_FIELD", f"Champ inconnu pour ce régime : {path}."))
            continue
        try:
            parsed = parse_value(spec, value)
        except MalformedValue as error:
            malformed.append(Problem(error.path, "INVALID_VALUE", error.message))
            bad_fields.add(path)
            data.pop(path, None)
            continue
        if parsed is None:
            data.pop(path, None)
        else:
            data[path] = parsed
    lines = await goods_lines(session, dossier.id)
    found = check(Procedure(dossier.procedure), data, goods_views(lines), today=paris_today())
    # A malformed value replaces the "required" problem of the same field.
    bad_paths = {p.path for p in malformed} | bad_fields
    return malformed + [p for p in found if p.path not in bad_paths]


async def submit_dossier(session: AsyncSession, access: Access, dossier_id: int, version: int) -> Dossier:
    """ "Valider": needs the submit right and no problem; the dossier becomes "déposé"."""
    require_applicant(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.SUBMIT)
    require_editable(dossier)
    now = utcnow()
    previous = dossier.status
    result = await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier.id, Dossier.version == version, Dossier.status == previous)
        .values(
            status=DossierStatus.SUBMITTED,
            version=Dossier.version + 1,
            submitted_at=now,
            updated_by_id=access.actor.user_id,  # type: ignore[union-attr]
            updated_at=now,
            customs_office=dossier.data.get("applicant.customsOffice"),
        )
    )
    if result.rowcount != 1:
        await session.rollback()  # expires `dossier`: use the id read before
        raise await _conflict(session, dossier_id)
    # Checked under the row lock the update took: goods lines and attachments cannot change meanwhile.
    problems = await problems_of(session, dossier)
    if problems:
        await session.rollback()
        raise HasProblems(problems)
    await record_and_commit(
        session,
        dossier,
        EventKind.SUBMITTED if previous is DossierStatus.DRAFT else EventKind.RESUBMITTED,
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        from_status=previous,
        to_status=DossierStatus.SUBMITTED,
        at=now,
    )
    return dossier
