"""What one GraphQL request may cost, checked before it runs: tokens, depth, aliases, fragment nesting and a cost
computed with every fragment expanded, plus introspection and the one-operation rule. A refusal is a coded French
error naming its limit (`QUERY_TOO_COMPLEX`, `INTROSPECTION_DISABLED`, `OPERATION_NAME_REQUIRED`); nothing of the
document is executed, and the check itself costs time linear in the document's size (each fragment is measured once,
whatever the number of places that spread it).

The cost: each field selected costs 1; a field with a `first` argument multiplies what it selects by that page size
(capped like every paged list, `backend.paging.MAX_PAGE_SIZE`), and any other list field by LIST_WEIGHT. The limits
are settings (`QUERY_MAX_…`); the answer of a refusal is `extensions = {code, limit, maximum, found}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from strawberry.extensions import SchemaExtension

from backend.config import Settings
from backend.paging import MAX_PAGE_SIZE

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
# Where introspection is on, an operation that asks for it (a development tool's standard query: depth 15, cost about
# 50,000) gets these limits instead; asking for it twice is already more.
INTROSPECTION_MAX_DEPTH = 15
INTROSPECTION_MAX_COST = 60_000
TOKENS_MESSAGE = "Document contains more than"  # graphql-core's parser, when max_tokens is reached


# A list without a page size weighs this much, unless it is one of the form catalogue's short lists below (their
# usual length: tests/api/test_query_limits.py checks it against the catalogue).
LIST_WEIGHT = 10
LIST_SIZES = {
    "Query.procedures": 5,
    "Procedure.rubriques": 6,
    "Procedure.goodsKinds": 3,
    "Rubrique.fields": 15,
    "GoodsKindInfo.fields": 5,
    "FormField.parts": 1,  # almost every field has none; the few that have some, six at most
}


@dataclass(frozen=True)
class QueryLimits:
    max_tokens: int = Settings.query_max_tokens
    max_depth: int = Settings.query_max_depth
    max_aliases: int = Settings.query_max_aliases
    max_cost: int = Settings.query_max_cost
    introspection: bool = True

    @classmethod
    def of(cls, settings: Settings) -> QueryLimits:
        return cls(
            max_tokens=settings.query_max_tokens,
            max_depth=settings.query_max_depth,
            max_aliases=settings.query_max_aliases,
            max_cost=settings.query_max_cost,
            introspection=settings.introspection_enabled,
        )


LABELS = {
    "tokens": "jetons",
    "depth": "niveaux d'imbrication",
    "aliases": "alias",
    "fragments": "fragments imbriqués",
    "cost": "points de coût",
}


def too_complex(limit: str, maximum: int, found: int | None = None) -> GraphQLError:
    more = f" (trouvé : {found})" if found is not None else ""
    return GraphQLError(
        f"Requête trop complexe : au plus {maximum} {LABELS[limit]} par requête{more}. "
        "Simplifiez-la ou découpez-la en plusieurs requêtes.",
        extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit, "maximum": maximum,
                    **({"found": found} if found is not None else {})},
    )  # fmt: skip


INTROSPECTION_DISABLED = GraphQLError(
    "L'introspection du schéma est désactivée sur ce service : le schéma est publié avec sa documentation "
    "(schema.graphql).",
    extensions={"code": "INTROSPECTION_DISABLED"},
)


def operation_name_required(names: list[str]) -> GraphQLError:
    return GraphQLError(
        "Ce document contient plusieurs opérations : indiquez celle à exécuter (operationName : "
        + ", ".join(names)
        + ").",
        extensions={"code": "OPERATION_NAME_REQUIRED"},
    )


class _Refused(Exception):
    def __init__(self, error: GraphQLError) -> None:
        self.error = error


@dataclass
class Measure:
    """What a document selects, all fragments expanded."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0


class _Measurer:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any], limits: QueryLimits
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.measured: dict[str, Measure] = {}
        self.open: list[
            str
        ] = []  # fragments being measured (a cycle is measured as nothing; validation refuses it)
        self.level = 0  # fields above the one being measured

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(operation.operation)
        return self.selection(operation.selection_set, root, paged=False)

    def selection(self, selection_set: SelectionSetNode | None, parent: Any, paged: bool) -> Measure:
        total = Measure()
        if selection_set is None:
            return total
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                part = self.field(node, parent, paged)
            elif isinstance(node, InlineFragmentNode):
                condition = self._type(node.type_condition.name.value) if node.type_condition else parent
                part = self.selection(node.selection_set, condition, paged)
            elif isinstance(node, FragmentSpreadNode):
                part = self.fragment(node.name.value, paged)
            else:  # pragma: no cover - graphql-core has no other selection
                continue
            total.depth = max(total.depth, part.depth)
            total.aliases += part.aliases
            total.cost += part.cost
            self._check(total)
        return total

    def field(self, node: FieldNode, parent: Any, paged: bool) -> Measure:
        name = node.name.value
        if name in INTROSPECTION_FIELDS and not self.limits.introspection:
            raise _Refused(INTROSPECTION_DISABLED)
        definition = META_FIELDS.get(name) or self._field(parent, name)
        aliases = 1 if node.alias else 0
        if definition is None:  # __typename, or an unknown field that validation will name
            return Measure(depth=1, aliases=aliases, cost=1)
        multiplier, pages = 1, False
        first = definition.args.get("first")
        if first is not None:
            multiplier, pages = self._page_size(node, first.default_value), True
        elif _is_list(definition.type) and not paged:
            multiplier = LIST_SIZES.get(f"{getattr(parent, 'name', '')}.{name}", LIST_WEIGHT)
        self.level += 1
        try:
            if self.level > self.limits.max_depth:  # stop going down: the document is refused anyway
                raise _Refused(too_complex("depth", self.limits.max_depth, self.level))
            inner = self.selection(node.selection_set, get_named_type(definition.type), paged=pages)
        finally:
            self.level -= 1
        return Measure(depth=inner.depth + 1, aliases=aliases + inner.aliases, cost=1 + inner.cost * multiplier)

    def fragment(self, name: str, paged: bool) -> Measure:
        key = f"{name}:{paged}"
        if key in self.measured:
            return self.measured[key]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Measure()
        if len(self.open) >= self.limits.max_depth:
            raise _Refused(too_complex("fragments", self.limits.max_depth))
        self.open.append(name)
        try:
            found = self.selection(
                definition.selection_set, self._type(definition.type_condition.name.value), paged
            )
        finally:
            self.open.pop()
        self.measured[key] = found
        return found

    def _check(self, measure: Measure) -> None:
        limits = self.limits
        if measure.depth > limits.max_depth:
            raise _Refused(too_complex("depth", limits.max_depth, measure.depth))
        if measure.aliases > limits.max_aliases:
            raise _Refused(too_complex("aliases", limits.max_aliases, measure.aliases))
        if measure.cost > limits.max_cost:
            raise _Refused(too_complex("cost", limits.max_cost, measure.cost))

    def _page_size(self, node: FieldNode, default: Any) -> int:
        value: Any = default
        for argument in node.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    value = int(argument.value.value)
                elif isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value, default)
                else:
                    value = None
        if not isinstance(value, int) or isinstance(value, bool):
            return MAX_PAGE_SIZE
        return max(1, min(value, MAX_PAGE_SIZE))

    def _type(self, name: str) -> Any:
        return self.schema.get_type(name)

    @staticmethod
    def _field(parent: Any, name: str):
        fields = getattr(parent, "fields", None)
        if not fields:
            return None
        return fields.get(name)


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    limits: QueryLimits,
    operation_name: str | None = None,
    variables: dict[str, Any] | None = None,
) -> Measure:
    """The measure of the operation a request runs, or GraphQLError (coded) when it breaks a limit or names no
    operation among several."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None and len(operations) > 1:
        raise operation_name_required([o.name.value for o in operations if o.name])
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if limits.introspection and any(
        isinstance(node, FieldNode) and node.name.value in INTROSPECTION_FIELDS
        for operation in chosen
        for node in operation.selection_set.selections
    ):
        limits = replace(limits, max_depth=max(limits.max_depth, INTROSPECTION_MAX_DEPTH),
                         max_cost=max(limits.max_cost, INTROSPECTION_MAX_COST))  # fmt: skip
    measurer = _Measurer(schema, document, variables or {}, limits)
    try:
        found = Measure()
        for operation in chosen:  # none when the name matches nothing: graphql-core says so
            found = measurer.operation(operation)
    except _Refused as refused:
        raise refused.error from None
    except RecursionError:
        raise too_complex("depth", limits.max_depth) from None
    return found


@lru_cache(maxsize=8)
def _limits_of(settings: Settings) -> QueryLimits:
    return QueryLimits.of(settings)


@lru_cache(maxsize=256)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    """The same documents come again and again (the UI's operations, partners' queries): each is parsed once. A
    document that does not parse raises, and is never kept. graphql-core never changes a parsed document."""
    return parse(query, max_tokens=max_tokens)


class QueryLimiter(SchemaExtension):
    """Applies the limits of the portal's settings (`Context.portal.settings.query_limits`) to every operation, over
    HTTP, WebSocket and the UI's in-process client."""

    def _limits(self) -> QueryLimits:
        portal = getattr(self.execution_context.context, "portal", None)
        return _limits_of(portal.settings) if portal is not None else QueryLimits()

    def on_parse(self) -> Iterator[None]:
        limits = self._limits()
        context = self.execution_context
        context.parse_options["max_tokens"] = limits.max_tokens
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = _parsed(context.query, limits.max_tokens)
            except Exception:  # noqa: S110 - parsed again by Strawberry, which reports the error as usual
                pass
        yield
        errors = context.pre_execution_errors or []
        for error in errors:
            if TOKENS_MESSAGE in error.message:
                raise too_complex("tokens", limits.max_tokens)
            if isinstance(error.original_error, RecursionError):
                raise too_complex("depth", limits.max_depth)
        if context.graphql_document is None or errors:
            return
        measure(
            context.schema._schema,
            context.graphql_document,
            limits,
            operation_name=getattr(context, "_provided_operation_name", None),
            variables=context.variables,
        )


__all__ = ["QueryLimiter", "QueryLimits", "measure"]
