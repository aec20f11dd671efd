"""The demo assistance (what `make run` shows): Sophie's question about one of Ateliers Durand's dossiers, answered by
Claire (an answer waits for Sophie), Marie's technical ticket waiting for the support, and two opinions of the
portal's pages for the support to read. Made once, through the domain."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.assistance import service
from backend.assistance.models import AssistanceRequest
from backend.clock import paris_today
from backend.dossiers.models import Dossier
from backend.identity.actor import Actor
from backend.identity.models import User
from backend.identity.policy import Access, load_access

ASKER = "sophie.moreau@ateliers-durand.fr"
OFFICER = "claire.bernard@douane.gouv.fr"
TICKET_AUTHOR = "marie.durand@ateliers-durand.fr"
FEEDBACK_GIVERS = ("paul.lefevre@ateliers-durand.fr", "jean.petit@exemple.fr")


async def _access(session: AsyncSession, user: User) -> Access:
    return await load_access(session, Actor(user=user, via="session", session_id="demo"))


async def load_demo_assistance(session: AsyncSession, users: list[User]) -> int:
    """Make the demo requests unless some exist; returns how many were made."""
    if (await session.exec(select(sa.func.count()).select_from(AssistanceRequest))).one():
        return 0
    by_sub = {user.subject: user for user in users}
    sophie, claire, marie = by_sub[ASKER], by_sub[OFFICER], by_sub[TICKET_AUTHOR]
    dossier = (
        await session.exec(
            select(Dossier)
            .where(Dossier.operator_id == sophie.operator_id, Dossier.submitted_at.is_not(None))
            .order_by(Dossier.id)
        )
    ).first()
    made = 0
    if dossier is not None:
        question = await service.ask_question(
            session,
            await _access(session, sophie),
            subject="Marchandises équivalentes",
            message="Pouvons-nous utiliser des marchandises équivalentes (compensation à l'équivalent) pour ce "
            "dossier ? Quelles conditions faut-il remplir ?",
            dossier_id=dossier.id,
        )
        await service.post_message(
            session,
            await _access(session, claire),
            question.id,
            "Oui, c'est possible sous conditions : les marchandises équivalentes doivent avoir le même code NC à "
            "8 chiffres, la même qualité commerciale et les mêmes caractéristiques techniques (CDU, article 223). "
            "Précisez-le dans la rubrique des conditions économiques.",
        )
        made += 1
    await service.open_ticket(
        session,
        await _access(session, marie),
        subject="Le téléversement d'une pièce jointe échoue",
        description="En joignant un PDF de 12 Mo au dossier, la page affiche « Formulaire expiré ».",
        page="/dossiers/nouveau",
    )
    made += 1
    yesterday = paris_today() - dt.timedelta(days=1)
    for sub, rating, comment in zip(
        FEEDBACK_GIVERS, (4, 3), ("Clair et rapide.", "Il manque des exemples."), strict=True
    ):
        if sub in by_sub:
            await service.give_feedback(
                session,
                await _access(session, by_sub[sub]),
                page="/",
                rating=rating,
                comment=comment,
                today=yesterday,
            )
    return made
