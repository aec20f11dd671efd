"""Who may see and act on private persons' declarations: the private person who made one (and nobody else on the
declarant's side: no sharing, no representation, no API token), and the officers of the office that examines them.
A declaration another actor may not see is « introuvable », like one that does not exist."""

from __future__ import annotations

import sqlalchemy as sa

from backend.declarations.models import DeclarationStatus, PrivateDeclaration, PrivateDeclarationEvent
from backend.errors import DomainError, Forbidden, NotFound, Unauthenticated
from backend.identity.models import AccountKind
from backend.identity.policy.access import LOGIN_REQUIRED, Access

NOT_FOUND_DECLARATION = "Déclaration introuvable."
PRIVATE_ONLY = (
    "Seul un particulier, connecté avec son identité numérique, peut déclarer ses effets personnels ou ses achats "
    "en ligne : un professionnel ne déclare pas au nom d'un particulier."
)
EDITABLE = frozenset({DeclarationStatus.DRAFT, DeclarationStatus.INFO_REQUESTED})
EXAMINABLE = frozenset({DeclarationStatus.SUBMITTED, DeclarationStatus.UNDER_REVIEW})


def is_private_person(access: Access) -> bool:
    """A private person in their own browser session: an API token (even their own) never declares for them."""
    return (
        access.actor is not None and access.actor.kind is AccountKind.PRIVATE_PERSON and access.actor.token is None
    )


def _officer_office(access: Access) -> str | None:
    if not access.is_officer or access.actor is None:
        return None
    return access.actor.user.customs_office or None


def visible_declarations(access: Access) -> sa.ColumnElement[bool]:
    """The declarant's own declarations; an officer's office's declarations that were submitted (never a draft)."""
    if is_private_person(access):
        return PrivateDeclaration.declarant_id == access.actor.user_id
    office = _officer_office(access)
    if office:
        return sa.and_(
            PrivateDeclaration.customs_office == office,
            PrivateDeclaration.status != DeclarationStatus.DRAFT.value,
        )
    return sa.false()


def visible_declaration_events(access: Access) -> sa.ColumnElement[bool]:
    return PrivateDeclarationEvent.declaration_id.in_(
        sa.select(PrivateDeclaration.id).where(visible_declarations(access))
    )


def may_declare(access: Access) -> bool:
    return is_private_person(access)


def require_declaring(access: Access) -> None:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if not may_declare(access):
        raise Forbidden(PRIVATE_ONLY)


def may_read_declaration(access: Access, declaration: PrivateDeclaration) -> bool:
    if is_private_person(access):
        return declaration.declarant_id == access.actor.user_id
    office = _officer_office(access)
    return bool(office) and declaration.customs_office == office and declaration.status != DeclarationStatus.DRAFT


def require_declaration_reader(access: Access, declaration: PrivateDeclaration | None) -> PrivateDeclaration:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if declaration is None or not may_read_declaration(access, declaration):
        raise NotFound(NOT_FOUND_DECLARATION)
    return declaration


def is_declarant(access: Access, declaration: PrivateDeclaration) -> bool:
    return is_private_person(access) and declaration.declarant_id == access.actor.user_id


def is_examiner(access: Access, declaration: PrivateDeclaration) -> bool:
    office = _officer_office(access)
    return bool(office) and declaration.customs_office == office


def may_edit_declaration(access: Access, declaration: PrivateDeclaration) -> bool:
    return is_declarant(access, declaration) and DeclarationStatus(declaration.status) in EDITABLE


def may_examine_declaration(access: Access, declaration: PrivateDeclaration) -> bool:
    return is_examiner(access, declaration) and DeclarationStatus(declaration.status) in EXAMINABLE


def require_declarant(access: Access, declaration: PrivateDeclaration | None) -> PrivateDeclaration:
    declaration = require_declaration_reader(access, declaration)
    if not is_declarant(access, declaration):
        raise Forbidden("Seul le déclarant peut faire cela.")
    return declaration


def require_editable(access: Access, declaration: PrivateDeclaration | None) -> PrivateDeclaration:
    declaration = require_declarant(access, declaration)
    if DeclarationStatus(declaration.status) not in EDITABLE:
        raise DomainError(
            f"Cette déclaration est {DeclarationStatus(declaration.status).label} : elle ne peut plus être modifiée.",
            code="INVALID_STATE",
        )
    return declaration


def require_examiner(access: Access, declaration: PrivateDeclaration | None) -> PrivateDeclaration:
    declaration = require_declaration_reader(access, declaration)
    if not is_examiner(access, declaration):
        raise Forbidden("Seuls les agents du bureau chargé des déclarations des particuliers peuvent faire cela.")
    return declaration
