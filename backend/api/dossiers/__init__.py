"""GraphQL surface of the dossiers domain: catalogue and form model, dossiers, goods lines, attachments."""

from backend.api.dossiers.mutations import DossierMutation
from backend.api.dossiers.queries import DossierQuery

__all__ = ["DossierMutation", "DossierQuery"]
