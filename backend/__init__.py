"""SOPRANO portal: special customs procedures authorisations."""
