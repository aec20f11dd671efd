"""The matrix's coverage guard: every operation of the schema and every actor has rows."""

from __future__ import annotations

from backend.api.assistance import AssistanceMutation, AssistanceQuery
from backend.api.assistance.subscriptions import AssistanceSubscription
from backend.api.authorizations import AuthorizationQuery
from backend.api.authorizations.mutations import (
    AuthorizationExchangeMutation,
    AuthorizationGrantMutation,
    AuthorizationHearingMutation,
    AuthorizationMeasureMutation,
    AuthorizationRequestMutation,
)
from backend.api.declarations import DeclarationMutation, DeclarationQuery
from backend.api.dossiers import DossierMutation, DossierQuery
from backend.api.dossiers.processing import ProcessingMutation, ProcessingQuery
from backend.api.identity import IdentityMutation, IdentityQuery
from backend.api.schema import schema
from tests.api.access_matrix.operations import OPERATIONS
from tests.api.access_matrix.runner import row_id
from tests.api.access_matrix.test_assistance_matrix import ASSISTANCE_MATRIX, LIVE_MATRIX, SUPPORT_ELSEWHERE
from tests.api.access_matrix.test_authorizations_matrix import AUTHORIZATIONS_MATRIX
from tests.api.access_matrix.test_declarations_matrix import DECLARATIONS_MATRIX
from tests.api.access_matrix.test_dossiers_matrix import DOSSIERS_MATRIX
from tests.api.access_matrix.test_identity_matrix import IDENTITY_MATRIX
from tests.api.access_matrix.test_processing_matrix import PROCESSING_MATRIX
from tests.api.access_matrix.world import ACTORS

MATRIX = [*IDENTITY_MATRIX, *DOSSIERS_MATRIX, *PROCESSING_MATRIX, *AUTHORIZATIONS_MATRIX, *DECLARATIONS_MATRIX]
MATRIX += [*ASSISTANCE_MATRIX, *SUPPORT_ELSEWHERE]  # assistance (issue 14), and the support elsewhere

# Authorisations: the grant, the customs measures, the hearing before an adverse one, the holder's requests and the
# exchanges with customs. Private declarations: the public rules, the declarant's and the office's.
COVERED = [
    IdentityQuery,
    IdentityMutation,
    DossierQuery,
    DossierMutation,
    ProcessingQuery,
    ProcessingMutation,
    AuthorizationQuery,
    AuthorizationGrantMutation,
    AuthorizationMeasureMutation,
    AuthorizationHearingMutation,
    AuthorizationRequestMutation,
    AuthorizationExchangeMutation,
    DeclarationQuery,
    DeclarationMutation,
    # Assistance: the documentation, questions, tickets, their threads, feedback.
    AssistanceQuery,
    AssistanceMutation,
]


def root_fields(cls) -> set[str]:
    converter = schema.config.name_converter
    return {converter.get_graphql_name(f) for f in cls.__strawberry_definition__.fields}


def test_the_matrix_covers_every_actor_and_every_operation():
    """Adding an operation or an actor without rows fails here; so does a row naming an unknown one."""
    assert {row[0] for row in MATRIX} == set(ACTORS)
    assert {row[1] for row in MATRIX} == set(OPERATIONS)
    tested = {name.split(":")[0] for name in OPERATIONS if not name.startswith("aliases:")}
    exposed = set().union({"node"}, *(root_fields(cls) for cls in COVERED))
    assert exposed <= tested, f"operations without rows: {sorted(exposed - tested)}"
    assert len({row_id(r) for r in MATRIX}) == len(MATRIX), "duplicate rows"


# Subscriptions with rows of their own (over a WebSocket; the others are proven by tests/api/test_*subscription*.py).
LIVE_COVERED = [AssistanceSubscription]


def test_the_live_matrix_covers_every_actor_and_its_subscriptions():
    """assistanceChanged: every actor has rows, each fixture request and all of them."""
    assert {row[0] for row in LIVE_MATRIX} == set(ACTORS)
    tested = {row[1].split(":")[0] for row in LIVE_MATRIX}
    assert set().union(*(root_fields(cls) for cls in LIVE_COVERED)) == tested
    assert len({row_id(r) for r in LIVE_MATRIX}) == len(LIVE_MATRIX), "duplicate rows"
