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


class FieldErrors(DomainError):
    """Every problem of a form at once, each naming its field, in the form's order: `extensions.fields` lists them
    (`[{field, message}]`); `field` and the message are the first one's, for clients that read only one."""

    code = "INVALID"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        assert problems, "FieldErrors needs at least one problem"
        field, message = problems[0]
        super().__init__(message, field=field)
        self.problems = list(problems)

    @property
    def extensions(self) -> dict:
        return {
            **super().extensions,
            "fields": [{"field": field, "message": message} for field, message in self.problems],
        }


class NotFound(DomainError):
    """Also what an actor gets for an object they may not see: no existence leak."""

    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


UNAVAILABLE_MESSAGE = "Le service est momentanément indisponible : réessayez dans quelques instants."


class Unavailable(DomainError):
    """The database (or another service the answer needs) does not answer: nothing was done, try again."""

    code = "UNAVAILABLE"

    def __init__(self, message: str = UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)
