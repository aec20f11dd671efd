"""The tele-services each kind of account may use ("Mes téléservices")."""

from __future__ import annotations

from dataclasses import dataclass

from backend.identity.models import AccountKind


@dataclass(frozen=True)
class TeleService:
    code: str
    label: str
    description: str
    path: str


SOPRANO = TeleService(
    "SOPRANO",
    "SOPRANO – Régimes particuliers",
    "Demander, suivre et gérer vos autorisations de régimes particuliers (admission temporaire, destination "
    "particulière, entrepôt douanier, perfectionnement actif et passif).",
    "/soprano",
)
PERSONAL_DECLARATION = TeleService(
    "DECLARATION_PARTICULIER",
    "Déclarer un achat ou des effets personnels",
    "Déclarer un achat en ligne ou des effets personnels importés.",
    "/particulier",
)
CUSTOMS_WORKSPACE = TeleService(
    "ESPACE_DOUANE",
    "Espace agent des douanes",
    "Instruire les demandes d'autorisation de votre bureau et gérer les autorisations délivrées.",
    "/douane",
)

_BY_KIND = {
    AccountKind.PROFESSIONAL: (SOPRANO,),
    AccountKind.PRIVATE_PERSON: (PERSONAL_DECLARATION,),
    AccountKind.CUSTOMS_OFFICER: (CUSTOMS_WORKSPACE,),
}


def teleservices_for(kind: AccountKind) -> tuple[TeleService, ...]:
    return _BY_KIND[kind]
