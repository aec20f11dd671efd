"""The browser's own « Quitter le site ? » prompt while a form holds changes not yet saved: a reload, a link of the
portal (its pages are separate documents), Back or closing the tab all ask first."""

from __future__ import annotations

from reactpy import html

_SCRIPT = (
    "(function(){var w=window;if(!w.portalLeaveGuard){w.portalLeaveGuard=function(e){"
    "if(w.portalUnsaved){e.preventDefault();e.returnValue='';}};"
    "w.addEventListener('beforeunload',w.portalLeaveGuard);}w.portalUnsaved=%s;})();"
)


def leave_guard(unsaved: bool):
    """Ask before leaving while `unsaved`; ReactPy runs a `<script>` once per key, so each change of state runs it."""
    return html.script({"key": f"garde-{'oui' if unsaved else 'non'}"}, _SCRIPT % ("true" if unsaved else "false"))


def allow_leaving() -> str:
    """JavaScript that lets the page go without asking (a form the program submits once the changes are saved)."""
    return "window.portalUnsaved=false;"
