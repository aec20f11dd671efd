"""The Strawberry GraphQL API: one module per domain, thin resolvers over the domain services."""
