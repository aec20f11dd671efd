"""Errors the portal shows to its users: a stable code for programs, a French message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a user can understand and act on (never masked by the API)."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    @property
    def extensions(self) -> dict[str, str]:
        """Read by graphql-core: becomes the `extensions` of the GraphQL error."""
        return {"code": self.code, **({"field": self.field} if self.field else {})}


class NotFound(DomainError):
    """Also what an actor gets for an object they may not see: no existence leak."""

    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"
