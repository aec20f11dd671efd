"""The view of an assistance list in the address bar (« Mes demandes », the office's questions, the support's
tickets): its tabs, named in the URL by French words for the API's AssistanceBucket, then search and how many rows
are shown (ui/components/list_state). Pure: no component, no I/O."""

from __future__ import annotations

from ui.components.list_state import Bucket, ListAddress

BUCKETS = (
    Bucket("TODO", "a-traiter", "À traiter", "todo"),
    Bucket("WAITING", "en-attente", "En attente", "waiting"),
    Bucket("DONE", "closes", "Closes", "done"),
)
# No sort; « page » (where the reader came from) is kept beside the list's parameters, its slashes as they are.
ADDRESS = ListAddress(BUCKETS, safe="/")


def list_href(path: str, bucket: str = "TODO") -> str:
    """The list at `path` opened on `bucket`'s tab (named even when it is the default one: a link says where it goes)."""
    return ADDRESS.href(path, bucket)
