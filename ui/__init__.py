"""The ReactPy web interface: a first-party client of the GraphQL API."""
