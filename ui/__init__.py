"""The ReactPy web interface: a first-party client of the GraphQL API."""

from reactpy.config import REACTPY_ASYNC_RENDERING

# One render at a time, in the order they were asked for. ReactPy 2.0.0b13 renders concurrently by default: two
# renders of overlapping parts of a page then unmount the same element twice (a `KeyError` in the layout) and, when
# the server is busy, updates reach the browser out of order (« Cannot use 'in' operator to search for 'children' »,
# a page left on « Chargement… »). Serial rendering is what ReactPy 1 did.
REACTPY_ASYNC_RENDERING.current = False
