"""The root schema: the domains' query, mutation and subscription classes, plus the Relay `node` field."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Annotated

import strawberry
from graphql import GraphQLError, OperationDefinitionNode
from strawberry import relay
from strawberry.extensions import MaskErrors, SchemaExtension, ValidationCache
from strawberry.types.graphql import OperationType

from backend.api.assistance import AssistanceMutation, AssistanceQuery
from backend.api.assistance.subscriptions import AssistanceSubscription
from backend.api.authorizations import AuthorizationMutation, AuthorizationQuery
from backend.api.authorizations.subscriptions import AuthorizationSubscription
from backend.api.context import Context
from backend.api.declarations import DeclarationMutation, DeclarationQuery
from backend.api.declarations.subscriptions import DeclarationSubscription
from backend.api.dossiers import DossierMutation, DossierQuery
from backend.api.dossiers.processing import ProcessingMutation, ProcessingQuery, ProcessingSubscription
from backend.api.identity import IdentityMutation, IdentityQuery
from backend.api.limits import QueryLimiter
from backend.deadline import must_finish
from backend.errors import DomainError

logger = logging.getLogger("soprano.api")
PARSED_DOCUMENTS = 256  # distinct documents kept validated
INTERNAL_ERROR = "Erreur interne du serveur (référence {error_id}) : réessayez ; si elle se répète, donnez cette référence à l'assistance."
# graphql-core's « Did you mean … » tail of an unknown field, argument, type or enum value.
SUGGESTION = re.compile(r"\s*Did you mean .*$", re.S)


@strawberry.type
class Query(IdentityQuery, DossierQuery, ProcessingQuery, AuthorizationQuery, DeclarationQuery, AssistanceQuery):
    @strawberry.field(
        description="Un objet par son identifiant global ; null s'il n'existe pas ou n'est pas visible."
    )
    async def node(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")],
    ) -> relay.Node | None:
        # A value that is no global id, or names no node type, is an object that does not exist: null.
        try:
            global_id = relay.GlobalID.from_id(str(id))
            node_type = global_id.resolve_type(info)
        except Exception:
            return None
        if not (isinstance(node_type, type) and issubclass(node_type, relay.Node)):
            return None
        return await global_id.resolve_node(info, required=False)


@strawberry.type
class Mutation(
    IdentityMutation,
    DossierMutation,
    ProcessingMutation,
    AuthorizationMutation,
    DeclarationMutation,
    AssistanceMutation,
):
    pass


@strawberry.type
class Subscription(
    ProcessingSubscription, AuthorizationSubscription, DeclarationSubscription, AssistanceSubscription
):
    pass


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures (they are logged); domain refusals and query errors reach the client."""
    original = error.original_error
    return original is not None and not isinstance(original, DomainError)


class PortalErrors(MaskErrors):
    """An unexpected failure reaches the client as a French message with the reference of its log line
    (`extensions.errorId`, set by PortalSchema.process_errors); refusals, coded errors and query errors unchanged."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_should_mask, error_message="Erreur interne du serveur.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = getattr(error, "error_id", None) or uuid.uuid4().hex[:12]
        return GraphQLError(
            INTERNAL_ERROR.format(error_id=error_id),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )


class OperationContext(SchemaExtension):
    """Every operation of a WebSocket connection runs with its own context (`Context.for_operation`): credentials
    and rights of the moment, not those of `connection_init` hours ago."""

    async def on_operation(self):
        context = self.execution_context.context
        if isinstance(context, Context) and context.connection:
            self.execution_context.context = await context.for_operation()
        yield


RETRY_AFTER_SECONDS = "5"


class UnavailableStatus(SchemaExtension):
    """An answer the database could not give (`UNAVAILABLE`) is an HTTP 503 with Retry-After, so that a client, a
    proxy and a load balancer see it as the temporary failure it is."""

    def on_operation(self):
        yield
        result = self.execution_context.result
        response = getattr(self.execution_context.context, "response", None)
        errors = getattr(result, "errors", None) or []
        if response is None or not hasattr(response, "status_code"):
            return
        if any((error.extensions or {}).get("code") == "UNAVAILABLE" for error in errors):
            response.status_code = 503
            response.headers["Retry-After"] = RETRY_AFTER_SECONDS


class MutationsRunToTheirEnd(SchemaExtension):
    """A mutation that begins to run marks its request: the HTTP deadline (backend/api/view.py) then awaits it to
    its end instead of answering UNAVAILABLE while it may still commit (backend/deadline.py)."""

    def on_execute(self):
        context = self.execution_context
        request = getattr(context.context, "request", None)
        if context.operation_type == OperationType.MUTATION and request is not None:
            must_finish(request.scope)
        yield


class MutationRateLimit(SchemaExtension):
    """Each mutation of a document counts against its author's limit (backend/ratelimit.py): the user's, the API
    token's, or a visitor's address. Over it, nothing runs: `RATE_LIMITED` (HTTP 429, Retry-After)."""

    async def on_execute(self):
        context = self.execution_context
        portal = getattr(context.context, "portal", None)
        limiter = getattr(portal, "limiter", None)
        if limiter is not None and context.operation_type == OperationType.MUTATION:
            refusal = await limiter.hit(limiter.mutations, _author(context.context), cost=_mutation_count(context))
            if refusal is not None:
                response = getattr(context.context, "response", None)
                if response is not None and hasattr(response, "status_code"):
                    response.status_code = 429
                    response.headers["Retry-After"] = str(refusal.retry_after)
                raise GraphQLError(
                    refusal.message, extensions={"code": "RATE_LIMITED", "retryAfter": refusal.retry_after}
                )
        yield


def _author(context) -> str:
    actor = getattr(context, "actor", None)
    if actor is not None:
        return f"token:{actor.token_id}" if actor.token_id else f"user:{actor.user_id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"address:{client.host if client else '?'}"


def _mutation_count(context) -> int:
    document = context.graphql_document
    name = getattr(context, "_provided_operation_name", None)
    for definition in document.definitions if document else ():
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name and definition.name.value == name)
        ):
            return max(1, len(definition.selection_set.selections))
    return 1


class PortalSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        """Refusals are answers, not incidents: only unexpected failures reach the error log, each with the
        reference its client is given. Outside development, no « Did you mean … » (the schema is not guessed)."""
        portal = getattr(getattr(execution_context, "context", None), "portal", None)
        if portal is None or not portal.settings.is_dev:
            for error in errors:
                if error.original_error is None:
                    error.message = SUGGESTION.sub("", error.message)
        for error in errors:
            if _should_mask(error):
                error.error_id = uuid.uuid4().hex[:12]
                logger.error(
                    "GraphQL error %s in %s: %s",
                    error.error_id,
                    ".".join(str(p) for p in error.path or ()) or "the request",
                    error.message,
                    exc_info=error.original_error,
                )


schema = PortalSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        QueryLimiter,  # parses through its own cache (backend/api/limits.py: a refused document is never kept)
        # The same documents come again and again (the UI's operations, partners' queries): validated once.
        lambda: ValidationCache(maxsize=PARSED_DOCUMENTS),
        OperationContext,
        MutationRateLimit,
        MutationsRunToTheirEnd,
        UnavailableStatus,
        PortalErrors,
    ],
)
