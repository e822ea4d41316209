"""spaCy components of the newsclaims pipeline; importing a module registers its factory."""
