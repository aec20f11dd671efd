"""Demo accounts of the embedded default: the development OIDC provider offers them with one click, and
`soprano demo load` creates them in the database (so `soprano token create --user …` works before a first login).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.config import DEMO_SUPPORT_EMAIL, Settings
from backend.identity.models import Habilitation, MandateScope, Representation, Right, User
from backend.identity.operators import ensure_operator
from backend.identity.users import upsert_user_from_claims


@dataclass(frozen=True)
class DemoAccount:
    sub: str
    role: str  # what the account shows, in French, for the README and the provider's page
    claims: dict[str, str] = field(default_factory=dict)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "marie.durand@ateliers-durand.fr",
        "Administratrice de l'opérateur Ateliers Durand",
        {"name": "Marie Durand", "given_name": "Marie", "family_name": "Durand", "siret": "55210055400013"},
    ),
    DemoAccount(
        "paul.lefevre@ateliers-durand.fr",
        "Collaborateur d'Ateliers Durand (consultation)",
        {"name": "Paul Lefèvre", "given_name": "Paul", "family_name": "Lefèvre", "siret": "55210055400013"},
    ),
    DemoAccount(
        "sophie.moreau@ateliers-durand.fr",
        "Collaboratrice d'Ateliers Durand (dépôt)",
        {"name": "Sophie Moreau", "given_name": "Sophie", "family_name": "Moreau", "siret": "55210055400013"},
    ),
    DemoAccount(
        "karim.benali@logistique-rhone.fr",
        "Partenaire externe (Logistique Rhône) habilité par Ateliers Durand",
        {"name": "Karim Benali", "given_name": "Karim", "family_name": "Benali", "siret": "38012986600014"},
    ),
    DemoAccount(
        "lucie.martin@transitaire-martin.fr",
        "Représentante en douane (Transitaire Martin & Fils)",
        {"name": "Lucie Martin", "given_name": "Lucie", "family_name": "Martin", "siret": "73282932000017"},
    ),
    DemoAccount(
        "jean.petit@exemple.fr",
        "Particulier",
        {"name": "Jean Petit", "given_name": "Jean", "family_name": "Petit"},
    ),
    DemoAccount(
        "claire.bernard@douane.gouv.fr",
        "Agente des douanes, bureau FR000690",
        {
            "name": "Claire Bernard",
            "given_name": "Claire",
            "family_name": "Bernard",
            "customs_office": "FR000690",
        },
    ),
    DemoAccount(
        "hugo.lambert@douane.gouv.fr",
        "Agent des douanes, bureau FR002300",
        {
            "name": "Hugo Lambert",
            "given_name": "Hugo",
            "family_name": "Lambert",
            "customs_office": "FR002300",
        },
    ),
    DemoAccount(
        DEMO_SUPPORT_EMAIL,
        "Support du portail (assistance technique, avis des usagers)",
        {"name": "Nadia Roux", "given_name": "Nadia", "family_name": "Roux"},
    ),
)


def claims_of(account: DemoAccount) -> dict[str, str]:
    return {"sub": account.sub, "email": account.sub, "email_verified": True, **account.claims}


# Rights given by Ateliers Durand's administrator (sub → right).
DEMO_HABILITATIONS = {
    "paul.lefevre@ateliers-durand.fr": Right.CONSULT,
    "sophie.moreau@ateliers-durand.fr": Right.SUBMIT,
    "karim.benali@logistique-rhone.fr": Right.PREPARE,
}
REPRESENTATIVE_SIRET = "73282932000017"
# Operators represented by Transitaire Martin & Fils (SIRET → scope).
DEMO_MANDATES = {
    "55210055400013": MandateScope.FULL,
    "40483304800014": MandateScope.FULL,
    "81234567600017": MandateScope.PARTIAL,
}


async def load_demo(db: AsyncSession, settings: Settings, issuer: str) -> list[User]:
    """Create or refresh the demo users, operators, rights and mandates, as first logins would. Idempotent."""
    users = [
        await upsert_user_from_claims(db, claims_of(account), issuer=issuer, settings=settings)
        for account in DEMO_ACCOUNTS
    ]
    by_sub = {u.subject: u for u in users}
    durand = await ensure_operator(db, "55210055400013")
    officer = by_sub["claire.bernard@douane.gouv.fr"]
    admin = by_sub["marie.durand@ateliers-durand.fr"]
    for sub, right in DEMO_HABILITATIONS.items():
        exists = (
            await db.exec(
                select(Habilitation.id).where(
                    Habilitation.operator_id == durand.id,
                    Habilitation.user_id == by_sub[sub].id,
                    Habilitation.revoked_at.is_(None),
                )
            )
        ).first()
        if exists is None:
            db.add(
                Habilitation(operator_id=durand.id, user_id=by_sub[sub].id, right=right, granted_by_id=admin.id)
            )
    representative = await ensure_operator(db, REPRESENTATIVE_SIRET)
    for siret, scope in DEMO_MANDATES.items():
        represented = await ensure_operator(db, siret)
        exists = (
            await db.exec(
                select(Representation.id).where(
                    Representation.representative_id == representative.id,
                    Representation.represented_id == represented.id,
                    Representation.ended_at.is_(None),
                )
            )
        ).first()
        if exists is None:
            db.add(
                Representation(
                    representative_id=representative.id,
                    represented_id=represented.id,
                    scope=scope,
                    valid_from=dt.date(2026, 1, 1),
                    valid_until=dt.date(2028, 12, 31),
                    created_by_id=officer.id,
                )
            )
    await db.commit()
    return users
