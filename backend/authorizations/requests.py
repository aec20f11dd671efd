"""The holder's requests on an issued authorisation: an amendment (« Demander un avenant ») or a renewal (« Demander
le renouvellement »), each a new dossier prefilled from the current version that follows the normal workflow;
granted, it becomes the next version of the same authorisation (same reference); refused, nothing changes."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations.content import Change, diff
from backend.authorizations.issuing import goods_snapshot
from backend.authorizations.models import Authorization, AuthorizationState, AuthorizationVersion
from backend.authorizations.reading import get_authorization, versions_of
from backend.authorizations.rules import GrantTerms, add_years, max_years, renewal_open, state_on
from backend.clock import french_day
from backend.db import utcnow
from backend.dossiers import filing
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierPurpose, GoodsLine
from backend.dossiers.workflow import FINAL
from backend.errors import DomainError
from backend.identity.models import Right
from backend.identity.policy import Access, require_actor
from backend.identity.policy.authorizations import may_on_authorization, require_holder_right

APPLICATION_TYPES = {DossierPurpose.AMENDMENT: "AMENDMENT", DossierPurpose.RENEWAL: "RENEWAL"}
# Answers the applicant signs again: a new request is a new commitment.
RESIGNED = ("validation.date",)


class RequestRefused(DomainError):
    code = "FORBIDDEN_TRANSITION"


async def open_request(session: AsyncSession, authorization_id: int) -> Dossier | None:
    """The amendment or renewal of this authorisation still in progress (not decided nor withdrawn), if any."""
    query = select(Dossier).where(Dossier.authorization_id == authorization_id, Dossier.status.not_in(FINAL))
    return (await session.exec(query)).first()


async def request_change(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    purpose: DossierPurpose,
    *,
    now: dt.datetime | None = None,
) -> Dossier:
    """A draft amendment or renewal of the authorisation, prefilled from its current version (answers and goods),
    for a holder's user with the prepare right. Refused on an authorisation that has ended, for a renewal outside its
    window, and while another request on it is in progress."""
    now = now or utcnow()
    if purpose is DossierPurpose.APPLICATION:
        raise ValueError("an application does not change an authorisation")
    require_actor(access)
    authorization = await get_authorization(session, access, authorization_id)
    require_holder_right(access, authorization, Right.PREPARE)
    today = french_day(now)
    state = state_on(authorization, today)
    if state in (AuthorizationState.EXPIRED, AuthorizationState.REVOKED, AuthorizationState.ANNULLED):
        raise RequestRefused(f"L'autorisation est {state.label} : déposez une nouvelle demande d'autorisation.")
    settings = session.info["settings"]
    if purpose is DossierPurpose.RENEWAL and not renewal_open(authorization, today, settings):
        if authorization.valid_until is None:
            raise RequestRefused("Cette autorisation n'est pas limitée dans le temps : elle ne se renouvelle pas.")
        opens = authorization.valid_until - dt.timedelta(days=settings.renewal_window_days)
        raise RequestRefused(
            f"Le renouvellement se demande dans les {settings.renewal_window_days} jours qui précèdent la fin de "
            f"validité : à partir du {opens:%d/%m/%Y}."
        )
    pending = await open_request(session, authorization.id)
    if pending is not None:
        raise RequestRefused(
            f"Une demande sur cette autorisation est déjà en cours : le dossier {pending.reference} "
            f"({pending.purpose.label.lower()}, {pending.status.label})."
        )
    version = await current_version(session, authorization)
    answers = {k: v for k, v in version.answers.items() if k not in RESIGNED}
    answers["applicant.applicationType"] = APPLICATION_TYPES[purpose]
    return await filing.create_dossier(
        session,
        access,
        operator_id=authorization.operator_id,
        procedure=authorization.procedure,
        answers=answers,
        goods_lines=version.goods,
        purpose=purpose,
        authorization_id=authorization.id,
    )


async def current_version(session: AsyncSession, authorization: Authorization) -> AuthorizationVersion:
    versions = await versions_of(session, authorization.id)
    return next(v for v in versions if v.number == authorization.current_version)


async def changes_against_authorization(session: AsyncSession, dossier: Dossier) -> list[Change]:
    """What an amendment or renewal changes against the authorisation's current version (validity aside: customs
    set it at the grant). No access check: for a reader of the dossier (who sees its authorisation)."""
    if dossier.authorization_id is None:
        return []
    authorization = await session.get(Authorization, dossier.authorization_id)
    if authorization is None:
        return []
    version = await current_version(session, authorization)
    lines = list((await session.exec(select(GoodsLine).where(GoodsLine.dossier_id == dossier.id))).all())
    asked = AuthorizationVersion(
        **{
            **version.model_dump(exclude={"id"}),
            "answers": {**dossier.data},
            "goods": goods_snapshot(lines),
        }
    )
    ignored = {"validity", "annex_71_02", "conditions", "applicant.applicationType", *RESIGNED}
    return [c for c in diff(version, asked, Procedure(dossier.procedure)) if c.key not in ignored]


def offered(
    access: Access, authorization: Authorization, today: dt.date, settings, pending: Dossier | None
) -> list[DossierPurpose]:
    """What « Demander un avenant » / « Demander le renouvellement » the actor is offered now (what
    `request_change` would accept): the prepare right on the holder, an authorisation that has not ended, no other
    request in progress, and for a renewal its window."""
    if pending is not None or not may_on_authorization(access, authorization, Right.PREPARE):
        return []
    if state_on(authorization, today) in (
        AuthorizationState.EXPIRED,
        AuthorizationState.REVOKED,
        AuthorizationState.ANNULLED,
    ):
        return []
    found = [DossierPurpose.AMENDMENT]
    if renewal_open(authorization, today, settings):
        found.append(DossierPurpose.RENEWAL)
    return found


async def grant_terms_proposed(session: AsyncSession, dossier: Dossier, today: dt.date) -> GrantTerms:
    """What the grant form proposes to customs: for an application, from today with no end; for an amendment, the
    current version's end of validity, conditions and annex 71-02 flag (the new version applies from today); for a
    renewal, the day after the current end (today at the earliest) for as long again, same conditions."""
    if dossier.authorization_id is None:
        return GrantTerms(today, None, "", False)
    authorization = await session.get(Authorization, dossier.authorization_id)
    if authorization is None:
        return GrantTerms(today, None, "", False)
    version = await current_version(session, authorization)
    if dossier.purpose is not DossierPurpose.RENEWAL or version.valid_until is None:
        return GrantTerms(today, version.valid_until, version.conditions, version.annex_71_02)
    start = max(today, version.valid_until + dt.timedelta(days=1))
    whole_years = [
        n for n in range(1, 11) if add_years(version.valid_from, n) - dt.timedelta(days=1) == version.valid_until
    ]
    if whole_years:  # e.g. two years: 01/07/2026–30/06/2028, renewed 01/07/2028–30/06/2030
        end = add_years(start, whole_years[0]) - dt.timedelta(days=1)
    else:
        end = start + (version.valid_until - version.valid_from)
    years = max_years(Procedure(authorization.procedure), version.annex_71_02, session.info["settings"])
    if years is not None:
        end = min(end, add_years(start, years) - dt.timedelta(days=1))
    return GrantTerms(start, end, version.conditions, version.annex_71_02)
