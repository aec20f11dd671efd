"""The decision phase on the dossier page: the actions the reader may take now (`actions`: status changes, « Prendre
en charge », the decision deadline's extension, and the forms of those that ask for more), why the dossier is where it
is (`decisions`), and the history with the comments (`history`).

Which action exists, who may take it, its button's words, what it requires and the limits of its message are the
API's; `presentations` holds only how the page presents them.
"""
