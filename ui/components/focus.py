"""Moving the keyboard focus after a render (a link of the error summary, a tab chosen with the arrow keys, the
message that follows an upload). ReactPy runs a `<script>` element once per key, after the render that mounts it,
so the element to focus is already visible."""

from __future__ import annotations

import json

from reactpy import html


def focus_script(element_id: str | None, nonce: int):
    if not element_id:
        return ""
    target = json.dumps(element_id)
    return html.script(
        {"key": f"focus-{nonce}"},
        # A heading or a message is not focusable by itself: -1 lets the script focus it, not the Tab key.
        f"(function(){{var e=document.getElementById({target});if(e){{"
        "if(e.tabIndex<0&&!e.hasAttribute('tabindex')){e.setAttribute('tabindex','-1');}e.focus();}})();",
    )


def replace_url_script(path: str):
    """Show `path` in the address bar without a page load (a new dossier opened in place keeps its own URL)."""
    return html.script({"key": f"url-{path}"}, f"window.history.replaceState(null, '', {json.dumps(path)});")
