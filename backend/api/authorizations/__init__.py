"""GraphQL surface of the issued authorisations: list, one, versions and their PDF, history, the grant's terms."""

from backend.api.authorizations.mutations import AuthorizationMutation
from backend.api.authorizations.queries import AuthorizationQuery

__all__ = ["AuthorizationMutation", "AuthorizationQuery"]
