"""The root schema: the domains' query, mutation and subscription classes, plus the Relay `node` field."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import MaskErrors, QueryDepthLimiter, SchemaExtension

from backend.api.authorizations import AuthorizationMutation, AuthorizationQuery
from backend.api.authorizations.subscriptions import AuthorizationSubscription
from backend.api.context import Context
from backend.api.dossiers import DossierMutation, DossierQuery
from backend.api.dossiers.processing import ProcessingMutation, ProcessingQuery, ProcessingSubscription
from backend.api.identity import IdentityMutation, IdentityQuery
from backend.errors import DomainError


@strawberry.type
class Query(IdentityQuery, DossierQuery, ProcessingQuery, AuthorizationQuery):
    node: relay.Node | None = relay.node(
        description="Un objet par son identifiant global ; null s'il n'existe pas ou n'est pas visible."
    )


@strawberry.type
class Mutation(IdentityMutation, DossierMutation, ProcessingMutation, AuthorizationMutation):
    pass


@strawberry.type
class Subscription(ProcessingSubscription, AuthorizationSubscription):
    pass


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures (they are logged); domain refusals and query errors reach the client."""
    original = error.original_error
    return original is not None and not isinstance(original, DomainError)


class PortalErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_should_mask, error_message="Erreur interne du serveur.")


class OperationContext(SchemaExtension):
    """Every operation of a WebSocket connection runs with its own context (`Context.for_operation`): credentials
    and rights of the moment, not those of `connection_init` hours ago."""

    async def on_operation(self):
        context = self.execution_context.context
        if isinstance(context, Context) and context.connection:
            self.execution_context.context = await context.for_operation()
        yield


class PortalSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        """Refusals are answers, not incidents: only unexpected failures reach the error log."""
        super().process_errors([e for e in errors if _should_mask(e)], execution_context)


schema = PortalSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[OperationContext, lambda: QueryDepthLimiter(max_depth=15), PortalErrors],
)
