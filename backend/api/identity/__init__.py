"""GraphQL surface of the identity domain: accounts, operators, habilitations, representation, terms, API tokens."""

from backend.api.identity.mutations import IdentityMutation
from backend.api.identity.queries import IdentityQuery

__all__ = ["IdentityMutation", "IdentityQuery"]
