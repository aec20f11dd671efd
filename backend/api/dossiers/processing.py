"""GraphQL surface of the decision phase: dashboards, workflow actions, comments, deadlines, subscriptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator

import strawberry
from strawberry.dataloader import DataLoader

from backend.api.context import CREDENTIALS_ENDED, Info
from backend.api.dossiers.types import (
    Dossier,
    DossierAction,
    DossierEvent,
    DossierStatus,
    ProcedureCode,
    build_events,
)
from backend.api.identity.types import Operator
from backend.api.ids import decode_id, encode_id
from backend.auth.actors import credential_of, refresh_actor, refresh_actors
from backend.dossiers import dashboards, processing
from backend.dossiers import models as dm
from backend.dossiers.history import EventKind
from backend.dossiers.reading import get_dossier
from backend.dossiers.workflow import Action
from backend.errors import DomainError, NotFound, Unauthenticated
from backend.events import SubscriberDropped, dossier_channel, office_channel, operator_channel
from backend.identity.policy import Access, access_key, load_access
from backend.identity.policy.dossiers import followed_dossier_groups

Bucket = strawberry.enum(
    dashboards.Bucket, name="DashboardBucket", description="« à traiter », « en attente » ou tous."
)
Sort = strawberry.enum(dashboards.Sort, name="DashboardSort", description="Ordre de la liste.")
Taken = strawberry.enum(
    dashboards.Taken,
    name="TakenFilter",
    description="Agents des douanes : tous les dossiers (ALL), ceux que vous avez pris en charge (MINE), ceux que "
    "personne n'a pris en charge (UNASSIGNED).",
)


@strawberry.type(
    description="Nombre de dossiers par case du tableau de bord, avec tous les filtres sauf celui des statuts "
    "(procédures, opérateurs, recherche, prise en charge) : ce que chaque onglet contient."
)
class BucketCounts:
    todo: int
    waiting: int


@strawberry.type(description="Un dossier du tableau de bord, avec son opérateur.")
class DashboardItem:
    dossier: Dossier
    operator: Operator


@strawberry.type(description="Une page du tableau de bord.")
class DashboardPage:
    items: list[DashboardItem]
    total_count: int = strawberry.field(
        description="Nombre de dossiers de la case demandée avec tous les filtres, statuts compris."
    )
    counts: BucketCounts = strawberry.field(
        description="Nombre de dossiers de chaque case avec tous les filtres sauf les statuts (pour les onglets)."
    )
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Ce qui a changé sur le tableau de bord de l'utilisateur.")
class DashboardChange:
    dossier_id: strawberry.ID | None
    event_id: strawberry.ID | None
    counts: BucketCounts
    resync: bool = strawberry.field(description="Vrai après une interruption : relire la liste.")


async def _dashboard(info: Info, access: Access, **filters) -> dashboards.DashboardPage:
    async with info.context.db.session() as session:
        return await dashboards.dashboard(session, access, **filters)


@strawberry.type
class ProcessingQuery:
    @strawberry.field(
        description="Tableau de bord : « à traiter » (vous devez agir) ou « en attente » (l'autre partie agit), avec filtres, recherche, tri et pagination. taken (agents des douanes seulement) : tous, ceux que vous avez pris en charge, ou ceux que personne n'a pris."
    )
    async def dashboard(
        self,
        info: Info,
        bucket: Bucket = dashboards.Bucket.TODO,
        statuses: list[DossierStatus] | None = None,
        procedures: list[ProcedureCode] | None = None,
        operator_ids: list[strawberry.ID] | None = None,
        search: str | None = None,
        sort: Sort = dashboards.Sort.UPDATED_DESC,
        first: int = 20,
        after: str | None = None,
        taken: Taken = dashboards.Taken.ALL,
    ) -> DashboardPage:
        access = await info.context.access()
        page = await _dashboard(
            info,
            access,
            bucket=dashboards.Bucket(bucket.value),
            statuses=[dm.DossierStatus(s.value) for s in statuses] if statuses else None,
            procedures=[p.value for p in procedures] if procedures else None,
            operator_ids=[decode_id(o, "Operator", "Opérateur introuvable.") for o in operator_ids]
            if operator_ids
            else None,
            search=search,
            sort=dashboards.Sort(sort.value),
            first=first,
            after=after,
            taken=dashboards.Taken(taken.value),
        )
        return DashboardPage(
            items=[DashboardItem(dossier=Dossier.build(d), operator=Operator.from_model(o)) for d, o in page.rows],
            total_count=page.total,
            counts=BucketCounts(
                todo=page.counts[dashboards.Bucket.TODO], waiting=page.counts[dashboards.Bucket.WAITING]
            ),
            has_next_page=page.has_next,
            end_cursor=page.end_cursor,
        )


@strawberry.type
class ProcessingMutation:
    @strawberry.mutation(
        description="Faire avancer un dossier : demander un complément, accepter, ne pas accepter, notifier une intention de refus, octroyer, refuser (douane) ; retirer (demandeur)."
    )
    async def act_on_dossier(
        self, info: Info, id: strawberry.ID, action: DossierAction, message: str | None = None
    ) -> Dossier:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            dossier = await processing.act(session, access, dossier_id, Action(action.value), message=message)
        return Dossier.build(dossier)

    @strawberry.mutation(description="Laisser un commentaire sur le dossier.")
    async def add_comment(self, info: Info, dossier_id: strawberry.ID, text: str) -> DossierEvent:
        access = await info.context.access()
        target = decode_id(dossier_id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            event = await processing.comment(session, access, target, text)
            return (await build_events(session, [event]))[0]

    @strawberry.mutation(description="Prendre en charge un dossier (agent des douanes).")
    async def take_dossier(self, info: Info, id: strawberry.ID) -> Dossier:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            return Dossier.build(await processing.take(session, access, dossier_id))

    @strawberry.mutation(
        description="Prolonger le délai de décision (douane) : nouvelle date et motif, visibles du demandeur."
    )
    async def extend_decision_deadline(
        self, info: Info, id: strawberry.ID, new_date: dt.date, reason: str
    ) -> Dossier:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            return Dossier.build(
                await processing.extend_decision_deadline(session, access, dossier_id, new_date, reason)
            )


MAX_EVENT_ID = 2**31 - 1  # dossier_event.id is a 32-bit integer
# Events read at once by a subscription (catching up, or woken): a long backlog is read in pages of this size, so a
# subscriber's memory stays bounded whatever it missed.
EVENTS_PAGE = 100


def _last_id(value: strawberry.ID | None) -> int:
    if value is None:
        return 0
    text = str(value)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_EVENT_ID:
        raise DomainError("Identifiant d'événement invalide.", code="INVALID", field="afterEventId")
    return int(text)


def _wake_key(message: dict) -> tuple | None:
    """What woke a subscriber, as a key for the work shared with the others it woke: an event (by id), a resync of
    the hub after a reconnection (by generation); None when it cannot be told apart (computed alone)."""
    if message.get("type") == "event" and message.get("event"):
        return ("event", int(message["event"]))
    if message.get("type") == "resync" and message.get("generation"):
        return ("resync", int(message["generation"]))
    return None


async def _fresh_actor(info: Info, wake: tuple | None = None):
    """The subscriber's credentials of the moment: a logout or a revoked (or expired) token ends the flow with
    UNAUTHENTICATED. Woken by an event, each subscriber's own credentials are read in one batch with those of the
    other subscribers that event woke (one statement, not one per subscriber)."""
    actor = info.context.actor
    if actor is None:
        return None
    if wake is None:
        async with info.context.db.session() as session:
            actor = await refresh_actor(session, actor)
    else:
        db = info.context.db

        async def load(credentials):
            async with db.session() as session:
                return await refresh_actors(session, credentials)

        loader = info.context.portal.shared.keep(("credentials", wake), lambda: DataLoader(load, cache=False))
        actor = await loader.load(credential_of(actor))
    if actor is None:
        raise Unauthenticated(CREDENTIALS_ENDED)
    return actor


async def fresh_access(info: Info, wake: tuple | None = None) -> Access:
    """Credentials and rights re-read for each delivered event: losing a right stops the flow."""
    actor = await _fresh_actor(info, wake)
    async with info.context.db.session() as session:
        return await load_access(session, actor)


async def _shared(info: Info, key: tuple | None, compute):
    """`compute()`, shared with the other subscribers woken by the same event (key None: computed alone)."""
    if key is None:
        return await compute()
    return await info.context.portal.shared.get(key, compute)


def _too_slow() -> DomainError:
    return DomainError(
        "Trop d'événements en retard : reconnectez-vous avec le dernier identifiant reçu.",
        code="SUBSCRIBER_TOO_SLOW",
    )


async def _dossier_events(
    info: Info, dossier_id: int, after: int, kinds: set[str] | None
) -> AsyncGenerator[DossierEvent, None]:
    hub = info.context.portal.hub
    async with info.context.db.session() as session:
        # Authorised when subscribing (NotFound for what the actor may not see).
        await processing.require_history_reader(session, await info.context.access(), dossier_id)
    kinds_key = frozenset(kinds) if kinds else None
    async with hub.subscribe([dossier_channel(dossier_id)]) as subscriber:
        # The highest event id sent. A dossier's events commit in id order (backend/dossiers/history.py): an event at
        # or below it was sent, or was before `after`; what is above it is read from the history, page by page.
        last = after
        catch_up = True  # first, what was missed (from the history); then one read per message
        while True:
            wake: tuple | None = None  # what woke us (an event, a resync): keys the work shared with others
            if not catch_up:
                try:
                    message = await subscriber.next()
                except SubscriberDropped:
                    raise _too_slow() from None
                wake = _wake_key(message)
                if wake is not None and wake[0] == "event":
                    if wake[1] <= last:
                        continue  # sent already (read with an earlier one), or seen before subscribing
                    if kinds and message.get("kind") and message["kind"] not in kinds:
                        continue  # not followed here (a step, for commentAdded)
                # Authorised again for every event (the catch-up was, just above, when subscribing): credentials
                # (each subscriber's own), then rights — the same for every subscriber woken by this event with the
                # same rights, so computed once for them.
                actor = await _fresh_actor(info, wake)

                async def check_reader(actor=actor):
                    async with info.context.db.session() as session:
                        access = await load_access(session, actor)
                        await processing.require_history_reader(session, access, dossier_id)

                try:
                    await _shared(
                        info,
                        ("reader", wake, dossier_id, access_key(actor)) if wake else None,
                        check_reader,
                    )
                except DomainError:
                    return  # the right was lost: the subscription ends
            catch_up = False
            while True:

                async def read_events(since=last):
                    async with info.context.db.session() as session:
                        return await build_events(
                            session, await processing.events_after(session, dossier_id, since, kinds, EVENTS_PAGE)
                        )

                built = await _shared(
                    info, ("events", wake, dossier_id, last, kinds_key) if wake else None, read_events
                )
                for event in built:
                    if subscriber.dropped:
                        # Its queue overflowed while a send to it was blocked (a client that does not read): it is
                        # told now, not after the whole history has been pushed to it; it resumes from `last`.
                        raise _too_slow()
                    last = max(last, int(event.id))
                    yield event
                if len(built) < EVENTS_PAGE:
                    break


@strawberry.type
class ProcessingSubscription:
    @strawberry.subscription(
        description="Les commentaires d'un dossier, en direct ; afterEventId : reprendre après le dernier reçu."
    )
    async def comment_added(
        self, info: Info, dossier_id: strawberry.ID, after_event_id: strawberry.ID | None = None
    ) -> AsyncGenerator[DossierEvent, None]:
        target = decode_id(dossier_id, "Dossier", "Dossier introuvable.")
        async for event in _dossier_events(info, target, _last_id(after_event_id), {EventKind.COMMENT}):
            yield event

    @strawberry.subscription(
        description="Tout ce qui arrive à un dossier (étapes, commentaires, pièces jointes), en direct, avec reprise."
    )
    async def dossier_changed(
        self, info: Info, dossier_id: strawberry.ID, after_event_id: strawberry.ID | None = None
    ) -> AsyncGenerator[DossierEvent, None]:
        target = decode_id(dossier_id, "Dossier", "Dossier introuvable.")
        async for event in _dossier_events(info, target, _last_id(after_event_id), None):
            yield event

    @strawberry.subscription(description="Vos cases « à traiter » / « en attente » ont changé.")
    async def dashboard_changed(self, info: Info) -> AsyncGenerator[DashboardChange, None]:
        access = await info.context.access()
        office, operator_ids = followed_dossier_groups(access)
        channels = [office_channel(office)] if office else [operator_channel(o) for o in operator_ids]
        if not channels:
            return
        hub = info.context.portal.hub
        async with hub.subscribe(channels) as subscriber:
            while True:
                try:
                    message = await subscriber.next()
                except SubscriberDropped:
                    message = {"type": "resync"}
                if message.get("type") not in ("event", "resync"):
                    continue  # an authorisation's step, an assistance question…: not a dossier of the dashboard
                access = await fresh_access(info, _wake_key(message))
                if message.get("type") == "event":
                    async with info.context.db.session() as session:
                        try:
                            await get_dossier(session, access, int(message["dossier"]))
                        except (NotFound, DomainError):
                            continue  # not this actor's (any more)
                page = await _dashboard(info, access, first=1)
                new_counts = page.counts
                yield DashboardChange(
                    dossier_id=strawberry.ID(encode_id("Dossier", int(message["dossier"])))
                    if message.get("dossier")
                    else None,
                    event_id=strawberry.ID(str(message["event"])) if message.get("event") else None,
                    counts=BucketCounts(
                        todo=new_counts[dashboards.Bucket.TODO], waiting=new_counts[dashboards.Bucket.WAITING]
                    ),
                    resync=message.get("type") != "event",
                )


__all__ = ["ProcessingMutation", "ProcessingQuery", "ProcessingSubscription"]
