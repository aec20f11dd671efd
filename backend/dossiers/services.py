"""Filing an application: create (prefilled), save a draft, check ("Contrôler"), submit ("Valider"), goods lines,
attachments. Every service asks the access policy first; every step that matters is written to the history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.dossiers import attachments as attachment_rules
from backend.dossiers.catalogue import Procedure, code_list
from backend.dossiers.form import GOODS_KINDS, MalformedValue, field_specs, goods_kinds_for, parse_value
from backend.dossiers.models import (
    EDITABLE_STATUSES,
    Attachment,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierStatus,
    GoodsLine,
)
from backend.dossiers.notify import publish
from backend.dossiers.rules import GoodsView, Problem, check
from backend.dossiers.storage import Storage
from backend.errors import DomainError, NotFound
from backend.identity.models import Operator, Right, User
from backend.identity.policy import (
    Access,
    Via,
    acting_operator,
    require_actor,
    require_dossier_right,
    require_professional,
    require_right,
    require_terms,
    visible_dossiers,
)

MAX_GOODS_LINES = 500
PARIS = ZoneInfo("Europe/Paris")


class Conflict(DomainError):
    code = "CONFLICT"


class InvalidValue(DomainError):
    code = "INVALID_VALUE"


class NotEditable(DomainError):
    code = "NOT_EDITABLE"


class HasProblems(DomainError):
    code = "DOSSIER_HAS_PROBLEMS"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"Le dossier ne peut pas être validé : {len(problems)} point(s) à corriger (voir « Contrôler »).",
        )
        self.problems = problems

    @property
    def extensions(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "problems": [{"path": p.path, "code": p.code, "message": p.message} for p in self.problems],
        }


def _applicant_first(access: Access) -> None:
    """Who is asking comes before looking anything up: nothing about an id leaks to the wrong kind of caller."""
    require_professional(access)
    require_terms(access)


# --- reading --------------------------------------------------------------------------------------------------


async def get_dossier(session: AsyncSession, access: Access, dossier_id: int) -> Dossier:
    """A dossier the actor may see; NotFound otherwise (exactly like one that does not exist)."""
    require_terms(access)
    dossier = (
        await session.exec(select(Dossier).where(Dossier.id == dossier_id, visible_dossiers(access)))
    ).first()
    if dossier is None:
        raise NotFound("Dossier introuvable.")
    return dossier


async def goods_lines(session: AsyncSession, dossier_id: int) -> list[GoodsLine]:
    return list(
        (
            await session.exec(
                select(GoodsLine)
                .where(GoodsLine.dossier_id == dossier_id)
                .order_by(GoodsLine.kind, GoodsLine.position, GoodsLine.id)
            )
        ).all()
    )


def _goods_views(lines: list[GoodsLine]) -> list[GoodsView]:
    return [
        GoodsView(l.id, l.kind, l.cn_code, l.description, l.quantity, l.unit, l.value)
        for l in lines  # noqa: E741
    ]


async def problems_of(session: AsyncSession, dossier: Dossier, *, today: dt.date | None = None) -> list[Problem]:
    lines = await goods_lines(session, dossier.id)
    return check(Procedure(dossier.procedure), dossier.data, _goods_views(lines), today=today or utcnow().date())


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
    session: AsyncSession, access: Access, *, operator_id: int | None, procedure: str
) -> Dossier:
    """A new draft for the operator the actor acts for (prepare right), prefilled from the operator."""
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
        filed_by_operator_id=user.operator_id if entry.via is Via.REPRESENTATION else None,
        procedure=proc.value,
        status=DossierStatus.DRAFT,
        data={k: v for k, v in prefill(operator).items() if v is not None},
        created_by_id=user.id,
        created_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    session.add(dossier)
    await session.flush()
    event = DossierEvent(
        dossier_id=dossier.id, kind="created", actor_id=user.id, to_status=DossierStatus.DRAFT.value, at=now
    )
    session.add(event)
    await session.commit()
    await publish(session, dossier, event)
    await session.refresh(dossier)
    return dossier


def _require_editable(dossier: Dossier) -> None:
    if dossier.status not in EDITABLE_STATUSES:
        raise NotEditable(
            f"Le dossier {dossier.reference} est {dossier.status.label} : il ne peut plus être modifié."
        )


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
    _applicant_first(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.PREPARE)
    _require_editable(dossier)
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
    _applicant_first(access)
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
    found = check(Procedure(dossier.procedure), data, _goods_views(lines), today=utcnow().date())
    # A malformed value replaces the "required" problem of the same field.
    bad_paths = {p.path for p in malformed} | bad_fields
    return malformed + [p for p in found if p.path not in bad_paths]


async def submit_dossier(session: AsyncSession, access: Access, dossier_id: int, version: int) -> Dossier:
    """ "Valider": needs the submit right and no problem; the dossier becomes "déposé"."""
    _applicant_first(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.SUBMIT)
    _require_editable(dossier)
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
    event = DossierEvent(
        dossier_id=dossier_id,
        kind="submitted" if previous is DossierStatus.DRAFT else "resubmitted",
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        from_status=previous.value,
        to_status=DossierStatus.SUBMITTED.value,
        at=now,
    )
    session.add(event)
    await session.commit()
    await session.refresh(dossier)
    await publish(session, dossier, event)
    return dossier


async def list_dossiers(
    session: AsyncSession, access: Access, *, statuses: list[DossierStatus] | None = None, limit: int = 50
) -> list[tuple[Dossier, Operator]]:
    require_actor(access)
    if not access.is_officer:
        require_professional(access)
    require_terms(access)
    query = (
        select(Dossier, Operator)
        .join(Operator, Operator.id == Dossier.operator_id)
        .where(visible_dossiers(access))
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(Dossier.status.in_(statuses))
    return [(d, o) for d, o in (await session.exec(query)).all()]


# --- goods lines ---------------------------------------------------------------------------------------------


def _parse_goods(values: dict[str, Any]) -> dict[str, Any]:
    """Malformed parts of a goods line are refused; empty ones are kept empty (incomplete)."""
    parsed: dict[str, Any] = {}
    if "cnCode" in values:
        cn = (values["cnCode"] or "").strip().replace(" ", "").replace(".", "")
        if cn and not (cn.isascii() and cn.isdigit() and len(cn) in (4, 8)):
            raise InvalidValue("Le code NC comporte 8 chiffres (ou 4 pour une position SH).", field="cnCode")
        parsed["cn_code"] = cn or None
    if "description" in values:
        description = (values["description"] or "").strip()
        if len(description) > 1000:
            raise InvalidValue("La désignation est trop longue (1000 caractères au plus).", field="description")
        parsed["description"] = description or None
    if "quantity" in values:
        parsed["quantity"] = _decimal(values["quantity"], "quantity", "La quantité", places=3, positive=True)
    if "value" in values:
        parsed["value"] = _decimal(values["value"], "value", "La valeur", places=2, positive=False)
    if "unit" in values:
        unit = (values["unit"] or "").strip().upper()
        if unit and code_list("units").get(unit) is None:
            raise InvalidValue(f"Unité de mesure inconnue : {unit}.", field="unit")
        parsed["unit"] = unit or None
    return parsed


def _decimal(raw: Any, field: str, label: str, *, places: int, positive: bool) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise InvalidValue(f"{label} doit être un nombre.", field=field) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise InvalidValue(
            f"{label} doit être un nombre {'strictement ' if positive else ''}positif.", field=field
        )
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise InvalidValue(f"{label} a au plus {places} décimales.", field=field)
    if number >= Decimal(10) ** 13:
        raise InvalidValue(f"{label} est trop grande.", field=field)
    return number


async def _editable_for_goods(session: AsyncSession, access: Access, dossier_id: int) -> Dossier:
    _applicant_first(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_dossier_right(access, dossier, Right.PREPARE)
    _require_editable(dossier)
    # Take the dossier row first (locked until commit) and re-check its status under the lock: a concurrent
    # "Valider" either committed before (refused here) or waits for this change and then checks it.
    locked = await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier_id, Dossier.status.in_(EDITABLE_STATUSES))
        .values(updated_at=utcnow(), updated_by_id=access.actor.user_id)  # type: ignore[union-attr]
    )
    if locked.rowcount != 1:
        reference = dossier.reference
        await session.rollback()
        raise NotEditable(
            f"Le dossier {reference} n'est plus modifiable (il a été déposé ou son statut a changé)."
        )
    return dossier


async def _touch(session: AsyncSession, dossier: Dossier, access: Access) -> None:
    await session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier.id)
        .values(updated_at=utcnow(), updated_by_id=access.actor.user_id)  # type: ignore[union-attr]
    )


async def add_goods_line(
    session: AsyncSession, access: Access, dossier_id: int, kind: str, values: dict[str, Any]
) -> GoodsLine:
    dossier = await _editable_for_goods(session, access, dossier_id)
    if kind not in GOODS_KINDS or kind not in goods_kinds_for(Procedure(dossier.procedure)):
        raise InvalidValue("Ce type de produit n'existe pas pour ce régime.", field="kind")
    count = (
        await session.exec(
            select(sa.func.count()).select_from(GoodsLine).where(GoodsLine.dossier_id == dossier.id)
        )
    ).one()
    if count >= MAX_GOODS_LINES:
        raise InvalidValue(f"Un dossier compte au plus {MAX_GOODS_LINES} lignes de marchandises.", field="kind")
    line = GoodsLine(dossier_id=dossier.id, kind=kind, position=count + 1, **_parse_goods(values))
    session.add(line)
    await _touch(session, dossier, access)
    await session.commit()
    await session.refresh(line)
    return line


async def _line(session: AsyncSession, access: Access, line_id: int) -> tuple[GoodsLine, Dossier]:
    _applicant_first(access)
    line = await session.get(GoodsLine, line_id)
    if line is None:
        raise NotFound("Ligne de marchandise introuvable.")
    try:
        dossier = await _editable_for_goods(session, access, line.dossier_id)
    except NotFound:
        raise NotFound("Ligne de marchandise introuvable.") from None
    return line, dossier


async def update_goods_line(
    session: AsyncSession, access: Access, line_id: int, values: dict[str, Any]
) -> GoodsLine:
    line, dossier = await _line(session, access, line_id)
    for key, value in _parse_goods(values).items():
        setattr(line, key, value)
    session.add(line)
    await _touch(session, dossier, access)
    await session.commit()
    await session.refresh(line)
    return line


async def remove_goods_line(session: AsyncSession, access: Access, line_id: int) -> int:
    line, dossier = await _line(session, access, line_id)
    dossier_id = line.dossier_id
    await session.delete(line)
    await _touch(session, dossier, access)
    await session.commit()
    return dossier_id


# --- attachments ---------------------------------------------------------------------------------------------


async def add_attachment(
    session: AsyncSession,
    access: Access,
    storage: Storage,
    dossier_id: int,
    filename: str,
    content: bytes,
    *,
    max_bytes: int,
) -> Attachment:
    dossier = await _editable_for_goods(session, access, dossier_id)
    safe_name, content_type, digest = attachment_rules.inspect(filename, content, max_bytes=max_bytes)
    storage.put(digest, content)
    now = utcnow()
    attachment = Attachment(
        dossier_id=dossier.id,
        filename=safe_name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        storage_key=digest,
        uploaded_by_id=access.actor.user_id,  # type: ignore[union-attr]
        uploaded_at=now,
    )
    session.add(attachment)
    event = DossierEvent(
        dossier_id=dossier.id,
        kind="attachment_added",
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        message=safe_name,
        at=now,
    )
    session.add(event)
    await _touch(session, dossier, access)
    await session.commit()
    await publish(session, dossier, event)
    await session.refresh(attachment)
    return attachment


async def remove_attachment(session: AsyncSession, access: Access, attachment_id: int) -> Attachment:
    _applicant_first(access)
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None or attachment.removed_at is not None:
        raise NotFound("Pièce jointe introuvable.")
    try:
        dossier = await _editable_for_goods(session, access, attachment.dossier_id)
    except NotFound:
        raise NotFound("Pièce jointe introuvable.") from None
    now = utcnow()
    attachment.removed_at, attachment.removed_by_id = now, access.actor.user_id  # type: ignore[union-attr]
    session.add(attachment)
    event = DossierEvent(
        dossier_id=dossier.id,
        kind="attachment_removed",
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        message=attachment.filename,
        at=now,
    )
    session.add(event)
    await _touch(session, dossier, access)
    await session.commit()
    await publish(session, dossier, event)
    await session.refresh(attachment)
    return attachment


async def attachment_for_download(session: AsyncSession, access: Access, attachment_id: int) -> Attachment:
    """Any version (removed ones too, for the history) of an attachment of a dossier the actor may see."""
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("Pièce jointe introuvable.")
    try:
        await get_dossier(session, access, attachment.dossier_id)
    except NotFound:
        raise NotFound("Pièce jointe introuvable.") from None
    return attachment


async def attachments_of(session: AsyncSession, dossier_id: int, *, include_removed: bool) -> list[Attachment]:
    query = (
        select(Attachment)
        .where(Attachment.dossier_id == dossier_id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    if not include_removed:
        query = query.where(Attachment.removed_at.is_(None))
    return list((await session.exec(query)).all())
