"""The view of a declarations list in the address bar (« Mes déclarations », the office's queue): its tabs, named in
the URL by French words (what a person sees when sharing a link) for the API's DeclarationBucket, its sorts
(DeclarationSort), then search and how many rows are shown (ui/components/list_state). Pure: no component, no I/O."""

from __future__ import annotations

from ui.components.list_state import Bucket, ListAddress

BUCKETS = (
    Bucket("TODO", "a-traiter", "À traiter", "todo"),
    Bucket("WAITING", "en-attente", "En attente", "waiting"),
    Bucket("DONE", "terminees", "Terminées", "done"),
)
SORTS = [  # the default first
    ("UPDATED_DESC", "Les plus récemment modifiées d'abord"),
    ("UPDATED_ASC", "Les plus anciennement modifiées d'abord"),
    ("REFERENCE", "Par référence"),
]
ADDRESS = ListAddress(BUCKETS, sorts=tuple(code for code, _ in SORTS))
