"""Authentication: OIDC login through Authlib, browser sessions, bearer tokens, the development provider."""
