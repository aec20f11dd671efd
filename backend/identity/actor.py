"""The authenticated principal of one request or connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.identity.models import AccountKind, ApiToken, User


@dataclass(frozen=True)
class Actor:
    """Who is acting, how they proved it (browser session or API token), and for which operator they asked to act."""

    user: User
    via: Literal["session", "token"]
    token: ApiToken | None = None
    session_id: str | None = None
    # Chosen in the session ("Choisir l'opérateur représenté"), or named per request by an API client.
    acting_operator_id: int | None = None

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def kind(self) -> AccountKind:
        return self.user.kind

    @property
    def token_id(self) -> int | None:
        return self.token.id if self.token else None
