"""Demo dossiers for `make run`: a few applications of Ateliers Durand SA at every stage of the workflow, so that a
newcomer finds the « à traiter / en attente » dashboards, the customs workspace and a history already filled.

They are made through the domain services, exactly as the screens would make them (history, deadlines, events).
Loaded once: nothing is added when Ateliers Durand already has dossiers. Marie Durand, who files them, has accepted
the terms of use; every other demo professional still meets them at their first visit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations import exchanges, measures, reading
from backend.authorizations.hearing import AdverseMeasure
from backend.authorizations.rules import GrantTerms
from backend.clock import paris_today
from backend.db import utcnow
from backend.dossiers import filing, goods, processing
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier
from backend.dossiers.workflow import Action
from backend.identity.actor import Actor
from backend.identity.models import Operator, TermsAcceptance, User
from backend.identity.policy import Access, load_access

DURAND_SIRET = "55210055400013"
FILER = "marie.durand@ateliers-durand.fr"
OFFICER = "claire.bernard@douane.gouv.fr"

# A complete, valid application (with the applicant's prefilled identity and a signature date): the tests' factories
# start from the same answers.
COMMON: dict[str, Any] = {
    "applicant.contactName": "Sophie Moreau",
    "applicant.contactPhone": "04 72 00 00 00",
    "applicant.contactEmail": "sophie.moreau@ateliers-durand.fr",
    "applicant.customsOffice": "FR000690",
    "applicant.applicationType": "FIRST",
    "applicant.accountsPlace": "12 rue des Forges, 69007 Lyon",
    "accounts.type": "COMMERCIAL",
    "accounts.details": "Progiciel de gestion intégré, comptabilité matières par lot.",
    "goods.identification": "Numéros de série gravés sur chaque pièce.",
    "misc.placeOfProcessing": "Atelier de Lyon, 12 rue des Forges, 69007 Lyon",
    "misc.dischargePeriodMonths": 12,
    "validation.signatory": "Marie Durand, présidente",
    "validation.place": "Lyon",
}

SPECIFIC: dict[Procedure, dict[str, Any]] = {
    Procedure.TEMPORARY_ADMISSION: {
        "specific.intendedUse": "Présentation sur un salon professionnel.",
        "specific.periodMonths": 6,
        "specific.placeOfUse": "Eurexpo, boulevard de l'Europe, 69680 Chassieu",
        "specific.identificationMeasures": "Plaques constructeur et numéros de série relevés.",
    },
    Procedure.END_USE: {
        "specific.additionalGoodsInformation": "S. O.",
        "specific.unit": "KGM",
        "specific.firstPlaceOfUse": "Ateliers Durand SA, 12 rue des Forges, 69007 Lyon",
    },
    Procedure.CUSTOMS_WAREHOUSING: {
        "specific.warehouseType": "PUBLIC_1",
        "specific.storagePlaces": [
            {
                "name": "Entrepôt du port Édouard-Herriot",
                "country": "FR",
                "address": "1 rue du Port, 69007 Lyon",
                "phone": None,
                "fax": None,
                "email": None,
            }
        ],
        "specific.lossRate": "2.5",
        "specific.temporaryRemoval": False,
        "specific.unionGoods": False,
        "specific.otherProcedureGoods": False,
    },
    Procedure.INWARD_PROCESSING: {
        "specific.economicConditions": ["02"],
        "specific.equivalentGoods": False,
        "specific.priorExport": False,
        "specific.releaseWithoutDeclaration": False,
        "specific.dutyCalculation": False,
        "goods.yieldRate": "100 kg de tôles donnent 95 kg de pièces usinées.",
    },
    Procedure.OUTWARD_PROCESSING: {
        "specific.equivalentGoods": False,
        "specific.standardExchange": False,
        "specific.priorImport": False,
        "goods.yieldRate": "Une pièce réparée par pièce exportée.",
    },
}

GOODS = {
    "cnCode": "72085120",
    "description": "Tôles d'acier laminées à chaud",
    "quantity": "12000",
    "unit": "KGM",
    "value": "9840.00",
}
PRODUCT = {"cnCode": "84829900", "description": "Pièces usinées", "quantity": "11400", "unit": "KGM"}

# (procedure, what happens after filing, in order). "file" = completed and submitted by the applicant.
STORIES: list[tuple[Procedure, list[tuple[str, str | None]]]] = [
    (Procedure.TEMPORARY_ADMISSION, []),  # a draft, only prefilled: « à traiter » for the applicant
    (Procedure.INWARD_PROCESSING, [("file", None)]),  # with customs, to be accepted
    (
        Procedure.END_USE,
        [
            ("file", None),
            ("take", None),
            (
                Action.REQUEST_COMPLEMENT,
                "Merci de joindre la fiche technique des tôles et de préciser le premier lieu d'affectation.",
            ),
        ],
    ),
    (
        Procedure.CUSTOMS_WAREHOUSING,
        [
            ("file", None),
            ("take", None),
            (Action.ACCEPT, None),
            ("comment:customs", "Une visite des locaux de stockage est prévue le mois prochain."),
            ("comment:applicant", "Entendu, le responsable logistique vous accueillera."),
        ],
    ),
    (
        Procedure.OUTWARD_PROCESSING,
        [
            ("file", None),
            (Action.ACCEPT, None),
            (
                Action.NOTIFY_INTENDED_REFUSAL,
                "Les conditions économiques ne sont pas remplies : les produits transformés seraient fabriqués "
                "à partir de marchandises disponibles dans l'Union.",
            ),
        ],
    ),
    # Three issued authorisations: one in force for two years, one ending within the renewal window, one suspended.
    (Procedure.TEMPORARY_ADMISSION, [("file", None), (Action.ACCEPT, None), ("grant:730", None)]),
    (Procedure.INWARD_PROCESSING, [("file", None), (Action.ACCEPT, None), ("grant:45", None)]),
    (
        Procedure.END_USE,
        [
            ("file", None),
            (Action.ACCEPT, None),
            ("grant:1095", None),
            (
                "suspend",
                "Les relevés de destination particulière du dernier trimestre n'ont pas été transmis : ils sont "
                "attendus avant la levée de la suspension.",
            ),
        ],
    ),
]


async def _access(session: AsyncSession, user: User) -> Access:
    return await load_access(session, Actor(user=user, via="session", session_id="demo"))


async def _accept_terms(session: AsyncSession, user: User) -> None:
    access = await _access(session, user)
    if access.terms_accepted or access.current_terms_id is None:
        return
    session.add(TermsAcceptance(user_id=user.id, terms_version_id=access.current_terms_id, accepted_at=utcnow()))
    await session.commit()


async def _file(session: AsyncSession, applicant: Access, dossier: Dossier, procedure: Procedure) -> Dossier:
    answers = {**COMMON, **SPECIFIC[procedure], "validation.date": paris_today().isoformat()}
    dossier = await filing.update_dossier(session, applicant, dossier.id, dossier.version, answers)
    await goods.add_goods_line(session, applicant, dossier.id, "GOODS", dict(GOODS))
    if procedure in (Procedure.INWARD_PROCESSING, Procedure.OUTWARD_PROCESSING):
        await goods.add_goods_line(session, applicant, dossier.id, "PROCESSED", dict(PRODUCT))
    dossier = await session.get(Dossier, dossier.id, populate_existing=True)
    return await filing.submit_dossier(session, applicant, dossier.id, dossier.version)


async def load_demo_dossiers(session: AsyncSession, users: list[User]) -> int:
    """Make the demo dossiers unless Ateliers Durand already has some; returns how many were made."""
    durand = (await session.exec(select(Operator).where(Operator.siret == DURAND_SIRET))).one()
    existing = (
        await session.exec(select(func.count()).select_from(Dossier).where(Dossier.operator_id == durand.id))
    ).one()
    if existing:
        return 0
    by_sub = {user.subject: user for user in users}
    filer, officer = by_sub[FILER], by_sub[OFFICER]
    await _accept_terms(session, filer)
    for procedure, story in STORIES:
        applicant = await _access(session, filer)
        dossier = await filing.create_dossier(session, applicant, operator_id=durand.id, procedure=procedure.value)
        for step, message in story:
            applicant, customs = await _access(session, filer), await _access(session, officer)
            if step == "file":
                dossier = await _file(session, applicant, dossier, procedure)
            elif step == "take":
                dossier = await processing.take(session, customs, dossier.id)
            elif step == "comment:customs":
                await processing.comment(session, customs, dossier.id, message or "")
            elif step == "comment:applicant":
                await processing.comment(session, applicant, dossier.id, message or "")
            elif step.startswith("grant:"):
                today = paris_today()
                terms = GrantTerms(
                    today,
                    today + dt.timedelta(days=int(step.removeprefix("grant:"))),
                    "Tenue d'une comptabilité matières, présentée à toute demande du service.",
                )
                dossier = await processing.act(session, customs, dossier.id, Action.GRANT, grant=terms)
            elif step == "suspend":  # after the holder has been heard (observations given)
                issued = await reading.authorization_of_dossier(session, dossier.id)
                await measures.notify_intended(
                    session,
                    customs,
                    issued.id,
                    measure=AdverseMeasure.SUSPEND,
                    reason="Relevés de destination particulière du dernier trimestre non transmis.",
                )
                await exchanges.answer_hearing(
                    session,
                    applicant,
                    issued.id,
                    "Les relevés seront transmis dans les deux mois : un changement de logiciel comptable les a "
                    "retardés.",
                )
                await measures.suspend(
                    session,
                    customs,
                    issued.id,
                    case=measures.SuspensionCase.CONDITIONS_NOT_MET,
                    reason=message or "",
                    start=paris_today(),
                    end=paris_today() + dt.timedelta(days=60),
                )
            else:
                dossier = await processing.act(session, customs, dossier.id, Action(step), message=message)
    return len(STORIES)
